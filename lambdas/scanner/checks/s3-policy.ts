/**
 * Bucket policy and ACL analysis (pure): which statements expose a bucket to everyone, whether
 * the exposure is read or write, and whether the policy denies plain-HTTP requests.
 */
import type { AclGrant, PolicyDocument, PolicyStatement } from '../inventory/types';

export const ALL_USERS = 'http://acs.amazonaws.com/groups/global/AllUsers';
export const AUTHENTICATED_USERS = 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers';

/** Actions that read data or list a bucket. */
export const READ_ACTIONS = [
  's3:GetObject',
  's3:GetObjectVersion',
  's3:ListBucket',
  's3:ListBucketVersions',
] as const;

/** Actions that change data, ACLs or policy. */
export const WRITE_ACTIONS = [
  's3:PutObject',
  's3:PutObjectAcl',
  's3:DeleteObject',
  's3:DeleteObjectVersion',
  's3:RestoreObject',
  's3:AbortMultipartUpload',
  's3:PutBucketPolicy',
  's3:DeleteBucketPolicy',
  's3:PutBucketAcl',
  's3:DeleteBucket',
  's3:PutLifecycleConfiguration',
] as const;

/**
 * Condition keys that tie a statement to known principals or networks, so a `*` principal is not
 * "anyone on the internet" (the keys AWS's own public-policy evaluation treats as restricting).
 */
const RESTRICTING_KEYS = new Set(
  [
    'aws:SourceAccount',
    'aws:SourceArn',
    'aws:SourceVpc',
    'aws:SourceVpce',
    'aws:SourceIp',
    'aws:SourceOwner',
    'aws:SourceOrgID',
    'aws:SourceOrgPaths',
    'aws:PrincipalAccount',
    'aws:PrincipalArn',
    'aws:PrincipalOrgID',
    'aws:PrincipalOrgPaths',
    'aws:userid',
  ].map((k) => k.toLowerCase()),
);

const OPEN_VALUES = new Set(['*', '0.0.0.0/0', '::/0']);

export function asArray(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value.map(String);
  return [String(value)];
}

export function statements(policy: PolicyDocument | null): PolicyStatement[] {
  if (!policy?.Statement) return [];
  return Array.isArray(policy.Statement)
    ? [...(policy.Statement as PolicyStatement[])]
    : [policy.Statement as PolicyStatement];
}

/** IAM wildcard match (`*` any run, `?` one character). */
export function wildcardMatch(pattern: string, value: string, ignoreCase = false): boolean {
  const source = pattern
    .split('')
    .map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`, ignoreCase ? 'i' : '').test(value);
}

/** `Principal: "*"` or `{"AWS": "*"}` (also inside an array); any `NotPrincipal` on an Allow. */
export function isPublicPrincipal(stmt: PolicyStatement): boolean {
  if (stmt.NotPrincipal !== undefined) return true;
  const p = stmt.Principal;
  if (p === '*') return true;
  if (p && typeof p === 'object' && !Array.isArray(p)) {
    return asArray((p as Record<string, unknown>).AWS).includes('*');
  }
  return false;
}

/**
 * True when some condition restricts who can use the statement: a restricting key (above) with
 * a positive operator (no `Not…`, no `…IfExists`, not `Null`) and no wildcard/0.0.0.0/0 value.
 */
export function hasRestrictingCondition(stmt: PolicyStatement): boolean {
  for (const [operator, block] of Object.entries(stmt.Condition ?? {})) {
    const op = operator.toLowerCase();
    if (op.includes('not') || op.endsWith('ifexists') || op === 'null') continue;
    for (const [key, value] of Object.entries(block ?? {})) {
      if (!RESTRICTING_KEYS.has(key.toLowerCase())) continue;
      const values = asArray(value);
      if (values.length > 0 && values.every((v) => !OPEN_VALUES.has(v))) return true;
    }
  }
  return false;
}

/** True when the statement's Action (or NotAction) covers any of `actions`. */
export function grantsAny(stmt: PolicyStatement, actions: readonly string[]): boolean {
  if (stmt.NotAction !== undefined) {
    const excluded = asArray(stmt.NotAction);
    return actions.some((a) => !excluded.some((p) => wildcardMatch(p, a, true)));
  }
  const patterns = asArray(stmt.Action);
  return actions.some((a) => patterns.some((p) => wildcardMatch(p, a, true)));
}

export interface PolicyExposure {
  /** Labels (Sid or index) of public statements that allow reading or listing. */
  readonly read: string[];
  /** Labels of public statements that allow writing, deleting or changing ACL/policy. */
  readonly write: string[];
}

/** Allow statements with a public principal and no restricting condition, split by read/write. */
export function publicPolicyExposure(policy: PolicyDocument | null): PolicyExposure {
  const read: string[] = [];
  const write: string[] = [];
  statements(policy).forEach((stmt, i) => {
    if (stmt.Effect !== 'Allow' || !isPublicPrincipal(stmt) || hasRestrictingCondition(stmt))
      return;
    const label = stmt.Sid ? `"${stmt.Sid}"` : `#${i + 1}`;
    if (grantsAny(stmt, READ_ACTIONS)) read.push(label);
    if (grantsAny(stmt, WRITE_ACTIONS)) write.push(label);
  });
  return { read, write };
}

export interface AclExposure {
  /** `AllUsers:READ` style labels. */
  readonly read: string[];
  readonly write: string[];
}

/** ACL grants to AllUsers / AuthenticatedUsers: READ or FULL_CONTROL read; WRITE, WRITE_ACP or FULL_CONTROL write. */
export function publicAclExposure(grants: readonly AclGrant[]): AclExposure {
  const read: string[] = [];
  const write: string[] = [];
  for (const g of grants) {
    if (g.grantee !== ALL_USERS && g.grantee !== AUTHENTICATED_USERS) continue;
    const label = `${g.grantee.split('/').pop()}:${g.permission}`;
    if (g.permission === 'READ' || g.permission === 'FULL_CONTROL') read.push(label);
    if (
      g.permission === 'WRITE' ||
      g.permission === 'WRITE_ACP' ||
      g.permission === 'FULL_CONTROL'
    ) {
      write.push(label);
    }
  }
  return { read, write };
}

function deniesInsecureTransport(stmt: PolicyStatement): boolean {
  for (const [operator, block] of Object.entries(stmt.Condition ?? {})) {
    const op = operator.toLowerCase();
    if (op !== 'bool' && op !== 'boolifexists') continue;
    for (const [key, value] of Object.entries(block ?? {})) {
      if (
        key.toLowerCase() === 'aws:securetransport' &&
        asArray(value).some((v) => v.toLowerCase() === 'false')
      ) {
        return true;
      }
    }
  }
  return false;
}

/**
 * S3.5: some Deny statement(s) with a public principal, action `s3:*` or `*`, and condition
 * `aws:SecureTransport = false` cover both the bucket and all its objects.
 */
export function enforcesTls(policy: PolicyDocument | null, bucketArn: string): boolean {
  const qualifying = statements(policy).filter(
    (s) =>
      s.Effect === 'Deny' &&
      // A NotPrincipal exempts someone from the deny, who may then use plain HTTP.
      s.NotPrincipal === undefined &&
      isPublicPrincipal(s) &&
      s.NotAction === undefined &&
      asArray(s.Action).some((a) => a === '*' || a.toLowerCase() === 's3:*') &&
      deniesInsecureTransport(s),
  );
  const covers = (target: string) =>
    qualifying.some((s) => asArray(s.Resource).some((r) => wildcardMatch(r, target)));
  return covers(bucketArn) && covers(`${bucketArn}/*`);
}
