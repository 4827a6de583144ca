/**
 * Measuring a command: wall time, and peak memory of every Node process it starts (npx spawns
 * children). Each Node process loads a tiny probe through NODE_OPTIONS that appends its own peak
 * RSS (`process.resourceUsage().maxRSS`) to a file when it exits; the command's figure is the sum
 * of those peaks (an upper bound of what was resident at once) and the largest single one.
 */
import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface CommandRun {
  readonly command: string;
  readonly wallMs: number;
  /** Sum of the peak RSS of every Node process of the command (KiB). */
  readonly rssSumKiB: number;
  /** Largest single-process peak RSS (KiB). */
  readonly rssMaxKiB: number;
  readonly processes: number;
  readonly exitCode: number;
  readonly output: string;
}

const PROBE = `'use strict';
process.on('exit', () => {
  try {
    require('node:fs').appendFileSync(process.env.BENCH_RSS_FILE, process.pid + ' ' + process.resourceUsage().maxRSS + '\\n');
  } catch {}
});
`;

let probeDir: string | undefined;
function probePath(): string {
  if (!probeDir) {
    probeDir = mkdtempSync(join(tmpdir(), 'bench-probe-'));
    writeFileSync(join(probeDir, 'rss-probe.cjs'), PROBE);
    process.on('exit', () => rmSync(probeDir!, { recursive: true, force: true }));
  }
  return join(probeDir, 'rss-probe.cjs');
}

/** Runs `command` through the shell (as cdktf runs its app command) and measures it. */
export function measureCommand(
  command: string,
  options: { cwd: string; env?: NodeJS.ProcessEnv } = { cwd: process.cwd() },
): Promise<CommandRun> {
  const rssFile = join(probePath(), '..', `rss-${process.pid}-${Date.now()}-${Math.random()}.txt`);
  appendFileSync(rssFile, '');
  const base = { ...process.env, ...options.env };
  const env = {
    ...base,
    BENCH_RSS_FILE: rssFile,
    NODE_OPTIONS: `${base.NODE_OPTIONS ?? ''} --require ${probePath()}`.trim(),
  };
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn('/bin/sh', ['-c', command], {
      cwd: options.cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = performance.now() - started;
      const peaks = readFileSync(rssFile, 'utf-8')
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => Number(l.split(' ')[1]));
      rmSync(rssFile, { force: true });
      resolve({
        command,
        wallMs,
        rssSumKiB: peaks.reduce((a, b) => a + b, 0),
        rssMaxKiB: Math.max(0, ...peaks),
        processes: peaks.length,
        exitCode: code ?? -1,
        output,
      });
    });
  });
}

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export const mib = (kib: number) => `${(kib / 1024).toFixed(0)} MiB`;
export const secs = (ms: number, digits = 2) => `${(ms / 1000).toFixed(digits)} s`;
export const ratio = (x: number, digits = 1) => `${x.toFixed(digits)}x`;
