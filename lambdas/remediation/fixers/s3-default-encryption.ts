/**
 * Fixer for S3.CustomerManagedKey (default encryption with a customer-managed KMS key): sets a
 * bucket's default encryption to SSE-KMS with the configured customer-managed key and S3 Bucket
 * Keys on, and returns the decision it took.
 * It never throws: an error (AccessDenied, NoSuchBucket, …) becomes a `failed` decision.
 *
 * Steps: GetBucketLocation (the bucket's Region; a bucket outside the remediation key's Region is
 * `failed` at once: S3 needs a key of the bucket's Region, and from inside the VPC the function
 * reaches only its own Region's endpoints) → GetBucketTagging (exempt when `<EXEMPT_TAG_KEY>=true`;
 * NoSuchTagSet = no tags) → GetBucketEncryption, judged exactly as the Config rule judges it
 * (shared/s3-default-encryption.ts: SSE-KMS or DSSE-KMS with an existing, usable, customer-managed
 * key → already-compliant, no write; a missing, disabled or AWS managed key is not) →
 * GetBucketPolicy and GetBucketAcl (a bucket that AWS services deliver logs into is
 * `skipped-log-delivery`: see ../log-delivery.ts) → PutBucketEncryption in enforce mode,
 * nothing in dry-run.
 *
 * Note for operators: writers of a remediated bucket need kms:GenerateDataKey (and readers
 * kms:Decrypt) on the key; the key policy must allow them.
 *
 * Required permissions:
 *   {
 *     "Effect": "Allow",
 *     "Action": [
 *       "s3:GetBucketLocation",
 *       "s3:GetBucketTagging",
 *       "s3:GetEncryptionConfiguration",
 *       "s3:GetBucketPolicy",
 *       "s3:GetBucketAcl",
 *       "s3:PutEncryptionConfiguration"
 *     ],
 *     "Resource": "arn:aws:s3:::*"
 *   },
 *   { "Effect": "Allow", "Action": "kms:DescribeKey", "Resource": "arn:aws:kms:*:*:key/*" }
 * (the bucket's current key; PutBucketEncryption itself needs no KMS permission.)
 */
import { KMSClient } from '@aws-sdk/client-kms';
import {
  GetBucketLocationCommand,
  GetBucketTaggingCommand,
  PutBucketEncryptionCommand,
  S3Client,
  type ServerSideEncryptionRule,
} from '@aws-sdk/client-s3';
import { awsClient } from '../../shared/clients';
import { regionFromLocation } from '../../shared/s3-location';

export { regionFromLocation };
import { errorMessage, errorName, isNotFound } from '../../shared/errors';
import {
  encryptionFromApi,
  judgeDefaultEncryption,
  type DefaultEncryption,
} from '../../shared/s3-default-encryption';
import type { RemediationDecision } from '../../shared/events';
import { logDeliveryReason } from '../log-delivery';
import { kmsArnRegion } from '../settings';

export interface FixOptions {
  readonly mode: 'dry-run' | 'enforce';
  readonly kmsKeyArn: string;
  readonly exemptTagKey: string;
  /** Set when the remediation key failed its pre-flight check: no bucket may be changed. */
  readonly keyProblem?: string;
}

export interface BucketDecision extends RemediationDecision {
  readonly region?: string;
  /** Default encryption before the run, e.g. `AES256` or `aws:kms key=… bucketKey=false`. */
  readonly previous?: string;
  readonly error?: string;
}

/** The decision for a bucket outside the remediation key's Region (S3 needs a key of its own). */
export function outOfRegion(
  bucket: string,
  region: string,
  keyRegion: string | undefined,
): BucketDecision {
  return {
    bucket,
    decision: 'failed',
    reason: `bucket is in ${region} but the remediation key is in ${keyRegion}; S3 needs a key in the bucket's Region`,
    region,
  };
}

export function isExempt(
  tags: ReadonlyArray<{ Key?: string; Value?: string }>,
  exemptTagKey: string,
): boolean {
  return tags.some((t) => t.Key === exemptTagKey && t.Value?.trim().toLowerCase() === 'true');
}

export function describeEncryption(enc: DefaultEncryption | null): string {
  if (!enc?.algorithm) return 'none';
  if (!enc.algorithm.startsWith('aws:kms')) return enc.algorithm;
  return `${enc.algorithm} key=${enc.kmsKeyId ?? 'aws/s3'} bucketKey=${enc.bucketKeyEnabled === true}`;
}

export function encryptionRule(kmsKeyArn: string): ServerSideEncryptionRule {
  return {
    ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: kmsKeyArn },
    BucketKeyEnabled: true,
  };
}

async function bucketRegion(bucket: string): Promise<string> {
  // GetBucketLocation answers for any bucket from the default Region's endpoint.
  const out = await awsClient(S3Client).send(new GetBucketLocationCommand({ Bucket: bucket }));
  return regionFromLocation(out.LocationConstraint);
}

async function bucketTags(
  s3: S3Client,
  bucket: string,
): Promise<Array<{ Key?: string; Value?: string }>> {
  try {
    return (await s3.send(new GetBucketTaggingCommand({ Bucket: bucket }))).TagSet ?? [];
  } catch (err) {
    if (isNotFound(err, 'NoSuchTagSet')) return [];
    throw err;
  }
}

export async function fixS3DefaultEncryption(
  bucket: string,
  options: FixOptions,
): Promise<BucketDecision> {
  let region: string | undefined;
  let previous: string | undefined;
  try {
    region = await bucketRegion(bucket);
    const keyRegion = kmsArnRegion(options.kmsKeyArn);
    if (keyRegion !== region) return outOfRegion(bucket, region, keyRegion);
    const s3 = awsClient(S3Client, region);
    if (isExempt(await bucketTags(s3, bucket), options.exemptTagKey)) {
      return { bucket, decision: 'exempt', reason: `tag ${options.exemptTagKey}=true`, region };
    }
    const enc = await encryptionFromApi(s3, bucket);
    previous = describeEncryption(enc);
    const verdict = await judgeDefaultEncryption(
      bucket,
      enc,
      (r) => awsClient(KMSClient, r),
      region,
    );
    if (verdict.complianceType === 'COMPLIANT') {
      return {
        bucket,
        decision: 'already-compliant',
        reason: verdict.annotation,
        region,
        previous,
      };
    }
    // Log delivery breaks under another key (README › Remediation): never change such a bucket.
    const logDelivery = await logDeliveryReason(s3, bucket);
    if (logDelivery) {
      return { bucket, decision: 'skipped-log-delivery', reason: logDelivery, region, previous };
    }
    if (options.keyProblem) {
      return { bucket, decision: 'failed', reason: options.keyProblem, region, previous };
    }
    const target = `aws:kms key=${options.kmsKeyArn} bucketKey=true`;
    if (options.mode === 'dry-run') {
      return {
        bucket,
        decision: 'would-remediate',
        reason: `${previous} -> ${target}`,
        region,
        previous,
      };
    }
    await s3.send(
      new PutBucketEncryptionCommand({
        Bucket: bucket,
        ServerSideEncryptionConfiguration: { Rules: [encryptionRule(options.kmsKeyArn)] },
      }),
    );
    return { bucket, decision: 'remediated', reason: `${previous} -> ${target}`, region, previous };
  } catch (err) {
    const error = `${errorName(err)}: ${errorMessage(err)}`;
    return { bucket, decision: 'failed', reason: error, region, previous, error: errorName(err) };
  }
}
