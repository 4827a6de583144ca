import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { AuditBucket } from '../../stacks/audit-storage';
import type { ComplianceStackProps } from '../../stacks/settings';
import {
  ref,
  resourcesOf,
  statementsOf,
  SUFFIX,
  synthScope,
  synthStack,
  testEnvironment,
  type Found,
  type PolicyDocumentJson,
  type PolicyStatementJson,
  type TerraformJson,
} from '../helpers/stack';

const bucketOf = (tf: TerraformJson): Found => resourcesOf(tf, 'aws_s3_bucket')[0];
const bucketPolicy = (tf: TerraformJson): PolicyStatementJson[] =>
  statementsOf(
    JSON.parse(
      resourcesOf(tf, 'aws_s3_bucket_policy')[0].config.policy as string,
    ) as PolicyDocumentJson,
  );
const lifecycleRules = (tf: TerraformJson): Record<string, unknown>[] =>
  resourcesOf(tf, 'aws_s3_bucket_lifecycle_configuration')[0].config.rule as Record<
    string,
    unknown
  >[];

/** The audit bucket alone, for settings only it reads. */
const bucketAlone = (props: Partial<ComplianceStackProps>) =>
  synthScope((stack) => {
    new AuditBucket(stack, 'audit-storage', {
      env: testEnvironment(stack, props),
      kmsKeyArn: 'arn:aws:kms:us-east-1:123456789012:key/data',
    });
  });

describe('AuditBucket', () => {
  let synth: string;
  let tf: TerraformJson;
  let bucketId: string;
  let bucketArn: string;
  beforeAll(() => {
    ({ synth, tf } = synthStack());
    bucketId = ref('aws_s3_bucket', bucketOf(tf), 'id');
    bucketArn = ref('aws_s3_bucket', bucketOf(tf), 'arn');
  });

  it('renders compliance-audit-<suffix>-<account>, destroyable by default', () => {
    expect(synth).toHaveResourceWithProperties(S3Bucket, {
      bucket: expect.stringMatching(
        new RegExp(
          `^compliance-audit-${SUFFIX}-\\$\\{data\\.aws_caller_identity\\.[^.]+\\.account_id\\}$`,
        ),
      ),
      force_destroy: true,
    });
    expect(bucketOf(tf).config).not.toHaveProperty('lifecycle');
  });

  it('renders versioning enabled', () => {
    expect(synth).toHaveResourceWithProperties(S3BucketVersioningA, {
      bucket: bucketId,
      versioning_configuration: { status: 'Enabled' },
    });
  });

  it('renders SSE-KMS with the data key and a bucket key', () => {
    const dataKey = resourcesOf(tf, 'aws_kms_key').find((k) => k.id.startsWith('keys_data_'))!;
    expect(synth).toHaveResourceWithProperties(S3BucketServerSideEncryptionConfigurationA, {
      bucket: bucketId,
      rule: [
        {
          apply_server_side_encryption_by_default: {
            sse_algorithm: 'aws:kms',
            kms_master_key_id: ref('aws_kms_key', dataKey, 'arn'),
          },
          bucket_key_enabled: true,
        },
      ],
    });
  });

  it('renders all four public access block flags', () => {
    expect(synth).toHaveResourceWithProperties(S3BucketPublicAccessBlock, {
      bucket: bucketId,
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
  });

  it('renders BucketOwnerEnforced ownership (ACLs off)', () => {
    expect(synth).toHaveResourceWithProperties(S3BucketOwnershipControls, {
      bucket: bucketId,
      rule: { object_ownership: 'BucketOwnerEnforced' },
    });
  });

  it('renders a policy that denies any request without TLS, or with TLS older than 1.2', () => {
    // GIVEN
    const policy = resourcesOf(tf, 'aws_s3_bucket_policy')[0];

    // THEN
    expect(synth).toHaveResourceWithProperties(S3BucketPolicy, { bucket: bucketId });
    expect(policy.config.depends_on).toEqual([
      `aws_s3_bucket_public_access_block.${resourcesOf(tf, 'aws_s3_bucket_public_access_block')[0].id}`,
    ]);
    expect(bucketPolicy(tf)).toEqual(
      expect.arrayContaining([
        {
          Sid: 'DenyInsecureTransport',
          Effect: 'Deny',
          Principal: { AWS: '*' },
          Action: 's3:*',
          Resource: [bucketArn, `${bucketArn}/*`],
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        },
        {
          Sid: 'DenyOutdatedTls',
          Effect: 'Deny',
          Principal: { AWS: '*' },
          Action: 's3:*',
          Resource: [bucketArn, `${bucketArn}/*`],
          Condition: { NumericLessThan: { 's3:TlsVersion': '1.2' } },
        },
      ]),
    );
  });

  it('renders a policy that lets AWS Config of this account deliver under config/ only', () => {
    const config = bucketPolicy(tf).filter(
      (s) => s.Effect === 'Allow' && JSON.stringify(s.Principal).includes('config.amazonaws.com'),
    );
    expect(config).toEqual([
      expect.objectContaining({
        Action: ['s3:GetBucketAcl', 's3:ListBucket'],
        Resource: bucketArn,
        Condition: { StringEquals: { 'aws:SourceAccount': expect.stringContaining('account_id') } },
      }),
      expect.objectContaining({
        Action: 's3:PutObject',
        Resource: expect.stringMatching(
          /^\$\{aws_s3_bucket\..+\.arn\}\/config\/AWSLogs\/.+\/Config\/\*$/,
        ),
      }),
    ]);
    // Nothing else is allowed by the bucket policy: access is granted by IAM policies.
    expect(bucketPolicy(tf).filter((s) => s.Effect === 'Allow')).toHaveLength(2);
  });

  it('renders a lifecycle that expires every data prefix and its noncurrent versions after 90 days', () => {
    expect(synth).toHaveResourceWithProperties(S3BucketLifecycleConfiguration, {
      bucket: bucketId,
    });
    for (const prefix of ['findings/', 'reports/', 'remediation/', 'config/']) {
      expect(lifecycleRules(tf)).toContainEqual({
        id: `expire-${prefix.slice(0, -1)}`,
        status: 'Enabled',
        filter: [{ prefix }],
        expiration: [{ days: 90 }],
        noncurrent_version_expiration: [{ noncurrent_days: 90 }],
      });
    }
    expect(lifecycleRules(tf)).toContainEqual(
      expect.objectContaining({
        id: 'housekeeping',
        filter: [{ prefix: '' }],
        abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }],
        expiration: [{ expired_object_delete_marker: true }],
        noncurrent_version_expiration: [{ noncurrent_days: 90 }],
      }),
    );
  });

  it('renders the lifecycle with REPORT_RETENTION_DAYS', () => {
    // GIVEN / WHEN
    const { tf: shortLived } = bucketAlone({ reportRetentionDays: 30 });

    // THEN
    for (const rule of lifecycleRules(shortLived)) {
      expect(rule.noncurrent_version_expiration).toEqual([{ noncurrent_days: 30 }]);
      if (rule.id !== 'housekeeping') expect(rule.expiration).toEqual([{ days: 30 }]);
    }
  });

  it('renders a bucket that survives destroy with RETAIN_AUDIT_DATA', () => {
    // GIVEN / WHEN
    const retained = bucketAlone({ retainAuditData: true });

    // THEN
    expect(retained.synth).toHaveResourceWithProperties(S3Bucket, {
      force_destroy: false,
      lifecycle: { prevent_destroy: true },
    });
  });
});
