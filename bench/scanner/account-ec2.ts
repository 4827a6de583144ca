/**
 * EC2 resources of the synthetic account — security groups, volumes, VPCs (and their flow logs),
 * subnets, network ACLs, instances and EBS snapshots — each a profile that declares its verdicts.
 * Resources shared by another account (VPC sharing) are declared as such: the checks that judge
 * only the account's own resources owe them no finding.
 */
import {
  ALL_TAGS,
  OTHER_ACCOUNT,
  SOME_TAGS,
  cycle,
  hex,
  placement,
  type AccountContext,
  type Expect,
  type Status,
  type Tag,
} from './account-common';

const WORLD = '0.0.0.0/0';
const WORLD_V6 = '::/0';
const SHARED_BY = '210987654321';

// ---------------------------------------------------------------------------- security groups

export interface RuleSpec {
  readonly protocol: string;
  readonly from?: number;
  readonly to?: number;
  readonly cidrs?: readonly string[];
  readonly cidrsV6?: readonly string[];
  readonly sourceGroup?: boolean;
}

export interface SecurityGroupSpec {
  readonly id: string;
  readonly arn: string;
  readonly region: string;
  readonly name: string;
  readonly vpcId: string;
  readonly ingress: readonly RuleSpec[];
  readonly egress: readonly RuleSpec[];
  readonly tags: readonly Tag[];
  readonly expect: Expect;
}

const EGRESS_ALL: readonly RuleSpec[] = [{ protocol: '-1', cidrs: [WORLD] }];

/** Verdicts of the ingress checks: EC2.13, .14, .18, .19, .53, .54 and CIFS. */
function sg(
  ssh: Status,
  rdp: Status,
  unauthorised: Status,
  highRisk: Status,
  adminV4: Status,
  adminV6: Status,
  cifs: Status,
): Expect {
  return {
    'EC2.13': ssh,
    'EC2.14': rdp,
    'EC2.18': unauthorised,
    'EC2.19': highRisk,
    'EC2.53': adminV4,
    'EC2.54': adminV6,
    'EC2.CifsExposed': cifs,
  };
}
const SG_CLEAN = sg('PASS', 'PASS', 'PASS', 'PASS', 'PASS', 'PASS', 'PASS');

const SG_PROFILES: readonly {
  readonly name?: 'default';
  readonly ingress: readonly RuleSpec[];
  readonly egress: readonly RuleSpec[];
  readonly expect: Expect;
}[] = [
  // default SG, closed
  { name: 'default', ingress: [], egress: [], expect: { 'EC2.2': 'PASS', ...SG_CLEAN } },
  // default SG as AWS creates it: self-referencing ingress, all egress
  {
    name: 'default',
    ingress: [{ protocol: '-1', sourceGroup: true }],
    egress: EGRESS_ALL,
    expect: { 'EC2.2': 'FAIL', ...SG_CLEAN },
  },
  // web: 80 and 443 from the world (authorised ports)
  {
    ingress: [
      { protocol: 'tcp', from: 80, to: 80, cidrs: [WORLD] },
      { protocol: 'tcp', from: 443, to: 443, cidrs: [WORLD], cidrsV6: [WORLD_V6] },
    ],
    egress: EGRESS_ALL,
    expect: SG_CLEAN,
  },
  // SSH open to the IPv4 world
  {
    ingress: [{ protocol: 'tcp', from: 22, to: 22, cidrs: [WORLD] }],
    egress: EGRESS_ALL,
    expect: sg('FAIL', 'PASS', 'FAIL', 'FAIL', 'FAIL', 'PASS', 'PASS'),
  },
  // RDP open to the IPv6 world
  {
    ingress: [{ protocol: 'tcp', from: 3389, to: 3389, cidrsV6: [WORLD_V6] }],
    egress: EGRESS_ALL,
    expect: sg('PASS', 'FAIL', 'FAIL', 'FAIL', 'PASS', 'FAIL', 'PASS'),
  },
  // all traffic from the IPv4 world
  {
    ingress: [{ protocol: '-1', cidrs: [WORLD] }],
    egress: EGRESS_ALL,
    expect: sg('FAIL', 'FAIL', 'FAIL', 'FAIL', 'FAIL', 'PASS', 'FAIL'),
  },
  // internal only
  {
    ingress: [{ protocol: 'tcp', from: 0, to: 65535, cidrs: ['10.0.0.0/8'] }],
    egress: EGRESS_ALL,
    expect: SG_CLEAN,
  },
  // app port 8080 (high risk) from the world
  {
    ingress: [{ protocol: 'tcp', from: 8080, to: 8080, cidrs: [WORLD] }],
    egress: EGRESS_ALL,
    expect: sg('PASS', 'PASS', 'FAIL', 'FAIL', 'PASS', 'PASS', 'PASS'),
  },
  // CIFS (TCP 445) from both worlds
  {
    ingress: [{ protocol: 'tcp', from: 445, to: 445, cidrs: [WORLD], cidrsV6: [WORLD_V6] }],
    egress: EGRESS_ALL,
    expect: sg('PASS', 'PASS', 'FAIL', 'FAIL', 'PASS', 'PASS', 'FAIL'),
  },
  // RDP over UDP from the IPv4 world (port 3389 whatever the transport; CIFS is TCP only)
  {
    ingress: [{ protocol: 'udp', from: 3389, to: 3389, cidrs: [WORLD] }],
    egress: EGRESS_ALL,
    expect: sg('PASS', 'FAIL', 'FAIL', 'FAIL', 'FAIL', 'PASS', 'PASS'),
  },
];

export function securityGroupSpec(
  ctx: AccountContext,
  i: number,
  vpcId: string,
): SecurityGroupSpec {
  const { j, region } = placement(ctx, i);
  const profile = cycle(SG_PROFILES, j);
  const tagged = j % 3 !== 0;
  const id = `sg-${hex(i, 17)}`;
  return {
    id,
    arn: `arn:aws:ec2:${region}:${ctx.accountId}:security-group/${id}`,
    region,
    name: profile.name ?? `bench-sg-${hex(i, 6)}`,
    vpcId,
    ingress: profile.ingress,
    egress: profile.egress,
    tags: tagged ? ALL_TAGS : SOME_TAGS,
    expect: { ...profile.expect, 'EC2.43': tagged ? 'PASS' : 'FAIL' },
  };
}

// ---------------------------------------------------------------------------------- volumes

export interface VolumeSpec {
  readonly id: string;
  readonly arn: string;
  readonly region: string;
  readonly encrypted: boolean;
  readonly instanceId?: string;
  readonly tags: readonly Tag[];
  readonly expect: Expect;
}

export function volumeSpec(ctx: AccountContext, i: number): VolumeSpec {
  const { j, region } = placement(ctx, i);
  const kind = j % 4; // 0 attached encrypted, 1 attached plain, 2 detached plain, 3 attached encrypted
  const tagged = j % 2 === 0;
  const attached = kind !== 2;
  const encrypted = kind !== 1 && kind !== 2;
  const id = `vol-${hex(i, 17)}`;
  return {
    id,
    arn: `arn:aws:ec2:${region}:${ctx.accountId}:volume/${id}`,
    region,
    encrypted,
    instanceId: attached ? `i-${hex(i, 17)}` : undefined,
    tags: tagged ? ALL_TAGS : [],
    expect: {
      // EC2.3 judges attached volumes only
      ...(attached ? { 'EC2.3': encrypted ? 'PASS' : 'FAIL' } : {}),
      'EC2.45': tagged ? 'PASS' : 'FAIL',
    },
  };
}

// ------------------------------------------------------------------------------------- VPCs

export interface FlowLogSpec {
  readonly trafficType: 'ALL' | 'ACCEPT' | 'REJECT';
  readonly delivery: 'SUCCESS' | 'FAILED';
}

export interface VpcSpec {
  readonly id: string;
  readonly arn: string;
  readonly region: string;
  readonly ownerId: string;
  readonly isDefault: boolean;
  readonly flowLog?: FlowLogSpec;
  readonly tags: readonly Tag[];
  readonly expect: Expect;
}

const VPC_PROFILES: readonly {
  readonly flowLog?: FlowLogSpec;
  readonly shared?: boolean;
  readonly isDefault?: boolean;
  /** EC2.6; absent for a VPC shared with this account (judged in its owner's). */
  readonly flowLogVerdict?: Status;
}[] = [
  { flowLog: { trafficType: 'ALL', delivery: 'SUCCESS' }, isDefault: true, flowLogVerdict: 'PASS' },
  { flowLogVerdict: 'FAIL' }, // no flow log
  { flowLog: { trafficType: 'ALL', delivery: 'FAILED' }, flowLogVerdict: 'FAIL' },
  { flowLog: { trafficType: 'REJECT', delivery: 'SUCCESS' }, flowLogVerdict: 'PASS' },
  // rejected traffic is what must be logged
  { flowLog: { trafficType: 'ACCEPT', delivery: 'SUCCESS' }, flowLogVerdict: 'FAIL' },
  { shared: true },
  { flowLog: { trafficType: 'ALL', delivery: 'SUCCESS' }, flowLogVerdict: 'PASS' },
];

export function vpcSpec(ctx: AccountContext, i: number): VpcSpec {
  const { j, region } = placement(ctx, i);
  const profile = cycle(VPC_PROFILES, j);
  const tagged = j % 2 === 0;
  const id = `vpc-${hex(i, 17)}`;
  return {
    id,
    arn: `arn:aws:ec2:${region}:${ctx.accountId}:vpc/${id}`,
    region,
    ownerId: profile.shared ? SHARED_BY : ctx.accountId,
    isDefault: profile.isDefault === true,
    flowLog: profile.flowLog,
    tags: tagged ? ALL_TAGS : [],
    expect: {
      ...(profile.flowLogVerdict ? { 'EC2.6': profile.flowLogVerdict } : {}),
      'EC2.46': tagged ? 'PASS' : 'FAIL',
    },
  };
}

// ---------------------------------------------------------------------------------- subnets

export interface SubnetSpec {
  readonly id: string;
  readonly arn: string;
  readonly region: string;
  readonly vpcId: string;
  readonly ownerId: string;
  readonly defaultForAz: boolean;
  readonly mapPublicIpOnLaunch: boolean;
  readonly assignIpv6AddressOnCreation: boolean;
  readonly expect: Expect;
}

const SUBNET_PROFILES: readonly {
  readonly defaultForAz?: boolean;
  readonly mapPublicIp?: boolean;
  readonly ipv6?: boolean;
  readonly shared?: boolean;
  readonly verdict?: Status;
}[] = [
  { verdict: 'PASS' }, // private
  { mapPublicIp: true, verdict: 'FAIL' },
  { ipv6: true, verdict: 'FAIL' },
  { defaultForAz: true, mapPublicIp: true, verdict: 'FAIL' }, // a default subnet as AWS makes it
  { mapPublicIp: true, shared: true }, // shared by another account: judged there
];

export function subnetSpec(ctx: AccountContext, i: number, vpcId: string): SubnetSpec {
  const { j, region } = placement(ctx, i);
  const p = cycle(SUBNET_PROFILES, j);
  const id = `subnet-${hex(i, 17)}`;
  const ownerId = p.shared ? SHARED_BY : ctx.accountId;
  return {
    id,
    arn: `arn:aws:ec2:${region}:${ownerId}:subnet/${id}`,
    region,
    vpcId,
    ownerId,
    defaultForAz: p.defaultForAz === true,
    mapPublicIpOnLaunch: p.mapPublicIp === true,
    assignIpv6AddressOnCreation: p.ipv6 === true,
    expect: p.verdict ? { 'EC2.15': p.verdict } : {},
  };
}

// ----------------------------------------------------------------------------- network ACLs

export interface NaclEntrySpec {
  readonly rule: number;
  readonly protocol: string;
  readonly action: 'allow' | 'deny';
  readonly egress?: boolean;
  readonly cidr?: string;
  readonly cidrV6?: string;
  readonly ports?: readonly [number, number];
}

export interface NetworkAclSpec {
  readonly id: string;
  readonly arn: string;
  readonly region: string;
  readonly vpcId: string;
  readonly ownerId: string;
  readonly isDefault: boolean;
  readonly entries: readonly NaclEntrySpec[];
  readonly expect: Expect;
}

const DENY_REST: readonly NaclEntrySpec[] = [
  { rule: 32767, protocol: '-1', action: 'deny', cidr: WORLD },
  { rule: 32767, protocol: '-1', action: 'deny', egress: true, cidr: WORLD },
];
const EGRESS_ALLOW: NaclEntrySpec = {
  rule: 100,
  protocol: '-1',
  action: 'allow',
  egress: true,
  cidr: WORLD,
};

const NACL_PROFILES: readonly {
  readonly isDefault?: boolean;
  readonly shared?: boolean;
  readonly entries: readonly NaclEntrySpec[];
  /** EC2.21; absent for the default ACL (Security Hub skips it) and shared ones. */
  readonly verdict?: Status;
}[] = [
  // a VPC's default ACL: allows everything, and EC2.21 does not judge it
  {
    isDefault: true,
    entries: [
      { rule: 100, protocol: '-1', action: 'allow', cidr: WORLD },
      EGRESS_ALLOW,
      ...DENY_REST,
    ],
  },
  // HTTPS in only (egress allows everything, which the check ignores)
  {
    entries: [
      { rule: 100, protocol: '6', action: 'allow', cidr: WORLD, ports: [443, 443] },
      EGRESS_ALLOW,
      ...DENY_REST,
    ],
    verdict: 'PASS',
  },
  // everything in from the IPv4 world
  {
    entries: [
      { rule: 100, protocol: '-1', action: 'allow', cidr: WORLD },
      EGRESS_ALLOW,
      ...DENY_REST,
    ],
    verdict: 'FAIL',
  },
  // SSH in from the IPv4 world
  {
    entries: [
      { rule: 100, protocol: '6', action: 'allow', cidr: WORLD, ports: [22, 22] },
      ...DENY_REST,
    ],
    verdict: 'FAIL',
  },
  // an allow-all shadowed by a deny-all numbered first
  {
    entries: [
      { rule: 50, protocol: '-1', action: 'deny', cidr: WORLD },
      { rule: 100, protocol: '-1', action: 'allow', cidr: WORLD },
      ...DENY_REST,
    ],
    verdict: 'PASS',
  },
  // RDP over UDP in from the IPv6 world
  {
    entries: [
      { rule: 100, protocol: '17', action: 'allow', cidrV6: WORLD_V6, ports: [3389, 3389] },
      ...DENY_REST,
    ],
    verdict: 'FAIL',
  },
  // shared by another account: judged there
  {
    shared: true,
    entries: [{ rule: 100, protocol: '-1', action: 'allow', cidr: WORLD }, ...DENY_REST],
  },
];

export function networkAclSpec(ctx: AccountContext, i: number, vpcId: string): NetworkAclSpec {
  const { j, region } = placement(ctx, i);
  const p = cycle(NACL_PROFILES, j);
  const id = `acl-${hex(i, 17)}`;
  return {
    id,
    arn: `arn:aws:ec2:${region}:${ctx.accountId}:network-acl/${id}`,
    region,
    vpcId,
    ownerId: p.shared ? SHARED_BY : ctx.accountId,
    isDefault: p.isDefault === true,
    entries: p.entries,
    expect: p.verdict ? { 'EC2.21': p.verdict } : {},
  };
}

// -------------------------------------------------------------------------------- instances

export interface InstanceSpec {
  readonly id: string;
  readonly arn: string;
  readonly region: string;
  readonly state: 'pending' | 'running' | 'stopped' | 'terminated';
  readonly httpTokens: 'required' | 'optional';
  readonly httpEndpoint: 'enabled' | 'disabled';
  readonly profileArn?: string;
  /** The instance's own public IPv4 address. */
  readonly publicIp?: string;
  /** A public IPv4 address on a secondary private address of its network interface. */
  readonly interfaceIp?: string;
  readonly tags: readonly Tag[];
  readonly expect: Expect;
}

function instanceExpect(imdsv2: Status, publicIp: Status, profile: Status): Expect {
  return { 'EC2.8': imdsv2, 'EC2.9': publicIp, 'EC2.InstanceProfileAttached': profile };
}

const INSTANCE_PROFILES: readonly Omit<InstanceSpec, 'id' | 'arn' | 'region' | 'tags'>[] = [
  {
    state: 'running',
    httpTokens: 'required',
    httpEndpoint: 'enabled',
    profileArn: 'app',
    expect: instanceExpect('PASS', 'PASS', 'PASS'),
  },
  {
    state: 'running',
    httpTokens: 'optional',
    httpEndpoint: 'enabled',
    publicIp: '203.0.113.10',
    expect: instanceExpect('FAIL', 'FAIL', 'FAIL'),
  },
  {
    state: 'stopped',
    httpTokens: 'required',
    httpEndpoint: 'enabled',
    expect: instanceExpect('PASS', 'PASS', 'FAIL'),
  },
  // terminated (still listed for about an hour): judged by no check
  {
    state: 'terminated',
    httpTokens: 'optional',
    httpEndpoint: 'enabled',
    publicIp: '203.0.113.11',
    expect: {},
  },
  // IMDSv1 still accepted though the endpoint is off: fails as Security Hub's control does
  {
    state: 'running',
    httpTokens: 'optional',
    httpEndpoint: 'disabled',
    profileArn: 'app',
    expect: instanceExpect('FAIL', 'PASS', 'PASS'),
  },
  // a public address on a network interface only
  {
    state: 'running',
    httpTokens: 'required',
    httpEndpoint: 'enabled',
    profileArn: 'app',
    interfaceIp: '198.51.100.7',
    expect: instanceExpect('PASS', 'FAIL', 'PASS'),
  },
  {
    state: 'pending',
    httpTokens: 'required',
    httpEndpoint: 'enabled',
    profileArn: 'worker',
    expect: instanceExpect('PASS', 'PASS', 'PASS'),
  },
];

export function instanceSpec(ctx: AccountContext, i: number): InstanceSpec {
  const { j, region } = placement(ctx, i);
  const p = cycle(INSTANCE_PROFILES, j);
  const id = `i-${hex(i, 17)}`;
  return {
    ...p,
    id,
    arn: `arn:aws:ec2:${region}:${ctx.accountId}:instance/${id}`,
    region,
    profileArn: p.profileArn
      ? `arn:aws:iam::${ctx.accountId}:instance-profile/bench-${p.profileArn}`
      : undefined,
    tags: j % 2 === 0 ? ALL_TAGS : [],
  };
}

// -------------------------------------------------------------------------------- snapshots

export interface SnapshotSpec {
  readonly id: string;
  readonly arn: string;
  readonly region: string;
  readonly volumeId: string;
  /** createVolumePermission: the group `all`, another account, or nobody. */
  readonly sharedWith?: 'all' | string;
  readonly expect: Expect;
}

export function snapshotSpec(ctx: AccountContext, i: number): SnapshotSpec {
  const { j, region } = placement(ctx, i);
  const kind = j % 4; // 0 and 3 private, 1 public, 2 shared with one account
  const sharedWith = kind === 1 ? 'all' : kind === 2 ? OTHER_ACCOUNT : undefined;
  const id = `snap-${hex(i, 17)}`;
  return {
    id,
    arn: `arn:aws:ec2:${region}::snapshot/${id}`,
    region,
    volumeId: `vol-${hex(i, 17)}`,
    sharedWith,
    expect: { 'EC2.1': sharedWith === 'all' ? 'FAIL' : 'PASS' },
  };
}
