/** Organization mode in the audit stack (SCAN_SCOPE=organization): what it adds and retargets. */
import { ConfigConfigurationAggregator } from '@cdktf/provider-aws/lib/config-configuration-aggregator';
import { SfnStateMachine } from '@cdktf/provider-aws/lib/sfn-state-machine';
import { checkAlarms, checkDashboards, checkReferences } from '../../scripts/stack-checks';
import { loadStack } from '../../scripts/tf-json';
import { ORG_SCAN_STATES } from '../../stacks/org-scan-definition';
import { FUNCTION_NAMES } from '../../stacks/settings';
import {
  iamNameOf,
  policyNamed,
  ref,
  resourcesOf,
  resourceWith,
  statementsOf,
  SUFFIX,
  synthStack,
  type PolicyDocumentJson,
  type Synthesized,
} from '../helpers/stack';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ORG = {
  scanScope: 'organization' as const,
  organization: { auditAccountId: '111111111111', scanConcurrency: 7 },
};
const MACHINE = `compliance-org-scan-${SUFFIX}`;

describe('OrganizationScan', () => {
  let s: Synthesized;
  beforeAll(() => {
    s = synthStack(ORG);
  });

  it('renders a Standard state machine with logging to a KMS-encrypted log group and X-Ray', () => {
    expect(s.synth).toHaveResourceWithProperties(SfnStateMachine, {
      name: MACHINE,
      type: 'STANDARD',
      tracing_configuration: { enabled: true },
      logging_configuration: expect.objectContaining({ level: 'ERROR' }),
    });
    const machine = resourceWith(s.tf, 'aws_sfn_state_machine', 'name', MACHINE);
    const group = resourceWith(
      s.tf,
      'aws_cloudwatch_log_group',
      'name',
      `/aws/vendedlogs/states/${MACHINE}`,
    );
    expect(group.config.kms_key_id).toMatch(/^\$\{aws_kms_key\./);
    expect(
      (machine.config.logging_configuration as { log_destination: string }).log_destination,
    ).toBe(`${ref('aws_cloudwatch_log_group', group, 'arn')}:*`);
    // The logs key lets CloudWatch Logs use it for exactly this group (and the three functions').
    const logsKey = resourcesOf(s.tf, 'aws_kms_key').find((k) =>
      String(k.config.policy).includes(`log-group:/aws/vendedlogs/states/${MACHINE}`),
    );
    expect(logsKey).toBeDefined();
    for (const fn of ['org-accounts', 'org-shard', 'org-merge'])
      expect(String(logsKey!.config.policy)).toContain(`log-group:/aws/lambda/${fn}-${SUFFIX}`);
  });

  it('renders the definition with the three task functions, the audit bucket and the settings', () => {
    const machine = resourceWith(s.tf, 'aws_sfn_state_machine', 'name', MACHINE);
    const definition = JSON.parse(machine.config.definition as string) as {
      States: Record<string, Record<string, unknown>>;
    };
    const fnArn = (name: string) =>
      ref(
        'aws_lambda_function',
        resourceWith(s.tf, 'aws_lambda_function', 'function_name', `${name}-${SUFFIX}`),
        'arn',
      );
    const S = ORG_SCAN_STATES;
    expect(definition.States[S.listAccounts]!.Parameters).toMatchObject({
      FunctionName: fnArn('org-accounts'),
    });
    expect(definition.States[S.mergeScan]!.Parameters).toMatchObject({
      FunctionName: fnArn('org-merge'),
    });
    const map = definition.States[S.scanShards]!;
    expect(map).toMatchObject({ MaxConcurrency: 7, ToleratedFailurePercentage: 25 });
    expect(JSON.stringify(map)).toContain(fnArn('org-shard'));
    const bucket = ref('aws_s3_bucket', resourcesOf(s.tf, 'aws_s3_bucket')[0]!, 'bucket');
    expect(map.ItemReader).toMatchObject({ Parameters: { Bucket: bucket } });
  });

  it('gives org-shard the reserved concurrency the map runs at; the other tasks one', () => {
    const reserved = (name: string) =>
      resourceWith(s.tf, 'aws_lambda_function', 'function_name', `${name}-${SUFFIX}`).config
        .reserved_concurrent_executions;
    expect(reserved('org-shard')).toBe(7);
    expect(reserved('org-accounts')).toBe(1);
    expect(reserved('org-merge')).toBe(1);
  });

  it('keeps the X-Ray SDK out of the functions that make thousands of AWS calls, traced per invocation still', () => {
    const fn = (name: string) =>
      resourceWith(s.tf, 'aws_lambda_function', 'function_name', `${name}-${SUFFIX}`).config as {
        environment: { variables: Record<string, string> };
        tracing_config: { mode: string };
      };
    for (const name of ['scanner', 'org-shard', 'org-accounts', 'org-merge', 'alert-notifier'])
      expect(fn(name).tracing_config).toEqual({ mode: 'Active' });
    for (const name of ['scanner', 'org-shard'])
      expect(fn(name).environment.variables.POWERTOOLS_TRACE_ENABLED).toBe('false');
    // The rest keep per-call subsegments (org-merge runs with the scanner's settings).
    for (const name of ['org-accounts', 'alert-notifier', 'remediation', 'json-report'])
      expect(fn(name).environment.variables.POWERTOOLS_TRACE_ENABLED).toBeUndefined();
  });

  it('lets the state machine start only its own executions and manage only its map children', () => {
    const statements = policyNamed(s.tf, iamNameOf('org-scan'));
    const sid = (id: string) => statements.find((x) => x.Sid === id)!;
    expect(sid('RunMapChildren')).toMatchObject({ Action: 'states:StartExecution' });
    expect(String(sid('RunMapChildren').Resource)).toMatch(new RegExp(`:stateMachine:${MACHINE}$`));
    expect(String(sid('ManageMapChildren').Resource)).toMatch(
      new RegExp(`:execution:${MACHINE}/${ORG_SCAN_STATES.scanShards}:\\*$`),
    );
    expect(sid('InvokeTasks').Resource).toHaveLength(3);
    const role = resourceWith(s.tf, 'aws_iam_role', 'name', iamNameOf('org-scan'));
    const trust = statementsOf(
      JSON.parse(role.config.assume_role_policy as string) as PolicyDocumentJson,
    );
    expect(trust).toEqual([
      expect.objectContaining({
        Principal: { Service: 'states.amazonaws.com' },
        Condition: expect.objectContaining({
          StringEquals: expect.anything(),
          ArnLike: expect.anything(),
        }),
      }),
    ]);
  });

  it('lets org-shard assume only the member role, only in its own organization', () => {
    const shard = policyNamed(s.tf, iamNameOf('org-shard')).find(
      (x) => x.Sid === 'AssumeMemberRoles',
    )!;
    expect(shard).toMatchObject({
      Action: 'sts:AssumeRole',
      Condition: { StringEquals: { 'aws:ResourceOrgID': '$${aws:PrincipalOrgID}' } },
    });
    expect(String(shard.Resource)).toMatch(/:iam::\*:role\/compliance-audit-member-test$/);
  });

  it('starts scans on the state machine: the schedule and Scan Request rules target it with a role', () => {
    const machine = resourceWith(s.tf, 'aws_sfn_state_machine', 'name', MACHINE);
    const startRole = resourceWith(s.tf, 'aws_iam_role', 'name', iamNameOf('org-scan-start'));
    for (const rule of ['scan-schedule', 'scan-request']) {
      const r = resourceWith(
        s.tf,
        'aws_cloudwatch_event_rule',
        'name',
        `compliance-${rule}-${SUFFIX}`,
      );
      const targets = resourcesOf(s.tf, 'aws_cloudwatch_event_target').filter(
        (t) => t.config.rule === ref('aws_cloudwatch_event_rule', r, 'name'),
      );
      expect(targets.map((t) => t.config)).toEqual([
        expect.objectContaining({
          arn: ref('aws_sfn_state_machine', machine, 'arn'),
          role_arn: ref('aws_iam_role', startRole, 'arn'),
          dead_letter_config: expect.anything(),
          retry_policy: expect.anything(),
        }),
      ]);
    }
    expect(policyNamed(s.tf, iamNameOf('org-scan-start'))).toEqual([
      expect.objectContaining({ Action: 'states:StartExecution' }),
    ]);
  });

  it('alarms on failed and timed-out executions, and on errors of the three tasks', () => {
    const names = resourcesOf(s.tf, 'aws_cloudwatch_metric_alarm').map((a) => a.config.alarm_name);
    expect(names).toEqual(
      expect.arrayContaining([
        `compliance-org-scan-failed-${SUFFIX}`,
        `compliance-org-scan-timedout-${SUFFIX}`,
        `compliance-org-accounts-errors-${SUFFIX}`,
        `compliance-org-shard-errors-${SUFFIX}`,
        `compliance-org-merge-errors-${SUFFIX}`,
      ]),
    );
  });

  it('expires the scans’ working objects after a week', () => {
    const lifecycle = resourcesOf(s.tf, 'aws_s3_bucket_lifecycle_configuration')[0]!;
    expect(lifecycle.config.rule).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          id: 'expire-org-scans',
          filter: [{ prefix: 'org-scans/' }],
          expiration: [{ days: 7 }],
        }),
      ]),
    );
  });

  it('passes the offline checks: references resolve, dashboard and alarms name real metrics', () => {
    const dir = mkdtempSync(join(tmpdir(), 'org-stack-'));
    writeFileSync(join(dir, 'cdk.tf.json'), s.synth);
    const stack = loadStack(join(dir, 'cdk.tf.json'));
    expect([...checkReferences(stack), ...checkDashboards(stack), ...checkAlarms(stack)]).toEqual(
      [],
    );
    const dashboard = JSON.parse(
      String(resourcesOf(s.tf, 'aws_cloudwatch_dashboard')[0]!.config.dashboard_body),
    ) as { widgets: { type: string; properties: { query?: string } }[] };
    const table = dashboard.widgets.find((w) => w.type === 'log')!;
    expect(table.properties.query).toContain(`SOURCE '/aws/lambda/org-merge-${SUFFIX}'`);
  });

  it('changes nothing in account mode', () => {
    const account = synthStack().tf;
    expect(resourcesOf(account, 'aws_sfn_state_machine')).toEqual([]);
    expect(resourcesOf(account, 'aws_lambda_function')).toHaveLength(FUNCTION_NAMES.length);
  });
});

describe('OrganizationScan with ORG_REMEDIATION=members', () => {
  let s: Synthesized;
  beforeAll(() => {
    s = synthStack({ ...ORG, organization: { ...ORG.organization, remediation: 'members' } });
  });

  it('lets remediation assume only the member remediation role, only in its own organization', () => {
    const statements = policyNamed(s.tf, iamNameOf('remediation'));
    const assume = statements.find((x) => x.Sid === 'AssumeMemberRemediationRoles')!;
    expect(assume).toMatchObject({
      Action: 'sts:AssumeRole',
      Condition: { StringEquals: { 'aws:ResourceOrgID': '$${aws:PrincipalOrgID}' } },
    });
    expect(String(assume.Resource)).toMatch(
      new RegExp(`:iam::\\*:role/compliance-audit-remediation-${SUFFIX}$`),
    );
    // The read-only member role stays org-shard's alone.
    expect(JSON.stringify(statements)).not.toContain('compliance-audit-member-');
  });

  it('tells remediation the member role, key alias and external id the members stack uses', () => {
    const fn = resourceWith(s.tf, 'aws_lambda_function', 'function_name', `remediation-${SUFFIX}`);
    expect(
      (fn.config.environment as { variables: Record<string, string> }).variables,
    ).toMatchObject({
      ORG_REMEDIATION_ROLE_NAME: `compliance-audit-remediation-${SUFFIX}`,
      ORG_REMEDIATION_KEY_ALIAS: `alias/compliance-audit-remediation-${SUFFIX}`,
      ORG_EXTERNAL_ID: `compliance-audit-${SUFFIX}`,
      // Exempt: the organization's management account has no remediation role.
      ORG_MANAGEMENT_ACCOUNT_ID:
        '${data.aws_organizations_organization.organization-data.master_account_id}',
    });
  });

  it('gives the in-VPC remediation function a private STS endpoint', () => {
    const services = resourcesOf(s.tf, 'aws_vpc_endpoint').map((e) =>
      String(e.config.service_name),
    );
    expect(services).toContain('com.amazonaws.us-east-1.sts');
    const withoutMembers = resourcesOf(synthStack(ORG).tf, 'aws_vpc_endpoint').map((e) =>
      String(e.config.service_name),
    );
    expect(withoutMembers).not.toContain('com.amazonaws.us-east-1.sts');
  });
});

describe('ConfigAggregator (ORG_CONFIG_AGGREGATOR=true)', () => {
  it('aggregates every account and region of the organization with a Config-only role', () => {
    const { synth, tf } = synthStack({
      ...ORG,
      organization: { ...ORG.organization, configAggregator: true },
    });
    const role = resourceWith(tf, 'aws_iam_role', 'name', iamNameOf('config-aggregator'));
    expect(synth).toHaveResourceWithProperties(ConfigConfigurationAggregator, {
      name: `compliance-organization-${SUFFIX}`,
      organization_aggregation_source: {
        all_regions: true,
        role_arn: ref('aws_iam_role', role, 'arn'),
      },
    });
    expect(JSON.parse(String(role.config.assume_role_policy)).Statement).toEqual([
      {
        Effect: 'Allow',
        Principal: { Service: 'config.amazonaws.com' },
        Action: 'sts:AssumeRole',
      },
    ]);
    // The AWS managed policy only: no policy of its own, no inline policy.
    const attachments = resourcesOf(tf, 'aws_iam_role_policy_attachments_exclusive').find(
      (a) => a.config.role_name === ref('aws_iam_role', role, 'name'),
    )!;
    expect(attachments.config.policy_arns).toEqual([
      expect.stringMatching(/:iam::aws:policy\/service-role\/AWSConfigRoleForOrganizations$/),
    ]);
  });

  it('is absent unless asked for', () => {
    expect(resourcesOf(synthStack(ORG).tf, 'aws_config_configuration_aggregator')).toEqual([]);
  });
});
