import {
  DescribeSecurityGroupsCommand,
  DescribeVolumesCommand,
  GetEbsEncryptionByDefaultCommand,
} from '@aws-sdk/client-ec2';
import {
  GetLoginProfileCommand,
  ListAccessKeysCommand,
  ListMFADevicesCommand,
  ListUsersCommand,
  ListUserTagsCommand,
} from '@aws-sdk/client-iam';
import { DescribeKeyCommand } from '@aws-sdk/client-kms';
import {
  GetFunctionConcurrencyCommand,
  GetPolicyCommand,
  ListFunctionsCommand,
  ListTagsCommand,
} from '@aws-sdk/client-lambda';
import {
  GetBucketAclCommand,
  GetBucketEncryptionCommand,
  GetBucketLocationCommand,
  GetBucketLoggingCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  GetBucketPolicyStatusCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
  ListBucketsCommand,
} from '@aws-sdk/client-s3';
import { GetPublicAccessBlockCommand as GetAccountPublicAccessBlockCommand } from '@aws-sdk/client-s3-control';
import { Collector } from '../../../lambdas/scanner/inventory/collector';
import { collectEc2 } from '../../../lambdas/scanner/inventory/ec2';
import { collectIam } from '../../../lambdas/scanner/inventory/iam';
import { collectLambda } from '../../../lambdas/scanner/inventory/lambda';
import { collectS3, regionFromLocation } from '../../../lambdas/scanner/inventory/s3';
import { logger } from '../../../lambdas/shared/observability';
import { awsError, clientRegion, mocks, resetMocks } from './aws-mocks';

const ACCOUNT = '123456789012';
const collector = () => new Collector(ACCOUNT, 'aws', 4, async () => undefined);

beforeAll(() => logger.setLogLevel('SILENT'));
beforeEach(() => resetMocks());

describe('S3 collector', () => {
  function quietBuckets() {
    mocks.s3.on(GetBucketPolicyCommand).rejects(awsError('NoSuchBucketPolicy'));
    mocks.s3.on(GetBucketPolicyStatusCommand).rejects(awsError('NoSuchBucketPolicy'));
    mocks.s3.on(GetBucketAclCommand).resolves({ Grants: [] });
    mocks.s3
      .on(GetPublicAccessBlockCommand)
      .rejects(awsError('NoSuchPublicAccessBlockConfiguration'));
    mocks.s3
      .on(GetBucketOwnershipControlsCommand)
      .rejects(awsError('OwnershipControlsNotFoundError'));
    mocks.s3.on(GetBucketVersioningCommand).resolves({});
    mocks.s3.on(GetBucketLoggingCommand).resolves({});
    mocks.s3
      .on(GetBucketEncryptionCommand)
      .rejects(awsError('ServerSideEncryptionConfigurationNotFoundError'));
    mocks.s3.on(GetBucketTaggingCommand).rejects(awsError('NoSuchTagSet'));
  }

  it('paginates ListBuckets, locates buckets, skips other regions and reads each bucket in its region', async () => {
    // Arrange
    quietBuckets();
    mocks.s3
      .on(ListBucketsCommand)
      .resolvesOnce({
        Buckets: [{ Name: 'east', BucketRegion: 'us-east-1' }, { Name: 'legacy' }],
        ContinuationToken: 'page-2',
      })
      .resolvesOnce({ Buckets: [{ Name: 'far', BucketRegion: 'ap-south-1' }] });
    mocks.s3
      .on(GetBucketLocationCommand, { Bucket: 'legacy' })
      .resolves({ LocationConstraint: 'EU' });
    const c = collector();

    // Act
    const s3 = await collectS3(c, 'us-east-1');

    // Assert
    expect(mocks.s3).toHaveReceivedCommandTimes(ListBucketsCommand, 2);
    expect(mocks.s3).toHaveReceivedNthSpecificCommandWith(2, ListBucketsCommand, {
      MaxBuckets: 1000,
      ContinuationToken: 'page-2',
    });
    // Every bucket is read, whatever its region, with a client of its own region.
    expect(s3.buckets.items.map((b) => [b.name, b.region])).toEqual([
      ['east', 'us-east-1'],
      ['legacy', 'eu-west-1'],
      ['far', 'ap-south-1'],
    ]);
    const versioningCalls = mocks.s3.commandCalls(GetBucketVersioningCommand);
    const regions = Object.fromEntries(
      await Promise.all(
        versioningCalls.map(async (call) => [
          call.args[0].input.Bucket,
          await clientRegion(() => call.thisValue),
        ]),
      ),
    );
    expect(regions).toEqual({ east: 'us-east-1', legacy: 'eu-west-1', far: 'ap-south-1' });
  });

  it('treats "not configured" answers as values, not errors', async () => {
    // Arrange
    quietBuckets();
    mocks.s3
      .on(ListBucketsCommand)
      .resolves({ Buckets: [{ Name: 'b', BucketRegion: 'us-east-1' }] });
    mocks.s3control
      .on(GetAccountPublicAccessBlockCommand)
      .rejects(awsError('NoSuchPublicAccessBlockConfiguration'));
    const c = collector();

    // Act
    const s3 = await collectS3(c, 'us-east-1');

    // Assert
    const b = s3.buckets.items[0]!;
    expect(c.errors).toEqual([]);
    expect(s3.accountPublicAccessBlock).toEqual({ ok: true, value: null });
    expect(b.policy).toEqual({ ok: true, value: null });
    expect(b.publicAccessBlock).toEqual({ ok: true, value: null });
    expect(b.objectOwnership).toEqual({ ok: true, value: null });
    expect(b.encryption).toEqual({ ok: true, value: null });
    expect(b.tags).toEqual({ ok: true, value: {} });
    expect(b.versioning).toEqual({ ok: true, value: 'Never' });
    expect(b.logging).toEqual({ ok: true, value: null });
    expect(mocks.s3control).toHaveReceivedCommandWith(GetAccountPublicAccessBlockCommand, {
      AccountId: ACCOUNT,
    });
  });

  it('records AccessDenied against the bucket and the setting it hid', async () => {
    // Arrange
    quietBuckets();
    mocks.s3
      .on(ListBucketsCommand)
      .resolves({ Buckets: [{ Name: 'secret', BucketRegion: 'us-east-1' }] });
    mocks.s3.on(GetBucketPolicyCommand).rejects(awsError('AccessDenied', 'Access Denied'));
    const c = collector();

    // Act
    const s3 = await collectS3(c, 'us-east-1');

    // Assert
    const b = s3.buckets.items[0]!;
    expect(b.policy).toEqual({
      ok: false,
      error: {
        service: 's3',
        region: 'us-east-1',
        operation: 'GetBucketPolicy',
        resourceUid: 'arn:aws:s3:::secret',
        kind: 'access-denied',
        code: 'AccessDenied',
        message: 'Access Denied',
      },
    });
    expect(b.versioning.ok).toBe(true);
    expect(c.errors).toHaveLength(1);
  });

  it("marks the owner's ACL grant and describes each distinct KMS key once, in its region", async () => {
    // Arrange
    quietBuckets();
    const keyEast = 'arn:aws:kms:us-east-1:123456789012:key/k1';
    const keyWest = 'arn:aws:kms:eu-west-1:123456789012:key/k2';
    const encryptedWith = (key?: string) => ({
      ServerSideEncryptionConfiguration: {
        Rules: [
          {
            ApplyServerSideEncryptionByDefault: {
              SSEAlgorithm: 'aws:kms' as const,
              KMSMasterKeyID: key,
            },
          },
        ],
      },
    });
    mocks.s3.on(ListBucketsCommand).resolves({
      Buckets: ['a', 'b', 'c', 'managed', 'default', 'sse-s3'].map((Name) => ({
        Name,
        BucketRegion: 'us-east-1',
      })),
    });
    mocks.s3.on(GetBucketEncryptionCommand, { Bucket: 'a' }).resolves(encryptedWith(keyEast));
    mocks.s3.on(GetBucketEncryptionCommand, { Bucket: 'b' }).resolves(encryptedWith(keyEast));
    mocks.s3.on(GetBucketEncryptionCommand, { Bucket: 'c' }).resolves(encryptedWith(keyWest));
    mocks.s3
      .on(GetBucketEncryptionCommand, { Bucket: 'managed' })
      .resolves(encryptedWith('alias/aws/s3'));
    mocks.s3.on(GetBucketEncryptionCommand, { Bucket: 'default' }).resolves(encryptedWith());
    mocks.s3.on(GetBucketEncryptionCommand, { Bucket: 'sse-s3' }).resolves({
      ServerSideEncryptionConfiguration: {
        Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
    });
    mocks.s3.on(GetBucketAclCommand).resolves({
      Owner: { ID: 'owner-id' },
      Grants: [
        { Grantee: { Type: 'CanonicalUser', ID: 'owner-id' }, Permission: 'FULL_CONTROL' },
        { Grantee: { Type: 'CanonicalUser', ID: 'other-id' }, Permission: 'READ' },
      ],
    });
    mocks.kms.on(DescribeKeyCommand, { KeyId: keyEast }).resolves({
      KeyMetadata: { KeyId: 'k1', Arn: keyEast, KeyManager: 'CUSTOMER', KeyState: 'Enabled' },
    });
    mocks.kms.on(DescribeKeyCommand, { KeyId: keyWest }).rejects(awsError('ThrottlingException'));
    const c = collector();

    // Act
    const s3 = await collectS3(c, 'us-east-1');

    // Assert
    const byName = Object.fromEntries(s3.buckets.items.map((b) => [b.name, b]));
    expect(byName.a!.acl).toEqual({
      ok: true,
      value: [
        {
          grantee: 'owner-id',
          granteeType: 'CanonicalUser',
          isOwner: true,
          permission: 'FULL_CONTROL',
        },
        { grantee: 'other-id', granteeType: 'CanonicalUser', isOwner: false, permission: 'READ' },
      ],
    });
    expect(mocks.kms).toHaveReceivedCommandTimes(DescribeKeyCommand, 2);
    const regions = await Promise.all(
      mocks.kms
        .commandCalls(DescribeKeyCommand)
        .map(async (call) => [call.args[0].input.KeyId, await clientRegion(() => call.thisValue)]),
    );
    expect(Object.fromEntries(regions)).toEqual({ [keyEast]: 'us-east-1', [keyWest]: 'eu-west-1' });
    const described = {
      ok: true,
      value: { kind: 'described', arn: keyEast, manager: 'CUSTOMER', state: 'Enabled' },
    };
    expect(byName.a!.encryptionKey).toEqual(described);
    expect(byName.b!.encryptionKey).toEqual(described);
    expect(byName.c!.encryptionKey).toMatchObject({
      ok: false,
      error: { service: 'kms', operation: 'DescribeKey', region: 'eu-west-1', kind: 'throttled' },
    });
    for (const name of ['managed', 'default', 'sse-s3'])
      expect(byName[name]!.encryptionKey).toEqual({ ok: true, value: null });
  });

  it('maps GetBucketLocation constraints to regions', () => {
    expect([
      regionFromLocation(null),
      regionFromLocation(''),
      regionFromLocation('EU'),
      regionFromLocation('eu-central-1'),
    ]).toEqual(['us-east-1', 'us-east-1', 'eu-west-1', 'eu-central-1']);
  });
});

describe('EC2 collector', () => {
  it('paginates DescribeSecurityGroups and maps rules', async () => {
    // Arrange
    mocks.ec2
      .on(DescribeSecurityGroupsCommand)
      .resolvesOnce({
        SecurityGroups: [
          {
            GroupId: 'sg-1',
            GroupName: 'web',
            VpcId: 'vpc-1',
            IpPermissions: [
              {
                IpProtocol: 'tcp',
                FromPort: 443,
                ToPort: 443,
                IpRanges: [{ CidrIp: '0.0.0.0/0' }],
                Ipv6Ranges: [{ CidrIpv6: '::/0' }],
              },
              { IpProtocol: '-1', UserIdGroupPairs: [{ GroupId: 'sg-2' }] },
            ],
            Tags: [{ Key: 'Owner', Value: 'web-team' }],
          },
        ],
        NextToken: 'n2',
      })
      .resolvesOnce({
        SecurityGroups: [{ GroupId: 'sg-2', GroupName: 'default', VpcId: 'vpc-1' }],
      });

    // Act
    const ec2 = await collectEc2(collector(), 'eu-west-1');

    // Assert
    expect(mocks.ec2).toHaveReceivedNthSpecificCommandWith(2, DescribeSecurityGroupsCommand, {
      MaxResults: 500,
      NextToken: 'n2',
    });
    expect(ec2.securityGroups.items.map((g) => g.id)).toEqual(['sg-1', 'sg-2']);
    expect(ec2.securityGroups.items[0]).toMatchObject({
      arn: `arn:aws:ec2:eu-west-1:${ACCOUNT}:security-group/sg-1`,
      tags: { Owner: 'web-team' },
      ingress: [
        {
          protocol: 'tcp',
          fromPort: 443,
          toPort: 443,
          ipv4Ranges: ['0.0.0.0/0'],
          ipv6Ranges: ['::/0'],
        },
        { protocol: '-1', sourceGroups: ['sg-2'], ipv4Ranges: [] },
      ],
    });
  });

  it('keeps the pages read before a throttled page and records the error', async () => {
    // Arrange
    mocks.ec2
      .on(DescribeVolumesCommand)
      .resolvesOnce({ Volumes: [{ VolumeId: 'vol-1', Encrypted: true }], NextToken: 'n2' })
      .rejects(awsError('RequestLimitExceeded'));
    mocks.ec2.on(GetEbsEncryptionByDefaultCommand).rejects(awsError('UnauthorizedOperation'));
    const c = collector();

    // Act
    const ec2 = await collectEc2(c, 'us-east-1');

    // Assert
    expect(ec2.volumes.items.map((v) => v.id)).toEqual(['vol-1']);
    expect(ec2.volumes.error).toMatchObject({
      operation: 'DescribeVolumes',
      kind: 'throttled',
      code: 'RequestLimitExceeded',
    });
    expect(ec2.ebsEncryptionByDefault).toMatchObject({
      ok: false,
      error: { kind: 'access-denied' },
    });
  });
});

describe('IAM collector', () => {
  it('paginates ListUsers (Marker) and reads keys, MFA, login profile and tags per user', async () => {
    // Arrange
    mocks.iam
      .on(ListUsersCommand)
      .resolvesOnce({
        Users: [
          {
            UserName: 'a',
            Arn: 'arn:aws:iam::123456789012:user/a',
            UserId: '1',
            Path: '/',
            CreateDate: new Date('2025-01-01'),
          },
        ],
        IsTruncated: true,
        Marker: 'm2',
      })
      .resolvesOnce({
        Users: [
          {
            UserName: 'b',
            Arn: 'arn:aws:iam::123456789012:user/b',
            UserId: '2',
            Path: '/',
            CreateDate: new Date('2025-01-01'),
          },
        ],
        IsTruncated: false,
      });
    mocks.iam.on(ListAccessKeysCommand).resolves({
      AccessKeyMetadata: [
        { AccessKeyId: 'AKIA1', Status: 'Active', CreateDate: new Date('2026-01-01') },
      ],
    });
    mocks.iam.on(ListMFADevicesCommand).resolves({ MFADevices: [] });
    mocks.iam
      .on(GetLoginProfileCommand, { UserName: 'a' })
      .resolves({ LoginProfile: { UserName: 'a', CreateDate: new Date('2025-02-01') } });
    mocks.iam.on(GetLoginProfileCommand, { UserName: 'b' }).rejects(awsError('NoSuchEntity'));
    mocks.iam.on(ListUserTagsCommand).resolves({ Tags: [{ Key: 'Owner', Value: 'x' }] });

    // Act
    const iam = await collectIam(collector(), 'us-east-1');

    // Assert
    expect(mocks.iam).toHaveReceivedNthSpecificCommandWith(2, ListUsersCommand, {
      MaxItems: 1000,
      Marker: 'm2',
    });
    expect(iam.users.items.map((u) => u.name)).toEqual(['a', 'b']);
    expect(iam.users.items[0]).toMatchObject({
      accessKeys: {
        ok: true,
        value: [{ id: 'AKIA1', status: 'Active', createDate: '2026-01-01T00:00:00.000Z' }],
      },
      mfaDevices: { ok: true, value: 0 },
      loginProfile: { ok: true, value: { createDate: '2025-02-01T00:00:00.000Z' } },
      tags: { ok: true, value: { Owner: 'x' } },
    });
    expect(iam.users.items[1]!.loginProfile).toEqual({ ok: true, value: null });
    expect(iam.credentialReport.ok && iam.credentialReport.value.map((r) => r.user)).toEqual([
      '<root_account>',
    ]);
    expect(iam.accountSummary).toMatchObject({ ok: true, value: { AccountMFAEnabled: 1 } });
  });
});

describe('Lambda collector', () => {
  const arn = (n: string) => `arn:aws:lambda:us-east-1:${ACCOUNT}:function:${n}`;
  const POLICY = {
    Version: '2012-10-17',
    Statement: [{ Sid: 's3', Effect: 'Allow', Principal: { Service: 's3.amazonaws.com' } }],
  };

  it('paginates ListFunctions (NextMarker) and reads concurrency, tags and policy per function', async () => {
    // Arrange
    mocks.lambda
      .on(ListFunctionsCommand)
      .resolvesOnce({
        Functions: [
          {
            FunctionName: 'f1',
            FunctionArn: arn('f1'),
            TracingConfig: { Mode: 'Active' },
            Runtime: 'nodejs22.x',
            PackageType: 'Zip',
          },
        ],
        NextMarker: 'p2',
      })
      .resolvesOnce({
        Functions: [{ FunctionName: 'f2', FunctionArn: arn('f2'), PackageType: 'Image' }],
      });
    mocks.lambda
      .on(GetFunctionConcurrencyCommand, { FunctionName: arn('f1') })
      .resolves({ ReservedConcurrentExecutions: 3 });
    mocks.lambda.on(GetFunctionConcurrencyCommand, { FunctionName: arn('f2') }).resolves({});
    mocks.lambda.on(ListTagsCommand).resolves({ Tags: { Environment: 'dev' } });
    mocks.lambda
      .on(GetPolicyCommand, { FunctionName: arn('f1') })
      .resolves({ Policy: JSON.stringify(POLICY) });

    // Act
    const lambda = await collectLambda(collector(), 'us-east-1');

    // Assert
    expect(mocks.lambda).toHaveReceivedNthSpecificCommandWith(2, ListFunctionsCommand, {
      MaxItems: 50,
      Marker: 'p2',
    });
    expect(lambda.functions.items).toEqual([
      {
        name: 'f1',
        arn: arn('f1'),
        tracingMode: 'Active',
        runtime: 'nodejs22.x',
        packageType: 'Zip',
        reservedConcurrency: { ok: true, value: 3 },
        tags: { ok: true, value: { Environment: 'dev' } },
        policy: { ok: true, value: POLICY },
      },
      {
        name: 'f2',
        arn: arn('f2'),
        tracingMode: undefined,
        runtime: undefined,
        packageType: 'Image',
        reservedConcurrency: { ok: true, value: null },
        tags: { ok: true, value: { Environment: 'dev' } },
        // ResourceNotFoundException (the baseline answer): no resource-based policy.
        policy: { ok: true, value: null },
      },
    ]);
  });

  it('records AccessDenied on one function policy against that function only', async () => {
    // Arrange
    mocks.lambda.on(ListFunctionsCommand).resolves({
      Functions: [
        { FunctionName: 'locked', FunctionArn: arn('locked') },
        { FunctionName: 'open', FunctionArn: arn('open') },
      ],
    });
    mocks.lambda.on(GetFunctionConcurrencyCommand).resolves({});
    mocks.lambda.on(ListTagsCommand).resolves({ Tags: {} });
    mocks.lambda
      .on(GetPolicyCommand, { FunctionName: arn('locked') })
      .rejects(awsError('AccessDeniedException', 'not authorized'));
    const c = collector();

    // Act
    const lambda = await collectLambda(c, 'eu-west-1');

    // Assert
    const [locked, open] = lambda.functions.items;
    expect(locked!.policy).toMatchObject({
      ok: false,
      error: { operation: 'GetPolicy', resourceUid: arn('locked'), kind: 'access-denied' },
    });
    expect(open!.policy).toEqual({ ok: true, value: null });
    expect(c.errors).toHaveLength(1);
    const call = mocks.lambda.commandCalls(GetPolicyCommand)[0]!;
    expect(await clientRegion(() => call.thisValue)).toBe('eu-west-1');
  });
});

describe('Collector concurrency', () => {
  it('keeps at most SCAN_CONCURRENCY calls per service in flight', async () => {
    // Arrange
    const c = new Collector(ACCOUNT, 'aws', 2, async () => undefined);
    let inFlight = 0;
    let peak = 0;
    const call = () =>
      c.call('s3', async () => {
        inFlight += 1;
        peak = Math.max(peak, inFlight);
        await new Promise((r) => setTimeout(r, 5));
        inFlight -= 1;
      });

    // Act
    await Promise.all(Array.from({ length: 8 }, call));

    // Assert
    expect(peak).toBe(2);
  });
});
