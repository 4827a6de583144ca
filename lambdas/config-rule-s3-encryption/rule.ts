/**
 * Config custom rule `config-rule-s3-encryption` (AWS::S3::Bucket, change-triggered).
 *
 * COMPLIANT only when the bucket's default encryption is SSE-KMS (`aws:kms`) or DSSE-KMS
 * (`aws:kms:dsse`) with a customer-managed KMS key (KeyManager CUSTOMER) that is not disabled or
 * pending deletion, and — when the `kmsKeyArns` parameter (comma list of key ARNs) is set — one
 * of those keys. SSE-S3, no KMSMasterKeyID (S3 then uses the AWS managed key aws/s3) or an
 * `alias/aws/…` key are NON_COMPLIANT without calling KMS.
 *
 * A key that cannot be described (DescribeKey denied: typically a key in another account whose
 * key policy does not grant this role) is NON_COMPLIANT with a "cannot verify key" annotation:
 * custom rules may not report INSUFFICIENT_DATA, and COMPLIANT would be an unproven claim.
 * Only the bucket's changes trigger this rule: a key disabled later is seen at the next change.
 *
 * IAM actions:
 *   s3:GetEncryptionConfiguration  arn:aws:s3:::*  (only when the item lacks the supplementary
 *                                                   ServerSideEncryptionConfiguration)
 *   kms:DescribeKey                arn:aws:kms:*:*:key/*  (any key a bucket may name; keys in
 *                                                   other accounts must also allow it in their
 *                                                   key policy)
 */
import { DescribeKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { GetBucketEncryptionCommand, S3Client } from '@aws-sdk/client-s3';
import { awsClient } from '../shared/clients';
import type { ConfigItem, ConfigRule, RuleResult } from '../shared/config-rule';
import { classifyError, errorName, isNotFound } from '../shared/errors';
import { MalformedEventError } from '../shared/observability';

export const RESOURCE_TYPE = 'AWS::S3::Bucket';
const KMS_ALGORITHMS = new Set(['aws:kms', 'aws:kms:dsse']);
/** States in which a key cannot encrypt new objects. */
const UNUSABLE_KEY_STATES = new Set(['Disabled', 'PendingDeletion', 'PendingReplicaDeletion']);
const KMS_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key|alias)\/.+$/;

export interface S3EncryptionParams {
  /** Allowed key ARNs; empty = any customer-managed key. */
  readonly kmsKeyArns: readonly string[];
}

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

export interface S3EncryptionClients {
  s3(region: string): S3Client;
  kms(region: string): KMSClient;
}

export function parseParameters(raw: Readonly<Record<string, string>>): S3EncryptionParams {
  const list = (raw.kmsKeyArns ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  const bad = list.find((arn) => !KMS_ARN.test(arn));
  if (bad !== undefined) {
    throw new MalformedEventError(
      `Rule parameter kmsKeyArns must be a comma list of KMS key ARNs, got "${bad}"`,
    );
  }
  return { kmsKeyArns: list };
}

/**
 * First default-encryption rule from the Config item's supplementary configuration; undefined
 * when the item does not carry it (the caller then asks S3).
 */
export function encryptionFromItem(item: ConfigItem): DefaultEncryption | null | undefined {
  const sse = item.supplementaryConfiguration.ServerSideEncryptionConfiguration as {
    rules?: Array<{
      applyServerSideEncryptionByDefault?: {
        sseAlgorithm?: string;
        kmsMasterKeyID?: string | null;
      };
      bucketKeyEnabled?: boolean | null;
    }>;
  } | null;
  // A null value means Config did not capture it (every bucket has default encryption since
  // January 2023): ask S3 instead of judging "no encryption".
  if (sse === null || sse === undefined) return undefined;
  const rule = sse.rules?.find((r) => r.applyServerSideEncryptionByDefault);
  if (!rule?.applyServerSideEncryptionByDefault) return null;
  return {
    algorithm: rule.applyServerSideEncryptionByDefault.sseAlgorithm,
    kmsKeyId: rule.applyServerSideEncryptionByDefault.kmsMasterKeyID ?? undefined,
    bucketKeyEnabled: rule.bucketKeyEnabled ?? undefined,
  };
}

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

function nonCompliant(annotation: string): RuleResult {
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
  params: S3EncryptionParams,
): RuleResult {
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
    params.kmsKeyArns.length > 0 &&
    !params.kmsKeyArns.includes(key.arn) &&
    !params.kmsKeyArns.includes(enc.kmsKeyId)
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

export async function evaluateBucket(
  item: ConfigItem,
  params: S3EncryptionParams,
  clients: S3EncryptionClients,
): Promise<RuleResult> {
  const bucket = item.resourceName ?? item.resourceId;
  const fromItem = encryptionFromItem(item);
  const enc =
    fromItem === undefined ? await encryptionFromApi(clients.s3(item.awsRegion), bucket) : fromItem;
  const needsKey =
    enc?.algorithm !== undefined &&
    KMS_ALGORITHMS.has(enc.algorithm) &&
    enc.kmsKeyId !== undefined &&
    !isAwsManagedAlias(enc.kmsKeyId);
  const key = needsKey
    ? await describeKey(clients.kms(keyRegion(enc.kmsKeyId!, item.awsRegion)), enc.kmsKeyId!)
    : undefined;
  return judgeEncryption(bucket, enc, key, params);
}

export const s3EncryptionRule: ConfigRule<S3EncryptionParams, S3EncryptionClients> = {
  name: 'config-rule-s3-encryption',
  resourceTypes: [RESOURCE_TYPE],
  parseParameters,
  clients: () => ({
    s3: (region) => awsClient(S3Client, region),
    kms: (region) => awsClient(KMSClient, region),
  }),
  evaluate: evaluateBucket,
};
