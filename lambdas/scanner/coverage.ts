/**
 * A scan's coverage (pure): the regions it scanned, the regions in scope it could not scan and
 * why, how many checks ran and which could not evaluate everything. Goes into latest.json, the
 * Scan Completed event and the reports, so a reader knows what a clean result does not cover.
 */
import type { RegionNotScanned, ScanCoverage } from '../shared/events';
import type { Inventory } from './inventory/types';
import type { ScanScope } from './scope';

/** Why every read in `region` failed: the most frequent error, with one example. */
function failureReason(inventory: Inventory, region: string): string {
  const errors = inventory.errors.filter((e) => e.region === region);
  if (errors.length === 0) return 'not reached before the deadline';
  const byCode = new Map<string, number>();
  for (const e of errors) byCode.set(e.code, (byCode.get(e.code) ?? 0) + 1);
  const [code, n] = [...byCode].sort((a, b) => b[1] - a[1])[0]!;
  const example = errors.find((e) => e.code === code)!;
  return `every call failed: ${code} (${n} of ${errors.length}), e.g. ${example.operation}: ${example.message}`;
}

export function scanCoverage(
  scope: ScanScope,
  inventory: Inventory,
  checks: { readonly run: number; readonly errored: readonly string[] },
): ScanCoverage {
  const failed: RegionNotScanned[] = [...scope.notScanned];
  const scanned: string[] = [];
  for (const region of scope.regions) {
    const calls = inventory.callsByRegion[region];
    if (calls && calls.ok > 0) scanned.push(region);
    else failed.push({ region, reason: failureReason(inventory, region) });
  }
  return {
    basis: scope.basis,
    regionsScanned: scanned,
    regionsFailed: failed,
    checksRun: checks.run,
    checksErrored: [...checks.errored],
    deadlineReached: inventory.errors.some((e) => e.kind === 'deadline'),
  };
}
