/**
 * Buckets of the synthetic account: a few profiles, compliant and not, each declaring what it is
 * (how exposed, how encrypted, logged, tagged) and the verdict every bucket check owes it. Public
 * read/write (S3.2 / S3.3) is declared as the channel that exposes the bucket (its policy or its
 * ACL); whether that exposure stands depends on the bucket's and the account's Block Public
 * Access, which is S3's rule, applied in `bucketExpect`.
 */
import {
  ALL_TAGS,
  OTHER_ACCOUNT,
  SOME_TAGS,
  cycle,
  pad,
  placement,
  type AccountContext,
  type Expect,
  type Status,
  type Tag,
} from './account-common';

export interface PublicAccessBlockSpec {
  readonly blockPublicAcls: boolean;
  readonly ignorePublicAcls: boolean;
  readonly blockPublicPolicy: boolean;
  readonly restrictPublicBuckets: boolean;
}

export const FULL_BLOCK: PublicAccessBlockSpec = {
  blockPublicAcls: true,
  ignorePublicAcls: true,
  blockPublicPolicy: true,
  restrictPublicBuckets: true,
};

/** Through what a bucket is public (before any Block Public Access). */
export type Channel = 'policy' | 'acl';

export interface BucketSpec {
  readonly name: string;
  readonly arn: string;
  readonly region: string;
  /** `null`: no bucket-level Block Public Access configuration (404). */
  readonly publicAccessBlock: PublicAccessBlockSpec | null;
  /** JSON policy text, or null (NoSuchBucketPolicy). */
  readonly policy: string | null;
  /** GetBucketPolicyStatus IsPublic (S3's own evaluation); null when there is no policy. */
  readonly policyIsPublic: boolean | null;
  readonly aclGrants: readonly { readonly uri?: string; readonly permission: string }[];
  /** null: OwnershipControlsNotFoundError. */
  readonly ownership: string | null;
  /** undefined: never enabled (empty VersioningConfiguration). */
  readonly versioning?: 'Enabled' | 'Suspended';
  /** null: ServerSideEncryptionConfigurationNotFoundError. */
  readonly encryption: { readonly algorithm: string; readonly keyId?: string } | null;
  /** null: NoSuchTagSet. */
  readonly tags: readonly Tag[] | null;
  /** Server access logging into the account's log bucket. */
  readonly logging: boolean;
  readonly publicRead?: Channel;
  readonly publicWrite?: Channel;
  /** Verdicts of every bucket check but S3.2 / S3.3 (see `bucketExpect`). */
  readonly expect: Expect;
}

export const LOG_TARGET_BUCKET = 'bench-access-logs';

function tlsOnlyPolicy(name: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'DenyInsecureTransport',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: [`arn:aws:s3:::${name}`, `arn:aws:s3:::${name}/*`],
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      },
    ],
  });
}

function policy(...statements: object[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

const ALL_USERS = 'http://acs.amazonaws.com/groups/global/AllUsers';
const AUTHENTICATED_USERS = 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers';
const OWNER_ONLY = [{ permission: 'FULL_CONTROL' }];

function expect(
  s3_8: Status,
  s3_5: Status,
  s3_14: Status,
  s3_17: Status,
  tags: Status,
  s3_6: Status,
  s3_9: Status,
  s3_12: Status,
  customerKey: Status,
): Expect {
  return {
    'S3.8': s3_8,
    'S3.5': s3_5,
    'S3.14': s3_14,
    'S3.17': s3_17,
    'S3.MandatoryTags': tags,
    'S3.6': s3_6,
    'S3.9': s3_9,
    'S3.12': s3_12,
    'S3.CustomerManagedKey': customerKey,
  };
}

type Profile = (
  name: string,
  key: (j: number) => string,
) => Omit<BucketSpec, 'name' | 'arn' | 'region'>;

/** Bucket profiles, picked by the bucket's index within its region. */
const BUCKET_PROFILES: readonly Profile[] = [
  // locked down: every check passes (SSE-KMS with the region's customer managed key 0)
  (name, key) => ({
    publicAccessBlock: FULL_BLOCK,
    policy: tlsOnlyPolicy(name),
    policyIsPublic: false,
    aclGrants: OWNER_ONLY,
    ownership: 'BucketOwnerEnforced',
    versioning: 'Enabled',
    encryption: { algorithm: 'aws:kms', keyId: key(0) },
    tags: ALL_TAGS,
    logging: true,
    expect: expect('PASS', 'PASS', 'PASS', 'PASS', 'PASS', 'PASS', 'PASS', 'PASS', 'PASS'),
  }),
  // a new bucket left at the defaults: no policy, never versioned, SSE-S3, untagged, not logged
  () => ({
    publicAccessBlock: FULL_BLOCK,
    policy: null,
    policyIsPublic: null,
    aclGrants: OWNER_ONLY,
    ownership: 'BucketOwnerEnforced',
    encryption: { algorithm: 'AES256' },
    tags: null,
    logging: false,
    expect: expect('PASS', 'FAIL', 'FAIL', 'FAIL', 'FAIL', 'PASS', 'FAIL', 'PASS', 'FAIL'),
  }),
  // public website: public-read policy, no block, versioning suspended, SSE-KMS with aws/s3
  (name) => ({
    publicAccessBlock: null,
    policy: policy({
      Effect: 'Allow',
      Principal: '*',
      Action: 's3:GetObject',
      Resource: `arn:aws:s3:::${name}/*`,
    }),
    policyIsPublic: true,
    aclGrants: OWNER_ONLY,
    ownership: 'BucketOwnerEnforced',
    versioning: 'Suspended',
    encryption: { algorithm: 'aws:kms' },
    tags: SOME_TAGS,
    logging: true,
    publicRead: 'policy',
    expect: expect('FAIL', 'FAIL', 'FAIL', 'PASS', 'FAIL', 'PASS', 'PASS', 'PASS', 'FAIL'),
  }),
  // legacy ACLs: AllUsers READ and AuthenticatedUsers WRITE, ACLs enabled, no block
  (_name, key) => ({
    publicAccessBlock: null,
    policy: null,
    policyIsPublic: null,
    aclGrants: [
      ...OWNER_ONLY,
      { uri: ALL_USERS, permission: 'READ' },
      { uri: AUTHENTICATED_USERS, permission: 'WRITE' },
    ],
    ownership: 'ObjectWriter',
    versioning: 'Enabled',
    encryption: { algorithm: 'aws:kms', keyId: key(0) },
    tags: ALL_TAGS,
    logging: false,
    publicRead: 'acl',
    publicWrite: 'acl',
    expect: expect('FAIL', 'FAIL', 'PASS', 'PASS', 'PASS', 'PASS', 'FAIL', 'FAIL', 'PASS'),
  }),
  // TLS-only and blocked but never versioned, no ownership controls (ACLs on, owner-only
  // grant), DSSE-KMS with the AWS managed key
  (name) => ({
    publicAccessBlock: FULL_BLOCK,
    policy: tlsOnlyPolicy(name),
    policyIsPublic: false,
    aclGrants: OWNER_ONLY,
    ownership: null,
    encryption: { algorithm: 'aws:kms:dsse', keyId: 'alias/aws/s3' },
    tags: ALL_TAGS,
    logging: true,
    expect: expect('PASS', 'PASS', 'FAIL', 'PASS', 'PASS', 'PASS', 'PASS', 'PASS', 'FAIL'),
  }),
  // shared with a partner account that may replace the bucket policy; encrypted with the
  // region's key 2, which is pending deletion
  (name, key) => ({
    publicAccessBlock: FULL_BLOCK,
    policy: policy({
      Sid: 'PartnerAccess',
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${OTHER_ACCOUNT}:root` },
      Action: ['s3:GetObject', 's3:PutBucketPolicy'],
      Resource: [`arn:aws:s3:::${name}`, `arn:aws:s3:::${name}/*`],
    }),
    policyIsPublic: false,
    aclGrants: OWNER_ONLY,
    ownership: 'BucketOwnerEnforced',
    versioning: 'Enabled',
    encryption: { algorithm: 'aws:kms', keyId: key(2) },
    tags: ALL_TAGS,
    logging: true,
    expect: expect('PASS', 'FAIL', 'PASS', 'PASS', 'PASS', 'FAIL', 'PASS', 'PASS', 'FAIL'),
  }),
  // public write that S3 calls public although the statement has a condition the scanner's
  // analysis takes as restricting (issue 8: S3.3 follows S3's policy status); a partial block
  // (new public policies and ACLs refused, existing ones not neutralised); no default encryption
  // configuration; only a system tag (aws: keys never count)
  (name) => ({
    publicAccessBlock: {
      blockPublicAcls: true,
      ignorePublicAcls: false,
      blockPublicPolicy: true,
      restrictPublicBuckets: false,
    },
    policy: policy({
      Sid: 'UploadsFromTheApp',
      Effect: 'Allow',
      Principal: '*',
      Action: ['s3:PutObject', 's3:PutObjectAcl'],
      Resource: `arn:aws:s3:::${name}/*`,
      Condition: { StringEquals: { 'aws:userid': 'AIDAEXAMPLEUSERID0000' } },
    }),
    policyIsPublic: true,
    aclGrants: OWNER_ONLY,
    ownership: 'ObjectWriter',
    versioning: 'Enabled',
    encryption: null,
    tags: [['aws:cloudformation:stack-name', 'bench-app']],
    logging: false,
    publicWrite: 'policy',
    expect: expect('FAIL', 'FAIL', 'PASS', 'FAIL', 'FAIL', 'FAIL', 'FAIL', 'PASS', 'FAIL'),
  }),
];

export const BUCKET_PROFILE_COUNT = BUCKET_PROFILES.length;

export function bucketName(i: number): string {
  return `bench-bucket-${pad(i)}`;
}

/** Bucket `i`: in region slot `i % regions`, profile by its index in that region. */
export function bucketSpec(ctx: AccountContext, i: number): BucketSpec {
  const { slot, j, region } = placement(ctx, i);
  const name = bucketName(i);
  const profile = cycle(BUCKET_PROFILES, j)(name, (k) => ctx.keyArn(slot, k));
  return { name, arn: `arn:aws:s3:::${name}`, region, ...profile };
}

/**
 * S3's rule for an existing exposure: RestrictPublicBuckets (bucket's or account's) neutralises a
 * public policy; IgnorePublicAcls (bucket's or account's) or BucketOwnerEnforced a public ACL.
 */
function stands(
  channel: Channel | undefined,
  b: BucketSpec,
  account: PublicAccessBlockSpec | null,
): boolean {
  if (channel === 'policy')
    return !(b.publicAccessBlock?.restrictPublicBuckets || account?.restrictPublicBuckets);
  if (channel === 'acl')
    return !(
      b.publicAccessBlock?.ignorePublicAcls ||
      account?.ignorePublicAcls ||
      b.ownership === 'BucketOwnerEnforced'
    );
  return false;
}

/** Every bucket check's verdict, given the account-level Block Public Access. */
export function bucketExpect(b: BucketSpec, account: PublicAccessBlockSpec | null): Expect {
  return {
    ...b.expect,
    'S3.2': stands(b.publicRead, b, account) ? 'FAIL' : 'PASS',
    'S3.3': stands(b.publicWrite, b, account) ? 'FAIL' : 'PASS',
  };
}
