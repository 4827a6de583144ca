/**
 * Public statements of a resource policy other than a bucket's (a key policy now): Allow
 * statements with a public principal (`*`, `{"AWS": "*"}`, any NotPrincipal) that no condition
 * ties to known accounts, organizations or networks. Conditions are judged exactly as for bucket
 * policies (s3-policy.ts `hasRestrictingCondition`: fixed values only, operators that require a
 * match, no network wider than /8 or /32), which is how Security Hub's resource-policy controls
 * judge them (KMS.5: "conditions in the key policy must only use fixed values"); a service may add
 * keys of its own that restrict (e.g. KMS's caller-account key).
 */
import type { PolicyDocument } from '../inventory/types';
import {
  hasRestrictingCondition,
  isPublicPrincipal,
  RESTRICTING_KEYS,
  statements,
} from './s3-policy';

/** Labels (`"Sid"` or `#n`) of the Allow statements that grant access to everyone. */
export function publicStatements(
  policy: PolicyDocument | null,
  serviceKeys: readonly string[] = [],
): string[] {
  const keys = new Set([...RESTRICTING_KEYS, ...serviceKeys.map((k) => k.toLowerCase())]);
  return statements(policy).flatMap((stmt, i) =>
    stmt.Effect === 'Allow' && isPublicPrincipal(stmt) && !hasRestrictingCondition(stmt, keys)
      ? [stmt.Sid ? `"${stmt.Sid}"` : `#${i + 1}`]
      : [],
  );
}
