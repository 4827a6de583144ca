import { activeTracing, reservedConcurrency } from '../../../lambdas/scanner/checks/lambda';
import { assertUniqueIds, CHECKS, evaluateChecks } from '../../../lambdas/scanner/checks/registry';
import {
  bucketTags,
  functionTags,
  securityGroupTags,
  userTags,
  volumeTags,
  vpcTags,
} from '../../../lambdas/scanner/checks/tagging';
import type { Check } from '../../../lambdas/scanner/checks/types';
import {
  ACCOUNT,
  ALL_TAGS,
  bucket,
  CONFIG,
  ec2,
  failed,
  fn,
  inventory,
  ok,
  region,
  REGION,
  sg,
  statusOf,
  user,
} from './fixtures';

describe('Lambda checks', () => {
  function run(check: Check, f: ReturnType<typeof fn>) {
    const inv = inventory({ regions: [region(REGION, { lambda: { functions: { items: [f] } } })] });
    return statusOf(check.evaluate(inv, CONFIG), f.arn);
  }

  it('reserved concurrency: set → PASS, none → FAIL, unreadable → ERROR', () => {
    expect(run(reservedConcurrency, fn('a', { reservedConcurrency: ok(2) })).status).toBe('PASS');
    expect(run(reservedConcurrency, fn('b', { reservedConcurrency: ok(null) })).status).toBe(
      'FAIL',
    );
    expect(
      run(
        reservedConcurrency,
        fn('c', { reservedConcurrency: failed('GetFunctionConcurrency', { service: 'lambda' }) }),
      ).status,
    ).toBe('ERROR');
  });

  it('tracing: Active → PASS, PassThrough → FAIL', () => {
    expect(run(activeTracing, fn('a', { tracingMode: 'Active' })).status).toBe('PASS');
    expect(run(activeTracing, fn('b', { tracingMode: 'PassThrough' })).status).toBe('FAIL');
  });

  it('reserved concurrency has no Security Hub control; tracing maps to Lambda.7', () => {
    expect(reservedConcurrency.controlIds).toEqual([]);
    expect(reservedConcurrency.title).toContain('no Security Hub');
    expect(activeTracing.controlIds).toEqual(['Lambda.7']);
  });
});

describe('mandatory tags', () => {
  const partial = { Environment: 'dev', Owner: 'me' };

  it.each([
    [
      'S3 buckets',
      bucketTags,
      (tags: Record<string, string>) =>
        inventory({ s3: { buckets: { items: [bucket('b', { tags: ok(tags) })] } } }),
      'arn:aws:s3:::b',
    ],
    [
      'security groups',
      securityGroupTags,
      (tags: Record<string, string>) =>
        inventory({
          regions: [
            region(REGION, { ec2: ec2({ securityGroups: { items: [sg('sg-1', { tags })] } }) }),
          ],
        }),
      `arn:aws:ec2:${REGION}:${ACCOUNT}:security-group/sg-1`,
    ],
    [
      'volumes',
      volumeTags,
      (tags: Record<string, string>) =>
        inventory({
          regions: [
            region(REGION, {
              ec2: ec2({
                volumes: {
                  items: [{ id: 'vol-1', arn: 'arn:vol-1', encrypted: true, attachedTo: [], tags }],
                },
              }),
            }),
          ],
        }),
      'arn:vol-1',
    ],
    [
      'VPCs',
      vpcTags,
      (tags: Record<string, string>) =>
        inventory({
          regions: [
            region(REGION, {
              ec2: ec2({
                vpcs: { items: [{ id: 'vpc-1', arn: 'arn:vpc-1', isDefault: true, tags }] },
              }),
            }),
          ],
        }),
      'arn:vpc-1',
    ],
    [
      'functions',
      functionTags,
      (tags: Record<string, string>) =>
        inventory({
          regions: [
            region(REGION, { lambda: { functions: { items: [fn('f', { tags: ok(tags) })] } } }),
          ],
        }),
      `arn:aws:lambda:${REGION}:${ACCOUNT}:function:f`,
    ],
    [
      'IAM users',
      userTags,
      (tags: Record<string, string>) =>
        inventory({ iam: { users: { items: [user('u', { tags: ok(tags) })] } } }),
      `arn:aws:iam::${ACCOUNT}:user/u`,
    ],
  ])('%s: all keys → PASS, missing keys → FAIL naming them', (_label, check, build, uid) => {
    // Act
    const pass = statusOf(check.evaluate(build(ALL_TAGS), CONFIG), uid);
    const fail = statusOf(check.evaluate(build(partial), CONFIG), uid);

    // Assert
    expect(pass.status).toBe('PASS');
    expect(fail.status).toBe('FAIL');
    expect(fail.statusDetail).toContain('CostCenter, ComplianceLevel');
  });

  it("reports ERROR when a bucket's tags could not be read", () => {
    const inv = inventory({
      s3: { buckets: { items: [bucket('b', { tags: failed('GetBucketTagging') })] } },
    });
    expect(statusOf(bucketTags.evaluate(inv, CONFIG), 'arn:aws:s3:::b').status).toBe('ERROR');
  });

  it('maps each resource type to its Security Hub tagging control', () => {
    expect(
      [securityGroupTags, volumeTags, vpcTags, functionTags, userTags, bucketTags].map(
        (c) => c.controlIds,
      ),
    ).toEqual([['EC2.43'], ['EC2.45'], ['EC2.46'], ['Lambda.6'], ['IAM.25'], []]);
  });
});

describe('registry', () => {
  it('has unique ids and complete metadata', () => {
    // Assert
    expect(() => assertUniqueIds(CHECKS)).not.toThrow();
    for (const c of CHECKS) {
      expect(c.title.length).toBeGreaterThan(10);
      expect(c.remediation.references.length).toBeGreaterThan(0);
      expect(['critical', 'high', 'medium', 'low', 'informational']).toContain(c.severity);
    }
    expect(CHECKS.map((c) => c.id)).toEqual(
      expect.arrayContaining([
        'S3.1',
        'S3.2',
        'S3.3',
        'S3.5',
        'S3.8',
        'S3.14',
        'S3.17',
        'EC2.2',
        'EC2.3',
        'EC2.6',
        'EC2.7',
        'EC2.13',
        'EC2.14',
        'EC2.18',
        'EC2.19',
        'IAM.3',
        'IAM.4',
        'IAM.5',
        'IAM.9',
        'IAM.22',
        'Config.1',
        'Lambda.7',
        'Lambda.ReservedConcurrency',
      ]),
    );
  });

  it('rejects duplicate ids', () => {
    expect(() => assertUniqueIds([CHECKS[0]!, CHECKS[0]!])).toThrow(
      `Duplicate check id "${CHECKS[0]!.id}"`,
    );
  });

  it('gives every finding a deterministic uid from check, account, region and resource', () => {
    // Arrange
    const inv = inventory({ s3: { buckets: { items: [bucket('b')] } } });

    // Act
    const first = evaluateChecks(inv, CONFIG);
    const second = evaluateChecks(inv, CONFIG);

    // Assert
    expect(first.map((f) => f.uid)).toEqual(second.map((f) => f.uid));
    expect(new Set(first.map((f) => f.uid)).size).toBe(first.length);
    expect(first.every((f) => f.scanId === inv.scanId && f.account === ACCOUNT)).toBe(true);
  });
});
