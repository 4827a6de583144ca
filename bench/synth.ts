/**
 * Synth: the app command of cdktf.json against the stock cdktf template's `npx ts-node main.ts`
 * (and the alternatives considered), in the same run, same environment, a fresh CDKTF_OUTDIR
 * each, the Lambda bundle cache warm so every command does the same work (their cdk.tf.json must
 * be identical). Interleaved runs, medians. Then one synth with an empty bundle cache (cold), and
 * one `npx cdktf synth` end to end (the CLI around the app command).
 */
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { measureCommand, median, type CommandRun } from './measure';

export const STOCK_COMMAND = 'npx ts-node main.ts';
/** The app command before this work, and another way considered. */
const ALTERNATIVES = ['npx tsx main.ts', 'node --import tsx main.ts'];

export interface SynthCandidate {
  readonly command: string;
  readonly role: 'app' | 'stock' | 'alternative';
  readonly wallMs: number;
  readonly rssSumKiB: number;
  readonly rssMaxKiB: number;
  readonly processes: number;
  readonly samples: readonly { readonly wallMs: number; readonly rssSumKiB: number }[];
}

export interface SynthReport {
  readonly appCommand: string;
  readonly candidates: readonly SynthCandidate[];
  /** App command with an empty .build/lambdas (every bundle built). */
  readonly cold: { readonly wallMs: number; readonly rssSumKiB: number };
  /** `npx cdktf synth` (CLI + app command), warm cache; undefined in quick mode. */
  readonly cdktfSynthMs?: number;
}

const SYNTH_ENV = { CI: 'true', CHECKPOINT_DISABLE: '1' };

function outputHash(outdir: string): string {
  const file = join(outdir, 'stacks', 'compliance-audit', 'cdk.tf.json');
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

async function synthOnce(root: string, command: string): Promise<CommandRun & { hash: string }> {
  const outdir = mkdtempSync(join(tmpdir(), 'bench-synth-'));
  try {
    const run = await measureCommand(command, {
      cwd: root,
      env: { ...SYNTH_ENV, CDKTF_OUTDIR: outdir },
    });
    if (run.exitCode !== 0) {
      throw new Error(`\`${command}\` exited ${run.exitCode}:\n${run.output.slice(-3000)}`);
    }
    return { ...run, hash: outputHash(outdir) };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** Runs `fn` with .build/lambdas emptied, then puts the earlier cache back (merged). */
async function withEmptyBundleCache<T>(root: string, fn: () => Promise<T>): Promise<T> {
  const cache = join(root, '.build', 'lambdas');
  const saved = join(root, '.build', `lambdas.bench-saved-${process.pid}`);
  const had = existsSync(cache);
  if (had) renameSync(cache, saved);
  try {
    return await fn();
  } finally {
    if (had) {
      mkdirSync(cache, { recursive: true });
      for (const f of readdirSync(saved)) {
        if (!existsSync(join(cache, f))) renameSync(join(saved, f), join(cache, f));
      }
      rmSync(saved, { recursive: true, force: true });
    }
  }
}

export async function benchSynth(options: {
  readonly root: string;
  readonly runs: number;
  readonly quick: boolean;
  readonly log: (line: string) => void;
}): Promise<SynthReport> {
  const { root, log } = options;
  const appCommand = (
    JSON.parse(readFileSync(join(root, 'cdktf.json'), 'utf-8')) as { app: string }
  ).app;
  const commands: { command: string; role: SynthCandidate['role'] }[] = [
    { command: appCommand, role: 'app' },
    { command: STOCK_COMMAND, role: 'stock' },
    ...ALTERNATIVES.filter((c) => c !== appCommand).map((command) => ({
      command,
      role: 'alternative' as const,
    })),
  ];

  log(`synth: warming the bundle cache and every command once…`);
  const hashes = new Set<string>();
  for (const c of commands) hashes.add((await synthOnce(root, c.command)).hash);
  if (hashes.size !== 1)
    throw new Error(
      'synth: the commands produced different cdk.tf.json (did stacks/ or lambdas/ change during the run?)',
    );

  const samples = new Map<string, CommandRun[]>(commands.map((c) => [c.command, []]));
  for (let i = 0; i < options.runs; i += 1) {
    log(`synth: round ${i + 1}/${options.runs}`);
    for (const c of commands) samples.get(c.command)!.push(await synthOnce(root, c.command));
  }
  const candidates = commands.map(({ command, role }): SynthCandidate => {
    const runs = samples.get(command)!;
    return {
      command,
      role,
      wallMs: median(runs.map((r) => r.wallMs)),
      rssSumKiB: median(runs.map((r) => r.rssSumKiB)),
      rssMaxKiB: median(runs.map((r) => r.rssMaxKiB)),
      processes: median(runs.map((r) => r.processes)),
      samples: runs.map((r) => ({ wallMs: r.wallMs, rssSumKiB: r.rssSumKiB })),
    };
  });

  log('synth: cold (empty .build/lambdas)…');
  const cold = await withEmptyBundleCache(root, () => synthOnce(root, appCommand));

  let cdktfSynthMs: number | undefined;
  if (!options.quick) {
    log('synth: npx cdktf synth…');
    const outdir = mkdtempSync(join(tmpdir(), 'bench-cdktf-'));
    try {
      const run = await measureCommand(`npx cdktf synth --output ${outdir}`, {
        cwd: root,
        env: SYNTH_ENV,
      });
      if (run.exitCode !== 0)
        throw new Error(`npx cdktf synth exited ${run.exitCode}:\n${run.output.slice(-3000)}`);
      if (outputHash(outdir) !== [...hashes][0])
        throw new Error('npx cdktf synth wrote a different cdk.tf.json');
      cdktfSynthMs = run.wallMs;
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  }
  return {
    appCommand,
    candidates,
    cold: { wallMs: cold.wallMs, rssSumKiB: cold.rssSumKiB },
    cdktfSynthMs,
  };
}
