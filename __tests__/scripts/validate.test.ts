import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { JsonObject, TfJson } from '../../scripts/tf-json';
import { validateFolder } from '../../scripts/validate';
import { stackIn, synthFolder } from './synth';

const ROOT = resolve(__dirname, '../..');

function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(
    process.execPath,
    [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), join(ROOT, 'scripts/validate.ts'), ...args],
    {
      cwd: ROOT,
      encoding: 'utf8',
    },
  );
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Each seeded defect and the words validate must name it with. */
const DEFECTS = {
  dangling: 'no resource aws_s3_bucket.removed-bucket is declared',
  action: '"s3:GetObjectz" is not an IAM action of s3',
  star: '"*" grants every action in an Allow statement',
  schedule: '"rate(1 hours)": use the singular unit with 1',
  metric: 'ComplianceAudit FindingsBogus: no function emits this metric',
};

/** The fresh stack with one of each defect seeded into it. */
function breakStack(json: TfJson): TfJson {
  const broken = JSON.parse(JSON.stringify(json)) as {
    resource: Record<string, Record<string, JsonObject>>;
  };
  const r = broken.resource;
  const [fnName, fn] = Object.entries(r.aws_lambda_function)[0];
  const env = fn.environment as { variables: Record<string, string> };
  env.variables.BROKEN = '${aws_s3_bucket.removed-bucket.bucket}';
  r.aws_lambda_function[fnName] = fn;

  const scanner = Object.values(r.aws_iam_policy).find(
    (p) => p.name === 'compliance-scanner-us-east-1-dev',
  )!;
  const doc = JSON.parse(scanner.policy as string) as { Statement: JsonObject[] };
  (doc.Statement[0].Action as string[]).push('s3:GetObjectz');
  doc.Statement.push({ Sid: 'Everything', Effect: 'Allow', Action: '*', Resource: '*' });
  scanner.policy = JSON.stringify(doc);

  const schedule = Object.values(r.aws_cloudwatch_event_rule).find(
    (rule) => rule.schedule_expression !== undefined,
  )!;
  schedule.schedule_expression = 'rate(1 hours)';

  const dashboard = Object.values(r.aws_cloudwatch_dashboard)[0];
  const body = JSON.parse(dashboard.dashboard_body as string) as {
    widgets: { properties: { metrics: unknown[] } }[];
  };
  body.widgets[0].properties.metrics.push([
    'ComplianceAudit',
    'FindingsBogus',
    'service',
    'scanner',
  ]);
  dashboard.dashboard_body = JSON.stringify(body);
  return broken as TfJson;
}

describe('npm run validate', () => {
  let good: string;
  let bad: string;

  beforeAll(() => {
    // Arrange: a fresh synth, and a copy of it with one of each defect.
    good = synthFolder();
    bad = mkdtempSync(join(tmpdir(), 'proofs-broken-'));
    mkdirSync(join(bad, 'stacks', 'broken'), { recursive: true });
    writeFileSync(
      join(bad, 'stacks', 'broken', 'cdk.tf.json'),
      JSON.stringify(breakStack(stackIn(good).json)),
    );
  });

  it('passes on a fresh synth', async () => {
    // Act
    const lines: string[] = [];
    const result = await validateFolder(good, { terraform: false, log: (l) => lines.push(l) });

    // Assert
    expect(result.stacks.map((s) => s.problems)).toEqual([[]]);
    expect(lines.filter((l) => l.startsWith('  ✓'))).toHaveLength(6);
    expect(lines[lines.length - 1]).toMatch(
      /^\nSummary: 1 stack\(s\) checked, 0 problem\(s\) — OK/,
    );
  });

  it('fails on a broken stack and names each problem', async () => {
    // Act
    const lines: string[] = [];
    const result = await validateFolder(bad, { terraform: false, log: (l) => lines.push(l) });

    // Assert
    const messages = result.stacks.flatMap((s) =>
      s.problems.map((p) => `[${p.check}] ${p.where}: ${p.message}`),
    );
    expect(messages).toHaveLength(Object.keys(DEFECTS).length);
    for (const words of Object.values(DEFECTS))
      expect(messages.some((m) => m.includes(words))).toBe(true);
    expect(messages.find((m) => m.includes('GetObjectz'))).toMatch(
      /^\[iam\] aws_iam_policy\.\S+ \(fn-scanner\/role\/policy\) policy: statement "InventoryReadOnly"/,
    );
    expect(lines.join('\n')).toContain('5 problem(s) in 1 stack(s) — FAILED');
  });

  it('exits 1 on the broken stack, 0 on the fresh synth, 2 without stacks', () => {
    const failed = cli(bad, '--no-terraform');
    expect(failed.status).toBe(1);
    for (const words of Object.values(DEFECTS)) expect(failed.stdout).toContain(words);

    expect(cli(good, '--no-terraform').status).toBe(0);

    const empty = cli(mkdtempSync(join(tmpdir(), 'proofs-empty-')));
    expect(empty.status).toBe(2);
    expect(empty.stderr).toContain('No stacks/*/cdk.tf.json under');
  });
});

describe('npm run validate on an HCL synth (cdktf synth --hcl)', () => {
  it('says how to get the JSON back, and validates the HCL with terraform', () => {
    const folder = mkdtempSync(join(tmpdir(), 'proofs-hcl-'));
    mkdirSync(join(folder, 'stacks', 'small'), { recursive: true });
    writeFileSync(join(folder, 'stacks', 'small', 'cdk.tf'), 'output "x" {\n  value = "ok"\n}\n');

    const offline = cli(folder, '--no-terraform');
    expect(offline.status).toBe(2);
    expect(offline.stderr).toContain('cdk.tf is HCL (from `cdktf synth --hcl`)');
    expect(offline.stderr).toContain(
      'Run `npx cdktf synth` (without --hcl) to write cdk.tf.json again',
    );

    const withTerraform = cli(folder);
    expect(withTerraform.stdout).toContain(
      'run `npx cdktf synth` (without --hcl) to get cdk.tf.json back',
    );
    // 0 when terraform validated it, 2 where terraform cannot run here.
    expect([0, 2]).toContain(withTerraform.status);
    expect(withTerraform.stdout).toMatch(/stacks\/small: (terraform .* validate: valid|skipped: )/);
  }, 120_000);
});
