/**
 * Resource policy and ACL analysis (pure): which statements expose a bucket (or, through the same
 * primitives, a Lambda function) to everyone, whether the exposure is read or write, which grant
 * other accounts dangerous bucket actions, and whether the policy denies plain-HTTP requests.
 *
 * A condition restricts a statement only with fixed values, as S3's and Security Hub's own
 * evaluations require: a value with a wildcard (`o-*`) or a policy variable (`${aws:username}`),
 * a `ForAllValues:` operator (true when the request lacks the key), a negated, `…IfExists` or
 * `Null` operator, and a source-IP network wider than /8 (IPv4) or /32 (IPv6) do not count.
 * The thresholds are ours (AWS publishes none): a /8 is already 16.7 million addresses, and /32 is
 * the smallest block a regional internet registry hands out for IPv6.
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

/** Actions that change data, ACLs or policy (besides every `s3:Put*` and `s3:Delete*`). */
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
export const RESTRICTING_KEYS: ReadonlySet<string> = new Set(
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

/** Keys that tie a service principal to the caller's own resources (confused-deputy guard). */
export const SOURCE_KEYS: ReadonlySet<string> = new Set(
  ['aws:SourceAccount', 'aws:SourceArn', 'aws:SourceOwner'].map((k) => k.toLowerCase()),
);

/** Action families S3 treats as writes ("bad actions" that change data, ACLs or policy). */
const WRITE_PREFIXES = ['s3:Put', 's3:Delete'];

/** Shortest prefixes of `aws:SourceIp` networks that still count as a restriction. */
export const NARROWEST_BROAD_PREFIX = { ipv4: 8, ipv6: 32 } as const;

/** Security Hub S3.6's default `blacklistedactionpatterns` (not customizable). */
export const CROSS_ACCOUNT_BLOCKED_ACTIONS = [
  's3:DeleteBucketPolicy',
  's3:PutBucketAcl',
  's3:PutBucketPolicy',
  's3:PutEncryptionConfiguration',
  's3:PutObjectAcl',
] as const;

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

/** Principal "*" or {"AWS": "*"} (see above), or an AWS principal with a wildcard in it. */
export function isWildcardPrincipal(stmt: PolicyStatement): boolean {
  if (isPublicPrincipal(stmt)) return true;
  const p = stmt.Principal;
  if (!p || typeof p !== 'object' || Array.isArray(p)) return false;
  return asArray((p as Record<string, unknown>).AWS).some((v) => /[*?]/.test(v));
}

/** `{"Service": …}` principals of the statement. */
export function servicePrincipals(stmt: PolicyStatement): string[] {
  const p = stmt.Principal;
  if (!p || typeof p !== 'object' || Array.isArray(p)) return [];
  return asArray((p as Record<string, unknown>).Service);
}

/** A value without wildcards or policy variables. */
function isFixed(value: string): boolean {
  return !/[*?]/.test(value) && !value.includes('${');
}

/** An `aws:SourceIp` value wider than the narrowest broad prefix (or not a CIDR at all). */
export function isBroadNetwork(value: string): boolean {
  const [address = '', prefix] = value.split('/');
  if (prefix === undefined) return false; // one address
  const bits = Number(prefix);
  const limit = address.includes(':') ? NARROWEST_BROAD_PREFIX.ipv6 : NARROWEST_BROAD_PREFIX.ipv4;
  return !Number.isInteger(bits) || bits < limit;
}

/**
 * True when some condition restricts who can use the statement: one of `keys` (default: the
 * restricting keys above) under a positive single-valued or `ForAnyValue:` operator, with fixed
 * values only (see the module comment).
 */
export function hasRestrictingCondition(
  stmt: PolicyStatement,
  keys: ReadonlySet<string> = RESTRICTING_KEYS,
): boolean {
  for (const [operator, block] of Object.entries(stmt.Condition ?? {})) {
    const op = operator.toLowerCase();
    if (op.startsWith('forallvalues:')) continue;
    const base = op.replace(/^foranyvalue:/, '');
    if (base.includes('not') || base.endsWith('ifexists') || base === 'null') continue;
    for (const [key, value] of Object.entries(block ?? {})) {
      const k = key.toLowerCase();
      if (!keys.has(k)) continue;
      const values = asArray(value);
      if (values.length === 0 || !values.every(isFixed)) continue;
      if (k === 'aws:sourceip' && values.some(isBroadNetwork)) continue;
      return true;
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

/** Whether some string `pattern` matches (IAM wildcards) starts with `prefix`, ignoring case. */
function canStartWith(pattern: string, prefix: string): boolean {
  const p = pattern.toLowerCase();
  const x = prefix.toLowerCase();
  const from = (i: number, j: number): boolean => {
    if (j === x.length) return true;
    if (i === p.length) return false;
    if (p[i] === '*') return from(i + 1, j) || from(i, j + 1);
    return (p[i] === '?' || p[i] === x[j]) && from(i + 1, j + 1);
  };
  return from(0, 0);
}

/**
 * True when the statement's Action (or NotAction) covers a write: one of WRITE_ACTIONS, or any
 * `s3:Put*` / `s3:Delete*` action, through whatever wildcard pattern (`s3:*`, `s3:P*`, `*`).
 */
export function grantsWrite(stmt: PolicyStatement): boolean {
  if (grantsAny(stmt, WRITE_ACTIONS)) return true;
  if (stmt.NotAction !== undefined) {
    // NotAction allows a whole family unless an excluded pattern covers it (`s3:*`, `s3:Put*`).
    const excluded = asArray(stmt.NotAction);
    return WRITE_PREFIXES.some((f) => !excluded.some((e) => wildcardMatch(e, `${f}*`, true)));
  }
  return asArray(stmt.Action).some((a) => WRITE_PREFIXES.some((f) => canStartWith(a, f)));
}

/** A statement's Sid in quotes, else `#<position>`. */
export function labelOf(stmt: PolicyStatement, index: number): string {
  return stmt.Sid ? `"${stmt.Sid}"` : `#${index + 1}`;
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
    if (stmt.Effect !== 'Allow' || !isWildcardPrincipal(stmt) || hasRestrictingCondition(stmt))
      return;
    if (grantsAny(stmt, READ_ACTIONS)) read.push(labelOf(stmt, i));
    if (grantsWrite(stmt)) write.push(labelOf(stmt, i));
  });
  return { read, write };
}

/**
 * Labels of Allow statements with a wildcard principal that grant a write, whatever their
 * conditions: when S3's own policy status says the policy is public, a condition our analysis
 * took as restricting did not make it private, so these are the public writes.
 */
export function wildcardPrincipalWrites(policy: PolicyDocument | null): string[] {
  return statements(policy).flatMap((stmt, i) =>
    stmt.Effect === 'Allow' && isWildcardPrincipal(stmt) && grantsWrite(stmt)
      ? [labelOf(stmt, i)]
      : [],
  );
}

export interface CrossAccountGrant {
  /** Sid or index of the statement. */
  readonly statement: string;
  /** Other accounts granted (`*` = any account). */
  readonly accounts: readonly string[];
  /** Blocked actions the statement allows them. */
  readonly actions: readonly string[];
}

/** Account of an AWS principal value (`123456789012` or an IAM ARN); `*` for wildcards. */
function principalAccount(value: string): string | undefined {
  if (/^\d{12}$/.test(value)) return value;
  if (value === '*') return '*';
  if (!value.startsWith('arn:')) return undefined; // canonical user ids: not an account
  const account = value.split(':')[4] ?? '';
  return isFixed(account) && account !== '' ? account : '*';
}

/** The accounts a statement's principal stands for (`*` = any). */
function principalAccounts(stmt: PolicyStatement): string[] {
  if (stmt.NotPrincipal !== undefined || stmt.Principal === '*') return ['*'];
  const p = stmt.Principal;
  if (!p || typeof p !== 'object' || Array.isArray(p)) return [];
  return asArray((p as Record<string, unknown>).AWS).flatMap((v) => {
    const account = principalAccount(v);
    return account === undefined ? [] : [account];
  });
}

/** A fixed `aws:PrincipalAccount` condition that admits `account` only. */
function onlyAccount(stmt: PolicyStatement, account: string): boolean {
  return (
    hasRestrictingCondition(stmt, new Set(['aws:principalaccount'])) &&
    Object.values(stmt.Condition ?? {}).every((block) =>
      Object.entries(block ?? {}).every(
        ([key, value]) =>
          key.toLowerCase() !== 'aws:principalaccount' ||
          asArray(value).every((v) => v === account),
      ),
    )
  );
}

/**
 * Allow statements that grant principals of accounts other than `ownAccount` (or everyone) any
 * of `actions`, through any wildcard (S3.6). Deny statements never grant.
 */
export function crossAccountGrants(
  policy: PolicyDocument | null,
  ownAccount: string,
  actions: readonly string[] = CROSS_ACCOUNT_BLOCKED_ACTIONS,
): CrossAccountGrant[] {
  return statements(policy).flatMap((stmt, i) => {
    if (stmt.Effect !== 'Allow') return [];
    let accounts = [...new Set(principalAccounts(stmt))].filter((a) => a !== ownAccount);
    if (accounts.includes('*') && onlyAccount(stmt, ownAccount)) accounts = [];
    const granted = actions.filter((a) => grantsAny(stmt, [a]));
    return accounts.length > 0 && granted.length > 0
      ? [{ statement: labelOf(stmt, i), accounts, actions: granted }]
      : [];
  });
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
