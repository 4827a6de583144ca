/**
 * S3 collector: lists buckets once per account and reads every bucket's settings, whatever its
 * region, with a client in the bucket's own region. Account-level public access block comes from
 * S3 Control.
 *
 * IAM actions (resource scoping):
 * - `s3:ListAllMyBuckets` (ListBuckets) — resource `*` (no resource-level permissions)
 * - `s3:GetBucketLocation` (only when ListBuckets gives no BucketRegion) — `arn:aws:s3:::*`
 * - `s3:GetBucketPolicy`, `s3:GetBucketPolicyStatus`, `s3:GetBucketAcl`,
 *   `s3:GetBucketPublicAccessBlock` (GetPublicAccessBlock), `s3:GetBucketOwnershipControls`,
 *   `s3:GetBucketVersioning`, `s3:GetEncryptionConfiguration` (GetBucketEncryption),
 *   `s3:GetBucketTagging`, `s3:GetBucketLogging` — bucket ARNs, `arn:aws:s3:::*` to scan every bucket
 * - `s3:GetAccountPublicAccessBlock` (S3 Control GetPublicAccessBlock) — resource `*`
 * - the default-encryption keys: see ./s3-keys.ts
 */
import {
  GetBucketAclCommand,
  GetBucketEncryptionCommand,
  GetBucketLocationCommand,
  GetBucketLoggingCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  GetBucketPolicyStatusCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
  paginateListBuckets,
  S3Client,
  type Bucket,
  type PublicAccessBlockConfiguration,
} from '@aws-sdk/client-s3';
import {
  GetPublicAccessBlockCommand as GetAccountPublicAccessBlockCommand,
  S3ControlClient,
} from '@aws-sdk/client-s3-control';
import { awsClient } from '../../shared/clients';
import { regionFromLocation } from '../../shared/s3-location';

export { regionFromLocation };
import { Collector, failedWith, tagsFrom } from './collector';
import { describeBucketKeys, type BucketWithoutKey } from './s3-keys';
import type {
  AclGrant,
  CollectionError,
  PolicyDocument,
  PublicAccessBlock,
  S3Inventory,
  VersioningStatus,
} from './types';

/** Page size for ListBuckets; asking for one also makes S3 return each bucket's BucketRegion. */
const LIST_BUCKETS_PAGE_SIZE = 1000;

export function toPublicAccessBlock(
  c: PublicAccessBlockConfiguration | undefined,
): PublicAccessBlock {
  return {
    blockPublicAcls: c?.BlockPublicAcls === true,
    ignorePublicAcls: c?.IgnorePublicAcls === true,
    blockPublicPolicy: c?.BlockPublicPolicy === true,
    restrictPublicBuckets: c?.RestrictPublicBuckets === true,
  };
}

export async function collectS3(c: Collector, homeRegion: string): Promise<S3Inventory> {
  const s3Home = awsClient(S3Client, homeRegion);
  const [accountPublicAccessBlock, listed] = await Promise.all([
    c.observe(
      { service: 's3', region: homeRegion, operation: 'GetAccountPublicAccessBlock' },
      async () => {
        const control = awsClient(S3ControlClient, homeRegion);
        const out = await control.send(
          new GetAccountPublicAccessBlockCommand({ AccountId: c.account }),
        );
        return toPublicAccessBlock(out.PublicAccessBlockConfiguration);
      },
      { names: ['NoSuchPublicAccessBlockConfiguration'], value: null },
    ),
    c.list(
      { service: 's3', region: homeRegion, operation: 'ListBuckets' },
      () => paginateListBuckets({ client: s3Home, pageSize: LIST_BUCKETS_PAGE_SIZE }, {}),
      (page) => page.Buckets,
    ),
  ]);

  const located = await c.each(
    listed.items.filter((b): b is Bucket & { Name: string } => typeof b.Name === 'string'),
    (b) => locateBucket(c, s3Home, homeRegion, b),
  );
  const read = await c.each(located, async (b) =>
    'error' in b
      ? unreadableBucket(c, b.name, homeRegion, b.error)
      : readBucket(c, b.name, b.region),
  );
  const buckets = await describeBucketKeys(c, read);
  return { accountPublicAccessBlock, buckets: { items: buckets, error: listed.error } };
}

type Located = { name: string; region: string } | { name: string; error: CollectionError };

async function locateBucket(
  c: Collector,
  s3Home: S3Client,
  homeRegion: string,
  bucket: Bucket & { Name: string },
): Promise<Located> {
  if (bucket.BucketRegion) return { name: bucket.Name, region: bucket.BucketRegion };
  const location = await c.observe(
    {
      service: 's3',
      region: homeRegion,
      operation: 'GetBucketLocation',
      resourceUid: `arn:${c.partition}:s3:::${bucket.Name}`,
    },
    async () => {
      const out = await s3Home.send(new GetBucketLocationCommand({ Bucket: bucket.Name }));
      return regionFromLocation(out.LocationConstraint);
    },
  );
  return location.ok
    ? { name: bucket.Name, region: location.value }
    : { name: bucket.Name, error: location.error };
}

/** A bucket whose region could not be read: every setting is unknown for the same reason. */
function unreadableBucket(
  c: Collector,
  name: string,
  region: string,
  error: CollectionError,
): BucketWithoutKey {
  const failed = failedWith<never>(error);
  return {
    name,
    arn: `arn:${c.partition}:s3:::${name}`,
    region,
    policy: failed,
    policyIsPublic: failed,
    acl: failed,
    publicAccessBlock: failed,
    objectOwnership: failed,
    versioning: failed,
    logging: failed,
    encryption: failed,
    tags: failed,
  };
}

async function readBucket(c: Collector, name: string, region: string): Promise<BucketWithoutKey> {
  const s3 = awsClient(S3Client, region);
  const arn = `arn:${c.partition}:s3:::${name}`;
  const at = (operation: string) => ({
    service: 's3' as const,
    region,
    operation,
    resourceUid: arn,
  });

  const [
    policy,
    policyIsPublic,
    acl,
    publicAccessBlock,
    objectOwnership,
    versioning,
    logging,
    encryption,
    tags,
  ] = await Promise.all([
    c.observe(
      at('GetBucketPolicy'),
      async (): Promise<PolicyDocument | null> => {
        const out = await s3.send(new GetBucketPolicyCommand({ Bucket: name }));
        return out.Policy ? (JSON.parse(out.Policy) as PolicyDocument) : null;
      },
      { names: ['NoSuchBucketPolicy'], value: null },
    ),
    c.observe(
      at('GetBucketPolicyStatus'),
      async (): Promise<boolean | null> => {
        const out = await s3.send(new GetBucketPolicyStatusCommand({ Bucket: name }));
        return out.PolicyStatus?.IsPublic ?? null;
      },
      { names: ['NoSuchBucketPolicy'], value: null },
    ),
    c.observe(at('GetBucketAcl'), async (): Promise<AclGrant[]> => {
      const out = await s3.send(new GetBucketAclCommand({ Bucket: name }));
      return (out.Grants ?? []).map((g) => ({
        grantee: g.Grantee?.URI ?? g.Grantee?.ID ?? g.Grantee?.EmailAddress ?? '',
        granteeType: g.Grantee?.Type ?? '',
        isOwner: g.Grantee?.ID !== undefined && g.Grantee.ID === out.Owner?.ID,
        permission: g.Permission ?? '',
      }));
    }),
    c.observe(
      at('GetPublicAccessBlock'),
      async (): Promise<PublicAccessBlock | null> => {
        const out = await s3.send(new GetPublicAccessBlockCommand({ Bucket: name }));
        return toPublicAccessBlock(out.PublicAccessBlockConfiguration);
      },
      { names: ['NoSuchPublicAccessBlockConfiguration'], value: null },
    ),
    c.observe(
      at('GetBucketOwnershipControls'),
      async (): Promise<string | null> => {
        const out = await s3.send(new GetBucketOwnershipControlsCommand({ Bucket: name }));
        return out.OwnershipControls?.Rules?.[0]?.ObjectOwnership ?? null;
      },
      { names: ['OwnershipControlsNotFoundError'], value: null },
    ),
    c.observe(at('GetBucketVersioning'), async (): Promise<VersioningStatus> => {
      const out = await s3.send(new GetBucketVersioningCommand({ Bucket: name }));
      return out.Status === 'Enabled' || out.Status === 'Suspended' ? out.Status : 'Never';
    }),
    c.observe(at('GetBucketLogging'), async () => {
      const out = await s3.send(new GetBucketLoggingCommand({ Bucket: name }));
      const target = out.LoggingEnabled;
      return target?.TargetBucket
        ? { targetBucket: target.TargetBucket, targetPrefix: target.TargetPrefix }
        : null;
    }),
    c.observe(
      at('GetBucketEncryption'),
      async () => {
        const out = await s3.send(new GetBucketEncryptionCommand({ Bucket: name }));
        return (out.ServerSideEncryptionConfiguration?.Rules ?? []).map((r) => ({
          algorithm: r.ApplyServerSideEncryptionByDefault?.SSEAlgorithm ?? '',
          kmsKeyId: r.ApplyServerSideEncryptionByDefault?.KMSMasterKeyID,
          bucketKeyEnabled: r.BucketKeyEnabled,
        }));
      },
      { names: ['ServerSideEncryptionConfigurationNotFoundError'], value: null },
    ),
    c.observe(
      at('GetBucketTagging'),
      async () => {
        const out = await s3.send(new GetBucketTaggingCommand({ Bucket: name }));
        return tagsFrom(out.TagSet);
      },
      { names: ['NoSuchTagSet'], value: {} },
    ),
  ]);
  return {
    name,
    arn,
    region,
    policy,
    policyIsPublic,
    acl,
    publicAccessBlock,
    objectOwnership,
    versioning,
    logging,
    encryption,
    tags,
  };
}
