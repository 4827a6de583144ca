/**
 * `npm run lock`: records the checksums of the pinned providers for every platform the team
 * deploys from, into `.terraform.lock.hcl` at the project root (commit it). Needs the provider
 * registry; run after `npx cdktf synth` and whenever a release changes a provider pin. Each synth
 * then copies the file into the stack folder (stacks/lock-file.ts).
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { LOCK_FILE } from '../stacks/lock-file';
import { findStackFiles } from './tf-json';

const PLATFORMS = ['linux_amd64', 'linux_arm64', 'darwin_amd64', 'darwin_arm64', 'windows_amd64'];

const folder = process.argv.slice(2).find((a) => !a.startsWith('--')) ?? 'cdktf.out';
const files = findStackFiles(folder);
if (files.length !== 1) {
  console.error(`Expected one synthesized stack under ${folder}: run \`npx cdktf synth\` first.`);
  process.exitCode = 2;
} else {
  const stackDir = dirname(files[0]);
  const r = spawnSync(
    'terraform',
    ['providers', 'lock', ...PLATFORMS.map((p) => `-platform=${p}`)],
    { cwd: stackDir, stdio: 'inherit', env: { ...process.env, CHECKPOINT_DISABLE: '1' } },
  );
  if (r.status === 0) {
    const target = join(resolve(__dirname, '..'), LOCK_FILE);
    copyFileSync(join(stackDir, LOCK_FILE), target);
    console.log(`Wrote ${target}: commit it.`);
  } else process.exitCode = r.status ?? 1;
}
