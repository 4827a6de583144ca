/**
 * The benchmark's fake AWS answers every service family the scanner reads in the wire protocol
 * its installed SDK client speaks, so the client's own deserializer parses it: S3 and S3 Control
 * (REST-XML), EC2 (EC2 query), IAM, RDS and SNS (AWS query), AWS Config, CloudTrail, CloudWatch
 * Logs and KMS (JSON 1.1), CloudWatch (JSON 1.0), Lambda, EFS, GuardDuty, Security Hub and IAM
 * Access Analyzer (REST-JSON) — "not configured" answers with the error names the collectors map.
 */
import { AccessAnalyzerClient, ListAnalyzersCommand } from '@aws-sdk/client-accessanalyzer';
import {
  CloudTrailClient,
  DescribeTrailsCommand,
  GetEventSelectorsCommand,
  GetTrailStatusCommand,
} from '@aws-sdk/client-cloudtrail';
import { CloudWatchClient, paginateDescribeAlarms } from '@aws-sdk/client-cloudwatch';
import {
  CloudWatchLogsClient,
  paginateDescribeMetricFilters,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  ConfigServiceClient,
  DescribeConfigurationRecordersCommand,
  DescribeConfigurationRecorderStatusCommand,
} from '@aws-sdk/client-config-service';
import {
  DescribeRegionsCommand,
  DescribeSnapshotAttributeCommand,
  EC2Client,
  GetEbsEncryptionByDefaultCommand,
  paginateDescribeInstances,
  paginateDescribeNetworkAcls,
  paginateDescribeSnapshots,
  paginateDescribeSubnets,
} from '@aws-sdk/client-ec2';
import { EFSClient, paginateDescribeFileSystems } from '@aws-sdk/client-efs';
import {
  GetDetectorCommand,
  GuardDutyClient,
  ListDetectorsCommand,
} from '@aws-sdk/client-guardduty';
import {
  GetAccountPasswordPolicyCommand,
  GetPolicyVersionCommand,
  IAMClient,
  ListAttachedUserPoliciesCommand,
  ListEntitiesForPolicyCommand,
  ListServerCertificatesCommand,
  ListUserPoliciesCommand,
  paginateListPolicies,
} from '@aws-sdk/client-iam';
import {
  DescribeKeyCommand,
  GetKeyPolicyCommand,
  GetKeyRotationStatusCommand,
  KMSClient,
  paginateListKeys,
} from '@aws-sdk/client-kms';
import { GetPolicyCommand, LambdaClient, paginateListFunctions } from '@aws-sdk/client-lambda';
import { RDSClient, paginateDescribeDBInstances } from '@aws-sdk/client-rds';
import {
  GetBucketAclCommand,
  GetBucketEncryptionCommand,
  GetBucketLoggingCommand,
  GetBucketPolicyCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import {
  GetAccessPointCommand,
  GetPublicAccessBlockCommand as GetAccountPublicAccessBlockCommand,
  S3ControlClient,
  paginateListAccessPoints,
} from '@aws-sdk/client-s3-control';
import { DescribeHubCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { ListSubscriptionsByTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import {
  BENCH_REGION,
  BENCH_REGIONS,
  NOT_OPTED_IN_REGIONS,
  SyntheticAccount,
} from '../../bench/scanner/account';
import {
  MONITORING_CHAINS,
  NOISE_FILTERS,
  detectorId,
  topicArn,
} from '../../bench/scanner/account-settings';
import { FakeAws } from '../../bench/scanner/fake-aws';

const credentials = { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' };

function fake(resources = 100, variant = 0) {
  const account = new SyntheticAccount(resources, Date.now() - 1_000, { variant });
  return { account, aws: new FakeAws({ account, latencyMs: 0, limits: {}, auditBucket: 'audit' }) };
}

function client<C>(Client: new (config: object) => C, aws: FakeAws, region = BENCH_REGION): C {
  return new Client({ region, requestHandler: aws, credentials, maxAttempts: 1 });
}

async function drain<P, T>(pages: AsyncIterable<P>, pick: (p: P) => T[] | undefined): Promise<T[]> {
  const out: T[] = [];
  for await (const p of pages) out.push(...(pick(p) ?? []));
  return out;
}

/** Global index of item `j` of a kind in the home region (its profile is `j % profiles`). */
const home = (a: SyntheticAccount, j: number) => a.indexIn(0, j);
const [, WEST, SOUTH] = BENCH_REGIONS as [string, string, string];

describe('fake AWS: S3 and S3 Control (REST-XML)', () => {
  it('answers bucket settings from the bucket own region, and "not configured" by name', async () => {
    // Arrange
    const { account, aws } = fake(20);
    const s3 = client(S3Client, aws);
    const legacy = account.bucket(home(account, 3)).name; // public ACLs, no policy, no block
    const defaults = account.bucket(home(account, 1)).name; // never versioned, not logged
    const noEncryption = account.bucket(home(account, 6)).name;

    // Act
    const acl = await s3.send(new GetBucketAclCommand({ Bucket: legacy }));
    const policy = s3.send(new GetBucketPolicyCommand({ Bucket: legacy }));
    const block = s3.send(new GetPublicAccessBlockCommand({ Bucket: legacy }));
    const versioning = await s3.send(new GetBucketVersioningCommand({ Bucket: defaults }));
    const logged = await s3.send(new GetBucketLoggingCommand({ Bucket: account.bucket(0).name }));
    const notLogged = await s3.send(new GetBucketLoggingCommand({ Bucket: defaults }));
    const encryption = s3.send(new GetBucketEncryptionCommand({ Bucket: noEncryption }));
    const elsewhere = s3.send(new GetBucketVersioningCommand({ Bucket: account.bucket(1).name }));

    // Assert
    expect(acl.Grants).toContainEqual({
      Grantee: { Type: 'Group', URI: 'http://acs.amazonaws.com/groups/global/AllUsers' },
      Permission: 'READ',
    });
    await expect(policy).rejects.toMatchObject({ name: 'NoSuchBucketPolicy' });
    await expect(block).rejects.toMatchObject({ name: 'NoSuchPublicAccessBlockConfiguration' });
    expect(versioning.Status).toBeUndefined();
    expect(logged.LoggingEnabled).toEqual({
      TargetBucket: 'bench-access-logs',
      TargetPrefix: `${account.bucket(0).name}/`,
    });
    expect(notLogged.LoggingEnabled).toBeUndefined();
    await expect(encryption).rejects.toMatchObject({
      name: 'ServerSideEncryptionConfigurationNotFoundError',
    });
    // bucket 1 lives in eu-west-1: S3 redirects a request sent to another region
    await expect(elsewhere).rejects.toMatchObject({ $metadata: { httpStatusCode: 301 } });
  });

  it('answers the account block, and pages the access points of each region with their blocks', async () => {
    // Arrange
    const { account, aws } = fake(300);
    const control = client(S3ControlClient, aws, WEST);
    const AccountId = account.accountId;

    // Act
    const unblocked = client(S3ControlClient, aws).send(
      new GetAccountPublicAccessBlockCommand({ AccountId }),
    );
    const blocked = await client(S3ControlClient, fake(20, 1).aws).send(
      new GetAccountPublicAccessBlockCommand({ AccountId }),
    );
    const points = await drain(
      paginateListAccessPoints({ client: control, pageSize: 2 }, { AccountId }),
      (p) => p.AccessPointList,
    );
    const open = await control.send(
      new GetAccessPointCommand({ AccountId, Name: points[1]!.Name! }),
    );
    const none = await control.send(
      new GetAccessPointCommand({ AccountId, Name: points[3]!.Name! }),
    );

    // Assert
    await expect(unblocked).rejects.toMatchObject({ name: 'NoSuchPublicAccessBlockConfiguration' });
    expect(blocked.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: true,
    });
    expect(points.map((p) => p.Name)).toEqual(
      Array.from(
        { length: account.inRegion('accessPoints', 1) },
        (_, j) => account.accessPoint(account.indexIn(1, j)).name,
      ),
    );
    expect(points[0]!.AccessPointArn).toMatch(new RegExp(`^arn:aws:s3:${WEST}:`));
    expect(open.PublicAccessBlockConfiguration?.BlockPublicPolicy).toBe(false);
    expect(none.PublicAccessBlockConfiguration).toBeUndefined();
  });
});

describe('fake AWS: EC2 (EC2 query)', () => {
  it('lists regions with their opt-in status', async () => {
    const { aws } = fake(20);
    const out = await client(EC2Client, aws).send(new DescribeRegionsCommand({ AllRegions: true }));
    expect(out.Regions?.map((r) => [r.RegionName, r.OptInStatus])).toEqual([
      [BENCH_REGIONS[0], 'opt-in-not-required'],
      [WEST, 'opt-in-not-required'],
      [SOUTH, 'opted-in'],
      ...NOT_OPTED_IN_REGIONS.map((r) => [r, 'not-opted-in']),
    ]);
  });

  it('answers instances, network ACLs, subnets, snapshots and EBS encryption by default per region', async () => {
    // Arrange
    const { account, aws } = fake(200);
    const ec2 = client(EC2Client, aws, WEST);
    const paging = { client: ec2, pageSize: 5 };

    // Act
    const reservations = await drain(paginateDescribeInstances(paging, {}), (p) => p.Reservations);
    const acls = await drain(paginateDescribeNetworkAcls(paging, {}), (p) => p.NetworkAcls);
    const subnets = await drain(paginateDescribeSubnets(paging, {}), (p) => p.Subnets);
    const owned = await drain(
      paginateDescribeSnapshots(paging, { OwnerIds: ['self'] }),
      (p) => p.Snapshots,
    );
    const publicOnes = await drain(
      paginateDescribeSnapshots(paging, { OwnerIds: ['self'], RestorableByUserIds: ['all'] }),
      (p) => p.Snapshots,
    );
    const permission = await ec2.send(
      new DescribeSnapshotAttributeCommand({
        SnapshotId: publicOnes[0]!.SnapshotId!,
        Attribute: 'createVolumePermission',
      }),
    );
    const ebsDefault = await ec2.send(new GetEbsEncryptionByDefaultCommand({}));

    // Assert
    const instances = reservations.flatMap((r) => r.Instances ?? []);
    expect(instances).toHaveLength(account.inRegion('instances', 1));
    expect(instances[1]).toMatchObject({
      State: { Name: 'running' },
      PublicIpAddress: '203.0.113.10',
      MetadataOptions: { HttpTokens: 'optional', HttpEndpoint: 'enabled' },
    });
    expect(instances[0]!.IamInstanceProfile?.Arn).toMatch(/:instance-profile\/bench-app$/);
    expect(instances[5]!.NetworkInterfaces![0]!.PrivateIpAddresses![1]!.Association?.PublicIp).toBe(
      '198.51.100.7',
    );
    expect(acls).toHaveLength(account.inRegion('networkAcls', 1));
    expect(acls[0]!.IsDefault).toBe(true);
    expect(acls[3]!.Entries).toContainEqual(
      expect.objectContaining({ RuleNumber: 100, Protocol: '6', PortRange: { From: 22, To: 22 } }),
    );
    expect(subnets[3]).toMatchObject({ DefaultForAz: true, MapPublicIpOnLaunch: true });
    expect(subnets[4]!.OwnerId).not.toBe(account.accountId);
    expect(owned).toHaveLength(account.inRegion('snapshots', 1));
    expect(publicOnes.map((s) => s.SnapshotId)).toEqual(
      owned.filter((_, j) => j % 4 === 1).map((s) => s.SnapshotId),
    );
    expect(permission.CreateVolumePermissions).toEqual([{ Group: 'all' }]);
    expect(ebsDefault.EbsEncryptionByDefault).toBe(false); // eu-west-1: the half-done region
  });
});

describe('fake AWS: IAM, RDS and SNS (AWS query)', () => {
  it('answers the password policy (NoSuchEntity when none), policies with their documents, support and certificates', async () => {
    // Arrange
    const { account, aws } = fake(200);
    const iam = client(IAMClient, aws);

    // Act
    const passwords = await iam.send(new GetAccountPasswordPolicyCommand({}));
    const none = client(IAMClient, fake(20, 1).aws).send(new GetAccountPasswordPolicyCommand({}));
    const local = await drain(
      paginateListPolicies({ client: iam, pageSize: 2 }, { Scope: 'Local' }),
      (p) => p.Policies,
    );
    const aws_ = await drain(
      paginateListPolicies({ client: iam }, { Scope: 'AWS', OnlyAttached: true }),
      (p) => p.Policies,
    );
    const admin = local[1]!;
    const version = await iam.send(
      new GetPolicyVersionCommand({ PolicyArn: admin.Arn, VersionId: admin.DefaultVersionId }),
    );
    const support = await iam.send(
      new ListEntitiesForPolicyCommand({ PolicyArn: 'arn:aws:iam::aws:policy/AWSSupportAccess' }),
    );
    const certificates = await iam.send(new ListServerCertificatesCommand({}));
    const attached = await iam.send(
      new ListAttachedUserPoliciesCommand({ UserName: account.user(6).name }),
    );
    const inline = await iam.send(new ListUserPoliciesCommand({ UserName: account.user(6).name }));

    // Assert
    expect(passwords.PasswordPolicy).toMatchObject({
      MinimumPasswordLength: 14,
      PasswordReusePrevention: 24,
    });
    await expect(none).rejects.toMatchObject({ name: 'NoSuchEntityException' });
    expect(local).toHaveLength(account.counts.policies);
    expect(admin).toMatchObject({ AttachmentCount: 1, DefaultVersionId: 'v3' });
    expect(JSON.parse(decodeURIComponent(version.PolicyVersion!.Document!))).toEqual({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
    });
    expect(aws_.map((p) => p.PolicyName)).toEqual([
      'AdministratorAccess',
      'ReadOnlyAccess',
      'AWSSupportAccess',
    ]);
    expect(support.PolicyRoles?.map((r) => r.RoleName)).toEqual(['bench-support']);
    expect(certificates.ServerCertificateMetadataList).toHaveLength(account.counts.certificates);
    expect(certificates.ServerCertificateMetadataList![1]!.Expiration!.getTime()).toBeLessThan(
      Date.now(),
    );
    expect(attached.AttachedPolicies?.map((p) => p.PolicyName)).toEqual([
      'bench-policy-000001',
      'ReadOnlyAccess',
    ]);
    expect(inline.PolicyNames).toEqual(['legacy']);
  });

  it('pages RDS DB instances (Marker) and lists a topic subscriptions', async () => {
    // Arrange
    const { account, aws } = fake(1000);
    const rds = client(RDSClient, aws, SOUTH);

    // Act
    const dbs = await drain(
      paginateDescribeDBInstances({ client: rds, pageSize: 20 }, {}),
      (p) => p.DBInstances,
    );
    const subscriptions = await client(SNSClient, aws).send(
      new ListSubscriptionsByTopicCommand({ TopicArn: topicArn(account, 'bench-security-alerts') }),
    );
    const missing = client(SNSClient, aws).send(
      new ListSubscriptionsByTopicCommand({ TopicArn: topicArn(account, 'no-such-topic') }),
    );

    // Assert
    expect(dbs).toHaveLength(account.inRegion('dbInstances', 2));
    expect(dbs[1]).toMatchObject({
      Engine: 'mysql',
      StorageEncrypted: false,
      PubliclyAccessible: true,
      AutoMinorVersionUpgrade: false,
    });
    expect(dbs[2]!.DBClusterIdentifier).toMatch(/^bench-orders-/);
    expect(dbs[0]!.TagList).toEqual([{ Key: 'Owner', Value: 'bench-owner' }]);
    expect(subscriptions.Subscriptions?.map((s) => s.SubscriptionArn)).toEqual([
      expect.stringMatching(/^arn:aws:sns:/),
      'PendingConfirmation',
    ]);
    await expect(missing).rejects.toMatchObject({ name: 'NotFoundException' });
  });
});

describe('fake AWS: AWS Config, CloudTrail, CloudWatch Logs and KMS (JSON 1.1)', () => {
  it('answers recorders and their status per region', async () => {
    const { aws } = fake(20);
    const config = (region: string) => client(ConfigServiceClient, aws, region);
    const own = await config(BENCH_REGION).send(new DescribeConfigurationRecordersCommand({}));
    const status = await config(BENCH_REGION).send(
      new DescribeConfigurationRecorderStatusCommand({}),
    );
    const linked = await config(SOUTH).send(new DescribeConfigurationRecordersCommand({}));
    expect(own.ConfigurationRecorders![0]).toMatchObject({
      roleARN: expect.stringMatching(/AWSServiceRoleForConfig$/),
      recordingGroup: { allSupported: true, includeGlobalResourceTypes: true },
    });
    expect(status.ConfigurationRecordersStatus![0]).toMatchObject({ recording: true });
    expect(linked.ConfigurationRecorders![0]).toMatchObject({
      recordingScope: 'INTERNAL',
      servicePrincipal: 'securityhub.amazonaws.com',
    });
  });

  it('answers trails homed in a region, their status and event selectors', async () => {
    // Arrange
    const { account, aws } = fake(20);
    const trail = client(CloudTrailClient, aws);

    // Act
    const homed = await trail.send(new DescribeTrailsCommand({ includeShadowTrails: false }));
    const west = await client(CloudTrailClient, aws, WEST).send(
      new DescribeTrailsCommand({ includeShadowTrails: false }),
    );
    const main = homed.trailList![0]!;
    const status = await trail.send(new GetTrailStatusCommand({ Name: main.TrailARN }));
    const selectors = await trail.send(new GetEventSelectorsCommand({ TrailName: main.TrailARN }));
    const missing = trail.send(new GetTrailStatusCommand({ Name: 'no-such-trail' }));

    // Assert
    expect(homed.trailList).toHaveLength(1);
    expect(main).toMatchObject({
      Name: 'bench-main-trail',
      IsMultiRegionTrail: true,
      LogFileValidationEnabled: true,
      S3BucketName: account.bucket(0).name,
      KmsKeyId: account.keyArn(0, 0),
      CloudWatchLogsLogGroupArn: `arn:aws:logs:${BENCH_REGION}:${account.accountId}:log-group:bench-cloudtrail:*`,
    });
    expect(west.trailList?.map((t) => [t.Name, t.IsMultiRegionTrail])).toEqual([
      ['bench-app-trail', false],
    ]);
    expect(status.IsLogging).toBe(true);
    expect(selectors.EventSelectors).toEqual([
      {
        ReadWriteType: 'All',
        IncludeManagementEvents: true,
        DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3'] }],
      },
    ]);
    await expect(missing).rejects.toMatchObject({ name: 'TrailNotFoundException' });
  });

  it('pages the metric filters of the monitored log group', async () => {
    const { aws } = fake(20);
    const filters = await drain(
      paginateDescribeMetricFilters(
        { client: client(CloudWatchLogsClient, aws), pageSize: 50 },
        { logGroupName: 'bench-cloudtrail' },
      ),
      (p) => p.metricFilters,
    );
    const chained = Object.values(MONITORING_CHAINS).filter((c) => c !== 'none').length;
    expect(filters).toHaveLength(chained + NOISE_FILTERS);
    expect(filters[0]).toMatchObject({
      filterName: 'cis-CloudWatch.1',
      metricTransformations: [{ metricNamespace: 'CISBenchmark', metricName: 'Cis1' }],
    });
    expect(aws.counts.get('logs.DescribeMetricFilters')!.ok).toBe(2);
  });

  it('pages keys of a region, describes them, and answers NotFoundException for another region', async () => {
    // Arrange
    const { account, aws } = fake(500);
    const kms = client(KMSClient, aws, WEST);

    // Act
    const keys = await drain(paginateListKeys({ client: kms, pageSize: 4 }, {}), (p) => p.Keys);
    const pending = await kms.send(new DescribeKeyCommand({ KeyId: keys[2]!.KeyArn }));
    const rotation = await kms.send(new GetKeyRotationStatusCommand({ KeyId: keys[1]!.KeyArn }));
    const policy = await kms.send(
      new GetKeyPolicyCommand({ KeyId: keys[2]!.KeyArn, PolicyName: 'default' }),
    );
    const elsewhere = kms.send(new DescribeKeyCommand({ KeyId: account.keyArn(0, 0) }));

    // Assert
    expect(keys).toHaveLength(account.inRegion('keys', 1));
    expect(pending.KeyMetadata).toMatchObject({
      KeyManager: 'CUSTOMER',
      KeyState: 'PendingDeletion',
      KeySpec: 'SYMMETRIC_DEFAULT',
    });
    expect(pending.KeyMetadata?.DeletionDate).toBeInstanceOf(Date);
    expect(rotation.KeyRotationEnabled).toBe(false);
    expect(JSON.parse(policy.Policy!).Statement[1]).toMatchObject({ Principal: { AWS: '*' } });
    await expect(elsewhere).rejects.toMatchObject({ name: 'NotFoundException' });
  });
});

describe('fake AWS: CloudWatch (JSON 1.0)', () => {
  it('pages alarms, filtered by ActionPrefix, with metric-math alarms', async () => {
    const { account, aws } = fake(6000);
    const alarms = await drain(
      paginateDescribeAlarms(
        { client: client(CloudWatchClient, aws), pageSize: 100 },
        { ActionPrefix: 'arn:aws:sns:' },
      ),
      (p) => p.MetricAlarms,
    );
    const names = alarms.map((a) => a.AlarmName);
    expect(names).not.toContain('cis-CloudWatch.9'); // its action is not an SNS topic
    expect(names).toContain('app-alarm-20');
    expect(alarms.find((a) => a.AlarmName === 'cis-CloudWatch.10')!.Metrics![0]).toMatchObject({
      MetricStat: { Metric: { Namespace: 'CISBenchmark', MetricName: 'Cis10' } },
    });
    expect(alarms.find((a) => a.AlarmName === 'cis-CloudWatch.6')!.AlarmActions).toEqual([
      topicArn(account, 'bench-pending-alerts'),
    ]);
    expect(aws.counts.get('cloudwatch.DescribeAlarms')!.ok).toBeGreaterThan(1);
  });
});

describe('fake AWS: Lambda, EFS, GuardDuty, Security Hub, Access Analyzer (REST-JSON)', () => {
  it('answers function policies (ResourceNotFoundException when none) and container images', async () => {
    // Arrange
    const { account, aws } = fake(100);
    const lambda = client(LambdaClient, aws);

    // Act
    const functions = await drain(
      paginateListFunctions({ client: lambda, pageSize: 50 }, {}),
      (p) => p.Functions,
    );
    const open = await lambda.send(
      new GetPolicyCommand({ FunctionName: functions[1]!.FunctionArn }),
    );
    const none = lambda.send(new GetPolicyCommand({ FunctionName: functions[0]!.FunctionArn }));

    // Assert
    expect(functions[0]).toMatchObject({ Runtime: 'nodejs22.x', PackageType: 'Zip' });
    expect(functions[3]).toMatchObject({ PackageType: 'Image' });
    expect(functions[3]!.Runtime).toBeUndefined();
    expect(JSON.parse(open.Policy!).Statement[0]).toMatchObject({
      Principal: '*',
      Resource: account.function(account.indexIn(0, 1)).arn,
    });
    await expect(none).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it('pages file systems (Marker)', async () => {
    const { account, aws } = fake(2000);
    const systems = await drain(
      paginateDescribeFileSystems({ client: client(EFSClient, aws, SOUTH), pageSize: 5 }, {}),
      (p) => p.FileSystems,
    );
    expect(systems).toHaveLength(account.inRegion('fileSystems', 2));
    expect(systems.map((f) => f.Encrypted).slice(0, 3)).toEqual([true, false, true]);
    expect(systems[2]).toMatchObject({ Name: expect.stringMatching(/^bench-share-/) });
    expect(systems[0]!.CreationTime).toBeInstanceOf(Date);
  });

  it('answers detectors, hubs (InvalidAccessException when not subscribed) and analyzers per region', async () => {
    // Arrange
    const { aws } = fake(20);
    const at = <C>(Client: new (config: object) => C, region: string) =>
      client(Client, aws, region);

    // Act
    const detectors = await at(GuardDutyClient, WEST).send(new ListDetectorsCommand({}));
    const detector = await at(GuardDutyClient, WEST).send(
      new GetDetectorCommand({ DetectorId: detectors.DetectorIds![0]! }),
    );
    const noDetector = await at(GuardDutyClient, SOUTH).send(new ListDetectorsCommand({}));
    const hub = await at(SecurityHubClient, BENCH_REGION).send(new DescribeHubCommand({}));
    const noHub = at(SecurityHubClient, WEST).send(new DescribeHubCommand({}));
    const analyzers = await at(AccessAnalyzerClient, BENCH_REGION).send(
      new ListAnalyzersCommand({}),
    );

    // Assert
    expect(detectors.DetectorIds).toEqual([detectorId(1)]);
    expect(detector.Status).toBe('DISABLED');
    expect(noDetector.DetectorIds).toEqual([]);
    expect(hub.HubArn).toBe(`arn:aws:securityhub:${BENCH_REGION}:123456789012:hub/default`);
    await expect(noHub).rejects.toMatchObject({ name: 'InvalidAccessException' });
    expect(analyzers.analyzers?.map((a) => [a.type, a.status])).toEqual([
      ['ACCOUNT', 'ACTIVE'],
      ['ACCOUNT_UNUSED_ACCESS', 'ACTIVE'],
    ]);
    expect(analyzers.analyzers![0]!.createdAt).toBeInstanceOf(Date);
  });
});
