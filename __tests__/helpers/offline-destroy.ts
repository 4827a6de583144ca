/**
 * An offline `terraform plan -destroy` of a synthesized stack: a provider from a filesystem
 * mirror, dummy credentials with the provider's skip flags, a local state made up from the
 * configuration itself (every resource present, with its id only), and `-refresh=false`, so no
 * AWS API is called. What it proves is what Terraform would do to that state on destroy.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

const AWS_PROVIDER = 'registry.terraform.io/hashicorp/aws';

export interface ProviderMirror {
  readonly path: string;
  readonly awsVersion: string;
}

/** TF_PROVIDER_MIRROR, else Terraform's implied local mirror directories and the machine's own. */
export function findProviderMirror(): ProviderMirror | undefined {
  const candidates = [
    process.env.TF_PROVIDER_MIRROR,
    '/opt/tf-plugins',
    join(homedir(), '.terraform.d', 'plugins'),
    '/usr/local/share/terraform/plugins',
    '/usr/share/terraform/plugins',
  ].filter((p): p is string => Boolean(p));
  for (const path of candidates) {
    const dir = join(path, AWS_PROVIDER);
    if (!existsSync(dir)) continue;
    const awsVersion = readdirSync(dir).find((v) => /^\d+\.\d+\.\d+$/.test(v));
    if (awsVersion) return { path, awsVersion };
  }
  return undefined;
}

export interface Offline {
  readonly dir: string;
  readonly env: NodeJS.ProcessEnv;
}

/** Points the stack in `dir` at the mirror, a local state file and dummy credentials. */
export function prepareOffline(dir: string, mirror: ProviderMirror): Offline {
  const file = join(dir, 'cdk.tf.json');
  const json = JSON.parse(readFileSync(file, 'utf8')) as {
    terraform: { required_providers: Record<string, { version?: string }>; backend?: unknown };
    provider: { aws: Record<string, unknown>[] };
  };
  json.terraform.required_providers.aws.version = mirror.awsVersion;
  json.terraform.backend = { local: { path: 'terraform.tfstate' } };
  Object.assign(json.provider.aws[0], {
    access_key: 'offline',
    secret_key: 'offline',
    skip_credentials_validation: true,
    skip_requesting_account_id: true,
    skip_metadata_api_check: true,
  });
  writeFileSync(file, JSON.stringify(json, null, 2));
  const cliConfig = join(dir, 'offline.tfrc');
  writeFileSync(
    cliConfig,
    `provider_installation {\n  filesystem_mirror {\n    path    = ${JSON.stringify(mirror.path)}\n    include = ["${AWS_PROVIDER}"]\n  }\n}\n`,
  );
  return {
    dir,
    env: {
      ...process.env,
      TF_CLI_CONFIG_FILE: cliConfig,
      CHECKPOINT_DISABLE: '1',
      TF_IN_AUTOMATION: '1',
    },
  };
}

export function terraform(
  o: Offline,
  args: string[],
): { code: number; stdout: string; stderr: string } {
  const r = spawnSync('terraform', args, {
    cwd: o.dir,
    env: o.env,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: r.status ?? 1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

/** Schema version per resource type (a state must carry it), cached per provider version. */
function schemaVersions(o: Offline, mirror: ProviderMirror): Record<string, number> {
  const cache = join(tmpdir(), `compliance-audit-aws-${mirror.awsVersion}-schema-versions.json`);
  if (existsSync(cache)) return JSON.parse(readFileSync(cache, 'utf8')) as Record<string, number>;
  const r = terraform(o, ['providers', 'schema', '-json']);
  if (r.code !== 0) throw new Error(`terraform providers schema failed: ${r.stderr}`);
  const schemas = (
    JSON.parse(r.stdout) as {
      provider_schemas: Record<string, { resource_schemas: Record<string, { version?: number }> }>;
    }
  ).provider_schemas[AWS_PROVIDER].resource_schemas;
  const versions = Object.fromEntries(
    Object.entries(schemas).map(([type, s]) => [type, s.version ?? 0]),
  );
  writeFileSync(cache, JSON.stringify(versions));
  return versions;
}

/** A local state holding every resource of the configuration (one instance each, id only). */
export function madeUpState(o: Offline, mirror: ProviderMirror): void {
  const versions = schemaVersions(o, mirror);
  const json = JSON.parse(readFileSync(join(o.dir, 'cdk.tf.json'), 'utf8')) as {
    resource: Record<string, Record<string, { count?: unknown }>>;
  };
  const resources = Object.entries(json.resource).flatMap(([type, byName]) =>
    Object.entries(byName).map(([name, body]) => ({
      mode: 'managed',
      type,
      name,
      provider: `provider["${AWS_PROVIDER}"]`,
      instances: [
        {
          ...(body.count === undefined ? {} : { index_key: 0 }),
          schema_version: versions[type] ?? 0,
          attributes: { id: `${type}.${name}` },
          sensitive_attributes: [],
        },
      ],
    })),
  );
  writeFileSync(
    join(o.dir, 'terraform.tfstate'),
    JSON.stringify({
      version: 4,
      terraform_version: '1.11.0',
      serial: 1,
      lineage: '00000000-0000-4000-8000-000000000012',
      outputs: {},
      resources,
    }),
  );
}

export interface DestroyPlan {
  readonly code: number;
  /** Addresses the plan would delete. */
  readonly deletes: string[];
  /** Error diagnostics: summary, then detail. */
  readonly errors: string[];
}

/** `terraform plan -destroy -refresh=false -json`, read from its machine-readable messages. */
export function destroyPlan(o: Offline): DestroyPlan {
  const r = terraform(o, ['plan', '-destroy', '-refresh=false', '-input=false', '-json']);
  const messages = r.stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map(
      (l) =>
        JSON.parse(l) as {
          type: string;
          change?: { action: string; resource: { addr: string } };
          diagnostic?: { severity: string; summary: string; detail?: string };
        },
    );
  return {
    code: r.code,
    deletes: messages
      .filter((m) => m.type === 'planned_change' && m.change?.action === 'delete')
      .map((m) => m.change!.resource.addr)
      .sort(),
    errors: messages
      .filter((m) => m.type === 'diagnostic' && m.diagnostic?.severity === 'error')
      .map((m) => `${m.diagnostic!.summary}: ${m.diagnostic!.detail ?? ''}`),
  };
}
