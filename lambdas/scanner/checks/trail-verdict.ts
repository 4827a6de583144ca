/**
 * Account-level verdicts over every trail of the account ("at least one multi-Region trail that
 * …"): each trail yields outcomes, the account PASSes on the first trail that satisfies the
 * control, is ERROR when none does but something needed could not be read (that trail might have),
 * and FAILs otherwise with each trail's shortfall. A trail counts whatever region it is homed in.
 */
import type {
  CollectionError,
  Inventory,
  RegionInventory,
  TrailInventory,
  TrailSelectors,
} from '../inventory/types';
import { regionsOf, type FindingBuilder } from './types';

export type Outcome =
  | { readonly pass: string }
  | { readonly fail: string }
  | { readonly unknown: string; readonly error: CollectionError };

export const label = (t: TrailInventory) => `trail ${t.name} (${t.homeRegion})`;

/** Outcomes of `test` over the trails of every scanned region (an unlisted region is unknown). */
export function overTrails(
  inv: Inventory,
  test: (t: TrailInventory, region: RegionInventory) => readonly Outcome[],
): Outcome[] {
  return regionsOf(inv).flatMap((region) => {
    const trails = region.cloudtrail.trails;
    if (!trails.ok)
      return [{ unknown: `the trails homed in ${region.region}`, error: trails.error }];
    return trails.value.flatMap((t) => test(t, region));
  });
}

/**
 * The gate every account-level trail control shares: a multi-Region trail that is logging and
 * whose selectors have no `shortfall`. Undefined when the trail passes it.
 *
 * An organization trail seen from a member account has selectors only its owner can read: with
 * `ownerJudgesSelectors` (CloudTrail.1) it passes on being multi-Region and logging — the member
 * cannot change it, and its selectors are judged in the owner's scan; otherwise it fails.
 */
export function multiRegionGate(
  t: TrailInventory,
  shortfall: (selectors: TrailSelectors) => string | undefined,
  ownerJudgesSelectors = false,
): Outcome | undefined {
  if (!t.isMultiRegion) return { fail: `${label(t)}: single-Region` };
  if (t.isLogging.ok && !t.isLogging.value) return { fail: `${label(t)}: not logging` };
  if (!t.selectors.ok)
    return { unknown: `the event selectors of ${label(t)}`, error: t.selectors.error };
  if (t.selectors.value === null && !ownerJudgesSelectors)
    return {
      fail: `${label(t)}: the organization trail of account ${t.account}, whose event selectors only that account can read`,
    };
  const missing = t.selectors.value === null ? undefined : shortfall(t.selectors.value);
  if (missing) return { fail: `${label(t)}: ${missing}` };
  if (!t.isLogging.ok)
    return { unknown: `whether ${label(t)} is logging`, error: t.isLogging.error };
  return undefined;
}

/** One finding for the account in the home region from every trail's outcomes. */
export function accountVerdict(
  b: FindingBuilder,
  inv: Inventory,
  outcomes: readonly Outcome[],
  failure: string,
): void {
  const res = b.account(inv.homeRegion);
  const passed = outcomes.find((o): o is { pass: string } => 'pass' in o);
  if (passed) return b.pass(res, passed.pass);
  const fails = [...new Set(outcomes.flatMap((o) => ('fail' in o ? [o.fail] : [])))];
  const unknown = outcomes.find((o) => 'unknown' in o);
  if (unknown && 'unknown' in unknown) {
    const others = fails.length > 0 ? ` (${fails.join('; ')})` : '';
    return b.error(res, `${unknown.unknown}, and no other trail qualifies${others}`, unknown.error);
  }
  b.fail(
    res,
    fails.length === 0
      ? `${failure}: no CloudTrail trail is homed in the scanned regions (${inv.regions.join(', ')}).`
      : `${failure}: ${fails.join('; ')}.`,
  );
}
