/**
 * One account's parts combined into the Inventory a single-account scan of that account would
 * have collected (pure), so the same check registry evaluates it with the same results: the
 * account-wide checks over regional data (a multi-region trail, global types recorded in one
 * region, buckets of every region) see the whole account.
 *
 * A part that is missing or failed stands for "nothing could be read" there, exactly as a
 * collector that fails outright does in a single-account scan: its services become unreadable
 * values carrying the shard's error, so every check reports ERROR for what the shard hid — never
 * a silent gap, never a PASS. A region the account has not enabled is reported, not judged.
 */
import { classifyError } from '../shared/errors';
import type { RegionNotScanned } from '../shared/events';
import {
  REGIONAL_COLLECTORS,
  unreadableIam,
  unreadableS3,
  type RegionalCollector,
} from '../scanner/inventory';
import { partitionOf } from '../shared/regions';
import {
  type CollectionError,
  type Inventory,
  type RegionInventory,
} from '../scanner/inventory/types';
import type { ScanScope } from '../scanner/scope';
import { GLOBAL_PART, type PlannedAccount, type ScanPlan } from './layout';
import { shardKey, type MapOutcome } from './map-results';
import type { ShardPart } from './parts';

export interface CombinedAccount {
  readonly inventory: Inventory;
  readonly scope: ScanScope;
  /** Parts (`global` or a region) whose shard failed or never reported, and why. */
  readonly lost: readonly RegionNotScanned[];
}

/** The error standing for a part that is missing or failed. */
function partError(
  account: string,
  part: string,
  region: string,
  found: ShardPart | undefined,
  outcome: MapOutcome,
): CollectionError {
  if (found?.status === 'failed') return { ...found.error, region };
  const known = outcome.failures.get(shardKey(account, part));
  const message =
    known ??
    (outcome.mapError
      ? `not completed: the map run failed (${outcome.mapError})`
      : 'the shard did not report (no part was written)');
  const code = known?.split(':')[0] ?? 'ShardNotCompleted';
  return {
    service: 'sts',
    region,
    operation: 'ScanShard',
    kind: classifyError({ name: code.replace(/^Lambda\./, '') }),
    code,
    message,
  };
}

/** A region whose every service carries `error` (what a failed collector stands for). */
function unreadableRegion(region: string, error: CollectionError): RegionInventory {
  const services = Object.entries(REGIONAL_COLLECTORS).map(([key, collector]) => {
    const c = collector as RegionalCollector<unknown>;
    return [key, c.unreadable({ ...error, service: c.service })] as const;
  });
  return { region, ...Object.fromEntries(services) } as unknown as RegionInventory;
}

export function combineAccount(
  plan: ScanPlan,
  account: PlannedAccount,
  parts: ReadonlyMap<string, ShardPart | undefined>,
  outcome: MapOutcome,
): CombinedAccount {
  const home = plan.homeRegion;
  const errors: CollectionError[] = [];
  const calls: Record<string, { ok: number; failed: number }> = {};
  // The global part's calls count as `global`: a region is scanned when its own shard answered
  // (S3 calls to buckets of a region must not make a failed regional shard look scanned).
  const tally = (
    part: { errors: readonly CollectionError[]; callsByRegion: Inventory['callsByRegion'] },
    as?: string,
  ) => {
    errors.push(...part.errors);
    for (const [region, c] of Object.entries(part.callsByRegion)) {
      const t = (calls[as ?? region] ??= { ok: 0, failed: 0 });
      t.ok += c.ok;
      t.failed += c.failed;
    }
  };
  const lostParts: RegionNotScanned[] = [];
  const lost = (part: string, region: string, found: ShardPart | undefined) => {
    const error = partError(account.id, part, region, found, outcome);
    errors.push(error);
    lostParts.push({
      region: part,
      reason: `${error.operation} failed (${error.code}): ${error.message}`,
    });
    return error;
  };

  const globalPart = parts.get(GLOBAL_PART);
  let s3: Inventory['s3'];
  let iam: Inventory['iam'];
  if (globalPart?.status === 'scanned' && 's3' in globalPart) {
    ({ s3, iam } = globalPart);
    tally(globalPart, GLOBAL_PART);
  } else {
    const error = lost(GLOBAL_PART, home, globalPart);
    s3 = unreadableS3({ ...error, service: 's3' });
    iam = unreadableIam({ ...error, service: 'iam' });
  }

  const regions: string[] = [];
  const notScanned: RegionNotScanned[] = [];
  const byRegion: Record<string, RegionInventory> = {};
  // In name order, as a single-account scan collects them: checks that list several regions'
  // resources word their findings the same way in both modes.
  for (const region of [...plan.regions].sort()) {
    const part = parts.get(region);
    if (part?.status === 'not-enabled') {
      notScanned.push({ region, reason: part.reason });
      continue;
    }
    regions.push(region);
    if (part?.status === 'scanned' && 'region' in part) {
      byRegion[region] = part.region;
      tally(part);
    } else {
      byRegion[region] = unreadableRegion(region, lost(region, region, part));
      const t = (calls[region] ??= { ok: 0, failed: 0 });
      t.failed += 1;
    }
  }

  return {
    inventory: {
      scanId: plan.scanId,
      account: account.id,
      partition: partitionOf(home),
      homeRegion: home,
      regions,
      observedAt: plan.startedAt,
      s3,
      iam,
      byRegion,
      errors,
      callsByRegion: calls,
    },
    scope: { regions, notScanned, basis: plan.basis },
    lost: lostParts,
  };
}
