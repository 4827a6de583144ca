/**
 * The local `terraform` binary, when there is one: `init -backend=false` and `validate` in a
 * stack directory. An init that fails because the provider registry cannot be reached is a skip
 * (machines without registry access cannot install providers), not a failure; anything else that
 * fails is.
 */
import { spawnSync } from 'node:child_process';

/** Errors that mean "the registry (or a mirror) could not be reached", not "the configuration is wrong". */
export const REGISTRY_UNREACHABLE =
  /could not connect to|failed to request discovery document|no such host|dial tcp|i\/o timeout|connection refused|network is unreachable|TLS handshake timeout|context deadline exceeded|Client\.Timeout/i;

const INIT_TIMEOUT_MS = 10 * 60 * 1000;
const VALIDATE_TIMEOUT_MS = 2 * 60 * 1000;

export type TerraformOutcome =
  | { readonly status: 'passed'; readonly message: string }
  | { readonly status: 'skipped'; readonly message: string }
  | { readonly status: 'failed'; readonly message: string; readonly problems: readonly string[] };

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  /** stdout and stderr. */
  readonly output: string;
  readonly error?: Error;
}

function terraform(args: string[], cwd: string, timeout: number): Run {
  const r = spawnSync('terraform', args, {
    cwd,
    encoding: 'utf8',
    timeout,
    env: { ...process.env, TF_IN_AUTOMATION: '1', TF_INPUT: '0', CHECKPOINT_DISABLE: '1' },
  });
  return {
    code: r.status,
    stdout: r.stdout ?? '',
    output: `${r.stdout ?? ''}\n${r.stderr ?? ''}`,
    error: r.error,
  };
}

/** The terraform version on PATH, or undefined when there is none. */
export function terraformVersion(): string | undefined {
  const r = spawnSync('terraform', ['version', '-json'], { encoding: 'utf8', timeout: 30_000 });
  if (r.error || r.status !== 0) return undefined;
  try {
    return (JSON.parse(r.stdout) as { terraform_version?: string }).terraform_version;
  } catch {
    return r.stdout.split('\n')[0];
  }
}

/** First line of the first `Error:` diagnostic (or of the output). */
export function firstErrorLine(output: string): string {
  const lines = output.split('\n').map((l) => l.replace(/^[│╷╵\s]+/, '').trim());
  return (
    lines.find((l) => l.startsWith('Error:')) ?? lines.find((l) => l.length > 0) ?? 'no output'
  );
}

export interface InitResult {
  readonly ok: boolean;
  /** Failed only because providers could not be downloaded. */
  readonly registryUnreachable: boolean;
  readonly firstError: string;
  readonly output: string;
}

export function terraformInit(dir: string): InitResult {
  const r = terraform(
    ['init', '-backend=false', '-input=false', '-no-color'],
    dir,
    INIT_TIMEOUT_MS,
  );
  const ok = r.code === 0 && !r.error;
  return {
    ok,
    registryUnreachable:
      !ok &&
      (REGISTRY_UNREACHABLE.test(r.output) || r.error?.message.includes('ETIMEDOUT') === true),
    firstError: r.error ? r.error.message : firstErrorLine(r.output),
    output: r.output,
  };
}

interface ValidateJson {
  readonly valid: boolean;
  readonly diagnostics?: { severity: string; summary: string; detail?: string; address?: string }[];
}

/** `init -backend=false` then `validate -json` in a stack directory. */
export function validateWithTerraform(dir: string): TerraformOutcome {
  const version = terraformVersion();
  if (!version) return { status: 'skipped', message: 'skipped: no terraform binary on PATH' };
  const init = terraformInit(dir);
  if (!init.ok && init.registryUnreachable) {
    return {
      status: 'skipped',
      message: `skipped: terraform init could not install providers (${init.firstError})`,
    };
  }
  if (!init.ok)
    return {
      status: 'failed',
      message: 'terraform init failed',
      problems: [init.firstError, ...detailLines(init.output)],
    };
  const r = terraform(['validate', '-json', '-no-color'], dir, VALIDATE_TIMEOUT_MS);
  let result: ValidateJson;
  try {
    result = JSON.parse(r.stdout) as ValidateJson;
  } catch {
    return {
      status: 'failed',
      message: 'terraform validate failed',
      problems: [firstErrorLine(r.output)],
    };
  }
  const errors = (result.diagnostics ?? []).filter((d) => d.severity === 'error');
  if (result.valid && errors.length === 0)
    return { status: 'passed', message: `terraform ${version} validate: valid` };
  return {
    status: 'failed',
    message: `terraform validate: ${errors.length} error(s)`,
    problems: errors.map(
      (d) =>
        `${d.address ? `${d.address}: ` : ''}${d.summary}${d.detail ? ` — ${d.detail.split('\n')[0]}` : ''}`,
    ),
  };
}

function detailLines(output: string): string[] {
  return output
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.startsWith('Error:'))
    .slice(1, 5);
}
