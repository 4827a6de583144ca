/**
 * CloudTrail collector, once per region: the trails homed in the region (DescribeTrails with
 * shadow trails, kept only in their home region, so a multi-Region trail is read once; shadow
 * trails are how a member account sees its organization's trail, owned by the management
 * account), each trail's logging status (an organization trail's by its ARN, as members may) and
 * its event selectors (only for this account's trails: a member cannot read those of its
 * organization's trail), and — only for trails that can satisfy the CIS 4.x monitoring checks
 * (multi-Region, logging, read and write management events) and send to a CloudWatch Logs group of
 * this account in their home region — the group's metric filters, the region's alarms with an SNS
 * action, and the subscriptions of the topics the alarms on those filters' metrics notify.
 *
 * Alarms: one paginated DescribeAlarms per region (100 a page, filtered server-side to alarms with
 * an SNS action) rather than DescribeAlarmsForMetric per filter metric. A CIS-compliant log group
 * has 14 or more filters, so per-metric reads cost 14+ calls where one page usually holds every
 * SNS-notifying alarm; DescribeAlarms is scoped to alarm ARNs while DescribeAlarmsForMetric takes
 * no resource (only `*`); and it also returns metric-math alarms, which DescribeAlarmsForMetric
 * does not match. (Metric alarms only: reading composite alarms would need `*`.)
 *
 * IAM actions (resource scoping):
 * - `cloudtrail:DescribeTrails` — resource `*` (no resource-level permissions)
 * - `cloudtrail:GetTrailStatus` — trail ARNs, `arn:aws:cloudtrail:*:*:trail/*` (an organization
 *   trail's ARN names the management account)
 * - `cloudtrail:GetEventSelectors` — this account's trail ARNs,
 *   `arn:aws:cloudtrail:*:<account>:trail/*`
 * - `logs:DescribeMetricFilters` — log-group ARNs, `arn:aws:logs:*:<account>:log-group:*`
 * - `cloudwatch:DescribeAlarms` — alarm ARNs, `arn:aws:cloudwatch:*:<account>:alarm:*`
 * - `sns:ListSubscriptionsByTopic` — topic ARNs of this account, `arn:aws:sns:*:<account>:*`
 *   (a topic of another account is not read: its subscriptions stay unknown, an ERROR, as
 *   Security Hub reports WARNING for it)
 */
import {
  CloudTrailClient,
  DescribeTrailsCommand,
  GetEventSelectorsCommand,
  GetTrailStatusCommand,
  type AdvancedFieldSelector,
  type EventSelector,
  type Trail,
} from '@aws-sdk/client-cloudtrail';
import {
  CloudWatchClient,
  paginateDescribeAlarms,
  type MetricAlarm,
} from '@aws-sdk/client-cloudwatch';
import {
  CloudWatchLogsClient,
  paginateDescribeMetricFilters,
} from '@aws-sdk/client-cloudwatch-logs';
import { paginateListSubscriptionsByTopic, SNSClient } from '@aws-sdk/client-sns';
import { awsClient } from '../../shared/clients';
import { recordsAllManagement } from '../checks/trail-events';
import { Collector } from './collector';
import type { RegionalCollector } from './index';
import {
  sameMetric,
  type AlarmInventory,
  type CloudTrailInventory,
  type Listed,
  type MetricFilterInventory,
  type MetricRef,
  type SubscriptionInventory,
  type TrailFieldSelector,
  type TrailInventory,
  type TrailSelectors,
} from './types';

/** DescribeMetricFilters returns at most 50 a page, DescribeAlarms 100. */
const METRIC_FILTER_PAGE_SIZE = 50;
const ALARM_PAGE_SIZE = 100;

function toSelectors(
  basic: readonly EventSelector[] | undefined,
  advanced: readonly { FieldSelectors?: AdvancedFieldSelector[] }[] | undefined,
): TrailSelectors {
  return {
    // AWS defaults: ReadWriteType All, IncludeManagementEvents true.
    basic: (basic ?? []).map((s) => ({
      readWriteType: s.ReadWriteType ?? 'All',
      includeManagementEvents: s.IncludeManagementEvents ?? true,
      excludeManagementEventSources: s.ExcludeManagementEventSources ?? [],
      dataResources: (s.DataResources ?? []).map((r) => ({
        type: r.Type ?? '',
        values: r.Values ?? [],
      })),
    })),
    advanced: (advanced ?? []).map((s) =>
      (s.FieldSelectors ?? []).map((f): TrailFieldSelector => ({
        field: f.Field ?? '',
        equals: f.Equals,
        notEquals: f.NotEquals,
        startsWith: f.StartsWith,
        notStartsWith: f.NotStartsWith,
        endsWith: f.EndsWith,
        notEndsWith: f.NotEndsWith,
      })),
    ),
  };
}

/** `arn:<p>:logs:<region>:<account>:log-group:<name>[:*]` → name, when in `region` of `account`. */
function logGroupIn(arn: string | undefined, region: string, account: string) {
  const parts = arn?.split(':') ?? [];
  return parts[2] === 'logs' &&
    parts[3] === region &&
    parts[4] === account &&
    parts[5] === 'log-group'
    ? parts[6]
    : undefined;
}

function alarmMetrics(a: MetricAlarm): MetricRef[] {
  const single =
    a.MetricName && a.Namespace ? [{ namespace: a.Namespace, name: a.MetricName }] : [];
  const math = (a.Metrics ?? []).flatMap((q) => {
    const m = q.MetricStat?.Metric;
    return m?.MetricName && m.Namespace ? [{ namespace: m.Namespace, name: m.MetricName }] : [];
  });
  return [...single, ...math];
}

async function readTrail(c: Collector, ct: CloudTrailClient, region: string, t: Trail) {
  const arn = t.TrailARN!;
  const account = arn.split(':')[4] ?? '';
  const at = (operation: string) => ({
    service: 'cloudtrail' as const,
    region,
    operation,
    resourceUid: arn,
  });
  const [isLogging, selectors] = await Promise.all([
    c.observe(at('GetTrailStatus'), async () => {
      const out = await ct.send(new GetTrailStatusCommand({ Name: arn }));
      return out.IsLogging === true;
    }),
    // A member may read an organization trail's status (by ARN), not its selectors.
    account === c.account
      ? c.observe(at('GetEventSelectors'), async () => {
          const out = await ct.send(new GetEventSelectorsCommand({ TrailName: arn }));
          return toSelectors(out.EventSelectors, out.AdvancedEventSelectors);
        })
      : ({ ok: true, value: null } as const),
  ]);
  return {
    name: t.Name ?? arn,
    arn,
    account,
    homeRegion: t.HomeRegion ?? region,
    isMultiRegion: t.IsMultiRegionTrail === true,
    isOrganizationTrail: t.IsOrganizationTrail === true,
    s3BucketName: t.S3BucketName,
    kmsKeyId: t.KmsKeyId,
    logFileValidation: t.LogFileValidationEnabled === true,
    logGroupArn: t.CloudWatchLogsLogGroupArn,
    isLogging,
    selectors,
  };
}

async function readMetricFilters(c: Collector, region: string, logGroupName: string) {
  const logs = awsClient(CloudWatchLogsClient, region);
  return c.list(
    {
      service: 'logs',
      region,
      operation: 'DescribeMetricFilters',
      resourceUid: `arn:${c.partition}:logs:${region}:${c.account}:log-group:${logGroupName}`,
    },
    () =>
      paginateDescribeMetricFilters(
        { client: logs, pageSize: METRIC_FILTER_PAGE_SIZE },
        { logGroupName },
      ),
    (page) =>
      (page.metricFilters ?? []).map((f): MetricFilterInventory => ({
        name: f.filterName ?? '',
        pattern: f.filterPattern ?? '',
        metrics: (f.metricTransformations ?? []).flatMap((m) =>
          m.metricName && m.metricNamespace
            ? [{ namespace: m.metricNamespace, name: m.metricName }]
            : [],
        ),
      })),
  );
}

async function readAlarms(c: Collector, region: string): Promise<Listed<AlarmInventory>> {
  const cloudwatch = awsClient(CloudWatchClient, region);
  return c.list(
    { service: 'cloudwatch', region, operation: 'DescribeAlarms' },
    () =>
      paginateDescribeAlarms(
        { client: cloudwatch, pageSize: ALARM_PAGE_SIZE },
        { ActionPrefix: `arn:${c.partition}:sns:` },
      ),
    (page) =>
      (page.MetricAlarms ?? []).flatMap((a) =>
        a.AlarmName
          ? [
              {
                name: a.AlarmName,
                arn: a.AlarmArn ?? a.AlarmName,
                alarmActions: a.AlarmActions ?? [],
                metrics: alarmMetrics(a),
              },
            ]
          : [],
      ),
  );
}

async function readSubscriptions(
  c: Collector,
  topicArn: string,
): Promise<Listed<SubscriptionInventory>> {
  const [, , , region = '', account] = topicArn.split(':');
  const site = {
    service: 'sns' as const,
    region,
    operation: 'ListSubscriptionsByTopic',
    resourceUid: topicArn,
  };
  if (account !== c.account) {
    const error = Object.assign(
      new Error(
        `topic of account ${account ?? 'unknown'}: the scanner reads the subscriptions of this account's topics only`,
      ),
      { name: 'OtherAccountTopic' },
    );
    return { items: [], error: c.record(site, error) };
  }
  const sns = awsClient(SNSClient, region);
  return c.list(
    site,
    () => paginateListSubscriptionsByTopic({ client: sns }, { TopicArn: topicArn }),
    (page) =>
      (page.Subscriptions ?? []).map((s) => ({
        arn: s.SubscriptionArn ?? '',
        protocol: s.Protocol ?? '',
      })),
  );
}

export async function collectCloudTrail(
  c: Collector,
  region: string,
): Promise<CloudTrailInventory> {
  const ct = awsClient(CloudTrailClient, region);
  const described = await c.observe(
    { service: 'cloudtrail', region, operation: 'DescribeTrails' },
    async () => {
      const out = await ct.send(new DescribeTrailsCommand({ includeShadowTrails: true }));
      return (out.trailList ?? []).filter(
        (t): t is Trail & { TrailARN: string } =>
          typeof t.TrailARN === 'string' && (t.HomeRegion ?? region) === region,
      );
    },
  );
  if (!described.ok) return { trails: described, topicSubscriptions: {} };

  const read = await c.each(described.value, (t) => readTrail(c, ct, region, t));

  // Monitoring data only for trails the CIS 4.x checks can use, each log group read once.
  const groupOf = (t: TrailInventory) =>
    recordsAllManagement(t) ? logGroupIn(t.logGroupArn, region, c.account) : undefined;
  const groups = [...new Set(read.flatMap((t) => groupOf(t) ?? []))];
  const filters = new Map(
    await c.each(groups, async (g) => [g, await readMetricFilters(c, region, g)] as const),
  );
  const trails: TrailInventory[] = read.map((t) => {
    const group = groupOf(t);
    return group === undefined ? t : { ...t, metricFilters: filters.get(group)! };
  });

  const metrics = [...filters.values()].flatMap((l) => l.items.flatMap((f) => f.metrics));
  if (metrics.length === 0) return { trails: { ok: true, value: trails }, topicSubscriptions: {} };

  const alarms = await readAlarms(c, region);
  const topics = [
    ...new Set(
      alarms.items
        .filter((a) => a.metrics.some((m) => metrics.some((f) => sameMetric(m, f))))
        .flatMap((a) => a.alarmActions.filter((arn) => arn.split(':')[2] === 'sns')),
    ),
  ];
  const subscriptions = await c.each(topics, (arn) => readSubscriptions(c, arn));
  return {
    trails: { ok: true, value: trails },
    alarms,
    topicSubscriptions: Object.fromEntries(topics.map((arn, i) => [arn, subscriptions[i]!])),
  };
}

export const CLOUDTRAIL_COLLECTOR: RegionalCollector<CloudTrailInventory> = {
  service: 'cloudtrail',
  collect: collectCloudTrail,
  unreadable: (error) => ({ trails: { ok: false, error }, topicSubscriptions: {} }),
};
