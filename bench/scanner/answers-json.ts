/**
 * AWS JSON 1.1 / 1.0 answers of the fake AWS (operation in `X-Amz-Target`): AWS Config
 * recorders, CloudTrail trails (status, event selectors), CloudWatch Logs metric filters,
 * CloudWatch alarms (JSON 1.0, query-compatible) and KMS keys, each from the request's region.
 */
import type { SyntheticAccount } from './account';
import {
  alarm,
  chainedAlarmCount,
  metricFilter,
  metricFilterCount,
  type TrailSpec,
} from './account-settings';
import { keyIndex, keyPolicy } from './account-services';
import { JSON_PROTOCOL, epochSeconds, json, jsonError, page, pageItems, type Reply } from './wire';

const ALARM_PAGE_MAX = 100;
const METRIC_FILTER_PAGE_MAX = 50;
const KEY_PAGE_MAX = 1000;

/** The trail with the monitoring log group, when in `region`. */
function monitoredTrail(a: SyntheticAccount, region: string): TrailSpec | undefined {
  return a.trails().find((t) => t.logGroup !== undefined && t.homeRegion === region);
}

function trailJson(t: TrailSpec, bucket: string) {
  return {
    Name: t.name,
    S3BucketName: bucket,
    IncludeGlobalServiceEvents: t.multiRegion,
    IsMultiRegionTrail: t.multiRegion,
    HomeRegion: t.homeRegion,
    TrailARN: t.arn,
    LogFileValidationEnabled: t.validation,
    ...(t.logGroup
      ? {
          CloudWatchLogsLogGroupArn: `arn:aws:logs:${t.homeRegion}:${t.arn.split(':')[4]}:log-group:${t.logGroup}:*`,
          CloudWatchLogsRoleArn: `arn:aws:iam::${t.arn.split(':')[4]}:role/bench-cloudtrail-logs`,
        }
      : {}),
    ...(t.kmsKeyId ? { KmsKeyId: t.kmsKeyId } : {}),
    HasCustomEventSelectors: true,
    HasInsightSelectors: false,
    IsOrganizationTrail: false,
  };
}

export function jsonService(
  a: SyntheticAccount,
  service: string,
  region: string,
  operation: string,
  input: Record<string, unknown>,
): Reply {
  const contentType = JSON_PROTOCOL[service]!;
  const reply = (value: unknown) => json(value, 200, {}, contentType);
  const error = (type: string, message: string, status = 400) =>
    jsonError(type, status, message, contentType);
  const slot = a.slotOf(region);
  const str = (k: string) => (typeof input[k] === 'string' ? (input[k] as string) : undefined);
  const num = (k: string) => (typeof input[k] === 'number' ? (input[k] as number) : undefined);

  switch (`${service}.${operation}`) {
    case 'config.DescribeConfigurationRecorders':
      return reply({
        ConfigurationRecorders: a
          .regional(slot)
          .recorders(a.accountId)
          .map((r) => ({
            arn: `arn:aws:config:${region}:${a.accountId}:configuration-recorder/${r.name}/bench`,
            name: r.name,
            roleARN: r.roleArn,
            recordingGroup: {
              allSupported: true,
              includeGlobalResourceTypes: r.includeGlobal,
              recordingStrategy: { useOnly: 'ALL_SUPPORTED_RESOURCE_TYPES' },
            },
            ...(r.servicePrincipal
              ? { recordingScope: 'INTERNAL', servicePrincipal: r.servicePrincipal }
              : { recordingScope: 'PAID' }),
          })),
      });
    case 'config.DescribeConfigurationRecorderStatus':
      return reply({
        ConfigurationRecordersStatus: a
          .regional(slot)
          .recorders(a.accountId)
          .map((r) => ({
            name: r.name,
            recording: true,
            lastStatus: 'SUCCESS',
            lastStartTime: epochSeconds(a.nowMs - 86_400_000),
            ...(r.servicePrincipal ? { servicePrincipal: r.servicePrincipal } : {}),
          })),
      });

    case 'cloudtrail.DescribeTrails': {
      // without shadow trails: the trails homed here; with them, multi-Region ones from elsewhere
      const shadows = input.includeShadowTrails !== false;
      const trails = a
        .trails()
        .filter((t) => t.homeRegion === region || (shadows && t.multiRegion && slot >= 0));
      return reply({
        trailList: trails.map((t) =>
          trailJson(t, typeof t.bucket === 'number' ? a.bucket(t.bucket).name : t.bucket),
        ),
      });
    }
    case 'cloudtrail.GetTrailStatus':
    case 'cloudtrail.GetEventSelectors': {
      const ref = str('Name') ?? str('TrailName') ?? '';
      const t = a
        .trails()
        .find((x) => x.arn === ref || (x.name === ref && x.homeRegion === region));
      if (!t)
        return error(
          'TrailNotFoundException',
          `Unknown trail: ${ref} for the user: ${a.accountId}`,
        );
      if (operation === 'GetTrailStatus') {
        return reply({
          IsLogging: t.logging,
          LatestDeliveryTime: epochSeconds(a.nowMs - 600_000),
          StartLoggingTime: epochSeconds(a.nowMs - 90 * 86_400_000),
        });
      }
      return reply({
        TrailARN: t.arn,
        ...(t.selectors.basic ? { EventSelectors: t.selectors.basic } : {}),
        ...(t.selectors.advanced ? { AdvancedEventSelectors: t.selectors.advanced } : {}),
      });
    }

    case 'logs.DescribeMetricFilters': {
      const t = monitoredTrail(a, region);
      const total = t && str('logGroupName') === t.logGroup ? metricFilterCount() : 0;
      const p = page(total, str('nextToken'), METRIC_FILTER_PAGE_MAX, num('limit'));
      return reply({
        metricFilters: pageItems(p, (k) => {
          const f = metricFilter(k);
          return {
            filterName: f.name,
            filterPattern: f.pattern,
            metricTransformations: [
              {
                metricName: f.metric,
                metricNamespace: f.namespace,
                metricValue: '1',
                defaultValue: 0,
              },
            ],
            creationTime: a.nowMs - 30 * 86_400_000,
            logGroupName: t!.logGroup,
          };
        }),
        ...(p.next ? { nextToken: p.next } : {}),
      });
    }

    case 'cloudwatch.DescribeAlarms': {
      // the home region of the monitored trail holds the chains' alarms and one per function
      const total = monitoredTrail(a, region)
        ? chainedAlarmCount() + a.inRegion('functions', slot)
        : 0;
      const prefix = str('ActionPrefix');
      const p = page(total, str('NextToken'), ALARM_PAGE_MAX, num('MaxRecords'));
      const alarms = pageItems(p, (k) => {
        const x = alarm(a, k);
        if (prefix && !x.actions.some((arn) => arn.startsWith(prefix))) return undefined;
        const metric = { Namespace: x.namespace, MetricName: x.metric };
        return {
          AlarmName: x.name,
          AlarmArn: `arn:aws:cloudwatch:${region}:${a.accountId}:alarm:${x.name}`,
          ActionsEnabled: true,
          AlarmActions: x.actions,
          StateValue: 'OK',
          EvaluationPeriods: 1,
          Threshold: 1,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
          ...(x.math
            ? {
                Metrics: [
                  {
                    Id: 'm1',
                    MetricStat: { Metric: metric, Period: 300, Stat: 'Sum' },
                    ReturnData: false,
                  },
                  { Id: 'e1', Expression: 'FILL(m1, 0)', ReturnData: true },
                ],
              }
            : { ...metric, Statistic: 'Sum', Period: 300 }),
        };
      });
      return reply({
        MetricAlarms: alarms,
        CompositeAlarms: [],
        ...(p.next ? { NextToken: p.next } : {}),
      });
    }

    case 'kms.ListKeys': {
      const p = page(a.inRegion('keys', slot), str('Marker'), KEY_PAGE_MAX, num('Limit'));
      return reply({
        Keys: pageItems(p, (j) => {
          const k = a.key(a.indexIn(slot, j));
          return { KeyId: k.id, KeyArn: k.arn };
        }),
        Truncated: p.next !== undefined,
        ...(p.next ? { NextMarker: p.next } : {}),
      });
    }
    case 'kms.DescribeKey':
    case 'kms.GetKeyRotationStatus':
    case 'kms.GetKeyPolicy': {
      const ref = str('KeyId') ?? '';
      const i = keyIndex(ref.split('/').pop() ?? '');
      const inThisRegion = !ref.startsWith('arn:') || ref.split(':')[3] === region;
      if (i === undefined || !(i < a.counts.keys) || i % a.regionCount !== slot || !inThisRegion)
        return error('NotFoundException', `Key '${ref}' does not exist`);
      const k = a.key(i);
      if (operation === 'GetKeyRotationStatus') {
        return reply({ KeyId: k.arn, KeyRotationEnabled: k.rotation });
      }
      if (operation === 'GetKeyPolicy') {
        return reply({ Policy: keyPolicy(a, k), PolicyName: 'default' });
      }
      return reply({
        KeyMetadata: {
          AWSAccountId: a.accountId,
          KeyId: k.id,
          Arn: k.arn,
          CreationDate: epochSeconds(a.nowMs - 400 * 86_400_000),
          Enabled: k.state === 'Enabled',
          Description: '',
          KeyUsage: k.usage,
          KeyState: k.state,
          ...(k.state === 'PendingDeletion'
            ? {
                DeletionDate: epochSeconds(a.nowMs + 7 * 86_400_000),
                PendingDeletionWindowInDays: 7,
              }
            : {}),
          Origin: k.origin,
          KeyManager: k.manager,
          CustomerMasterKeySpec: k.spec,
          KeySpec: k.spec,
          MultiRegion: false,
        },
      });
    }
    default:
      return error(
        'UnknownOperationException',
        `fake AWS does not implement ${service}.${operation}`,
      );
  }
}
