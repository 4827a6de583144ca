/**
 * Regional resources of the other services of the synthetic account: Lambda functions, KMS keys,
 * RDS DB instances, EFS file systems and S3 access points, each profile declaring its verdicts.
 */
import {
  ALL_TAGS,
  OTHER_ACCOUNT,
  SOME_TAGS,
  cycle,
  hex,
  pad,
  placement,
  type AccountContext,
  type Expect,
  type Status,
  type Tag,
} from './account-common';
import { FULL_BLOCK, type PublicAccessBlockSpec } from './account-s3';

// ---------------------------------------------------------------------------------- Lambda

export interface FunctionSpec {
  readonly name: string;
  readonly arn: string;
  readonly region: string;
  readonly tracing: 'Active' | 'PassThrough';
  /** undefined: no reserved concurrency. */
  readonly reserved?: number;
  /** undefined for a container image function (no managed runtime). */
  readonly runtime?: string;
  /** Resource-based policy statements; undefined: no policy (ResourceNotFoundException). */
  readonly policy?: readonly object[];
  readonly tags: readonly Tag[];
  readonly expect: Expect;
}

function fnExpect(
  reserved: Status,
  tracing: Status,
  tags: Status,
  publicPolicy: Status,
  runtime?: Status,
): Expect {
  return {
    'Lambda.ReservedConcurrency': reserved,
    'Lambda.7': tracing,
    'Lambda.6': tags,
    'Lambda.1': publicPolicy,
    ...(runtime ? { 'Lambda.2': runtime } : {}),
  };
}

const invoke = (principal: unknown, condition?: object) => ({
  Sid: 'Invoke',
  Effect: 'Allow',
  Principal: principal,
  Action: 'lambda:InvokeFunction',
  Resource: '*',
  ...(condition ? { Condition: condition } : {}),
});

const FUNCTION_PROFILES: readonly ((
  ctx: AccountContext,
  region: string,
) => Omit<FunctionSpec, 'name' | 'arn' | 'region'>)[] = [
  () => ({
    tracing: 'Active',
    reserved: 5,
    runtime: 'nodejs22.x',
    tags: ALL_TAGS,
    expect: fnExpect('PASS', 'PASS', 'PASS', 'PASS', 'PASS'),
  }),
  // anyone may invoke it; a deprecated runtime
  () => ({
    tracing: 'PassThrough',
    runtime: 'nodejs16.x',
    policy: [invoke('*')],
    tags: [],
    expect: fnExpect('FAIL', 'FAIL', 'FAIL', 'FAIL', 'FAIL'),
  }),
  // invoked by S3, tied to this account's bucket
  (ctx) => ({
    tracing: 'Active',
    runtime: 'python3.12',
    policy: [
      invoke(
        { Service: 's3.amazonaws.com' },
        {
          StringEquals: { 'AWS:SourceAccount': ctx.accountId },
          ArnLike: { 'AWS:SourceArn': 'arn:aws:s3:::bench-bucket-000000' },
        },
      ),
    ],
    tags: ALL_TAGS,
    expect: fnExpect('FAIL', 'PASS', 'PASS', 'PASS', 'PASS'),
  }),
  // a container image (no runtime to judge); S3 may invoke it from any account's bucket
  () => ({
    tracing: 'PassThrough',
    reserved: 0,
    policy: [invoke({ Service: 's3.amazonaws.com' })],
    tags: SOME_TAGS,
    expect: fnExpect('PASS', 'FAIL', 'FAIL', 'FAIL'),
  }),
  // invoked by a partner account; nodejs20.x is not on Security Hub's list
  () => ({
    tracing: 'Active',
    reserved: 10,
    runtime: 'nodejs20.x',
    policy: [invoke({ AWS: `arn:aws:iam::${OTHER_ACCOUNT}:root` })],
    tags: ALL_TAGS,
    expect: fnExpect('PASS', 'PASS', 'PASS', 'PASS', 'FAIL'),
  }),
  // "*" with a wildcard source ARN: a condition with a wildcard restricts nothing
  (_ctx, region) => ({
    tracing: 'Active',
    reserved: 3,
    runtime: 'java21',
    policy: [
      invoke('*', {
        ArnLike: { 'AWS:SourceArn': `arn:aws:execute-api:${region}:*:*/*/GET/*` },
      }),
    ],
    tags: ALL_TAGS,
    expect: fnExpect('PASS', 'PASS', 'PASS', 'FAIL', 'PASS'),
  }),
  // "*" limited to one organization: restricted; an OS-only runtime, not on the list
  () => ({
    tracing: 'Active',
    reserved: 2,
    runtime: 'provided.al2023',
    policy: [invoke('*', { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } })],
    tags: ALL_TAGS,
    expect: fnExpect('PASS', 'PASS', 'PASS', 'PASS', 'FAIL'),
  }),
];

export function functionName(i: number): string {
  return `bench-fn-${pad(i)}`;
}

export function functionSpec(ctx: AccountContext, i: number): FunctionSpec {
  const { j, region } = placement(ctx, i);
  const name = functionName(i);
  return {
    name,
    arn: `arn:aws:lambda:${region}:${ctx.accountId}:function:${name}`,
    region,
    ...cycle(FUNCTION_PROFILES, j)(ctx, region),
  };
}

// ------------------------------------------------------------------------------------- KMS

export interface KeySpec {
  readonly id: string;
  readonly arn: string;
  readonly region: string;
  readonly manager: 'CUSTOMER' | 'AWS';
  readonly state: 'Enabled' | 'Disabled' | 'PendingDeletion';
  readonly spec: 'SYMMETRIC_DEFAULT' | 'RSA_2048';
  readonly usage: 'ENCRYPT_DECRYPT' | 'SIGN_VERIFY';
  readonly origin: 'AWS_KMS' | 'EXTERNAL';
  /** Automatic rotation (read only where it applies). */
  readonly rotation: boolean;
  /** Key policy statements besides the account root's. */
  readonly extraStatements: readonly object[];
  readonly expect: Expect;
}

function keyExpect(deletion: Status, rotation: Status | undefined, policy: Status): Expect {
  return { 'KMS.3': deletion, ...(rotation ? { 'KMS.4': rotation } : {}), 'KMS.5': policy };
}

const useKey = (condition?: object) => ({
  Sid: 'UseKey',
  Effect: 'Allow',
  Principal: { AWS: '*' },
  Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey*'],
  Resource: '*',
  ...(condition ? { Condition: condition } : {}),
});

type KeyProfile = Omit<KeySpec, 'id' | 'arn' | 'region' | 'extraStatements'> & {
  readonly statements?: (account: string) => readonly object[];
};
const CUSTOMER_KEY = {
  manager: 'CUSTOMER',
  state: 'Enabled',
  spec: 'SYMMETRIC_DEFAULT',
  usage: 'ENCRYPT_DECRYPT',
  origin: 'AWS_KMS',
} as const;

/**
 * Key profiles by the key's index in its region. Buckets point at key 0 (a usable customer
 * managed key) and key 2 (pending deletion) of their region.
 */
const KEY_PROFILES: readonly KeyProfile[] = [
  { ...CUSTOMER_KEY, rotation: true, expect: keyExpect('PASS', 'PASS', 'PASS') },
  // rotation off; "*" tied to this account with kms:CallerAccount
  {
    ...CUSTOMER_KEY,
    rotation: false,
    statements: (account) => [useKey({ StringEquals: { 'kms:CallerAccount': account } })],
    expect: keyExpect('PASS', 'FAIL', 'PASS'),
  },
  // scheduled for deletion (rotation no longer applies) and open to everyone
  {
    ...CUSTOMER_KEY,
    state: 'PendingDeletion',
    rotation: false,
    statements: () => [useKey()],
    expect: keyExpect('FAIL', undefined, 'FAIL'),
  },
  // AWS managed (aws/s3): no check judges it
  { ...CUSTOMER_KEY, manager: 'AWS', rotation: true, expect: {} },
  // asymmetric signing key (no rotation); "*" with a wildcard organization id restricts nothing
  {
    ...CUSTOMER_KEY,
    spec: 'RSA_2048',
    usage: 'SIGN_VERIFY',
    rotation: false,
    statements: () => [useKey({ StringLike: { 'aws:PrincipalOrgID': 'o-*' } })],
    expect: keyExpect('PASS', undefined, 'FAIL'),
  },
  // disabled, rotation still on: judged like any other
  { ...CUSTOMER_KEY, state: 'Disabled', rotation: true, expect: keyExpect('PASS', 'PASS', 'PASS') },
  // imported key material (no automatic rotation)
  {
    ...CUSTOMER_KEY,
    origin: 'EXTERNAL',
    rotation: false,
    expect: keyExpect('PASS', undefined, 'PASS'),
  },
];

/** `i` as a KMS key id (a UUID). */
export function keyId(i: number): string {
  return `b3c4d5e6-0000-4000-8000-${hex(i, 12)}`;
}

/** Index of a key id, or undefined. */
export function keyIndex(id: string): number | undefined {
  const m = /^b3c4d5e6-0000-4000-8000-([0-9a-f]{12})$/.exec(id);
  return m ? parseInt(m[1]!, 16) : undefined;
}

export function keySpec(ctx: AccountContext, i: number): KeySpec {
  const { j, region } = placement(ctx, i);
  const id = keyId(i);
  const { statements, ...p } = cycle(KEY_PROFILES, j);
  return {
    ...p,
    id,
    arn: `arn:aws:kms:${region}:${ctx.accountId}:key/${id}`,
    region,
    extraStatements: statements?.(ctx.accountId) ?? [],
  };
}

export function keyPolicy(ctx: AccountContext, k: KeySpec): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Id: 'key-default-1',
    Statement: [
      {
        Sid: 'Enable IAM User Permissions',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${ctx.accountId}:root` },
        Action: 'kms:*',
        Resource: '*',
      },
      ...k.extraStatements,
    ],
  });
}

// ------------------------------------------------------------------------------------- RDS

export interface DbInstanceSpec {
  readonly id: string;
  readonly arn: string;
  readonly region: string;
  readonly engine: string;
  readonly cluster?: string;
  readonly encrypted: boolean;
  readonly autoMinorUpgrade: boolean;
  readonly public: boolean;
  readonly expect: Expect;
}

const DB_PROFILES: readonly Omit<DbInstanceSpec, 'id' | 'arn' | 'region' | 'expect'>[] = [
  { engine: 'postgres', encrypted: true, autoMinorUpgrade: true, public: false },
  { engine: 'mysql', encrypted: false, autoMinorUpgrade: false, public: true },
  {
    engine: 'aurora-postgresql',
    cluster: 'orders',
    encrypted: true,
    autoMinorUpgrade: true,
    public: false,
  },
  { engine: 'mariadb', encrypted: true, autoMinorUpgrade: false, public: false },
  { engine: 'docdb', cluster: 'catalog', encrypted: false, autoMinorUpgrade: true, public: true },
];

const verdict = (ok: boolean): Status => (ok ? 'PASS' : 'FAIL');

export function dbInstanceSpec(ctx: AccountContext, i: number): DbInstanceSpec {
  const { j, region } = placement(ctx, i);
  const p = cycle(DB_PROFILES, j);
  const id = `bench-db-${pad(i)}`;
  return {
    ...p,
    id,
    arn: `arn:aws:rds:${region}:${ctx.accountId}:db:${id}`,
    region,
    cluster: p.cluster ? `bench-${p.cluster}-${pad(i)}` : undefined,
    expect: {
      'RDS.2': verdict(!p.public),
      'RDS.3': verdict(p.encrypted),
      'RDS.13': verdict(p.autoMinorUpgrade),
    },
  };
}

// ------------------------------------------------------------------------------------- EFS

export interface FileSystemSpec {
  readonly id: string;
  readonly arn: string;
  readonly region: string;
  readonly name?: string;
  readonly kmsKeyId?: string;
  readonly expect: Expect;
}

export function fileSystemSpec(ctx: AccountContext, i: number): FileSystemSpec {
  const { slot, j, region } = placement(ctx, i);
  const kind = j % 3; // 0 encrypted, 1 not encrypted, 2 encrypted and named
  const id = `fs-${hex(i, 17)}`;
  const encrypted = kind !== 1;
  return {
    id,
    arn: `arn:aws:elasticfilesystem:${region}:${ctx.accountId}:file-system/${id}`,
    region,
    name: kind === 2 ? `bench-share-${pad(i)}` : undefined,
    kmsKeyId: encrypted ? ctx.keyArn(slot, 0) : undefined,
    expect: { 'EFS.1': verdict(encrypted), 'EFS.8': verdict(encrypted) },
  };
}

// ---------------------------------------------------------------------------- access points

export interface AccessPointSpec {
  readonly name: string;
  readonly arn: string;
  readonly region: string;
  readonly bucket: string;
  readonly networkOrigin: 'Internet' | 'VPC';
  /** null: GetAccessPoint returns no configuration. */
  readonly publicAccessBlock: PublicAccessBlockSpec | null;
  readonly expect: Expect;
}

const ACCESS_POINT_PROFILES: readonly (PublicAccessBlockSpec | null)[] = [
  FULL_BLOCK,
  {
    blockPublicAcls: false,
    ignorePublicAcls: false,
    blockPublicPolicy: false,
    restrictPublicBuckets: false,
  },
  { ...FULL_BLOCK, blockPublicPolicy: false },
  null,
];

export function accessPointSpec(ctx: AccountContext, i: number, bucket: string): AccessPointSpec {
  const { j, region } = placement(ctx, i);
  const name = `bench-ap-${pad(i)}`;
  const block = cycle(ACCESS_POINT_PROFILES, j);
  const all = block !== null && Object.values(block).every(Boolean);
  return {
    name,
    arn: `arn:aws:s3:${region}:${ctx.accountId}:accesspoint/${name}`,
    region,
    bucket,
    networkOrigin: j % 2 === 0 ? 'VPC' : 'Internet',
    publicAccessBlock: block,
    expect: { 'S3.19': verdict(all) },
  };
}
