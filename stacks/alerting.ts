/**
 * Alerting: the KMS-encrypted SNS topic `compliance-alerts-<suffix>` with its e-mail subscriptions
 * and a policy for CloudWatch alarms, and the alarms themselves — function errors, failure-queue
 * depth, and scans that stopped completing (DESIGN §4).
 */
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE } from '../lambdas/shared/env-names';
import type { AuditFunction } from './audit-function';
import type { DeploymentEnvironment } from './environment';
import { denyInsecureTransport, policyDocument } from './iam';

/** CloudWatch's longest alarm period; longer scan intervals are counted in days. */
const MAX_PERIOD_SECONDS = 86400;
/** Missed scans alarm after this many schedule intervals without a completed scan. */
export const MISSED_SCAN_INTERVALS = 2;

export class AlertTopic extends Construct {
  readonly topic: SnsTopic;

  constructor(
    scope: Construct,
    id: string,
    props: { readonly env: DeploymentEnvironment; readonly kmsKeyArn: string },
  ) {
    super(scope, id);
    const { env } = props;
    this.topic = new SnsTopic(this, 'topic', {
      name: env.name('compliance-alerts'),
      displayName: `Compliance alerts (${env.suffix})`,
      kmsMasterKeyId: props.kmsKeyArn,
    });
    new SnsTopicPolicy(this, 'policy', {
      arn: this.topic.arn,
      policy: policyDocument([
        {
          sid: 'CloudWatchAlarmsPublish',
          principals: { Service: 'cloudwatch.amazonaws.com' },
          actions: ['sns:Publish'],
          resources: [this.topic.arn],
          conditions: {
            StringEquals: { 'aws:SourceAccount': env.account },
            ArnLike: { 'aws:SourceArn': env.arn('cloudwatch', 'alarm:*') },
          },
        },
        denyInsecureTransport(['sns:Publish'], [this.topic.arn]),
      ]),
    });
    env.settings.alertEmails.forEach((email, i) => {
      new SnsTopicSubscription(this, `email-${i}`, {
        topicArn: this.topic.arn,
        protocol: 'email',
        endpoint: email,
      });
    });
  }
}

export interface AlarmsProps {
  readonly env: DeploymentEnvironment;
  readonly topicArn: string;
  /** The eight functions, and organization mode's tasks. */
  readonly functions: Readonly<Record<string, AuditFunction>>;
  readonly failureQueueName: string;
}

export class Alarms extends Construct {
  readonly alarms: CloudwatchMetricAlarm[] = [];

  constructor(scope: Construct, id: string, props: AlarmsProps) {
    super(scope, id);
    const { env, topicArn } = props;
    const actions = { alarmActions: [topicArn], okActions: [topicArn] };

    for (const [name, fn] of Object.entries(props.functions)) {
      this.alarms.push(
        new CloudwatchMetricAlarm(this, `${name}-errors`, {
          alarmName: env.name(`compliance-${name}-errors`),
          alarmDescription: `${fn.fn.functionName} reported errors in the last 5 minutes`,
          namespace: 'AWS/Lambda',
          metricName: 'Errors',
          dimensions: { FunctionName: fn.fn.functionName },
          statistic: 'Sum',
          period: 300,
          evaluationPeriods: 1,
          threshold: 1,
          comparisonOperator: 'GreaterThanOrEqualToThreshold',
          treatMissingData: 'notBreaching',
          ...actions,
        }),
      );
    }

    this.alarms.push(
      new CloudwatchMetricAlarm(this, 'failure-queue-depth', {
        alarmName: env.name('compliance-failed-events'),
        alarmDescription: 'Events that no function could process are waiting in the failure queue',
        namespace: 'AWS/SQS',
        metricName: 'ApproximateNumberOfMessagesVisible',
        dimensions: { QueueName: props.failureQueueName },
        statistic: 'Maximum',
        period: 300,
        evaluationPeriods: 1,
        threshold: 1,
        comparisonOperator: 'GreaterThanOrEqualToThreshold',
        treatMissingData: 'notBreaching',
        ...actions,
      }),
    );

    const interval = env.settings.scanIntervalSeconds;
    const period = Math.min(interval, MAX_PERIOD_SECONDS);
    this.alarms.push(
      new CloudwatchMetricAlarm(this, 'missed-scans', {
        alarmName: env.name('compliance-missed-scans'),
        alarmDescription: `No scan completed in ${MISSED_SCAN_INTERVALS} schedule intervals (${env.settings.scanSchedule})`,
        namespace: METRICS_NAMESPACE,
        metricName: 'ScansCompleted',
        dimensions: { service: 'scanner' },
        statistic: 'Sum',
        period,
        evaluationPeriods: Math.ceil((MISSED_SCAN_INTERVALS * interval) / period),
        threshold: 1,
        comparisonOperator: 'LessThanThreshold',
        // A new alarm starts in INSUFFICIENT_DATA and stays there until the first scan completes,
        // so a fresh deployment does not alarm before its first scheduled scan. Once scans have
        // completed, scans that stop leave the window empty: INSUFFICIENT_DATA again, which is
        // the transition that notifies. ("breaching" would alarm on every new deployment.)
        treatMissingData: 'missing',
        insufficientDataActions: [topicArn],
        ...actions,
      }),
    );
  }
}
