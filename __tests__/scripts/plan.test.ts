/**
 * `npm run plan` as a command: what it says without a synth. The offline plans themselves (and the
 * plan.json and review.md it writes) are exercised for every settings variant in __tests__/terraform.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');

it('exits 2 and says to synthesize first when the folder holds no stack', () => {
  const folder = mkdtempSync(join(tmpdir(), 'plan-empty-'));
  const r = spawnSync(
    process.execPath,
    [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), join(ROOT, 'scripts/plan.ts'), folder],
    { cwd: ROOT, encoding: 'utf8' },
  );
  expect(r.status).toBe(2);
  expect(r.stderr).toContain(
    `No synthesized stack under ${folder}: run \`npx cdktf synth\` first, or pass the synth folder.`,
  );
});
