import {
  adminPortsOpenIpv4,
  adminPortsOpenIpv6,
  cifsExposed,
  naclAdminPortsOpen,
  subnetAutoAssignsPublicIp,
} from '../../../lambdas/scanner/checks/ec2-network';
import type { Ec2Inventory } from '../../../lambdas/scanner/inventory/types';
import {
  ACCOUNT,
  collectionError,
  CONFIG,
  ec2,
  inventory,
  region,
  REGION,
  rule,
  sg,
  statusOf,
} from './fixtures';
import { DENY_ALL, nacl, naclEntry, subnet } from './fixtures-resources';

const OTHER_ACCOUNT = '210987654321';
const world4 = { ipv4Ranges: ['0.0.0.0/0'] };
const world6 = { ipv6Ranges: ['::/0'] };

const invWith = (over: Partial<Ec2Inventory>) =>
  inventory({ regions: [region(REGION, { ec2: ec2(over) })] });

const listError = (operation: string) =>
  collectionError(operation, { service: 'ec2', code: 'UnauthorizedOperation' });

describe('EC2.15 subnets auto-assigning public addresses', () => {
  it('passes a subnet that assigns none and fails IPv4 or IPv6 auto-assignment', () => {
    // Arrange
    const quiet = subnet('subnet-quiet');
    const v4 = subnet('subnet-v4', { mapPublicIpOnLaunch: true, defaultForAz: true });
    const v6 = subnet('subnet-v6', { assignIpv6AddressOnCreation: true });
    const inv = invWith({ subnets: { items: [quiet, v4, v6] } });

    // Act
    const findings = subnetAutoAssignsPublicIp.evaluate(inv, CONFIG);

    // Assert
    expect(statusOf(findings, quiet.arn).status).toBe('PASS');
    expect(statusOf(findings, v4.arn)).toMatchObject({
      status: 'FAIL',
      resource: { type: 'AWS::EC2::Subnet', region: REGION },
    });
    expect(statusOf(findings, v4.arn).statusDetail).toMatch(
      /^Default subnet .*MapPublicIpOnLaunch/,
    );
    expect(statusOf(findings, v6.arn).statusDetail).toContain('AssignIpv6AddressOnCreation');
    expect(statusOf(findings, v6.arn).status).toBe('FAIL');
  });

  it('does not judge a subnet shared from another account; ERROR when subnets are unreadable', () => {
    // Arrange
    const shared = subnet('subnet-shared', { ownerId: OTHER_ACCOUNT, mapPublicIpOnLaunch: true });
    const inv = invWith({
      subnets: { items: [shared], error: listError('DescribeSubnets') },
    });

    // Act
    const findings = subnetAutoAssignsPublicIp.evaluate(inv, CONFIG);

    // Assert
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      status: 'ERROR',
      resource: { uid: `arn:aws:ec2:${REGION}:${ACCOUNT}:*` },
    });
    expect(findings[0]!.statusDetail).toContain('DescribeSubnets');
  });
});

describe('EC2.21 network ACLs open to SSH/RDP', () => {
  const ssh = { portRange: { from: 22, to: 22 } };

  it('fails an ALLOW from 0.0.0.0/0 to port 22 and passes when only 443 is allowed', () => {
    // Arrange
    const open = nacl('acl-open', { entries: [naclEntry(ssh), ...DENY_ALL] });
    const web = nacl('acl-web');
    const inv = invWith({ networkAcls: { items: [open, web] } });

    // Act
    const findings = naclAdminPortsOpen.evaluate(inv, CONFIG);

    // Assert
    expect(statusOf(findings, open.arn)).toMatchObject({
      status: 'FAIL',
      resource: { type: 'AWS::EC2::NetworkAcl' },
    });
    expect(statusOf(findings, open.arn).statusDetail).toContain(
      'rule 100 allows tcp 22 from 0.0.0.0/0',
    );
    expect(statusOf(findings, web.arn).status).toBe('PASS');
  });

  it('passes a DENY for 0.0.0.0/0 numbered before the ALLOW for port 22 (first match decides)', () => {
    // Arrange
    const denied = nacl('acl-denied', {
      entries: [
        naclEntry({ ruleNumber: 200, ...ssh }),
        naclEntry({ ruleNumber: 90, action: 'deny', ...ssh }),
        ...DENY_ALL,
      ],
    });
    const allowFirst = nacl('acl-allow-first', {
      entries: [
        naclEntry({ ruleNumber: 90, ...ssh }),
        naclEntry({ ruleNumber: 200, action: 'deny', ...ssh }),
        ...DENY_ALL,
      ],
    });
    const inv = invWith({ networkAcls: { items: [denied, allowFirst] } });

    // Act
    const findings = naclAdminPortsOpen.evaluate(inv, CONFIG);

    // Assert
    expect(statusOf(findings, denied.arn).status).toBe('PASS');
    expect(statusOf(findings, allowFirst.arn).status).toBe('FAIL');
  });

  it('still fails when the earlier DENY covers only part of the internet', () => {
    // Arrange
    const partial = nacl('acl-partial', {
      entries: [
        naclEntry({ ruleNumber: 50, action: 'deny', cidrBlock: '203.0.113.0/24', ...ssh }),
        naclEntry({ ruleNumber: 100, ...ssh }),
        ...DENY_ALL,
      ],
    });

    // Act / Assert
    const findings = naclAdminPortsOpen.evaluate(
      invWith({ networkAcls: { items: [partial] } }),
      CONFIG,
    );
    expect(statusOf(findings, partial.arn).status).toBe('FAIL');
  });

  it.each([
    [
      'an IPv6 ::/0 allow to 3389',
      { cidrBlock: undefined, ipv6CidrBlock: '::/0', portRange: { from: 3389, to: 3389 } },
    ],
    ['an all-traffic allow', { protocol: '-1', portRange: undefined }],
    ['a TCP range 0-65535', { portRange: { from: 0, to: 65535 } }],
    ['a UDP allow to 3389', { protocol: '17', portRange: { from: 3389, to: 3389 } }],
  ] as const)('fails %s', (_label, over) => {
    // Arrange
    const acl = nacl('acl-x', { entries: [naclEntry(over), ...DENY_ALL] });

    // Act / Assert
    const findings = naclAdminPortsOpen.evaluate(
      invWith({ networkAcls: { items: [acl] } }),
      CONFIG,
    );
    expect(statusOf(findings, acl.arn).status).toBe('FAIL');
  });

  it('ignores egress entries, which do not let traffic in', () => {
    // Arrange
    const acl = nacl('acl-egress', {
      entries: [naclEntry({ egress: true, protocol: '-1', portRange: undefined }), ...DENY_ALL],
    });

    // Act / Assert
    const findings = naclAdminPortsOpen.evaluate(
      invWith({ networkAcls: { items: [acl] } }),
      CONFIG,
    );
    expect(statusOf(findings, acl.arn).status).toBe('PASS');
  });

  it('makes no finding for a default network ACL or one shared from another account', () => {
    // Arrange
    const allowAll = [naclEntry({ protocol: '-1', portRange: undefined }), ...DENY_ALL];
    const byDefault = nacl('acl-default', { isDefault: true, entries: allowAll });
    const shared = nacl('acl-shared', { ownerId: OTHER_ACCOUNT, entries: allowAll });

    // Act
    const findings = naclAdminPortsOpen.evaluate(
      invWith({ networkAcls: { items: [byDefault, shared] } }),
      CONFIG,
    );

    // Assert
    expect(findings).toEqual([]);
  });

  it('reports ERROR for a region whose network ACLs could not be listed', () => {
    // Arrange
    const inv = invWith({ networkAcls: { items: [], error: listError('DescribeNetworkAcls') } });

    // Act
    const findings = naclAdminPortsOpen.evaluate(inv, CONFIG);

    // Assert
    expect(findings.map((f) => f.status)).toEqual(['ERROR']);
  });
});

describe('EC2.53 / EC2.54 remote administration ports open to the world', () => {
  it('judges 0.0.0.0/0 in EC2.53 and ::/0 in EC2.54, each on its own', () => {
    // Arrange
    const v4 = sg('sg-v4', { ingress: [rule({ fromPort: 22, toPort: 22, ...world4 })] });
    const v6 = sg('sg-v6', { ingress: [rule({ fromPort: 3389, toPort: 3389, ...world6 })] });
    const inv = invWith({ securityGroups: { items: [v4, v6] } });

    // Act
    const ipv4 = adminPortsOpenIpv4.evaluate(inv, CONFIG);
    const ipv6 = adminPortsOpenIpv6.evaluate(inv, CONFIG);

    // Assert
    expect(statusOf(ipv4, v4.arn).status).toBe('FAIL');
    expect(statusOf(ipv4, v6.arn).status).toBe('PASS');
    expect(statusOf(ipv6, v4.arn).status).toBe('PASS');
    expect(statusOf(ipv6, v6.arn).status).toBe('FAIL');
    expect(ipv4[0]!.controlIds).toEqual(['EC2.53', 'CIS-5.0 5.3', 'CIS-3.0 5.2']);
    expect(ipv6[0]!.controlIds).toEqual(['EC2.54', 'CIS-5.0 5.4', 'CIS-3.0 5.3']);
  });

  it.each([
    ['UDP 22', rule({ protocol: 'udp', fromPort: 22, toPort: 22, ...world4 })],
    ['all traffic', rule({ protocol: '-1', ...world4 })],
    ['a TCP range 1-1024', rule({ fromPort: 1, toPort: 1024, ...world4 })],
  ])('EC2.53 fails %s open to 0.0.0.0/0', (_label, r) => {
    const group = sg('sg-1', { ingress: [r] });
    const findings = adminPortsOpenIpv4.evaluate(
      invWith({ securityGroups: { items: [group] } }),
      CONFIG,
    );
    expect(statusOf(findings, group.arn).status).toBe('FAIL');
  });

  it('passes port 22 open to a narrow range or another security group', () => {
    // Arrange
    const group = sg('sg-1', {
      ingress: [
        rule({ fromPort: 22, toPort: 22, ipv4Ranges: ['10.0.0.0/8'] }),
        rule({ protocol: '-1', sourceGroups: ['sg-2'] }),
      ],
    });

    // Act / Assert
    const findings = adminPortsOpenIpv4.evaluate(
      invWith({ securityGroups: { items: [group] } }),
      CONFIG,
    );
    expect(statusOf(findings, group.arn).status).toBe('PASS');
  });

  it('does not judge a security group owned by another account; ERROR when groups are unreadable', () => {
    // Arrange
    const external = sg('sg-ext', {
      ownerId: OTHER_ACCOUNT,
      ingress: [rule({ fromPort: 22, toPort: 22, ...world4 })],
    });
    const inv = invWith({
      securityGroups: { items: [external], error: listError('DescribeSecurityGroups') },
    });

    // Act
    const findings = adminPortsOpenIpv4.evaluate(inv, CONFIG);

    // Assert
    expect(findings.map((f) => f.status)).toEqual(['ERROR']);
  });
});

describe('EC2.CifsExposed (CIS 5.1.2)', () => {
  it.each([
    ['TCP 445 from 0.0.0.0/0', rule({ fromPort: 445, toPort: 445, ...world4 }), 'FAIL'],
    ['TCP 445 from ::/0', rule({ fromPort: 445, toPort: 445, ...world6 }), 'FAIL'],
    ['all traffic from 0.0.0.0/0', rule({ protocol: '-1', ...world4 }), 'FAIL'],
    [
      'TCP 445 from 10.0.0.0/8',
      rule({ fromPort: 445, toPort: 445, ipv4Ranges: ['10.0.0.0/8'] }),
      'PASS',
    ],
    [
      'UDP 445 from 0.0.0.0/0 (not CIFS)',
      rule({ protocol: 'udp', fromPort: 445, toPort: 445, ...world4 }),
      'PASS',
    ],
  ])('%s → %s', (_label, r, expected) => {
    // Arrange
    const group = sg('sg-1', { ingress: [r] });

    // Act
    const findings = cifsExposed.evaluate(invWith({ securityGroups: { items: [group] } }), CONFIG);

    // Assert
    expect(statusOf(findings, group.arn)).toMatchObject({
      status: expected,
      checkId: 'EC2.CifsExposed',
      controlIds: ['CIS-5.0 5.1.2'],
      severity: 'critical',
    });
  });

  it('reports ERROR for a region whose security groups could not be listed', () => {
    const inv = invWith({
      securityGroups: { items: [], error: listError('DescribeSecurityGroups') },
    });
    expect(cifsExposed.evaluate(inv, CONFIG).map((f) => f.status)).toEqual(['ERROR']);
  });
});
