import { DescribeSecurityGroupsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { ListUsersCommand } from '@aws-sdk/client-iam';
import { ListFunctionsCommand } from '@aws-sdk/client-lambda';
import {
  GetBucketAclCommand,
  GetBucketEncryptionCommand,
  GetBucketLoggingCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  GetBucketPolicyStatusCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  GetPublicAccessBlockCommand,
  ListBucketsCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { GetPublicAccessBlockCommand as GetAccountPublicAccessBlockCommand } from '@aws-sdk/client-s3-control';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { CHECKS } from '../../../lambdas/scanner/checks/registry';
import { newScanId, runScan } from '../../../lambdas/scanner/run-scan';
import type { ScanSettings } from '../../../lambdas/scanner/settings';
import type { Finding } from '../../../lambdas/shared/findings';
import { logger, metrics } from '../../../lambdas/shared/observability';
import { awsError, clientRegion, denyRegion, mocks, resetMocks } from './aws-mocks';

const BUCKET = 'compliance-audit-test-123456789012';
const SETTINGS: ScanSettings = {
  mandatoryTags: ['Owner'],
  allowedOpenPorts: [80, 443],
  maxKeyAgeDays: 90,
  maxUnusedDays: 45,
  concurrency: 4,
};
const START = new Date('2026-06-01T12:00:00.000Z');

function options(over: Partial<Parameters<typeof runScan>[0]> = {}) {
  let tick = 0;
  return {
    regions: ['us-east-1'],
    auditBucket: BUCKET,
    homeRegion: 'us-east-1',
    accountId: '123456789012',
    settings: SETTINGS,
    now: () => new Date(START.getTime() + 1000 * tick++),
    sleep: async () => undefined,
    ...over,
  };
}

/** Bodies written to the audit bucket, by key. */
function written(): Record<string, string> {
  return Object.fromEntries(
    mocks.s3
      .commandCalls(PutObjectCommand)
      .map((c) => [c.args[0].input.Key, String(c.args[0].input.Body)]),
  );
}

function findingsWritten(): Finding[] {
  const bodies = written();
  const key = Object.keys(bodies).find((k) => k.startsWith('findings/'))!;
  const body = bodies[key]!;
  return body
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Finding);
}

function quietBuckets(names: string[]) {
  mocks.s3
    .on(ListBucketsCommand)
    .resolves({ Buckets: names.map((Name) => ({ Name, BucketRegion: 'us-east-1' })) });
  mocks.s3.on(GetBucketPolicyCommand).rejects(awsError('NoSuchBucketPolicy'));
  mocks.s3.on(GetBucketPolicyStatusCommand).rejects(awsError('NoSuchBucketPolicy'));
  mocks.s3.on(GetBucketAclCommand).resolves({ Grants: [] });
  mocks.s3
    .on(GetPublicAccessBlockCommand)
    .rejects(awsError('NoSuchPublicAccessBlockConfiguration'));
  mocks.s3
    .on(GetBucketOwnershipControlsCommand)
    .resolves({ OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] } });
  mocks.s3.on(GetBucketVersioningCommand).resolves({ Status: 'Enabled' });
  mocks.s3.on(GetBucketLoggingCommand).resolves({});
  mocks.s3.on(GetBucketEncryptionCommand).resolves({
    ServerSideEncryptionConfiguration: {
      Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' } }],
    },
  });
  mocks.s3.on(GetBucketTaggingCommand).resolves({ TagSet: [{ Key: 'Owner', Value: 'x' }] });
}

beforeAll(() => logger.setLogLevel('SILENT'));
beforeEach(() => {
  resetMocks();
  process.env.AWS_MAX_ATTEMPTS = '1';
});
afterEach(() => {
  delete process.env.AWS_MAX_ATTEMPTS;
  jest.restoreAllMocks();
});

describe('newScanId', () => {
  it('is sortable by time and unique', () => {
    const a = newScanId(new Date('2026-06-01T00:00:00.000Z'));
    const b = newScanId(new Date('2026-06-01T00:00:00.001Z'));
    expect(a).toMatch(/^20260601T000000000Z-[0-9a-f]{8}$/);
    expect([b, a].sort()).toEqual([a, b]);
    expect(newScanId(START)).not.toBe(newScanId(START));
  });
});

describe('runScan outputs', () => {
  it('writes findings, then latest.json, then publishes the event', async () => {
    // Arrange
    const log: string[] = [];
    mocks.s3.on(PutObjectCommand).callsFake((input: { Key: string }) => {
      log.push(`put ${input.Key}`);
      return {};
    });
    mocks.events.on(PutEventsCommand).callsFake(() => {
      log.push('event');
      return { FailedEntryCount: 0, Entries: [{ EventId: '1' }] };
    });

    // Act
    const result = await runScan(options());

    // Assert
    expect(log).toEqual([
      `put findings/dt=2026-06-01/${result.scanId}.jsonl`,
      `put state/dt=2026-06-01/${result.scanId}.json`,
      'put latest.json',
      'event',
    ]);
    expect(result.findingsKey).toBe(`findings/dt=2026-06-01/${result.scanId}.jsonl`);
    expect(mocks.s3).toHaveReceivedCommandWith(PutObjectCommand, {
      Bucket: BUCKET,
      Key: 'latest.json',
    });
    const detail = JSON.parse(
      mocks.events.commandCalls(PutEventsCommand)[0]!.args[0].input.Entries![0]!.Detail!,
    );
    expect(detail).toEqual({
      scanId: result.scanId,
      startedAt: '2026-06-01T12:00:00.000Z',
      finishedAt: '2026-06-01T12:00:01.000Z',
      findingsKey: result.findingsKey,
      counts: result.counts,
      // The alert-notifier tells "resolved" from "not scanned" by these.
      regions: ['us-east-1'],
      coverage: {
        basis: 'the requested regions that are enabled for the account',
        regionsScanned: ['us-east-1'],
        regionsFailed: [],
        checksRun: CHECKS.length,
        checksErrored: [],
        deadlineReached: false,
      },
    });
    expect(mocks.events).toHaveReceivedCommandWith(PutEventsCommand, {
      Entries: [
        expect.objectContaining({
          Source: 'compliance.audit',
          DetailType: 'Compliance Scan Completed',
        }),
      ],
    });
    expect(mocks.sts).not.toHaveReceivedCommand(GetCallerIdentityCommand);
  });

  it('takes latest.json `previous` from the old pointer', async () => {
    // Arrange
    const old = {
      scanId: '20260601T060000000Z-00000000',
      startedAt: '2026-06-01T06:00:00.000Z',
      finishedAt: '2026-06-01T06:01:00.000Z',
      findingsKey: 'findings/dt=2026-06-01/20260601T060000000Z-00000000.jsonl',
      counts: { critical: 0, high: 0, medium: 0, low: 0, informational: 0, passed: 1, errors: 0 },
    };
    mocks.s3.on(GetObjectCommand, { Bucket: BUCKET, Key: 'latest.json' }).resolves({
      Body: { transformToString: async () => JSON.stringify(old) } as never,
    });

    // Act
    const result = await runScan(options());

    // Assert
    const pointer = JSON.parse(written()['latest.json']!);
    expect(pointer).toEqual({
      scanId: result.scanId,
      startedAt: result.startedAt,
      finishedAt: result.finishedAt,
      findingsKey: result.findingsKey,
      counts: result.counts,
      regions: ['us-east-1'],
      coverage: result.coverage,
      previous: { scanId: old.scanId, findingsKey: old.findingsKey },
    });
  });

  it('writes no `previous` on the first scan', async () => {
    // Act
    await runScan(options());

    // Assert
    expect(JSON.parse(written()['latest.json']!)).not.toHaveProperty('previous');
  });

  it('replaces a corrupt latest.json but fails loudly when it cannot be read', async () => {
    // Arrange
    mocks.s3
      .on(GetObjectCommand)
      .resolves({ Body: { transformToString: async () => '{not json' } as never });

    // Act
    await runScan(options());

    // Assert
    expect(JSON.parse(written()['latest.json']!)).not.toHaveProperty('previous');

    // Arrange: a read that is denied stops the scan before anything is written
    resetMocks();
    mocks.s3.on(GetObjectCommand).rejects(awsError('AccessDenied'));

    // Act / Assert
    await expect(runScan(options())).rejects.toThrow('AccessDenied');
    expect(mocks.s3).not.toHaveReceivedCommand(PutObjectCommand);
    expect(mocks.events).not.toHaveReceivedCommand(PutEventsCommand);
  });

  it('throws and publishes nothing when the latest.json write fails', async () => {
    // Arrange
    mocks.s3.on(PutObjectCommand, { Key: 'latest.json' }).rejects(awsError('AccessDenied'));

    // Act
    const attempt = runScan(options());

    // Assert
    await expect(attempt).rejects.toThrow('AccessDenied');
    expect(mocks.events).not.toHaveReceivedCommand(PutEventsCommand);
  });

  it('publishes the scan metrics, ScansCompleted included', async () => {
    // Arrange
    const add = jest.spyOn(metrics, 'addMetric');

    // Act
    const result = await runScan(options());

    // Assert
    const byName = Object.fromEntries(
      add.mock.calls.map(([name, unit, value]) => [name, [unit, value]]),
    );
    expect(byName).toMatchObject({
      FindingsCritical: ['Count', result.counts.critical],
      FindingsHigh: ['Count', result.counts.high],
      FindingsMedium: ['Count', result.counts.medium],
      FindingsLow: ['Count', result.counts.low],
      FindingsInformational: ['Count', 0],
      FindingsPassed: ['Count', result.counts.passed],
      FindingsErrored: ['Count', 0],
      ApiCalls: ['Count', expect.any(Number)],
      ScanDuration: ['Milliseconds', expect.any(Number)],
      ResourcesScanned: ['Count', 0],
      ScansCompleted: ['Count', 1],
    });
  });

  it('asks STS for the account only when none is given', async () => {
    // Arrange
    mocks.sts.on(GetCallerIdentityCommand).resolves({ Account: '999999999999' });

    // Act
    await runScan(options({ accountId: undefined }));

    // Assert
    expect(mocks.sts).toHaveReceivedCommandTimes(GetCallerIdentityCommand, 1);
    expect(findingsWritten().every((f) => f.account === '999999999999')).toBe(true);
  });
});

describe('runScan fault handling', () => {
  it('turns a persistent ThrottlingException into ERROR findings and still completes', async () => {
    // Arrange
    mocks.iam.on(ListUsersCommand).rejects(awsError('ThrottlingException', 'Rate exceeded'));

    // Act
    const result = await runScan(options());

    // Assert
    const errors = findingsWritten().filter((f) => f.status === 'ERROR');
    expect(errors.map((f) => f.checkId).sort()).toEqual([
      'IAM.2',
      'IAM.22',
      'IAM.25',
      'IAM.3',
      'IAM.5',
      'IAM.OneActiveAccessKey',
    ]);
    expect(errors[0]!.statusDetail).toContain(
      'ListUsers failed in us-east-1 (ThrottlingException, throttled)',
    );
    expect(result.counts.errors).toBe(6);
    expect(findingsWritten().find((f) => f.checkId === 'IAM.9')!.status).toBe('PASS');
    expect(mocks.events).toHaveReceivedCommand(PutEventsCommand);
  });

  it('reports AccessDenied on one bucket policy as ERROR for that bucket only; other checks unaffected', async () => {
    // Arrange
    quietBuckets(['open-bucket', 'secret-bucket']);
    mocks.s3
      .on(GetBucketPolicyCommand, { Bucket: 'secret-bucket' })
      .rejects(awsError('AccessDenied', 'Access Denied'));
    // no account-level block either, so nothing else can rule public access out
    mocks.s3control
      .on(GetAccountPublicAccessBlockCommand)
      .rejects(awsError('NoSuchPublicAccessBlockConfiguration'));

    // Act
    await runScan(options());

    // Assert
    const findings = findingsWritten();
    const of = (bucket: string, checkId: string) =>
      findings.find((f) => f.resource.uid === `arn:aws:s3:::${bucket}` && f.checkId === checkId)!
        .status;
    expect(['S3.2', 'S3.3', 'S3.5'].map((id) => of('secret-bucket', id))).toEqual([
      'ERROR',
      'ERROR',
      'ERROR',
    ]);
    expect(
      ['S3.8', 'S3.14', 'S3.17', 'S3.MandatoryTags'].map((id) => of('secret-bucket', id)),
    ).toEqual(['FAIL', 'PASS', 'PASS', 'PASS']);
    expect(['S3.2', 'S3.3', 'S3.5'].map((id) => of('open-bucket', id))).toEqual([
      'PASS',
      'PASS',
      'FAIL',
    ]);
  });

  it('completes with ERROR findings when a whole region is unreachable', async () => {
    // Arrange: every EC2 and Lambda call to eu-west-1 times out
    const unreachable = awsError('TimeoutError', 'connect ETIMEDOUT');
    mocks.ec2.on(DescribeSecurityGroupsCommand).callsFake(async (_input, getClient) => {
      if ((await clientRegion(getClient)) === 'eu-west-1') throw unreachable;
      return { SecurityGroups: [] };
    });
    mocks.lambda.on(ListFunctionsCommand).callsFake(async (_input, getClient) => {
      if ((await clientRegion(getClient)) === 'eu-west-1') throw unreachable;
      return { Functions: [] };
    });

    // Act
    const result = await runScan(options({ regions: ['us-east-1', 'eu-west-1'] }));

    // Assert
    const euErrors = findingsWritten().filter(
      (f) => f.region === 'eu-west-1' && f.status === 'ERROR',
    );
    expect(new Set(euErrors.map((f) => f.checkId))).toEqual(
      new Set([
        'EC2.2',
        'EC2.13',
        'EC2.14',
        'EC2.18',
        'EC2.19',
        'EC2.43',
        'EC2.53',
        'EC2.54',
        'EC2.CifsExposed',
        'Lambda.1',
        'Lambda.2',
        'Lambda.ReservedConcurrency',
        'Lambda.7',
        'Lambda.6',
      ]),
    );
    expect(euErrors.every((f) => f.statusDetail.includes('unreachable'))).toBe(true);
    expect(
      findingsWritten().filter((f) => f.region === 'us-east-1' && f.status === 'ERROR'),
    ).toEqual([]);
    expect(result.counts.errors).toBe(euErrors.length);
    expect(mocks.events).toHaveReceivedCommand(PutEventsCommand);
  });

  it('scans on when a whole region is denied (SCP), with ERROR findings and the region in the coverage', async () => {
    // Arrange: every call to eu-west-1 is denied
    denyRegion('eu-west-1');

    // Act
    const result = await runScan(options({ regions: ['us-east-1', 'eu-west-1'] }));

    // Assert: eu-west-1's regional checks are ERROR, us-east-1 is judged, and the coverage says why
    const eu = findingsWritten().filter((f) => f.region === 'eu-west-1');
    expect(eu.length).toBeGreaterThan(0);
    expect(eu.every((f) => f.status === 'ERROR' && f.statusDetail.includes('AccessDenied'))).toBe(
      true,
    );
    // us-east-1 is judged: its only ERRORs are account-wide checks that needed eu-west-1's data
    // (e.g. CloudTrail.1 cannot rule out a multi-region trail homed there).
    const usErrors = findingsWritten().filter(
      (f) => f.region === 'us-east-1' && f.status === 'ERROR',
    );
    expect(usErrors.filter((f) => !f.statusDetail.includes('failed in eu-west-1'))).toEqual([]);
    expect(result.coverage.regionsScanned).toEqual(['us-east-1']);
    expect(result.coverage.regionsFailed).toEqual([
      {
        region: 'eu-west-1',
        reason: expect.stringMatching(/^every call failed: AccessDenied \(\d+ of \d+\)/),
      },
    ]);
    expect(result.coverage.checksErrored).toEqual(
      expect.arrayContaining(['EC2.2', 'EC2.7', 'Config.1', 'Lambda.7']),
    );
    expect(mocks.events).toHaveReceivedCommand(PutEventsCommand);
  });

  it('stops collecting at the deadline, writes everything, and marks what it did not reach', async () => {
    // Arrange: the deadline is already behind us when collection starts
    const at = Date.now() - 1;

    // Act
    const result = await runScan(options({ deadline: { at } }));

    // Assert: every read became ERROR "not reached before the deadline"; results were written
    const findings = findingsWritten();
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.every((f) => f.status === 'ERROR')).toBe(true);
    expect(findings.every((f) => f.statusDetail.includes('not reached before the deadline'))).toBe(
      true,
    );
    expect(result.coverage.deadlineReached).toBe(true);
    expect(result.coverage.regionsFailed).toEqual([
      { region: 'us-east-1', reason: expect.stringContaining('DeadlineReached') },
    ]);
    expect(written()['latest.json']).toBeDefined();
    expect(mocks.events).toHaveReceivedCommand(PutEventsCommand);
  });

  it('abandons a call still running at the deadline', async () => {
    // Arrange: ListUsers never answers; the deadline is 50 ms away
    mocks.iam.on(ListUsersCommand).callsFake(() => new Promise(() => undefined));

    // Act
    const result = await runScan(options({ deadline: { at: Date.now() + 50 } }));

    // Assert
    const users = findingsWritten().filter((f) => f.checkId === 'IAM.5');
    expect(users).toEqual([
      expect.objectContaining({
        status: 'ERROR',
        statusDetail: expect.stringContaining('ListUsers failed in us-east-1 (DeadlineReached'),
      }),
    ]);
    expect(result.coverage.deadlineReached).toBe(true);
  });
});

describe('runScan clients', () => {
  it('uses per-region EC2 clients', async () => {
    // Act
    await runScan(options({ regions: ['us-east-1', 'eu-west-1'] }));

    // Assert
    const regions = await Promise.all(
      mocks.ec2
        .commandCalls(DescribeSecurityGroupsCommand)
        .map((c) => clientRegion(() => c.thisValue as EC2Client)),
    );
    expect(regions.sort()).toEqual(['eu-west-1', 'us-east-1']);
  });
});
