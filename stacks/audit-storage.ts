/**
 * The audit bucket `compliance-audit-<suffix>-<account>`: versioned, SSE-KMS with a bucket key,
 * fully private, owner-enforced, TLS-only, with lifecycle expiry and AWS Config's delivery path
 * (DESIGN §4, §10).
 */
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { Construct } from 'constructs';
import type { DeploymentEnvironment } from './environment';
import { denyInsecureTransport, policyDocument } from './iam';
import { retainOnDestroy } from './retention';

/** Prefix of AWS Config's snapshots and history in the audit bucket. */
export const CONFIG_PREFIX = 'config';
/** Prefixes the functions write; each expires after the report retention. */
export const DATA_PREFIXES = [
  'findings/',
  'reports/',
  'ocsf/',
  'exports/',
  'state/',
  'remediation/',
  `${CONFIG_PREFIX}/`,
] as const;
const ABORT_MULTIPART_DAYS = 7;

export interface AuditBucketProps {
  readonly env: DeploymentEnvironment;
  readonly kmsKeyArn: string;
  /** Working prefixes that expire sooner than the report retention (organization scans' parts). */
  readonly shortLivedPrefixes?: readonly { readonly prefix: string; readonly days: number }[];
}

export class AuditBucket extends Construct {
  readonly bucket: S3Bucket;
  /** The bucket policy: AWS Config delivery depends on it. */
  readonly policy: S3BucketPolicy;

  constructor(scope: Construct, id: string, props: AuditBucketProps) {
    super(scope, id);
    const { env, kmsKeyArn } = props;
    const { settings } = env;

    this.bucket = new S3Bucket(this, 'bucket', {
      bucket: `compliance-audit-${env.suffix}-${env.account}`,
      // Ephemeral environments must destroy cleanly; RETAIN_AUDIT_DATA=true keeps the evidence.
      forceDestroy: !settings.retainAuditData,
    });
    const bucketId = this.bucket.id;

    new S3BucketVersioningA(this, 'versioning', {
      bucket: bucketId,
      versioningConfiguration: { status: 'Enabled' },
    });
    new S3BucketServerSideEncryptionConfigurationA(this, 'encryption', {
      bucket: bucketId,
      rule: [
        {
          applyServerSideEncryptionByDefault: {
            sseAlgorithm: 'aws:kms',
            kmsMasterKeyId: kmsKeyArn,
          },
          bucketKeyEnabled: true,
        },
      ],
    });
    const publicAccessBlock = new S3BucketPublicAccessBlock(this, 'public-access-block', {
      bucket: bucketId,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, 'ownership', {
      bucket: bucketId,
      rule: { objectOwnership: 'BucketOwnerEnforced' },
    });

    const bucketArn = this.bucket.arn;
    const sourceAccount = { 'aws:SourceAccount': env.account };
    this.policy = new S3BucketPolicy(this, 'policy', {
      bucket: bucketId,
      policy: policyDocument([
        denyInsecureTransport(['s3:*'], [bucketArn, `${bucketArn}/*`]),
        {
          sid: 'DenyOutdatedTls',
          effect: 'Deny',
          principals: { AWS: '*' },
          actions: ['s3:*'],
          resources: [bucketArn, `${bucketArn}/*`],
          conditions: { NumericLessThan: { 's3:TlsVersion': '1.2' } },
        },
        {
          // Uploads may omit the header (the bucket default applies); naming another algorithm is refused.
          sid: 'DenyOtherEncryption',
          effect: 'Deny',
          principals: { AWS: '*' },
          actions: ['s3:PutObject'],
          resources: [`${bucketArn}/*`],
          conditions: {
            StringNotEquals: { 's3:x-amz-server-side-encryption': 'aws:kms' },
            Null: { 's3:x-amz-server-side-encryption': 'false' },
          },
        },
        {
          sid: 'DenyOtherKmsKeys',
          effect: 'Deny',
          principals: { AWS: '*' },
          actions: ['s3:PutObject'],
          resources: [`${bucketArn}/*`],
          conditions: {
            StringNotEquals: { 's3:x-amz-server-side-encryption-aws-kms-key-id': kmsKeyArn },
            Null: { 's3:x-amz-server-side-encryption-aws-kms-key-id': 'false' },
          },
        },
        {
          sid: 'ConfigBucketPermissionsCheck',
          principals: { Service: 'config.amazonaws.com' },
          actions: ['s3:GetBucketAcl', 's3:ListBucket'],
          resources: [bucketArn],
          conditions: { StringEquals: sourceAccount },
        },
        {
          sid: 'ConfigDelivery',
          principals: { Service: 'config.amazonaws.com' },
          actions: ['s3:PutObject'],
          resources: [`${bucketArn}/${CONFIG_PREFIX}/AWSLogs/${env.account}/Config/*`],
          conditions: {
            StringEquals: { ...sourceAccount, 's3:x-amz-acl': 'bucket-owner-full-control' },
          },
        },
      ]),
      // A policy put before the public access block exists can be refused as "public".
      dependsOn: [publicAccessBlock],
    });

    const days = settings.reportRetentionDays;
    new S3BucketLifecycleConfiguration(this, 'lifecycle', {
      bucket: bucketId,
      rule: [
        ...DATA_PREFIXES.map((prefix) => ({
          id: `expire-${prefix.replace(/\/$/, '')}`,
          status: 'Enabled',
          filter: [{ prefix }],
          expiration: [{ days }],
          noncurrentVersionExpiration: [{ noncurrentDays: days }],
        })),
        ...(props.shortLivedPrefixes ?? []).map((p) => ({
          id: `expire-${p.prefix.replace(/\/$/, '')}`,
          status: 'Enabled',
          filter: [{ prefix: p.prefix }],
          expiration: [{ days: p.days }],
          noncurrentVersionExpiration: [{ noncurrentDays: p.days }],
        })),
        {
          id: 'housekeeping',
          status: 'Enabled',
          filter: [{ prefix: '' }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: ABORT_MULTIPART_DAYS }],
          expiration: [{ expiredObjectDeleteMarker: true }],
          noncurrentVersionExpiration: [{ noncurrentDays: days }],
        },
      ],
    });
    // The evidence outlives the stack: the bucket and everything configuring it (retention.ts).
    if (settings.retainAuditData) retainOnDestroy(this);
  }
}
