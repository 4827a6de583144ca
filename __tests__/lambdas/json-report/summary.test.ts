import { countFindings } from '../../../lambdas/shared/findings';
import { countMismatches, summarize, summaryCounts } from '../../../lambdas/shared/summary';
import { finding } from './fixtures';

const findings = [
  finding({
    severity: 'critical',
    status: 'FAIL',
    checkId: 's3_public',
    controlIds: ['S3.2'],
    title: 'No public S3',
  }),
  finding({ severity: 'high', status: 'FAIL', resource: { uid: 'arn:aws:s3:::b' } }),
  finding({ severity: 'high', status: 'PASS', resource: { uid: 'arn:aws:s3:::c' } }),
  finding({
    severity: 'medium',
    status: 'ERROR',
    region: 'eu-west-1',
    checkId: 'ec2_sg',
    controlIds: ['EC2.19'],
    title: 'SG ports',
    resource: { uid: 'sg-1', type: 'AWS::EC2::SecurityGroup' },
  }),
  finding({
    severity: 'low',
    status: 'SUPPRESSED',
    account: '210987654321',
    resource: { uid: 'arn:aws:s3:::d' },
  }),
];

describe('summarize', () => {
  it('counts totals, every status, and FAIL-only severities', () => {
    // Arrange / Act
    const summary = summarize(findings);

    // Assert
    expect(summary.total).toBe(5);
    expect(summary.byStatus).toEqual({ PASS: 1, FAIL: 2, ERROR: 1, SUPPRESSED: 1 });
    expect(summary.bySeverity).toEqual({
      critical: 1,
      high: 1,
      medium: 0,
      low: 0,
      informational: 0,
    });
  });

  it('counts each control a finding maps to, with its title', () => {
    // Arrange / Act
    const { byControl } = summarize(findings);

    // Assert
    expect(Object.keys(byControl)).toEqual(['CIS-5.0 2.1.1', 'EC2.19', 'S3.17', 'S3.2']);
    expect(byControl['S3.17']).toEqual({
      title: 'S3 bucket default encryption uses KMS',
      total: 3,
      fail: 1,
      pass: 1,
      error: 0,
      suppressed: 1,
    });
    expect(byControl['S3.2']).toMatchObject({ title: 'No public S3', fail: 1, total: 1 });
    expect(byControl['EC2.19']).toMatchObject({ error: 1, total: 1 });
  });

  it('does not double-count a control listed twice on one finding', () => {
    // Arrange
    const dup = finding({ controlIds: ['S3.17', 'S3.17'] });

    // Act / Assert
    expect(summarize([dup]).byControl['S3.17'].total).toBe(1);
  });

  it('groups by resource type and by account/region', () => {
    // Arrange / Act
    const summary = summarize(findings);

    // Assert
    expect(summary.byResourceType).toEqual({
      'AWS::EC2::SecurityGroup': { total: 1, fail: 0, pass: 0, error: 1, suppressed: 0 },
      'AWS::S3::Bucket': { total: 4, fail: 2, pass: 1, error: 0, suppressed: 1 },
    });
    expect(summary.byAccountRegion).toEqual({
      '123456789012/eu-west-1': { total: 1, fail: 0, pass: 0, error: 1, suppressed: 0 },
      '123456789012/us-east-1': { total: 3, fail: 2, pass: 1, error: 0, suppressed: 0 },
      '210987654321/us-east-1': { total: 1, fail: 0, pass: 0, error: 0, suppressed: 1 },
    });
  });

  it('summarises no findings as zeros', () => {
    // Act
    const summary = summarize([]);

    // Assert
    expect(summary.total).toBe(0);
    expect(summary.byStatus).toEqual({ PASS: 0, FAIL: 0, ERROR: 0, SUPPRESSED: 0 });
    expect(summary.byControl).toEqual({});
  });

  it('implies the same counts as countFindings', () => {
    // Act / Assert
    expect(summaryCounts(summarize(findings))).toEqual(countFindings(findings));
  });
});

describe('countMismatches', () => {
  it('names each field that disagrees and is empty when all agree', () => {
    // Arrange
    const actual = countFindings(findings);

    // Act / Assert
    expect(countMismatches(actual, actual)).toEqual([]);
    expect(countMismatches({ ...actual, high: 7, errors: 0 }, actual)).toEqual([
      'high: reported=7 actual=1',
      'errors: reported=0 actual=1',
    ]);
  });
});
