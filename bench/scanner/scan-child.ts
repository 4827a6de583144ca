/**
 * One benchmark scan in its own process (spawned by run.ts with the environment set): builds the
 * synthetic account and the fake AWS, points every SDK client at it, runs the real `runScan` as
 * the handler does (every enabled region, a deadline from a 15-minute Lambda), and prints one JSON
 * line of figures, findings checked against the account's expected ones: counts per check and
 * status, and each check's digest of resource, region and status (findings-digest.ts).
 */
import { scanDeadline } from '../../lambdas/scanner/handler';
import { runScan } from '../../lambdas/scanner/run-scan';
import { DEFAULT_SCAN_CONCURRENCY } from '../../lambdas/scanner/settings';
import { configureClients } from '../../lambdas/shared/clients';
import { logger } from '../../lambdas/shared/observability';
import { MANDATORY_TAGS, SyntheticAccount } from './account';
import { FakeAws } from './fake-aws';
import { AUDIT_BUCKET, type ScanRunParams, type ScanRunResult } from './run';

/** The scanner's timeout (stacks/function-catalog.ts): the deadline is what the handler derives from it. */
const LAMBDA_TIMEOUT_MS = 900_000;

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
    // no regions: every region enabled for the account (ec2:DescribeRegions), as scheduled scans
    deadline: { at: scanDeadline(LAMBDA_TIMEOUT_MS) },
    auditBucket: AUDIT_BUCKET,
    homeRegion: account.region,
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
  // before the expected findings are derived (that is the benchmark's work, not the scan's)
  const peakRssKiB = process.resourceUsage().maxRSS;

  const mismatches = account.mismatches(fake);
  let expectedFindings = 0;
  for (const byStatus of Object.values(account.expectedFindings()))
    expectedFindings += byStatus.PASS + byStatus.FAIL;
  return {
    params,
    resources: account.resources,
    resourcesScanned: result.resourcesScanned,
    wallMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
    baselineRssKiB,
    peakRssKiB,
    findings: result.findings,
    findingsWritten: fake.findingsLines,
    expectedFindings,
    errorFindings: result.counts.errors,
    collectionErrors: result.collectionErrors,
    mismatches,
    apis: Object.fromEntries(fake.counts),
    lanes: Object.fromEntries(fake.laneCounts),
    regions: result.coverage.regionsScanned.length,
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
