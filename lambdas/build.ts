/**
 * Bundles each function with esbuild and writes a byte-reproducible zip (DESIGN §9): fixed entry
 * order, timestamps and modes, and a pure-JS deflate (fflate) so the bytes do not depend on the
 * machine's zlib. Bundles are cached by the hash of everything that goes into them, so a synth
 * that changes no Lambda source does no bundling.
 *
 * `npm run build:lambdas` builds all functions and prints their sizes.
 */
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { buildSync, version as esbuildVersion, type BuildOptions } from 'esbuild';
import { decode, encode, type SourceMapSegment } from '@jridgewell/sourcemap-codec';
import { zipSync, type Zippable } from 'fflate';

export const LAMBDAS_DIR = resolve(__dirname);
const ROOT = resolve(LAMBDAS_DIR, '..');
const OUT_DIR = join(ROOT, '.build', 'lambdas');
/** Lambda's deployment-package limit is far larger; ours is a budget that keeps cold starts short. */
export const MAX_ZIP_BYTES = 1024 * 1024;
/** Local-time components: fflate writes DOS times from local getters, so this is 1980-01-01 00:00 in every TZ. */
const ZIP_TIME = new Date(1980, 0, 1, 0, 0, 0);
const FILE_MODE = (0o100644 << 16) >>> 0;

export const ESBUILD_OPTIONS: BuildOptions = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'cjs',
  minify: true,
  sourcemap: 'external',
  sourcesContent: false,
  legalComments: 'none',
  // Packages' ES-module builds first: esbuild can drop what a bundle does not use (the SDK's CJS
  // builds are one file per client). Measured by `npm run bench`: zips 18-34% smaller (scanner
  // 657 → 433 KiB), cold init 31-55% shorter (scanner 324 → 147 ms).
  mainFields: ['module', 'main'],
  // Powertools' optional peer; never loaded at run time by our code paths.
  external: ['@aws-lambda-powertools/parameters'],
  logLevel: 'silent',
};

export interface LambdaBundle {
  readonly name: string;
  /** Absolute path of the zip. */
  readonly zipPath: string;
  /** Base64 SHA-256 of the zip: what Lambda reports as CodeSha256. */
  readonly sha256: string;
  readonly bytes: number;
  /** Whether this call found the zip in the cache. */
  readonly cached: boolean;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]))
    .filter((f) => f.endsWith('.ts'))
    .sort();
}

/**
 * The lock file minus packages only devDependencies need (`"dev": true`): no bundle can contain
 * those, so upgrading jest or eslint does not rebuild every function at the next synth.
 */
function runtimeLock(lockFile: string): string | Buffer {
  const raw = readFileSync(lockFile);
  try {
    const lock = JSON.parse(raw.toString('utf-8')) as {
      packages?: Record<string, { dev?: boolean; devDependencies?: unknown }>;
    };
    if (!lock.packages) return raw;
    return JSON.stringify(
      Object.entries(lock.packages)
        .filter(([, p]) => p.dev !== true)
        // the root package's own devDependencies list changes with every dev bump
        .map(([path, p]) =>
          path === '' ? [path, { ...p, devDependencies: undefined }] : [path, p],
        ),
    );
  } catch {
    return raw;
  }
}

let sharedHash: string | undefined;
/** Hash of what every bundle depends on: shared code, runtime packages, this file, esbuild. */
function sharedInputsHash(): string {
  if (sharedHash) return sharedHash;
  const h = createHash('sha256');
  h.update(esbuildVersion).update(JSON.stringify(ESBUILD_OPTIONS));
  for (const f of [...filesUnder(join(LAMBDAS_DIR, 'shared')), __filename]) {
    h.update(relative(ROOT, f)).update(readFileSync(f));
  }
  const lockFile = join(ROOT, 'package-lock.json');
  if (existsSync(lockFile)) h.update('package-lock.json').update(runtimeLock(lockFile));
  sharedHash = h.digest('hex');
  return sharedHash;
}

function inputsHash(name: string): string {
  const h = createHash('sha256').update(sharedInputsHash());
  for (const f of filesUnder(join(LAMBDAS_DIR, name)))
    h.update(relative(ROOT, f)).update(readFileSync(f));
  return h.digest('hex').slice(0, 20);
}

/** Zip with fixed order, times and modes: the same files give the same bytes anywhere. */
export function reproducibleZip(files: Record<string, Uint8Array>): Uint8Array {
  const zippable: Zippable = {};
  for (const name of Object.keys(files).sort()) {
    zippable[name] = [files[name], { mtime: ZIP_TIME, os: 3, attrs: FILE_MODE, level: 9 }];
  }
  return zipSync(zippable);
}

/**
 * Keeps only the mappings that point into this project's own code: stack traces through our
 * handlers resolve to TypeScript lines, while SDK frames stay at bundle positions. The full map of
 * the SDK would more than double every zip.
 */
export function ownCodeSourceMap(mapJson: string): string {
  const map = JSON.parse(mapJson) as {
    sources: string[];
    names: string[];
    mappings: string;
    [k: string]: unknown;
  };
  const keep = map.sources.map((s) => !s.includes('node_modules/'));
  const sourceIndex = new Map<number, number>();
  const nameIndex = new Map<number, number>();
  const sources: string[] = [];
  const names: string[] = [];
  const remap = (
    index: number,
    table: Map<number, number>,
    from: string[],
    to: string[],
  ): number => {
    let mapped = table.get(index);
    if (mapped === undefined) {
      mapped = to.push(from[index]) - 1;
      table.set(index, mapped);
    }
    return mapped;
  };
  const lines = decode(map.mappings).map((line) =>
    line
      .filter((seg) => seg.length > 1 && keep[seg[1] as number])
      .map((seg): SourceMapSegment => {
        const src = remap(seg[1] as number, sourceIndex, map.sources, sources);
        return seg.length === 5
          ? [seg[0], src, seg[2], seg[3], remap(seg[4], nameIndex, map.names, names)]
          : [seg[0], src, seg[2] as number, seg[3] as number];
      }),
  );
  return JSON.stringify({ ...map, sources, names, mappings: encode(lines) });
}

/**
 * Bundles several functions in one esbuild call — it parses the shared packages once and uses
 * every core, so a cold synth builds all eight in about half the time of one call each; the
 * output of each entry is byte-identical to a build of that entry alone.
 */
function build(names: readonly string[]): Map<string, Record<string, Uint8Array>> {
  for (const name of names) {
    const entry = join(LAMBDAS_DIR, name, 'handler.ts');
    if (!existsSync(entry))
      throw new Error(`Lambda ${name}: ${relative(ROOT, entry)} does not exist`);
  }
  const result = buildSync({
    ...ESBUILD_OPTIONS,
    entryPoints: names.map((name) => ({
      in: join(LAMBDAS_DIR, name, 'handler.ts'),
      out: join(name, 'index'),
    })),
    // Fixed relative location (<name>/index.js), so source map paths are the same on every machine.
    outdir: OUT_DIR,
    write: false,
  });
  const files = new Map<string, Record<string, Uint8Array>>(names.map((name) => [name, {}]));
  for (const out of result.outputFiles) {
    const [name, ...rest] = relative(OUT_DIR, out.path).split(sep);
    const file = rest.join('/');
    files.get(name!)![file] = file.endsWith('.map')
      ? new TextEncoder().encode(ownCodeSourceMap(out.text))
      : out.contents;
  }
  return files;
}

function zipPathOf(name: string): string {
  return join(OUT_DIR, `${name}-${inputsHash(name)}.zip`);
}

function writeZip(name: string, files: Record<string, Uint8Array>): void {
  const zip = reproducibleZip(files);
  if (zip.byteLength > MAX_ZIP_BYTES) {
    throw new Error(
      `Lambda ${name}: zip is ${zip.byteLength} bytes, over the ${MAX_ZIP_BYTES}-byte budget`,
    );
  }
  mkdirSync(OUT_DIR, { recursive: true });
  // Write then rename: a crash never leaves a half-written zip under the cached name.
  const zipPath = zipPathOf(name);
  const tmp = `${zipPath}.${process.pid}.tmp`;
  writeFileSync(tmp, zip);
  renameSync(tmp, zipPath);
}

/**
 * Builds (or finds in the cache) the zip of `lambdas/<name>/`. On a miss, every other function
 * whose zip is missing too is built in the same esbuild call (and found in the cache next).
 */
export function bundleLambda(name: string): LambdaBundle {
  const zipPath = zipPathOf(name);
  const cached = existsSync(zipPath);
  if (!cached) {
    const others = lambdaNames().filter((n) => n !== name && !existsSync(zipPathOf(n)));
    for (const [n, files] of build([name, ...others])) writeZip(n, files);
  }
  const bytes = readFileSync(zipPath);
  return {
    name,
    zipPath,
    sha256: createHash('sha256').update(bytes).digest('base64'),
    bytes: statSync(zipPath).size,
    cached,
  };
}

/** Function folders: every directory of lambdas/ with a handler.ts. */
export function lambdaNames(): string[] {
  return readdirSync(LAMBDAS_DIR, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(LAMBDAS_DIR, e.name, 'handler.ts')))
    .map((e) => e.name)
    .sort();
}

if (require.main === module) {
  const names = lambdaNames();
  const missing = new Set(names.filter((n) => !existsSync(zipPathOf(n))));
  const started = Date.now();
  for (const name of names) {
    const b = bundleLambda(name);
    const kib = (b.bytes / 1024).toFixed(1).padStart(7);
    console.log(
      `${name.padEnd(28)} ${kib} KiB  ${missing.has(name) ? 'built' : 'cached'}  ${relative(ROOT, b.zipPath)}`,
    );
  }
  if (missing.size > 0)
    console.log(`${missing.size} built in one esbuild call: ${Date.now() - started} ms`);
}
