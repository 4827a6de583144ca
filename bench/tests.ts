/**
 * `npm test` on this machine: the type-check (`tsc --noEmit`, cold — a fresh incremental build
 * info file, as in CI after `npm ci` — and warm, as a developer re-running it) and `jest` (all
 * suites, the project's config), with the slowest test files from jest's own timings.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { measureCommand } from './measure';

export interface TestsReport {
  readonly cores: number;
  readonly tscColdMs: number;
  readonly tscWarmMs: number;
  readonly jestMs: number;
  readonly suites: number;
  readonly tests: number;
  readonly failed: number;
  /** Slowest test files by jest's own run time (ms), slowest first. */
  readonly slowest: readonly { readonly file: string; readonly ms: number }[];
  /** Sum of the per-file times (what the workers spent running suites). */
  readonly filesTotalMs: number;
}

interface JestJson {
  numTotalTestSuites: number;
  numTotalTests: number;
  numFailedTests: number;
  numRuntimeErrorTestSuites: number;
  testResults: { name: string; startTime: number; endTime: number }[];
}

export async function benchTests(options: {
  readonly root: string;
  readonly log: (line: string) => void;
}): Promise<TestsReport> {
  const { root, log } = options;
  const dir = mkdtempSync(join(tmpdir(), 'bench-tests-'));
  try {
    const env = { CI: 'true', CHECKPOINT_DISABLE: '1' };
    const buildInfo = join(dir, 'tsbuildinfo');
    log('tests: tsc --noEmit (cold, then warm)…');
    const tsc = () =>
      measureCommand(`npx tsc --noEmit --tsBuildInfoFile ${buildInfo}`, { cwd: root, env });
    const cold = await tsc();
    const warm = await tsc();
    if (cold.exitCode !== 0) log(`tests: tsc failed:\n${cold.output.slice(-2000)}`);

    log('tests: jest…');
    const out = join(dir, 'jest.json');
    const jest = await measureCommand(`npx jest --json --outputFile=${out}`, { cwd: root, env });
    const results = JSON.parse(readFileSync(out, 'utf-8')) as JestJson;
    const files = results.testResults
      .map((r) => ({ file: relative(root, r.name), ms: r.endTime - r.startTime }))
      .sort((a, b) => b.ms - a.ms);
    return {
      cores: cpus().length,
      tscColdMs: cold.wallMs,
      tscWarmMs: warm.wallMs,
      jestMs: jest.wallMs,
      suites: results.numTotalTestSuites,
      tests: results.numTotalTests,
      failed: results.numFailedTests + results.numRuntimeErrorTestSuites,
      slowest: files.slice(0, 6),
      filesTotalMs: files.reduce((a, f) => a + f.ms, 0),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
