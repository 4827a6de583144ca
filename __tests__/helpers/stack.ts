/**
 * Shared helpers of the stack tests: a fixed Lambda bundle (so asset hashes never churn), one-call
 * synthesis of the ComplianceStack, typed access to the synthesized Terraform JSON, and a walker
 * over every IAM policy document in it.
 */
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Testing, TerraformStack } from 'cdktf';
import { reproducibleZip, type LambdaBundle } from '../../lambdas/build';
import { ComplianceStack, type ComplianceStackOptions } from '../../stacks/compliance-stack';
import { DeploymentEnvironment, iamName } from '../../stacks/environment';
import {
  resolveSettings,
  type ComplianceStackProps,
  type FunctionName,
} from '../../stacks/settings';

/** Suffix of every test stack unless a test sets another. */
export const SUFFIX = 'test';

/** The IAM role / policy name of `base` in a test stack (default region). */
export const iamNameOf = (base: string, suffix = SUFFIX): string =>
  iamName(base, 'us-east-1', suffix);

export type Block = Record<string, unknown>;

/** The parts of a synthesized cdk.tf.json the tests read. */
export interface TerraformJson {
  terraform: Block & {
    backend?: Record<string, Block>;
    required_providers?: Record<string, Block>;
  };
  provider: Record<string, Block[]>;
  resource: Record<string, Record<string, Block>>;
  data?: Record<string, Record<string, Block>>;
  locals?: Record<string, string>;
  output: Record<string, { value: unknown; description?: string }>;
}

// ---------------------------------------------------------------------------------------------
// Fixed bundle

const FAKE_HANDLER = 'exports.handler = async () => ({ ok: true });\n';

let fakeZip: { zipPath: string; sha256: string; bytes: number } | undefined;

/**
 * One tiny real zip (made by the project's reproducible zipper), written once per test run under
 * the OS temp dir and named by its content, so every test file and worker shares it.
 */
export function fakeZipFile(): { zipPath: string; sha256: string; bytes: number } {
  if (fakeZip) return fakeZip;
  const zip = reproducibleZip({ 'index.js': new TextEncoder().encode(FAKE_HANDLER) });
  const hex = createHash('sha256').update(zip).digest('hex');
  const dir = join(tmpdir(), 'compliance-audit-tests', hex.slice(0, 16));
  const zipPath = join(dir, 'function.zip');
  if (!existsSync(zipPath)) {
    mkdirSync(dir, { recursive: true });
    const tmp = `${zipPath}.${process.pid}.tmp`;
    writeFileSync(tmp, zip);
    renameSync(tmp, zipPath);
  }
  fakeZip = {
    zipPath,
    sha256: createHash('sha256').update(zip).digest('base64'),
    bytes: zip.byteLength,
  };
  return fakeZip;
}

/** ComplianceStackOptions.bundle that hands every function the fixed zip. */
export function fakeBundle(name: string): LambdaBundle {
  return { name, ...fakeZipFile(), cached: true };
}

// ---------------------------------------------------------------------------------------------
// Synthesis

/**
 * The apps' outdir. Testing.synth writes nothing there, so one shared directory (created up front,
 * so parallel workers never race to create it) leaves no temp dir per test file behind.
 */
function appOutdir(): string {
  const dir = join(tmpdir(), 'compliance-audit-tests', 'cdktf.out');
  mkdirSync(dir, { recursive: true });
  return dir;
}

export interface Synthesized {
  readonly stack: ComplianceStack;
  /** What Testing.synth returns: the argument of the cdktf matchers and of toMatchSnapshot. */
  readonly synth: string;
  readonly tf: TerraformJson;
}

/** A fresh app with the ComplianceStack `test`. */
export function buildStack(
  props: Partial<ComplianceStackProps> = {},
  options: ComplianceStackOptions = { bundle: fakeBundle },
): ComplianceStack {
  const app = Testing.app({ outdir: appOutdir() });
  return new ComplianceStack(app, 'test', { environmentSuffix: SUFFIX, ...props }, options);
}

/** Synthesizes the ComplianceStack with these props (fixed bundle unless options say otherwise). */
export function synthStack(
  props: Partial<ComplianceStackProps> = {},
  options?: ComplianceStackOptions,
): Synthesized {
  const stack = buildStack(props, options);
  const synth = Testing.synth(stack);
  return { stack, synth, tf: JSON.parse(synth) as TerraformJson };
}

let defaults: Synthesized | undefined;

/** The stack with default settings, synthesized once per test file and shared. */
export function defaultStack(): Synthesized {
  defaults ??= synthStack();
  return defaults;
}

/**
 * One construct on its own (Testing.synthScope with a stack named `test`): far cheaper than the
 * whole stack when a test varies a setting that only this construct reads.
 */
export function synthScope(build: (stack: TerraformStack) => void): {
  synth: string;
  tf: TerraformJson;
} {
  const stack = new TerraformStack(Testing.app({ outdir: appOutdir() }), 'test');
  build(stack);
  const synth = Testing.synth(stack);
  return { synth, tf: JSON.parse(synth) as TerraformJson };
}

/** The DeploymentEnvironment every construct takes, from validated settings. */
export function testEnvironment(
  scope: TerraformStack,
  props: Partial<ComplianceStackProps> = {},
): DeploymentEnvironment {
  return new DeploymentEnvironment(
    scope,
    'environment',
    resolveSettings({ environmentSuffix: SUFFIX, ...props }),
  );
}

// ---------------------------------------------------------------------------------------------
// Reading the JSON

export interface Found {
  /** Logical id (the key under resource.<type>). */
  readonly id: string;
  readonly config: Block;
}

/** Every resource of a type, in logical-id order. */
export function resourcesOf(tf: TerraformJson, type: string): Found[] {
  return Object.entries(tf.resource[type] ?? {})
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([id, config]) => ({ id, config }));
}

/** The one resource of a type whose attribute has this value; fails loudly otherwise. */
export function resourceWith(
  tf: TerraformJson,
  type: string,
  attribute: string,
  value: unknown,
): Found {
  const found = resourcesOf(tf, type).filter((r) => r.config[attribute] === value);
  if (found.length !== 1) {
    throw new Error(
      `expected one ${type} with ${attribute}=${String(value)}, found ${found.length}`,
    );
  }
  return found[0];
}

/** `${<type>.<id>.<attribute>}`: how the JSON refers to another resource's attribute. */
export function ref(type: string, found: Found | string, attribute: string): string {
  return `\${${type}.${typeof found === 'string' ? found : found.id}.${attribute}}`;
}

/** All resource types present in the synthesized stack. */
export function resourceTypes(tf: TerraformJson): string[] {
  return Object.keys(tf.resource).sort();
}

// ---------------------------------------------------------------------------------------------
// Policy documents

export interface PolicyStatementJson {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Principal?: string | Record<string, string | string[]>;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
}

export interface PolicyDocumentJson {
  Version: string;
  Statement: PolicyStatementJson | PolicyStatementJson[];
}

export interface FoundPolicy {
  /** `<type>.<logical id>.<attribute>`, for failure messages. */
  readonly where: string;
  readonly type: string;
  readonly id: string;
  readonly document: PolicyDocumentJson;
}

/** Every attribute of the synthesized stack that holds an IAM policy document as a JSON string. */
export const POLICY_ATTRIBUTES: Readonly<Record<string, string>> = {
  aws_iam_policy: 'policy',
  aws_iam_role: 'assume_role_policy',
  aws_s3_bucket_policy: 'policy',
  aws_sns_topic_policy: 'policy',
  aws_kms_key: 'policy',
  aws_sqs_queue_policy: 'policy',
};

/** Parses every policy document (policies, trust policies, bucket/topic/key/queue policies). */
export function policyDocuments(tf: TerraformJson): FoundPolicy[] {
  const found: FoundPolicy[] = [];
  for (const [type, attribute] of Object.entries(POLICY_ATTRIBUTES)) {
    for (const { id, config } of resourcesOf(tf, type)) {
      const raw = config[attribute];
      if (raw === undefined) continue;
      if (typeof raw !== 'string') throw new Error(`${type}.${id}.${attribute} is not a string`);
      found.push({ where: `${type}.${id}.${attribute}`, type, id, document: JSON.parse(raw) });
    }
  }
  return found;
}

export function statementsOf(document: PolicyDocumentJson): PolicyStatementJson[] {
  return [document.Statement].flat();
}

/** Action and NotAction entries of a statement, as a list. */
export function actionsOf(statement: PolicyStatementJson): string[] {
  return [statement.Action ?? [], statement.NotAction ?? []].flat();
}

export function asList<T>(value: T | T[] | undefined): T[] {
  return value === undefined ? [] : ([value].flat() as T[]);
}

/**
 * The statements of a role's own customer-managed policy, by its name: all of them when the role
 * needed more than one policy under IAM's size limit (their descriptions say "n of N").
 */
export function policyNamed(tf: TerraformJson, name: string): PolicyStatementJson[] {
  const first = resourceWith(tf, 'aws_iam_policy', 'name', name);
  const rest = resourcesOf(tf, 'aws_iam_policy').filter(
    (p) =>
      p !== first &&
      String(p.config.description).startsWith(`Least-privilege permissions of ${name} (`),
  );
  return [first, ...rest].flatMap((p) =>
    statementsOf(JSON.parse(p.config.policy as string) as PolicyDocumentJson),
  );
}

/** An IAM action pattern (`*` any run, `?` one character; case-insensitive) as a RegExp. */
export function actionPattern(action: string): RegExp {
  const body = action
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${body}$`, 'i');
}

// ---------------------------------------------------------------------------------------------
// Lambda sources (what the stack must grant and set for each function)

const LAMBDAS_DIR = join(__dirname, '..', '..', 'lambdas');

/** Every project module a function's handler reaches through relative imports. */
export function lambdaModules(name: FunctionName): string[] {
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const m of readFileSync(file, 'utf8').matchAll(/from '(\.{1,2}\/[^']+)'/g)) {
      const target = resolve(dirname(file), m[1]);
      const found = [`${target}.ts`, join(target, 'index.ts')].find((f) => existsSync(f));
      if (found) visit(found);
    }
  };
  visit(join(LAMBDAS_DIR, name, 'handler.ts'));
  return [...seen].sort();
}

/** Names of the ENV constants (lambdas/shared/env-names.ts) that these modules read. */
export function envKeysRead(modules: readonly string[]): string[] {
  const keys = new Set<string>();
  for (const file of modules)
    for (const m of readFileSync(file, 'utf8').matchAll(/\bENV\.([A-Za-z]+)\b/g)) keys.add(m[1]);
  return [...keys].sort();
}

/**
 * IAM actions named in the leading doc comment of these modules (the project's convention: every
 * module that calls AWS lists the exact actions it needs there).
 */
export function documentedActions(modules: readonly string[]): string[] {
  const actions = new Set<string>();
  for (const file of modules) {
    const doc = /^\s*\/\*\*([\s\S]*?)\*\//.exec(readFileSync(file, 'utf8'))?.[1] ?? '';
    for (const m of doc.matchAll(/\b([a-z0-9-]+):([A-Z][A-Za-z0-9]*\*?)/g))
      actions.add(`${m[1]}:${m[2]}`);
  }
  return [...actions].sort();
}

/** `@aws-sdk/client-*` packages imported by the function's own folder (not shared code). */
export function sdkClientsImported(name: FunctionName): string[] {
  const clients = new Set<string>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts'))
        for (const m of readFileSync(path, 'utf8').matchAll(
          /from '@aws-sdk\/client-([a-z0-9-]+)'/g,
        ))
          clients.add(m[1]);
    }
  };
  walk(join(LAMBDAS_DIR, name));
  return [...clients].sort();
}

/**
 * Settings under which a function's every code path is deployed (its environment and grants are
 * then complete): remediation reaches member accounts only with ORG_REMEDIATION=members.
 */
export const EVERY_PATH_SETTINGS: Partial<Record<FunctionName, Partial<ComplianceStackProps>>> = {
  remediation: {
    scanScope: 'organization',
    organization: { auditAccountId: '111111111111', remediation: 'members' },
  },
};
