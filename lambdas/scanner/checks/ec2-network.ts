/**
 * Network exposure checks: subnets that hand out public addresses (EC2.15), network ACLs open to
 * SSH/RDP (EC2.21), security groups open to remote administration from 0.0.0.0/0 (EC2.53) or
 * ::/0 (EC2.54), and CIFS open to the internet (CIS 5.1.2, no Security Hub control).
 *
 * Resources shared with this account by another one (VPC sharing: subnets, network ACLs,
 * security groups) are not judged here: their owner can change them, this account cannot, and
 * they are judged in the owner's account (as Security Hub's vpc-sg-port-restriction-check does by
 * default with excludeExternalSecurityGroups).
 */
import type { Inventory, SecurityGroupInventory } from '../inventory/types';
import { eachSecurityGroup, list, SG, SG_DOCS, SH_DOCS } from './ec2';
import { describeOpening, naclOpenings } from './nacl-rules';
import { eachInRegions } from './regional';
import { openRanges, rangeOpens, WORLD_IPV4, WORLD_IPV6, type PortProtocol } from './sg-rules';
import { defineCheck, resource, type CheckMetadata } from './types';

const NACL_DOCS = 'https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html';
const ADMIN_PORTS = [22, 3389] as const;
const CIFS_PORT = 445;

const ownedBy = (inv: Inventory, ownerId: string | undefined): boolean =>
  ownerId === undefined || ownerId === inv.account;

const ec2_15: CheckMetadata = {
  id: 'EC2.15',
  title: 'Amazon EC2 subnets should not automatically assign public IP addresses',
  severity: 'medium',
  securityHubId: 'EC2.15',
  resourceType: 'AWS::EC2::Subnet',
  reads: ['ec2:DescribeSubnets'],
  docs: `${SH_DOCS}#ec2-15`,
  remediation: {
    desc: 'Turn off automatic public addresses on the subnet: `aws ec2 modify-subnet-attribute --subnet-id <id> --no-map-public-ip-on-launch` (and `--no-assign-ipv6-address-on-creation` for IPv6); give public endpoints to load balancers or NAT gateways instead.',
    references: [
      `${SH_DOCS}#ec2-15`,
      'https://docs.aws.amazon.com/vpc/latest/userguide/subnet-public-ip.html',
    ],
  },
  prowlerCheckIds: ['vpc_subnet_no_public_ip_by_default'],
};
export const subnetAutoAssignsPublicIp = defineCheck(ec2_15, (b, inv) =>
  eachInRegions(
    b,
    inv,
    { service: 'ec2', what: 'subnets' },
    (r) => r.ec2.subnets,
    (subnet, region) => {
      if (!ownedBy(inv, subnet.ownerId)) return;
      const res = resource(ec2_15, subnet.arn, region, subnet.id, subnet.tags);
      const kind = subnet.defaultForAz ? 'Default subnet' : 'Subnet';
      const assigns = [
        ...(subnet.mapPublicIpOnLaunch ? ['public IPv4 addresses (MapPublicIpOnLaunch)'] : []),
        ...(subnet.assignIpv6AddressOnCreation
          ? ['IPv6 addresses (AssignIpv6AddressOnCreation)']
          : []),
      ];
      if (assigns.length > 0)
        return b.fail(
          res,
          `${kind} ${subnet.id} of ${subnet.vpcId ?? 'its VPC'} automatically assigns ${assigns.join(' and ')}.`,
        );
      b.pass(
        res,
        `${kind} ${subnet.id} of ${subnet.vpcId ?? 'its VPC'} assigns no public IPv4 or IPv6 address automatically.`,
      );
    },
  ),
);

const ec2_21: CheckMetadata = {
  id: 'EC2.21',
  title: 'Network ACLs should not allow ingress from 0.0.0.0/0 to port 22 or port 3389',
  severity: 'medium',
  securityHubId: 'EC2.21',
  cis: { v5: ['5.2'], v3: ['5.1'] },
  resourceType: 'AWS::EC2::NetworkAcl',
  reads: ['ec2:DescribeNetworkAcls'],
  docs: `${SH_DOCS}#ec2-21`,
  remediation: {
    desc: 'Remove the inbound entries that allow 0.0.0.0/0 or ::/0 to ports 22 and 3389, or add a DENY entry for them numbered before the ALLOW: `aws ec2 create-network-acl-entry --network-acl-id <id> --ingress --rule-number <n> --protocol tcp --port-range From=22,To=22 --cidr-block 0.0.0.0/0 --rule-action deny`.',
    references: [`${SH_DOCS}#ec2-21`, NACL_DOCS],
  },
  prowlerCheckIds: [
    'ec2_networkacl_allow_ingress_tcp_port_22',
    'ec2_networkacl_allow_ingress_tcp_port_3389',
  ],
};
export const naclAdminPortsOpen = defineCheck(ec2_21, (b, inv) =>
  eachInRegions(
    b,
    inv,
    { service: 'ec2', what: 'network ACLs' },
    (r) => r.ec2.networkAcls,
    (acl, region) => {
      // Security Hub generates no finding for a VPC's default network ACL.
      if (acl.isDefault || !ownedBy(inv, acl.ownerId)) return;
      const res = resource(ec2_21, acl.arn, region, acl.id, acl.tags);
      // TCP and UDP, as the control's Config rule (nacl-no-unrestricted-ssh-rdp) and CIS 5.2 read it.
      const open = naclOpenings(acl.entries, ADMIN_PORTS, ['tcp', 'udp']);
      if (open.length > 0)
        return b.fail(
          res,
          `Network ACL ${acl.id} of ${acl.vpcId ?? 'its VPC'} lets remote administration in from the internet: ${open.map(describeOpening).join('; ')}.`,
        );
      b.pass(
        res,
        `Network ACL ${acl.id} of ${acl.vpcId ?? 'its VPC'} lets no traffic to port 22 or 3389 in from 0.0.0.0/0 or ::/0.`,
      );
    },
  ),
);

type Verdict = readonly ['PASS' | 'FAIL', string];

/** Security groups this account owns, each judged by `judge`. */
function ownSecurityGroups(meta: CheckMetadata, judge: (sg: SecurityGroupInventory) => Verdict) {
  return defineCheck(meta, (b, inv) =>
    eachSecurityGroup(b, inv, meta, (sg, res) => {
      if (!ownedBy(inv, sg.ownerId)) return;
      const [status, detail] = judge(sg);
      if (status === 'PASS') b.pass(res, detail);
      else b.fail(res, detail);
    }),
  );
}

/** Ranges opening any of `ports` (over `protocols`; protocol -1 opens all) to `sources`. */
function openTo(
  sg: SecurityGroupInventory,
  ports: readonly number[],
  sources: readonly string[],
  protocols: readonly PortProtocol[],
) {
  return openRanges(sg.ingress).filter(
    (r) => sources.includes(r.source) && ports.some((p) => rangeOpens(r, p, protocols)),
  );
}

function adminPortsCheck(meta: CheckMetadata, source: string) {
  return ownSecurityGroups(meta, (sg) => {
    // TCP, UDP and all-protocol rules, as the control (vpc-sg-port-restriction-check) reads them.
    const open = openTo(sg, ADMIN_PORTS, [source], ['tcp', 'udp']);
    return open.length > 0
      ? [
          'FAIL',
          `Security group ${sg.id} allows remote administration (port 22 or 3389) from ${source}: ${list(open)}.`,
        ]
      : ['PASS', `Security group ${sg.id} allows neither port 22 nor 3389 from ${source}.`];
  });
}

function adminPortsMeta(
  id: 'EC2.53' | 'EC2.54',
  source: string,
  cis: CheckMetadata['cis'],
): CheckMetadata {
  const anchor = `${SH_DOCS}#${id.toLowerCase().replace('.', '-')}`;
  return {
    id,
    title: `EC2 security groups should not allow ingress from ${source} to remote server administration ports`,
    severity: 'high',
    securityHubId: id,
    cis,
    resourceType: SG,
    reads: ['ec2:DescribeSecurityGroups'],
    docs: anchor,
    remediation: {
      desc: `Remove the inbound rules that open port 22 or 3389 (TCP, UDP or all traffic) to ${source}: \`aws ec2 revoke-security-group-ingress --group-id <id> --ip-permissions …\`; reach instances through Session Manager or a narrow source range instead.`,
      references: [anchor, SG_DOCS],
    },
    prowlerCheckIds: [
      'ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_22',
      'ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_3389',
    ],
  };
}

export const adminPortsOpenIpv4 = adminPortsCheck(
  adminPortsMeta('EC2.53', WORLD_IPV4, { v5: ['5.3'], v3: ['5.2'] }),
  WORLD_IPV4,
);
export const adminPortsOpenIpv6 = adminPortsCheck(
  adminPortsMeta('EC2.54', WORLD_IPV6, { v5: ['5.4'], v3: ['5.3'] }),
  WORLD_IPV6,
);

/**
 * CIS 5.1.2 audits and remediates security groups ("inbound rules that allow access from
 * 0.0.0.0/0 or ::/0 on port 445", fixed with revoke-security-group-ingress), so this check judges
 * every security group, attached or not: a group open to 445 exposes whatever is attached to it
 * now or later. Prowler's ec2_instance_port_cifs_exposed_to_internet judges instances instead,
 * which misses an open group with nothing attached yet.
 */
const cifs: CheckMetadata = {
  id: 'EC2.CifsExposed',
  title: 'Security groups should not allow ingress from 0.0.0.0/0 or ::/0 to CIFS (port 445)',
  // Security Hub rates the same exposure critical in EC2.19, whose high-risk ports include 445.
  severity: 'critical',
  cis: { v5: ['5.1.2'] },
  resourceType: SG,
  reads: ['ec2:DescribeSecurityGroups'],
  docs: SG_DOCS,
  remediation: {
    desc: 'Remove the inbound rules that open TCP 445 to 0.0.0.0/0 or ::/0, e.g. `aws ec2 revoke-security-group-ingress --group-id <id> --protocol tcp --port 445 --cidr 0.0.0.0/0`, and allow CIFS only from trusted networks.',
    references: [
      SG_DOCS,
      'https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules-reference.html',
    ],
  },
  prowlerCheckIds: ['ec2_instance_port_cifs_exposed_to_internet'],
};
export const cifsExposed = ownSecurityGroups(cifs, (sg) => {
  // CIFS (SMB over TCP) listens on TCP 445; an all-traffic rule opens it too.
  const open = openTo(sg, [CIFS_PORT], [WORLD_IPV4, WORLD_IPV6], ['tcp']);
  return open.length > 0
    ? [
        'FAIL',
        `Security group ${sg.id} allows CIFS (TCP ${CIFS_PORT}) from the internet: ${list(open)}.`,
      ]
    : ['PASS', `Security group ${sg.id} does not allow TCP ${CIFS_PORT} from 0.0.0.0/0 or ::/0.`];
});

export const EC2_NETWORK_CHECKS = [
  subnetAutoAssignsPublicIp,
  naclAdminPortsOpen,
  adminPortsOpenIpv4,
  adminPortsOpenIpv6,
  cifsExposed,
];
