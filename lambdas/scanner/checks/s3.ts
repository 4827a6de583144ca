/**
 * S3 checks: account and bucket public access blocks (S3.1, S3.8), public read/write through
 * policy or ACL (S3.2, S3.3), TLS-only policy (S3.5), versioning (S3.14), SSE-KMS default
 * encryption (S3.17).
 *
 * Public-access semantics follow S3's: RestrictPublicBuckets neutralises a public bucket policy,
 * IgnorePublicAcls (or ObjectOwnership BucketOwnerEnforced, which disables ACLs) neutralises
 * public ACL grants, each from the bucket's or the account's block. BlockPublicPolicy and
 * BlockPublicAcls only refuse *new* public policies/ACLs, so on their own they do not clear an
 * existing exposure. GetBucketPolicyStatus IsPublic (S3's own evaluation) is the second signal:
 * when readable it decides whether the policy is public; our statement analysis says read or write
 * (and when S3 says public, a wildcard-principal statement allowing a write is a public write
 * whatever its condition). S3.8 judges the bucket's own block only: the account's is S3.1's.
 */
import type { FindingResource } from '../../shared/findings';
import { KMS_ALGORITHMS } from '../../shared/s3-default-encryption';
import type {
  BucketInventory,
  CollectionError,
  Inventory,
  Observed,
  PublicAccessBlock,
} from '../inventory/types';
import {
  enforcesTls,
  publicAclExposure,
  publicPolicyExposure,
  wildcardPrincipalWrites,
} from './s3-policy';
import { defineCheck, resource, tagsOf, type CheckMetadata, type FindingBuilder } from './types';

const BUCKET = 'AWS::S3::Bucket';
const SH_DOCS = 'https://docs.aws.amazon.com/securityhub/latest/userguide/s3-controls.html';
const BPA_DOCS =
  'https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html';

const FLAG_NAMES: Record<keyof PublicAccessBlock, string> = {
  blockPublicAcls: 'BlockPublicAcls',
  ignorePublicAcls: 'IgnorePublicAcls',
  blockPublicPolicy: 'BlockPublicPolicy',
  restrictPublicBuckets: 'RestrictPublicBuckets',
};
const FLAGS = Object.keys(FLAG_NAMES) as (keyof PublicAccessBlock)[];

type Known<T> = { known: true; value: T } | { known: false; error: CollectionError };

/** A block flag in effect from the bucket's or the account's configuration. */
export function blockFlag(
  bucket: Observed<PublicAccessBlock | null>,
  account: Observed<PublicAccessBlock | null>,
  flag: keyof PublicAccessBlock,
): Known<boolean> {
  if (bucket.ok && bucket.value?.[flag]) return { known: true, value: true };
  if (account.ok && account.value?.[flag]) return { known: true, value: true };
  if (!bucket.ok) return { known: false, error: bucket.error };
  if (!account.ok) return { known: false, error: account.error };
  return { known: true, value: false };
}

interface Unknown {
  readonly what: string;
  readonly error: CollectionError;
  readonly read: boolean;
  readonly write: boolean;
}

export interface BucketExposure {
  readonly read: string[];
  readonly write: string[];
  /** What could not be established, and for which direction. */
  readonly unknown: Unknown[];
}

/** Public read/write exposure of a bucket after its and the account's public access blocks. */
export function bucketExposure(
  b: BucketInventory,
  accountBlock: Observed<PublicAccessBlock | null>,
): BucketExposure {
  const read: string[] = [];
  const write: string[] = [];
  const unknown: Unknown[] = [];

  const restrict = blockFlag(b.publicAccessBlock, accountBlock, 'restrictPublicBuckets');
  if (!(restrict.known && restrict.value)) {
    if (!b.policy.ok) {
      unknown.push({ what: 'the bucket policy', error: b.policy.error, read: true, write: true });
    } else {
      const analysis = publicPolicyExposure(b.policy.value);
      let r = analysis.read.map((l) => `policy statement ${l}`);
      let w = analysis.write.map((l) => `policy statement ${l}`);
      if (b.policyIsPublic.ok && b.policyIsPublic.value === false) {
        r = [];
        w = [];
      } else if (b.policyIsPublic.ok && b.policyIsPublic.value === true) {
        if (w.length === 0) {
          w = wildcardPrincipalWrites(b.policy.value).map(
            (l) =>
              `policy statement ${l} (S3 policy status: public; its condition does not restrict it)`,
          );
        }
        if (r.length + w.length === 0) r = ['the bucket policy (S3 policy status: public)'];
      }
      if (restrict.known) {
        read.push(...r);
        write.push(...w);
      } else if (r.length + w.length > 0) {
        unknown.push({
          what: `whether RestrictPublicBuckets neutralises ${[...r, ...w].join(', ')}`,
          error: restrict.error,
          read: r.length > 0,
          write: w.length > 0,
        });
      }
    }
  }

  const aclsDisabled = b.objectOwnership.ok && b.objectOwnership.value === 'BucketOwnerEnforced';
  const ignore = blockFlag(b.publicAccessBlock, accountBlock, 'ignorePublicAcls');
  if (!aclsDisabled && !(ignore.known && ignore.value)) {
    if (!b.acl.ok) {
      unknown.push({ what: 'the bucket ACL', error: b.acl.error, read: true, write: true });
    } else {
      const acl = publicAclExposure(b.acl.value);
      const r = acl.read.map((l) => `ACL grant ${l}`);
      const w = acl.write.map((l) => `ACL grant ${l}`);
      if (ignore.known) {
        read.push(...r);
        write.push(...w);
      } else if (r.length + w.length > 0) {
        unknown.push({
          what: `whether IgnorePublicAcls neutralises ${[...r, ...w].join(', ')}`,
          error: ignore.error,
          read: r.length > 0,
          write: w.length > 0,
        });
      }
    }
  }
  return { read, write, unknown };
}

export function eachBucket(
  b: FindingBuilder,
  inv: Inventory,
  check: CheckMetadata,
  evaluate: (bucket: BucketInventory, res: FindingResource) => void,
): void {
  for (const bucket of inv.s3.buckets.items) {
    evaluate(bucket, resource(check, bucket.arn, bucket.region, bucket.name, tagsOf(bucket.tags)));
  }
  b.listError(
    inv.s3.buckets,
    b.scope('s3', inv.homeRegion, 'S3 buckets'),
    'the buckets that were not listed',
  );
}

export function disabledFlags(pab: PublicAccessBlock): string[] {
  return FLAGS.filter((f) => !pab[f]).map((f) => FLAG_NAMES[f]);
}

const s3_1: CheckMetadata = {
  id: 'S3.1',
  title:
    'S3 general purpose buckets should have block public access settings enabled (account level)',
  severity: 'medium',
  securityHubId: 'S3.1',
  cis: { v5: ['2.1.4'], v3: ['2.1.4'] },
  resourceType: 'AWS::::Account',
  reads: ['s3:GetAccountPublicAccessBlock'],
  docs: `${SH_DOCS}#s3-1`,
  remediation: {
    desc: 'Turn on all four S3 Block Public Access settings for the account (S3 console > Block Public Access settings for this account, or `aws s3control put-public-access-block`).',
    references: [
      `${SH_DOCS}#s3-1`,
      'https://docs.aws.amazon.com/AmazonS3/latest/userguide/configuring-block-public-access-account.html',
    ],
  },
  prowlerCheckIds: ['s3_account_level_public_access_blocks'],
};
export const accountPublicAccessBlock = defineCheck(s3_1, (b, inv) => {
  const res = b.account(inv.homeRegion);
  const pab = inv.s3.accountPublicAccessBlock;
  if (!pab.ok) return b.error(res, 'the account-level public access block', pab.error);
  if (pab.value === null)
    return b.fail(
      res,
      `Account ${inv.account} has no account-level S3 Block Public Access configuration.`,
    );
  const off = disabledFlags(pab.value);
  if (off.length === 0)
    return b.pass(
      res,
      `Account ${inv.account} blocks public access to S3 with all four account-level settings.`,
    );
  b.fail(
    res,
    `Account ${inv.account} has account-level S3 Block Public Access settings off: ${off.join(', ')}.`,
  );
});

const s3_8: CheckMetadata = {
  id: 'S3.8',
  title: 'S3 general purpose buckets should block public access',
  severity: 'high',
  securityHubId: 'S3.8',
  cis: { v5: ['2.1.4'], v3: ['2.1.4'] },
  resourceType: BUCKET,
  reads: ['s3:ListAllMyBuckets', 's3:GetBucketPublicAccessBlock'],
  docs: `${SH_DOCS}#s3-8`,
  remediation: {
    desc: "Turn on all four Block Public Access settings on the bucket itself (the account-level block is S3.1's and does not count here): `aws s3api put-public-access-block --bucket <name> --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true`.",
    references: [`${SH_DOCS}#s3-8`, BPA_DOCS],
  },
  prowlerCheckIds: ['s3_bucket_level_public_access_block'],
};
export const bucketPublicAccessBlock = defineCheck(s3_8, (b, inv) =>
  eachBucket(b, inv, s3_8, (bucket, res) => {
    const pab = bucket.publicAccessBlock;
    if (!pab.ok) return b.error(res, `bucket ${bucket.name}'s public access block`, pab.error);
    if (pab.value === null) {
      return b.fail(
        res,
        `Bucket ${bucket.name} has no Block Public Access configuration of its own (an account-level block does not count for S3.8).`,
      );
    }
    const off = disabledFlags(pab.value);
    if (off.length > 0) {
      return b.fail(
        res,
        `Bucket ${bucket.name} does not block public access at bucket level: ${off.join(', ')} off.`,
      );
    }
    b.pass(res, `Bucket ${bucket.name} blocks public access with all four bucket-level settings.`);
  }),
);

/** What S3.2 and S3.3 read: the policy and its status, the ACL, ownership and both blocks. */
const EXPOSURE_READS = [
  's3:ListAllMyBuckets',
  's3:GetBucketPolicy',
  's3:GetBucketPolicyStatus',
  's3:GetBucketAcl',
  's3:GetBucketPublicAccessBlock',
  's3:GetBucketOwnershipControls',
  's3:GetAccountPublicAccessBlock',
];

function exposureCheck(meta: CheckMetadata, direction: 'read' | 'write') {
  return defineCheck(meta, (b, inv) =>
    eachBucket(b, inv, meta, (bucket, res) => {
      const e = bucketExposure(bucket, inv.s3.accountPublicAccessBlock);
      const found = e[direction];
      if (found.length > 0) {
        return b.fail(
          res,
          `Bucket ${bucket.name} allows public ${direction} access through ${found.join(', ')}.`,
        );
      }
      const unknown = e.unknown.find((u) => u[direction]);
      if (unknown)
        return b.error(
          res,
          `public ${direction} access of bucket ${bucket.name} (${unknown.what})`,
          unknown.error,
        );
      b.pass(
        res,
        `Bucket ${bucket.name} allows no public ${direction} access through its policy or ACL.`,
      );
    }),
  );
}

export const publicRead = exposureCheck(
  {
    id: 'S3.2',
    title: 'S3 general purpose buckets should block public read access',
    severity: 'critical',
    securityHubId: 'S3.2',
    resourceType: BUCKET,
    reads: EXPOSURE_READS,
    docs: `${SH_DOCS}#s3-2`,
    remediation: {
      desc: 'Remove bucket-policy statements that allow s3:GetObject/ListBucket to "*" without a restricting condition and ACL grants to AllUsers/AuthenticatedUsers, or turn on RestrictPublicBuckets and IgnorePublicAcls.',
      references: [`${SH_DOCS}#s3-2`, BPA_DOCS],
    },
    prowlerCheckIds: ['s3_bucket_public_access'],
  },
  'read',
);

export const publicWrite = exposureCheck(
  {
    id: 'S3.3',
    title: 'S3 general purpose buckets should block public write access',
    severity: 'critical',
    securityHubId: 'S3.3',
    resourceType: BUCKET,
    reads: EXPOSURE_READS,
    docs: `${SH_DOCS}#s3-3`,
    remediation: {
      desc: 'Remove bucket-policy statements that allow writes (s3:PutObject, s3:DeleteObject, s3:Put*Acl, …) to "*" without a restricting condition and WRITE/WRITE_ACP/FULL_CONTROL grants to AllUsers/AuthenticatedUsers, or turn on RestrictPublicBuckets and IgnorePublicAcls.',
      references: [`${SH_DOCS}#s3-3`, BPA_DOCS],
    },
    prowlerCheckIds: ['s3_bucket_policy_public_write_access'],
  },
  'write',
);

const s3_5: CheckMetadata = {
  id: 'S3.5',
  title: 'S3 general purpose buckets should require requests to use SSL',
  severity: 'medium',
  securityHubId: 'S3.5',
  cis: { v5: ['2.1.1'], v3: ['2.1.1'] },
  resourceType: BUCKET,
  reads: ['s3:ListAllMyBuckets', 's3:GetBucketPolicy'],
  docs: `${SH_DOCS}#s3-5`,
  remediation: {
    desc: 'Add a bucket-policy statement: Effect Deny, Principal "*", Action "s3:*", Resource [bucket ARN, bucket ARN/*], Condition {"Bool": {"aws:SecureTransport": "false"}}.',
    references: [
      `${SH_DOCS}#s3-5`,
      'https://repost.aws/knowledge-center/s3-bucket-policy-for-config-rule',
    ],
  },
  prowlerCheckIds: ['s3_bucket_secure_transport_policy'],
};
export const tlsOnly = defineCheck(s3_5, (b, inv) =>
  eachBucket(b, inv, s3_5, (bucket, res) => {
    if (!bucket.policy.ok)
      return b.error(res, `bucket ${bucket.name}'s policy`, bucket.policy.error);
    if (bucket.policy.value === null)
      return b.fail(
        res,
        `Bucket ${bucket.name} has no bucket policy, so plain-HTTP requests are not denied.`,
      );
    if (enforcesTls(bucket.policy.value, bucket.arn)) {
      return b.pass(
        res,
        `Bucket ${bucket.name}'s policy denies requests without TLS (aws:SecureTransport false) on the bucket and its objects.`,
      );
    }
    b.fail(
      res,
      `Bucket ${bucket.name}'s policy does not deny s3:* requests with aws:SecureTransport false on both the bucket and its objects.`,
    );
  }),
);

const s3_14: CheckMetadata = {
  id: 'S3.14',
  title: 'S3 general purpose buckets should have versioning enabled',
  severity: 'low',
  securityHubId: 'S3.14',
  resourceType: BUCKET,
  reads: ['s3:ListAllMyBuckets', 's3:GetBucketVersioning'],
  docs: `${SH_DOCS}#s3-14`,
  remediation: {
    desc: 'Enable versioning: `aws s3api put-bucket-versioning --bucket <name> --versioning-configuration Status=Enabled`.',
    references: [
      `${SH_DOCS}#s3-14`,
      'https://docs.aws.amazon.com/AmazonS3/latest/userguide/Versioning.html',
    ],
  },
  prowlerCheckIds: ['s3_bucket_object_versioning'],
};
export const versioning = defineCheck(s3_14, (b, inv) =>
  eachBucket(b, inv, s3_14, (bucket, res) => {
    if (!bucket.versioning.ok)
      return b.error(res, `bucket ${bucket.name}'s versioning`, bucket.versioning.error);
    if (bucket.versioning.value === 'Enabled')
      return b.pass(res, `Bucket ${bucket.name} has versioning enabled.`);
    b.fail(
      res,
      bucket.versioning.value === 'Suspended'
        ? `Bucket ${bucket.name} has versioning suspended.`
        : `Bucket ${bucket.name} has never had versioning enabled.`,
    );
  }),
);

const s3_17: CheckMetadata = {
  id: 'S3.17',
  title: 'S3 general purpose buckets should be encrypted at rest with AWS KMS keys',
  severity: 'medium',
  securityHubId: 'S3.17',
  resourceType: BUCKET,
  reads: ['s3:ListAllMyBuckets', 's3:GetEncryptionConfiguration'],
  docs: `${SH_DOCS}#s3-17`,
  remediation: {
    desc: 'Set default encryption to SSE-KMS (aws:kms, bucket key on) or DSSE-KMS: `aws s3api put-bucket-encryption`. Any KMS key passes here, the AWS managed aws/s3 included; the project also requires a customer-managed key (S3.CustomerManagedKey), which the remediation function sets when enabled.',
    references: [
      `${SH_DOCS}#s3-17`,
      'https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html',
    ],
  },
  prowlerCheckIds: ['s3_bucket_kms_encryption'],
};
export const kmsEncryption = defineCheck(s3_17, (b, inv) =>
  eachBucket(b, inv, s3_17, (bucket, res) => {
    if (!bucket.encryption.ok)
      return b.error(res, `bucket ${bucket.name}'s default encryption`, bucket.encryption.error);
    const rules = bucket.encryption.value;
    if (rules === null || rules.length === 0) {
      return b.fail(
        res,
        `Bucket ${bucket.name} has no default-encryption configuration of its own (S3 applies SSE-S3, not SSE-KMS).`,
      );
    }
    const kms = rules.find((r) => KMS_ALGORITHMS.has(r.algorithm));
    if (kms)
      return b.pass(
        res,
        `Bucket ${bucket.name} encrypts new objects with ${kms.algorithm}${kms.kmsKeyId ? ` (key ${kms.kmsKeyId})` : ''}.`,
      );
    b.fail(
      res,
      `Bucket ${bucket.name} encrypts new objects with ${rules.map((r) => r.algorithm || 'an unknown algorithm').join(', ')}, not SSE-KMS.`,
    );
  }),
);

export const S3_CHECKS = [
  accountPublicAccessBlock,
  bucketPublicAccessBlock,
  publicRead,
  publicWrite,
  tlsOnly,
  versioning,
  kmsEncryption,
];
