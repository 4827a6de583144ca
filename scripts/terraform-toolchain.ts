/**
 * Where Terraform and its providers come from, for the offline tools (scripts/offline-terraform.ts):
 * the mirror named by TF_PROVIDER_MIRROR, else the first of Terraform's implied mirror directories
 * (and /opt/tf-plugins) that holds hashicorp/aws, else the registry when reachable. Children get
 * their own CLI configuration through TF_CLI_CONFIG_FILE and no AWS identity of this machine;
 * nothing outside the repository is read but terraform and the mirror.
 */
import { spawnSync } from 'node:child_process';
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
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The setting that names a provider mirror (a folder holding registry.terraform.io/…). */
export const MIRROR_SETTING = 'TF_PROVIDER_MIRROR';
/** Mirrors this kind of build machine ships, searched after Terraform's implied directories. */
export const MACHINE_MIRRORS = ['/opt/tf-plugins'];
const REGISTRY_HOST = 'registry.terraform.io';
/** Where the offline tools keep their CLI configuration, plugin cache, workspaces and locks. */
export const WORK_ROOT = join(tmpdir(), 'compliance-audit-terraform');

/** Errors that mean "the registry (or a mirror) could not be reached", not "the configuration is wrong". */
export const REGISTRY_UNREACHABLE =
  /could not connect to|failed to request discovery document|no such host|dial tcp|i\/o timeout|connection refused|network is unreachable|TLS handshake timeout|context deadline exceeded|Client\.Timeout/i;

// ---------------------------------------------------------------------------------------------
// Where providers come from

/** `namespace/type` → versions, for the registry.terraform.io providers a mirror holds. */
export type MirroredProviders = Readonly<Record<string, readonly string[]>>;

/** Providers in a filesystem mirror, packed (`…/aws/terraform-provider-aws_5.100.0_linux_amd64.zip`) or unpacked (`…/aws/5.100.0/linux_amd64/`). */
export function mirroredProviders(dir: string): MirroredProviders {
  const host = join(dir, REGISTRY_HOST);
  const out: Record<string, string[]> = {};
  const list = (d: string): string[] =>
    existsSync(d) && statSync(d).isDirectory() ? readdirSync(d) : [];
  for (const namespace of list(host)) {
    for (const type of list(join(host, namespace))) {
      const versions = new Set<string>();
      for (const entry of list(join(host, namespace, type))) {
        const packed = new RegExp(
          `^terraform-provider-${type}_(\\d[^_]*)_[a-z0-9]+_[a-z0-9]+\\.zip$`,
        ).exec(entry);
        if (packed) versions.add(packed[1]);
        else if (/^\d+\.\d+\.\d+/.test(entry) && list(join(host, namespace, type, entry)).length)
          versions.add(entry);
      }
      if (versions.size) out[`${namespace}/${type}`] = [...versions].sort();
    }
  }
  return out;
}

/**
 * Terraform's implied local mirror directories on this OS, in its search order
 * (https://developer.hashicorp.com/terraform/cli/config/config-file#implied-local-mirror-directories).
 */
export function impliedMirrorDirs(
  env: NodeJS.ProcessEnv = process.env,
  cwd = process.cwd(),
): string[] {
  const home = env.HOME ?? homedir();
  const dirs = [join(cwd, 'terraform.d', 'plugins')];
  if (process.platform === 'win32') {
    if (env.APPDATA) dirs.push(join(env.APPDATA, 'HashiCorp', 'Terraform', 'plugins'));
    return dirs;
  }
  dirs.push(join(home, '.terraform.d', 'plugins'));
  if (process.platform === 'darwin') {
    dirs.push(join(home, 'Library', 'Application Support', 'io.terraform', 'plugins'));
    dirs.push('/Library/Application Support/io.terraform/plugins');
  } else {
    dirs.push(join(env.XDG_DATA_HOME || join(home, '.local', 'share'), 'terraform', 'plugins'));
    for (const d of (env.XDG_DATA_DIRS || '/usr/local/share:/usr/share').split(':'))
      if (d) dirs.push(join(d, 'terraform', 'plugins'));
  }
  return dirs;
}

export type ProviderSource =
  | { readonly kind: 'mirror'; readonly path: string; readonly providers: MirroredProviders }
  | { readonly kind: 'registry' };

/** The mirror to use, or why none fits; undefined when no mirror exists (try the registry). */
export function findProviderMirror(
  env: NodeJS.ProcessEnv = process.env,
  cwd = process.cwd(),
): { source?: ProviderSource & { kind: 'mirror' }; problem?: string } {
  const named = env[MIRROR_SETTING]?.trim();
  if (named) {
    const providers = mirroredProviders(resolve(cwd, named));
    if (!providers['hashicorp/aws'])
      return {
        problem: `${MIRROR_SETTING}=${named} holds no ${REGISTRY_HOST}/hashicorp/aws (expected ${named}/${REGISTRY_HOST}/hashicorp/aws/<version>/<os>_<arch>/)`,
      };
    return { source: { kind: 'mirror', path: resolve(cwd, named), providers } };
  }
  for (const dir of [...impliedMirrorDirs(env, cwd), ...MACHINE_MIRRORS]) {
    const providers = mirroredProviders(dir);
    if (providers['hashicorp/aws']) return { source: { kind: 'mirror', path: dir, providers } };
  }
  return {};
}

let reachable: boolean | undefined;

/** Whether the public registry answers (one HTTPS request, a few seconds at most; asked once). */
export function registryReachable(): boolean {
  if (reachable !== undefined) return reachable;
  const r = spawnSync(
    process.execPath,
    [
      '-e',
      `fetch('https://${REGISTRY_HOST}/.well-known/terraform.json', { signal: AbortSignal.timeout(5000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))`,
    ],
    { timeout: 8000, stdio: 'ignore' },
  );
  return (reachable = r.status === 0);
}

/** The terraform version on PATH, or undefined when there is none. */
export function terraformVersion(): string | undefined {
  const r = spawnSync('terraform', ['version', '-json'], {
    encoding: 'utf8',
    timeout: 30_000,
    env: { ...process.env, CHECKPOINT_DISABLE: '1', TF_CLI_CONFIG_FILE: '' },
  });
  if (r.error || r.status !== 0) return undefined;
  try {
    return (JSON.parse(r.stdout) as { terraform_version?: string }).terraform_version;
  } catch {
    return r.stdout.split('\n')[0];
  }
}

export interface TerraformToolchain {
  readonly terraformVersion: string;
  readonly source: ProviderSource;
  /** The CLI configuration children get through TF_CLI_CONFIG_FILE. */
  readonly cliConfigFile: string;
  /** One line: terraform version and where providers come from. */
  readonly description: string;
}

export function atomicWrite(file: string, content: string): void {
  mkdirSync(join(file, '..'), { recursive: true });
  if (existsSync(file) && readFileSync(file, 'utf8') === content) return;
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, content);
  renameSync(tmp, file);
}

/** Where registry downloads are cached for every workspace, test file and run. */
export const PLUGIN_CACHE_DIR = join(WORK_ROOT, 'plugin-cache');

/**
 * The CLI configuration: the mirror for what it holds (terraform links an unpacked mirror's
 * providers into each workspace, no copy), the registry for the rest, through a plugin cache
 * shared by every workspace so each provider is downloaded once.
 */
export function cliConfig(source: ProviderSource): string {
  mkdirSync(PLUGIN_CACHE_DIR, { recursive: true });
  const lines = [
    'disable_checkpoint = true',
    `plugin_cache_dir = ${JSON.stringify(PLUGIN_CACHE_DIR)}`,
  ];
  if (source.kind === 'mirror') {
    const held = Object.keys(source.providers).map((p) => JSON.stringify(`${REGISTRY_HOST}/${p}`));
    lines.push(
      'provider_installation {',
      '  filesystem_mirror {',
      `    path    = ${JSON.stringify(source.path)}`,
      `    include = [${held.join(', ')}]`,
      '  }',
      '  direct {',
      `    exclude = [${held.join(', ')}]`,
      '  }',
      '}',
    );
  }
  return `${lines.join('\n')}\n`;
}

let found: { toolchain?: TerraformToolchain; skip?: string } | undefined;

/**
 * terraform plus a provider source, or the one-line reason why Terraform cannot run here.
 * Decided once per process.
 */
export function findTerraform(env: NodeJS.ProcessEnv = process.env): {
  toolchain?: TerraformToolchain;
  skip?: string;
} {
  if (found) return found;
  const version = terraformVersion();
  if (!version) return (found = { skip: 'no terraform binary on PATH' });
  const mirror = findProviderMirror(env);
  if (mirror.problem) return (found = { skip: mirror.problem });
  let source: ProviderSource;
  if (mirror.source) source = mirror.source;
  else if (registryReachable()) source = { kind: 'registry' };
  else
    return (found = {
      skip: `no provider mirror holds hashicorp/aws (${MIRROR_SETTING}, Terraform's implied mirror directories, ${MACHINE_MIRRORS.join(', ')}) and ${REGISTRY_HOST} is unreachable`,
    });
  const config = cliConfig(source);
  const cliConfigFile = join(
    WORK_ROOT,
    `terraformrc-${createHash('sha256').update(config).digest('hex').slice(0, 12)}`,
  );
  atomicWrite(cliConfigFile, config);
  const providers =
    source.kind === 'mirror'
      ? `providers from the mirror ${source.path} (${Object.entries(source.providers)
          .map(([p, v]) => `${p} ${v.join(', ')}`)
          .join('; ')})`
      : `providers from ${REGISTRY_HOST}`;
  return (found = {
    toolchain: {
      terraformVersion: version,
      source,
      cliConfigFile,
      description: `terraform ${version}, ${providers}`,
    },
  });
}

/** Why the toolchain cannot install one of these providers (`hashicorp/awscc` …), if it cannot. */
export function missingProvider(
  toolchain: TerraformToolchain,
  providers: readonly string[],
): string | undefined {
  if (toolchain.source.kind === 'registry') return undefined;
  const mirror = toolchain.source;
  const missing = providers.filter((p) => !mirror.providers[p]);
  if (missing.length === 0) return undefined;
  return `${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} not in the mirror ${mirror.path}${
    registryReachable() ? '' : ` and ${REGISTRY_HOST} is unreachable`
  }`;
}

/** The environment of every terraform child: our CLI configuration, no real AWS identity. */
export function terraformEnv(
  toolchain: TerraformToolchain,
  base: NodeJS.ProcessEnv = process.env,
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(base)) {
    // No credentials, profile or shared config of the machine reach an offline run.
    if (/^AWS_/.test(k) || /^TF_(CLI_CONFIG_FILE|PLUGIN_CACHE_DIR|WORKSPACE|DATA_DIR)$/.test(k))
      continue;
    env[k] = v;
  }
  return {
    ...env,
    TF_CLI_CONFIG_FILE: toolchain.cliConfigFile,
    TF_IN_AUTOMATION: '1',
    TF_INPUT: '0',
    CHECKPOINT_DISABLE: '1',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: join(WORK_ROOT, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(WORK_ROOT, 'no-aws-credentials'),
    NO_PROXY: ['127.0.0.1', 'localhost', env.NO_PROXY].filter(Boolean).join(','),
  };
}
