/**
 * `npm run bench` — performance figures for synth, the test suite, the Lambda bundles and the
 * scanner at scale, each against its goal (issue 5). A benchmark that prints figures, never a
 * timed test: nothing here fails on a slow machine; a broken measurement (a command that fails, a
 * scan that loses findings) does fail.
 *
 *   npm run bench                       everything (about 28 minutes: the sequential scan is 5.5,
 *                                       the organization scan 8)
 *   npm run bench -- --quick            smaller sizes, fewer runs (about 7 minutes)
 *   npm run bench -- --only=synth,lambdas   some phases: synth, tests, lambdas, scanner, organization
 *
 * Figures also go to bench/results/latest.json (latest-quick.json, latest-<phases>.json).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { benchLambdas, type LambdasReport } from './lambdas';
import { mib, ratio, secs } from './measure';
import { benchOrganization, organizationLines, type OrgBenchReport } from './organization/run';
import { apiTotals, benchScanner, type ScannerBenchReport } from './scanner/run';
import { benchSynth, type SynthReport } from './synth';
import { benchTests, type TestsReport } from './tests';

const ROOT = resolve(__dirname, '..');
const PHASES = ['synth', 'tests', 'lambdas', 'scanner', 'organization'] as const;
type Phase = (typeof PHASES)[number];

const GOALS = {
  synthSpeedup: 3,
  synthMemory: 0.5,
  floorRatio: 1.3,
  sequentialSpeedup: 10,
  /** 4x the account must cost less than this many times the peak memory. */
  memoryGrowth: 1.3,
};

function parseArgs(argv: readonly string[]) {
  const quick = argv.includes('--quick');
  const only = argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
  const phases = only ? (only.split(',') as Phase[]) : [...PHASES];
  const unknown = phases.filter((p) => !PHASES.includes(p));
  if (unknown.length > 0)
    throw new Error(`unknown phase(s) ${unknown.join(', ')}; use ${PHASES.join(', ')}`);
  return { quick, phases, only: only !== undefined };
}

const started = performance.now();
const log = (line: string) =>
  console.log(`[${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}`);

const verdict = (ok: boolean) => (ok ? 'met' : 'NOT MET');
const pad = (s: string, n: number) => s.padEnd(n);
const lpad = (s: string, n: number) => s.padStart(n);
const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;
const num = (n: number) => n.toLocaleString('en-US');

function table(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  right: readonly number[] = [],
) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (right.includes(i) ? lpad(c, widths[i]!) : pad(c, widths[i]!))).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

function printSynth(r: SynthReport) {
  const stock = r.candidates.find((c) => c.role === 'stock')!;
  const app = r.candidates.find((c) => c.role === 'app')!;
  console.log(
    `\n== Synth: the app command of cdktf.json vs the stock template's \`${stock.command}\``,
  );
  console.log(
    `   median of ${app.samples.length} interleaved runs, warm bundle cache, fresh CDKTF_OUTDIR each; memory = sum of the peak RSS of every node process of the command`,
  );
  console.log(
    table(
      [
        'command',
        'role',
        'wall',
        'peak RSS',
        'node procs',
        'speed vs ts-node',
        'memory vs ts-node',
      ],
      r.candidates.map((c) => [
        c.command,
        c.role,
        secs(c.wallMs),
        mib(c.rssSumKiB),
        String(c.processes),
        c.role === 'stock' ? '-' : ratio(stock.wallMs / c.wallMs),
        c.role === 'stock' ? '-' : ratio(c.rssSumKiB / stock.rssSumKiB, 2),
      ]),
      [2, 3, 4, 5, 6],
    ),
  );
  console.log(
    `   cold synth (empty .build/lambdas, all 8 bundles built): ${secs(r.cold.wallMs)}, ${mib(r.cold.rssSumKiB)}`,
  );
  if (r.cdktfSynthMs !== undefined)
    console.log(`   \`npx cdktf synth\` end to end (CLI + app, warm): ${secs(r.cdktfSynthMs)}`);
  const speed = stock.wallMs / app.wallMs;
  const memory = app.rssSumKiB / stock.rssSumKiB;
  console.log(
    `   goal ≥${GOALS.synthSpeedup}x faster: ${ratio(speed)} ${verdict(speed >= GOALS.synthSpeedup)}; goal ≤${GOALS.synthMemory}x memory: ${ratio(memory, 2)} ${verdict(memory <= GOALS.synthMemory)}`,
  );
}

function printTests(r: TestsReport) {
  console.log(`\n== npm test on ${r.cores} cores (= tsc --noEmit && jest)`);
  console.log(
    `   tsc --noEmit: ${secs(r.tscColdMs)} cold (CI, fresh build info), ${secs(r.tscWarmMs)} warm (incremental)`,
  );
  console.log(
    `   jest: ${secs(r.jestMs)} wall, ${r.suites} suites, ${r.tests} tests, ${r.failed} failed; suites' own time ${secs(r.filesTotalMs)}`,
  );
  console.log(
    `   npm test ≈ ${secs(r.tscColdMs + r.jestMs)} cold, ${secs(r.tscWarmMs + r.jestMs)} warm`,
  );
  console.log(`   slowest files: ${r.slowest.map((f) => `${f.file} ${secs(f.ms, 1)}`).join('; ')}`);
}

function printLambdas(r: LambdasReport) {
  const n = r.functions[0]?.samples ?? 0;
  console.log(
    `\n== Lambda bundles: zip (budget ${kib(r.budgetBytes)}) and cold init — require() of index.js in a fresh node (${process.version}, --enable-source-maps), median of ${n}`,
  );
  console.log(
    table(
      ['function', 'zip', 'index.js', 'map', 'cold init', 'process', 'budget'],
      r.functions.map((f) => [
        f.name,
        kib(f.zipBytes),
        kib(f.jsBytes),
        kib(f.mapBytes),
        `${f.initMs.toFixed(0)} ms`,
        `${f.processMs.toFixed(0)} ms`,
        `${((f.zipBytes / r.budgetBytes) * 100).toFixed(0)}%`,
      ]),
      [1, 2, 3, 4, 5, 6],
    ),
  );
  const over = r.functions.filter((f) => f.zipBytes > r.budgetBytes);
  console.log(
    `   goal every zip under 1 MiB: ${verdict(over.length === 0)}${over.length ? ` (${over.map((f) => f.name).join(', ')})` : ''}`,
  );
}

function printScanner(r: ScannerBenchReport) {
  console.log(
    `\n== Scanner at scale: real runScan (85 checks, every enabled region, a deadline) + SDK clients (retry middleware included) against a fake AWS; ${r.latencyMs} ms per call; a token bucket per API and region answering each protocol's throttling error`,
  );
  const n = r.runs[0]?.repeats.length ?? 1;
  if (n > 1) console.log(`   concurrent rows: median of ${n} runs (wall; peak RSS separately)`);
  console.log(
    `   limits (rate/s, burst): ${Object.entries(r.limits)
      .map(([k, l]) => `${k} ${l.rate}/${l.burst}`)
      .join(', ')}`,
  );
  const all = [
    ...r.runs,
    ...(r.adaptive ? [r.adaptive] : []),
    ...(r.xraySdk ? [r.xraySdk] : []),
    ...(r.sequential ? [r.sequential] : []),
  ];
  const rows = all.map((x) => {
    const t = apiTotals(x.apis);
    return [
      x.params.label.replace(/ \d+$/, ''),
      num(x.resources),
      String(x.regions),
      secs(x.wallMs, 1),
      num(t.ok),
      num(t.throttled),
      `${x.floor.seconds.toFixed(1)} s (${x.floor.api})`,
      ratio(x.wallMs / 1000 / x.floor.seconds, 2),
      `${num(x.findingsWritten)}/${num(x.expectedFindings)}${x.mismatches.length ? ' MISMATCH' : ''}`,
      String(x.errorFindings),
      mib(x.peakRssKiB),
      mib(x.peakRssKiB - x.baselineRssKiB),
      secs(x.cpuMs, 1),
    ];
  });
  console.log(
    table(
      [
        'mode',
        'resources',
        'regions',
        'wall',
        'calls',
        'throttled',
        'floor (slowest lane)',
        'vs floor',
        'findings/expected',
        'ERROR',
        'peak RSS',
        'scan RSS',
        'CPU',
      ],
      rows,
      [1, 2, 3, 4, 5, 7, 10, 11, 12],
    ),
  );
  for (const x of all) {
    if (x.mismatches.length)
      console.log(`   ${x.params.label} mismatches: ${x.mismatches.join('; ')}`);
  }
  const main = r.sequential
    ? r.runs.find((x) => x.resources === r.sequential!.resources)!
    : r.runs[Math.floor(r.runs.length / 2)]!;
  const floorRatio = main.wallMs / 1000 / main.floor.seconds;
  console.log(
    `   goal within ${GOALS.floorRatio}x of the floor at ${num(main.resources)} resources: ${ratio(floorRatio, 2)} ${verdict(floorRatio <= GOALS.floorRatio)}`,
  );
  if (r.sequential) {
    const speedup = r.sequential.wallMs / main.wallMs;
    console.log(
      `   goal ≥${GOALS.sequentialSpeedup}x faster than sequential at ${num(main.resources)}: ${ratio(speedup)} (${secs(r.sequential.wallMs, 0)} → ${secs(main.wallMs, 1)}) ${verdict(speedup >= GOALS.sequentialSpeedup)}`,
    );
  }
  if (main.cpuMs / 1000 >= main.floor.seconds * 0.9) {
    console.log(
      `   CPU-bound: the scan used ${secs(main.cpuMs, 1)} of CPU (the fake AWS's share included) against a ${main.floor.seconds.toFixed(1)} s floor — on one core it cannot reach the floor`,
    );
  }
  const small = r.runs[0]!;
  const large = r.runs[r.runs.length - 1]!;
  const growth = large.peakRssKiB / small.peakRssKiB;
  console.log(
    `   goal ${ratio(large.resources / small.resources, 0)} the account < ${GOALS.memoryGrowth}x the memory: peak RSS ${mib(small.peakRssKiB)} at ${num(small.resources)} → ${mib(large.peakRssKiB)} at ${num(large.resources)} resources, ${ratio(growth, 2)} ${verdict(growth < GOALS.memoryGrowth)} (process baseline ${mib(small.baselineRssKiB)})`,
  );
  if (r.adaptive) {
    console.log(
      `   per-operation rate limit vs the SDK's adaptive retry (one limiter per client) at ${num(r.adaptive.resources)}: ${secs(main.wallMs, 1)} vs ${secs(r.adaptive.wallMs, 1)} (${ratio(r.adaptive.wallMs / main.wallMs, 2)})`,
    );
  }
  if (r.xraySdk) {
    console.log(
      `   the X-Ray SDK loaded (as tracing would) at ${num(r.xraySdk.resources)}: CPU ${secs(main.cpuMs, 1)} vs ${secs(r.xraySdk.cpuMs, 1)} (${ratio(r.xraySdk.cpuMs / main.cpuMs, 2)}), wall ${secs(main.wallMs, 1)} vs ${secs(r.xraySdk.wallMs, 1)} (the scanner is deployed without it: SDK_TRACING_OFF)`,
    );
  }
  const lost = all.filter((x) => x.mismatches.length > 0 || x.errorFindings > 0);
  console.log(
    `   goal no finding lost to throttling (every run: findings = expected, 0 ERROR): ${verdict(lost.length === 0)}`,
  );
}

async function main() {
  const { quick, phases, only } = parseArgs(process.argv.slice(2));
  log(
    `bench: ${phases.join(', ')}${quick ? ' (quick)' : ''} on ${cpus().length} cores, node ${process.version}`,
  );
  const results: Record<string, unknown> = {
    quick,
    node: process.version,
    cores: cpus().length,
    at: new Date().toISOString(),
  };
  const report: {
    synth?: SynthReport;
    tests?: TestsReport;
    lambdas?: LambdasReport;
    scanner?: ScannerBenchReport;
    organization?: OrgBenchReport;
  } = {};

  if (phases.includes('synth'))
    report.synth = await benchSynth({ root: ROOT, runs: quick ? 3 : 5, quick, log });
  if (phases.includes('tests')) report.tests = await benchTests({ root: ROOT, log });
  if (phases.includes('lambdas')) report.lambdas = benchLambdas({ samples: quick ? 5 : 9, log });
  if (phases.includes('scanner')) report.scanner = await benchScanner({ quick, log });
  if (phases.includes('organization'))
    report.organization = await benchOrganization({ quick, log });

  log('bench: done');
  if (report.synth) printSynth(report.synth);
  if (report.tests) printTests(report.tests);
  if (report.lambdas) printLambdas(report.lambdas);
  if (report.scanner) printScanner(report.scanner);
  if (report.organization)
    console.log(organizationLines(report.organization, GOALS.floorRatio).join('\n'));

  const dir = join(ROOT, 'bench', 'results');
  const file = `latest${quick ? '-quick' : ''}${only ? `-${phases.join('-')}` : ''}.json`;
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, file), `${JSON.stringify({ ...results, ...report }, null, 2)}\n`);
  console.log(`\nFigures: bench/results/${file} (${secs(performance.now() - started, 0)} in all)`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
