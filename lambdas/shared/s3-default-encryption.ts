/**
 * A bucket's default encryption and the verdict on it, shared by the Config rule
 * `config-rule-s3-encryption` and the remediation fixer so that "compliant" means the same to
 * both: SSE-KMS or DSSE-KMS with an existing, usable, customer-managed key (optionally one of an
 * allowed list). SSE-S3, no KMSMasterKeyID (S3 then uses the AWS managed aws/s3) or an
 * `alias/aws/…` key are NON_COMPLIANT without calling KMS.
 *
 * IAM actions: s3:GetEncryptionConfiguration (arn:aws:s3:::*), kms:DescribeKey (arn:aws:kms:*:*:key/*).
 */
import { DescribeKeyCommand, type KMSClient } from '@aws-sdk/client-kms';
import { GetBucketEncryptionCommand, type S3Client } from '@aws-sdk/client-s3';
import { classifyError, errorName, isNotFound } from './errors';

/** The verdict, in the shape a Config rule evaluation takes (remediation reads it too). */
export interface EncryptionVerdict {
  readonly complianceType: 'COMPLIANT' | 'NON_COMPLIANT';
  readonly annotation: string;
}

export const KMS_ALGORITHMS = new Set(['aws:kms', 'aws:kms:dsse']);
/** States in which a key cannot encrypt new objects. */
const UNUSABLE_KEY_STATES = new Set(['Disabled', 'PendingDeletion', 'PendingReplicaDeletion']);

export interface DefaultEncryption {
  readonly algorithm?: string;
  readonly kmsKeyId?: string;
  readonly bucketKeyEnabled?: boolean;
}

/** What DescribeKey said about the configured key. */
export type KeyFacts =
  | {
      readonly kind: 'described';
      readonly arn: string;
      readonly manager?: string;
      readonly state?: string;
    }
  | { readonly kind: 'denied' }
  | { readonly kind: 'not-found' };

/** Default encryption from S3 (`null` when the bucket has none). */
export async function encryptionFromApi(
  s3: S3Client,
  bucket: string,
): Promise<DefaultEncryption | null> {
  try {
    const out = await s3.send(new GetBucketEncryptionCommand({ Bucket: bucket }));
    const rule = out.ServerSideEncryptionConfiguration?.Rules?.find(
      (r) => r.ApplyServerSideEncryptionByDefault,
    );
    if (!rule?.ApplyServerSideEncryptionByDefault) return null;
    return {
      algorithm: rule.ApplyServerSideEncryptionByDefault.SSEAlgorithm,
      kmsKeyId: rule.ApplyServerSideEncryptionByDefault.KMSMasterKeyID,
      bucketKeyEnabled: rule.BucketKeyEnabled,
    };
  } catch (err) {
    if (isNotFound(err, 'ServerSideEncryptionConfigurationNotFoundError')) return null;
    throw err;
  }
}

/** `alias/aws/s3` (or any `alias/aws/…`), bare or as an alias ARN: an AWS managed key. */
export function isAwsManagedAlias(keyId: string): boolean {
  return /(^|:)alias\/aws\//.test(keyId);
}

/** Region of a KMS ARN, else `fallback` (bare key ids and aliases live in the bucket's Region). */
export function keyRegion(keyId: string, fallback: string): string {
  const parts = keyId.split(':');
  return keyId.startsWith('arn:') && parts.length > 5 && parts[3] ? parts[3] : fallback;
}

export async function describeKey(kms: KMSClient, keyId: string): Promise<KeyFacts> {
  try {
    const out = await kms.send(new DescribeKeyCommand({ KeyId: keyId }));
    return {
      kind: 'described',
      arn: out.KeyMetadata?.Arn ?? keyId,
      manager: out.KeyMetadata?.KeyManager,
      state: out.KeyMetadata?.KeyState,
    };
  } catch (err) {
    if (classifyError(err) === 'access-denied') return { kind: 'denied' };
    if (errorName(err) === 'NotFoundException') return { kind: 'not-found' };
    throw err;
  }
}

const REQUIRED = 'SSE-KMS or DSSE-KMS with a customer-managed key is required';

function nonCompliant(annotation: string): EncryptionVerdict {
  return { complianceType: 'NON_COMPLIANT', annotation };
}

/**
 * The verdict on what was collected (pure). `key` is undefined when no KMS lookup was needed or
 * possible (no KMS algorithm, no key id, AWS managed alias).
 */
export function judgeEncryption(
  bucket: string,
  enc: DefaultEncryption | null,
  key: KeyFacts | undefined,
  allowedKeyArns: readonly string[] = [],
): EncryptionVerdict {
  if (!enc?.algorithm)
    return nonCompliant(`Bucket ${bucket} has no default encryption; ${REQUIRED}.`);
  if (!KMS_ALGORITHMS.has(enc.algorithm)) {
    return nonCompliant(`Bucket ${bucket} default encryption is ${enc.algorithm}; ${REQUIRED}.`);
  }
  if (!enc.kmsKeyId) {
    return nonCompliant(
      `Bucket ${bucket} uses ${enc.algorithm} with the AWS managed key aws/s3 (no KMSMasterKeyID); ${REQUIRED}.`,
    );
  }
  if (isAwsManagedAlias(enc.kmsKeyId)) {
    return nonCompliant(
      `Bucket ${bucket} uses ${enc.algorithm} with the AWS managed key ${enc.kmsKeyId}; ${REQUIRED}.`,
    );
  }
  if (!key || key.kind === 'denied') {
    return nonCompliant(
      `Bucket ${bucket}: cannot verify key ${enc.kmsKeyId} (kms:DescribeKey denied; a key in another account must allow it in its key policy).`,
    );
  }
  if (key.kind === 'not-found') {
    return nonCompliant(`Bucket ${bucket} names key ${enc.kmsKeyId}, which does not exist.`);
  }
  if (key.manager !== 'CUSTOMER') {
    return nonCompliant(`Bucket ${bucket} uses key ${key.arn}, which is AWS managed; ${REQUIRED}.`);
  }
  if (
    allowedKeyArns.length > 0 &&
    !allowedKeyArns.includes(key.arn) &&
    !allowedKeyArns.includes(enc.kmsKeyId)
  ) {
    return nonCompliant(
      `Bucket ${bucket} uses key ${key.arn}, which is not one of the allowed keys (kmsKeyArns).`,
    );
  }
  if (key.state && UNUSABLE_KEY_STATES.has(key.state)) {
    return nonCompliant(`Bucket ${bucket} uses key ${key.arn}, which is ${key.state}.`);
  }
  return {
    complianceType: 'COMPLIANT',
    annotation: `Bucket ${bucket} uses ${enc.algorithm} with customer-managed key ${key.arn}.`,
  };
}

/**
 * The key `judgeEncryption` needs described for `enc`, if any: a KMS algorithm naming a key that
 * is not an AWS managed alias.
 */
export function keyToDescribe(enc: DefaultEncryption | null): string | undefined {
  const keyId = enc?.kmsKeyId;
  return enc?.algorithm !== undefined &&
    KMS_ALGORITHMS.has(enc.algorithm) &&
    keyId !== undefined &&
    !isAwsManagedAlias(keyId)
    ? keyId
    : undefined;
}

/**
 * The verdict on `enc`, describing its key first when one is named (a customer key may be
 * missing, disabled, AWS managed or, with `allowedKeyArns`, not allowed).
 */
export async function judgeDefaultEncryption(
  bucket: string,
  enc: DefaultEncryption | null,
  kmsFor: (region: string) => KMSClient,
  bucketRegion: string,
  allowedKeyArns: readonly string[] = [],
): Promise<EncryptionVerdict> {
  const keyId = keyToDescribe(enc);
  const key =
    keyId !== undefined
      ? await describeKey(kmsFor(keyRegion(keyId, bucketRegion)), keyId)
      : undefined;
  return judgeEncryption(bucket, enc, key, allowedKeyArns);
}
