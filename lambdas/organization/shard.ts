/**
 * One shard of an organization scan: assume the member role of `account`, collect either its
 * global services (`global`: the S3 bucket list and every bucket, IAM, account settings) or one
 * region's services — the same collectors as a single-account scan — and write the part to the
 * audit bucket with the function's own credentials. Nothing is evaluated here: checks that span
 * regions (a multi-region trail, global types recorded once) need the whole account, so org-merge
 * evaluates each account over its combined parts.
 *
 * A region the account has not enabled is a `not-enabled` part (coverage, no findings). When the
 * shard cannot scan at all (the role is missing, an SCP denies sts:AssumeRole …) it writes a
 * `failed` part naming the call and error, then fails, so the Map counts it and org-merge turns it
 * into ERROR findings for everything it hid.
 *
 * IAM actions: `sts:AssumeRole` (member-session.ts); `s3:PutObject` —
 * `arn:aws:s3:::<audit-bucket>/org-scans/*`; `kms:GenerateDataKey` — the audit data key. In the
 * member account, through its role: everything the collectors list (inventory/*.ts) and
 * `ec2:DescribeRegions` (scope.ts).
 */
import { S3Client } from '@aws-sdk/client-s3';
import {
  awsClient,
  clientOptions,
  configureClients,
  resetApiCallCounts,
  totalApiCalls,
} from '../shared/clients';
import { classifyError, errorMessage, errorName } from '../shared/errors';
import { logger } from '../shared/observability';
import { putText } from '../shared/store';
import { collectInventory } from '../scanner/inventory';
import type { Deadline } from '../scanner/inventory/collector';
import type { CollectionError } from '../scanner/inventory/types';
import { resolveScope } from '../scanner/scope';
import { GLOBAL_PART, orgScanKeys, type ShardTask } from './layout';
import { assumeMemberRole } from './member-session';
import type { ShardPart } from './parts';

export interface ShardOptions {
  readonly auditBucket: string;
  /** Region of the audit stack: STS, the audit bucket, and the member's global services. */
  readonly homeRegion: string;
  readonly roleName: string;
  readonly externalId: string;
  /** Per-operation limit of API calls in flight (SCAN_CONCURRENCY). */
  readonly concurrency: number;
  readonly deadline?: Deadline;
  readonly sleep: (ms: number) => Promise<void>;
  readonly reportPolls?: number;
  readonly reportPollIntervalMs?: number;
}

export interface ShardResult {
  readonly account: string;
  readonly region: string;
  readonly status: ShardPart['status'];
  readonly apiCalls: number;
  readonly collectionErrors: number;
  readonly durationMs: number;
}

/** A shard that could not run: its part says why, and the task fails so the Map counts it. */
export class ShardFailedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ShardFailed';
  }
}

async function collectPart(task: ShardTask, options: ShardOptions): Promise<ShardPart> {
  const base = { account: task.account, part: task.region };
  const collect = (regions: string[]) =>
    collectInventory({
      scanId: task.scanId,
      account: task.account,
      homeRegion: options.homeRegion,
      regions,
      observedAt: task.startedAt,
      concurrency: options.concurrency,
      deadline: options.deadline,
      sleep: options.sleep,
      reportPolls: options.reportPolls,
      reportPollIntervalMs: options.reportPollIntervalMs,
      global: task.region === GLOBAL_PART,
    });
  if (task.region === GLOBAL_PART) {
    const inv = await collect([]);
    return {
      ...base,
      status: 'scanned',
      s3: inv.s3,
      iam: inv.iam,
      errors: inv.errors,
      callsByRegion: inv.callsByRegion,
    };
  }
  const scope = await resolveScope(options.homeRegion, [task.region]);
  const notScanned = scope.notScanned[0];
  if (notScanned) return { ...base, status: 'not-enabled', reason: notScanned.reason };
  const inv = await collect([task.region]);
  const region = inv.byRegion[task.region];
  if (!region) throw new Error(`collector returned no inventory for ${task.region}`);
  return {
    ...base,
    status: 'scanned',
    region,
    errors: inv.errors,
    callsByRegion: inv.callsByRegion,
  };
}

export async function runShard(task: ShardTask, options: ShardOptions): Promise<ShardResult> {
  const started = Date.now();
  resetApiCallCounts();
  const own = clientOptions();
  const where = task.region === GLOBAL_PART ? options.homeRegion : task.region;
  let operation = 'AssumeRole';
  let part: ShardPart;
  try {
    const credentials = await assumeMemberRole({ ...options, ...task });
    configureClients({ ...own, credentials });
    operation = 'ScanShard';
    part = await collectPart(task, options);
  } catch (err) {
    const error: CollectionError = {
      // org-merge restates it for each service the part stood for.
      service: 'sts',
      region: where,
      operation,
      kind: classifyError(err),
      code: errorName(err),
      message: errorMessage(err),
    };
    part = { account: task.account, part: task.region, status: 'failed', error };
  } finally {
    configureClients(own);
  }

  const key = orgScanKeys(task.scanId, task.startedAt).part(task.account, task.region);
  // Compact: a part of a large region is megabytes, read back once.
  const s3 = awsClient(S3Client, options.homeRegion);
  await putText(s3, options.auditBucket, key, JSON.stringify(part), 'application/json');
  const result: ShardResult = {
    account: task.account,
    region: task.region,
    status: part.status,
    apiCalls: totalApiCalls(),
    collectionErrors: part.status === 'scanned' ? part.errors.length : 0,
    durationMs: Date.now() - started,
  };
  logger.info('Shard done', { ...result });
  if (part.status === 'failed') {
    const e = part.error;
    throw new ShardFailedError(
      `${task.account}/${task.region}: ${e.operation} failed (${e.code}): ${e.message}`,
    );
  }
  return result;
}
