/**
 * Lambda bundles: each function's zip (bundleLambda: the bytes synth deploys) and its cold
 * initialisation — a fresh `node` per sample, with the environment the stack sets (and
 * NODE_OPTIONS=--enable-source-maps, as deployed), timing `require()` of the unzipped index.js,
 * which loads the bundle and runs the handler module's top-level code (clients, Powertools).
 * No event is sent. Median of several samples.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { MAX_ZIP_BYTES, bundleLambda, lambdaNames } from '../lambdas/build';
import { median } from './measure';

export interface LambdaFigures {
  readonly name: string;
  readonly zipBytes: number;
  readonly jsBytes: number;
  readonly mapBytes: number;
  /** Median of `require(index.js)` in a fresh process (ms). */
  readonly initMs: number;
  /** Median of the whole fresh process: Node start-up, require, exit (ms). */
  readonly processMs: number;
  readonly samples: number;
}

export interface LambdasReport {
  readonly budgetBytes: number;
  readonly functions: readonly LambdaFigures[];
}

/** What the stack's environment gives every function (values are placeholders). */
const LAMBDA_ENV: NodeJS.ProcessEnv = {
  AWS_REGION: 'us-east-1',
  AWS_DEFAULT_REGION: 'us-east-1',
  AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
  AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512',
  AUDIT_BUCKET: 'compliance-audit-bench-123456789012',
  ENVIRONMENT_SUFFIX: 'bench',
  EVENT_BUS_NAME: 'default',
  POWERTOOLS_METRICS_NAMESPACE: 'ComplianceAudit',
  POWERTOOLS_LOG_LEVEL: 'INFO',
  NODE_OPTIONS: '--enable-source-maps',
  SCAN_REGIONS: 'us-east-1',
  SCAN_CONCURRENCY: '8',
  REMEDIATION_MODE: 'dry-run',
  REMEDIATION_MAX_PER_RUN: '10',
  ALERT_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:compliance-alerts-bench',
  ALERT_MIN_SEVERITY: 'high',
};

/** Prints `<require ms>` after loading the bundle (its top-level code included). */
const INIT_SCRIPT = `
const t0 = performance.now();
const mod = require(process.argv[1]);
const t1 = performance.now();
if (typeof mod.handler !== 'function') throw new Error('no handler export');
process.stdout.write(String(t1 - t0));
`;

function sampleInit(indexJs: string, name: string): { initMs: number; processMs: number } {
  const started = performance.now();
  const out = execFileSync(process.execPath, ['-e', INIT_SCRIPT, indexJs], {
    env: {
      PATH: process.env.PATH,
      ...LAMBDA_ENV,
      AWS_LAMBDA_FUNCTION_NAME: `${name}-bench`,
      POWERTOOLS_SERVICE_NAME: name,
    },
    encoding: 'utf-8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return { initMs: Number(out.trim()), processMs: performance.now() - started };
}

export function benchLambdas(options: {
  readonly samples: number;
  readonly log: (line: string) => void;
}): LambdasReport {
  const dir = mkdtempSync(join(tmpdir(), 'bench-lambdas-'));
  try {
    const functions = lambdaNames().map((name): LambdaFigures => {
      const bundle = bundleLambda(name);
      const files = unzipSync(readFileSync(bundle.zipPath));
      const fnDir = join(dir, name);
      mkdirSync(fnDir, { recursive: true });
      for (const [file, bytes] of Object.entries(files)) writeFileSync(join(fnDir, file), bytes);
      const indexJs = join(fnDir, 'index.js');
      sampleInit(indexJs, name); // warm the file cache; not counted
      const samples = Array.from({ length: options.samples }, () => sampleInit(indexJs, name));
      const figures: LambdaFigures = {
        name,
        zipBytes: bundle.bytes,
        jsBytes: files['index.js']?.byteLength ?? 0,
        mapBytes: files['index.js.map']?.byteLength ?? 0,
        initMs: median(samples.map((s) => s.initMs)),
        processMs: median(samples.map((s) => s.processMs)),
        samples: samples.length,
      };
      options.log(
        `lambdas: ${name}: ${(figures.zipBytes / 1024).toFixed(0)} KiB zip, init ${figures.initMs.toFixed(0)} ms`,
      );
      return figures;
    });
    return { budgetBytes: MAX_ZIP_BYTES, functions };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
