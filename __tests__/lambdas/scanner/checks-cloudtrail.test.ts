import {
  logFileValidation,
  multiRegionTrail,
  s3ReadDataEvents,
  s3WriteDataEvents,
  trailBucketLogging,
  trailEncryption,
} from '../../../lambdas/scanner/checks/cloudtrail';
import type { Check } from '../../../lambdas/scanner/checks/types';
import type {
  Listed,
  TrailFieldSelector,
  TrailInventory,
  TrailSelectors,
} from '../../../lambdas/scanner/inventory/types';
import {
  ACCOUNT,
  bucket,
  cloudtrail,
  collectionError,
  CONFIG,
  failed,
  inventory,
  ok,
  region,
  REGION,
  statusOf,
  trail,
} from './fixtures';

const ROOT = `arn:aws:iam::${ACCOUNT}:root`;
const OTHER = 'eu-west-1';

/** An inventory whose regions hold exactly these trails (region → trails). */
function withTrails(byRegion: Record<string, TrailInventory[]>, over = {}) {
  return inventory({
    regions: Object.entries(byRegion).map(([name, trails]) =>
      region(name, { cloudtrail: cloudtrail(name, { trails: ok(trails) }) }),
    ),
    ...over,
  });
}

function accountFinding(check: Check, inv: ReturnType<typeof inventory>) {
  const findings = check.evaluate(inv, CONFIG);
  expect(findings).toHaveLength(1);
  expect(findings[0]).toMatchObject({ region: REGION, resource: { type: 'AWS::::Account' } });
  return statusOf(findings, ROOT);
}

const basic = (readWriteType: string, over: Partial<TrailSelectors['basic'][number]> = {}) =>
  ok<TrailSelectors>({
    basic: [
      {
        readWriteType,
        includeManagementEvents: true,
        excludeManagementEventSources: [],
        dataResources: [],
        ...over,
      },
    ],
    advanced: [],
  });
const advanced = (...selectors: TrailFieldSelector[][]) =>
  ok<TrailSelectors>({ basic: [], advanced: selectors });
const MANAGEMENT: TrailFieldSelector = { field: 'eventCategory', equals: ['Management'] };
const DATA: TrailFieldSelector = { field: 'eventCategory', equals: ['Data'] };
const S3_OBJECTS: TrailFieldSelector = { field: 'resources.type', equals: ['AWS::S3::Object'] };
const readOnly = (value: string): TrailFieldSelector => ({ field: 'readOnly', equals: [value] });

describe('CloudTrail.1', () => {
  it.each([
    ['basic selector All with management events', basic('All')],
    ['advanced Management selector without readOnly', advanced([MANAGEMENT])],
    [
      'advanced read and write selectors together',
      advanced([MANAGEMENT, readOnly('true')], [MANAGEMENT, readOnly('false')]),
    ],
  ])('passes for a logging multi-Region trail: %s', (_label, selectors) => {
    // Arrange
    const inv = withTrails({ [REGION]: [trail('main', { selectors })] });

    // Act
    const f = accountFinding(multiRegionTrail, inv);

    // Assert
    expect(f.status).toBe('PASS');
    expect(f.statusDetail).toBe(
      'Multi-Region trail main (us-east-1) is logging and records read and write management events.',
    );
    expect(f.controlIds).toEqual(['CloudTrail.1', 'CIS-5.0 3.1', 'CIS-3.0 3.1']);
  });

  it('counts a multi-Region trail homed in another region than the home region', () => {
    // Arrange
    const inv = withTrails({ [REGION]: [], [OTHER]: [trail('org', {}, OTHER)] });

    // Act
    const f = accountFinding(multiRegionTrail, inv);

    // Assert
    expect(f.status).toBe('PASS');
    expect(f.statusDetail).toContain('trail org (eu-west-1)');
  });

  it.each([
    ['a single-Region trail', { isMultiRegion: false }, 'single-Region'],
    ['a trail that is not logging', { isLogging: ok(false) }, 'not logging'],
    [
      'write management events only',
      { selectors: basic('WriteOnly') },
      'does not record read management events',
    ],
    [
      'read management events only (advanced)',
      { selectors: advanced([MANAGEMENT, readOnly('true')]) },
      'does not record write',
    ],
    [
      'management events excluded',
      { selectors: basic('All', { includeManagementEvents: false }) },
      'does not record read or write',
    ],
    [
      'KMS events excluded (basic)',
      { selectors: basic('All', { excludeManagementEventSources: ['kms.amazonaws.com'] }) },
      'does not record read or write management events from every event source',
    ],
    [
      'KMS events excluded (advanced)',
      {
        selectors: advanced([
          MANAGEMENT,
          { field: 'eventSource', notEquals: ['kms.amazonaws.com'] },
        ]),
      },
      'does not record read or write management events from every event source',
    ],
  ])('fails for %s', (_label, over: Partial<TrailInventory>, why) => {
    // Arrange
    const inv = withTrails({ [REGION]: [trail('t', over)] });

    // Act
    const f = accountFinding(multiRegionTrail, inv);

    // Assert
    expect(f.status).toBe('FAIL');
    expect(f.statusDetail).toContain(`trail t (us-east-1): ${why}`);
  });

  it('fails when no trail exists in any scanned region', () => {
    const f = accountFinding(multiRegionTrail, withTrails({ [REGION]: [], [OTHER]: [] }));
    expect(f.status).toBe('FAIL');
    expect(f.statusDetail).toBe(
      'No multi-Region trail is logging with read and write management events: no CloudTrail trail is homed in the scanned regions (us-east-1, eu-west-1).',
    );
  });

  it('is ERROR when a region whose trails are unreadable might hold the only qualifying trail', () => {
    // Arrange: the home region has a single-Region trail only; eu-west-1 denies DescribeTrails
    const denied = collectionError('DescribeTrails', { service: 'cloudtrail', region: OTHER });
    const inv = inventory({
      regions: [
        region(REGION, {
          cloudtrail: cloudtrail(REGION, {
            trails: ok([trail('local', { isMultiRegion: false })]),
          }),
        }),
        region(OTHER, {
          cloudtrail: { trails: { ok: false, error: denied }, topicSubscriptions: {} },
        }),
      ],
    });

    // Act
    const f = accountFinding(multiRegionTrail, inv);

    // Assert
    expect(f.status).toBe('ERROR');
    expect(f.statusDetail).toContain('the trails homed in eu-west-1, and no other trail qualifies');
    expect(f.statusDetail).toContain('DescribeTrails failed in eu-west-1 (AccessDenied');
  });

  it('passes on a qualifying trail even when another region is unreadable', () => {
    const denied = collectionError('DescribeTrails', { service: 'cloudtrail', region: OTHER });
    const inv = inventory({
      regions: [
        region(REGION),
        region(OTHER, {
          cloudtrail: { trails: { ok: false, error: denied }, topicSubscriptions: {} },
        }),
      ],
    });
    expect(accountFinding(multiRegionTrail, inv).status).toBe('PASS');
  });

  it.each([
    [
      'event selectors',
      { selectors: failed<TrailSelectors>('GetEventSelectors', { service: 'cloudtrail' }) },
    ],
    ['logging status', { isLogging: failed<boolean>('GetTrailStatus', { service: 'cloudtrail' }) }],
  ])("is ERROR when a multi-Region trail's %s are unreadable", (_label, over) => {
    const f = accountFinding(multiRegionTrail, withTrails({ [REGION]: [trail('t', over)] }));
    expect(f.status).toBe('ERROR');
  });

  it('fails, not ERROR, when the unreadable trail is single-Region', () => {
    const over = { isMultiRegion: false, selectors: failed<TrailSelectors>('GetEventSelectors') };
    const f = accountFinding(multiRegionTrail, withTrails({ [REGION]: [trail('t', over)] }));
    expect(f.status).toBe('FAIL');
  });
});

describe("the organization's trail, seen from a member account", () => {
  const MANAGEMENT = '999999999999';
  /** The management account's organization trail as a member sees it: no selectors, no KMS key. */
  const orgTrail = (over: Partial<TrailInventory> = {}) =>
    trail('org', {
      arn: `arn:aws:cloudtrail:${REGION}:${MANAGEMENT}:trail/org`,
      account: MANAGEMENT,
      isOrganizationTrail: true,
      selectors: ok(null),
      kmsKeyId: undefined,
      logFileValidation: false,
      s3BucketName: 'org-trail-logs',
      ...over,
    });

  it('CloudTrail.1: passes on it when multi-Region and logging (Security Hub passes members)', () => {
    const finding = accountFinding(multiRegionTrail, withTrails({ [REGION]: [orgTrail()] }));
    expect(finding.status).toBe('PASS');
    expect(finding.statusDetail).toContain(
      `organization trail org (${REGION}) of account ${MANAGEMENT}`,
    );
  });

  it('CloudTrail.1: fails on it when it is not logging', () => {
    const inv = withTrails({ [REGION]: [orgTrail({ isLogging: ok(false) })] });
    expect(accountFinding(multiRegionTrail, inv).status).toBe('FAIL');
  });

  it('S3.22: does not count it, its data event selectors being unreadable here', () => {
    const finding = accountFinding(s3WriteDataEvents, withTrails({ [REGION]: [orgTrail()] }));
    expect(finding.status).toBe('FAIL');
    expect(finding.statusDetail).toContain(
      `the organization trail of account ${MANAGEMENT}, whose event selectors only that account can read`,
    );
  });

  it.each([
    ['CloudTrail.2', trailEncryption],
    ['CloudTrail.4', logFileValidation],
  ])('%s: no finding here; the owning account judges its trail', (_id, check) => {
    expect(check.evaluate(withTrails({ [REGION]: [orgTrail()] }), CONFIG)).toEqual([]);
  });

  it("CloudTrail.7: judges its bucket where the bucket is this account's (a log archive)", () => {
    const inv = withTrails(
      { [REGION]: [orgTrail()] },
      { s3: { buckets: { items: [bucket('org-trail-logs', { logging: ok(null) })] } } },
    );
    const findings = trailBucketLogging.evaluate(inv, CONFIG);
    expect(statusOf(findings, 'arn:aws:s3:::org-trail-logs').status).toBe('FAIL');
    const elsewhere = withTrails({ [REGION]: [orgTrail()] }, { s3: { buckets: { items: [] } } });
    expect(trailBucketLogging.evaluate(elsewhere, CONFIG)).toEqual([]);
  });
});

describe('trail checks (CloudTrail.2, CloudTrail.4)', () => {
  it.each([
    ['CloudTrail.2', trailEncryption, { kmsKeyId: undefined }, 'has no KMS key'],
    [
      'CloudTrail.4',
      logFileValidation,
      { logFileValidation: false },
      'log file validation disabled',
    ],
  ])('%s: one finding per trail in its home region, PASS or FAIL', (_id, check, bad, detail) => {
    // Arrange
    const good = trail('good', {}, OTHER);
    const weak = trail('weak', bad);
    const inv = withTrails({ [REGION]: [weak], [OTHER]: [good] });

    // Act
    const findings = check.evaluate(inv, CONFIG);

    // Assert
    expect(findings).toHaveLength(2);
    expect(statusOf(findings, good.arn)).toMatchObject({
      status: 'PASS',
      region: OTHER,
      resource: { type: 'AWS::CloudTrail::Trail', name: 'good' },
    });
    expect(statusOf(findings, weak.arn).status).toBe('FAIL');
    expect(statusOf(findings, weak.arn).statusDetail).toContain(detail);
  });

  it.each([
    ['CloudTrail.2', trailEncryption],
    ['CloudTrail.4', logFileValidation],
  ])('%s: ERROR for a region whose trails could not be listed', (_id, check) => {
    const denied = collectionError('DescribeTrails', { service: 'cloudtrail' });
    const inv = inventory({
      regions: [
        region(REGION, {
          cloudtrail: { trails: { ok: false, error: denied }, topicSubscriptions: {} },
        }),
      ],
    });
    const findings = check.evaluate(inv, CONFIG);
    expect(findings).toEqual([
      expect.objectContaining({
        status: 'ERROR',
        resource: expect.objectContaining({ uid: `arn:aws:cloudtrail:${REGION}:${ACCOUNT}:*` }),
      }),
    ]);
  });
});

describe('CloudTrail.7', () => {
  const BUCKET = `cloudtrail-${ACCOUNT}`;

  function run(buckets: Listed<ReturnType<typeof bucket>>, trails = [trail('a'), trail('b')]) {
    const inv = withTrails({ [REGION]: trails }, { s3: { buckets } });
    return trailBucketLogging.evaluate(inv, CONFIG);
  }

  it('passes once for a trail bucket with server access logging, naming every trail', () => {
    const findings = run({ items: [bucket(BUCKET)] });
    expect(findings).toHaveLength(1);
    expect(statusOf(findings, `arn:aws:s3:::${BUCKET}`)).toMatchObject({
      status: 'PASS',
      resource: { type: 'AWS::S3::Bucket' },
      controlIds: ['CloudTrail.7', 'CIS-5.0 3.4', 'CIS-3.0 3.4'],
    });
    expect(findings[0]!.statusDetail).toContain('trail(s) a, b deliver');
  });

  it('fails for a trail bucket without server access logging', () => {
    const findings = run({ items: [bucket(BUCKET, { logging: ok(null) })] });
    expect(statusOf(findings, `arn:aws:s3:::${BUCKET}`).status).toBe('FAIL');
  });

  it("is ERROR when the bucket's logging could not be read", () => {
    const findings = run({ items: [bucket(BUCKET, { logging: failed('GetBucketLogging') })] });
    expect(statusOf(findings, `arn:aws:s3:::${BUCKET}`).status).toBe('ERROR');
  });

  it("gives no finding for a bucket of another account (Security Hub: NO_DATA; its owner's scan judges it)", () => {
    expect(run({ items: [bucket('someone-elses')] })).toEqual([]);
  });

  it('is ERROR for a bucket not found when the bucket listing was cut short', () => {
    const findings = run({ items: [], error: collectionError('ListBuckets') });
    expect(statusOf(findings, `arn:aws:s3:::${BUCKET}`).status).toBe('ERROR');
  });
});

describe('S3.22 / S3.23 (object-level data events)', () => {
  const ALL_BUCKETS = { type: 'AWS::S3::Object', values: ['arn:aws:s3'] };

  it.each([
    ['basic All for all buckets', basic('All', { dataResources: [ALL_BUCKETS] }), 'PASS', 'PASS'],
    ['basic WriteOnly', basic('WriteOnly', { dataResources: [ALL_BUCKETS] }), 'PASS', 'FAIL'],
    [
      'basic ReadOnly (arn:aws:s3:::)',
      basic('ReadOnly', { dataResources: [{ ...ALL_BUCKETS, values: ['arn:aws:s3:::'] }] }),
      'FAIL',
      'PASS',
    ],
    [
      'basic, one bucket only',
      basic('All', { dataResources: [{ ...ALL_BUCKETS, values: ['arn:aws:s3:::logs/'] }] }),
      'FAIL',
      'FAIL',
    ],
    ['management events only', basic('All'), 'FAIL', 'FAIL'],
    ['advanced, no readOnly', advanced([DATA, S3_OBJECTS]), 'PASS', 'PASS'],
    ['advanced readOnly false', advanced([DATA, S3_OBJECTS, readOnly('false')]), 'PASS', 'FAIL'],
    ['advanced readOnly true', advanced([DATA, S3_OBJECTS, readOnly('true')]), 'FAIL', 'PASS'],
    [
      'advanced ARN prefix of every bucket',
      advanced([DATA, S3_OBJECTS, { field: 'resources.ARN', startsWith: ['arn:aws:s3:::'] }]),
      'PASS',
      'PASS',
    ],
    [
      'advanced ARN narrowed to a bucket',
      advanced([DATA, S3_OBJECTS, { field: 'resources.ARN', startsWith: ['arn:aws:s3:::logs/'] }]),
      'FAIL',
      'FAIL',
    ],
    [
      'advanced ARN excluding a bucket',
      advanced([
        DATA,
        S3_OBJECTS,
        { field: 'resources.ARN', notStartsWith: ['arn:aws:s3:::logs/'] },
      ]),
      'FAIL',
      'FAIL',
    ],
    [
      'advanced Lambda data events',
      advanced([DATA, { field: 'resources.type', equals: ['AWS::Lambda::Function'] }]),
      'FAIL',
      'FAIL',
    ],
  ])('%s → write %s, read %s', (_label, selectors, write, read) => {
    // Arrange
    const inv = withTrails({ [REGION]: [trail('t', { selectors })] });

    // Act / Assert
    expect(accountFinding(s3WriteDataEvents, inv).status).toBe(write);
    expect(accountFinding(s3ReadDataEvents, inv).status).toBe(read);
  });

  it('counts only multi-Region trails that are logging', () => {
    const selectors = basic('All', { dataResources: [ALL_BUCKETS] });
    for (const over of [{ isMultiRegion: false }, { isLogging: ok(false) }]) {
      const inv = withTrails({ [REGION]: [trail('t', { ...over, selectors })] });
      expect(accountFinding(s3WriteDataEvents, inv).status).toBe('FAIL');
    }
  });

  it('is ERROR when the selectors of the only multi-Region trail are unreadable', () => {
    const selectors = failed<TrailSelectors>('GetEventSelectors', { service: 'cloudtrail' });
    const inv = withTrails({ [REGION]: [trail('t', { selectors })] });
    expect(accountFinding(s3ReadDataEvents, inv).status).toBe('ERROR');
  });

  it('maps to CIS v5.0 3.8 / 3.9', () => {
    expect(s3WriteDataEvents.controlIds).toEqual(['S3.22', 'CIS-5.0 3.8', 'CIS-3.0 3.8']);
    expect(s3ReadDataEvents.controlIds).toEqual(['S3.23', 'CIS-5.0 3.9', 'CIS-3.0 3.9']);
  });
});
