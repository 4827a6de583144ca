/**
 * The benchmark's fake AWS answers the real SDK clients correctly: pagination in each protocol,
 * per-bucket reads, "not configured" errors by name, each service's throttling error (retried by
 * the SDK) — and the real scanner over it writes exactly the findings the
 * synthetic account implies. (The benchmark itself is `npm run bench`; this only proves its fake.)
 */
import {
  ConfigServiceClient,
  DescribeConfigurationRecordersCommand,
} from '@aws-sdk/client-config-service';
import {
  DescribeSecurityGroupsCommand,
  EC2Client,
  paginateDescribeSecurityGroups,
} from '@aws-sdk/client-ec2';
import { IAMClient, ListUsersCommand, paginateListUsers } from '@aws-sdk/client-iam';
import {
  GetFunctionConcurrencyCommand,
  LambdaClient,
  ListTagsCommand,
  paginateListFunctions,
} from '@aws-sdk/client-lambda';
import {
  GetBucketAclCommand,
  GetBucketPolicyCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
  S3Client,
  paginateListBuckets,
} from '@aws-sdk/client-s3';
import { BENCH_REGION, MANDATORY_TAGS, SyntheticAccount } from '../../bench/scanner/account';
import { FakeAws, type RateLimit } from '../../bench/scanner/fake-aws';
import { floorOf } from '../../bench/scanner/run';
import { runScan } from '../../lambdas/scanner/run-scan';
import { configureClients } from '../../lambdas/shared/clients';
import { classifyError } from '../../lambdas/shared/errors';
import { logger } from '../../lambdas/shared/observability';

const AUDIT = 'bench-audit-bucket';
const credentials = { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' };

function fake(resources: number, limits: Record<string, RateLimit> = {}) {
  const account = new SyntheticAccount(resources);
  return { account, aws: new FakeAws({ account, latencyMs: 0, limits, auditBucket: AUDIT }) };
}

function client<C>(Client: new (config: object) => C, aws: FakeAws, maxAttempts = 1): C {
  return new Client({ region: BENCH_REGION, requestHandler: aws, credentials, maxAttempts });
}

async function drain<P, T>(pages: AsyncIterable<P>, pick: (p: P) => T[] | undefined): Promise<T[]> {
  const out: T[] = [];
  for await (const p of pages) out.push(...(pick(p) ?? []));
  return out;
}

beforeAll(() => logger.setLogLevel('SILENT'));

describe('fake AWS: pagination in each protocol', () => {
  it('pages ListBuckets (ContinuationToken), DescribeSecurityGroups (NextToken), ListUsers and ListFunctions (Marker)', async () => {
    // Arrange
    const { account, aws } = fake(600);
    const c = account.counts;

    // Act
    const buckets = await drain(
      paginateListBuckets({ client: client(S3Client, aws), pageSize: 100 }, {}),
      (p) => p.Buckets,
    );
    const groups = await drain(
      paginateDescribeSecurityGroups({ client: client(EC2Client, aws), pageSize: 50 }, {}),
      (p) => p.SecurityGroups,
    );
    const users = await drain(
      paginateListUsers({ client: client(IAMClient, aws), pageSize: 25 }, {}),
      (p) => p.Users,
    );
    const functions = await drain(
      paginateListFunctions({ client: client(LambdaClient, aws), pageSize: 10 }, {}),
      (p) => p.Functions,
    );

    // Assert
    expect(buckets.map((b) => b.Name)).toEqual(
      Array.from({ length: c.buckets }, (_, i) => account.bucket(i).name),
    );
    expect(buckets[0]!.BucketRegion).toBe(BENCH_REGION);
    expect(groups).toHaveLength(c.securityGroups);
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
    expect(functions.map((f) => f.TracingConfig?.Mode)).toEqual(
      Array.from({ length: c.functions }, (_, i) => account.function(i).tracing),
    );
    expect(aws.counts.get('s3.ListBuckets')).toEqual({
      ok: Math.ceil(c.buckets / 100),
      throttled: 0,
    });
    expect(aws.counts.get('ec2.DescribeSecurityGroups')!.ok).toBe(Math.ceil(c.securityGroups / 50));
    expect(aws.counts.get('iam.ListUsers')!.ok).toBe(Math.ceil(c.users / 25));
    expect(aws.counts.get('lambda.ListFunctions')!.ok).toBe(Math.ceil(c.functions / 10));
  });
});

describe('fake AWS: per-resource reads', () => {
  it('answers bucket settings, and "not configured" with the error name the scanner expects', async () => {
    // Arrange
    const { account, aws } = fake(20);
    const s3 = client(S3Client, aws);
    const legacy = account.bucket(3).name; // public ACL grants, no policy, no block

    // Act
    const acl = await s3.send(new GetBucketAclCommand({ Bucket: legacy }));
    const policy = s3.send(new GetBucketPolicyCommand({ Bucket: legacy }));
    const block = s3.send(new GetPublicAccessBlockCommand({ Bucket: legacy }));
    const versioning = await s3.send(
      new GetBucketVersioningCommand({ Bucket: account.bucket(1).name }),
    );
    const tlsPolicy = await s3.send(new GetBucketPolicyCommand({ Bucket: account.bucket(0).name }));

    // Assert
    expect(acl.Grants).toContainEqual({
      Grantee: { Type: 'Group', URI: 'http://acs.amazonaws.com/groups/global/AllUsers' },
      Permission: 'READ',
    });
    await expect(policy).rejects.toMatchObject({ name: 'NoSuchBucketPolicy' });
    await expect(block).rejects.toMatchObject({ name: 'NoSuchPublicAccessBlockConfiguration' });
    expect(versioning.Status).toBeUndefined();
    expect(JSON.parse(tlsPolicy.Policy!).Statement[0].Sid).toBe('DenyInsecureTransport');
  });

  it('answers Lambda and Config JSON APIs', async () => {
    // Arrange
    const { account, aws } = fake(100);
    const lambda = client(LambdaClient, aws);
    const f0 = account.function(0);

    // Act
    const concurrency = await lambda.send(
      new GetFunctionConcurrencyCommand({ FunctionName: f0.arn }),
    );
    const tags = await lambda.send(new ListTagsCommand({ Resource: f0.arn }));
    const recorders = await client(ConfigServiceClient, aws).send(
      new DescribeConfigurationRecordersCommand({}),
    );

    // Assert
    expect(concurrency.ReservedConcurrentExecutions).toBe(5);
    expect(Object.keys(tags.Tags!)).toEqual([...MANDATORY_TAGS]);
    expect(recorders.ConfigurationRecorders![0]!.recordingGroup?.allSupported).toBe(true);
  });
});

describe('fake AWS: throttling', () => {
  const once: RateLimit = { rate: 0.001, burst: 1 };

  it.each([
    [
      's3',
      'SlowDown',
      () => ({
        Client: S3Client,
        cmd: new GetBucketVersioningCommand({ Bucket: 'bench-bucket-000000' }),
      }),
    ],
    [
      'ec2',
      'RequestLimitExceeded',
      () => ({ Client: EC2Client, cmd: new DescribeSecurityGroupsCommand({}) }),
    ],
    ['iam', 'Throttling', () => ({ Client: IAMClient, cmd: new ListUsersCommand({}) })],
    [
      'lambda',
      'TooManyRequestsException',
      () => ({ Client: LambdaClient, cmd: new ListTagsCommand({ Resource: 'bench-fn-000000' }) }),
    ],
    [
      'config',
      'ThrottlingException',
      () => ({ Client: ConfigServiceClient, cmd: new DescribeConfigurationRecordersCommand({}) }),
    ],
  ])(
    '%s answers its protocol throttling error (%s) once the bucket is empty',
    async (service, name, make) => {
      // Arrange
      const { aws } = fake(20, { [service]: once });
      const { Client, cmd } = make();
      const c = client(
        Client as unknown as new (config: object) => { send(command: unknown): Promise<unknown> },
        aws,
      );

      // Act
      await c.send(cmd);
      const second = c.send(cmd);

      // Assert
      const err: unknown = await second.catch((e: unknown) => e);
      expect(err).toMatchObject({ name });
      expect(classifyError(err)).toBe('throttled');
      expect([...aws.counts.values()].reduce((n, x) => n + x.throttled, 0)).toBe(1);
    },
  );

  it('is retried by the SDK retry middleware until admitted', async () => {
    // Arrange: one token, refilled every 20 ms
    const { account, aws } = fake(20, { s3: { rate: 50, burst: 1 } });
    const s3 = client(S3Client, aws, 10);

    // Act
    const out = await Promise.all(
      [0, 1, 2].map((i) =>
        s3.send(new GetBucketVersioningCommand({ Bucket: account.bucket(i).name })),
      ),
    );

    // Assert
    expect(out).toHaveLength(3);
    const count = aws.counts.get('s3.GetBucketVersioning')!;
    expect(count.ok).toBe(3);
    expect(count.throttled).toBeGreaterThan(0);
  });

  it('computes the floor from the slowest API (calls beyond the burst over the rate) plus the tail', () => {
    const floor = floorOf(
      {
        'iam.ListAccessKeys': { ok: 520, throttled: 9 },
        's3.GetBucketAcl': { ok: 2000, throttled: 0 },
      },
      20,
      { iam: { rate: 20, burst: 20 }, s3: { rate: 200, burst: 200 } },
    );
    expect(floor).toEqual({
      seconds: 25 + 0.1,
      api: 'iam.ListAccessKeys',
      apiCalls: 520,
      apiRate: 20,
    });
  });
});

describe('fake AWS: the scanner end to end', () => {
  afterEach(() => configureClients({}));

  it('writes exactly the findings the synthetic account implies', async () => {
    // Arrange
    const { account, aws } = fake(120);
    configureClients({ requestHandler: aws, credentials });

    // Act
    const result = await runScan({
      regions: [BENCH_REGION],
      auditBucket: AUDIT,
      homeRegion: BENCH_REGION,
      accountId: account.accountId,
      settings: {
        mandatoryTags: [...MANDATORY_TAGS],
        allowedOpenPorts: [80, 443],
        maxKeyAgeDays: 90,
        maxUnusedDays: 45,
        concurrency: 4,
      },
    });

    // Assert
    const expected = account.expectedFindings();
    const written = Object.fromEntries(
      Object.entries(aws.findings).map(([check, byStatus]) => [
        check,
        { PASS: 0, FAIL: 0, ...byStatus },
      ]),
    );
    expect(written).toEqual(expected);
    expect(result.counts.errors).toBe(0);
    expect(result.resourcesScanned).toBe(account.resources);
    expect(aws.eventsPublished).toBe(1);
  });
});
