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
}

export interface ManifestVariant {
  readonly settings: Readonly<Record<string, string>>;
  readonly why: string;
  /** Per role: null removes the role; otherwise managed policies replaced and/or permissions removed. */
  readonly changes: Readonly<
    Record<
      string,
      {
        readonly managedPolicies?: readonly string[];
        readonly removePermissions?: readonly string[];
      } | null
    >
  >;
}

export interface Manifest {
  readonly description: string;
  readonly settings: Readonly<Record<string, string>>;
  readonly roles: Readonly<Record<string, ManifestRole>>;
  readonly variants: readonly ManifestVariant[];
}

export function loadManifest(path = MANIFEST_PATH): Manifest {
  return JSON.parse(readFileSync(path, 'utf8')) as Manifest;
}
