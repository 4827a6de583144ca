/** Release hygiene: bounded provider pins, the committed lock file reaching terraform, LICENSE = package.json. */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { installLockFile, LOCK_FILE } from '../../stacks/lock-file';
import { defaultStack } from '../helpers/stack';

const ROOT = resolve(__dirname, '..', '..');

it('pins every provider the same way: from a tested version up to the next major (the lock file pins exactly)', () => {
  const providers = defaultStack().tf.terraform.required_providers ?? {};
  expect(Object.keys(providers).sort()).toEqual(['aws', 'awscc']);
  for (const [name, p] of Object.entries(providers))
    expect([name, p.version]).toEqual([
      name,
      expect.stringMatching(/^>= \d+\.\d+\.\d+, < \d+\.0\.0$/),
    ]);
});

it('copies a committed .terraform.lock.hcl into the synthesized stack folder', () => {
  const project = mkdtempSync(join(tmpdir(), 'lock-'));
  const stackDir = join(project, 'cdktf.out', 'stacks', 'compliance-audit');
  mkdirSync(stackDir, { recursive: true });
  expect(installLockFile(project, stackDir)).toBe(false);
  writeFileSync(join(project, LOCK_FILE), '# locked\n');
  expect(installLockFile(project, stackDir)).toBe(true);
  expect(readFileSync(join(stackDir, LOCK_FILE), 'utf8')).toBe('# locked\n');
});

it('ships a LICENSE matching package.json and a CHANGELOG', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    license: string;
    version: string;
  };
  expect(pkg.license).toBe('MIT');
  expect(readFileSync(join(ROOT, 'LICENSE'), 'utf8')).toMatch(/^MIT License\n/);
  expect(readFileSync(join(ROOT, 'CHANGELOG.md'), 'utf8')).toContain(`## ${pkg.version}`);
});

it("turns off cdktf's checkpoint lookup in every npm script that runs the cdktf CLI", () => {
  const { scripts } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  const cdktf = Object.entries(scripts).filter(([, command]) => /\bcdktf /.test(command));
  expect(cdktf.map(([name]) => name).sort()).toEqual(['deploy', 'destroy', 'diff', 'synth']);
  for (const [name, command] of cdktf)
    expect([name, command]).toEqual([name, expect.stringMatching(/^CHECKPOINT_DISABLE=1 cdktf /)]);
});
