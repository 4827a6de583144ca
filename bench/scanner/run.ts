/**
 * Scanner at scale: the real `runScan` (collectors, SDK clients with their retry middleware,
 * checks, writes) against a SyntheticAccount behind FakeAws, one child process per run so each
 * peak RSS is the scan's own. Reports per run: wall time, API calls (answered and throttled),
 * the floor — the slowest lane's (API × region) calls over its allowed rate, plus the
 * latency-bound tail — and the ratio to it, findings against the expected ones, peak memory.
 *
 * Parent: `benchScanner()` (called by bench/run.ts); child: scan-child.ts.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { BENCH_REGION } from './account';
import { DEFAULT_LIMITS, limitOf, type ApiCount, type RateLimit } from './fake-aws';
import { SDK_TRACING_OFF } from '../../lambdas/shared/env-names';

export const AUDIT_BUCKET = 'bench-audit-bucket';

export interface ScanRunParams {
  readonly resources: number;
  readonly latencyMs: number;
  /** One request at a time at the fake (a strictly sequential scan). */
  readonly serial: boolean;
  /** SCAN_CONCURRENCY for the scan; undefined = the scanner's default. */
  readonly concurrency?: number;
  /** AWS_MAX_ATTEMPTS: high enough that throttling never exhausts the retries. */
  readonly maxAttempts: number;
  /** AWS_RETRY_MODE=adaptive: the SDK's per-client limiter instead of the per-operation one. */
  readonly adaptiveRetry?: boolean;
  /**
   * Load the X-Ray SDK (Powertools' tracer) as a function with tracing on would: its async hooks
   * run on every promise. Default: as the stack deploys the scanner (SDK_TRACING_OFF).
   */
  readonly xraySdk?: boolean;
  readonly label: string;
}

export interface ScanRunResult {
  readonly params: ScanRunParams;
  /** Resources of the synthetic account (every type). */
  readonly resources: number;
  /** The scanner's ResourcesScanned metric (it counts six of the types). */
  readonly resourcesScanned: number;
  /** Regions the scan covered. */
  readonly regions: number;
  readonly wallMs: number;
  readonly cpuMs: number;
  /** RSS after loading modules and building the fake, before the scan (KiB). */
  readonly baselineRssKiB: number;
  /** Peak RSS of the whole child process (KiB). */
  readonly peakRssKiB: number;
  readonly findings: number;
  readonly findingsWritten: number;
  readonly expectedFindings: number;
  readonly errorFindings: number;
  readonly collectionErrors: number;
  /** Differences between the findings written and the expected ones (empty: all there). */
  readonly mismatches: readonly string[];
  readonly apis: Readonly<Record<string, ApiCount>>;
  /** Requests per lane: `service.Operation@region` (IAM's without a region). */
  readonly lanes: Readonly<Record<string, ApiCount>>;
}

// ----------------------------------------------------------------------------------- parent

/** Runs one scan in a fresh Node process (tsx's CommonJS hook) and returns its figures. */
export function spawnScan(params: ScanRunParams): Promise<ScanRunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '--expose-gc',
        '--require',
        'tsx/cjs',
        join(__dirname, 'scan-child.ts'),
        JSON.stringify(params),
      ],
      {
        cwd: process.cwd(),
        env: {
          ...process.env,
          AWS_REGION: BENCH_REGION,
          AWS_MAX_ATTEMPTS: String(params.maxAttempts),
          AWS_RETRY_MODE: params.adaptiveRetry ? 'adaptive' : 'standard',
          POWERTOOLS_LOG_LEVEL: 'ERROR',
          POWERTOOLS_METRICS_NAMESPACE: 'Benchmark',
          // The scanner's environment in the stack; the X-Ray row loads the SDK as tracing would.
          POWERTOOLS_TRACE_ENABLED: params.xraySdk
            ? 'true'
            : SDK_TRACING_OFF.POWERTOOLS_TRACE_ENABLED,
          // no real credentials, config files or IMDS lookups
          AWS_CONFIG_FILE: '/dev/null',
          AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
          AWS_EC2_METADATA_DISABLED: 'true',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const line = out
        .trim()
        .split('\n')
        .reverse()
        .find((l) => l.startsWith('{"params"'));
      if (code !== 0 || !line) {
        reject(
          new Error(
            `scan child (${params.label}) exited ${code}:\n${err.slice(-4000)}\n${out.slice(-2000)}`,
          ),
        );
        return;
      }
      resolve(JSON.parse(line) as ScanRunResult);
    });
  });
}

export interface Floor {
  /** Seconds: max over lanes of (calls − burst) / rate, plus the latency-bound tail. */
  readonly seconds: number;
  /** The lane that sets it (`service.Operation@region`). */
  readonly api: string;
  readonly apiCalls: number;
  readonly apiRate: number;
}

/**
 * Calls no scheduler can overlap with the slowest lane: ec2:DescribeRegions before collection;
 * that lane's last answer; then GetObject latest.json, GetObject suppressions, PutObject findings,
 * PutObject state, PutObject latest.json and PutEvents, one after the other.
 */
export const TAIL_LATENCIES = 8;

/**
 * The fastest any scheduler could go: each lane (one API in one region; IAM is global) admits
 * (calls − burst) / rate seconds' worth of calls beyond its burst; the slowest lane, plus the
 * latency-bound tail (TAIL_LATENCIES), is the floor. Calls are the answered ones (what the scan
 * needs), not throttled attempts. Keys without a region (`service.Operation`) count as one lane.
 */
export function floorOf(
  lanes: Readonly<Record<string, ApiCount>>,
  latencyMs: number,
  limits: Readonly<Record<string, RateLimit>> = DEFAULT_LIMITS,
): Floor {
  let best: Floor = { seconds: 0, api: '-', apiCalls: 0, apiRate: Infinity };
  for (const [lane, c] of Object.entries(lanes)) {
    const limit = limitOf(limits, lane);
    if (!limit) continue;
    const seconds = Math.max(0, c.ok - limit.burst) / limit.rate;
    if (seconds > best.seconds) best = { seconds, api: lane, apiCalls: c.ok, apiRate: limit.rate };
  }
  return { ...best, seconds: best.seconds + (TAIL_LATENCIES * latencyMs) / 1000 };
}

export function apiTotals(apis: Readonly<Record<string, ApiCount>>) {
  let ok = 0;
  let throttled = 0;
  for (const c of Object.values(apis)) {
    ok += c.ok;
    throttled += c.throttled;
  }
  return { ok, throttled, requests: ok + throttled };
}

export interface ScannerBenchOptions {
  readonly quick: boolean;
  readonly log: (line: string) => void;
  /** Override sizes: [small, main, large]; the sequential run uses `main`. */
  readonly sizes?: readonly [number, number, number];
  readonly latencyMs?: number;
  readonly concurrency?: number;
  readonly skipSequential?: boolean;
}

export type MeasuredScan = ScanRunResult & {
  readonly floor: Floor;
  /** Every repeat's wall time and peak RSS (the figures above are medians of these). */
  readonly repeats: readonly { readonly wallMs: number; readonly peakRssKiB: number }[];
};

export interface ScannerBenchReport {
  readonly latencyMs: number;
  readonly limits: Readonly<Record<string, RateLimit>>;
  /** Concurrent scans at three sizes, smallest first. */
  readonly runs: readonly MeasuredScan[];
  /** The middle size, one request at a time. */
  readonly sequential?: MeasuredScan;
  /** The middle size with AWS_RETRY_MODE=adaptive (the SDK's per-client limiter), for comparison. */
  readonly adaptive?: MeasuredScan;
  /** The middle size with the X-Ray SDK loaded (what SDK_TRACING_OFF saves), for comparison. */
  readonly xraySdk?: MeasuredScan;
}

export const FULL_SIZES: readonly [number, number, number] = [2_500, 5_000, 10_000];
export const QUICK_SIZES: readonly [number, number, number] = [500, 1_000, 2_000];
export const DEFAULT_LATENCY_MS = 20;
const MAX_ATTEMPTS = 20;
/** Concurrent scans per size in a full run (peak RSS varies by tens of MiB between runs). */
const FULL_REPEATS = 3;

/** The repeat with the median wall time, its peak RSS replaced by the median peak. */
function medianOf(results: readonly ScanRunResult[], latencyMs: number): MeasuredScan {
  const byWall = [...results].sort((a, b) => a.wallMs - b.wallMs);
  const mid = byWall[Math.floor((byWall.length - 1) / 2)]!;
  const peaks = results.map((r) => r.peakRssKiB).sort((a, b) => a - b);
  const bases = results.map((r) => r.baselineRssKiB).sort((a, b) => a - b);
  return {
    ...mid,
    peakRssKiB: peaks[Math.floor((peaks.length - 1) / 2)]!,
    baselineRssKiB: bases[Math.floor((bases.length - 1) / 2)]!,
    // a finding lost in any repeat counts
    mismatches: results.flatMap((r) => r.mismatches),
    errorFindings: Math.max(...results.map((r) => r.errorFindings)),
    floor: floorOf(mid.lanes, latencyMs),
    repeats: results.map((r) => ({ wallMs: r.wallMs, peakRssKiB: r.peakRssKiB })),
  };
}

export async function benchScanner(options: ScannerBenchOptions): Promise<ScannerBenchReport> {
  const sizes = options.sizes ?? (options.quick ? QUICK_SIZES : FULL_SIZES);
  const latencyMs = options.latencyMs ?? DEFAULT_LATENCY_MS;
  const repeats = options.quick ? 1 : FULL_REPEATS;
  const runs: MeasuredScan[] = [];
  const run = async (
    resources: number,
    mode: 'concurrent' | 'sequential' | 'adaptive retry' | 'X-Ray SDK loaded',
    times = 1,
  ): Promise<MeasuredScan> => {
    const label = `${mode} ${resources}`;
    const results: ScanRunResult[] = [];
    for (let i = 1; i <= times; i += 1) {
      options.log(`scanner: ${label} resources${times > 1 ? ` (${i}/${times})` : ''}…`);
      const serial = mode === 'sequential';
      const r = await spawnScan({
        resources,
        latencyMs,
        serial,
        concurrency: serial ? 1 : options.concurrency,
        maxAttempts: MAX_ATTEMPTS,
        adaptiveRetry: mode === 'adaptive retry',
        xraySdk: mode === 'X-Ray SDK loaded',
        label,
      });
      const t = apiTotals(r.apis);
      options.log(
        `scanner: ${label}: ${(r.wallMs / 1000).toFixed(1)} s, ${t.ok} calls + ${t.throttled} throttled, floor ${floorOf(r.lanes, latencyMs).seconds.toFixed(1)} s, findings ${r.findingsWritten}/${r.expectedFindings}${r.mismatches.length ? ' MISMATCH' : ''}, peak ${(r.peakRssKiB / 1024).toFixed(0)} MiB`,
      );
      results.push(r);
    }
    return medianOf(results, latencyMs);
  };
  for (const n of [sizes[1], sizes[0], sizes[2]]) runs.push(await run(n, 'concurrent', repeats));
  const adaptive = await run(sizes[1], 'adaptive retry');
  const xraySdk = await run(sizes[1], 'X-Ray SDK loaded');
  const sequential = options.skipSequential ? undefined : await run(sizes[1], 'sequential');
  return {
    latencyMs,
    limits: DEFAULT_LIMITS,
    runs: runs.sort((a, b) => a.resources - b.resources),
    sequential,
    adaptive,
    xraySdk,
  };
}
