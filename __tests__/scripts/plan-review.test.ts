/**
 * The review of a real plan: what changes and what is dangerous, from a hand-made plan with a
 * replace, destroys, updates and IAM widening (fixtures/plans/update-replace-destroy.json); the
 * terraform tests render the same section from offline plans of every settings variant.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  actionOf,
  changesSection,
  concurrencyChange,
  dangerousChanges,
  plannedChanges,
  policyWidening,
} from '../../scripts/plan-review';
import type { PlanJson } from '../../scripts/offline-terraform';
import { loadPlan, parseArgs } from '../../scripts/review';
import { synthFolder } from './synth';

const ROOT = resolve(__dirname, '../..');
const FIXTURE = join(ROOT, '__tests__/fixtures/plans/update-replace-destroy.json');
const plan = JSON.parse(readFileSync(FIXTURE, 'utf8')) as PlanJson;

const doc = (...statements: object[]): string =>
  JSON.stringify({ Version: '2012-10-17', Statement: statements });

function review(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(
    process.execPath,
    [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), join(ROOT, 'scripts/review.ts'), ...args],
    { cwd: ROOT, encoding: 'utf8' },
  );
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('what a plan changes', () => {
  it('reads Terraform actions as create / update / replace / destroy', () => {
    expect(actionOf(['create'])).toBe('create');
    expect(actionOf(['update'])).toBe('update');
    expect(actionOf(['delete', 'create'])).toBe('replace');
    expect(actionOf(['create', 'delete'])).toBe('replace');
    expect(actionOf(['delete'])).toBe('destroy');
    expect(actionOf(['no-op'])).toBeUndefined();
  });

  it('lists every change with the attributes that force a replacement', () => {
    const changes = plannedChanges(plan);
    expect(changes.find((c) => c.type === 'aws_s3_bucket')).toEqual({
      address: 'aws_s3_bucket.audit-storage_bucket_C3E610C2',
      type: 'aws_s3_bucket',
      action: 'replace',
      replacedBy: ['bucket'],
      changed: ['arn', 'bucket', 'id'],
    });
    expect(changes.find((c) => c.type === 'aws_lambda_function')?.changed).toEqual([
      'reserved_concurrent_executions',
    ]);
    expect(changes.map((c) => c.address)).not.toContain('aws_sns_topic.alerts_topic_88888888');
  });

  it('flags destroy or replace of the audit bucket, KMS keys, the recorder and its channel, and IAM widening', () => {
    expect(dangerousChanges(plan).map((d) => `${d.address}: ${d.why}`)).toEqual([
      'aws_s3_bucket.audit-storage_bucket_C3E610C2: **replace** of the audit bucket (findings, reports, remediation records, Config history) — forced by `bucket`',
      'aws_kms_key.keys_data_488379EE: **destroy** of a KMS key (scheduled for deletion; what it encrypted is unreadable once the window ends)',
      'aws_config_configuration_recorder.config-recording_recorder_1A2B3C4D: **replace** of the AWS Config recorder (recording stops) — forced by `name`',
      'aws_config_delivery_channel.config-recording_delivery-channel_5E6F7A8B: **destroy** of the AWS Config delivery channel (history stops being delivered)',
      'aws_iam_policy.fn-scanner_role_policy_11111111: IAM widened: new actions: s3:DeleteObject',
      'aws_iam_policy.fn-scanner_role_policy_11111111: IAM widened: s3:GetObject on new resources: arn:aws:s3:::compliance-audit-dev-123456789012/*',
      'aws_iam_policy.fn-scanner_role_policy_11111111: IAM widened: conditions of PublishAuditEvents changed or removed',
      'aws_s3_bucket_policy.audit-storage_policy_33333333: IAM widened: Deny statement DenyInsecureTransport removed or changed',
      'aws_iam_role_policy_attachments_exclusive.fn-scanner_role_attachments_44444444: IAM widened: attaches arn:aws:iam::aws:policy/AdministratorAccess',
      'aws_iam_role.fn-alert-notifier_role_role_55555555: IAM: `assume_role_policy` is known only after apply; compare it by hand',
    ]);
  });

  it('does not flag a policy that only narrows', () => {
    expect(dangerousChanges(plan).filter((d) => d.address.includes('fn-json-report'))).toEqual([]);
    const s3 = { Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: '*' };
    expect(policyWidening(doc(s3), doc({ ...s3, Action: 's3:GetObject' }))).toEqual([]);
    expect(policyWidening(doc(s3), doc(s3))).toEqual([]);
  });

  it('compares resource policies per principal', () => {
    const config = {
      Effect: 'Allow',
      Principal: { Service: 'config.amazonaws.com' },
      Action: 's3:PutObject',
      Resource: 'arn:aws:s3:::b/config/*',
    };
    expect(policyWidening(doc(config), doc({ ...config, Principal: { AWS: '*' } }))).toEqual([
      'new actions: s3:PutObject to AWS:*',
    ]);
  });

  it('counts the reserved concurrency the apply adds', () => {
    expect(concurrencyChange(plan)).toEqual({ total: 5, delta: 4 });
  });

  it('renders the section: counts, dangerous changes first, the quota check, then every change', () => {
    const md = changesSection(plan, { source: 'plan.json', region: 'us-east-1' }).join('\n');
    expect(md).toContain('**1 to create, 7 to update, 2 to replace, 2 to destroy**');
    expect(md.indexOf('### Dangerous changes')).toBeLessThan(
      md.indexOf('### Changes to existing resources'),
    );
    expect(md).toContain('- `aws_kms_key.keys_data_488379EE`: **destroy** of a KMS key');
    expect(md).toContain('`UnreservedConcurrentExecutions - 4 >= 100` in us-east-1');
    expect(md).toContain(
      '| **replace** | `aws_s3_bucket.audit-storage_bucket_C3E610C2` | `bucket` | `arn`, `bucket`, `id` |',
    );
    expect(md).toContain(
      '| update | `aws_cloudwatch_metric_alarm.alarms_missed-scans_66666666` | — | `treat_missing_data` |',
    );
    // Destroys and replacements come before updates.
    expect(md.indexOf('| **destroy** |')).toBeLessThan(md.indexOf('| update |'));
    expect(md).toContain('| aws_sqs_queue | 1 | `failures_queue_77777777` |');
  });
});

describe('npm run review -- --plan plan.json', () => {
  it('leads with what changes, before the sections of the synthesized stack', () => {
    const folder = synthFolder();
    const r = review(folder, '--plan', FIXTURE);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const md = readFileSync(join(folder, 'review.md'), 'utf8');
    const order = [
      '## What changes',
      '### Dangerous changes',
      '## Deploy traps',
      '## IAM',
      '## Cost',
    ].map((h) => md.indexOf(h));
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(md).toContain('`prevent_destroy` is **off** (RETAIN_AUDIT_DATA=false)');
  });

  it('reviews the plan alone when there is no JSON synth, and says how to get it', () => {
    const folder = mkdtempSync(join(tmpdir(), 'review-hcl-'));
    mkdirSync(join(folder, 'stacks', 'compliance-audit'), { recursive: true });
    writeFileSync(join(folder, 'stacks', 'compliance-audit', 'cdk.tf'), '# hcl\n');
    expect(review(folder, `--plan=${FIXTURE}`).status).toBe(0);
    const md = readFileSync(join(folder, 'review.md'), 'utf8');
    expect(md).toContain('holds an HCL synth; run `npx cdktf synth` (without --hcl)');
    expect(md).toContain('## What changes');

    const noPlan = review(folder);
    expect(noPlan.status).toBe(2);
    expect(noPlan.stderr).toContain(
      'cdk.tf is HCL (from `cdktf synth --hcl`); npm run review reads the JSON synth. Run `npx cdktf synth` (without --hcl)',
    );
  });

  it('refuses a file that is not a plan, saying how to make one', () => {
    const bad = join(mkdtempSync(join(tmpdir(), 'review-bad-')), 'plan.json');
    writeFileSync(bad, '{"resource": {}}');
    expect(() => loadPlan(bad)).toThrow('is not `terraform show -json` output of a plan');
    const r = review(synthFolder(), '--plan', bad);
    expect(r.status).toBe(2);
    expect(() => parseArgs(['--plan'])).toThrow('--plan needs a file');
    expect(parseArgs(['out', '--plan', 'p.json'])).toEqual({ folder: 'out', plan: 'p.json' });
  });
});
