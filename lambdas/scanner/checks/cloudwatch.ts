/**
 * CIS 4.x monitoring checks (CloudWatch.1-14, and AWS Organizations changes, which Security Hub
 * does not have): a multi-Region trail that is logging and records read and write management
 * events sends to a CloudWatch Logs group with a metric filter of the control's pattern
 * (metric-filter-patterns.ts), an alarm watches the filter's metric (namespace and name), and the
 * alarm notifies an SNS topic with at least one confirmed subscription.
 *
 * One account-level finding per control in the home region, counting a trail homed in any scanned
 * region. (Security Hub judges only the trail's home region and reports NO_DATA elsewhere and for
 * organization trails seen from member accounts; one account verdict is what CIS asks.) A topic
 * whose subscriptions cannot be read makes the control ERROR unless another chain passes, as
 * Security Hub's WARNING for it.
 *
 * CIS ids: AWS maps CloudWatch.1-14 only to CIS v1.2/v1.4 ("Not supported — manual check" for
 * v5.0 and v3.0). The v5.0 and v3.0 ids below pair the controls with CIS 4.1-4.15 by title
 * (research cis.json cisV5ToControls; the v3.0 titles and numbers match, Prowler cis_3.0_aws.json).
 */
import { sameMetric, type RegionInventory, type TrailInventory } from '../inventory/types';
import { matchesMonitoringPattern } from './metric-filter-patterns';
import { managementShortfall } from './trail-events';
import { accountVerdict, label, multiRegionGate, overTrails, type Outcome } from './trail-verdict';
import { defineCheck, type CheckMetadata } from './types';

const SH_DOCS = 'https://docs.aws.amazon.com/securityhub/latest/userguide/cloudwatch-controls.html';
const CIS_DOCS =
  'https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Alarm-On-Logs.html';

/** SNS gives `PendingConfirmation` (or `Deleted`) instead of an ARN until a subscription is confirmed. */
const confirmed = (subscriptionArn: string) => subscriptionArn.startsWith('arn:');

/** Every chain from the trail's log group to a subscribed topic, or where each one stops. */
function monitoringOutcomes(
  checkId: string,
  t: TrailInventory,
  region: RegionInventory,
): Outcome[] {
  const filters = t.metricFilters;
  if (!filters) {
    return [
      {
        fail: t.logGroupArn
          ? `${label(t)} sends to log group ${t.logGroupArn}, outside its home region or this account`
          : `${label(t)} does not send events to CloudWatch Logs`,
      },
    ];
  }
  const group = t.logGroupArn?.split(':')[6] ?? '';
  const out: Outcome[] = [];
  if (filters.error)
    out.push({ unknown: `the metric filters of log group ${group}`, error: filters.error });
  const matching = filters.items.filter((f) => matchesMonitoringPattern(checkId, f.pattern));
  if (matching.length === 0)
    out.push({ fail: `log group ${group} of ${label(t)} has no metric filter with the pattern` });
  // The collector reads alarms (and their topics) wherever a trail's metric filters were read.
  const alarms = region.cloudtrail.alarms ?? { items: [] };
  for (const f of matching) {
    if (f.metrics.length === 0) out.push({ fail: `metric filter ${f.name} publishes no metric` });
    for (const metric of f.metrics) {
      const watching = alarms.items.filter((a) => a.metrics.some((m) => sameMetric(m, metric)));
      if (alarms.error)
        out.push({ unknown: `the alarms of ${region.region}`, error: alarms.error });
      if (watching.length === 0)
        out.push({
          fail: `no alarm with an SNS action watches metric ${metric.namespace}/${metric.name} of metric filter ${f.name}`,
        });
      for (const alarm of watching) {
        const topics = alarm.alarmActions.filter((arn) => arn.split(':')[2] === 'sns');
        if (topics.length === 0)
          out.push({ fail: `alarm ${alarm.name} notifies no SNS topic when in ALARM` });
        for (const topic of topics) {
          const subs = region.cloudtrail.topicSubscriptions[topic] ?? { items: [] };
          const ok = subs.items.filter((s) => confirmed(s.arn)).length;
          if (ok > 0) {
            out.push({
              pass: `Multi-Region ${label(t)} sends to log group ${group}: metric filter ${f.name} → alarm ${alarm.name} → SNS topic ${topic} with ${ok} confirmed subscription(s).`,
            });
          } else if (subs.error) {
            out.push({ unknown: `the subscriptions of SNS topic ${topic}`, error: subs.error });
          } else {
            const pending = subs.items.length;
            out.push({
              fail: `SNS topic ${topic} of alarm ${alarm.name} has no confirmed subscription${pending > 0 ? ` (${pending} pending confirmation)` : ''}`,
            });
          }
        }
      }
    }
  }
  return out;
}

interface Monitored {
  readonly id: string;
  readonly title: string;
  /** CIS v5.0 / v3.0 recommendation paired by title. */
  readonly cis: string;
  readonly prowler: string;
  /** What the alarm watches, for messages ("root user activity"). */
  readonly what: string;
  /** Security Hub control anchor; none for the AWS Organizations check. */
  readonly anchor?: string;
}

function monitoringCheck(m: Monitored) {
  const docs = m.anchor ? `${SH_DOCS}#${m.anchor}` : CIS_DOCS;
  const meta: CheckMetadata = {
    id: m.id,
    title: m.title,
    severity: 'low',
    ...(m.anchor ? { securityHubId: m.id } : {}),
    cis: { v5: [m.cis], v3: [m.cis] },
    resourceType: 'AWS::::Account',
    reads: [
      'cloudtrail:DescribeTrails',
      'cloudtrail:GetTrailStatus',
      'cloudtrail:GetEventSelectors',
      'logs:DescribeMetricFilters',
      'cloudwatch:DescribeAlarms',
      'sns:ListSubscriptionsByTopic',
    ],
    docs,
    remediation: {
      desc: `On the CloudWatch Logs group of a multi-Region trail (read and write management events), create a metric filter with exactly the control's pattern and an alarm on its metric that notifies a subscribed SNS topic: \`aws logs put-metric-filter --log-group-name <trail log group> --filter-name <name> --filter-pattern '<pattern>' --metric-transformations metricName=<name>,metricNamespace=LogMetrics,metricValue=1,defaultValue=0\`, \`aws cloudwatch put-metric-alarm --alarm-name <name> --namespace LogMetrics --metric-name <name> --statistic Sum --period 300 --evaluation-periods 1 --threshold 1 --comparison-operator GreaterThanOrEqualToThreshold --alarm-actions <topic ARN>\`, and confirm at least one \`aws sns subscribe\` to the topic.`,
      references: [docs, CIS_DOCS],
    },
    prowlerCheckIds: [m.prowler],
  };
  return defineCheck(meta, (b, inv) =>
    accountVerdict(
      b,
      inv,
      overTrails(inv, (t, region) => {
        const gate = multiRegionGate(t, managementShortfall);
        return gate ? [gate] : monitoringOutcomes(m.id, t, region);
      }),
      `No alarm with a subscribed SNS topic watches ${m.what} in a multi-Region trail's logs`,
    ),
  );
}

const MONITORED: readonly Monitored[] = [
  {
    id: 'CloudWatch.1',
    title: 'A log metric filter and alarm should exist for usage of the "root" user',
    cis: '4.3',
    prowler: 'cloudwatch_log_metric_filter_root_usage',
    what: 'root user activity',
    anchor: 'cloudwatch-1',
  },
  {
    id: 'CloudWatch.2',
    title: 'Ensure a log metric filter and alarm exist for unauthorized API calls',
    cis: '4.1',
    prowler: 'cloudwatch_log_metric_filter_unauthorized_api_calls',
    what: 'unauthorized API calls',
    anchor: 'cloudwatch-2',
  },
  {
    id: 'CloudWatch.3',
    title: 'Ensure a log metric filter and alarm exist for Management Console sign-in without MFA',
    cis: '4.2',
    prowler: 'cloudwatch_log_metric_filter_sign_in_without_mfa',
    what: 'console sign-in without MFA',
    anchor: 'cloudwatch-3',
  },
  {
    id: 'CloudWatch.4',
    title: 'Ensure a log metric filter and alarm exist for IAM policy changes',
    cis: '4.4',
    prowler: 'cloudwatch_log_metric_filter_policy_changes',
    what: 'IAM policy changes',
    anchor: 'cloudwatch-4',
  },
  {
    id: 'CloudWatch.5',
    title: 'Ensure a log metric filter and alarm exist for CloudTrail configuration changes',
    cis: '4.5',
    prowler: 'cloudwatch_log_metric_filter_and_alarm_for_cloudtrail_configuration_changes_enabled',
    what: 'CloudTrail configuration changes',
    anchor: 'cloudwatch-5',
  },
  {
    id: 'CloudWatch.6',
    title:
      'Ensure a log metric filter and alarm exist for AWS Management Console authentication failures',
    cis: '4.6',
    prowler: 'cloudwatch_log_metric_filter_authentication_failures',
    what: 'console authentication failures',
    anchor: 'cloudwatch-6',
  },
  {
    id: 'CloudWatch.7',
    title:
      'Ensure a log metric filter and alarm exist for disabling or scheduled deletion of customer managed keys',
    cis: '4.7',
    prowler: 'cloudwatch_log_metric_filter_disable_or_scheduled_deletion_of_kms_cmk',
    what: 'disabling or scheduled deletion of KMS keys',
    anchor: 'cloudwatch-7',
  },
  {
    id: 'CloudWatch.8',
    title: 'Ensure a log metric filter and alarm exist for S3 bucket policy changes',
    cis: '4.8',
    prowler: 'cloudwatch_log_metric_filter_for_s3_bucket_policy_changes',
    what: 'S3 bucket policy changes',
    anchor: 'cloudwatch-8',
  },
  {
    id: 'CloudWatch.9',
    title: 'Ensure a log metric filter and alarm exist for AWS Config configuration changes',
    cis: '4.9',
    prowler: 'cloudwatch_log_metric_filter_and_alarm_for_aws_config_configuration_changes_enabled',
    what: 'AWS Config configuration changes',
    anchor: 'cloudwatch-9',
  },
  {
    id: 'CloudWatch.10',
    title: 'Ensure a log metric filter and alarm exist for security group changes',
    cis: '4.10',
    prowler: 'cloudwatch_log_metric_filter_security_group_changes',
    what: 'security group changes',
    anchor: 'cloudwatch-10',
  },
  {
    id: 'CloudWatch.11',
    title:
      'Ensure a log metric filter and alarm exist for changes to Network Access Control Lists (NACL)',
    cis: '4.11',
    prowler: 'cloudwatch_changes_to_network_acls_alarm_configured',
    what: 'network ACL changes',
    anchor: 'cloudwatch-11',
  },
  {
    id: 'CloudWatch.12',
    title: 'Ensure a log metric filter and alarm exist for changes to network gateways',
    cis: '4.12',
    prowler: 'cloudwatch_changes_to_network_gateways_alarm_configured',
    what: 'network gateway changes',
    anchor: 'cloudwatch-12',
  },
  {
    id: 'CloudWatch.13',
    title: 'Ensure a log metric filter and alarm exist for route table changes',
    cis: '4.13',
    prowler: 'cloudwatch_changes_to_network_route_tables_alarm_configured',
    what: 'route table changes',
    anchor: 'cloudwatch-13',
  },
  {
    id: 'CloudWatch.14',
    title: 'Ensure a log metric filter and alarm exist for VPC changes',
    cis: '4.14',
    prowler: 'cloudwatch_changes_to_vpcs_alarm_configured',
    what: 'VPC changes',
    anchor: 'cloudwatch-14',
  },
  {
    id: 'CloudWatch.OrganizationsChanges',
    title:
      'A log metric filter and alarm should exist for AWS Organizations changes (CIS 4.15; no Security Hub control)',
    cis: '4.15',
    prowler: 'cloudwatch_log_metric_filter_aws_organizations_changes',
    what: 'AWS Organizations changes',
  },
];

export const CLOUDWATCH_CHECKS = MONITORED.map(monitoringCheck);
