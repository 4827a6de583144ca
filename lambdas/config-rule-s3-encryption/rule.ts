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
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { awsClient } from '../shared/clients';
import type { ConfigItem, ConfigRule, RuleResult } from '../shared/config-rule';
import { MalformedEventError } from '../shared/observability';
import {
  encryptionFromApi,
  judgeDefaultEncryption,
  type DefaultEncryption,
} from '../shared/s3-default-encryption';

export {
  describeKey,
  encryptionFromApi,
  isAwsManagedAlias,
  judgeEncryption,
  keyRegion,
  type DefaultEncryption,
  type KeyFacts,
} from '../shared/s3-default-encryption';

export const RESOURCE_TYPE = 'AWS::S3::Bucket';
const KMS_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key|alias)\/.+$/;

export interface S3EncryptionParams {
  /** Allowed key ARNs; empty = any customer-managed key. */
  readonly kmsKeyArns: readonly string[];
}

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

export async function evaluateBucket(
  item: ConfigItem,
  params: S3EncryptionParams,
  clients: S3EncryptionClients,
): Promise<RuleResult> {
  const bucket = item.resourceName ?? item.resourceId;
  const fromItem = encryptionFromItem(item);
  const enc =
    fromItem === undefined ? await encryptionFromApi(clients.s3(item.awsRegion), bucket) : fromItem;
  return judgeDefaultEncryption(bucket, enc, clients.kms, item.awsRegion, params.kmsKeyArns);
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
