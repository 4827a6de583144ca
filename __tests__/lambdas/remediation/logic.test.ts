import {
  describeEncryption,
  encryptionRule,
  isExempt,
  regionFromLocation,
} from '../../../lambdas/remediation/fixers/s3-default-encryption';
import { kmsArnRegion } from '../../../lambdas/remediation/settings';
import { bucketsFromFindings } from '../../../lambdas/remediation/triggers';
import { KEY_ARN, s3Finding } from './fixtures';

describe('fixer helpers', () => {
  it('maps LocationConstraint to a Region', () => {
    expect(regionFromLocation(undefined)).toBe('us-east-1');
    expect(regionFromLocation('')).toBe('us-east-1');
    expect(regionFromLocation('EU')).toBe('eu-west-1');
    expect(regionFromLocation('ap-south-1')).toBe('ap-south-1');
  });

  it('is exempt only for the exact tag key with value true', () => {
    expect(isExempt([{ Key: 'ComplianceExempt', Value: 'TRUE' }], 'ComplianceExempt')).toBe(true);
    expect(isExempt([{ Key: 'ComplianceExempt', Value: 'yes' }], 'ComplianceExempt')).toBe(false);
    expect(isExempt([{ Key: 'complianceexempt', Value: 'true' }], 'ComplianceExempt')).toBe(false);
    expect(isExempt([], 'ComplianceExempt')).toBe(false);
  });

  it('describes encryption for the record and builds the rule to apply', () => {
    expect(describeEncryption(null)).toBe('none');
    expect(describeEncryption({ algorithm: 'aws:kms', bucketKeyEnabled: false })).toBe(
      'aws:kms key=aws/s3 bucketKey=false',
    );
    expect(encryptionRule(KEY_ARN)).toEqual({
      ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: KEY_ARN },
      BucketKeyEnabled: true,
    });
    expect(kmsArnRegion(KEY_ARN)).toBe('us-east-1');
  });
});

describe('bucketsFromFindings', () => {
  it('keeps distinct FAIL S3.17 buckets in order', () => {
    // Arrange
    const findings = [
      s3Finding('a'),
      s3Finding('b', { status: 'PASS' }),
      s3Finding('c', { controlIds: ['S3.4'] }),
      s3Finding('d', { controlIds: ['CIS-5.0 2.1.1', 'S3.17'] }),
      s3Finding('a'),
      s3Finding('e', { status: 'ERROR' }),
    ];

    // Act / Assert
    expect(bucketsFromFindings(findings)).toEqual(['a', 'd']);
  });
});
