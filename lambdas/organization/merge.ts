/**
 * The last task of an organization scan: for each account of the plan, read its parts, combine
 * them into one Inventory (combine.ts), run the SAME check registry a single-account scan runs,
 * and stream the findings into the scan's one findings JSONL; then write latest.json and publish
 * one `Compliance Scan Completed` event — the single-account contract, plus `accounts` (totals per
 * account) — so reports, alerts and remediation work unchanged.
 *
 * Memory holds one account (plus the next one's parts, read ahead) and one upload part, whatever
 * the size of the organization. Coverage names what it covers per account: `<account>/<region>`
 * (and `<account>/global` for an account's global services).
 *
 * IAM actions: `s3:GetObject` — `…/org-scans/*`, `…/latest.json`; `s3:ListBucket` — the audit
 * bucket; `s3:PutObject` — `…/findings/*`, `…/latest.json`; `s3:AbortMultipartUpload` —
 * `…/findings/*`; `kms:Decrypt`, `kms:GenerateDataKey` — the audit data key; `events:PutEvents` —
 * the event bus.
 */
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { S3Client } from '@aws-sdk/client-s3';
import { awsClient } from '../shared/clients';
import {
  SCAN_COMPLETED,
  publishEvent,
  type AccountTotals,
  type RegionNotScanned,
  type ScanCompletedDetail,
} from '../shared/events';
import { countFindings, type FindingCounts } from '../shared/findings';
import { logger } from '../shared/observability';
import { partitionOf } from '../shared/regions';
import {
  findingsKey,
  getText,
  LATEST_KEY,
  putJson,
  toJsonl,
  type ScanPointer,
} from '../shared/store';
import { CHECKS } from '../scanner/checks/registry';
import { scanCoverage } from '../scanner/coverage';
import { startLifecycle, type Lifecycle } from '../scanner/lifecycle';
import { appendFindings, readPrevious } from '../scanner/run-scan';
import { publishScanMetrics, resourcesScanned } from '../scanner/scan-metrics';
import type { ScanSettings } from '../scanner/settings';
import { combineAccount } from './combine';
import { FindingsUpload } from '../shared/findings-upload';
import {
  GLOBAL_PART,
  orgScanKeys,
  type MergeTask,
  type PlannedAccount,
  type ScanPlan,
} from './layout';
import { readMapOutcome } from './map-results';
import { parsePart, type ShardPart } from './parts';

/** Accounts whose parts are read ahead of the one being evaluated. */
const READ_AHEAD = 2;
/** EventBridge entries stop at 256 KiB; beyond this the event's lists are shortened (latest.json keeps them). */
export const MAX_EVENT_DETAIL_BYTES = 200 * 1024;
/** Skipped accounts named in the coverage's basis (the plan lists all of them). */
const MAX_SKIPPED_NAMED = 20;

export interface MergeOptions {
  /** The audit account (where the suppressions object lives; its ERROR finding names it). */
  readonly auditAccount: string;
  readonly auditBucket: string;
  readonly homeRegion: string;
  readonly settings: ScanSettings;
  readonly eventBusName?: string;
  readonly now?: () => Date;
}

export interface MergeResult {
  readonly scanId: string;
  readonly findingsKey: string;
  readonly counts: FindingCounts;
  readonly findings: number;
  readonly accounts: number;
  /** Accounts with at least one part (region or global) not scanned. */
  readonly accountsWithFailures: number;
  readonly mapError?: string;
  readonly durationMs: number;
}

async function readJson<T>(s3: S3Client, bucket: string, key: string): Promise<T> {
  const text = await getText(s3, bucket, key);
  if (text === undefined) throw new Error(`s3://${bucket}/${key} does not exist`);
  return JSON.parse(text) as T;
}

/** An account's parts by name (`global` or region); missing ones are undefined. */
async function readParts(s3: S3Client, bucket: string, plan: ScanPlan, account: PlannedAccount) {
  const keys = orgScanKeys(plan.scanId, plan.startedAt);
  const names = [GLOBAL_PART, ...plan.regions];
  const parts = await Promise.all(
    names.map(async (name) => {
      const key = keys.part(account.id, name);
      const text = await getText(s3, bucket, key);
      return [name, text === undefined ? undefined : parsePart(text, key)] as const;
    }),
  );
  return new Map<string, ShardPart | undefined>(parts);
}

function addCounts(into: FindingCounts, c: FindingCounts): void {
  for (const k of Object.keys(into) as (keyof FindingCounts)[]) into[k] += c[k];
}

/** The detail as it fits in one EventBridge entry (latest.json keeps everything). */
export function fitEventDetail(detail: ScanCompletedDetail): ScanCompletedDetail {
  const size = (d: ScanCompletedDetail) => Buffer.byteLength(JSON.stringify(d));
  if (size(detail) <= MAX_EVENT_DETAIL_BYTES || !detail.coverage) return detail;
  const note = '; this event omits the per-account lists (latest.json has them)';
  const coverage = { ...detail.coverage, basis: `${detail.coverage.basis}${note}` };
  const shorter: ScanCompletedDetail = {
    ...detail,
    coverage: { ...coverage, regionsScanned: [] },
  };
  if (size(shorter) <= MAX_EVENT_DETAIL_BYTES) return shorter;
  const withoutAccounts: ScanCompletedDetail = { ...shorter };
  delete withoutAccounts.accounts;
  const failed = coverage.regionsFailed;
  let keep = failed.length;
  let fitted: ScanCompletedDetail = withoutAccounts;
  while (size(fitted) > MAX_EVENT_DETAIL_BYTES && keep > 0) {
    keep = Math.floor(keep / 2);
    fitted = {
      ...withoutAccounts,
      coverage: { ...coverage, regionsScanned: [], regionsFailed: failed.slice(0, keep) },
    };
  }
  return fitted;
}

export async function runMerge(task: MergeTask, options: MergeOptions): Promise<MergeResult> {
  const now = options.now ?? (() => new Date());
  const started = now();
  const { auditBucket: bucket, settings } = options;
  const s3 = awsClient(S3Client, options.homeRegion);
  const plan = await readJson<ScanPlan>(s3, bucket, task.planKey);
  if (plan.scanId !== task.scanId) {
    throw new Error(`${task.planKey} is the plan of scan ${plan.scanId}, not ${task.scanId}`);
  }
  const outcome = await readMapOutcome(s3, bucket, task.resultsPrefix, task.map);
  if (outcome.mapError) logger.warn('The map run failed', { error: outcome.mapError });

  // Suppressions and change states, as in a single-account scan, over every account's findings.
  const previous = await readPrevious(s3, bucket);
  const lifecycle = await startLifecycle(s3, bucket, {
    scanId: plan.scanId,
    startedAt: plan.startedAt,
    account: options.auditAccount,
    homeRegion: options.homeRegion,
    partition: partitionOf(options.homeRegion),
    previous,
    now: started,
  });
  const eachAccount: Lifecycle = { ...lifecycle, batches: (src) => lifecycle.batches(src, false) };

  const key = findingsKey(plan.scanId, plan.startedAt);
  const upload = new FindingsUpload(s3, bucket, key);
  const counts = countFindings([]);
  const regionsScanned: string[] = [];
  const regionsFailed: RegionNotScanned[] = [];
  const scannedRegionNames = new Set<string>();
  const checksErrored = new Set<string>();
  const accounts: AccountTotals[] = [];
  let findings = 0;
  let resources = 0;
  let nonCompliant = 0;
  let apiCalls = 0;
  let deadlineReached = false;

  const reads: Promise<Map<string, ShardPart | undefined>>[] = [];
  const readAhead = (i: number) => {
    for (let j = reads.length; j <= Math.min(i + READ_AHEAD, plan.accounts.length - 1); j += 1)
      reads.push(readParts(s3, bucket, plan, plan.accounts[j]!));
  };
  await upload.write(async () => {
    for (const [i, account] of plan.accounts.entries()) {
      readAhead(i);
      const parts = await reads[i]!;
      reads[i] = Promise.resolve(new Map()); // let the parts go once combined
      const { inventory, scope, lost } = combineAccount(plan, account, parts, outcome);
      const written = await appendFindings(inventory, settings, eachAccount, upload);
      const coverage = scanCoverage(scope, inventory, {
        run: CHECKS.length,
        errored: written.checksErrored,
      });

      const notEnabled = new Set(scope.notScanned.map((r) => r.region));
      // A lost part's reason is its shard's, not the most frequent error of other reads there.
      const lostReason = new Map(lost.map((l) => [l.region, l.reason]));
      const failed = [
        ...lost.filter((l) => l.region === GLOBAL_PART),
        ...coverage.regionsFailed.map((r) => ({
          region: r.region,
          reason: lostReason.get(r.region) ?? r.reason,
        })),
      ];
      for (const r of coverage.regionsScanned) {
        regionsScanned.push(`${account.id}/${r}`);
        scannedRegionNames.add(r);
      }
      for (const r of failed)
        regionsFailed.push({ region: `${account.id}/${r.region}`, reason: r.reason });
      for (const c of written.checksErrored) checksErrored.add(c);
      deadlineReached ||= coverage.deadlineReached;
      addCounts(counts, written.counts);
      findings += written.findings;
      resources += resourcesScanned(inventory);
      nonCompliant += written.nonCompliantResources;
      for (const c of Object.values(inventory.callsByRegion)) apiCalls += c.ok + c.failed;
      const totals: AccountTotals = {
        account: account.id,
        ...(account.name ? { name: account.name } : {}),
        counts: written.counts,
        failed: failed.map((r) => r.region).filter((r) => !notEnabled.has(r)),
      };
      accounts.push(totals);
      // One line per account: the dashboard's per-account table reads these (Logs Insights).
      logger.info('Account scanned', {
        scanId: plan.scanId,
        account: account.id,
        accountName: account.name,
        ...written.counts,
        failedParts: totals.failed.length,
      });
    }
    const own = lifecycle.ownFindings();
    if (own.length > 0) {
      await upload.append(Buffer.from(toJsonl(own)));
      addCounts(counts, countFindings(own));
      findings += own.length;
    }
  });

  const finished = now();
  const skipped = plan.skipped.length
    ? `; skipped: ${plan.skipped
        .slice(0, MAX_SKIPPED_NAMED)
        .map((a) => `${a.id} (${a.reason})`)
        .join(
          ', ',
        )}${plan.skipped.length > MAX_SKIPPED_NAMED ? ` and ${plan.skipped.length - MAX_SKIPPED_NAMED} more (plan.json)` : ''}`
    : '';
  const detail: ScanCompletedDetail = {
    scanId: plan.scanId,
    startedAt: plan.startedAt,
    finishedAt: finished.toISOString(),
    findingsKey: key,
    counts,
    regions: [...scannedRegionNames].sort(),
    coverage: {
      basis: `${plan.basis}${skipped}${outcome.mapError ? `; the map run failed: ${outcome.mapError}` : ''}`,
      regionsScanned,
      regionsFailed,
      checksRun: CHECKS.length,
      checksErrored: [...checksErrored],
      deadlineReached,
    },
    accounts,
  };
  await lifecycle.save([...scannedRegionNames, options.homeRegion]);
  const pointer: ScanPointer = {
    ...detail,
    ...(previous
      ? { previous: { scanId: previous.scanId, findingsKey: previous.findingsKey } }
      : {}),
  };
  await putJson(s3, bucket, LATEST_KEY, pointer);
  await publishEvent(
    awsClient(EventBridgeClient, options.homeRegion),
    SCAN_COMPLETED,
    fitEventDetail(detail),
    options.eventBusName,
  );

  const durationMs = finished.getTime() - Date.parse(plan.startedAt);
  publishScanMetrics({
    counts,
    durationMs,
    resourcesScanned: resources,
    nonCompliantResources: nonCompliant,
    apiCalls,
  });
  const result: MergeResult = {
    scanId: plan.scanId,
    findingsKey: key,
    counts,
    findings,
    accounts: accounts.length,
    accountsWithFailures: accounts.filter((a) => a.failed.length > 0).length,
    ...(outcome.mapError ? { mapError: outcome.mapError } : {}),
    durationMs,
  };
  logger.info('Organization scan completed', {
    ...result,
    mergeMs: now().getTime() - started.getTime(),
    findingsBytes: upload.bytes,
  });
  return result;
}
