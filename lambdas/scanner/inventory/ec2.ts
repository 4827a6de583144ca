/**
 * EC2 collector, once per region: security groups, EBS volumes, EBS encryption by default, VPCs,
 * flow logs, instances, network ACLs, subnets and the account's own EBS snapshots
 * (ec2-snapshots.ts). Every list is paginated; tags come with the Describe responses.
 *
 * IAM actions — all resource `*` (these EC2 Describe and Get calls do not support resource-level
 * permissions):
 * - `ec2:DescribeSecurityGroups`, `ec2:DescribeVolumes`, `ec2:GetEbsEncryptionByDefault`,
 *   `ec2:DescribeVpcs`, `ec2:DescribeFlowLogs`, `ec2:DescribeInstances`,
 *   `ec2:DescribeNetworkAcls`, `ec2:DescribeSubnets`
 */
import {
  EC2Client,
  GetEbsEncryptionByDefaultCommand,
  paginateDescribeFlowLogs,
  paginateDescribeInstances,
  paginateDescribeNetworkAcls,
  paginateDescribeSecurityGroups,
  paginateDescribeSubnets,
  paginateDescribeVolumes,
  paginateDescribeVpcs,
  type Instance,
  type IpPermission,
  type NetworkAcl,
  type NetworkAclEntry as SdkNetworkAclEntry,
} from '@aws-sdk/client-ec2';
import { awsClient } from '../../shared/clients';
import { Collector, tagsFrom } from './collector';
import { collectSnapshots } from './ec2-snapshots';
import type { RegionalCollector } from './index';
import type {
  Ec2Inventory,
  InstanceInventory,
  NetworkAclEntry,
  NetworkAclInventory,
  SecurityGroupRule,
} from './types';

/** Page size for Describe* paginators (the APIs accept 5–1000). */
const PAGE_SIZE = 500;
/** DescribeInstances, DescribeSubnets and DescribeSnapshots return at most 1,000 per page. */
const MAX_PAGE_SIZE = 1000;
/** DescribeNetworkAcls returns at most 100 per page. */
const NACL_PAGE_SIZE = 100;

export function toRule(p: IpPermission): SecurityGroupRule {
  return {
    protocol: p.IpProtocol ?? '-1',
    fromPort: p.FromPort,
    toPort: p.ToPort,
    ipv4Ranges: (p.IpRanges ?? []).flatMap((r) => (r.CidrIp ? [r.CidrIp] : [])),
    ipv6Ranges: (p.Ipv6Ranges ?? []).flatMap((r) => (r.CidrIpv6 ? [r.CidrIpv6] : [])),
    sourceGroups: (p.UserIdGroupPairs ?? []).flatMap((g) => (g.GroupId ? [g.GroupId] : [])),
    prefixLists: (p.PrefixListIds ?? []).flatMap((l) => (l.PrefixListId ? [l.PrefixListId] : [])),
  };
}

/** Public IPv4 addresses of an instance: its own and those of every network interface. */
function publicIpsOf(i: Instance): string[] {
  const ips = [
    i.PublicIpAddress,
    ...(i.NetworkInterfaces ?? []).flatMap((n) => [
      n.Association?.PublicIp,
      ...(n.PrivateIpAddresses ?? []).map((p) => p.Association?.PublicIp),
    ]),
  ];
  return [...new Set(ips.filter((ip): ip is string => ip !== undefined && ip !== ''))];
}

function toInstance(i: Instance, arn: string): InstanceInventory {
  return {
    id: i.InstanceId!,
    arn,
    state: i.State?.Name,
    httpTokens: i.MetadataOptions?.HttpTokens,
    httpEndpoint: i.MetadataOptions?.HttpEndpoint,
    instanceProfileArn: i.IamInstanceProfile?.Arn,
    publicIps: publicIpsOf(i),
    tags: tagsFrom(i.Tags),
  };
}

function toNaclEntry(e: SdkNetworkAclEntry): NetworkAclEntry[] {
  if (e.RuleNumber === undefined || e.RuleAction === undefined) return [];
  const range = e.PortRange;
  return [
    {
      ruleNumber: e.RuleNumber,
      protocol: e.Protocol ?? '-1',
      action: e.RuleAction,
      egress: e.Egress === true,
      cidrBlock: e.CidrBlock,
      ipv6CidrBlock: e.Ipv6CidrBlock,
      portRange:
        range?.From !== undefined && range.To !== undefined
          ? { from: range.From, to: range.To }
          : undefined,
    },
  ];
}

function toNetworkAcl(a: NetworkAcl, arn: string): NetworkAclInventory {
  return {
    id: a.NetworkAclId!,
    arn,
    vpcId: a.VpcId,
    isDefault: a.IsDefault === true,
    ownerId: a.OwnerId,
    entries: (a.Entries ?? []).flatMap(toNaclEntry),
    subnetIds: (a.Associations ?? []).flatMap((s) => (s.SubnetId ? [s.SubnetId] : [])),
    tags: tagsFrom(a.Tags),
  };
}

export async function collectEc2(c: Collector, region: string): Promise<Ec2Inventory> {
  const ec2 = awsClient(EC2Client, region);
  const arn = (type: string, id: string) =>
    `arn:${c.partition}:ec2:${region}:${c.account}:${type}/${id}`;
  const at = (operation: string) => ({ service: 'ec2' as const, region, operation });
  const paging = { client: ec2, pageSize: PAGE_SIZE };
  const maxPaging = { client: ec2, pageSize: MAX_PAGE_SIZE };

  const [
    securityGroups,
    volumes,
    ebsEncryptionByDefault,
    vpcs,
    flowLogs,
    instances,
    networkAcls,
    subnets,
    snapshots,
  ] = await Promise.all([
    c.list(
      at('DescribeSecurityGroups'),
      () => paginateDescribeSecurityGroups(paging, {}),
      (page) =>
        (page.SecurityGroups ?? []).flatMap((g) =>
          g.GroupId
            ? [
                {
                  id: g.GroupId,
                  arn: g.SecurityGroupArn ?? arn('security-group', g.GroupId),
                  name: g.GroupName ?? g.GroupId,
                  vpcId: g.VpcId,
                  ownerId: g.OwnerId,
                  ingress: (g.IpPermissions ?? []).map(toRule),
                  egress: (g.IpPermissionsEgress ?? []).map(toRule),
                  tags: tagsFrom(g.Tags),
                },
              ]
            : [],
        ),
    ),
    c.list(
      at('DescribeVolumes'),
      () => paginateDescribeVolumes(paging, {}),
      (page) =>
        (page.Volumes ?? []).flatMap((v) =>
          v.VolumeId
            ? [
                {
                  id: v.VolumeId,
                  arn: arn('volume', v.VolumeId),
                  encrypted: v.Encrypted === true,
                  state: v.State,
                  attachedTo: (v.Attachments ?? []).flatMap((a) =>
                    a.InstanceId ? [a.InstanceId] : [],
                  ),
                  tags: tagsFrom(v.Tags),
                },
              ]
            : [],
        ),
    ),
    c.observe(at('GetEbsEncryptionByDefault'), async () => {
      const out = await ec2.send(new GetEbsEncryptionByDefaultCommand({}));
      return out.EbsEncryptionByDefault === true;
    }),
    c.list(
      at('DescribeVpcs'),
      () => paginateDescribeVpcs(paging, {}),
      (page) =>
        (page.Vpcs ?? []).flatMap((v) =>
          v.VpcId
            ? [
                {
                  id: v.VpcId,
                  arn: arn('vpc', v.VpcId),
                  isDefault: v.IsDefault === true,
                  ownerId: v.OwnerId,
                  tags: tagsFrom(v.Tags),
                },
              ]
            : [],
        ),
    ),
    c.list(
      at('DescribeFlowLogs'),
      () => paginateDescribeFlowLogs(paging, {}),
      (page) =>
        (page.FlowLogs ?? []).flatMap((f) =>
          f.FlowLogId && f.ResourceId
            ? [
                {
                  id: f.FlowLogId,
                  resourceId: f.ResourceId,
                  status: f.FlowLogStatus,
                  deliverStatus: f.DeliverLogsStatus,
                  trafficType: f.TrafficType,
                },
              ]
            : [],
        ),
    ),
    c.list(
      at('DescribeInstances'),
      () => paginateDescribeInstances(maxPaging, {}),
      (page) =>
        (page.Reservations ?? []).flatMap((r) =>
          (r.Instances ?? []).flatMap((i) =>
            i.InstanceId ? [toInstance(i, arn('instance', i.InstanceId))] : [],
          ),
        ),
    ),
    c.list(
      at('DescribeNetworkAcls'),
      () => paginateDescribeNetworkAcls({ client: ec2, pageSize: NACL_PAGE_SIZE }, {}),
      (page) =>
        (page.NetworkAcls ?? []).flatMap((a) =>
          a.NetworkAclId ? [toNetworkAcl(a, arn('network-acl', a.NetworkAclId))] : [],
        ),
    ),
    c.list(
      at('DescribeSubnets'),
      () => paginateDescribeSubnets(maxPaging, {}),
      (page) =>
        (page.Subnets ?? []).flatMap((s) =>
          s.SubnetId
            ? [
                {
                  id: s.SubnetId,
                  arn: s.SubnetArn ?? arn('subnet', s.SubnetId),
                  vpcId: s.VpcId,
                  ownerId: s.OwnerId,
                  defaultForAz: s.DefaultForAz === true,
                  mapPublicIpOnLaunch: s.MapPublicIpOnLaunch === true,
                  assignIpv6AddressOnCreation: s.AssignIpv6AddressOnCreation === true,
                  tags: tagsFrom(s.Tags),
                },
              ]
            : [],
        ),
    ),
    collectSnapshots(c, ec2, region, MAX_PAGE_SIZE),
  ]);
  return {
    securityGroups,
    volumes,
    ebsEncryptionByDefault,
    vpcs,
    flowLogs,
    instances,
    networkAcls,
    subnets,
    snapshots,
  };
}

export const EC2_COLLECTOR: RegionalCollector<Ec2Inventory> = {
  service: 'ec2',
  collect: collectEc2,
  unreadable: (error) => ({
    securityGroups: { items: [], error },
    volumes: { items: [], error },
    ebsEncryptionByDefault: { ok: false, error },
    vpcs: { items: [], error },
    flowLogs: { items: [], error },
    instances: { items: [], error },
    networkAcls: { items: [], error },
    subnets: { items: [], error },
    snapshots: { items: [], error },
  }),
};
