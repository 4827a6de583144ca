/**
 * One benchmark scan in its own process (spawned by run.ts with the environment set): builds the
 * synthetic account and the fake AWS, points every SDK client at it, runs the real `runScan`, and
 * prints one JSON line of figures, findings checked against the account's expected ones.
 */
import { runScan } from '../../lambdas/scanner/run-scan';
import { DEFAULT_SCAN_CONCURRENCY } from '../../lambdas/scanner/settings';
import { configureClients } from '../../lambdas/shared/clients';
import { logger } from '../../lambdas/shared/observability';
import { BENCH_REGION, MANDATORY_TAGS, SyntheticAccount } from './account';
import { FakeAws } from './fake-aws';
import { AUDIT_BUCKET, type ScanRunParams, type ScanRunResult } from './run';

async function childScan(params: ScanRunParams): Promise<ScanRunResult> {
  logger.setLogLevel('ERROR');

  const account = new SyntheticAccount(params.resources);
  const fake = new FakeAws({
    account,
    latencyMs: params.latencyMs,
    serial: params.serial,
    auditBucket: AUDIT_BUCKET,
  });
  configureClients({
    requestHandler: fake,
    credentials: { accessKeyId: 'AKIDBENCHMARK', secretAccessKey: 'benchmark-not-a-secret' },
  });
  global.gc?.();
  const baselineRssKiB = Math.round(process.memoryUsage.rss() / 1024);

  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const result = await runScan({
    regions: [BENCH_REGION],
    auditBucket: AUDIT_BUCKET,
    homeRegion: BENCH_REGION,
    accountId: account.accountId,
    settings: {
      mandatoryTags: [...MANDATORY_TAGS],
      allowedOpenPorts: [80, 443],
      maxKeyAgeDays: 90,
      maxUnusedDays: 45,
      concurrency: params.concurrency ?? DEFAULT_SCAN_CONCURRENCY,
    },
  });
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);

  const expected = account.expectedFindings();
  const mismatches: string[] = [];
  let expectedFindings = 0;
  for (const check of new Set([...Object.keys(expected), ...Object.keys(fake.findings)])) {
    const want: Record<string, number> = expected[check] ?? {};
    const got = fake.findings[check] ?? {};
    for (const status of new Set([...Object.keys(want), ...Object.keys(got)])) {
      expectedFindings += want[status] ?? 0;
      if ((want[status] ?? 0) !== (got[status] ?? 0)) {
        mismatches.push(
          `${check} ${status}: expected ${want[status] ?? 0}, written ${got[status] ?? 0}`,
        );
      }
    }
  }
  return {
    params,
    resources: result.resourcesScanned,
    wallMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
    baselineRssKiB,
    peakRssKiB: process.resourceUsage().maxRSS,
    findings: result.findings,
    findingsWritten: fake.findingsLines,
    expectedFindings,
    errorFindings: result.counts.errors,
    collectionErrors: result.collectionErrors,
    mismatches,
    apis: Object.fromEntries(fake.counts),
  };
}

childScan(JSON.parse(process.argv[2]!) as ScanRunParams)
  .then((r) => {
    process.stdout.write(`${JSON.stringify(r)}\n`);
    // the SDK's keep-alive agents and Powertools timers must not hold the process
    process.exit(0);
  })
  .catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
