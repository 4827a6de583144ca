/**
 * Real Terraform on a synthesized stack without an AWS account or network: `terraform init`
 * (providers from scripts/terraform-toolchain.ts), `validate`, and an offline `plan` whose data
 * sources are answered by a local endpoint (scripts/offline-aws-endpoint.ts). The synthesized
 * folder is never touched: each workspace is a temporary copy plus one override file.
 *
 *   const found = findTerraform();                 // { toolchain } or { skip: 'why' }
 *   const ws = OfflineWorkspace.create(stackDir, found.toolchain!);
 *   await ws.init();                               // → provider versions installed
 *   const diagnostics = await ws.validate();       // errors and warnings
 *   const { plan } = await ws.plan();              // `terraform show -json` of the plan
 *   ws.dispose();
 *
 * or `offlinePlan(stackDir, toolchain)` for all of it; `stateFromPlan` (scripts/offline-state.ts)
 * turns a create plan into a state for destroy plans. The override file
 * (`zz_offline_override.tf.json`, Terraform's override-file merge) swaps the backend for a local
 * state file in the workspace and gives the aws provider dummy credentials, the skip flags, and
 * the local endpoint for `sts`, `ec2` and `organizations`; it works the same for cdk.tf.json and cdk.tf.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import type { ProviderSchemas } from './offline-state';
import {
  atomicWrite,
  missingProvider,
  REGISTRY_UNREACHABLE,
  terraformEnv,
  WORK_ROOT,
  type TerraformToolchain,
} from './terraform-toolchain';

/** The override file each workspace gets (sorted last, so it merges over everything). */
export const OVERRIDE_FILE = 'zz_offline_override.tf.json';
const REGISTRY_HOST = 'registry.terraform.io';
const COMMAND_TIMEOUT_MS = 10 * 60 * 1000;

// ---------------------------------------------------------------------------------------------
// The local endpoint

export interface OfflineEndpoint {
  readonly url: string;
  stop(): Promise<void>;
}

/** Starts scripts/offline-aws-endpoint.ts in its own process (so synchronous callers work too). */
export function startOfflineEndpoint(region: string): Promise<OfflineEndpoint> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--require', require.resolve('tsx/cjs'), join(__dirname, 'offline-aws-endpoint.ts'), region],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const stop = async (): Promise<void> => {
    child.stdin?.end();
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  };
  return new Promise((resolvePromise, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`the offline endpoint did not start in 30 s: ${err.trim()}`));
    }, 30_000);
    child.stderr?.on('data', (c: Buffer) => (err += c.toString()));
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /listening (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolvePromise({ url: m[1], stop });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the offline endpoint exited (${code}): ${err.trim()}`));
    });
  });
}

/**
 * The override file of a workspace: a local backend (whatever the stack declares: S3, Terraform
 * Cloud or local) and an aws provider that asks the local endpoint.
 */
export function offlineOverride(statePath: string, endpointUrl: string, aws = true): object {
  return {
    terraform: { backend: { local: { path: statePath } } },
    ...(aws ? { provider: offlineProvider(endpointUrl) } : {}),
  };
}

function offlineProvider(endpointUrl: string): object {
  return {
    aws: {
      access_key: 'AKIAOFFLINEPLAN00000',
      secret_key: 'offline-plan-has-no-credentials',
      skip_credentials_validation: true,
      skip_requesting_account_id: true,
      skip_metadata_api_check: true,
      skip_region_validation: true,
      endpoints: [{ sts: endpointUrl, ec2: endpointUrl, organizations: endpointUrl }],
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Running terraform

export interface Diagnostic {
  readonly severity: 'error' | 'warning';
  readonly summary: string;
  readonly detail?: string;
  readonly address?: string;
}

/** A diagnostic on one line: `address: summary — first line of detail`. */
export function describeDiagnostic(d: Diagnostic): string {
  return `${d.address ? `${d.address}: ` : ''}${d.summary}${d.detail ? ` — ${d.detail.split('\n')[0]}` : ''}`;
}

export class TerraformError extends Error {
  constructor(
    message: string,
    readonly diagnostics: readonly string[],
    /** The failure is a provider that cannot be installed here, not a configuration error. */
    readonly providerUnavailable = false,
  ) {
    super(`${message}${diagnostics.length ? `:\n  ${diagnostics.join('\n  ')}` : ''}`);
    this.name = 'TerraformError';
  }
}

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function runTerraform(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn('terraform', args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), COMMAND_TIMEOUT_MS);
    child.once('error', fail);
    child.once('close', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
  });
}

const INIT_LOCK = join(WORK_ROOT, 'init.lock');
/** A lock older than this was left by a process that died. */
const STALE_LOCK_MS = 5 * 60 * 1000;

/**
 * Runs `fn` while holding a lock shared by every process on the machine: terraform's plugin cache
 * is not safe for concurrent `terraform init` (parallel test workers init at once).
 */
async function withInitLock<T>(fn: () => Promise<T>): Promise<T> {
  mkdirSync(WORK_ROOT, { recursive: true });
  for (;;) {
    try {
      mkdirSync(INIT_LOCK);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      try {
        if (Date.now() - statSync(INIT_LOCK).mtimeMs > STALE_LOCK_MS)
          rmSync(INIT_LOCK, { recursive: true, force: true });
      } catch {
        // Released meanwhile.
      }
      await new Promise((done) => setTimeout(done, 250));
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(INIT_LOCK, { recursive: true, force: true });
  }
}

/** First line of the first `Error:` diagnostic (or of the output). */
export function firstErrorLine(output: string): string {
  const lines = output.split('\n').map((l) => l.replace(/^[│╷╵\s]+/, '').trim());
  return (
    lines.find((l) => l.startsWith('Error:')) ?? lines.find((l) => l.length > 0) ?? 'no output'
  );
}

/** The first `Error:` diagnostic of human-readable output, summary and detail on one line. */
export function firstError(output: string): string {
  const lines = output.split('\n').map((l) => l.replace(/^[│╷╵]\s?/, '').trimEnd());
  const start = lines.findIndex((l) => l.trim().startsWith('Error:'));
  if (start < 0) return firstErrorLine(output);
  const detail: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.trim().startsWith('Error:') || line.trim().startsWith('Warning:')) break;
    if (line.trim()) detail.push(line.trim());
  }
  const text = [lines[start].trim(), ...detail].join(' ');
  return text.length > 400 ? `${text.slice(0, 400)}…` : text;
}

/** Diagnostics from `-json` output: a validate document, or plan's one-message-per-line stream. */
function diagnosticsOf(stdout: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const add = (d: Partial<Diagnostic> & { range?: unknown }, address?: string): void => {
    if (d.severity !== 'error' && d.severity !== 'warning') return;
    out.push({
      severity: d.severity,
      summary: d.summary ?? '',
      detail: d.detail,
      address: d.address ?? address,
    });
  };
  try {
    const doc = JSON.parse(stdout) as { diagnostics?: Diagnostic[] };
    for (const d of doc.diagnostics ?? []) add(d);
    return out;
  } catch {
    // A stream of JSON lines.
  }
  for (const line of stdout.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      const m = JSON.parse(line) as { type?: string; diagnostic?: Diagnostic };
      if (m.type === 'diagnostic' && m.diagnostic) add(m.diagnostic);
    } catch {
      // Not a message line.
    }
  }
  return out;
}

/**
 * `terraform init` of a directory in place, under the machine-wide init lock: for tools that run
 * terraform there themselves (cdktf's matchers), so their own init finds the providers installed.
 */
export async function initInPlace(dir: string, toolchain: TerraformToolchain): Promise<void> {
  const r = await withInitLock(() =>
    runTerraform(['init', '-input=false', '-no-color'], dir, terraformEnv(toolchain)),
  );
  if (r.code !== 0)
    throw new TerraformError('terraform init failed', [firstError(`${r.stdout}\n${r.stderr}`)]);
}

export interface ValidateResult {
  readonly valid: boolean;
  readonly errors: readonly Diagnostic[];
  readonly warnings: readonly Diagnostic[];
}

/** What `terraform show -json` says about a plan (the parts this project reads). */
export interface PlanJson {
  readonly format_version: string;
  readonly terraform_version: string;
  readonly resource_changes?: readonly ResourceChange[];
  readonly output_changes?: Readonly<Record<string, Change>>;
  readonly planned_values?: Readonly<Record<string, unknown>>;
  readonly prior_state?: Readonly<Record<string, unknown>>;
  readonly configuration?: Readonly<Record<string, unknown>>;
  readonly [key: string]: unknown;
}

export interface Change {
  readonly actions: readonly string[];
  readonly before: unknown;
  readonly after: unknown;
  readonly after_unknown?: unknown;
  readonly before_sensitive?: unknown;
  readonly after_sensitive?: unknown;
  readonly replace_paths?: readonly (readonly (string | number)[])[];
}

export interface ResourceChange {
  readonly address: string;
  readonly mode: 'managed' | 'data';
  readonly type: string;
  readonly name: string;
  readonly index?: string | number;
  readonly provider_name?: string;
  readonly change: Change;
  readonly action_reason?: string;
}

export interface PlanResult {
  readonly plan: PlanJson;
  readonly warnings: readonly Diagnostic[];
}

export interface PlanOptions {
  /** A destroy plan (`-destroy`). */
  readonly destroy?: boolean;
  /** `-refresh=false`: plan against the state as written (for states made up by a test). */
  readonly refresh?: boolean;
  /** A state (terraform.tfstate JSON) to plan against; default none (everything is new). */
  readonly state?: object;
}

export interface WorkspaceOptions {
  /** Region of the local endpoint. @default the stack's aws provider region, else us-east-1 */
  readonly region?: string;
  /** Progress lines. @default none */
  readonly log?: (line: string) => void;
}

/** The stack's aws provider region, from cdk.tf.json or cdk.tf. */
function stackRegion(file: string): string | undefined {
  const text = readFileSync(file, 'utf8');
  if (file.endsWith('.json')) {
    const provider = (JSON.parse(text) as { provider?: { aws?: unknown } }).provider?.aws;
    const first = (Array.isArray(provider) ? provider[0] : provider) as
      { region?: unknown } | undefined;
    return typeof first?.region === 'string' ? first.region : undefined;
  }
  return /provider\s+"aws"\s*\{[^}]*?\bregion\s*=\s*"([a-z0-9-]+)"/s.exec(text)?.[1];
}

/** Providers a stack requires (`hashicorp/aws` …), from cdk.tf.json or cdk.tf. */
export function requiredProviders(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const sources = file.endsWith('.json')
    ? Object.values(
        (
          JSON.parse(text) as {
            terraform?: { required_providers?: Record<string, { source?: string }> };
          }
        ).terraform?.required_providers ?? {},
      ).map((p) => p.source ?? '')
    : [...text.matchAll(/\bsource\s*=\s*"([^"]+)"/g)].map((m) => m[1]);
  return [
    ...new Set(
      sources
        .filter(Boolean)
        .map((s) => s.replace(new RegExp(`^${REGISTRY_HOST}/`), ''))
        .map((s) => (s.includes('/') ? s : `hashicorp/${s}`)),
    ),
  ].sort();
}

/** The synthesized file of a stack directory: cdk.tf.json, else cdk.tf. */
export function stackFile(stackDir: string): string {
  for (const name of ['cdk.tf.json', 'cdk.tf']) {
    const file = join(stackDir, name);
    if (existsSync(file)) return file;
  }
  throw new Error(`${stackDir} holds neither cdk.tf.json nor cdk.tf: synthesize first`);
}

/** A temporary copy of one synthesized stack where terraform runs offline. */
export class OfflineWorkspace {
  readonly dir: string;
  readonly region: string;
  /** Which synthesized form the copy holds. */
  readonly form: 'json' | 'hcl';
  /** Provider versions `init` installed (`hashicorp/aws` → 5.100.0). */
  providers: Readonly<Record<string, string>> = {};
  private readonly env: NodeJS.ProcessEnv;
  private readonly log: (line: string) => void;

  private constructor(
    readonly stackDir: string,
    readonly toolchain: TerraformToolchain,
    options: WorkspaceOptions,
  ) {
    const file = stackFile(stackDir);
    this.form = file.endsWith('.json') ? 'json' : 'hcl';
    this.region = options.region ?? stackRegion(file) ?? 'us-east-1';
    this.log = options.log ?? (() => undefined);
    mkdirSync(WORK_ROOT, { recursive: true });
    this.dir = mkdtempSync(join(WORK_ROOT, 'ws-'));
    // The configuration and its assets (function zips); nothing terraform left in the source.
    for (const entry of readdirSync(stackDir)) {
      if (
        entry === '.terraform' ||
        entry.startsWith('terraform.tfstate') ||
        entry.startsWith('.terraform.')
      )
        continue;
      if (entry.endsWith('.tf') || entry.endsWith('.tf.json') || entry === 'assets')
        cpSync(join(stackDir, entry), join(this.dir, entry), { recursive: true });
    }
    this.env = terraformEnv(toolchain);
    this.writeOverride('http://127.0.0.1:9');
  }

  static create(
    stackDir: string,
    toolchain: TerraformToolchain,
    options: WorkspaceOptions = {},
  ): OfflineWorkspace {
    return new OfflineWorkspace(stackDir, toolchain, options);
  }

  private get statePath(): string {
    return join(this.dir, 'terraform.tfstate');
  }

  private writeOverride(endpointUrl: string): void {
    // The aws provider block only where the stack uses it (an override would otherwise require it).
    const aws = requiredProviders(stackFile(this.dir)).includes('hashicorp/aws');
    writeFileSync(
      join(this.dir, OVERRIDE_FILE),
      `${JSON.stringify(offlineOverride(this.statePath, endpointUrl, aws), null, 2)}\n`,
    );
  }

  /** `terraform init`; throws TerraformError (providerUnavailable when it could not install one). */
  async init(): Promise<Readonly<Record<string, string>>> {
    const missing = missingProvider(this.toolchain, requiredProviders(stackFile(this.dir)));
    if (missing) throw new TerraformError(`cannot install providers: ${missing}`, [], true);
    this.log(`terraform init (${this.form}) in ${this.dir}`);
    const r = await withInitLock(() =>
      runTerraform(['init', '-input=false', '-no-color'], this.dir, this.env),
    );
    if (r.code !== 0) {
      const output = `${r.stdout}\n${r.stderr}`;
      throw new TerraformError(
        'terraform init failed',
        [firstError(output)],
        REGISTRY_UNREACHABLE.test(output),
      );
    }
    const lockFile = join(this.dir, '.terraform.lock.hcl');
    const lock = existsSync(lockFile) ? readFileSync(lockFile, 'utf8') : '';
    this.providers = Object.fromEntries(
      [...lock.matchAll(/provider "(?:[^/"]+\/)?([^"]+)" \{\s*version\s*=\s*"([^"]+)"/g)].map(
        (m) => [m[1], m[2]],
      ),
    );
    return this.providers;
  }

  /** `terraform validate -json`: errors and warnings. */
  async validate(): Promise<ValidateResult> {
    this.log(`terraform validate (${this.form})`);
    const r = await runTerraform(['validate', '-json', '-no-color'], this.dir, this.env);
    const diagnostics = diagnosticsOf(r.stdout);
    let valid = r.code === 0;
    try {
      valid = (JSON.parse(r.stdout) as { valid?: boolean }).valid === true;
    } catch {
      if (diagnostics.length === 0)
        throw new TerraformError('terraform validate failed', [
          firstErrorLine(`${r.stdout}\n${r.stderr}`),
        ]);
    }
    return {
      valid,
      errors: diagnostics.filter((d) => d.severity === 'error'),
      warnings: diagnostics.filter((d) => d.severity === 'warning'),
    };
  }

  /** `terraform plan` against the local endpoint, then `terraform show -json` of it. */
  async plan(options: PlanOptions = {}): Promise<PlanResult> {
    if (options.state) writeFileSync(this.statePath, JSON.stringify(options.state));
    const endpoint = await startOfflineEndpoint(this.region);
    try {
      this.writeOverride(endpoint.url);
      this.log(
        `terraform plan${options.destroy ? ' -destroy' : ''} (${this.form}), AWS answered by ${endpoint.url}`,
      );
      const r = await runTerraform(
        [
          'plan',
          '-input=false',
          '-lock=false',
          '-no-color',
          '-json',
          '-out=offline.tfplan',
          ...(options.destroy ? ['-destroy'] : []),
          ...(options.refresh === false ? ['-refresh=false'] : []),
        ],
        this.dir,
        this.env,
      );
      const diagnostics = diagnosticsOf(r.stdout);
      if (r.code !== 0) {
        const errors = diagnostics.filter((d) => d.severity === 'error').map(describeDiagnostic);
        throw new TerraformError(
          'terraform plan failed',
          errors.length ? errors : [firstErrorLine(`${r.stdout}\n${r.stderr}`)],
        );
      }
      this.log(`terraform show -json (${this.form})`);
      const show = await runTerraform(
        ['show', '-json', '-no-color', 'offline.tfplan'],
        this.dir,
        this.env,
      );
      if (show.code !== 0)
        throw new TerraformError('terraform show failed', [firstErrorLine(show.stderr)]);
      return {
        plan: JSON.parse(show.stdout) as PlanJson,
        warnings: diagnostics.filter((d) => d.severity === 'warning'),
      };
    } finally {
      await endpoint.stop();
    }
  }

  /**
   * `terraform providers schema -json` of the initialised workspace, cached on disk per provider
   * set (the aws schema is large and costs a provider start).
   */
  async providerSchemas(): Promise<ProviderSchemas> {
    const key = createHash('sha256')
      .update(JSON.stringify(this.providers))
      .digest('hex')
      .slice(0, 16);
    const cache = join(WORK_ROOT, `schemas-${key}.json`);
    if (existsSync(cache)) return JSON.parse(readFileSync(cache, 'utf8')) as ProviderSchemas;
    this.log('terraform providers schema -json');
    const r = await runTerraform(['providers', 'schema', '-json'], this.dir, this.env);
    if (r.code !== 0)
      throw new TerraformError('terraform providers schema failed', [firstError(r.stderr)]);
    atomicWrite(cache, r.stdout);
    return JSON.parse(r.stdout) as ProviderSchemas;
  }

  dispose(): void {
    if (process.env.OFFLINE_TERRAFORM_KEEP === '1') {
      this.log(`kept ${this.dir} (OFFLINE_TERRAFORM_KEEP=1)`);
      return;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export interface OfflinePlanResult extends PlanResult {
  readonly validate: ValidateResult;
  readonly providers: Readonly<Record<string, string>>;
}

/** init, validate and plan one synthesized stack in a temporary workspace, then remove it. */
export async function offlinePlan(
  stackDir: string,
  toolchain: TerraformToolchain,
  options: WorkspaceOptions & PlanOptions = {},
): Promise<OfflinePlanResult> {
  const ws = OfflineWorkspace.create(stackDir, toolchain, options);
  try {
    const providers = await ws.init();
    const validate = await ws.validate();
    if (!validate.valid)
      throw new TerraformError(
        'terraform validate failed',
        validate.errors.map(describeDiagnostic),
      );
    const plan = await ws.plan(options);
    return { ...plan, validate, providers };
  } finally {
    ws.dispose();
  }
}
