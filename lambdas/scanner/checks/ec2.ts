/**
 * EC2 checks: default security groups closed (EC2.2), SSH/RDP/unauthorised/high-risk ports open to
 * the world (EC2.13, EC2.14, EC2.18, EC2.19), attached EBS volumes encrypted (EC2.3), EBS
 * encryption by default (EC2.7), VPC flow logs of the account's own VPCs (EC2.6).
 * Security-group checks read ingress rules only; "the world" is 0.0.0.0/0 or ::/0 (see
 * sg-rules.ts for protocol and port semantics).
 */
import type { FindingResource } from '../../shared/findings';
import type { Inventory, RegionInventory, SecurityGroupInventory } from '../inventory/types';
import { describeRange, rangesBeyond, rangesOpening, type OpenRange } from './sg-rules';
import {
  defineCheck,
  regionsOf,
  resource,
  type CheckConfig,
  type CheckMetadata,
  type FindingBuilder,
} from './types';

export const SG = 'AWS::EC2::SecurityGroup';
export const SH_DOCS = 'https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html';
export const SG_DOCS = 'https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html';

/** Security Hub's EC2.19 list of high-risk ports. */
export const HIGH_RISK_PORTS = [
  20, 21, 22, 23, 25, 110, 135, 143, 445, 1433, 1434, 3000, 3306, 3389, 4333, 5000, 5432, 5500,
  5601, 8080, 8088, 8888, 9200, 9300,
] as const;

export function eachSecurityGroup(
  b: FindingBuilder,
  inv: Inventory,
  check: CheckMetadata,
  evaluate: (sg: SecurityGroupInventory, res: FindingResource, region: RegionInventory) => void,
): void {
  for (const region of regionsOf(inv)) {
    for (const sg of region.ec2.securityGroups.items) {
      evaluate(
        sg,
        resource(check, sg.arn, region.region, `${sg.name} (${sg.id})`, sg.tags),
        region,
      );
    }
    b.listError(
      region.ec2.securityGroups,
      b.scope('ec2', region.region, `security groups in ${region.region}`),
      'the security groups that were not listed',
    );
  }
}

export function list(ranges: readonly OpenRange[]): string {
  return ranges.map(describeRange).join('; ');
}

const ec2_2: CheckMetadata = {
  id: 'EC2.2',
  title: 'VPC default security groups should not allow inbound or outbound traffic',
  severity: 'high',
  securityHubId: 'EC2.2',
  cis: { v5: ['5.5'], v3: ['5.4'] },
  resourceType: SG,
  reads: ['ec2:DescribeSecurityGroups'],
  docs: `${SH_DOCS}#ec2-2`,
  remediation: {
    desc: "Remove every inbound and outbound rule from each VPC's default security group and use purpose-built security groups instead.",
    references: [
      `${SH_DOCS}#ec2-2`,
      'https://docs.aws.amazon.com/vpc/latest/userguide/default-security-group.html',
    ],
  },
  prowlerCheckIds: ['ec2_securitygroup_default_restrict_traffic'],
};
export const defaultSecurityGroupClosed = defineCheck(ec2_2, (b, inv) =>
  eachSecurityGroup(b, inv, ec2_2, (sg, res) => {
    if (sg.name !== 'default') return;
    const n = sg.ingress.length + sg.egress.length;
    if (n === 0)
      return b.pass(
        res,
        `Default security group ${sg.id} of ${sg.vpcId ?? 'its VPC'} has no rules.`,
      );
    b.fail(
      res,
      `Default security group ${sg.id} of ${sg.vpcId ?? 'its VPC'} has ${sg.ingress.length} inbound and ${sg.egress.length} outbound rule(s).`,
    );
  }),
);

function portCheck(meta: CheckMetadata, port: number, service: string) {
  return defineCheck(meta, (b, inv) =>
    eachSecurityGroup(b, inv, meta, (sg, res) => {
      const open = rangesOpening(sg.ingress, port);
      if (open.length > 0) {
        return b.fail(
          res,
          `Security group ${sg.id} allows ${service} (port ${port}) from the internet: ${list(open)}.`,
        );
      }
      b.pass(res, `Security group ${sg.id} does not allow port ${port} from 0.0.0.0/0 or ::/0.`);
    }),
  );
}

export const sshOpen = portCheck(
  {
    id: 'EC2.13',
    title: 'Security groups should not allow ingress from 0.0.0.0/0 or ::/0 to port 22',
    severity: 'high',
    securityHubId: 'EC2.13',
    resourceType: SG,
    reads: ['ec2:DescribeSecurityGroups'],
    docs: `${SH_DOCS}#ec2-13`,
    remediation: {
      desc: 'Replace inbound rules that open port 22 to 0.0.0.0/0 or ::/0 with specific source ranges, or use Session Manager instead of SSH.',
      references: [`${SH_DOCS}#ec2-13`, SG_DOCS],
    },
    prowlerCheckIds: ['ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_22'],
  },
  22,
  'SSH',
);

export const rdpOpen = portCheck(
  {
    id: 'EC2.14',
    title: 'Security groups should not allow ingress from 0.0.0.0/0 or ::/0 to port 3389',
    severity: 'high',
    securityHubId: 'EC2.14',
    resourceType: SG,
    reads: ['ec2:DescribeSecurityGroups'],
    docs: `${SH_DOCS}#ec2-14`,
    remediation: {
      desc: 'Replace inbound rules that open port 3389 to 0.0.0.0/0 or ::/0 with specific source ranges, or use Fleet Manager / a bastion instead of direct RDP.',
      references: [`${SH_DOCS}#ec2-14`, SG_DOCS],
    },
    prowlerCheckIds: ['ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_3389'],
  },
  3389,
  'RDP',
);

const ec2_18: CheckMetadata = {
  id: 'EC2.18',
  title: 'Security groups should only allow unrestricted incoming traffic for authorized ports',
  severity: 'high',
  securityHubId: 'EC2.18',
  resourceType: SG,
  reads: ['ec2:DescribeSecurityGroups'],
  docs: `${SH_DOCS}#ec2-18`,
  remediation: {
    desc: 'Restrict inbound rules open to 0.0.0.0/0 or ::/0 to the authorised ports (TCP: ALLOWED_OPEN_PORTS, default 80 and 443; UDP: ALLOWED_OPEN_UDP_PORTS, default none); narrow the source of every other rule.',
    references: [`${SH_DOCS}#ec2-18`, SG_DOCS],
  },
  prowlerCheckIds: ['ec2_securitygroup_allow_ingress_from_internet_to_any_port'],
};
export const unauthorizedPortsOpen = defineCheck(ec2_18, (b, inv, config: CheckConfig) =>
  eachSecurityGroup(b, inv, ec2_18, (sg, res) => {
    const udp = config.allowedOpenUdpPorts ?? [];
    const beyond = rangesBeyond(sg.ingress, config.allowedOpenPorts, udp);
    const allowed = `TCP ${config.allowedOpenPorts.join(', ') || 'none'}; UDP ${udp.join(', ') || 'none'}`;
    if (beyond.length > 0) {
      return b.fail(
        res,
        `Security group ${sg.id} opens ports other than the authorised ones (${allowed}) to the internet: ${list(beyond)}.`,
      );
    }
    b.pass(
      res,
      `Security group ${sg.id} opens no port to the internet other than the authorised ones (${allowed}).`,
    );
  }),
);

const ec2_19: CheckMetadata = {
  id: 'EC2.19',
  title: 'Security groups should not allow unrestricted access to ports with high risk',
  severity: 'critical',
  securityHubId: 'EC2.19',
  resourceType: SG,
  reads: ['ec2:DescribeSecurityGroups'],
  docs: `${SH_DOCS}#ec2-19`,
  remediation: {
    desc: `Remove or narrow inbound rules that open any of the high-risk ports (${HIGH_RISK_PORTS.join(', ')}) to 0.0.0.0/0 or ::/0.`,
    references: [`${SH_DOCS}#ec2-19`, SG_DOCS],
  },
  prowlerCheckIds: ['ec2_securitygroup_allow_ingress_from_internet_to_high_risk_tcp_ports'],
};
export const highRiskPortsOpen = defineCheck(ec2_19, (b, inv) =>
  eachSecurityGroup(b, inv, ec2_19, (sg, res) => {
    const ports = HIGH_RISK_PORTS.filter((p) => rangesOpening(sg.ingress, p).length > 0);
    if (ports.length > 0) {
      return b.fail(
        res,
        `Security group ${sg.id} opens high-risk port(s) ${ports.join(', ')} to the internet.`,
      );
    }
    b.pass(res, `Security group ${sg.id} opens no high-risk port to the internet.`);
  }),
);

const ec2_3: CheckMetadata = {
  id: 'EC2.3',
  title: 'Attached Amazon EBS volumes should be encrypted at-rest',
  severity: 'medium',
  securityHubId: 'EC2.3',
  resourceType: 'AWS::EC2::Volume',
  reads: ['ec2:DescribeVolumes'],
  docs: `${SH_DOCS}#ec2-3`,
  remediation: {
    desc: 'Snapshot the volume, copy the snapshot with encryption on, create a volume from it and swap it in; turn on EBS encryption by default (EC2.7) so new volumes are encrypted.',
    references: [
      `${SH_DOCS}#ec2-3`,
      'https://docs.aws.amazon.com/ebs/latest/userguide/ebs-encryption.html',
    ],
  },
  prowlerCheckIds: ['ec2_ebs_volume_encryption'],
};
export const attachedVolumesEncrypted = defineCheck(ec2_3, (b, inv) => {
  for (const region of regionsOf(inv)) {
    for (const v of region.ec2.volumes.items) {
      if (v.attachedTo.length === 0) continue; // the control covers attached volumes only
      const res = resource(ec2_3, v.arn, region.region, v.id, v.tags);
      const where = `attached to ${v.attachedTo.join(', ')}`;
      if (v.encrypted) b.pass(res, `Volume ${v.id} (${where}) is encrypted.`);
      else b.fail(res, `Volume ${v.id} (${where}) is not encrypted.`);
    }
    b.listError(
      region.ec2.volumes,
      b.scope('ec2', region.region, `EBS volumes in ${region.region}`),
      'the volumes that were not listed',
    );
  }
});

const ec2_7: CheckMetadata = {
  id: 'EC2.7',
  title: 'EBS default encryption should be enabled',
  severity: 'medium',
  securityHubId: 'EC2.7',
  cis: { v5: ['5.1.1'], v3: ['2.2.1'] },
  resourceType: 'AWS::::Account',
  reads: ['ec2:GetEbsEncryptionByDefault'],
  docs: `${SH_DOCS}#ec2-7`,
  remediation: {
    desc: 'Turn on EBS encryption by default in every region: `aws ec2 enable-ebs-encryption-by-default --region <region>`.',
    references: [
      `${SH_DOCS}#ec2-7`,
      'https://docs.aws.amazon.com/ebs/latest/userguide/encryption-by-default.html',
    ],
  },
  prowlerCheckIds: ['ec2_ebs_default_encryption'],
};
export const ebsEncryptionByDefault = defineCheck(ec2_7, (b, inv) => {
  for (const region of regionsOf(inv)) {
    const res = b.account(region.region);
    const v = region.ec2.ebsEncryptionByDefault;
    if (!v.ok) b.error(res, `EBS encryption by default in ${region.region}`, v.error);
    else if (v.value) b.pass(res, `EBS encryption by default is enabled in ${region.region}.`);
    else b.fail(res, `EBS encryption by default is disabled in ${region.region}.`);
  }
});

const ec2_6: CheckMetadata = {
  id: 'EC2.6',
  title: 'VPC flow logging should be enabled in all VPCs',
  severity: 'medium',
  securityHubId: 'EC2.6',
  cis: { v5: ['3.7'], v3: ['3.7'] },
  resourceType: 'AWS::EC2::VPC',
  reads: ['ec2:DescribeVpcs', 'ec2:DescribeFlowLogs'],
  docs: `${SH_DOCS}#ec2-6`,
  remediation: {
    desc: 'Create a VPC-level flow log (traffic type ALL or at least REJECT) delivering to CloudWatch Logs or S3: `aws ec2 create-flow-logs --resource-type VPC --resource-ids <vpc-id> …`.',
    references: [
      `${SH_DOCS}#ec2-6`,
      'https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs.html',
    ],
  },
  prowlerCheckIds: ['vpc_flow_logs_enabled'],
};
export const vpcFlowLogs = defineCheck(ec2_6, (b, inv) => {
  for (const region of regionsOf(inv)) {
    const { vpcs, flowLogs } = region.ec2;
    for (const vpc of vpcs.items) {
      // A VPC shared with this account (VPC sharing) is judged in its owner's account: the flow
      // logs are the owner's, and this account can neither see nor create them.
      if (vpc.ownerId !== undefined && vpc.ownerId !== inv.account) continue;
      const res = resource(ec2_6, vpc.arn, region.region, vpc.id, vpc.tags);
      const own = flowLogs.items.filter((f) => f.resourceId === vpc.id);
      // EC2.6 / CIS 3.7: rejected traffic must be logged, so an ACCEPT-only flow log does not count.
      const active = own.filter(
        (f) =>
          f.status === 'ACTIVE' &&
          f.deliverStatus !== 'FAILED' &&
          (f.trafficType === 'ALL' || f.trafficType === 'REJECT'),
      );
      if (active.length > 0) {
        const f = active[0];
        b.pass(
          res,
          `VPC ${vpc.id} has an active flow log ${f.id} (traffic ${f.trafficType ?? 'unknown'}).`,
        );
      } else if (flowLogs.error) {
        b.error(res, `the flow logs of VPC ${vpc.id}`, flowLogs.error);
      } else if (own.length > 0) {
        b.fail(
          res,
          `VPC ${vpc.id} has flow log(s) ${own.map((f) => `${f.id} (${f.status ?? 'unknown'}, traffic ${f.trafficType ?? 'unknown'}, delivery ${f.deliverStatus ?? 'unknown'})`).join(', ')} but none active, delivering and capturing rejected traffic (ALL or REJECT).`,
        );
      } else {
        b.fail(res, `VPC ${vpc.id} has no VPC-level flow log.`);
      }
    }
    b.listError(
      vpcs,
      b.scope('ec2', region.region, `VPCs in ${region.region}`),
      'the VPCs that were not listed',
    );
  }
});

export const EC2_CHECKS = [
  defaultSecurityGroupClosed,
  sshOpen,
  rdpOpen,
  unauthorizedPortsOpen,
  highRiskPortsOpen,
  attachedVolumesEncrypted,
  ebsEncryptionByDefault,
  vpcFlowLogs,
];
