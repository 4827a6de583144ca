/**
 * The KMS keys buckets name for default encryption, each distinct key described once per scan with
 * the shared `describeKey` (shared/s3-default-encryption.ts), so that S3.CustomerManagedKey
 * reaches the verdict the Config rule config-rule-s3-encryption and remediation reach.
 *
 * IAM actions (resource scoping):
 * - `kms:DescribeKey` — `arn:aws:kms:*:*:key/*` (a bucket may name a key of another account or
 *   Region; such a key's policy must also allow it, else the shared judge says "cannot verify")
 */
import { KMSClient } from '@aws-sdk/client-kms';
import { awsClient } from '../../shared/clients';
import {
  describeKey,
  keyRegion,
  keyToDescribe,
  type DefaultEncryption,
  type KeyFacts,
} from '../../shared/s3-default-encryption';
import { Collector, failedWith } from './collector';
import type { BucketInventory, EncryptionRule, Observed } from './types';

/** The rule S3 applies by default (the first with an algorithm), as the Config rule reads it. */
export function defaultEncryptionOf(
  rules: readonly EncryptionRule[] | null,
): DefaultEncryption | null {
  const rule = rules?.find((r) => r.algorithm !== '');
  return rule
    ? {
        algorithm: rule.algorithm,
        kmsKeyId: rule.kmsKeyId,
        bucketKeyEnabled: rule.bucketKeyEnabled,
      }
    : null;
}

type Lookup = { readonly keyId: string; readonly region: string };

function lookupOf(bucket: BucketWithoutKey): Lookup | undefined {
  if (!bucket.encryption.ok) return undefined;
  const keyId = keyToDescribe(defaultEncryptionOf(bucket.encryption.value));
  return keyId === undefined ? undefined : { keyId, region: keyRegion(keyId, bucket.region) };
}

const lookupId = (l: Lookup): string => `${l.region} ${l.keyId}`;

/** Buckets read without their encryption key. */
export type BucketWithoutKey = Omit<BucketInventory, 'encryptionKey'>;

/** `buckets` with `encryptionKey` filled in. */
export async function describeBucketKeys(
  c: Collector,
  buckets: readonly BucketWithoutKey[],
): Promise<BucketInventory[]> {
  const wanted = new Map<string, Lookup>();
  for (const b of buckets) {
    const l = lookupOf(b);
    if (l) wanted.set(lookupId(l), l);
  }
  const described = new Map(
    await c.each([...wanted.values()], async (l) => {
      const facts = await c.observe(
        { service: 'kms', region: l.region, operation: 'DescribeKey', resourceUid: l.keyId },
        () => describeKey(awsClient(KMSClient, l.region), l.keyId),
      );
      return [lookupId(l), facts] as const;
    }),
  );
  return buckets.map((b): BucketInventory => {
    if (!b.encryption.ok) return { ...b, encryptionKey: failedWith(b.encryption.error) };
    const l = lookupOf(b);
    const key: Observed<KeyFacts | null> = l
      ? described.get(lookupId(l))!
      : { ok: true, value: null };
    return { ...b, encryptionKey: key };
  });
}
