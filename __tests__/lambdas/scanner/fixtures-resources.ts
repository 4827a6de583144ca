/**
 * Inventory builders for EC2 instances, network ACLs, subnets and snapshots, RDS DB instances and
 * EFS file systems (compliant defaults; each test overrides what it judges).
 */
import type {
  DbInstanceInventory,
  FileSystemInventory,
  InstanceInventory,
  NetworkAclEntry,
  NetworkAclInventory,
  SnapshotInventory,
  SubnetInventory,
} from '../../../lambdas/scanner/inventory/types';
import { ACCOUNT, ALL_TAGS, ok, REGION } from './fixtures';

export function instance(id: string, over: Partial<InstanceInventory> = {}): InstanceInventory {
  return {
    id,
    arn: `arn:aws:ec2:${REGION}:${ACCOUNT}:instance/${id}`,
    state: 'running',
    httpTokens: 'required',
    httpEndpoint: 'enabled',
    instanceProfileArn: `arn:aws:iam::${ACCOUNT}:instance-profile/app`,
    publicIps: [],
    tags: ALL_TAGS,
    ...over,
  };
}

export function naclEntry(over: Partial<NetworkAclEntry> = {}): NetworkAclEntry {
  return {
    ruleNumber: 100,
    protocol: '6',
    action: 'allow',
    egress: false,
    cidrBlock: '0.0.0.0/0',
    portRange: { from: 443, to: 443 },
    ...over,
  };
}

/** The `*` entries every network ACL ends with (deny all, IPv4 and IPv6). */
export const DENY_ALL = [
  naclEntry({ ruleNumber: 32767, protocol: '-1', action: 'deny', portRange: undefined }),
  naclEntry({
    ruleNumber: 32768,
    protocol: '-1',
    action: 'deny',
    cidrBlock: undefined,
    ipv6CidrBlock: '::/0',
    portRange: undefined,
  }),
];

export function nacl(id: string, over: Partial<NetworkAclInventory> = {}): NetworkAclInventory {
  return {
    id,
    arn: `arn:aws:ec2:${REGION}:${ACCOUNT}:network-acl/${id}`,
    vpcId: 'vpc-1',
    isDefault: false,
    ownerId: ACCOUNT,
    entries: [naclEntry(), ...DENY_ALL],
    subnetIds: ['subnet-1'],
    tags: ALL_TAGS,
    ...over,
  };
}

export function subnet(id: string, over: Partial<SubnetInventory> = {}): SubnetInventory {
  return {
    id,
    arn: `arn:aws:ec2:${REGION}:${ACCOUNT}:subnet/${id}`,
    vpcId: 'vpc-1',
    ownerId: ACCOUNT,
    defaultForAz: false,
    mapPublicIpOnLaunch: false,
    assignIpv6AddressOnCreation: false,
    tags: ALL_TAGS,
    ...over,
  };
}

export function snapshot(id: string, over: Partial<SnapshotInventory> = {}): SnapshotInventory {
  return {
    id,
    arn: `arn:aws:ec2:${REGION}::snapshot/${id}`,
    volumeId: 'vol-1',
    public: ok(false),
    tags: ALL_TAGS,
    ...over,
  };
}

export function dbInstance(
  id: string,
  over: Partial<DbInstanceInventory> = {},
): DbInstanceInventory {
  return {
    id,
    arn: `arn:aws:rds:${REGION}:${ACCOUNT}:db:${id}`,
    engine: 'postgres',
    storageEncrypted: true,
    autoMinorVersionUpgrade: true,
    publiclyAccessible: false,
    tags: ALL_TAGS,
    ...over,
  };
}

export function fileSystem(
  id: string,
  over: Partial<FileSystemInventory> = {},
): FileSystemInventory {
  return {
    id,
    arn: `arn:aws:elasticfilesystem:${REGION}:${ACCOUNT}:file-system/${id}`,
    name: `fs-name-${id}`,
    encrypted: true,
    kmsKeyId: `arn:aws:kms:${REGION}:${ACCOUNT}:key/k`,
    tags: ALL_TAGS,
    ...over,
  };
}
