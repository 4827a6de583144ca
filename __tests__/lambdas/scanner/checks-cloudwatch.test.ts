import { CLOUDWATCH_CHECKS } from '../../../lambdas/scanner/checks/cloudwatch';
import { MONITORING_PATTERNS } from '../../../lambdas/scanner/checks/metric-filter-patterns';
import type { Check } from '../../../lambdas/scanner/checks/types';
import type {
  AlarmInventory,
  CloudTrailInventory,
  Inventory,
  TrailInventory,
} from '../../../lambdas/scanner/inventory/types';
import {
  ACCOUNT,
  cloudtrail,
  collectionError,
  CONFIG,
  failed,
  inventory,
  monitoringAlarms,
  monitoringFilters,
  ok,
  region,
  REGION,
  topicArn,
  trail,
} from './fixtures';

const ROOT = `arn:aws:iam::${ACCOUNT}:root`;
const OTHER = 'eu-west-1';
const byId = (id: string): Check => CLOUDWATCH_CHECKS.find((c) => c.id === id)!;
const CW5 = byId('CloudWatch.5');

/** The home region's CloudTrail inventory, overridden. */
function home(over: Partial<CloudTrailInventory>): Inventory {
  return inventory({ regions: [region(REGION, { cloudtrail: cloudtrail(REGION, over) })] });
}

function verdict(check: Check, inv: Inventory) {
  const findings = check.evaluate(inv, CONFIG);
  expect(findings).toHaveLength(1);
  expect(findings[0]).toMatchObject({
    region: REGION,
    resource: { uid: ROOT, type: 'AWS::::Account' },
  });
  return findings[0]!;
}

/** The trail with only CloudWatch.5's filter, its pattern replaced. */
function cw5Filter(pattern: string): Partial<CloudTrailInventory> {
  const filter = monitoringFilters().find((f) => f.name === 'CloudWatch.5-filter')!;
  return { trails: ok([trail('main', { metricFilters: { items: [{ ...filter, pattern }] } })]) };
}

describe('CIS 4.x monitoring checks', () => {
  it.each(CLOUDWATCH_CHECKS.map((c) => [c.id, c]))(
    '%s passes for a monitored multi-Region trail with a subscribed alarm topic',
    (id, check) => {
      // Act
      const f = verdict(check, inventory());

      // Assert
      expect(f.status).toBe('PASS');
      expect(f.statusDetail).toBe(
        `Multi-Region trail main (us-east-1) sends to log group cloudtrail: metric filter ${id}-filter → alarm ${id}-filter-alarm → SNS topic ${topicArn()} with 1 confirmed subscription(s).`,
      );
    },
  );

  it.each(CLOUDWATCH_CHECKS.map((c) => [c.id, c]))(
    "%s fails when the log group has no filter with the control's pattern",
    (id, check) => {
      // Arrange: every other control's filter, none of this one's
      const filters = monitoringFilters().filter((f) => f.name !== `${id}-filter`);
      const inv = home({ trails: ok([trail('main', { metricFilters: { items: filters } })]) });

      // Act
      const f = verdict(check, inv);

      // Assert
      expect(f.status).toBe('FAIL');
      expect(f.statusDetail).toContain(
        'log group cloudtrail of trail main (us-east-1) has no metric filter with the pattern',
      );
    },
  );

  it.each(CLOUDWATCH_CHECKS.map((c) => [c.id, c]))(
    '%s is ERROR when the metric filters could not be read',
    (_id, check) => {
      const error = collectionError('DescribeMetricFilters', { service: 'logs' });
      const inv = home({ trails: ok([trail('main', { metricFilters: { items: [], error } })]) });
      const f = verdict(check, inv);
      expect(f.status).toBe('ERROR');
      expect(f.statusDetail).toContain('the metric filters of log group cloudtrail');
    },
  );

  it('pairs CloudWatch.N with CIS v5.0 / v3.0 4.x by title, and Organizations changes with 4.15', () => {
    expect(
      Object.fromEntries(CLOUDWATCH_CHECKS.map((c) => [c.id, c.controlIds.join(' | ')])),
    ).toMatchObject({
      'CloudWatch.1': 'CloudWatch.1 | CIS-5.0 4.3 | CIS-3.0 4.3',
      'CloudWatch.2': 'CloudWatch.2 | CIS-5.0 4.1 | CIS-3.0 4.1',
      'CloudWatch.3': 'CloudWatch.3 | CIS-5.0 4.2 | CIS-3.0 4.2',
      'CloudWatch.14': 'CloudWatch.14 | CIS-5.0 4.14 | CIS-3.0 4.14',
      'CloudWatch.OrganizationsChanges': 'CIS-5.0 4.15 | CIS-3.0 4.15',
    });
    expect(CLOUDWATCH_CHECKS.map((c) => c.id)).toEqual(Object.keys(MONITORING_PATTERNS));
  });
});

describe('CloudWatch.5 (one control, every link of the chain)', () => {
  it('fails when no trail exists', () => {
    const f = verdict(CW5, home({ trails: ok([]) }));
    expect(f.status).toBe('FAIL');
    expect(f.statusDetail).toContain('no CloudTrail trail is homed in the scanned regions');
  });

  it.each([
    ['single-Region', { isMultiRegion: false }],
    ['not logging', { isLogging: ok(false) }],
    [
      'does not record read management events',
      {
        selectors: ok({
          basic: [
            {
              readWriteType: 'WriteOnly',
              includeManagementEvents: true,
              excludeManagementEventSources: [],
              dataResources: [],
            },
          ],
          advanced: [],
        }),
      },
    ],
  ])(
    'fails for a %s trail even with the filter, alarm and topic in place',
    (why, over: Partial<TrailInventory>) => {
      const f = verdict(CW5, home({ trails: ok([trail('main', over)]) }));
      expect(f.status).toBe('FAIL');
      expect(f.statusDetail).toContain(`trail main (us-east-1): ${why}`);
    },
  );

  it('fails for a trail that sends nothing to CloudWatch Logs', () => {
    const t = trail('main', { logGroupArn: undefined, metricFilters: undefined });
    const f = verdict(CW5, home({ trails: ok([t]) }));
    expect(f.status).toBe('FAIL');
    expect(f.statusDetail).toContain(
      'trail main (us-east-1) does not send events to CloudWatch Logs',
    );
  });

  it('counts a multi-Region trail homed in another region (finding in the home region)', () => {
    // Arrange: no trail at home; the monitored trail lives in eu-west-1
    const inv = inventory({
      regions: [
        region(REGION, { cloudtrail: cloudtrail(REGION, { trails: ok([]) }) }),
        region(OTHER),
      ],
    });

    // Act
    const f = verdict(CW5, inv);

    // Assert
    expect(f.status).toBe('PASS');
    expect(f.statusDetail).toContain(`trail main (eu-west-1)`);
    expect(f.statusDetail).toContain(topicArn(OTHER));
  });

  it('fails on a metric filter with an extra clause (Security Hub: no terms may be added)', () => {
    const pattern = MONITORING_PATTERNS['CloudWatch.5']![0]!.replace(
      '}',
      ' || ($.eventName=PutEventSelectors)}',
    );
    const f = verdict(CW5, home(cw5Filter(pattern)));
    expect(f.status).toBe('FAIL');
    expect(f.statusDetail).toContain('has no metric filter with the pattern');
  });

  it("passes on CIS v5.0's spelling of the pattern", () => {
    const f = verdict(CW5, home(cw5Filter(MONITORING_PATTERNS['CloudWatch.5']![1]!)));
    expect(f.status).toBe('PASS');
  });

  it('fails when no alarm watches the metric (same name, other namespace does not count)', () => {
    const alarms: AlarmInventory[] = monitoringAlarms().map((a) => ({
      ...a,
      metrics: a.metrics.map((m) => ({ ...m, namespace: 'Other' })),
    }));
    const f = verdict(CW5, home({ alarms: { items: alarms } }));
    expect(f.status).toBe('FAIL');
    expect(f.statusDetail).toContain(
      'no alarm with an SNS action watches metric LogMetrics/CloudWatch.5 of metric filter CloudWatch.5-filter',
    );
  });

  it('passes on a metric-math alarm over the metric', () => {
    // (the fixture alarm lists the metric as one of several, as a math alarm does)
    const alarms = monitoringAlarms().map((a) => ({
      ...a,
      metrics: [{ namespace: 'LogMetrics', name: 'Other' }, ...a.metrics],
    }));
    expect(verdict(CW5, home({ alarms: { items: alarms } })).status).toBe('PASS');
  });

  it('is ERROR when the alarms could not be listed', () => {
    const error = collectionError('DescribeAlarms', { service: 'cloudwatch' });
    const f = verdict(CW5, home({ alarms: { items: [], error } }));
    expect(f.status).toBe('ERROR');
    expect(f.statusDetail).toContain('DescribeAlarms failed');
  });

  it('fails when the alarm notifies no SNS topic', () => {
    const alarms = monitoringAlarms().map((a) => ({
      ...a,
      alarmActions: ['arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:p'],
    }));
    const f = verdict(CW5, home({ alarms: { items: alarms } }));
    expect(f.status).toBe('FAIL');
    expect(f.statusDetail).toContain('alarm CloudWatch.5-filter-alarm notifies no SNS topic');
  });

  it('fails when the topic has only subscriptions pending confirmation', () => {
    const topicSubscriptions = {
      [topicArn()]: {
        items: [
          { arn: 'PendingConfirmation', protocol: 'email' },
          { arn: 'PendingConfirmation', protocol: 'email' },
        ],
      },
    };
    const f = verdict(CW5, home({ topicSubscriptions }));
    expect(f.status).toBe('FAIL');
    expect(f.statusDetail).toContain(
      `SNS topic ${topicArn()} of alarm CloudWatch.5-filter-alarm has no confirmed subscription (2 pending confirmation)`,
    );
  });

  it("is ERROR when the topic's subscriptions could not be read (Security Hub: WARNING)", () => {
    const error = collectionError('ListSubscriptionsByTopic', { service: 'sns' });
    const f = verdict(CW5, home({ topicSubscriptions: { [topicArn()]: { items: [], error } } }));
    expect(f.status).toBe('ERROR');
    expect(f.statusDetail).toContain(`the subscriptions of SNS topic ${topicArn()}`);
  });

  it('passes on a confirmed subscription even when a later page failed', () => {
    const error = collectionError('ListSubscriptionsByTopic', { service: 'sns' });
    const items = [{ arn: `${topicArn()}:s1`, protocol: 'email' }];
    const f = verdict(CW5, home({ topicSubscriptions: { [topicArn()]: { items, error } } }));
    expect(f.status).toBe('PASS');
  });

  it('is ERROR when the region holding the only trail could not be listed', () => {
    const denied = collectionError('DescribeTrails', { service: 'cloudtrail' });
    const f = verdict(CW5, home({ trails: { ok: false, error: denied } }));
    expect(f.status).toBe('ERROR');
  });

  it('is ERROR when the only multi-Region trail cannot be qualified', () => {
    const t = trail('main', {
      isLogging: failed<boolean>('GetTrailStatus', { service: 'cloudtrail' }),
    });
    expect(verdict(CW5, home({ trails: ok([t]) })).status).toBe('ERROR');
  });
});
