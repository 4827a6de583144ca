/**
 * S3.CustomerManagedKey: the project's own requirement that default encryption use a usable
 * customer-managed KMS key, judged by the very function the Config rule config-rule-s3-encryption
 * and remediation use (shared/s3-default-encryption.ts `judgeEncryption`): same verdict, same
 * annotation. S3.17 keeps Security Hub's looser verdict (any KMS key, aws/s3 included); bulk
 * remediation after a scan fixes the buckets this check fails.
 */
import { judgeEncryption } from '../../shared/s3-default-encryption';
import { defaultEncryptionOf } from '../inventory/s3-keys';
import { eachBucket } from './s3';
import { defineCheck, type CheckMetadata } from './types';

const KMS_DOCS = 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html';

const customerManagedKeyMeta: CheckMetadata = {
  id: 'S3.CustomerManagedKey',
  title:
    'S3 general purpose buckets should be encrypted by default with a customer-managed KMS key (no Security Hub or CIS control; project policy)',
  severity: 'medium',
  resourceType: 'AWS::S3::Bucket',
  reads: ['s3:ListAllMyBuckets', 's3:GetEncryptionConfiguration', 'kms:DescribeKey'],
  docs: KMS_DOCS,
  remediation: {
    desc: 'Set default encryption to SSE-KMS with an enabled customer-managed key and S3 Bucket Keys on: `aws s3api put-bucket-encryption --bucket <name> --server-side-encryption-configuration \'{"Rules":[{"ApplyServerSideEncryptionByDefault":{"SSEAlgorithm":"aws:kms","KMSMasterKeyID":"<key ARN>"},"BucketKeyEnabled":true}]}\'`. With REMEDIATION_MODE=enforce the remediation function does this after each scan for the buckets this check fails (buckets tagged ComplianceExempt=true excepted).',
    references: [
      KMS_DOCS,
      'https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#customer-cmk',
    ],
  },
};

export const customerManagedKey = defineCheck(customerManagedKeyMeta, (b, inv) =>
  eachBucket(b, inv, customerManagedKeyMeta, (bucket, res) => {
    if (!bucket.encryption.ok)
      return b.error(res, `bucket ${bucket.name}'s default encryption`, bucket.encryption.error);
    if (!bucket.encryptionKey.ok)
      return b.error(res, `the KMS key of bucket ${bucket.name}`, bucket.encryptionKey.error);
    const verdict = judgeEncryption(
      bucket.name,
      defaultEncryptionOf(bucket.encryption.value),
      bucket.encryptionKey.value ?? undefined,
    );
    if (verdict.complianceType === 'COMPLIANT') return b.pass(res, verdict.annotation);
    b.fail(res, verdict.annotation);
  }),
);

export const S3_CUSTOMER_KEY_CHECKS = [customerManagedKey];
