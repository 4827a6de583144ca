import {
  describeEncryption,
  encryptionRule,
  isExempt,
  regionFromLocation,
} from '../../../lambdas/remediation/fixers/s3-default-encryption';
import { kmsArnRegion } from '../../../lambdas/remediation/settings';
import { bucketsFromFindings, REMEDIATED_CONTROL } from '../../../lambdas/remediation/triggers';
import { ACCOUNT, KEY_ARN, s3Finding } from './fixtures';

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
  it('keeps distinct buckets failing S3.CustomerManagedKey, in order', () => {
    // Arrange
    const findings = [
      s3Finding('a'),
      s3Finding('b', { status: 'PASS' }),
      s3Finding('c', { checkId: 'S3.14', controlIds: ['S3.14'] }),
      s3Finding('d'),
      s3Finding('a'),
      s3Finding('e', { status: 'ERROR' }),
    ];

    // Act / Assert
    expect(REMEDIATED_CONTROL).toBe('S3.CustomerManagedKey');
    expect(bucketsFromFindings(findings).map((t) => t.bucket)).toEqual(['a', 'd']);
  });

  it('leaves buckets that fail only S3.17 alone (S3.17 passes aws/s3; it is not remediated)', () => {
    // Arrange: an SSE-S3 bucket fails both checks; only the customer-key failure counts.
    const findings = [
      s3Finding('sse-s3', { checkId: 'S3.17', controlIds: ['S3.17'] }),
      s3Finding('sse-s3'),
      s3Finding('only-s3-17', { checkId: 'S3.17', controlIds: ['S3.17'] }),
    ];

    // Act / Assert
    expect(bucketsFromFindings(findings)).toEqual([
      { account: ACCOUNT, bucket: 'sse-s3', region: 'us-east-1' },
    ]);
  });
});
