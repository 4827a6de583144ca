import {
  DescribeInstancesCommand,
  DescribeNetworkAclsCommand,
  DescribeSnapshotAttributeCommand,
  DescribeSnapshotsCommand,
  DescribeSubnetsCommand,
  type DescribeSnapshotsCommandInput,
  DescribeVpcsCommand,
} from '@aws-sdk/client-ec2';
import { DescribeFileSystemsCommand } from '@aws-sdk/client-efs';
import { DescribeDBInstancesCommand } from '@aws-sdk/client-rds';
import { Collector } from '../../../lambdas/scanner/inventory/collector';
import { collectEc2 } from '../../../lambdas/scanner/inventory/ec2';
import { collectEfs } from '../../../lambdas/scanner/inventory/efs';
import { collectRds } from '../../../lambdas/scanner/inventory/rds';
import { logger } from '../../../lambdas/shared/observability';
import { awsError, clientRegion, mocks, resetMocks } from './aws-mocks';

const ACCOUNT = '123456789012';
const collector = () => new Collector(ACCOUNT, 'aws', 4, async () => undefined);

beforeAll(() => logger.setLogLevel('SILENT'));
beforeEach(() => resetMocks());

describe('EC2 collector: instances, network ACLs, subnets, VPC owners', () => {
  it('paginates DescribeInstances and maps metadata options, profile and every public IPv4 address', async () => {
    // Arrange
    mocks.ec2
      .on(DescribeInstancesCommand)
      .resolvesOnce({
        Reservations: [
          {
            Instances: [
              {
                InstanceId: 'i-1',
                State: { Name: 'running' },
                MetadataOptions: { HttpTokens: 'optional', HttpEndpoint: 'enabled' },
                IamInstanceProfile: { Arn: `arn:aws:iam::${ACCOUNT}:instance-profile/app` },
                PublicIpAddress: '198.51.100.1',
                NetworkInterfaces: [
                  {
                    Association: { PublicIp: '198.51.100.1' },
                    PrivateIpAddresses: [{ Association: { PublicIp: '198.51.100.2' } }],
                  },
                  { Association: { PublicIp: '198.51.100.3' } },
                ],
                Tags: [{ Key: 'Owner', Value: 'app' }],
              },
            ],
          },
        ],
        NextToken: 'n2',
      })
      .resolvesOnce({
        Reservations: [{ Instances: [{ InstanceId: 'i-2', State: { Name: 'stopped' } }] }],
      });

    // Act
    const ec2 = await collectEc2(collector(), 'eu-west-1');

    // Assert
    expect(mocks.ec2).toHaveReceivedNthSpecificCommandWith(2, DescribeInstancesCommand, {
      MaxResults: 1000,
      NextToken: 'n2',
    });
    expect(ec2.instances.items).toEqual([
      {
        id: 'i-1',
        arn: `arn:aws:ec2:eu-west-1:${ACCOUNT}:instance/i-1`,
        state: 'running',
        httpTokens: 'optional',
        httpEndpoint: 'enabled',
        instanceProfileArn: `arn:aws:iam::${ACCOUNT}:instance-profile/app`,
        publicIps: ['198.51.100.1', '198.51.100.2', '198.51.100.3'],
        tags: { Owner: 'app' },
      },
      {
        id: 'i-2',
        arn: `arn:aws:ec2:eu-west-1:${ACCOUNT}:instance/i-2`,
        state: 'stopped',
        httpTokens: undefined,
        httpEndpoint: undefined,
        instanceProfileArn: undefined,
        publicIps: [],
        tags: {},
      },
    ]);
    expect(await clientRegion(() => mocks.ec2.call(0).thisValue)).toBe('eu-west-1');
  });

  it('maps network ACL entries (100 per page), subnets and VPC owners', async () => {
    // Arrange
    mocks.ec2
      .on(DescribeNetworkAclsCommand)
      .resolvesOnce({
        NetworkAcls: [
          {
            NetworkAclId: 'acl-1',
            VpcId: 'vpc-1',
            IsDefault: false,
            OwnerId: ACCOUNT,
            Associations: [{ SubnetId: 'subnet-1' }],
            Entries: [
              {
                RuleNumber: 100,
                Protocol: '6',
                RuleAction: 'allow',
                Egress: false,
                CidrBlock: '0.0.0.0/0',
                PortRange: { From: 22, To: 22 },
              },
              {
                RuleNumber: 32767,
                Protocol: '-1',
                RuleAction: 'deny',
                Egress: false,
                Ipv6CidrBlock: '::/0',
              },
            ],
          },
        ],
        NextToken: 'n2',
      })
      .resolvesOnce({ NetworkAcls: [{ NetworkAclId: 'acl-2', IsDefault: true }] });
    mocks.ec2.on(DescribeSubnetsCommand).resolves({
      Subnets: [
        {
          SubnetId: 'subnet-1',
          SubnetArn: `arn:aws:ec2:us-east-1:${ACCOUNT}:subnet/subnet-1`,
          VpcId: 'vpc-1',
          OwnerId: ACCOUNT,
          DefaultForAz: true,
          MapPublicIpOnLaunch: true,
        },
      ],
    });
    mocks.ec2
      .on(DescribeVpcsCommand)
      .resolves({ Vpcs: [{ VpcId: 'vpc-shared', OwnerId: '210987654321' }] });

    // Act
    const ec2 = await collectEc2(collector(), 'us-east-1');

    // Assert
    expect(mocks.ec2).toHaveReceivedNthSpecificCommandWith(2, DescribeNetworkAclsCommand, {
      MaxResults: 100,
      NextToken: 'n2',
    });
    expect(ec2.networkAcls.items.map((a) => [a.id, a.isDefault])).toEqual([
      ['acl-1', false],
      ['acl-2', true],
    ]);
    expect(ec2.networkAcls.items[0]).toMatchObject({
      arn: `arn:aws:ec2:us-east-1:${ACCOUNT}:network-acl/acl-1`,
      ownerId: ACCOUNT,
      subnetIds: ['subnet-1'],
      entries: [
        {
          ruleNumber: 100,
          protocol: '6',
          action: 'allow',
          egress: false,
          cidrBlock: '0.0.0.0/0',
          portRange: { from: 22, to: 22 },
        },
        { ruleNumber: 32767, protocol: '-1', action: 'deny', ipv6CidrBlock: '::/0' },
      ],
    });
    expect(ec2.subnets.items).toEqual([
      {
        id: 'subnet-1',
        arn: `arn:aws:ec2:us-east-1:${ACCOUNT}:subnet/subnet-1`,
        vpcId: 'vpc-1',
        ownerId: ACCOUNT,
        defaultForAz: true,
        mapPublicIpOnLaunch: true,
        assignIpv6AddressOnCreation: false,
        tags: {},
      },
    ]);
    expect(ec2.vpcs.items[0]).toMatchObject({ id: 'vpc-shared', ownerId: '210987654321' });
  });

  it('keeps what was read when DescribeInstances is denied, and records the error', async () => {
    // Arrange
    mocks.ec2.on(DescribeInstancesCommand).rejects(awsError('UnauthorizedOperation'));

    // Act
    const ec2 = await collectEc2(collector(), 'us-east-1');

    // Assert
    expect(ec2.instances).toMatchObject({
      items: [],
      error: { operation: 'DescribeInstances', kind: 'access-denied' },
    });
    expect(ec2.networkAcls.error).toBeUndefined();
  });
});

describe('EC2 collector: own EBS snapshots', () => {
  const owned = (ids: string[]) => ({
    Snapshots: ids.map((id) => ({ SnapshotId: id, VolumeId: `vol-${id}` })),
  });
  const listing = (restorableByAll: boolean) => ({
    OwnerIds: ['self'],
    ...(restorableByAll ? { RestorableByUserIds: ['all'] } : {}),
  });
  /** Answers the two listings (a partial-input matcher cannot tell them apart: one extends the other). */
  function snapshotListings(
    ownedPages: ReturnType<typeof owned>[],
    publicAnswer: ReturnType<typeof owned> | Error,
  ): void {
    mocks.ec2.on(DescribeSnapshotsCommand).callsFake((input: DescribeSnapshotsCommandInput) => {
      if (input.RestorableByUserIds) {
        if (publicAnswer instanceof Error) throw publicAnswer;
        return publicAnswer;
      }
      const page = Number(input.NextToken ?? 0);
      const next = page + 1 < ownedPages.length ? { NextToken: String(page + 1) } : {};
      return { ...ownedPages[page], ...next };
    });
  }

  it('lists own snapshots and the public ones, and reads the permission of the public ones only', async () => {
    // Arrange
    snapshotListings([owned(['snap-a', 'snap-b']), owned(['snap-c'])], owned(['snap-b']));
    mocks.ec2
      .on(DescribeSnapshotAttributeCommand)
      .resolves({ CreateVolumePermissions: [{ Group: 'all' }] });

    // Act
    const ec2 = await collectEc2(collector(), 'us-east-1');

    // Assert
    expect(mocks.ec2).toHaveReceivedCommandWith(DescribeSnapshotsCommand, {
      ...listing(false),
      MaxResults: 1000,
      NextToken: '1',
    });
    expect(mocks.ec2).toHaveReceivedCommandWith(DescribeSnapshotsCommand, {
      ...listing(true),
      MaxResults: 1000,
    });
    expect(mocks.ec2).toHaveReceivedCommandTimes(DescribeSnapshotAttributeCommand, 1);
    expect(mocks.ec2).toHaveReceivedCommandWith(DescribeSnapshotAttributeCommand, {
      SnapshotId: 'snap-b',
      Attribute: 'createVolumePermission',
    });
    expect(ec2.snapshots.items.map((s) => [s.id, s.arn, s.public])).toEqual([
      ['snap-a', 'arn:aws:ec2:us-east-1::snapshot/snap-a', { ok: true, value: false }],
      ['snap-b', 'arn:aws:ec2:us-east-1::snapshot/snap-b', { ok: true, value: true }],
      ['snap-c', 'arn:aws:ec2:us-east-1::snapshot/snap-c', { ok: true, value: false }],
    ]);
  });

  it('records AccessDenied on one snapshot permission against that snapshot only', async () => {
    // Arrange
    snapshotListings([owned(['snap-a', 'snap-b'])], owned(['snap-a', 'snap-b']));
    mocks.ec2
      .on(DescribeSnapshotAttributeCommand, { SnapshotId: 'snap-a' })
      .rejects(awsError('UnauthorizedOperation'))
      .on(DescribeSnapshotAttributeCommand, { SnapshotId: 'snap-b' })
      .resolves({ CreateVolumePermissions: [{ UserId: '210987654321' }] });

    // Act
    const ec2 = await collectEc2(collector(), 'us-east-1');

    // Assert
    const [a, b] = ec2.snapshots.items;
    expect(a!.public).toMatchObject({
      ok: false,
      error: {
        operation: 'DescribeSnapshotAttribute',
        resourceUid: 'arn:aws:ec2:us-east-1::snapshot/snap-a',
        kind: 'access-denied',
      },
    });
    // Shared with one account is not public.
    expect(b!.public).toEqual({ ok: true, value: false });
    expect(ec2.snapshots.error).toBeUndefined();
  });

  it('leaves out a snapshot deleted before its permission was read (InvalidSnapshot.NotFound)', async () => {
    // Arrange
    snapshotListings([owned(['snap-a', 'snap-gone'])], owned(['snap-gone']));
    mocks.ec2.on(DescribeSnapshotAttributeCommand).rejects(awsError('InvalidSnapshot.NotFound'));
    const c = collector();

    // Act
    const ec2 = await collectEc2(c, 'us-east-1');

    // Assert
    expect(ec2.snapshots.items.map((s) => s.id)).toEqual(['snap-a']);
    expect(c.errors).toEqual([]);
  });

  it('never assumes a snapshot private when the public listing failed', async () => {
    // Arrange
    mocks.ec2.on(DescribeSnapshotsCommand, listing(false)).resolves(owned(['snap-a']));
    mocks.ec2.on(DescribeSnapshotsCommand, listing(true)).rejects(awsError('RequestLimitExceeded'));

    // Act
    const ec2 = await collectEc2(collector(), 'us-east-1');

    // Assert
    expect(ec2.snapshots.items[0]!.public).toMatchObject({
      ok: false,
      error: { operation: 'DescribeSnapshots', kind: 'throttled' },
    });
    expect(mocks.ec2).toHaveReceivedCommandTimes(DescribeSnapshotAttributeCommand, 0);
  });
});

describe('RDS collector', () => {
  it('paginates DescribeDBInstances (Marker, 100 per page) in the region asked', async () => {
    // Arrange
    mocks.rds
      .on(DescribeDBInstancesCommand)
      .resolvesOnce({
        DBInstances: [
          {
            DBInstanceIdentifier: 'orders-1',
            DBInstanceArn: `arn:aws:rds:eu-west-1:${ACCOUNT}:db:orders-1`,
            Engine: 'aurora-postgresql',
            DBClusterIdentifier: 'orders',
            StorageEncrypted: true,
            AutoMinorVersionUpgrade: true,
            PubliclyAccessible: false,
            TagList: [{ Key: 'Owner', Value: 'shop' }],
          },
        ],
        Marker: 'm2',
      })
      .resolvesOnce({ DBInstances: [{ DBInstanceIdentifier: 'legacy', Engine: 'mysql' }] });

    // Act
    const rds = await collectRds(collector(), 'eu-west-1');

    // Assert
    expect(mocks.rds).toHaveReceivedNthSpecificCommandWith(2, DescribeDBInstancesCommand, {
      MaxRecords: 100,
      Marker: 'm2',
    });
    expect(rds.instances.items).toEqual([
      {
        id: 'orders-1',
        arn: `arn:aws:rds:eu-west-1:${ACCOUNT}:db:orders-1`,
        engine: 'aurora-postgresql',
        clusterId: 'orders',
        storageEncrypted: true,
        autoMinorVersionUpgrade: true,
        publiclyAccessible: false,
        tags: { Owner: 'shop' },
      },
      {
        id: 'legacy',
        arn: `arn:aws:rds:eu-west-1:${ACCOUNT}:db:legacy`,
        engine: 'mysql',
        clusterId: undefined,
        storageEncrypted: false,
        autoMinorVersionUpgrade: false,
        publiclyAccessible: false,
        tags: {},
      },
    ]);
    expect(await clientRegion(() => mocks.rds.call(0).thisValue)).toBe('eu-west-1');
  });

  it('records AccessDenied as the listing error', async () => {
    // Arrange
    mocks.rds.on(DescribeDBInstancesCommand).rejects(awsError('AccessDenied'));

    // Act
    const rds = await collectRds(collector(), 'us-east-1');

    // Assert
    expect(rds.instances).toMatchObject({
      items: [],
      error: { service: 'rds', operation: 'DescribeDBInstances', kind: 'access-denied' },
    });
  });
});

describe('EFS collector', () => {
  it('paginates DescribeFileSystems (NextMarker, 100 per page) in the region asked', async () => {
    // Arrange
    mocks.efs
      .on(DescribeFileSystemsCommand)
      .resolvesOnce({
        FileSystems: [
          {
            FileSystemId: 'fs-1',
            FileSystemArn: `arn:aws:elasticfilesystem:ap-south-1:${ACCOUNT}:file-system/fs-1`,
            Name: 'shared',
            Encrypted: true,
            KmsKeyId: `arn:aws:kms:ap-south-1:${ACCOUNT}:key/k`,
            Tags: [{ Key: 'Owner', Value: 'data' }],
          } as never,
        ],
        NextMarker: 'm2',
      })
      .resolvesOnce({ FileSystems: [{ FileSystemId: 'fs-2', Encrypted: false } as never] });

    // Act
    const efs = await collectEfs(collector(), 'ap-south-1');

    // Assert
    expect(mocks.efs).toHaveReceivedNthSpecificCommandWith(2, DescribeFileSystemsCommand, {
      MaxItems: 100,
      Marker: 'm2',
    });
    expect(efs.fileSystems.items).toEqual([
      {
        id: 'fs-1',
        arn: `arn:aws:elasticfilesystem:ap-south-1:${ACCOUNT}:file-system/fs-1`,
        name: 'shared',
        encrypted: true,
        kmsKeyId: `arn:aws:kms:ap-south-1:${ACCOUNT}:key/k`,
        tags: { Owner: 'data' },
      },
      {
        id: 'fs-2',
        arn: `arn:aws:elasticfilesystem:ap-south-1:${ACCOUNT}:file-system/fs-2`,
        name: undefined,
        encrypted: false,
        kmsKeyId: undefined,
        tags: {},
      },
    ]);
    expect(await clientRegion(() => mocks.efs.call(0).thisValue)).toBe('ap-south-1');
  });

  it('records AccessDenied as the listing error', async () => {
    // Arrange
    mocks.efs.on(DescribeFileSystemsCommand).rejects(awsError('AccessDeniedException'));

    // Act
    const efs = await collectEfs(collector(), 'us-east-1');

    // Assert
    expect(efs.fileSystems).toMatchObject({
      items: [],
      error: { service: 'efs', operation: 'DescribeFileSystems', kind: 'access-denied' },
    });
  });
});
