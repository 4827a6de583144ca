/**
 * The provider lock file. Terraform writes `.terraform.lock.hcl` into the folder it runs in, which
 * for cdktf is the synthesized stack folder that every synth rebuilds. A lock file committed at
 * the project root (made by `npm run lock`, which needs the provider registry) is copied into the
 * stack folder at synth, so `terraform init` verifies every provider package against the
 * checksums the team committed instead of trusting whatever it downloads.
 */
import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

export const LOCK_FILE = '.terraform.lock.hcl';

/** Copies `<projectDir>/.terraform.lock.hcl` into the stack folder; returns whether there was one. */
export function installLockFile(projectDir: string, stackDir: string): boolean {
  const committed = join(projectDir, LOCK_FILE);
  if (!existsSync(committed) || !existsSync(stackDir)) return false;
  copyFileSync(committed, join(stackDir, LOCK_FILE));
  return true;
}
