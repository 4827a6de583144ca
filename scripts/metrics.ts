/**
 * The metrics a dashboard or alarm of this stack may name: the custom metrics the functions emit
 * (namespace ComplianceAudit, dimension `service` = the emitting function's POWERTOOLS_SERVICE_NAME)
 * and a small explicit allow-list of metrics AWS publishes for the services the stack uses.
 */
import { METRICS_NAMESPACE } from '../lambdas/shared/env-names';
import {
  CHANGE_METRICS,
  CONFIG_RULE_METRICS,
  EXPORT_METRICS,
  REMEDIATION_METRICS,
  SCANNER_METRICS,
} from '../lambdas/shared/metric-names';

/** Emitted by alert-notifier (lambdas/alert-notifier/notifier.ts). */
export const ALERTS_PUBLISHED_METRIC = 'AlertsPublished';

const CONFIG_RULE_SERVICES = [
  'config-rule-s3-encryption',
  'config-rule-vpc-flow-logs',
  'config-rule-lambda-settings',
];

/** Custom metric name → the `service` dimension values that emit it. */
export const OWN_METRICS: Readonly<Record<string, readonly string[]>> = Object.fromEntries([
  ...Object.values(SCANNER_METRICS)
    .flatMap((v) => (typeof v === 'string' ? [v] : v.map(([, metric]) => metric)))
    .map((m) => [m, ['scanner']] as const),
  ...Object.values(CONFIG_RULE_METRICS).map((m) => [m, CONFIG_RULE_SERVICES] as const),
  ...Object.values(REMEDIATION_METRICS).map((m) => [m, ['remediation']] as const),
  ...Object.values(CHANGE_METRICS).map((m) => [m, ['scanner']] as const),
  ...Object.values(EXPORT_METRICS).map((m) => [m, ['findings-export']] as const),
  [ALERTS_PUBLISHED_METRIC, ['alert-notifier']],
]);

/** A dimension whose value must name a resource of the stack: resource type and its name attribute. */
export interface DimensionTarget {
  readonly resourceType: string;
  readonly attribute: string;
}

export interface AwsNamespace {
  readonly metrics: readonly string[];
  readonly dimensions: Readonly<Record<string, DimensionTarget | null>>;
}

/** AWS-published metrics this stack may chart or alarm on (extend deliberately). */
export const AWS_METRICS: Readonly<Record<string, AwsNamespace>> = {
  'AWS/Lambda': {
    metrics: [
      'Invocations',
      'Errors',
      'Duration',
      'Throttles',
      'ConcurrentExecutions',
      'AsyncEventsDropped',
      'DestinationDeliveryFailures',
    ],
    dimensions: {
      FunctionName: { resourceType: 'aws_lambda_function', attribute: 'function_name' },
      Resource: null,
    },
  },
  'AWS/SNS': {
    metrics: [
      'NumberOfMessagesPublished',
      'NumberOfNotificationsDelivered',
      'NumberOfNotificationsFailed',
    ],
    dimensions: { TopicName: { resourceType: 'aws_sns_topic', attribute: 'name' } },
  },
  'AWS/SQS': {
    metrics: [
      'ApproximateNumberOfMessagesVisible',
      'ApproximateAgeOfOldestMessage',
      'NumberOfMessagesSent',
      'NumberOfMessagesReceived',
    ],
    dimensions: { QueueName: { resourceType: 'aws_sqs_queue', attribute: 'name' } },
  },
  'AWS/States': {
    metrics: [
      'ExecutionsStarted',
      'ExecutionsSucceeded',
      'ExecutionsFailed',
      'ExecutionsTimedOut',
      'ExecutionsAborted',
      'ExecutionTime',
    ],
    dimensions: {
      StateMachineArn: { resourceType: 'aws_sfn_state_machine', attribute: 'arn' },
    },
  },
  'AWS/Events': {
    metrics: ['Invocations', 'FailedInvocations', 'TriggeredRules', 'MatchedEvents'],
    dimensions: { RuleName: { resourceType: 'aws_cloudwatch_event_rule', attribute: 'name' } },
  },
};

export interface MetricUse {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, string>>;
}

/**
 * Why a metric is not one this stack emits or AWS publishes for it, or undefined when it is.
 * `resolveName` says whether a dimension value names a resource of the given type in the stack.
 */
export function metricProblem(
  use: MetricUse,
  resolveName: (target: DimensionTarget, value: string) => boolean,
): string | undefined {
  const label = `${use.namespace} ${use.metricName}`;
  if (use.namespace === METRICS_NAMESPACE) {
    const services = OWN_METRICS[use.metricName];
    if (!services)
      return `${label}: no function emits this metric (known: ${Object.keys(OWN_METRICS).sort().join(', ')})`;
    for (const [name, value] of Object.entries(use.dimensions)) {
      if (name !== 'service')
        return `${label}: the functions emit only the "service" dimension, not "${name}"`;
      if (!services.includes(value))
        return `${label}: service "${value}" does not emit it (emitted by ${services.join(', ')})`;
    }
    return undefined;
  }
  const ns = AWS_METRICS[use.namespace];
  if (!ns)
    return `${label}: namespace not in the allow-list (${[METRICS_NAMESPACE, ...Object.keys(AWS_METRICS)].join(', ')})`;
  if (!ns.metrics.includes(use.metricName))
    return `${label}: not an allow-listed metric of ${use.namespace} (${ns.metrics.join(', ')})`;
  for (const [name, value] of Object.entries(use.dimensions)) {
    if (!(name in ns.dimensions)) return `${label}: unexpected dimension ${name}`;
    const target = ns.dimensions[name];
    if (target && !resolveName(target, value))
      return `${label}: ${name} "${value}" is not the ${target.attribute} of any ${target.resourceType} in the stack`;
  }
  return undefined;
}
