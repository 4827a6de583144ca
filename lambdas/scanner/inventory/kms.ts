/**
 * KMS collector, once per region: every key (ListKeys), each key's metadata (DescribeKey), its
 * automatic-rotation status where rotation applies (customer managed symmetric encryption keys
 * with KMS-generated material, not pending deletion) and the key policy of customer managed keys.
 *
 * IAM actions (resource scoping):
 * - `kms:ListKeys` — resource `*` (no resource-level permissions)
 * - `kms:DescribeKey`, `kms:GetKeyRotationStatus`, `kms:GetKeyPolicy` — key ARNs,
 *   `arn:aws:kms:*:<account>:key/*`
 */
import {
  DescribeKeyCommand,
  GetKeyPolicyCommand,
  GetKeyRotationStatusCommand,
  KMSClient,
  paginateListKeys,
} from '@aws-sdk/client-kms';
import { awsClient } from '../../shared/clients';
import { Collector, failedWith, isoDate } from './collector';
import type { RegionalCollector } from './index';
import type { KmsInventory, KmsKeyInventory, KmsKeyMetadata, PolicyDocument } from './types';

/** ListKeys accepts Limit up to 1000. */
const PAGE_SIZE = 1000;

/** Key states of a key scheduled for deletion (a multi-Region primary waits for its replicas). */
export const PENDING_DELETION_STATES = ['PendingDeletion', 'PendingReplicaDeletion'];

/**
 * Whether automatic rotation applies: KMS rotates only customer managed symmetric encryption keys
 * whose material KMS generated (not asymmetric, HMAC, imported or custom key store keys), and a
 * key scheduled for deletion can no longer have it enabled.
 */
export function rotationApplies(key: KmsKeyMetadata): boolean {
  return (
    key.keyManager === 'CUSTOMER' &&
    key.keySpec === 'SYMMETRIC_DEFAULT' &&
    key.keyUsage === 'ENCRYPT_DECRYPT' &&
    key.origin === 'AWS_KMS' &&
    !PENDING_DELETION_STATES.includes(key.keyState)
  );
}

export async function collectKms(c: Collector, region: string): Promise<KmsInventory> {
  const kms = awsClient(KMSClient, region);
  const listed = await c.list(
    { service: 'kms', region, operation: 'ListKeys' },
    () => paginateListKeys({ client: kms, pageSize: PAGE_SIZE }, {}),
    (page) =>
      (page.Keys ?? []).flatMap((k) =>
        k.KeyId && k.KeyArn ? [{ id: k.KeyId, arn: k.KeyArn }] : [],
      ),
  );
  const keys = await c.each(listed.items, async (k): Promise<KmsKeyInventory> => {
    const at = (operation: string) => ({
      service: 'kms' as const,
      region,
      operation,
      resourceUid: k.arn,
    });
    const metadata = await c.observe(at('DescribeKey'), async (): Promise<KmsKeyMetadata> => {
      const m = (await kms.send(new DescribeKeyCommand({ KeyId: k.arn }))).KeyMetadata;
      return {
        keyManager: m?.KeyManager ?? '',
        keyState: m?.KeyState ?? '',
        keySpec: m?.KeySpec ?? '',
        keyUsage: m?.KeyUsage ?? '',
        origin: m?.Origin ?? '',
        multiRegion: m?.MultiRegion === true,
        deletionDate: isoDate(m?.DeletionDate),
      };
    });
    if (!metadata.ok) {
      return {
        ...k,
        metadata,
        rotationEnabled: failedWith(metadata.error),
        policy: failedWith(metadata.error),
      };
    }
    const [rotationEnabled, policy] = await Promise.all([
      rotationApplies(metadata.value)
        ? c.observe(at('GetKeyRotationStatus'), async () => {
            const out = await kms.send(new GetKeyRotationStatusCommand({ KeyId: k.arn }));
            return out.KeyRotationEnabled === true;
          })
        : { ok: true as const, value: null },
      metadata.value.keyManager === 'CUSTOMER'
        ? c.observe(at('GetKeyPolicy'), async () => {
            const out = await kms.send(
              new GetKeyPolicyCommand({ KeyId: k.arn, PolicyName: 'default' }),
            );
            return JSON.parse(out.Policy ?? '{}') as PolicyDocument;
          })
        : { ok: true as const, value: null },
    ]);
    return { ...k, metadata, rotationEnabled, policy };
  });
  return { keys: { items: keys, error: listed.error } };
}

export const KMS_COLLECTOR: RegionalCollector<KmsInventory> = {
  service: 'kms',
  collect: collectKms,
  unreadable: (error) => ({ keys: { items: [], error } }),
};
