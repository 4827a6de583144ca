import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { estimateCost, HOURS_PER_MONTH, PRICES } from '../../scripts/cost';
import { renderReview } from '../../scripts/review';
import { runsPerMonth, stackFacts } from '../../scripts/stack-facts';
import { stackIn, synthFolder } from './synth';

const ROOT = resolve(__dirname, '../..');

/** The body of one `## ` section. */
function section(md: string, heading: string): string {
  const start = md.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`no section ## ${heading}`);
  const end = md.indexOf('\n## ', start + 4);
  return md.slice(start, end < 0 ? undefined : end);
}

describe('npm run review', () => {
  let defaults: string;
  let variant: string;
  beforeAll(() => {
    defaults = synthFolder();
    variant = synthFolder({
      NETWORK_EGRESS: 'nat',
      RETAIN_AUDIT_DATA: 'true',
      CONFIG_RECORDER_MODE: 'existing',
      ALERT_EMAILS: 'sec@example.com',
    });
  });

  it('writes <folder>/review.md and says where', () => {
    const r = spawnSync(
      process.execPath,
      [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), join(ROOT, 'scripts/review.ts'), defaults],
      { cwd: ROOT, encoding: 'utf8' },
    );
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(`Plan review written to ${join(defaults, 'review.md')}`);
    expect(existsSync(join(defaults, 'review.md'))).toBe(true);
  });

  it('has the sections platform teams review', () => {
    const md = renderReview(stackIn(defaults), 'cdk.tf.json');
    for (const heading of ['Deploy traps', 'Resources', 'IAM', 'Network', 'Encryption', 'Cost'])
      expect(() => section(md, heading)).not.toThrow();
  });

  it('surfaces the deploy traps at default settings', () => {
    const traps = section(renderReview(stackIn(defaults), 'x'), 'Deploy traps');
    expect(traps).toContain('reserve 15 concurrent executions');
    expect(traps).toContain('must be at least 115');
    expect(traps).toContain('New accounts may start at 10');
    expect(traps).toContain('`force_destroy = true`');
    expect(traps).toContain('RETAIN_AUDIT_DATA=true');
    expect(traps).toContain('decided at plan time (CONFIG_RECORDER_MODE=auto)');
  });

  it('describes IAM per role, network exposure and the encryption map', () => {
    const md = renderReview(stackIn(defaults), 'x');
    const iam = section(md, 'IAM');
    expect(iam).toContain('### compliance-scanner-us-east-1-dev');
    expect(iam).toContain('`service-role/AWSLambdaBasicExecutionRole`');
    expect(iam).toContain('`s3:GetBucketOwnershipControls`');
    expect(iam).toContain('inline policies: 0');
    const network = section(md, 'Network');
    expect(network).toContain('**no route to the internet**');
    expect(network).toContain('**no rules (closed)**');
    expect(network).toContain('No rule admits traffic from the internet.');
    expect(network).toMatch(/\| scanner-dev \| \*\*no\*\*/);
    expect(network).toMatch(/\| json-report-dev \| yes \|/);
    const encryption = section(md, 'Encryption');
    expect(encryption).toMatch(
      /`alias\/compliance-messaging-dev` \| SNS alert topic and the failure queue .*sns_topic compliance-alerts-dev \(kms_master_key_id\).*sqs_queue compliance-failures-dev/,
    );
    expect(encryption).toMatch(
      /`alias\/compliance-logs-dev` .*cloudwatch_log_group \/aws\/lambda\/scanner-dev \(kms_key_id\)/,
    );
  });

  it('follows the settings: NAT egress, retained data, existing recorder, e-mail subscriptions', () => {
    const md = renderReview(stackIn(variant), 'x');
    const traps = section(md, 'Deploy traps');
    expect(traps).toContain('**Audit data is retained: `cdktf destroy` stops.**');
    expect(traps).toContain('not managed (CONFIG_RECORDER_MODE=existing)');
    expect(traps).toContain('1 e-mail subscription(s) stay "pending confirmation"');
    expect(section(md, 'Network')).toContain('**NAT gateway**');
    expect(section(md, 'Network')).toMatch(/\| scanner-dev \| yes \|/);
    const cost = section(md, 'Cost');
    expect(cost).toContain('| NAT gateway | 1 × 730 h |');
    expect(cost).not.toContain('Interface endpoints (');
    expect(cost).not.toContain('| AWS Config configuration items recorded');
  });
});

describe('cost estimate', () => {
  it('counts scheduled runs', () => {
    expect(runsPerMonth('rate(6 hours)')).toBe(120);
    expect(runsPerMonth('rate(1 day)')).toBe(30);
    expect(runsPerMonth('cron(0 */12 * * ? *)')).toBe(60);
    expect(runsPerMonth('not a schedule')).toBe(0);
  });

  it('prices endpoints per AZ-hour, keys, alarms and the dashboard from the stack', () => {
    const facts = stackFacts(stackIn(synthFolder()));
    const estimate = estimateCost(facts);
    const line = (prefix: string): number =>
      estimate.lines.find((l) => l.item.startsWith(prefix))!.monthly;
    const azs = facts.interfaceEndpoints.reduce((n, e) => n + e.azs, 0);
    expect(azs).toBe(facts.interfaceEndpoints.length * 2);
    expect(line('Interface endpoints (')).toBeCloseTo(
      azs * HOURS_PER_MONTH * PRICES.interfaceEndpointAzHour,
      6,
    );
    expect(line('KMS customer-managed keys')).toBe(facts.kmsKeys * PRICES.kmsKeyMonth);
    expect(line('CloudWatch alarms')).toBeCloseTo(facts.alarms * PRICES.alarmMonth, 6);
    expect(line('CloudWatch dashboard')).toBe(PRICES.dashboardMonth);
    expect(estimate.total).toBeCloseTo(
      estimate.lines.reduce((n, l) => n + l.monthly, 0),
      6,
    );
    expect(estimate.scansPerMonth).toBe(120 + estimate.assumptions.onDemandScansPerMonth);
  });
});

it('docs/permissions.md is generated from the current manifest', () => {
  const r = spawnSync(
    process.execPath,
    [
      join(ROOT, 'node_modules/tsx/dist/cli.mjs'),
      join(ROOT, 'scripts/permissions-doc.ts'),
      '--check',
    ],
    { cwd: ROOT, encoding: 'utf8' },
  );
  expect(`${r.stdout}${r.stderr}`.trim()).toMatch(/is current$/);
  expect(r.status).toBe(0);
  expect(readFileSync(join(ROOT, 'docs', 'permissions.md'), 'utf8')).toContain('## scanner');
});
