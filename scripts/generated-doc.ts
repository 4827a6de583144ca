/**
 * Shared by the scripts that generate a markdown file under docs/ from code (permissions-doc.ts,
 * checks-doc.ts): format with the project's Prettier settings, then write it, or with `--check`
 * exit 1 when the file on disk is stale (the tests run the check).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** Markdown formatted as `npm run lint` expects it. */
export async function formatMarkdown(path: string, markdown: string): Promise<string> {
  // Loaded here, not at the top: Prettier's CommonJS entry uses dynamic import(), which jest's module sandbox refuses.
  const prettier = await import('prettier');
  const options = (await prettier.resolveConfig(path)) ?? {};
  return prettier.format(markdown, { ...options, parser: 'markdown' });
}

/** Writes `doc` to `path`, or with `--check` in argv compares; resolves to the exit code. */
export function writeOrCheck(path: string, doc: string, command: string): number {
  if (process.argv.includes('--check')) {
    const current = existsSync(path) ? readFileSync(path, 'utf8') : '';
    if (current !== doc) {
      console.error(`${path} is stale: run ${command}`);
      return 1;
    }
    console.log(`${path} is current`);
    return 0;
  }
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, doc);
  console.log(`Wrote ${path}`);
  return 0;
}

/** Runs a generator's main when the file is executed directly. */
export function runMain(main: () => Promise<number>): void {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      console.error(err);
      process.exitCode = 2;
    },
  );
}
