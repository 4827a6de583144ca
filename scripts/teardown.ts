/**
 * `npm run teardown -- [--yes] [--no-synth] [folder]`: destroys a deployment the way its
 * RETAIN_AUDIT_DATA setting says.
 *
 * - RETAIN_AUDIT_DATA=true: the audit bucket, the resources that configure it and the data key
 *   with its alias carry `prevent_destroy` (stacks/retention.ts), so `cdktf destroy` stops before
 *   it changes anything. This command removes exactly those resources from the Terraform state
 *   (`terraform state rm`), then runs `terraform destroy` for the rest: the evidence and the key
 *   that decrypts it stay in the account, as they were, no longer managed by Terraform.
 * - Otherwise: nothing is kept; it is `terraform destroy`, the audit bucket and all its objects
 *   included (force_destroy).
 *
 * It synthesizes first (`cdktf synth`, with the settings in the environment: use those of the
 * deployment), shows what it will keep and destroy, and asks once (or takes `--yes`) before it
 * changes the state. Runs terraform in the synthesized stack folder, with the stack's backend.
 */
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { createInterface } from 'node:readline/promises';
import { join, resolve } from 'node:path';
import { RETAIN_LIFECYCLE } from '../stacks/retention';
import {
  findStackFiles,
  isObject,
  loadStack,
  readable,
  resources,
  str,
  type TfStack,
} from './tf-json';

/** Terraform addresses of the resources kept on destroy (they carry prevent_destroy). */
export function retainedAddresses(stack: TfStack): string[] {
  return resources(stack)
    .filter((r) => isObject(r.body.lifecycle) && r.body.lifecycle[RETAIN_LIFECYCLE] === true)
    .map((r) => r.address)
    .sort();
}

/** What the kept resources are, in words (bucket names, key aliases). */
function describeKept(stack: TfStack, addresses: readonly string[]): string[] {
  return resources(stack)
    .filter((r) => addresses.includes(r.address))
    .map((r) => {
      const name = str(r.body, 'bucket') ?? str(r.body, 'name') ?? str(r.body, 'description');
      return `  ${r.address}${name && !name.startsWith('${') ? ` (${readable(stack, name)})` : ''}`;
    });
}

export type Terraform = (args: string[], options?: SpawnSyncOptions) => number;

/** Runs terraform in `dir`, output to the terminal; returns the exit code. */
export function terraformIn(dir: string, env: NodeJS.ProcessEnv = process.env): Terraform {
  return (args, options = {}) => {
    const r = spawnSync('terraform', args, {
      cwd: dir,
      stdio: 'inherit',
      env: { ...env, CHECKPOINT_DISABLE: '1' },
      ...options,
    });
    if (r.error) throw r.error;
    return r.status ?? 1;
  };
}

/** `terraform state rm` of the kept resources that the state holds; returns those removed. */
export function removeFromState(
  dir: string,
  addresses: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): string[] {
  const list = spawnSync('terraform', ['state', 'list'], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...env, CHECKPOINT_DISABLE: '1' },
  });
  if (list.status !== 0) throw new Error(`terraform state list failed: ${list.stderr.trim()}`);
  const inState = new Set(list.stdout.split('\n').map((l) => l.trim()));
  const present = addresses.filter((a) => inState.has(a));
  if (present.length > 0 && terraformIn(dir, env)(['state', 'rm', ...present]) !== 0)
    throw new Error('terraform state rm failed: nothing was destroyed');
  return present;
}

async function confirmed(yes: boolean): Promise<boolean> {
  if (yes) return true;
  if (!process.stdin.isTTY) return false;
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  const answer = await rl.question("Type 'yes' to go on: ");
  rl.close();
  return answer.trim() === 'yes';
}

async function main(argv: readonly string[]): Promise<number> {
  const yes = argv.includes('--yes');
  const folder = resolve(argv.find((a) => !a.startsWith('--')) ?? 'cdktf.out');
  if (!argv.includes('--no-synth')) {
    const cdktf = join(__dirname, '..', 'node_modules', '.bin', 'cdktf');
    const synth = spawnSync(cdktf, ['synth', '--output', folder], {
      stdio: 'inherit',
      env: { ...process.env, CHECKPOINT_DISABLE: '1' },
    });
    if (synth.status !== 0) return synth.status ?? 1;
  }
  const files = findStackFiles(folder);
  if (files.length !== 1) {
    console.error(
      `Expected one synthesized stack (cdk.tf.json) under ${folder}, found ${files.length}; synthesize with JSON output (no --hcl).`,
    );
    return 2;
  }
  const stack = loadStack(files[0]);
  const kept = retainedAddresses(stack);
  console.log(
    kept.length > 0
      ? [
          `RETAIN_AUDIT_DATA=true: these stay in the account, removed from Terraform's state (no longer managed):`,
          ...describeKept(stack, kept),
          'Everything else of the stack is destroyed.',
        ].join('\n')
      : 'RETAIN_AUDIT_DATA is not true: everything is destroyed, the audit bucket with all its objects and versions included.',
  );
  if (!(await confirmed(yes))) {
    console.error('Not confirmed (pass --yes when there is no terminal): nothing changed.');
    return 1;
  }
  const terraform = terraformIn(stack.dir);
  if (terraform(['init', '-input=false']) !== 0) return 1;
  const removed = removeFromState(stack.dir, kept);
  if (kept.length > 0)
    console.log(`Removed from state: ${removed.length} of ${kept.length} kept resources.`);
  const code = terraform(['destroy', '-auto-approve', '-input=false']);
  if (code === 0 && kept.length > 0)
    console.log(
      'Done. The audit bucket and its data key remain. To redeploy the same suffix, import them first (README › Teardown) or delete them when their retention ends.',
    );
  return code;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (err: unknown) => {
      console.error((err as Error).message);
      process.exitCode = 1;
    },
  );
}
