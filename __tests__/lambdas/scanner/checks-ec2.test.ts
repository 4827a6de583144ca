import {
  attachedVolumesEncrypted,
  ebsEncryptionByDefault,
  highRiskPortsOpen,
  rdpOpen,
  sshOpen,
  unauthorizedPortsOpen,
  vpcFlowLogs,
} from '../../../lambdas/scanner/checks/ec2';
import type { VolumeInventory, VpcInventory } from '../../../lambdas/scanner/inventory/types';
import {
  ACCOUNT,
  ALL_TAGS,
  collectionError,
  CONFIG,
  ec2,
  failed,
  inventory,
  ok,
  region,
  REGION,
  rule,
  sg,
  statusOf,
} from './fixtures';

const world = { ipv4Ranges: ['0.0.0.0/0'] };

function volume(id: string, over: Partial<VolumeInventory> = {}): VolumeInventory {
  return {
    id,
    arn: `arn:aws:ec2:${REGION}:${ACCOUNT}:volume/${id}`,
    encrypted: true,
    state: 'in-use',
    attachedTo: ['i-1'],
    tags: ALL_TAGS,
    ...over,
  };
}

function vpc(id: string, over: Partial<VpcInventory> = {}): VpcInventory {
  return {
    id,
    arn: `arn:aws:ec2:${REGION}:${ACCOUNT}:vpc/${id}`,
    isDefault: false,
    ownerId: ACCOUNT,
    tags: ALL_TAGS,
    ...over,
  };
}

describe('SG port checks PASS and FAIL', () => {
  it.each([
    ['EC2.13', sshOpen, 22],
    ['EC2.14', rdpOpen, 3389],
    ['EC2.18', unauthorizedPortsOpen, 8443],
    ['EC2.19', highRiskPortsOpen, 5432],
  ] as const)(
    '%s fails port %i open to the world and passes it open to 10.0.0.0/8',
    (_id, check, port) => {
      // Arrange
      const open = sg('sg-open', { ingress: [rule({ fromPort: port, toPort: port, ...world })] });
      const closed = sg('sg-closed', {
        ingress: [rule({ fromPort: port, toPort: port, ipv4Ranges: ['10.0.0.0/8'] })],
      });
      const inv = inventory({
        regions: [region(REGION, { ec2: ec2({ securityGroups: { items: [open, closed] } }) })],
      });

      // Act
      const findings = check.evaluate(inv, CONFIG);

      // Assert
      expect(statusOf(findings, open.arn).status).toBe('FAIL');
      expect(statusOf(findings, closed.arn).status).toBe('PASS');
      expect(statusOf(findings, open.arn).resource).toMatchObject({
        type: 'AWS::EC2::SecurityGroup',
        region: REGION,
      });
    },
  );

  it('EC2.18 honours ALLOWED_OPEN_PORTS', () => {
    // Arrange
    const group = sg('sg-1', { ingress: [rule({ fromPort: 8443, toPort: 8443, ...world })] });
    const inv = inventory({
      regions: [region(REGION, { ec2: ec2({ securityGroups: { items: [group] } }) })],
    });

    // Act
    const findings = unauthorizedPortsOpen.evaluate(inv, {
      ...CONFIG,
      allowedOpenPorts: [443, 8443],
    });

    // Assert
    expect(statusOf(findings, group.arn).status).toBe('PASS');
  });

  it('EC2.18 passes UDP 53 open to the world only when 53 is in the UDP allow-list', () => {
    // Arrange
    const dns = sg('sg-dns', {
      ingress: [rule({ protocol: 'udp', fromPort: 53, toPort: 53, ...world })],
    });
    const inv = inventory({
      regions: [region(REGION, { ec2: ec2({ securityGroups: { items: [dns] } }) })],
    });

    // Act
    const byDefault = unauthorizedPortsOpen.evaluate(inv, CONFIG);
    const allowed = unauthorizedPortsOpen.evaluate(inv, { ...CONFIG, allowedOpenUdpPorts: [53] });
    const tcpOnly = unauthorizedPortsOpen.evaluate(inv, { ...CONFIG, allowedOpenPorts: [53] });

    // Assert
    expect(statusOf(byDefault, dns.arn).status).toBe('FAIL');
    expect(statusOf(byDefault, dns.arn).statusDetail).toContain('udp 53 from 0.0.0.0/0');
    expect(statusOf(allowed, dns.arn).status).toBe('PASS');
    expect(statusOf(allowed, dns.arn).statusDetail).toContain('UDP 53');
    // The TCP list does not authorise UDP: the two lists are separate, as Security Hub's are.
    expect(statusOf(tcpOnly, dns.arn).status).toBe('FAIL');
  });

  it('reports one ERROR for a region whose security groups could not be listed', () => {
    // Arrange
    const error = collectionError('DescribeSecurityGroups', {
      service: 'ec2',
      region: 'eu-west-1',
      code: 'UnauthorizedOperation',
    });
    const inv = inventory({
      regions: [
        region(REGION, { ec2: ec2({ securityGroups: { items: [sg('sg-1')] } }) }),
        region('eu-west-1', { ec2: ec2({ securityGroups: { items: [], error } }) }),
      ],
    });

    // Act
    const findings = sshOpen.evaluate(inv, CONFIG);

    // Assert
    expect(findings.map((f) => [f.region, f.status])).toEqual([
      [REGION, 'PASS'],
      ['eu-west-1', 'ERROR'],
    ]);
    expect(findings[1]!.resource.uid).toBe(`arn:aws:ec2:eu-west-1:${ACCOUNT}:*`);
  });
});

describe('EC2.3 attached volumes encrypted', () => {
  it('passes encrypted and fails unencrypted attached volumes; skips detached ones', () => {
    // Arrange
    const enc = volume('vol-enc');
    const plain = volume('vol-plain', { encrypted: false });
    const detached = volume('vol-free', { encrypted: false, attachedTo: [], state: 'available' });
    const inv = inventory({
      regions: [region(REGION, { ec2: ec2({ volumes: { items: [enc, plain, detached] } }) })],
    });

    // Act
    const findings = attachedVolumesEncrypted.evaluate(inv, CONFIG);

    // Assert
    expect(findings).toHaveLength(2);
    expect(statusOf(findings, enc.arn).status).toBe('PASS');
    expect(statusOf(findings, plain.arn).status).toBe('FAIL');
  });
});

describe('EC2.7 EBS encryption by default', () => {
  it.each([
    [ok(true), 'PASS'],
    [ok(false), 'FAIL'],
    [failed<boolean>('GetEbsEncryptionByDefault', { service: 'ec2' }), 'ERROR'],
  ] as const)('%j → %s (one account-level finding per region)', (value, expected) => {
    // Arrange
    const inv = inventory({
      regions: [region(REGION, { ec2: ec2({ ebsEncryptionByDefault: value }) })],
    });

    // Act
    const findings = ebsEncryptionByDefault.evaluate(inv, CONFIG);

    // Assert
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      status: expected,
      region: REGION,
      resource: { type: 'AWS::::Account' },
    });
  });
});

describe('EC2.6 VPC flow logs', () => {
  it('passes an active VPC-level flow log; fails none, inactive, or subnet-level only', () => {
    // Arrange
    const withLog = vpc('vpc-a');
    const without = vpc('vpc-b');
    const inactive = vpc('vpc-c');
    const subnetOnly = vpc('vpc-d');
    const inv = inventory({
      regions: [
        region(REGION, {
          ec2: ec2({
            vpcs: { items: [withLog, without, inactive, subnetOnly] },
            flowLogs: {
              items: [
                {
                  id: 'fl-1',
                  resourceId: 'vpc-a',
                  status: 'ACTIVE',
                  deliverStatus: 'SUCCESS',
                  trafficType: 'ALL',
                },
                {
                  id: 'fl-2',
                  resourceId: 'vpc-c',
                  status: 'ACTIVE',
                  deliverStatus: 'FAILED',
                  trafficType: 'ALL',
                },
                {
                  id: 'fl-3',
                  resourceId: 'subnet-1',
                  status: 'ACTIVE',
                  deliverStatus: 'SUCCESS',
                  trafficType: 'ALL',
                },
              ],
            },
          }),
        }),
      ],
    });

    // Act
    const findings = vpcFlowLogs.evaluate(inv, CONFIG);

    // Assert
    expect(statusOf(findings, withLog.arn).status).toBe('PASS');
    expect(statusOf(findings, without.arn).status).toBe('FAIL');
    expect(statusOf(findings, inactive.arn).statusDetail).toContain('delivery FAILED');
    expect(statusOf(findings, subnetOnly.arn).status).toBe('FAIL');
  });

  it('fails a VPC whose only flow log captures ACCEPT traffic; passes REJECT (EC2.6, CIS 3.7)', () => {
    // Arrange
    const acceptOnly = vpc('vpc-e');
    const rejectOnly = vpc('vpc-f');
    const log = (id: string, resourceId: string, trafficType: string) => ({
      id,
      resourceId,
      status: 'ACTIVE',
      deliverStatus: 'SUCCESS',
      trafficType,
    });
    const inv = inventory({
      regions: [
        region(REGION, {
          ec2: ec2({
            vpcs: { items: [acceptOnly, rejectOnly] },
            flowLogs: { items: [log('fl-5', 'vpc-e', 'ACCEPT'), log('fl-6', 'vpc-f', 'REJECT')] },
          }),
        }),
      ],
    });

    // Act
    const findings = vpcFlowLogs.evaluate(inv, CONFIG);

    // Assert
    expect(statusOf(findings, acceptOnly.arn).status).toBe('FAIL');
    expect(statusOf(findings, acceptOnly.arn).statusDetail).toContain('traffic ACCEPT');
    expect(statusOf(findings, rejectOnly.arn).status).toBe('PASS');
  });

  it("does not judge a VPC shared from another account (its flow logs are the owner's)", () => {
    // Arrange
    const own = vpc('vpc-own');
    const shared = vpc('vpc-shared', { ownerId: '210987654321' });
    const inv = inventory({
      regions: [region(REGION, { ec2: ec2({ vpcs: { items: [own, shared] } }) })],
    });

    // Act
    const findings = vpcFlowLogs.evaluate(inv, CONFIG);

    // Assert: no finding at all for the shared VPC, the own one is still judged
    expect(findings.map((f) => f.resource.uid)).toEqual([own.arn]);
    expect(statusOf(findings, own.arn).status).toBe('FAIL');
  });

  it('reports ERROR for VPCs without an active log when flow logs could not be listed', () => {
    // Arrange
    const v = vpc('vpc-a');
    const inv = inventory({
      regions: [
        region(REGION, {
          ec2: ec2({
            vpcs: { items: [v] },
            flowLogs: { items: [], error: collectionError('DescribeFlowLogs', { service: 'ec2' }) },
          }),
        }),
      ],
    });

    // Act / Assert
    expect(statusOf(vpcFlowLogs.evaluate(inv, CONFIG), v.arn).status).toBe('ERROR');
  });
});
