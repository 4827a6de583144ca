import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { SqsQueuePolicy } from '@cdktf/provider-aws/lib/sqs-queue-policy';
import { MANAGED_RULES, CUSTOM_RULES } from '../../stacks/config-rules';
import type { FunctionName } from '../../stacks/settings';
import {
  ref,
  resourcesOf,
  resourceWith,
  statementsOf,
  SUFFIX,
  synthStack,
  type Found,
  type PolicyDocumentJson,
  type TerraformJson,
} from '../helpers/stack';

/** Rule (without prefix and suffix) → the functions it invokes (DESIGN §6). */
const WIRING: Record<string, FunctionName[]> = {
  'scan-schedule': ['scanner'],
  'scan-request': ['scanner'],
  'scan-completed': [
    'json-report',
    'csv-report',
    'alert-notifier',
    'remediation',
    'findings-export',
  ],
  'config-noncompliant': ['alert-notifier'],
  'remediation-trigger': ['remediation'],
  'remediation-results': ['alert-notifier'],
};

const ruleOf = (tf: TerraformJson, rule: string): Found =>
  resourceWith(tf, 'aws_cloudwatch_event_rule', 'name', `compliance-${rule}-${SUFFIX}`);
const patternOf = (tf: TerraformJson, rule: string): unknown =>
  JSON.parse(ruleOf(tf, rule).config.event_pattern as string);
const fnOf = (tf: TerraformJson, name: FunctionName): Found =>
  resourceWith(tf, 'aws_lambda_function', 'function_name', `${name}-${SUFFIX}`);

describe('EventWiring', () => {
  let synth: string;
  let tf: TerraformJson;
  beforeAll(() => {
    ({ synth, tf } = synthStack());
  });

  it('renders the scan schedule from SCAN_SCHEDULE', () => {
    expect(synth).toHaveResourceWithProperties(CloudwatchEventRule, {
      name: `compliance-scan-schedule-${SUFFIX}`,
      schedule_expression: 'rate(6 hours)',
      state: 'ENABLED',
    });
    expect(synthStack({ scanSchedule: 'cron(0 2 * * ? *)' }).synth).toHaveResourceWithProperties(
      CloudwatchEventRule,
      {
        name: `compliance-scan-schedule-${SUFFIX}`,
        schedule_expression: 'cron(0 2 * * ? *)',
      },
    );
  });

  it('renders the on-demand, scan-completed and remediation-results patterns of DESIGN §6', () => {
    expect(patternOf(tf, 'scan-request')).toEqual({
      source: ['compliance.audit'],
      'detail-type': ['Compliance Scan Request'],
    });
    expect(patternOf(tf, 'scan-completed')).toEqual({
      source: ['compliance.audit'],
      'detail-type': ['Compliance Scan Completed'],
    });
    expect(patternOf(tf, 'remediation-results')).toEqual({
      source: ['compliance.audit'],
      'detail-type': ['Compliance Remediation Completed'],
    });
  });

  it("renders NON_COMPLIANT Config changes filtered to this stack's rules", () => {
    const ruleNames = [...Object.keys(MANAGED_RULES), ...Object.keys(CUSTOM_RULES)].map(
      (r) => `compliance-${r}-${SUFFIX}`,
    );
    expect(patternOf(tf, 'config-noncompliant')).toEqual({
      source: ['aws.config'],
      'detail-type': ['Config Rules Compliance Change'],
      detail: {
        configRuleName: ruleNames,
        newEvaluationResult: { complianceType: ['NON_COMPLIANT'] },
      },
    });
    // Every rule the filter names exists in the stack.
    expect(
      resourcesOf(tf, 'aws_config_config_rule')
        .map((r) => r.config.name)
        .sort(),
    ).toEqual([...ruleNames].sort());
  });

  it('renders remediation triggered by the custom S3 encryption rule only, for buckets only', () => {
    // The managed S3_DEFAULT_ENCRYPTION_KMS rule is S3.17's verdict: aws/s3 passes it, and the
    // fixer must not be sent buckets it passes.
    expect(patternOf(tf, 'remediation-trigger')).toEqual({
      source: ['aws.config'],
      'detail-type': ['Config Rules Compliance Change'],
      detail: {
        configRuleName: [`compliance-s3-encryption-${SUFFIX}`],
        newEvaluationResult: { complianceType: ['NON_COMPLIANT'] },
        resourceType: ['AWS::S3::Bucket'],
      },
    });
  });

  it.each(
    Object.entries(WIRING).flatMap(([rule, targets]) => targets.map((t) => [rule, t] as const)),
  )(
    'renders %s invoking %s with retries, a dead-letter queue and a permission scoped to the rule',
    (rule, target) => {
      // GIVEN
      const eventRule = ruleOf(tf, rule);
      const fn = fnOf(tf, target);
      const queue = resourcesOf(tf, 'aws_sqs_queue')[0];

      // THEN
      expect(synth).toHaveResourceWithProperties(CloudwatchEventTarget, {
        rule: ref('aws_cloudwatch_event_rule', eventRule, 'name'),
        target_id: target,
        arn: ref('aws_lambda_function', fn, 'arn'),
        retry_policy: { maximum_event_age_in_seconds: 3600, maximum_retry_attempts: 8 },
        dead_letter_config: { arn: ref('aws_sqs_queue', queue, 'arn') },
      });
      expect(synth).toHaveResourceWithProperties(LambdaPermission, {
        action: 'lambda:InvokeFunction',
        function_name: ref('aws_lambda_function', fn, 'function_name'),
        principal: 'events.amazonaws.com',
        source_arn: ref('aws_cloudwatch_event_rule', eventRule, 'arn'),
      });
    },
  );

  it('renders no other rule, target or EventBridge permission', () => {
    expect(resourcesOf(tf, 'aws_cloudwatch_event_rule')).toHaveLength(Object.keys(WIRING).length);
    const pairs = Object.values(WIRING).flat().length;
    expect(resourcesOf(tf, 'aws_cloudwatch_event_target')).toHaveLength(pairs);
    const fromEvents = resourcesOf(tf, 'aws_lambda_permission').filter(
      (p) => p.config.principal === 'events.amazonaws.com',
    );
    expect(fromEvents).toHaveLength(pairs);
    for (const permission of fromEvents) {
      expect(permission.config.source_arn).toMatch(/^\$\{aws_cloudwatch_event_rule\..+\.arn\}$/);
    }
  });

  it('renders the failure queue encrypted, accepting dead letters from these rules only', () => {
    // GIVEN
    const queue = resourcesOf(tf, 'aws_sqs_queue')[0];
    const messagingKey = resourcesOf(tf, 'aws_kms_key').find((k) =>
      k.id.startsWith('keys_messaging_'),
    )!;
    const policy = resourcesOf(tf, 'aws_sqs_queue_policy')[0];

    // THEN
    expect(synth).toHaveResourceWithProperties(SqsQueue, {
      name: `compliance-failures-${SUFFIX}`,
      kms_master_key_id: ref('aws_kms_key', messagingKey, 'arn'),
      message_retention_seconds: 14 * 86400,
    });
    expect(synth).toHaveResourceWithProperties(SqsQueuePolicy, {
      queue_url: ref('aws_sqs_queue', queue, 'url'),
    });
    expect(
      statementsOf(JSON.parse(policy.config.policy as string) as PolicyDocumentJson),
    ).toContainEqual({
      Sid: 'EventBridgeDeadLetters',
      Effect: 'Allow',
      Principal: { Service: 'events.amazonaws.com' },
      Action: 'sqs:SendMessage',
      Resource: ref('aws_sqs_queue', queue, 'arn'),
      Condition: {
        ArnEquals: {
          'aws:SourceArn': Object.keys(WIRING).map((r) =>
            ref('aws_cloudwatch_event_rule', ruleOf(tf, r), 'arn'),
          ),
        },
      },
    });
  });
});
