import { publicSnapshots } from '../../../lambdas/scanner/checks/ebs-snapshots';
import {
  imdsv2Required,
  instanceProfileAttached,
  instancePublicIp,
} from '../../../lambdas/scanner/checks/ec2-instances';
import type { Ec2Inventory } from '../../../lambdas/scanner/inventory/types';
import {
  collectionError,
  CONFIG,
  ec2,
  failed,
  inventory,
  ok,
  region,
  REGION,
  statusOf,
} from './fixtures';
import { instance, snapshot } from './fixtures-resources';

const invWith = (over: Partial<Ec2Inventory>) =>
  inventory({ regions: [region(REGION, { ec2: ec2(over) })] });

const unlisted = (operation: string) => ({
  items: [],
  error: collectionError(operation, { service: 'ec2', code: 'UnauthorizedOperation' }),
});

describe('EC2.8 IMDSv2 required', () => {
  it('passes HttpTokens required and fails HttpTokens optional', () => {
    // Arrange
    const v2 = instance('i-v2');
    const v1 = instance('i-v1', { httpTokens: 'optional' });
    const inv = invWith({ instances: { items: [v2, v1] } });

    // Act
    const findings = imdsv2Required.evaluate(inv, CONFIG);

    // Assert
    expect(statusOf(findings, v2.arn).status).toBe('PASS');
    expect(statusOf(findings, v1.arn)).toMatchObject({
      status: 'FAIL',
      controlIds: ['EC2.8', 'CIS-5.0 5.7', 'CIS-3.0 5.6'],
      resource: { type: 'AWS::EC2::Instance', region: REGION, name: 'i-v1' },
    });
    expect(statusOf(findings, v1.arn).statusDetail).toContain('HttpTokens optional');
  });

  it('fails HttpTokens optional even with the metadata endpoint disabled (Security Hub reads HttpTokens only)', () => {
    // Arrange
    const off = instance('i-off', { httpTokens: 'optional', httpEndpoint: 'disabled' });

    // Act
    const findings = imdsv2Required.evaluate(invWith({ instances: { items: [off] } }), CONFIG);

    // Assert
    expect(statusOf(findings, off.arn).status).toBe('FAIL');
    expect(statusOf(findings, off.arn).statusDetail).toContain('endpoint is disabled');
  });

  it('judges a stopped instance but not a terminated one', () => {
    // Arrange
    const stopped = instance('i-stopped', { state: 'stopped', httpTokens: 'optional' });
    const gone = instance('i-gone', { state: 'terminated', httpTokens: 'optional' });

    // Act
    const findings = imdsv2Required.evaluate(
      invWith({ instances: { items: [stopped, gone] } }),
      CONFIG,
    );

    // Assert
    expect(findings.map((f) => [f.resource.uid, f.status])).toEqual([[stopped.arn, 'FAIL']]);
  });

  it('reports ERROR for a region whose instances could not be listed', () => {
    const findings = imdsv2Required.evaluate(
      invWith({ instances: unlisted('DescribeInstances') }),
      CONFIG,
    );
    expect(findings.map((f) => f.status)).toEqual(['ERROR']);
    expect(findings[0]!.statusDetail).toContain('DescribeInstances');
  });
});

describe('EC2.9 public IPv4 addresses', () => {
  it('fails an instance with a public address, passes one without, skips terminated ones', () => {
    // Arrange
    const exposed = instance('i-pub', { publicIps: ['198.51.100.7'] });
    const internal = instance('i-priv');
    const gone = instance('i-gone', { state: 'terminated', publicIps: ['198.51.100.8'] });
    const inv = invWith({ instances: { items: [exposed, internal, gone] } });

    // Act
    const findings = instancePublicIp.evaluate(inv, CONFIG);

    // Assert
    expect(findings).toHaveLength(2);
    expect(statusOf(findings, exposed.arn).status).toBe('FAIL');
    expect(statusOf(findings, exposed.arn).statusDetail).toContain('198.51.100.7');
    expect(statusOf(findings, internal.arn).status).toBe('PASS');
  });

  it('reports ERROR for a region whose instances could not be listed', () => {
    const findings = instancePublicIp.evaluate(
      invWith({ instances: unlisted('DescribeInstances') }),
      CONFIG,
    );
    expect(findings.map((f) => f.status)).toEqual(['ERROR']);
  });
});

describe('EC2.InstanceProfileAttached (CIS 1.17)', () => {
  it('passes an instance with an instance profile and fails one without', () => {
    // Arrange
    const withRole = instance('i-role');
    const without = instance('i-none', { instanceProfileArn: undefined });
    const inv = invWith({ instances: { items: [withRole, without] } });

    // Act
    const findings = instanceProfileAttached.evaluate(inv, CONFIG);

    // Assert
    expect(statusOf(findings, withRole.arn).status).toBe('PASS');
    expect(statusOf(findings, without.arn)).toMatchObject({
      status: 'FAIL',
      controlIds: ['CIS-5.0 1.17', 'CIS-3.0 1.18'],
    });
  });

  it('reports ERROR for a region whose instances could not be listed', () => {
    const findings = instanceProfileAttached.evaluate(
      invWith({ instances: unlisted('DescribeInstances') }),
      CONFIG,
    );
    expect(findings.map((f) => f.status)).toEqual(['ERROR']);
  });
});

describe('EC2.1 publicly restorable EBS snapshots', () => {
  it('fails a public snapshot, passes a private one, ERROR for the one whose permission was unreadable', () => {
    // Arrange
    const open = snapshot('snap-public', { public: ok(true) });
    const closed = snapshot('snap-private');
    const unknown = snapshot('snap-unknown', {
      public: failed('DescribeSnapshotAttribute', { service: 'ec2' }),
    });
    const inv = invWith({ snapshots: { items: [open, closed, unknown] } });

    // Act
    const findings = publicSnapshots.evaluate(inv, CONFIG);

    // Assert
    expect(statusOf(findings, open.arn)).toMatchObject({
      status: 'FAIL',
      severity: 'critical',
      resource: { type: 'AWS::EC2::Snapshot', name: 'snap-public' },
    });
    expect(statusOf(findings, closed.arn).status).toBe('PASS');
    expect(statusOf(findings, unknown.arn).status).toBe('ERROR');
    expect(statusOf(findings, unknown.arn).statusDetail).toContain('DescribeSnapshotAttribute');
  });

  it('reports ERROR for a region whose snapshots could not be listed', () => {
    const findings = publicSnapshots.evaluate(
      invWith({ snapshots: unlisted('DescribeSnapshots') }),
      CONFIG,
    );
    expect(findings.map((f) => f.status)).toEqual(['ERROR']);
  });
});
