import {
  highRiskPortsOpen,
  rdpOpen,
  sshOpen,
  unauthorizedPortsOpen,
  defaultSecurityGroupClosed,
} from '../../../lambdas/scanner/checks/ec2';
import { openRanges, rangesBeyond, rangesOpening } from '../../../lambdas/scanner/checks/sg-rules';
import type { SecurityGroupRule } from '../../../lambdas/scanner/inventory/types';
import { CONFIG, ec2, inventory, region, REGION, rule, sg, statusOf } from './fixtures';

const world4 = { ipv4Ranges: ['0.0.0.0/0'] };
const world6 = { ipv6Ranges: ['::/0'] };

function evaluate(
  check: typeof sshOpen,
  ingress: SecurityGroupRule[],
  egress: SecurityGroupRule[] = [],
) {
  const group = sg('sg-1', { ingress, egress });
  const inv = inventory({
    regions: [region(REGION, { ec2: ec2({ securityGroups: { items: [group] } }) })],
  });
  return statusOf(check.evaluate(inv, CONFIG), group.arn);
}

describe('security-group rule semantics', () => {
  it('treats protocol -1 as every port of every protocol', () => {
    // Arrange
    const ingress = [rule({ protocol: '-1', fromPort: undefined, toPort: undefined, ...world4 })];

    // Act
    const ranges = openRanges(ingress);

    // Assert
    expect(ranges).toEqual([{ protocol: 'all', from: 0, to: 65535, source: '0.0.0.0/0' }]);
    expect(evaluate(sshOpen, ingress).status).toBe('FAIL');
    expect(evaluate(rdpOpen, ingress).status).toBe('FAIL');
    expect(evaluate(unauthorizedPortsOpen, ingress).status).toBe('FAIL');
    expect(evaluate(highRiskPortsOpen, ingress).status).toBe('FAIL');
  });

  it('opens 22 through a TCP range that contains it, and not through one that does not', () => {
    // Arrange
    const containing = [rule({ fromPort: 20, toPort: 30, ...world4 })];
    const beside = [rule({ fromPort: 23, toPort: 30, ...world4 })];

    // Act / Assert
    expect(evaluate(sshOpen, containing).status).toBe('FAIL');
    expect(evaluate(sshOpen, beside).status).toBe('PASS');
    expect(rangesOpening(beside, 22)).toEqual([]);
  });

  it('counts IPv6 ::/0 as open to the world', () => {
    // Arrange
    const ingress = [rule({ fromPort: 3389, toPort: 3389, ...world6 })];

    // Act
    const finding = evaluate(rdpOpen, ingress);

    // Assert
    expect(finding.status).toBe('FAIL');
    expect(finding.statusDetail).toContain('::/0');
  });

  it('does not treat ICMP as opening TCP ports', () => {
    // Arrange: icmp "all types" has FromPort/ToPort -1
    const ingress = [rule({ protocol: 'icmp', fromPort: -1, toPort: -1, ...world4 })];

    // Act / Assert
    expect(openRanges(ingress)).toEqual([]);
    expect(evaluate(sshOpen, ingress).status).toBe('PASS');
    expect(evaluate(unauthorizedPortsOpen, ingress).status).toBe('PASS');
  });

  it('does not treat rules whose source is another SG or a prefix list as open to the world', () => {
    // Arrange
    const ingress = [
      rule({ fromPort: 22, toPort: 22, sourceGroups: ['sg-bastion'] }),
      rule({ protocol: '-1', prefixLists: ['pl-123'] }),
      rule({ fromPort: 22, toPort: 22, ipv4Ranges: ['10.0.0.0/8'] }),
    ];

    // Act / Assert
    expect(evaluate(sshOpen, ingress).status).toBe('PASS');
    expect(evaluate(unauthorizedPortsOpen, ingress).status).toBe('PASS');
  });

  it('ignores egress rules', () => {
    // Arrange
    const egress = [
      rule({ protocol: '-1', ...world4 }),
      rule({ fromPort: 22, toPort: 22, ...world6 }),
    ];

    // Act / Assert
    expect(evaluate(sshOpen, [], egress).status).toBe('PASS');
    expect(evaluate(unauthorizedPortsOpen, [], egress).status).toBe('PASS');
    expect(evaluate(highRiskPortsOpen, [], egress).status).toBe('PASS');
  });

  it('allows 80/443 open on a web SG but not a range reaching past them', () => {
    // Arrange
    const web = [
      rule({ fromPort: 80, toPort: 80, ...world4 }),
      rule({ fromPort: 443, toPort: 443, ...world6 }),
    ];
    const wide = [rule({ fromPort: 80, toPort: 443, ...world4 })];

    // Act / Assert
    expect(evaluate(unauthorizedPortsOpen, web).status).toBe('PASS');
    expect(evaluate(highRiskPortsOpen, web).status).toBe('PASS');
    expect(evaluate(unauthorizedPortsOpen, wide).status).toBe('FAIL');
    expect(rangesBeyond(wide, [80, 443])).toHaveLength(1);
  });

  it('applies the allow-list to TCP only: UDP 443 open to the world fails EC2.18', () => {
    const udp = [rule({ protocol: 'udp', fromPort: 443, toPort: 443, ...world4 })];
    expect(evaluate(unauthorizedPortsOpen, udp).status).toBe('FAIL');
  });

  it('accepts protocol numbers (6 = tcp, 17 = udp)', () => {
    // Arrange
    const udpSsh = [rule({ protocol: '17', fromPort: 22, toPort: 22, ...world4 })];
    const tcpDb = [rule({ protocol: '6', fromPort: 3306, toPort: 3306, ...world4 })];

    // Act / Assert
    expect(evaluate(sshOpen, udpSsh).status).toBe('FAIL');
    const hr = evaluate(highRiskPortsOpen, tcpDb);
    expect(hr.status).toBe('FAIL');
    expect(hr.statusDetail).toContain('3306');
  });

  it('names every high-risk port a wide range opens', () => {
    // Arrange
    const ingress = [rule({ fromPort: 1000, toPort: 3400, ...world4 })];

    // Act
    const finding = evaluate(highRiskPortsOpen, ingress);

    // Assert
    expect(finding.status).toBe('FAIL');
    expect(finding.statusDetail).toContain('1433, 1434, 3000, 3306, 3389');
  });
});

describe('EC2.2 default security group', () => {
  it('passes a default SG with no rules and fails one with any rule; other SGs are not evaluated', () => {
    // Arrange
    const closed = sg('sg-closed', { name: 'default' });
    const open = sg('sg-open', {
      name: 'default',
      vpcId: 'vpc-2',
      egress: [rule({ protocol: '-1', ...world4 })],
    });
    const other = sg('sg-other', { ingress: [rule({ ...world4 })] });
    const inv = inventory({
      regions: [region(REGION, { ec2: ec2({ securityGroups: { items: [closed, open, other] } }) })],
    });

    // Act
    const findings = defaultSecurityGroupClosed.evaluate(inv, CONFIG);

    // Assert
    expect(findings).toHaveLength(2);
    expect(statusOf(findings, closed.arn).status).toBe('PASS');
    const failed = statusOf(findings, open.arn);
    expect(failed.status).toBe('FAIL');
    expect(failed.statusDetail).toContain('0 inbound and 1 outbound');
  });
});
