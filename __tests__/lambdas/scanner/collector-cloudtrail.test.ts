import {
  DescribeTrailsCommand,
  GetEventSelectorsCommand,
  GetTrailStatusCommand,
  type Trail,
} from '@aws-sdk/client-cloudtrail';
import { DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeMetricFiltersCommand } from '@aws-sdk/client-cloudwatch-logs';
import { ListSubscriptionsByTopicCommand } from '@aws-sdk/client-sns';
import { multiRegionTrail } from '../../../lambdas/scanner/checks/cloudtrail';
import {
  CLOUDTRAIL_COLLECTOR,
  collectCloudTrail,
} from '../../../lambdas/scanner/inventory/cloudtrail';
import { Collector } from '../../../lambdas/scanner/inventory/collector';
import { collectInventory } from '../../../lambdas/scanner/inventory/index';
import type { TrailInventory } from '../../../lambdas/scanner/inventory/types';
import { logger } from '../../../lambdas/shared/observability';
import { awsError, clientRegion, mocks, resetMocks } from './aws-mocks';
import { CONFIG } from './fixtures';

const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
const collector = () => new Collector(ACCOUNT, 'aws', 4, async () => undefined);
const arnOf = (name: string, region = REGION) =>
  `arn:aws:cloudtrail:${region}:${ACCOUNT}:trail/${name}`;
const GROUP = 'cloudtrail-events';
const GROUP_ARN = `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${GROUP}:*`;
const TOPIC = `arn:aws:sns:${REGION}:${ACCOUNT}:cis-alarms`;
const ALL_MANAGEMENT = [{ ReadWriteType: 'All' as const, IncludeManagementEvents: true }];

function apiTrail(name: string, over: Partial<Trail> = {}): Trail {
  return {
    Name: name,
    TrailARN: arnOf(name),
    HomeRegion: REGION,
    IsMultiRegionTrail: true,
    S3BucketName: 'trail-bucket',
    LogFileValidationEnabled: true,
    CloudWatchLogsLogGroupArn: GROUP_ARN,
    ...over,
  };
}

/** A monitored account: one trail, one filter, one alarm on its metric, one subscribed topic. */
function monitoredAccount(trails: Trail[] = [apiTrail('main')]) {
  mocks.cloudtrail.on(DescribeTrailsCommand).resolves({ trailList: trails });
  mocks.cloudtrail.on(GetTrailStatusCommand).resolves({ IsLogging: true });
  mocks.cloudtrail.on(GetEventSelectorsCommand).resolves({ EventSelectors: ALL_MANAGEMENT });
  mocks.logs.on(DescribeMetricFiltersCommand).resolves({
    metricFilters: [
      {
        filterName: 'root',
        filterPattern: '{ $.userIdentity.type = "Root" }',
        metricTransformations: [
          { metricName: 'RootUse', metricNamespace: 'CIS', metricValue: '1' },
        ],
      },
    ],
  });
  mocks.cloudwatch.on(DescribeAlarmsCommand).resolves({
    MetricAlarms: [
      {
        AlarmName: 'root-alarm',
        AlarmArn: `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:root-alarm`,
        MetricName: 'RootUse',
        Namespace: 'CIS',
        AlarmActions: [TOPIC],
      },
    ],
  });
  mocks.sns.on(ListSubscriptionsByTopicCommand).resolves({
    Subscriptions: [{ SubscriptionArn: `${TOPIC}:s1`, Protocol: 'email' }],
  });
}

function trailsOf(inv: Awaited<ReturnType<typeof collectCloudTrail>>): TrailInventory[] {
  if (!inv.trails.ok) throw new Error('trails not read');
  return [...inv.trails.value];
}

beforeAll(() => logger.setLogLevel('SILENT'));
beforeEach(() => resetMocks());

describe('CloudTrail collector', () => {
  it('reads the trails homed in the region, then each trail by ARN, all with clients of the region', async () => {
    // Arrange: two trails homed in eu-west-1 (one single-Region with advanced selectors)
    const EU = 'eu-west-1';
    const homed = (name: string, over: Partial<Trail> = {}) =>
      apiTrail(name, { TrailARN: arnOf(name, EU), HomeRegion: EU, ...over });
    monitoredAccount([homed('main'), homed('local', { IsMultiRegionTrail: false })]);
    const advanced = [
      { Field: 'eventCategory', Equals: ['Data'] },
      { Field: 'resources.ARN', StartsWith: ['arn:aws:s3:::'] },
    ];
    mocks.cloudtrail
      .on(GetEventSelectorsCommand, { TrailName: arnOf('local', EU) })
      .resolves({ AdvancedEventSelectors: [{ Name: 'objects', FieldSelectors: advanced }] });

    // Act
    const inv = await collectCloudTrail(collector(), EU);

    // Assert
    expect(mocks.cloudtrail).toHaveReceivedCommandWith(DescribeTrailsCommand, {
      includeShadowTrails: true,
    });
    for (const name of ['main', 'local']) {
      expect(mocks.cloudtrail).toHaveReceivedCommandWith(GetTrailStatusCommand, {
        Name: arnOf(name, EU),
      });
      expect(mocks.cloudtrail).toHaveReceivedCommandWith(GetEventSelectorsCommand, {
        TrailName: arnOf(name, EU),
      });
    }
    const regions = await Promise.all(
      mocks.cloudtrail.calls().map((call) => clientRegion(() => call.thisValue)),
    );
    expect(new Set(regions)).toEqual(new Set([EU]));
    expect(trailsOf(inv).map((t) => [t.name, t.homeRegion])).toEqual([
      ['main', EU],
      ['local', EU],
    ]);
    expect(trailsOf(inv)[1]!.selectors).toEqual({
      ok: true,
      value: {
        basic: [],
        advanced: [
          [
            { field: 'eventCategory', equals: ['Data'] },
            { field: 'resources.ARN', startsWith: ['arn:aws:s3:::'] },
          ],
        ],
      },
    });
    // the log group is in us-east-1, not the trail's home region: no monitoring call
    expect(mocks.logs.calls()).toHaveLength(0);
  });

  it('keeps only trails homed in the region it reads', async () => {
    monitoredAccount([apiTrail('main')]);
    const inv = await collectCloudTrail(collector(), 'eu-west-1');
    expect(inv.trails).toEqual({ ok: true, value: [] });
    expect(mocks.cloudtrail).toHaveReceivedCommandTimes(GetTrailStatusCommand, 0);
  });

  it("sees the organization's trail from a member account (a shadow trail), read once by its ARN", async () => {
    // Arrange: in a member account, DescribeTrails lists the management account's organization
    // trail only with shadow trails; a shadow of the member's own trail homed elsewhere, too.
    const MANAGEMENT = '999999999999';
    const orgArn = `arn:aws:cloudtrail:${REGION}:${MANAGEMENT}:trail/org`;
    monitoredAccount([
      apiTrail('org', { TrailARN: orgArn, IsOrganizationTrail: true }),
      apiTrail('elsewhere', { TrailARN: arnOf('elsewhere', 'eu-west-1'), HomeRegion: 'eu-west-1' }),
    ]);

    // Act
    const trails = trailsOf(await collectCloudTrail(collector(), REGION));

    // Assert
    expect(trails.map((t) => [t.name, t.account, t.isOrganizationTrail])).toEqual([
      ['org', MANAGEMENT, true],
    ]);
    // Its status by ARN, as members may; its selectors are only the owner's to read.
    expect(mocks.cloudtrail).toHaveReceivedCommandWith(GetTrailStatusCommand, { Name: orgArn });
    expect(mocks.cloudtrail).toHaveReceivedCommandTimes(GetTrailStatusCommand, 1);
    expect(mocks.cloudtrail).not.toHaveReceivedCommand(GetEventSelectorsCommand);
    expect(trails[0]!.selectors).toEqual({ ok: true, value: null });
  });

  it('maps trail settings, status and basic and advanced selectors (AWS defaults applied)', async () => {
    // Arrange
    monitoredAccount([apiTrail('main', { KmsKeyId: 'k', IsOrganizationTrail: true })]);
    mocks.cloudtrail.on(GetEventSelectorsCommand).resolves({
      EventSelectors: [{ DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3'] }] }],
    });

    // Act
    const [t] = trailsOf(await collectCloudTrail(collector(), REGION));

    // Assert
    expect(t).toMatchObject({
      name: 'main',
      arn: arnOf('main'),
      homeRegion: REGION,
      isMultiRegion: true,
      isOrganizationTrail: true,
      s3BucketName: 'trail-bucket',
      kmsKeyId: 'k',
      logFileValidation: true,
      logGroupArn: GROUP_ARN,
      isLogging: { ok: true, value: true },
      selectors: {
        ok: true,
        value: {
          basic: [
            {
              readWriteType: 'All',
              includeManagementEvents: true,
              excludeManagementEventSources: [],
              dataResources: [{ type: 'AWS::S3::Object', values: ['arn:aws:s3'] }],
            },
          ],
          advanced: [],
        },
      },
    });
  });

  it('follows a CIS-capable trail to its metric filters, alarms and topic subscriptions', async () => {
    // Arrange
    monitoredAccount();

    // Act
    const inv = await collectCloudTrail(collector(), REGION);

    // Assert
    expect(mocks.logs).toHaveReceivedCommandWith(DescribeMetricFiltersCommand, {
      logGroupName: GROUP,
      limit: 50,
    });
    expect(mocks.cloudwatch).toHaveReceivedCommandWith(DescribeAlarmsCommand, {
      ActionPrefix: 'arn:aws:sns:',
      MaxRecords: 100,
    });
    expect(mocks.sns).toHaveReceivedCommandWith(ListSubscriptionsByTopicCommand, {
      TopicArn: TOPIC,
    });
    expect(trailsOf(inv)[0]!.metricFilters).toEqual({
      items: [
        {
          name: 'root',
          pattern: '{ $.userIdentity.type = "Root" }',
          metrics: [{ namespace: 'CIS', name: 'RootUse' }],
        },
      ],
    });
    expect(inv.alarms?.items).toEqual([
      {
        name: 'root-alarm',
        arn: `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:root-alarm`,
        alarmActions: [TOPIC],
        metrics: [{ namespace: 'CIS', name: 'RootUse' }],
      },
    ]);
    expect(inv.topicSubscriptions).toEqual({
      [TOPIC]: { items: [{ arn: `${TOPIC}:s1`, protocol: 'email' }] },
    });
  });

  it.each([
    ['single-Region', { IsMultiRegionTrail: false }, {}],
    ['not logging', {}, { IsLogging: false }],
    ['without a log group', { CloudWatchLogsLogGroupArn: undefined }, {}],
    [
      'with a log group in another region',
      { CloudWatchLogsLogGroupArn: `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:${GROUP}:*` },
      {},
    ],
  ])(
    'spends no monitoring call on a trail %s',
    async (_label, trailOver: Partial<Trail>, status) => {
      // Arrange
      monitoredAccount([apiTrail('main', trailOver)]);
      mocks.cloudtrail.on(GetTrailStatusCommand).resolves({ IsLogging: true, ...status });

      // Act
      const inv = await collectCloudTrail(collector(), REGION);

      // Assert
      expect(mocks.logs.calls()).toHaveLength(0);
      expect(mocks.cloudwatch.calls()).toHaveLength(0);
      expect(mocks.sns.calls()).toHaveLength(0);
      expect(trailsOf(inv)[0]!.metricFilters).toBeUndefined();
      expect(inv.alarms).toBeUndefined();
    },
  );

  it('spends no monitoring call on a trail recording write management events only', async () => {
    monitoredAccount();
    mocks.cloudtrail.on(GetEventSelectorsCommand).resolves({
      EventSelectors: [{ ReadWriteType: 'WriteOnly', IncludeManagementEvents: true }],
    });
    await collectCloudTrail(collector(), REGION);
    expect(mocks.logs.calls()).toHaveLength(0);
  });

  it('reads a log group shared by two trails once, and no alarms when it has no filter', async () => {
    // Arrange
    monitoredAccount([apiTrail('a'), apiTrail('b')]);
    mocks.logs.on(DescribeMetricFiltersCommand).resolves({ metricFilters: [] });

    // Act
    const inv = await collectCloudTrail(collector(), REGION);

    // Assert
    expect(mocks.logs).toHaveReceivedCommandTimes(DescribeMetricFiltersCommand, 1);
    expect(trailsOf(inv).map((t) => t.metricFilters)).toEqual([{ items: [] }, { items: [] }]);
    expect(mocks.cloudwatch.calls()).toHaveLength(0);
  });

  it('paginates metric filters, alarms and subscriptions', async () => {
    // Arrange
    monitoredAccount();
    mocks.logs
      .on(DescribeMetricFiltersCommand)
      .resolvesOnce({
        metricFilters: [
          { filterName: 'f1', filterPattern: '{ $.a = 1 }', metricTransformations: [] },
        ],
        nextToken: 'mf-2',
      })
      .resolvesOnce({
        metricFilters: [
          {
            filterName: 'f2',
            filterPattern: '{ $.b = 1 }',
            metricTransformations: [
              { metricName: 'RootUse', metricNamespace: 'CIS', metricValue: '1' },
            ],
          },
        ],
      });
    mocks.cloudwatch
      .on(DescribeAlarmsCommand)
      .resolvesOnce({ MetricAlarms: [], NextToken: 'al-2' })
      .resolvesOnce({
        MetricAlarms: [
          {
            AlarmName: 'math',
            Metrics: [
              {
                Id: 'm1',
                MetricStat: {
                  Metric: { Namespace: 'CIS', MetricName: 'RootUse' },
                  Period: 300,
                  Stat: 'Sum',
                },
              },
              { Id: 'e1', Expression: 'm1 * 2' },
            ],
            AlarmActions: [TOPIC],
          },
        ],
      });
    mocks.sns
      .on(ListSubscriptionsByTopicCommand)
      .resolvesOnce({
        Subscriptions: [{ SubscriptionArn: 'PendingConfirmation', Protocol: 'email' }],
        NextToken: 'sub-2',
      })
      .resolvesOnce({ Subscriptions: [{ SubscriptionArn: `${TOPIC}:s2`, Protocol: 'https' }] });

    // Act
    const inv = await collectCloudTrail(collector(), REGION);

    // Assert
    expect(mocks.logs).toHaveReceivedNthCommandWith(2, DescribeMetricFiltersCommand, {
      logGroupName: GROUP,
      limit: 50,
      nextToken: 'mf-2',
    });
    expect(mocks.cloudwatch).toHaveReceivedNthCommandWith(2, DescribeAlarmsCommand, {
      ActionPrefix: 'arn:aws:sns:',
      MaxRecords: 100,
      NextToken: 'al-2',
    });
    expect(mocks.sns).toHaveReceivedNthCommandWith(2, ListSubscriptionsByTopicCommand, {
      TopicArn: TOPIC,
      NextToken: 'sub-2',
    });
    expect(trailsOf(inv)[0]!.metricFilters?.items.map((f) => f.name)).toEqual(['f1', 'f2']);
    expect(inv.alarms?.items[0]?.metrics).toEqual([{ namespace: 'CIS', name: 'RootUse' }]);
    expect(inv.topicSubscriptions[TOPIC]?.items.map((s) => s.arn)).toEqual([
      'PendingConfirmation',
      `${TOPIC}:s2`,
    ]);
  });

  it("reads only topics of alarms on the trails' filter metrics, and never another account's", async () => {
    // Arrange
    const foreign = 'arn:aws:sns:us-east-1:999999999999:central';
    const unrelated = `arn:aws:sns:${REGION}:${ACCOUNT}:app-alerts`;
    monitoredAccount();
    mocks.cloudwatch.on(DescribeAlarmsCommand).resolves({
      MetricAlarms: [
        { AlarmName: 'root', MetricName: 'RootUse', Namespace: 'CIS', AlarmActions: [foreign] },
        { AlarmName: 'cpu', MetricName: 'CPU', Namespace: 'AWS/EC2', AlarmActions: [unrelated] },
      ],
    });
    const c = collector();

    // Act
    const inv = await collectCloudTrail(c, REGION);

    // Assert
    expect(mocks.sns.calls()).toHaveLength(0);
    expect(Object.keys(inv.topicSubscriptions)).toEqual([foreign]);
    expect(inv.topicSubscriptions[foreign]?.error).toMatchObject({
      service: 'sns',
      operation: 'ListSubscriptionsByTopic',
      resourceUid: foreign,
      code: 'OtherAccountTopic',
    });
  });

  it('records AccessDenied on one trail against that trail only', async () => {
    // Arrange
    monitoredAccount([apiTrail('open'), apiTrail('denied')]);
    mocks.cloudtrail
      .on(GetEventSelectorsCommand, { TrailName: arnOf('denied') })
      .rejects(awsError('AccessDeniedException'));
    const c = collector();

    // Act
    const [open, denied] = trailsOf(await collectCloudTrail(c, REGION));

    // Assert
    expect(open!.selectors.ok).toBe(true);
    expect(denied!.selectors).toMatchObject({
      ok: false,
      error: {
        operation: 'GetEventSelectors',
        resourceUid: arnOf('denied'),
        kind: 'access-denied',
      },
    });
    expect(denied!.isLogging).toEqual({ ok: true, value: true });
    expect(c.errors).toHaveLength(1);
  });

  it('records AccessDenied on DescribeTrails for the region and calls nothing else', async () => {
    mocks.cloudtrail.on(DescribeTrailsCommand).rejects(awsError('AccessDeniedException'));
    const inv = await collectCloudTrail(collector(), REGION);
    expect(inv.trails).toMatchObject({ ok: false, error: { operation: 'DescribeTrails' } });
    expect(mocks.cloudtrail.calls()).toHaveLength(1);
  });

  it('stands for "nothing read" when the collector fails outright', () => {
    const error = {
      service: 'cloudtrail' as const,
      region: REGION,
      operation: 'CollectCloudtrail',
      kind: 'other' as const,
      code: 'TypeError',
      message: 'boom',
    };
    expect(CLOUDTRAIL_COLLECTOR.unreadable(error)).toEqual({
      trails: { ok: false, error },
      topicSubscriptions: {},
    });
  });
});

describe('CloudTrail.1 over a collected inventory', () => {
  it('is ERROR (not FAIL) when one region denies DescribeTrails and no other region has a qualifying trail', async () => {
    // Arrange: us-east-1 has no trail; eu-west-1 denies DescribeTrails
    mocks.cloudtrail.on(DescribeTrailsCommand).callsFake(async (_input, getClient) => {
      if ((await clientRegion(getClient)) === 'eu-west-1')
        throw awsError(
          'AccessDeniedException',
          'not authorized to perform cloudtrail:DescribeTrails',
        );
      return { trailList: [] };
    });

    // Act
    const inv = await collectInventory({
      scanId: 's',
      account: ACCOUNT,
      homeRegion: REGION,
      regions: [REGION, 'eu-west-1'],
      observedAt: '2026-06-01T00:00:00.000Z',
      concurrency: 2,
      sleep: async () => undefined,
    });
    const [finding] = multiRegionTrail.evaluate(inv, CONFIG);

    // Assert
    expect(finding).toMatchObject({ status: 'ERROR', region: REGION });
    expect(finding!.statusDetail).toContain(
      'DescribeTrails failed in eu-west-1 (AccessDeniedException, access-denied)',
    );
  });
});
