import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { METRICS_NAMESPACE } from '../../lambdas/shared/env-names';
import { SCANNER_METRICS } from '../../lambdas/shared/metric-names';
import type { AuditFunction } from '../../stacks/audit-function';
import { Alarms } from '../../stacks/alerting';
import { FUNCTION_NAMES, type FunctionName } from '../../stacks/settings';
import {
  ref,
  resourcesOf,
  resourceWith,
  statementsOf,
  SUFFIX,
  synthScope,
  synthStack,
  testEnvironment,
  type Found,
  type PolicyDocumentJson,
  type TerraformJson,
} from '../helpers/stack';

const topicOf = (tf: TerraformJson): Found => resourcesOf(tf, 'aws_sns_topic')[0];
const missedScans = (tf: TerraformJson): Found =>
  resourceWith(
    tf,
    'aws_cloudwatch_metric_alarm',
    'alarm_name',
    `compliance-missed-scans-${SUFFIX}`,
  );

describe('AlertTopic', () => {
  let synth: string;
  let tf: TerraformJson;
  beforeAll(() => {
    ({ synth, tf } = synthStack({ alertEmails: ['secops@example.com', 'oncall@example.org'] }));
  });

  it('renders compliance-alerts-<suffix> encrypted with the messaging key', () => {
    const messagingKey = resourcesOf(tf, 'aws_kms_key').find((k) =>
      k.id.startsWith('keys_messaging_'),
    )!;
    expect(synth).toHaveResourceWithProperties(SnsTopic, {
      name: `compliance-alerts-${SUFFIX}`,
      kms_master_key_id: ref('aws_kms_key', messagingKey, 'arn'),
    });
  });

  it('renders one e-mail subscription per ALERT_EMAILS address', () => {
    for (const email of ['secops@example.com', 'oncall@example.org']) {
      expect(synth).toHaveResourceWithProperties(SnsTopicSubscription, {
        topic_arn: ref('aws_sns_topic', topicOf(tf), 'arn'),
        protocol: 'email',
        endpoint: email,
      });
    }
    expect(resourcesOf(tf, 'aws_sns_topic_subscription')).toHaveLength(2);
  });

  it("renders a topic policy for this account's CloudWatch alarms, over TLS only", () => {
    // GIVEN
    const topicArn = ref('aws_sns_topic', topicOf(tf), 'arn');
    const policy = resourcesOf(tf, 'aws_sns_topic_policy')[0];

    // THEN
    expect(synth).toHaveResourceWithProperties(SnsTopicPolicy, { arn: topicArn });
    expect(statementsOf(JSON.parse(policy.config.policy as string) as PolicyDocumentJson)).toEqual([
      {
        Sid: 'CloudWatchAlarmsPublish',
        Effect: 'Allow',
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: 'sns:Publish',
        Resource: topicArn,
        Condition: {
          StringEquals: { 'aws:SourceAccount': expect.stringContaining('account_id') },
          ArnLike: { 'aws:SourceArn': expect.stringMatching(/:cloudwatch:us-east-1:.+:alarm:\*$/) },
        },
      },
      {
        Sid: 'DenyInsecureTransport',
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: 'sns:Publish',
        Resource: topicArn,
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      },
    ]);
  });
});

describe('Alarms', () => {
  let synth: string;
  let tf: TerraformJson;
  let topicArn: string;
  beforeAll(() => {
    ({ synth, tf } = synthStack());
    topicArn = ref('aws_sns_topic', topicOf(tf), 'arn');
  });

  it.each(FUNCTION_NAMES.map((name) => [name]))('renders an errors alarm for %s', (name) => {
    const fn = resourceWith(tf, 'aws_lambda_function', 'function_name', `${name}-${SUFFIX}`);
    expect(synth).toHaveResourceWithProperties(CloudwatchMetricAlarm, {
      alarm_name: `compliance-${name}-errors-${SUFFIX}`,
      namespace: 'AWS/Lambda',
      metric_name: 'Errors',
      dimensions: { FunctionName: ref('aws_lambda_function', fn, 'function_name') },
      statistic: 'Sum',
      threshold: 1,
      comparison_operator: 'GreaterThanOrEqualToThreshold',
      alarm_actions: [topicArn],
      ok_actions: [topicArn],
    });
  });

  it('renders a failure-queue depth alarm', () => {
    const queue = resourcesOf(tf, 'aws_sqs_queue')[0];
    expect(synth).toHaveResourceWithProperties(CloudwatchMetricAlarm, {
      alarm_name: `compliance-failed-events-${SUFFIX}`,
      namespace: 'AWS/SQS',
      metric_name: 'ApproximateNumberOfMessagesVisible',
      dimensions: { QueueName: ref('aws_sqs_queue', queue, 'name') },
      threshold: 1,
      comparison_operator: 'GreaterThanOrEqualToThreshold',
      alarm_actions: [topicArn],
    });
  });

  it("renders a missed-scans alarm on the scanner's ScansCompleted metric that a fresh deployment does not trip", () => {
    expect(synth).toHaveResourceWithProperties(CloudwatchMetricAlarm, {
      alarm_name: `compliance-missed-scans-${SUFFIX}`,
      namespace: METRICS_NAMESPACE,
      metric_name: SCANNER_METRICS.completed,
      dimensions: { service: 'scanner' },
      statistic: 'Sum',
      threshold: 1,
      comparison_operator: 'LessThanThreshold',
      // No data before the first scan: INSUFFICIENT_DATA, the state a new alarm starts in, so
      // nothing is sent; scans that stop after working empty the window and notify.
      treat_missing_data: 'missing',
      insufficient_data_actions: [topicArn],
      period: 6 * 3600,
      evaluation_periods: 2,
      alarm_actions: [topicArn],
    });
    // The scanner function emits it under that service dimension.
    const scanner = resourceWith(tf, 'aws_lambda_function', 'function_name', `scanner-${SUFFIX}`);
    expect(scanner.config.environment).toMatchObject({
      variables: {
        POWERTOOLS_SERVICE_NAME: 'scanner',
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
      },
    });
  });

  it('renders only these alarms, and no e-mail subscription without ALERT_EMAILS', () => {
    expect(resourcesOf(tf, 'aws_cloudwatch_metric_alarm')).toHaveLength(FUNCTION_NAMES.length + 2);
    expect(synth).not.toHaveResource(SnsTopicSubscription);
  });

  it.each([
    ['rate(15 minutes)', 900, 2],
    ['rate(1 hour)', 3600, 2],
    ['cron(0 */12 * * ? *)', 43200, 2],
    ['rate(1 day)', 86400, 2],
    ['rate(3 days)', 86400, 6],
    ['cron(0 8 ? * MON-FRI *)', 86400, 6],
  ])(
    'renders the missed-scans window from the schedule with %s',
    (schedule, period, evaluations) => {
      // GIVEN / WHEN
      const { tf: alarmsOnly } = synthScope((stack) => {
        new Alarms(stack, 'alarms', {
          env: testEnvironment(stack, { scanSchedule: schedule }),
          topicArn: 'arn:aws:sns:us-east-1:123456789012:alerts',
          functions: {} as Record<FunctionName, AuditFunction>,
          failureQueueName: 'failures',
        });
      });
      const { config } = missedScans(alarmsOnly);

      // THEN: two intervals, within what CloudWatch accepts
      expect(config).toMatchObject({ period, evaluation_periods: evaluations });
      expect(period % 60).toBe(0);
      expect(period * evaluations).toBeLessThanOrEqual(period < 3600 ? 86400 : 7 * 86400);
      expect(config.alarm_description).toBe(
        `No scan completed in 2 schedule intervals (${schedule})`,
      );
    },
  );
});
