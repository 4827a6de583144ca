/**
 * Where an organization scan keeps its working objects in the audit bucket, and the shapes of the
 * payloads its Step Functions tasks pass each other (parsed with these schemas on arrival, so a
 * malformed payload fails its task with one clear message).
 *
 *   org-scans/dt=YYYY-MM-DD/<scanId>/plan.json                 accounts and regions (org-accounts)
 *   org-scans/dt=YYYY-MM-DD/<scanId>/shards.json               the Distributed Map's items
 *   org-scans/dt=YYYY-MM-DD/<scanId>/parts/<account>/<part>.json   one per shard (org-shard)
 *   org-scans/dt=YYYY-MM-DD/<scanId>/map/…                     the Map's ResultWriter output
 *
 * The merged result keeps the single-account contract (DESIGN §10): findings/dt=…/<scanId>.jsonl,
 * latest.json and the `Compliance Scan Completed` event. `org-scans/` expires after a week.
 */
import * as z from 'zod/mini';
import { datePartition } from '../shared/store';

export const ORG_SCANS_PREFIX = 'org-scans/';
/** The shard of an account that reads its global services (S3, IAM); every other part is a region. */
export const GLOBAL_PART = 'global';

/** Keys of one organization scan. */
export function orgScanKeys(scanId: string, startedAt: string) {
  const base = `${ORG_SCANS_PREFIX}${datePartition(startedAt)}/${scanId}`;
  return {
    plan: `${base}/plan.json`,
    shards: `${base}/shards.json`,
    parts: `${base}/parts/`,
    results: `${base}/map`,
    part: (account: string, part: string) => `${base}/parts/${account}/${part}.json`,
  };
}

const accountId = z.string().check(z.regex(/^\d{12}$/));
const partName = z.string().check(z.regex(/^(global|[a-z]{2}(-[a-z]+)+-\d)$/));
const nonEmpty = z.string().check(z.minLength(1));

/** One item of the Distributed Map: an account and the part of it one shard scans. */
export const shardItemSchema = z.object({ account: accountId, region: partName });
export type ShardItem = z.infer<typeof shardItemSchema>;

/** What the state machine passes to org-shard for one item. */
export const shardTaskSchema = z.object({
  scanId: nonEmpty,
  startedAt: nonEmpty,
  account: accountId,
  region: partName,
});
export type ShardTask = z.infer<typeof shardTaskSchema>;

/** An account in the plan. */
export interface PlannedAccount {
  readonly id: string;
  readonly name?: string;
}

/** What the scan covers, written by org-accounts and read by org-merge. */
export interface ScanPlan {
  readonly scanId: string;
  readonly startedAt: string;
  readonly homeRegion: string;
  /** How the accounts and regions were chosen (the coverage's `basis`). */
  readonly basis: string;
  /** Regions scanned in every account (each shard checks the account has the region enabled). */
  readonly regions: readonly string[];
  readonly accounts: readonly PlannedAccount[];
  /** Accounts of the organization that are not scanned, and why (suspended, excluded). */
  readonly skipped: readonly (PlannedAccount & { readonly reason: string })[];
}

/** org-accounts' output: the state the rest of the execution works from (small on purpose). */
export interface PlannedScan {
  readonly scanId: string;
  readonly startedAt: string;
  readonly planKey: string;
  readonly shardsKey: string;
  readonly resultsPrefix: string;
  readonly accounts: number;
  readonly shardCount: number;
  /** The items themselves, only when asked for (`inlineShards`, an inline Map): see org-accounts. */
  readonly items?: readonly ShardItem[];
}

/** What the state machine passes to org-merge. */
export const mergeTaskSchema = z.object({
  scanId: nonEmpty,
  startedAt: nonEmpty,
  planKey: nonEmpty,
  resultsPrefix: nonEmpty,
  /**
   * The Map's outcome: ResultWriter details (Distributed Map), the items' results (inline Map),
   * or the error that stopped it (`{Error, Cause}` from the Catch).
   */
  map: z.unknown(),
});
export type MergeTask = z.infer<typeof mergeTaskSchema>;
