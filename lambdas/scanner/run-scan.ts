/**
 * One scan end to end, separate from the Lambda handler so a benchmark can run the real code path
 * with a fake request handler (configureClients): resolve the regions (scope.ts), collect the
 * inventory once, evaluate every check (pure) while its findings stream to the findings JSONL
 * (a multipart upload once they pass one part), then write latest.json
 * (pointer, with `previous` from the old pointer) LAST, then the `Compliance Scan Completed` event,
 * both carrying the coverage — and publish EMF metrics. A failed write throws (nothing after it
 * happens); failed collection calls become ERROR findings. With a deadline, collection stops
 * starting calls at it and abandons those still running, so the results are always written.
 *
 * IAM actions (resource scoping):
 * - `s3:GetObject` — `arn:aws:s3:::<audit-bucket>/latest.json`, `…/state/*`, `…/suppressions/*`
 * - `s3:PutObject` — `arn:aws:s3:::<audit-bucket>/findings/*`, `…/state/*` and `…/latest.json`
 * - `s3:AbortMultipartUpload` — `arn:aws:s3:::<audit-bucket>/findings/*` (a failed upload)
 * - `kms:GenerateDataKey`, `kms:Decrypt` — the audit bucket's KMS key (SSE-KMS objects)
 * - `events:PutEvents` — `arn:aws:events:<region>:<account>:event-bus/default` (EVENT_BUS_NAME)
 * - `sts:GetCallerIdentity` — only when no account id is given (needs no permission)
 * plus everything the collectors list (inventory/*.ts).
 */
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { S3Client } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { awsClient, defaultRegion, resetApiCallCounts } from '../shared/clients';
import {
  SCAN_COMPLETED,
  publishEvent,
  type ScanCompletedDetail,
  type ScanCoverage,
} from '../shared/events';
import { countFindings, type Finding, type FindingCounts } from '../shared/findings';
import { FindingsUpload } from '../shared/findings-upload';
import { logger } from '../shared/observability';
import {
  LATEST_KEY,
  findingsKey,
  putJson,
  readLatest,
  toJsonl,
  type ScanPointer,
} from '../shared/store';
import { CHECKS, evaluateEachCheck } from './checks/registry';
import { scanCoverage } from './coverage';
import { collectInventory } from './inventory';
import type { Deadline } from './inventory/collector';
import { startLifecycle, type Lifecycle } from './lifecycle';
import type { Inventory } from './inventory/types';
import { publishScanMetrics, resourcesScanned } from './scan-metrics';
import { newScanId } from './scan-id';
import { resolveScope } from './scope';
import { loadSettings, type ScanSettings } from './settings';

export { newScanId };

export interface RunScanOptions {
  /**
   * Regions asked for (a request's, else SCAN_REGIONS); absent: every region enabled for the
   * account. Those not enabled are reported in the coverage, not scanned.
   */
  readonly regions?: readonly string[];
  /** Bucket receiving findings and latest.json (AUDIT_BUCKET). */
  readonly auditBucket: string;
  /** Region of the audit bucket, IAM and account-level findings; default AWS_REGION. */
  readonly homeRegion?: string;
  /** Account id; when absent, STS GetCallerIdentity is called once. */
  readonly accountId?: string;
  /** Default: loadSettings() (environment). */
  readonly settings?: ScanSettings;
  /** EventBridge bus for the completion event; default EVENT_BUS_NAME or `default`. */
  readonly eventBusName?: string;
  /** When collection must stop so that results can still be written (Lambda timeout less a reserve). */
  readonly deadline?: Deadline;
  /** Clock (tests and benchmarks pin it). */
  readonly now?: () => Date;
  /** Sleep between credential-report polls (tests pass a no-op). */
  readonly sleep?: (ms: number) => Promise<void>;
  readonly reportPolls?: number;
  readonly reportPollIntervalMs?: number;
  /** Part size of the findings upload (tests make it small). @default PART_BYTES (8 MiB) */
  readonly findingsPartBytes?: number;
}

export interface ScanResult {
  readonly scanId: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly findingsKey: string;
  readonly counts: FindingCounts;
  readonly findings: number;
  readonly resourcesScanned: number;
  /** Distinct resources with at least one FAIL finding. */
  readonly nonCompliantResources: number;
  readonly collectionErrors: number;
  readonly coverage: ScanCoverage;
  readonly durationMs: number;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function resolveAccount(homeRegion: string, accountId: string | undefined): Promise<string> {
  if (accountId) return accountId;
  const out = await awsClient(STSClient, homeRegion).send(new GetCallerIdentityCommand({}));
  if (!out.Account) throw new Error('STS GetCallerIdentity returned no account id');
  return out.Account;
}

/**
 * The current latest.json, or undefined on the first scan. A pointer that is not JSON is logged
 * and replaced (else one bad write would block every later scan); a failed read throws.
 */
export async function readPrevious(s3: S3Client, bucket: string): Promise<ScanPointer | undefined> {
  try {
    return await readLatest(s3, bucket);
  } catch (err) {
    if (!(err instanceof SyntaxError)) throw err;
    logger.warn('latest.json is not valid JSON; writing a pointer without `previous`', {
      error: err.message,
    });
    return undefined;
  }
}

/** What a scan's findings add up to. */
interface FindingTotals {
  readonly counts: FindingCounts;
  findings: number;
  readonly failing: Set<string>;
  readonly errored: Set<string>;
}

function newTotals(): FindingTotals {
  return { counts: countFindings([]), findings: 0, failing: new Set(), errored: new Set() };
}

function addBatch(t: FindingTotals, batch: readonly Finding[]): void {
  const c = countFindings(batch);
  for (const k of Object.keys(t.counts) as (keyof FindingCounts)[]) t.counts[k] += c[k];
  for (const f of batch) {
    if (f.status === 'FAIL') t.failing.add(f.resource.uid);
    else if (f.status === 'ERROR') t.errored.add(f.checkId);
  }
  t.findings += batch.length;
}

function summary(t: FindingTotals) {
  return {
    counts: t.counts,
    findings: t.findings,
    nonCompliantResources: t.failing.size,
    checksErrored: [...t.errored],
  };
}

/**
 * Evaluates the checks one at a time and appends each one's findings to `upload` as it goes (a
 * multipart upload once they pass one part), so a scan never holds all its findings or their
 * JSONL at once; an organization's merge appends account after account to one upload the same
 * way. The caller completes the upload (`FindingsUpload.write`).
 */
export async function appendFindings(
  inventory: Inventory,
  settings: ScanSettings,
  lifecycle: Lifecycle,
  upload: FindingsUpload,
) {
  const totals = newTotals();
  for (const batch of lifecycle.batches(evaluateEachCheck(inventory, settings))) {
    addBatch(totals, batch);
    await upload.append(Buffer.from(toJsonl(batch)));
  }
  return summary(totals);
}

export async function runScan(options: RunScanOptions): Promise<ScanResult> {
  const now = options.now ?? (() => new Date());
  const started = now();
  const startedAt = started.toISOString();
  const scanId = newScanId(started);
  const homeRegion = options.homeRegion ?? defaultRegion();
  const settings = options.settings ?? loadSettings();
  resetApiCallCounts();

  const account = await resolveAccount(homeRegion, options.accountId);
  const scope = await resolveScope(homeRegion, options.regions);
  const { regions } = scope;
  logger.info('Scan started', {
    scanId,
    account,
    regions,
    notScanned: scope.notScanned,
    basis: scope.basis,
    homeRegion,
  });

  const inventory: Inventory = await collectInventory({
    scanId,
    account,
    homeRegion,
    regions,
    observedAt: startedAt,
    concurrency: settings.concurrency,
    deadline: options.deadline,
    sleep: options.sleep ?? realSleep,
    reportPolls: options.reportPolls,
    reportPollIntervalMs: options.reportPollIntervalMs,
  });
  const s3 = awsClient(S3Client, homeRegion);
  const previous = await readPrevious(s3, options.auditBucket);
  const lifecycle = await startLifecycle(s3, options.auditBucket, {
    scanId,
    startedAt,
    account,
    homeRegion,
    partition: inventory.partition,
    previous,
    now: started,
  });
  const key = findingsKey(scanId, startedAt);
  const upload = new FindingsUpload(s3, options.auditBucket, key, options.findingsPartBytes);
  const written = await upload.write(() => appendFindings(inventory, settings, lifecycle, upload));
  const { counts } = written;
  const coverage = scanCoverage(scope, inventory, {
    run: CHECKS.length,
    errored: written.checksErrored,
  });
  const finished = now();
  const finishedAt = finished.toISOString();
  // Only where the scan looked can a failing resource that is gone count as resolved; global
  // services are read from the home region.
  await lifecycle.save([...new Set([...coverage.regionsScanned, homeRegion])]);
  const detail: ScanCompletedDetail = {
    scanId,
    startedAt,
    finishedAt,
    findingsKey: key,
    counts,
    regions: [...regions],
    coverage,
  };
  // latest.json is the event's detail plus the link to the scan before it.
  const pointer: ScanPointer = {
    ...detail,
    ...(previous
      ? { previous: { scanId: previous.scanId, findingsKey: previous.findingsKey } }
      : {}),
  };
  await putJson(s3, options.auditBucket, LATEST_KEY, pointer);
  await publishEvent(
    awsClient(EventBridgeClient, homeRegion),
    SCAN_COMPLETED,
    detail,
    options.eventBusName,
  );

  const result: ScanResult = {
    scanId,
    startedAt,
    finishedAt,
    findingsKey: key,
    counts,
    findings: written.findings,
    resourcesScanned: resourcesScanned(inventory),
    nonCompliantResources: written.nonCompliantResources,
    collectionErrors: inventory.errors.length,
    coverage,
    durationMs: now().getTime() - started.getTime(),
  };
  publishScanMetrics(result);
  logger.info('Scan completed', { ...result });
  return result;
}
