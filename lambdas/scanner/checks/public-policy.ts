/**
 * Public statements of a resource policy (a key policy now; any resource policy a check reads):
 * Allow statements with a public principal (`*`, `{"AWS": "*"}`, any NotPrincipal) that no
 * condition ties to known accounts, organizations or networks.
 *
 * Conditions are judged as Security Hub's resource-policy controls judge them (KMS.5: "conditions
 * in the key policy must only use fixed values"): a condition restricts only with an operator that
 * requires a match (not `Not…`, `…IfExists`, `Null` or `ForAllValues:…`, which a request without the
 * key satisfies) and only fixed values (no wildcard, no policy variable), and a source network as
 * broad as a /8 (IPv4) or /32 (IPv6) restricts nothing. The keys that count are those of
 * s3-policy.ts, plus the service's own that the caller names (e.g. KMS's caller-account key).
 */
import type { PolicyDocument, PolicyStatement } from '../inventory/types';
import { asArray, hasRestrictingCondition, isPublicPrincipal, statements } from './s3-policy';

/** Networks with a shorter prefix than these are treated as "anyone". */
const MIN_IPV4_PREFIX = 8;
const MIN_IPV6_PREFIX = 32;

function requiresMatch(operator: string): boolean {
  const op = operator.toLowerCase();
  return !(
    op.includes('not') ||
    op.endsWith('ifexists') ||
    op === 'null' ||
    op.startsWith('forallvalues:')
  );
}

function isBroadNetwork(value: string): boolean {
  const cidr = /^([0-9a-f.:]+)\/(\d{1,3})$/i.exec(value);
  if (!cidr) return false;
  return Number(cidr[2]) < (cidr[1]!.includes(':') ? MIN_IPV6_PREFIX : MIN_IPV4_PREFIX);
}

function isFixed(value: string): boolean {
  return !/[*?]|\$\{/.test(value) && !isBroadNetwork(value);
}

/** The statement with only the conditions that can restrict: matching operators, fixed values. */
export function fixedConditions(stmt: PolicyStatement): PolicyStatement {
  const condition: Record<string, Record<string, unknown>> = {};
  for (const [operator, block] of Object.entries(stmt.Condition ?? {})) {
    if (!requiresMatch(operator)) continue;
    const kept = Object.entries(block ?? {}).filter(([, value]) => {
      const values = asArray(value);
      return values.length > 0 && values.every(isFixed);
    });
    if (kept.length > 0) condition[operator] = Object.fromEntries(kept);
  }
  return { ...stmt, Condition: condition };
}

/** True when a fixed-value condition on a restricting key (or one of `serviceKeys`) applies. */
export function restrictsAccess(stmt: PolicyStatement, serviceKeys: readonly string[]): boolean {
  const fixed = fixedConditions(stmt);
  if (hasRestrictingCondition(fixed)) return true;
  const keys = new Set(serviceKeys.map((k) => k.toLowerCase()));
  return Object.values(fixed.Condition ?? {}).some((block) =>
    Object.keys(block).some((key) => keys.has(key.toLowerCase())),
  );
}

/** Labels (`"Sid"` or `#n`) of the Allow statements that grant access to everyone. */
export function publicStatements(
  policy: PolicyDocument | null,
  serviceKeys: readonly string[] = [],
): string[] {
  return statements(policy).flatMap((stmt, i) =>
    stmt.Effect === 'Allow' && isPublicPrincipal(stmt) && !restrictsAccess(stmt, serviceKeys)
      ? [stmt.Sid ? `"${stmt.Sid}"` : `#${i + 1}`]
      : [],
  );
}
