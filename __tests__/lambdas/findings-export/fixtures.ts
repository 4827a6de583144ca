import type { Finding } from '../../../lambdas/shared/findings';

/** One finding of each status, with the optional fields the scanner adds. */
export function sampleFindings(): Finding[] {
  const base: Finding = {
    uid: 'a'.repeat(64),
    checkId: 'S3.8',
    controlIds: ['S3.8', 'CIS-5.0 2.1.4'],
    title: 'S3 general purpose buckets should block public access',
    severity: 'high',
    status: 'FAIL',
    statusDetail: 'Bucket data-1 does not block public access',
    resource: {
      uid: 'arn:aws:s3:::data-1',
      type: 'AWS::S3::Bucket',
      region: 'us-east-1',
      name: 'data-1',
      tags: { Owner: 'team-a' },
    },
    account: '123456789012',
    region: 'us-east-1',
    remediation: {
      desc: 'Turn on all four block public access settings',
      references: ['https://docs.aws.amazon.com/securityhub/latest/userguide/s3-controls.html'],
    },
    scanId: '20260601T120000000Z-00000001',
    observedAt: '2026-06-01T12:00:00.000Z',
    firstSeen: '2026-05-01T12:00:00.000Z',
    change: 'still-failing',
  };
  return [
    base,
    {
      ...base,
      uid: 'b'.repeat(64),
      status: 'PASS',
      change: 'resolved',
      resource: { uid: 'arn:aws:s3:::data-2', type: 'AWS::S3::Bucket', region: 'us-east-1' },
    },
    {
      ...base,
      uid: 'c'.repeat(64),
      checkId: 'Lambda.ReservedConcurrency',
      controlIds: [],
      severity: 'low',
      status: 'PASS',
      change: undefined,
      firstSeen: base.observedAt,
      resource: {
        uid: 'arn:aws:lambda:eu-west-1:123456789012:function:f',
        type: 'AWS::Lambda::Function',
        region: 'eu-west-1',
      },
      region: 'eu-west-1',
    },
    {
      ...base,
      uid: 'd'.repeat(64),
      status: 'SUPPRESSED',
      change: 'new',
      suppression: {
        id: 'legacy',
        reason: 'Public website bucket',
        owner: 'web@example.com',
        expires: '2026-12-31',
      },
    },
    {
      ...base,
      uid: 'e'.repeat(64),
      checkId: 'IAM.4',
      controlIds: ['IAM.4', 'CIS-5.0 1.3'],
      severity: 'critical',
      status: 'ERROR',
      change: undefined,
      resource: {
        uid: 'arn:aws:iam::123456789012:root',
        type: 'AWS::::Account',
        region: 'us-east-1',
        name: '123456789012',
      },
    },
  ];
}
