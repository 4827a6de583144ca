/**
 * Fixer for S3.17 (default encryption with KMS): sets a bucket's default encryption to SSE-KMS with
 * the configured customer-managed key and S3 Bucket Keys on, and returns the decision it took.
 * It never throws: an error (AccessDenied, NoSuchBucket, …) becomes a `failed` decision.
 *
 * Steps: GetBucketLocation (the bucket's Region; every later call uses that Region's client) →
 * GetBucketTagging (exempt when `<EXEMPT_TAG_KEY>=true`; NoSuchTagSet = no tags) →
 * GetBucketEncryption (already SSE-KMS with a non-AWS-managed key and bucket key on, or DSSE-KMS
 * with such a key, where bucket keys do not apply → already-compliant, no write) →
 * PutBucketEncryption in enforce mode, nothing in dry-run.
 *
 * S3 does not validate the key id in PutBucketEncryption, and a key in another Region would make
 * every later write to the bucket fail, so a bucket outside the key's Region is `failed`, never
 * changed. Note for operators: writers of a remediated bucket need kms:GenerateDataKey (and readers
 * kms:Decrypt) on the key; the key policy must allow them.
 *
 * Required permissions:
 *   {
 *     "Effect": "Allow",
 *     "Action": [
 *       "s3:GetBucketLocation",
 *       "s3:GetBucketTagging",
 *       "s3:GetEncryptionConfiguration",
 *       "s3:PutEncryptionConfiguration"
 *     ],
 *     "Resource": "arn:aws:s3:::*"
 *   }
 * (PutBucketEncryption itself needs no KMS permission.)
 */
import {
  GetBucketEncryptionCommand,
  GetBucketLocationCommand,
  GetBucketTaggingCommand,
  PutBucketEncryptionCommand,
  S3Client,
  type ServerSideEncryptionRule,
} from '@aws-sdk/client-s3';
import { awsClient } from '../../shared/clients';
import { errorMessage, errorName, isNotFound } from '../../shared/errors';
import type { RemediationDecision } from '../../shared/events';
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

interface CurrentEncryption {
  readonly algorithm?: string;
  readonly kmsKeyId?: string;
  readonly bucketKeyEnabled: boolean;
}

/** `LocationConstraint` → Region: empty means us-east-1, the legacy `EU` means eu-west-1. */
export function regionFromLocation(constraint: string | undefined | null): string {
  if (!constraint) return 'us-east-1';
  if (constraint === 'EU') return 'eu-west-1';
  return constraint;
}

export function isExempt(
  tags: ReadonlyArray<{ Key?: string; Value?: string }>,
  exemptTagKey: string,
): boolean {
  return tags.some((t) => t.Key === exemptTagKey && t.Value?.trim().toLowerCase() === 'true');
}

/** Already what the fixer would set (or DSSE-KMS, which is stronger and has no bucket keys). */
export function isAlreadyCompliant(enc: CurrentEncryption | null): boolean {
  if (!enc?.kmsKeyId || /(^|:)alias\/aws\//.test(enc.kmsKeyId)) return false;
  if (enc.algorithm === 'aws:kms:dsse') return true;
  return enc.algorithm === 'aws:kms' && enc.bucketKeyEnabled;
}

export function describeEncryption(enc: CurrentEncryption | null): string {
  if (!enc?.algorithm) return 'none';
  if (!enc.algorithm.startsWith('aws:kms')) return enc.algorithm;
  return `${enc.algorithm} key=${enc.kmsKeyId ?? 'aws/s3'} bucketKey=${enc.bucketKeyEnabled}`;
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

async function currentEncryption(s3: S3Client, bucket: string): Promise<CurrentEncryption | null> {
  try {
    const out = await s3.send(new GetBucketEncryptionCommand({ Bucket: bucket }));
    const rule = out.ServerSideEncryptionConfiguration?.Rules?.find(
      (r) => r.ApplyServerSideEncryptionByDefault,
    );
    if (!rule) return null;
    return {
      algorithm: rule.ApplyServerSideEncryptionByDefault?.SSEAlgorithm,
      kmsKeyId: rule.ApplyServerSideEncryptionByDefault?.KMSMasterKeyID,
      bucketKeyEnabled: rule.BucketKeyEnabled === true,
    };
  } catch (err) {
    if (isNotFound(err, 'ServerSideEncryptionConfigurationNotFoundError')) return null;
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
    const s3 = awsClient(S3Client, region);
    if (isExempt(await bucketTags(s3, bucket), options.exemptTagKey)) {
      return { bucket, decision: 'exempt', reason: `tag ${options.exemptTagKey}=true`, region };
    }
    const enc = await currentEncryption(s3, bucket);
    previous = describeEncryption(enc);
    if (isAlreadyCompliant(enc)) {
      return { bucket, decision: 'already-compliant', reason: previous, region, previous };
    }
    if (options.keyProblem) {
      return { bucket, decision: 'failed', reason: options.keyProblem, region, previous };
    }
    const keyRegion = kmsArnRegion(options.kmsKeyArn);
    if (keyRegion !== region) {
      return {
        bucket,
        decision: 'failed',
        reason: `bucket is in ${region} but the remediation key is in ${keyRegion}; S3 needs a key in the bucket's Region`,
        region,
        previous,
      };
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
