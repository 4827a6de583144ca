/**
 * The benchmark's fake AWS answers the real SDK clients correctly: pagination in each protocol,
 * each service's throttling error (retried by the SDK), the floor over per-region lanes — and the
 * real scanner over it, in the synthetic account's three regions, writes exactly the findings the
 * account implies, finding by finding. (The protocol answers of each service family are in
 * fake-aws-protocols.test.ts; the benchmark itself is `npm run bench`.)
 */
import { AccessAnalyzerClient, ListAnalyzersCommand } from '@aws-sdk/client-accessanalyzer';
import { CloudTrailClient, DescribeTrailsCommand } from '@aws-sdk/client-cloudtrail';
import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import {
  CloudWatchLogsClient,
  DescribeMetricFiltersCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  ConfigServiceClient,
  DescribeConfigurationRecordersCommand,
} from '@aws-sdk/client-config-service';
import {
  DescribeSecurityGroupsCommand,
  EC2Client,
  paginateDescribeSecurityGroups,
} from '@aws-sdk/client-ec2';
import { DescribeFileSystemsCommand, EFSClient } from '@aws-sdk/client-efs';
import { GuardDutyClient, ListDetectorsCommand } from '@aws-sdk/client-guardduty';
import { IAMClient, ListUsersCommand, paginateListUsers } from '@aws-sdk/client-iam';
import { KMSClient, ListKeysCommand } from '@aws-sdk/client-kms';
import { LambdaClient, ListTagsCommand, paginateListFunctions } from '@aws-sdk/client-lambda';
import { DescribeDBInstancesCommand, RDSClient } from '@aws-sdk/client-rds';
import { GetBucketVersioningCommand, S3Client, paginateListBuckets } from '@aws-sdk/client-s3';
import { ListAccessPointsCommand, S3ControlClient } from '@aws-sdk/client-s3-control';
import { DescribeHubCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { ListSubscriptionsByTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import {
  BENCH_REGION,
  BENCH_REGIONS,
  MANDATORY_TAGS,
  SyntheticAccount,
} from '../../bench/scanner/account';
import { topicArn } from '../../bench/scanner/account-settings';
import { FakeAws, type RateLimit } from '../../bench/scanner/fake-aws';
import { TAIL_LATENCIES, floorOf } from '../../bench/scanner/run';
import { runScan } from '../../lambdas/scanner/run-scan';
import { configureClients } from '../../lambdas/shared/clients';
import { classifyError } from '../../lambdas/shared/errors';
import { logger } from '../../lambdas/shared/observability';

const AUDIT = 'bench-audit-bucket';
const credentials = { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' };

function fake(resources: number, limits: Record<string, RateLimit> = {}, variant = 0) {
  const account = new SyntheticAccount(resources, Date.now() - 1_000, { variant });
  return {
    account,
    aws: new FakeAws({ account, latencyMs: 0, limits, auditBucket: AUDIT, keepFindings: true }),
  };
}

type Sender = { send(command: unknown): Promise<unknown> };

function client<C>(
  Client: new (config: object) => C,
  aws: FakeAws,
  maxAttempts = 1,
  region = BENCH_REGION,
): C {
  return new Client({ region, requestHandler: aws, credentials, maxAttempts });
}

async function drain<P, T>(pages: AsyncIterable<P>, pick: (p: P) => T[] | undefined): Promise<T[]> {
  const out: T[] = [];
  for await (const p of pages) out.push(...(pick(p) ?? []));
  return out;
}

beforeAll(() => logger.setLogLevel('SILENT'));

describe('fake AWS: pagination in each protocol', () => {
  it('pages ListBuckets (ContinuationToken), DescribeSecurityGroups (NextToken), ListUsers and ListFunctions (Marker), each region its own', async () => {
    // Arrange
    const { account, aws } = fake(600);
    const c = account.counts;
    const home = (j: number) => account.indexIn(0, j);

    // Act
    const buckets = await drain(
      paginateListBuckets({ client: client(S3Client, aws), pageSize: 100 }, {}),
      (p) => p.Buckets,
    );
    const groups = await drain(
      paginateDescribeSecurityGroups({ client: client(EC2Client, aws), pageSize: 10 }, {}),
      (p) => p.SecurityGroups,
    );
    const users = await drain(
      paginateListUsers({ client: client(IAMClient, aws), pageSize: 25 }, {}),
      (p) => p.Users,
    );
    const functions = await drain(
      paginateListFunctions(
        { client: client(LambdaClient, aws, 1, BENCH_REGIONS[2]), pageSize: 3 },
        {},
      ),
      (p) => p.Functions,
    );

    // Assert
    expect(buckets.map((b) => b.Name)).toEqual(
      Array.from({ length: c.buckets }, (_, i) => account.bucket(i).name),
    );
    expect(buckets.map((b) => b.BucketRegion)).toEqual(
      Array.from({ length: c.buckets }, (_, i) => BENCH_REGIONS[i % 3]),
    );
    expect(groups).toHaveLength(account.inRegion('securityGroups', 0));
    expect(groups[3]!.GroupId).toBe(account.securityGroup(home(3)).id);
    expect(groups[3]!.IpPermissions).toEqual([
      expect.objectContaining({
        IpProtocol: 'tcp',
        FromPort: 22,
        ToPort: 22,
        IpRanges: [{ CidrIp: '0.0.0.0/0' }],
      }),
    ]);
    expect(users.map((u) => u.UserName)).toEqual(
      Array.from({ length: c.users }, (_, i) => account.user(i).name),
    );
    expect(functions.map((f) => f.FunctionName)).toEqual(
      Array.from(
        { length: account.inRegion('functions', 2) },
        (_, j) => account.function(account.indexIn(2, j)).name,
      ),
    );
    expect(aws.counts.get('s3.ListBuckets')).toEqual({
      ok: Math.ceil(c.buckets / 100),
      throttled: 0,
    });
    expect(aws.counts.get('ec2.DescribeSecurityGroups')!.ok).toBe(
      Math.ceil(account.inRegion('securityGroups', 0) / 10),
    );
    expect(aws.counts.get('iam.ListUsers')!.ok).toBe(Math.ceil(c.users / 25));
    expect(aws.laneCounts.get(`lambda.ListFunctions@${BENCH_REGIONS[2]}`)!.ok).toBe(
      Math.ceil(account.inRegion('functions', 2) / 3),
    );
  });
});

describe('fake AWS: throttling', () => {
  const once: RateLimit = { rate: 0.001, burst: 1 };
  const topic = (a: SyntheticAccount) => topicArn(a, 'bench-security-alerts');

  it.each<[string, string, (a: SyntheticAccount) => { Client: unknown; cmd: unknown }]>([
    [
      's3',
      'SlowDown',
      (a) => ({
        Client: S3Client,
        cmd: new GetBucketVersioningCommand({ Bucket: a.bucket(0).name }),
      }),
    ],
    [
      's3control',
      'SlowDown',
      (a) => ({
        Client: S3ControlClient,
        cmd: new ListAccessPointsCommand({ AccountId: a.accountId }),
      }),
    ],
    [
      'ec2',
      'RequestLimitExceeded',
      () => ({ Client: EC2Client, cmd: new DescribeSecurityGroupsCommand({}) }),
    ],
    ['iam', 'Throttling', () => ({ Client: IAMClient, cmd: new ListUsersCommand({}) })],
    ['rds', 'Throttling', () => ({ Client: RDSClient, cmd: new DescribeDBInstancesCommand({}) })],
    [
      'sns',
      'ThrottledException',
      (a) => ({
        Client: SNSClient,
        cmd: new ListSubscriptionsByTopicCommand({ TopicArn: topic(a) }),
      }),
    ],
    [
      'lambda',
      'TooManyRequestsException',
      (a) => ({ Client: LambdaClient, cmd: new ListTagsCommand({ Resource: a.function(0).arn }) }),
    ],
    [
      'config',
      'ThrottlingException',
      () => ({ Client: ConfigServiceClient, cmd: new DescribeConfigurationRecordersCommand({}) }),
    ],
    [
      'cloudtrail',
      'ThrottlingException',
      () => ({ Client: CloudTrailClient, cmd: new DescribeTrailsCommand({}) }),
    ],
    [
      'logs',
      'ThrottlingException',
      () => ({
        Client: CloudWatchLogsClient,
        cmd: new DescribeMetricFiltersCommand({ logGroupName: 'bench-cloudtrail' }),
      }),
    ],
    [
      'cloudwatch',
      'Throttling',
      () => ({ Client: CloudWatchClient, cmd: new DescribeAlarmsCommand({}) }),
    ],
    ['kms', 'ThrottlingException', () => ({ Client: KMSClient, cmd: new ListKeysCommand({}) })],
    [
      'efs',
      'ThrottlingException',
      () => ({ Client: EFSClient, cmd: new DescribeFileSystemsCommand({}) }),
    ],
    [
      'guardduty',
      'TooManyRequestsException',
      () => ({ Client: GuardDutyClient, cmd: new ListDetectorsCommand({}) }),
    ],
    [
      'securityhub',
      'ThrottlingException',
      () => ({ Client: SecurityHubClient, cmd: new DescribeHubCommand({}) }),
    ],
    [
      'access-analyzer',
      'ThrottlingException',
      () => ({ Client: AccessAnalyzerClient, cmd: new ListAnalyzersCommand({}) }),
    ],
  ])(
    '%s answers its protocol throttling error (%s) once the bucket is empty',
    async (service, name, make) => {
      // Arrange
      const { account, aws } = fake(20, { [service]: once });
      const c = client(make(account).Client as new (config: object) => Sender, aws);

      // Act (a command each time: S3 Control's middleware cannot be applied twice)
      await c.send(make(account).cmd);
      const err: unknown = await c.send(make(account).cmd).catch((e: unknown) => e);

      // Assert
      expect(err).toMatchObject({ name });
      expect(classifyError(err)).toBe('throttled');
      expect([...aws.counts.values()].reduce((n, x) => n + x.throttled, 0)).toBe(1);
    },
  );

  it('limits each region on its own lane (IAM has one, global)', async () => {
    // Arrange: one DescribeSecurityGroups per region and lane
    const { aws } = fake(20, { ec2: once });

    // Act
    const answers = await Promise.all(
      BENCH_REGIONS.map((r) =>
        client(EC2Client, aws, 1, r).send(new DescribeSecurityGroupsCommand({})),
      ),
    );

    // Assert
    expect(answers).toHaveLength(3);
    expect([...aws.laneCounts.keys()]).toEqual(
      BENCH_REGIONS.map((r) => `ec2.DescribeSecurityGroups@${r}`),
    );
  });

  it('is retried by the SDK retry middleware until admitted', async () => {
    // Arrange: one token, refilled every 20 ms
    const { account, aws } = fake(20, { s3: { rate: 50, burst: 1 } });
    const s3 = client(S3Client, aws, 10);
    const home = [0, 3, 6].map((i) => account.bucket(i).name); // all in the home region

    // Act
    const out = await Promise.all(
      home.map((Bucket) => s3.send(new GetBucketVersioningCommand({ Bucket }))),
    );

    // Assert
    expect(out).toHaveLength(3);
    const count = aws.counts.get('s3.GetBucketVersioning')!;
    expect(count.ok).toBe(3);
    expect(count.throttled).toBeGreaterThan(0);
  });

  it('computes the floor from the slowest lane (calls beyond the burst over the rate) plus the tail', () => {
    const floor = floorOf(
      {
        'iam.ListAccessKeys': { ok: 520, throttled: 9 },
        's3.GetBucketAcl@us-east-1': { ok: 2000, throttled: 0 },
        'lambda.ListTags@eu-west-1': { ok: 400, throttled: 3 },
        'lambda.ListTags@us-east-1': { ok: 300, throttled: 3 },
      },
      20,
      {
        iam: { rate: 20, burst: 20 },
        s3: { rate: 200, burst: 200 },
        lambda: { rate: 15, burst: 15 },
      },
    );
    expect(floor).toEqual({
      seconds: (400 - 15) / 15 + (TAIL_LATENCIES * 20) / 1000,
      api: 'lambda.ListTags@eu-west-1',
      apiCalls: 400,
      apiRate: 15,
    });
  });
});

describe('fake AWS: the scanner end to end', () => {
  afterEach(() => configureClients({}));

  const settings = {
    mandatoryTags: [...MANDATORY_TAGS],
    allowedOpenPorts: [80, 443],
    maxKeyAgeDays: 90,
    maxUnusedDays: 45,
    concurrency: 4,
  };

  /** A scheduled scan of `account`, every enabled region. */
  const scan = (account: SyntheticAccount, over: Partial<Parameters<typeof runScan>[0]> = {}) =>
    runScan({
      auditBucket: AUDIT,
      homeRegion: account.region,
      accountId: account.accountId,
      settings,
      ...over,
    });

  /** `checkId|region|resource uid` → status, for comparing finding by finding. */
  function byFinding(keys: Iterable<string>): Map<string, string> {
    const out = new Map<string, string>();
    for (const k of keys) {
      const at = k.lastIndexOf('|');
      out.set(k.slice(0, at), k.slice(at + 1));
    }
    return out;
  }

  it.each([
    [0, 'the benchmark account'],
    [1, 'account variant 1: blocked S3, weak root and password, no monitoring'],
    [2, 'account variant 2: partial block, advanced trail selectors'],
  ])(
    'writes exactly the findings the synthetic account implies, in its three regions (%s: %s)',
    async (variant) => {
      // Arrange
      const { account, aws } = fake(variant === 0 ? 150 : 60, {}, variant);
      configureClients({ requestHandler: aws, credentials });

      // Act: every enabled region, as a scheduled scan
      const result = await scan(account);

      // Assert
      const expected = byFinding(
        [...account.expectations()].map((e) => `${e.checkId}|${e.region}|${e.uid}|${e.status}`),
      );
      expect(byFinding(aws.findingKeys)).toEqual(expected);
      expect(aws.findingKeys).toHaveLength(expected.size);
      expect(account.mismatches(aws)).toEqual([]);
      expect(result.counts.errors).toBe(0);
      expect(result.coverage.regionsScanned).toEqual([...BENCH_REGIONS].sort());
      expect(result.coverage.regionsFailed).toEqual([]);
      expect(result.resourcesScanned).toBe(account.metricResources);
      expect(aws.eventsPublished).toBe(1);
      expect(Object.keys(aws.findings)).toHaveLength(85);
    },
  );

  it('streams findings over one part as a multipart upload, in order, losing none', async () => {
    // Arrange: parts of 16 KiB instead of 8 MiB, so this small account's findings take several
    const { account, aws } = fake(60, {}, 1);
    configureClients({ requestHandler: aws, credentials });

    // Act
    const result = await scan(account, { findingsPartBytes: 16 * 1024 });

    // Assert
    expect(account.mismatches(aws)).toEqual([]);
    expect(aws.findingsLines).toBe(result.findings);
    expect(aws.counts.get('s3.CreateMultipartUpload')?.ok).toBe(1);
    expect(aws.counts.get('s3.UploadPart')?.ok).toBe(Math.ceil(aws.findingsBytes / (16 * 1024)));
    expect(aws.counts.get('s3.CompleteMultipartUpload')?.ok).toBe(1);
    expect(aws.counts.get('s3.PutObject')?.ok).toBeGreaterThan(0); // state and latest.json
  });

  it('notices a finding lost to throttling (retries exhausted: ERROR instead of the verdict)', async () => {
    // Arrange: Lambda GetPolicy admits one call, and the SDK does not retry
    const { account, aws } = fake(60, { 'lambda.GetPolicy': { rate: 0.001, burst: 1 } });
    configureClients({ requestHandler: aws, credentials, maxAttempts: 1 });

    // Act
    const result = await scan(account);

    // Assert
    expect(result.counts.errors).toBeGreaterThan(0);
    const mismatches = account.mismatches(aws);
    expect(mismatches).toEqual(
      expect.arrayContaining([expect.stringMatching(/^Lambda\.1 ERROR: expected 0, written \d+$/)]),
    );
    expect(mismatches.every((m) => m.startsWith('Lambda.1 '))).toBe(true);
  });
});
