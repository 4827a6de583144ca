/**
 * Organization scan at scale: the real org-accounts, org-shard and org-merge handlers over a
 * simulated organization (N accounts × 4 regions, each account part a SyntheticAccount behind its
 * own FakeAws, so every account and region has its own per-API rate limits). The parent plays the
 * state machine: it runs ListAccounts, then hands the shards to C worker processes in the order of
 * the shard list, one at a time each — the Distributed Map at MaxConcurrency C, each worker one
 * Lambda execution environment — then MergeScan.
 *
 * Reports wall time against the floor: the serial tasks plus the longer of the slowest shard and
 * the total shard work divided by C (no scheduler can beat either); each shard's peak memory,
 * which must stay flat as the organization grows; the merge's time and memory; and whether every
 * account's findings equal a single-account scan of the same account (nothing lost).
 * ORG_VERBOSE=1 prints each shard's duration, CPU time, API calls and peak memory.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PlannedScan, ShardItem } from '../../lambdas/organization/layout';
import type { MergeResult } from '../../lambdas/organization/merge';
import type { ShardResult } from '../../lambdas/organization/shard';
import type { ScanResult } from '../../lambdas/scanner/run-scan';
import type { WorkerConfig, WorkerReply, WorkerTask } from './worker';
import { SDK_TRACING_OFF } from '../../lambdas/shared/env-names';

export const ORG_REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'ap-southeast-2'];
const HOME = 'us-east-1';
const AUDIT_BUCKET = 'bench-org-audit-bucket';
export const FULL_ACCOUNTS = [10, 25, 50];
export const QUICK_ACCOUNTS = [5, 10];
/** Shards in flight (the Map's MaxConcurrency): what 2 shared cores can run without being CPU-bound. */
export const DEFAULT_ORG_CONCURRENCY = 8;
export const DEFAULT_RESOURCES_PER_PART = 120;
export const DEFAULT_ORG_LATENCY_MS = 20;

export interface OrgBenchOptions {
  readonly quick: boolean;
  readonly log: (line: string) => void;
  readonly accounts?: readonly number[];
  readonly concurrency?: number;
  readonly resourcesPerPart?: number;
  readonly latencyMs?: number;
}

export interface OrgRun {
  readonly accounts: number;
  readonly regions: number;
  readonly shards: number;
  readonly concurrency: number;
  readonly resourcesPerPart: number;
  readonly wallMs: number;
  readonly planMs: number;
  readonly mapMs: number;
  readonly mergeMs: number;
  readonly slowestShardMs: number;
  readonly shardWorkMs: number;
  /** planMs + max(slowest shard, shard work / concurrency) + mergeMs. */
  readonly floorMs: number;
  readonly shardPeakRssKiB: number;
  readonly shardMedianPeakRssKiB: number;
  readonly shardCpuMs: number;
  readonly mergePeakRssKiB: number;
  readonly findings: number;
  readonly apiCalls: number;
  /** Accounts whose findings differ from the single-account scan (empty: nothing lost). */
  readonly mismatches: readonly string[];
}

export interface OrgBenchReport {
  readonly latencyMs: number;
  readonly runs: readonly OrgRun[];
}

class Worker {
  private next = 0;
  private readonly waiting = new Map<number, (r: WorkerReply) => void>();
  readonly ready: Promise<void>;

  constructor(readonly child: ChildProcess) {
    this.ready = new Promise((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`worker exited ${code}`)));
      child.on('message', (reply: WorkerReply) => {
        if (reply.id === -1) return resolve();
        this.waiting.get(reply.id)?.(reply);
        this.waiting.delete(reply.id);
      });
    });
  }

  async run<T>(kind: WorkerTask['kind'], payload: unknown) {
    const id = this.next++;
    const reply = await new Promise<WorkerReply>((resolve) => {
      this.waiting.set(id, resolve);
      this.child.send({ id, kind, payload } as WorkerTask);
    });
    if (!reply.ok) throw new Error(`${kind} failed in a worker: ${reply.error}`);
    return { ...reply, result: reply.result as T };
  }

  stop() {
    this.child.removeAllListeners('exit');
    this.child.kill();
  }
}

function startWorker(config: WorkerConfig): Worker {
  return new Worker(
    fork(join(__dirname, 'worker.ts'), [JSON.stringify(config)], {
      execArgv: ['--expose-gc', '--require', 'tsx/cjs'],
      env: {
        ...process.env,
        AWS_REGION: HOME,
        AUDIT_BUCKET,
        EVENT_BUS_NAME: 'default',
        ORG_MEMBER_ROLE_NAME: config.memberRoleName,
        ORG_EXTERNAL_ID: config.externalId,
        AWS_MAX_ATTEMPTS: '20',
        POWERTOOLS_LOG_LEVEL: 'ERROR',
        POWERTOOLS_METRICS_DISABLED: 'true',
        // The shard function's environment in the stack (a worker plays org-shard).
        ...SDK_TRACING_OFF,
        AWS_CONFIG_FILE: '/dev/null',
        AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
        AWS_EC2_METADATA_DISABLED: 'true',
      },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    }),
  );
}

/** Findings by `<check> <status>` of each account in a findings JSONL. */
function tally(path: string): Map<string, Map<string, number>> {
  const byAccount = new Map<string, Map<string, number>>();
  for (const line of readFileSync(path, 'utf-8').split('\n')) {
    if (!line) continue;
    const f = JSON.parse(line) as { account: string; checkId: string; status: string };
    const t = byAccount.get(f.account) ?? new Map<string, number>();
    byAccount.set(f.account, t);
    const key = `${f.checkId} ${f.status}`;
    t.set(key, (t.get(key) ?? 0) + 1);
  }
  return byAccount;
}

const median = (xs: readonly number[]) =>
  [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;

async function runOrganization(
  accounts: number,
  options: Required<Omit<OrgBenchOptions, 'quick' | 'accounts'>>,
): Promise<OrgRun> {
  const storeDir = mkdtempSync(join(tmpdir(), 'bench-org-'));
  const ids = Array.from({ length: accounts }, (_, i) => String(100000000001 + i));
  const config: WorkerConfig = {
    storeDir,
    auditBucket: AUDIT_BUCKET,
    homeRegion: HOME,
    regions: ORG_REGIONS,
    accounts: ids,
    resourcesPerPart: options.resourcesPerPart,
    latencyMs: options.latencyMs,
    memberRoleName: 'bench-member',
    externalId: 'bench-external-id',
    nowMs: Date.now(),
  };
  const coordinator = startWorker(config);
  const workers = Array.from({ length: options.concurrency }, () => startWorker(config));
  try {
    await Promise.all([coordinator, ...workers].map((w) => w.ready));
    const log = (s: string) => options.log(`organization ${accounts} accounts: ${s}`);

    const t0 = performance.now();
    const scheduled = { source: 'aws.events', 'detail-type': 'Scheduled Event', detail: {} };
    const plan = await coordinator.run<PlannedScan>('accounts', { trigger: scheduled });
    const planMs = performance.now() - t0;
    const items = JSON.parse(
      readFileSync(join(storeDir, plan.result.shardsKey), 'utf-8'),
    ) as ShardItem[];
    log(`${items.length} shards at concurrency ${options.concurrency}…`);

    const shards: { durationMs: number; peakRssKiB: number; cpuMs: number; calls: number }[] = [];
    const queue = [...items];
    const t1 = performance.now();
    await Promise.all(
      workers.map(async (w) => {
        for (let item = queue.shift(); item; item = queue.shift()) {
          const r = await w.run<ShardResult>('shard', {
            scanId: plan.result.scanId,
            startedAt: plan.result.startedAt,
            ...item,
          });
          shards.push({
            durationMs: r.durationMs,
            peakRssKiB: r.peakRssKiB,
            cpuMs: r.cpuMs,
            calls: r.result.apiCalls,
          });
          if (process.env.ORG_VERBOSE)
            log(
              `${item.account}/${item.region}: ${r.durationMs.toFixed(0)} ms, CPU ${r.cpuMs.toFixed(0)} ms, ${r.result.apiCalls} calls, ${(r.peakRssKiB / 1024).toFixed(0)} MiB`,
            );
        }
      }),
    );
    const mapMs = performance.now() - t1;

    const t2 = performance.now();
    const merge = await coordinator.run<MergeResult>('merge', {
      scanId: plan.result.scanId,
      startedAt: plan.result.startedAt,
      planKey: plan.result.planKey,
      resultsPrefix: plan.result.resultsPrefix,
      map: [],
    });
    const mergeMs = performance.now() - t2;
    const wallMs = performance.now() - t0;
    log(
      `merged ${merge.result.findings} findings in ${(mergeMs / 1000).toFixed(1)} s; checking against a single-account scan…`,
    );

    const reference = await coordinator.run<ScanResult>('reference', { account: ids[0] });
    const want = tally(join(storeDir, reference.result.findingsKey)).get(ids[0]!)!;
    const got = tally(join(storeDir, merge.result.findingsKey));
    const key = (t: Map<string, number> | undefined) =>
      JSON.stringify([...(t ?? new Map()).entries()].sort());
    const mismatches = ids.filter((id) => key(got.get(id)) !== key(want));

    const slowestShardMs = Math.max(...shards.map((s) => s.durationMs));
    const shardWorkMs = shards.reduce((a, s) => a + s.durationMs, 0);
    const floorMs = planMs + Math.max(slowestShardMs, shardWorkMs / options.concurrency) + mergeMs;
    return {
      accounts,
      regions: ORG_REGIONS.length,
      shards: items.length,
      concurrency: options.concurrency,
      resourcesPerPart: options.resourcesPerPart,
      wallMs,
      planMs,
      mapMs,
      mergeMs,
      slowestShardMs,
      shardWorkMs,
      floorMs,
      shardPeakRssKiB: Math.max(...shards.map((s) => s.peakRssKiB)),
      shardMedianPeakRssKiB: median(shards.map((s) => s.peakRssKiB)),
      shardCpuMs: shards.reduce((a, s) => a + s.cpuMs, 0),
      mergePeakRssKiB: merge.peakRssKiB,
      findings: merge.result.findings,
      apiCalls: shards.reduce((a, s) => a + s.calls, 0),
      mismatches,
    };
  } finally {
    for (const w of [coordinator, ...workers]) w.stop();
    rmSync(storeDir, { recursive: true, force: true });
  }
}

export async function benchOrganization(options: OrgBenchOptions): Promise<OrgBenchReport> {
  const sizes = options.accounts ?? (options.quick ? QUICK_ACCOUNTS : FULL_ACCOUNTS);
  const settings = {
    log: options.log,
    concurrency: options.concurrency ?? DEFAULT_ORG_CONCURRENCY,
    resourcesPerPart: options.resourcesPerPart ?? DEFAULT_RESOURCES_PER_PART,
    latencyMs: options.latencyMs ?? DEFAULT_ORG_LATENCY_MS,
  };
  const runs: OrgRun[] = [];
  for (const n of sizes) {
    const r = await runOrganization(n, settings);
    options.log(
      `organization ${n} accounts: ${(r.wallMs / 1000).toFixed(1)} s (floor ${(r.floorMs / 1000).toFixed(1)} s), shard peak ${(r.shardPeakRssKiB / 1024).toFixed(0)} MiB, merge ${(r.mergeMs / 1000).toFixed(1)} s${r.mismatches.length ? `, MISMATCH in ${r.mismatches.length} accounts` : ''}`,
    );
    runs.push(r);
  }
  return { latencyMs: settings.latencyMs, runs };
}

/** The report's table and goals (bench/run.ts prints it with the other phases). */
export function organizationLines(r: OrgBenchReport, goalRatio: number): string[] {
  const mib = (kib: number) => `${(kib / 1024).toFixed(0)} MiB`;
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const lines = [
    `\n== Organization scan: N accounts × ${ORG_REGIONS.length} regions, per-account per-region API rate limits, ${r.runs[0]?.resourcesPerPart ?? '?'} resources per account part, ${r.latencyMs} ms latency`,
    '   wall = ListAccounts + the shards at MaxConcurrency C + MergeScan; floor = the same serial tasks + max(slowest shard, shard work / C)',
    '   accounts  shards  C   wall      floor     vs floor  map: slowest / work÷C   merge    shard peak RSS (max / median)  merge RSS  findings  nothing lost',
  ];
  for (const x of r.runs) {
    lines.push(
      `   ${String(x.accounts).padStart(8)}  ${String(x.shards).padStart(6)}  ${String(x.concurrency).padStart(2)}  ${s(x.wallMs).padStart(8)}  ${s(x.floorMs).padStart(8)}  ${`${(x.wallMs / x.floorMs).toFixed(2)}x`.padStart(8)}  ${`${s(x.slowestShardMs)} / ${s(x.shardWorkMs / x.concurrency)}`.padStart(19)}  ${s(x.mergeMs).padStart(7)}  ${`${mib(x.shardPeakRssKiB)} / ${mib(x.shardMedianPeakRssKiB)}`.padStart(29)}  ${mib(x.mergePeakRssKiB).padStart(9)}  ${String(x.findings).padStart(8)}  ${x.mismatches.length ? `NO (${x.mismatches.length} accounts)` : 'yes'}`,
    );
  }
  const largest = r.runs[r.runs.length - 1];
  const smallest = r.runs[0];
  if (largest && smallest) {
    const ratio = largest.wallMs / largest.floorMs;
    lines.push(
      `   goal within ${goalRatio}x of the floor at ${largest.accounts} accounts: ${ratio.toFixed(2)}x ${ratio <= goalRatio ? 'met' : 'NOT MET'}`,
      `   shard peak memory ${mib(smallest.shardPeakRssKiB)} at ${smallest.accounts} accounts → ${mib(largest.shardPeakRssKiB)} at ${largest.accounts} (${(largest.shardPeakRssKiB / smallest.shardPeakRssKiB).toFixed(2)}x for ${(largest.accounts / smallest.accounts).toFixed(0)}x the accounts); merge ${mib(smallest.mergePeakRssKiB)} → ${mib(largest.mergePeakRssKiB)}`,
      `   goal nothing lost (each account's findings = a single-account scan of it): ${r.runs.every((x) => x.mismatches.length === 0) ? 'met' : 'NOT MET'}`,
    );
  }
  return lines;
}
