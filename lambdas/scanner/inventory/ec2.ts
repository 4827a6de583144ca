/**
 * EC2 collector, once per region: security groups, EBS volumes, EBS encryption by default, VPCs
 * and flow logs. Every list is paginated; tags come with the Describe responses.
 *
 * IAM actions — all resource `*` (EC2 Describe and Get calls do not support resource-level
 * permissions):
 * - `ec2:DescribeSecurityGroups`, `ec2:DescribeVolumes`, `ec2:GetEbsEncryptionByDefault`,
 *   `ec2:DescribeVpcs`, `ec2:DescribeFlowLogs`
 */
import {
  EC2Client,
  GetEbsEncryptionByDefaultCommand,
  paginateDescribeFlowLogs,
  paginateDescribeSecurityGroups,
  paginateDescribeVolumes,
  paginateDescribeVpcs,
  type IpPermission,
} from '@aws-sdk/client-ec2';
import { awsClient } from '../../shared/clients';
import { Collector, tagsFrom } from './collector';
import type { RegionalCollector } from './index';
import type { Ec2Inventory, SecurityGroupRule } from './types';

/** Page size for Describe* paginators (the APIs accept 5–1000). */
const PAGE_SIZE = 500;

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

export async function collectEc2(c: Collector, region: string): Promise<Ec2Inventory> {
  const ec2 = awsClient(EC2Client, region);
  const arn = (type: string, id: string) =>
    `arn:${c.partition}:ec2:${region}:${c.account}:${type}/${id}`;
  const at = (operation: string) => ({ service: 'ec2' as const, region, operation });
  const paging = { client: ec2, pageSize: PAGE_SIZE };

  const [securityGroups, volumes, ebsEncryptionByDefault, vpcs, flowLogs] = await Promise.all([
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
  ]);
  return { securityGroups, volumes, ebsEncryptionByDefault, vpcs, flowLogs };
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
  }),
};
