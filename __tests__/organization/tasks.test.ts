/**
 * The organization scan's tasks one by one, against the fake AWS Organization: which accounts
 * and regions org-accounts plans, what org-shard writes for a disabled region, how org-merge turns
 * the Map's own failure record into ERROR findings, and the findings upload in parts.
 */
import { handler as accountsHandler } from '../../lambdas/org-accounts/handler';
import { handler as shardHandler } from '../../lambdas/org-shard/handler';
import { planOrganizationScan } from '../../lambdas/organization/accounts';
import { FindingsUpload } from '../../lambdas/shared/findings-upload';
import { orgScanKeys, type ScanPlan } from '../../lambdas/organization/layout';
import { failureReason } from '../../lambdas/organization/map-results';
import { fitEventDetail, MAX_EVENT_DETAIL_BYTES, runMerge } from '../../lambdas/organization/merge';
import { loadSettings } from '../../lambdas/scanner/settings';
import { awsClient, configureClients } from '../../lambdas/shared/clients';
import type { ScanCompletedDetail } from '../../lambdas/shared/events';
import { S3Client } from '@aws-sdk/client-s3';
import {
  ACCOUNTS,
  AUDIT_BUCKET,
  HEALTHY,
  HOME,
  OU,
  REGIONS,
  context,
  fakeOrganization,
  findingsIn,
  orgEnvironment,
  useFake,
} from './org-fixture';

const SCHEDULED = { source: 'aws.events', 'detail-type': 'Scheduled Event', detail: {} };

afterAll(() => configureClients({}));

describe('org-accounts', () => {
  orgEnvironment();

  it('plans every ACTIVE account (paginated), every enabled region, global parts first', async () => {
    // Arrange
    const { fake, store } = fakeOrganization([
      ...ACCOUNTS,
      { id: '444444444444', name: 'closing', parent: OU, state: 'PENDING_CLOSURE' },
    ]);
    useFake(fake);

    // Act
    const planned = await planOrganizationScan({
      auditBucket: AUDIT_BUCKET,
      homeRegion: HOME,
      includeOus: [],
      excludeAccounts: ['222222222222'],
    });

    // Assert
    const plan = JSON.parse(store.get(planned.planKey)!.toString()) as ScanPlan;
    expect(plan.accounts.map((a) => a.id)).toEqual(['111111111111', '333333333333']);
    expect(plan.skipped).toEqual([
      { id: '222222222222', name: 'dev', reason: 'ORG_EXCLUDE_ACCOUNTS' },
      { id: '444444444444', name: 'closing', reason: 'account is PENDING_CLOSURE' },
    ]);
    expect(plan.regions).toEqual([...REGIONS].sort());
    expect(plan.basis).toMatch(
      /^every ACTIVE account of the organization \(2 scanned, 2 skipped\); regions: every region enabled for the audit account/,
    );
    const shards = JSON.parse(store.get(planned.shardsKey)!.toString()) as unknown[];
    expect(shards).toEqual([
      { account: '111111111111', region: 'global' },
      { account: '333333333333', region: 'global' },
      ...[...REGIONS].sort().flatMap((region) => [
        { account: '111111111111', region },
        { account: '333333333333', region },
      ]),
    ]);
    expect(planned).toMatchObject({ accounts: 2, shardCount: 6 });
    expect(planned).not.toHaveProperty('items');
  });

  it('scans the accounts under ORG_INCLUDE_OUS, and a Scan Request’s regions', async () => {
    // Arrange
    const { fake, store } = fakeOrganization();
    useFake(fake);
    process.env.ORG_INCLUDE_OUS = OU;
    const request = {
      source: 'compliance.audit',
      'detail-type': 'Compliance Scan Request',
      detail: { regions: ['eu-west-1'] },
    };

    // Act
    const planned = await accountsHandler(
      { trigger: request, inlineShards: true },
      context('org-accounts'),
    );
    delete process.env.ORG_INCLUDE_OUS;

    // Assert
    const plan = JSON.parse(store.get(planned.planKey)!.toString()) as ScanPlan;
    expect(plan.accounts.map((a) => a.id)).toEqual(['222222222222']);
    expect(plan.regions).toEqual(['eu-west-1']);
    expect(planned.items).toEqual([
      { account: '222222222222', region: 'global' },
      { account: '222222222222', region: 'eu-west-1' },
    ]);
  });

  it('rejects a task without a scan trigger', async () => {
    await expect(
      accountsHandler({ trigger: SCHEDULED.detail }, context('org-accounts')),
    ).rejects.toThrow(/Malformed scan trigger event/);
  });
});

describe('org-shard', () => {
  orgEnvironment();

  it('writes a not-enabled part for a region DescribeRegions does not list as enabled, and scans nothing there', async () => {
    // Arrange: us-west-2 is not in the fake's enabled regions.
    const { fake, store } = fakeOrganization();
    useFake(fake);
    const task = {
      scanId: 'scan-1',
      startedAt: '2026-11-30T00:00:00.000Z',
      account: HEALTHY[0]!,
      region: 'us-west-2',
    };

    // Act
    const result = await shardHandler(task, context('org-shard'));

    // Assert
    expect(result).toMatchObject({ status: 'not-enabled' });
    const key = orgScanKeys(task.scanId, task.startedAt).part(task.account, task.region);
    expect(JSON.parse(store.get(key)!.toString())).toEqual({
      account: task.account,
      part: 'us-west-2',
      status: 'not-enabled',
      reason: 'not a region of this partition (ec2:DescribeRegions)',
    });
  });

  it('fails with ShardFailed after writing why, when the member role cannot be assumed', async () => {
    const { fake, store } = fakeOrganization();
    useFake(fake);
    const task = {
      scanId: 'scan-2',
      startedAt: '2026-11-30T00:00:00.000Z',
      account: '333333333333',
      region: 'global',
    };
    await expect(shardHandler(task, context('org-shard'))).rejects.toMatchObject({
      name: 'ShardFailed',
      message: expect.stringMatching(/^333333333333\/global: AssumeRole failed \(AccessDenied\)/),
    });
    const part = JSON.parse(
      store.get(orgScanKeys(task.scanId, task.startedAt).part(task.account, 'global'))!.toString(),
    );
    expect(part).toMatchObject({
      status: 'failed',
      error: { operation: 'AssumeRole', code: 'AccessDenied', kind: 'access-denied' },
    });
  });
});

describe('org-merge', () => {
  orgEnvironment();

  it('takes why a shard failed from the ResultWriter’s record when the map run failed', async () => {
    // Arrange: a plan of one account and one region; the shard never wrote its part.
    const { fake, store } = fakeOrganization();
    useFake(fake);
    const scanId = 'scan-3';
    const startedAt = '2026-11-30T00:00:00.000Z';
    const keys = orgScanKeys(scanId, startedAt);
    const plan: ScanPlan = {
      scanId,
      startedAt,
      homeRegion: HOME,
      basis: 'test',
      regions: ['eu-west-1'],
      accounts: [{ id: '111111111111', name: 'prod' }],
      skipped: [],
    };
    store.put(keys.plan, Buffer.from(JSON.stringify(plan)));
    store.put(
      `${keys.results}/run-1/manifest.json`,
      Buffer.from(
        JSON.stringify({
          ResultFiles: {
            FAILED: [{ Key: `${keys.results}/run-1/FAILED_0.json` }],
            PENDING: [{ Key: `${keys.results}/run-1/PENDING_0.json` }],
          },
        }),
      ),
    );
    store.put(
      `${keys.results}/run-1/FAILED_0.json`,
      Buffer.from(
        JSON.stringify([
          {
            Input: JSON.stringify({ account: '111111111111', region: 'eu-west-1' }),
            Error: 'States.Timeout',
            Cause: 'Task timed out after 960 seconds',
          },
        ]),
      ),
    );
    store.put(
      `${keys.results}/run-1/PENDING_0.json`,
      Buffer.from(
        JSON.stringify([{ Input: JSON.stringify({ account: '111111111111', region: 'global' }) }]),
      ),
    );

    // Act
    const result = await runMerge(
      {
        scanId,
        startedAt,
        planKey: keys.plan,
        resultsPrefix: keys.results,
        map: {
          Error: 'States.ExceedToleratedFailureThreshold',
          Cause: 'The specified tolerated failure threshold was exceeded',
        },
      },
      {
        auditAccount: '999999999999',
        auditBucket: AUDIT_BUCKET,
        homeRegion: HOME,
        settings: loadSettings(),
      },
    );

    // Assert
    const findings = findingsIn(store, result.findingsKey);
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.filter((f) => f.status !== 'ERROR')).toEqual([]);
    const regional = findings.filter(
      (f) => f.region === 'eu-west-1' && f.resource.type !== 'AWS::S3::Bucket',
    );
    expect(regional.length).toBeGreaterThan(0);
    for (const f of regional)
      expect(f.statusDetail).toContain('States.Timeout: Task timed out after 960 seconds');
    expect(
      findings.some((f) => f.statusDetail.includes('not started: the map run stopped first')),
    ).toBe(true);
    expect(result.mapError).toBe(
      'States.ExceedToleratedFailureThreshold: The specified tolerated failure threshold was exceeded',
    );
    const event = JSON.parse(fake.events.at(-1)!.Detail!) as ScanCompletedDetail;
    expect(event.coverage!.basis).toContain(
      'the map run failed: States.ExceedToleratedFailureThreshold',
    );
    expect(event.accounts).toEqual([
      expect.objectContaining({ account: '111111111111', failed: ['global', 'eu-west-1'] }),
    ]);
  });

  it('reports a region whose own shard is missing as not scanned, whatever the global part read there', async () => {
    // Arrange: the account's global part and one region scanned; the home region's shard lost.
    const { fake, store } = fakeOrganization();
    useFake(fake);
    const scanId = 'scan-4';
    const startedAt = '2026-11-30T00:00:00.000Z';
    const keys = orgScanKeys(scanId, startedAt);
    const account = HEALTHY[0]!;
    for (const region of ['global', 'eu-west-1'])
      await shardHandler({ scanId, startedAt, account, region }, context('org-shard'));
    const plan: ScanPlan = {
      scanId,
      startedAt,
      homeRegion: HOME,
      basis: 'test',
      regions: REGIONS,
      accounts: [{ id: account }],
      skipped: [],
    };
    store.put(keys.plan, Buffer.from(JSON.stringify(plan)));

    // Act
    await runMerge(
      { scanId, startedAt, planKey: keys.plan, resultsPrefix: keys.results, map: [] },
      {
        auditAccount: '999999999999',
        auditBucket: AUDIT_BUCKET,
        homeRegion: HOME,
        settings: loadSettings(),
      },
    );

    // Assert
    const event = JSON.parse(fake.events.at(-1)!.Detail!) as ScanCompletedDetail;
    expect(event.coverage!.regionsScanned).toEqual([`${account}/eu-west-1`]);
    expect(event.coverage!.regionsFailed).toEqual([
      {
        region: `${account}/${HOME}`,
        reason: expect.stringContaining('the shard did not report (no part was written)'),
      },
    ]);
    expect(event.accounts![0]!.failed).toEqual([HOME]);
  });

  it('reads a Lambda error’s Cause (JSON) as its message', () => {
    expect(
      failureReason({
        Error: 'ShardFailed',
        Cause: JSON.stringify({ errorType: 'ShardFailed', errorMessage: 'x: AssumeRole failed' }),
      }),
    ).toBe('ShardFailed: x: AssumeRole failed');
    expect(failureReason({ Error: 'States.Timeout' })).toBe('States.Timeout');
  });

  it('shortens the event, never latest.json, when an organization’s lists would not fit EventBridge', () => {
    const many = Array.from({ length: 3000 }, (_, i) => `${String(i).padStart(12, '0')}/us-east-1`);
    const counts = {
      critical: 0,
      high: 0,
      medium: 0,
      low: 0,
      informational: 0,
      passed: 0,
      errors: 0,
    };
    const detail: ScanCompletedDetail = {
      scanId: 's',
      startedAt: '2026-11-30T00:00:00.000Z',
      finishedAt: '2026-11-30T01:00:00.000Z',
      findingsKey: 'findings/x.jsonl',
      counts,
      coverage: {
        basis: 'b',
        regionsScanned: many,
        regionsFailed: many.map((region) => ({ region, reason: 'ShardFailed: '.padEnd(80, 'x') })),
        checksRun: 1,
        checksErrored: [],
        deadlineReached: false,
      },
      accounts: many.map((a) => ({ account: a.slice(0, 12), counts, failed: [] })),
    };
    const fitted = fitEventDetail(detail);
    expect(Buffer.byteLength(JSON.stringify(fitted))).toBeLessThanOrEqual(MAX_EVENT_DETAIL_BYTES);
    expect(fitted.coverage!.basis).toContain('latest.json has them');
    expect(fitted.counts).toBe(counts);
    expect(
      fitEventDetail({
        ...detail,
        coverage: { ...detail.coverage!, regionsScanned: [], regionsFailed: [] },
        accounts: [],
      }),
    ).toEqual({
      ...detail,
      coverage: { ...detail.coverage!, regionsScanned: [], regionsFailed: [] },
      accounts: [],
    });
  });
});

describe('FindingsUpload', () => {
  it('uploads in parts past the part size, one object in the end, and nothing when aborted', async () => {
    const { fake, store } = fakeOrganization();
    useFake(fake);
    const s3 = awsClient(S3Client, HOME);
    const upload = new FindingsUpload(s3, AUDIT_BUCKET, 'findings/big.jsonl', 10);
    for (const line of ['{"a":1}\n', '{"b":22}\n', '{"c":333}\n'])
      await upload.append(Buffer.from(line));
    await upload.complete();
    expect(store.get('findings/big.jsonl')!.toString()).toBe('{"a":1}\n{"b":22}\n{"c":333}\n');

    const small = new FindingsUpload(s3, AUDIT_BUCKET, 'findings/small.jsonl');
    await small.append(Buffer.from('{"a":1}\n'));
    await small.complete();
    expect(store.get('findings/small.jsonl')!.toString()).toBe('{"a":1}\n');

    const aborted = new FindingsUpload(s3, AUDIT_BUCKET, 'findings/aborted.jsonl', 4);
    await aborted.append(Buffer.from('{"a":1}\n'));
    await aborted.abort();
    expect(store.get('findings/aborted.jsonl')).toBeUndefined();
  });
});
