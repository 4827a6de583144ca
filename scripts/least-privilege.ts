/**
 * The reviewed least-privilege manifest (__tests__/fixtures/least-privilege.json): the exact
 * actions and resources each role needs. Read by the least-privilege test and by
 * scripts/permissions-doc.ts, which turns it into docs/permissions.md.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const MANIFEST_PATH = join(
  resolve(__dirname, '..'),
  '__tests__',
  'fixtures',
  'least-privilege.json',
);

export interface ManifestPermission {
  readonly resources: readonly string[];
  readonly conditions?: readonly Record<string, Record<string, unknown>>[];
  readonly why: string;
  /** Needed by AWS on the role's behalf (SSE-KMS, destinations, delivery), not an API call of the code. */
  readonly implicit?: boolean;
}

export interface ManifestRole {
  readonly purpose: string;
  readonly trustedService: string;
  readonly managedPolicies: readonly string[];
  readonly permissions: Readonly<Record<string, ManifestPermission>>;
  /** Grants the stack makes beyond the need, tracked until the stack is fixed. */
  readonly knownExcess?: Readonly<Record<string, ManifestPermission>>;
  /**
   * Code bundled in the function whose API calls it never makes (so they are not granted): the
   * call sites under these paths are reachable by declaration only, and `why` says why.
   */
  readonly reachableNotCalled?: { readonly paths: readonly string[]; readonly why: string };
}

export interface ManifestVariant {
  readonly settings: Readonly<Record<string, string>>;
  readonly why: string;
  /**
   * Per role: null removes the role; otherwise managed policies replaced and/or permissions
   * removed or added.
   */
  readonly changes: Readonly<
    Record<
      string,
      {
        readonly managedPolicies?: readonly string[];
        readonly removePermissions?: readonly string[];
        readonly addPermissions?: Readonly<Record<string, ManifestPermission>>;
      } | null
    >
  >;
  /** Roles only this variant creates (organization mode's tasks and state machine). */
  readonly addRoles?: Readonly<Record<string, ManifestRole>>;
}

/** A role organization mode rolls out to member accounts (members stack). */
export interface MemberRole {
  /** Its section's heading in docs/permissions.md. */
  readonly title: string;
  readonly purpose: string;
  /** The audit account's role (a function) trusted to assume it. */
  readonly assumedBy: string;
  /** Its permissions are this role's … */
  readonly sameAs: string;
  /** … without these actions (the audit account's own bucket, keys, bus, queue). */
  readonly without: readonly string[];
  readonly why: string;
}

export interface Manifest {
  readonly description: string;
  readonly settings: Readonly<Record<string, string>>;
  readonly roles: Readonly<Record<string, ManifestRole>>;
  readonly variants: readonly ManifestVariant[];
  /** By name: `member` (the read-only role), `member-remediation` (ORG_REMEDIATION=members). */
  readonly memberRoles?: Readonly<Record<string, MemberRole>>;
}

/**
 * The variants in force under a variant's settings, in manifest order: every variant whose
 * settings it includes (ORG_REMEDIATION=members builds on SCAN_SCOPE=organization), itself last.
 */
export function variantsWithin(manifest: Manifest, variant: ManifestVariant): ManifestVariant[] {
  return manifest.variants.filter((v) =>
    Object.entries(v.settings).every(([k, val]) => variant.settings[k] === val),
  );
}

/** A member role's permissions, as the manifest defines them (from the role it mirrors). */
export function memberRolePermissions(
  manifest: Manifest,
  member: MemberRole,
): Readonly<Record<string, ManifestPermission>> {
  const source = manifest.roles[member.sameAs]?.permissions ?? {};
  return Object.fromEntries(
    Object.entries(source).filter(([action]) => !member.without.includes(action)),
  );
}

export function loadManifest(path = MANIFEST_PATH): Manifest {
  return JSON.parse(readFileSync(path, 'utf8')) as Manifest;
}
