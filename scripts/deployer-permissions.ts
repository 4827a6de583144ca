/**
 * The IAM policy the deploying identity needs (`terraform apply` and `destroy` of this stack),
 * generated from the resource and data source types the stack synthesizes in every settings
 * variant, with the actions of each type from scripts/deployer-actions.ts.
 *
 *   npm run deployer-policy            write docs/deployer-policy-<n>.json and the table in docs/operations.md
 *   npm run deployer-policy -- --check exit 1 when either is stale
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Testing } from 'cdktf';
import { ComplianceStack } from '../stacks/compliance-stack';
import { MANAGED_POLICY_MAX_CHARS, packWithin } from '../stacks/iam';
import type { ComplianceStackProps } from '../stacks/settings';
import { DEPLOYER_ACTIONS, S3_BACKEND_ACTIONS } from './deployer-actions';
import type { TfJson } from './tf-json';

const ROOT = resolve(__dirname, '..');
/** docs/deployer-policy-<n>.json: one file per managed policy. */
export const policyPath = (n: number): string => join(ROOT, 'docs', `deployer-policy-${n}.json`);
/** IAM's size limit of a customer-managed policy (characters, white space not counted). */
export const OPERATIONS_PATH = join(ROOT, 'docs', 'operations.md');
const BEGIN = '<!-- deployer-permissions:begin (npm run deployer-policy) -->';
const END = '<!-- deployer-permissions:end -->';

/** Settings variants that together synthesize every resource type the stack can create. */
export const DEPLOYER_VARIANTS: readonly Partial<ComplianceStackProps>[] = [
  {},
  {
    networkEgress: 'nat',
    remediationMode: 'enforce',
    configRecorderMode: 'create',
    retainAuditData: true,
    alertEmails: ['secops@example.com'],
    stateBucket: 'tf-state-example',
  },
  { configRecorderMode: 'existing', remediationMode: 'off' },
];

/** Roles the stack passes to services (functions, Config recorder, flow logs). */
const PASSED_TO = ['config.amazonaws.com', 'lambda.amazonaws.com', 'vpc-flow-logs.amazonaws.com'];

/** Resource types (`aws_x`) and data source types (`data.aws_x`) of a synthesized stack. */
export function stackTypes(json: TfJson): string[] {
  return [
    ...Object.keys(json.resource ?? {}),
    ...Object.keys(json.data ?? {}).map((t) => `data.${t}`),
  ].sort();
}

export function missingTypes(types: Iterable<string>): string[] {
  return [...types].filter((t) => !(t in DEPLOYER_ACTIONS)).sort();
}

interface Statement {
  Sid: string;
  Effect: 'Allow';
  Action: string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, string[]>>;
}

const sidOf = (service: string): string =>
  service
    .split(/[^a-z0-9]/i)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');

/** The deployer policy document for stacks with these types. */
export function deployerPolicy(types: Iterable<string>): {
  Version: string;
  Statement: Statement[];
} {
  const missing = missingTypes(types);
  if (missing.length) throw new Error(`No deployer actions for ${missing.join(', ')}`);
  const byService = new Map<string, Set<string>>();
  for (const type of types)
    for (const action of DEPLOYER_ACTIONS[type]) {
      if (action === 'iam:PassRole') continue;
      const service = action.split(':')[0];
      if (!byService.has(service)) byService.set(service, new Set());
      byService.get(service)!.add(action);
    }
  const statements: Statement[] = [...byService.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([service, actions]) => ({
      Sid: `Deploy${sidOf(service)}`,
      Effect: 'Allow',
      Action: [...actions].sort(),
      Resource: '*',
    }));
  statements.push({
    Sid: 'PassRolesToTheirServices',
    Effect: 'Allow',
    Action: ['iam:PassRole'],
    Resource: '*',
    Condition: { StringEquals: { 'iam:PassedToService': PASSED_TO } },
  });
  statements.push({
    Sid: 'TerraformStateS3Backend',
    Effect: 'Allow',
    Action: [...S3_BACKEND_ACTIONS].sort(),
    Resource: ['arn:aws:s3:::<TF_STATE_BUCKET>', 'arn:aws:s3:::<TF_STATE_BUCKET>/<TF_STATE_KEY>*'],
  });
  return { Version: '2012-10-17', Statement: statements };
}

type PolicyDocument = ReturnType<typeof deployerPolicy>;
const size = (doc: PolicyDocument): number => JSON.stringify(doc).replace(/\s/g, '').length;

/** The deployer policy split, statement by statement, into documents IAM accepts as managed policies. */
export function deployerPolicies(types: Iterable<string>): PolicyDocument[] {
  const doc = (Statement: PolicyDocument['Statement']): PolicyDocument => ({
    Version: '2012-10-17',
    Statement,
  });
  return packWithin(deployerPolicy(types).Statement, (group) => size(doc([...group]))).map(doc);
}

/** Every type the variants synthesize (fixed or real bundles give the same types). */
export function variantTypes(synth: (props: Partial<ComplianceStackProps>) => TfJson): string[] {
  return [...new Set(DEPLOYER_VARIANTS.flatMap((v) => stackTypes(synth(v))))].sort();
}

/** The table in docs/operations.md: per service, the actions and the types that need them. */
export function permissionsTable(types: readonly string[]): string {
  const rows = new Map<string, { actions: Set<string>; types: Set<string> }>();
  for (const type of types)
    for (const action of DEPLOYER_ACTIONS[type]) {
      const service = action.split(':')[0];
      if (!rows.has(service)) rows.set(service, { actions: new Set(), types: new Set() });
      rows.get(service)!.actions.add(action.split(':')[1]);
      rows.get(service)!.types.add(type);
    }
  const docs = deployerPolicies(types);
  return [
    BEGIN,
    '',
    `Generated from ${types.length} resource and data source types of ${DEPLOYER_VARIANTS.length} settings variants. Attach ${docs.length} customer-managed policies (IAM allows ${MANAGED_POLICY_MAX_CHARS.toLocaleString('en')} characters per policy): ${docs.map((d, i) => `[deployer-policy-${i + 1}.json](deployer-policy-${i + 1}.json) (${size(d).toLocaleString('en')} characters, ${d.Statement.map((st) => st.Sid).join(', ')})`).join('; ')}.`,
    '',
    '| Service | Actions | Needed by |',
    '| --- | --- | --- |',
    ...[...rows.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(
        ([service, r]) =>
          `| ${service} | ${[...r.actions].sort().join(', ')} | ${[...r.types].sort().join(', ')} |`,
      ),
    '',
    END,
  ].join('\n');
}

/** docs/operations.md with the generated block replaced. */
export function withTable(markdown: string, table: string): string {
  const start = markdown.indexOf(BEGIN);
  const end = markdown.indexOf(END);
  if (start < 0 || end < start)
    throw new Error(`${OPERATIONS_PATH} has no ${BEGIN} … ${END} block`);
  return markdown.slice(0, start) + table + markdown.slice(end + END.length);
}

/** Every generated file and its content, before Prettier: the policies and docs/operations.md. */
export function generatedFiles(types: readonly string[]): Map<string, string> {
  const files = new Map<string, string>();
  deployerPolicies(types).forEach((doc, i) => files.set(policyPath(i + 1), JSON.stringify(doc)));
  files.set(
    OPERATIONS_PATH,
    withTable(readFileSync(OPERATIONS_PATH, 'utf8'), permissionsTable(types)),
  );
  return files;
}

/** What Prettier cannot change: JSON values, and markdown without padding and rule widths. */
export function sameContent(path: string, a: string, b: string): boolean {
  const canonical = (text: string): string =>
    path.endsWith('.json')
      ? JSON.stringify(JSON.parse(text))
      : text.replace(/-{3,}/g, '---').replace(/\s+/g, ' ').trim();
  return canonical(a) === canonical(b);
}

function synthReal(props: Partial<ComplianceStackProps>): TfJson {
  const stack = new ComplianceStack(Testing.app(), 'compliance-audit', {
    environmentSuffix: 'dev',
    ...props,
  });
  return JSON.parse(Testing.synth(stack)) as TfJson;
}

async function main(): Promise<void> {
  const files = generatedFiles(variantTypes(synthReal));
  if (process.argv.includes('--check')) {
    const stale = [...files].filter(
      ([path, text]) => !existsSync(path) || !sameContent(path, readFileSync(path, 'utf8'), text),
    );
    if (stale.length) {
      console.error(`Stale: ${stale.map(([p]) => p).join(', ')}. Run npm run deployer-policy.`);
      process.exitCode = 1;
    }
  } else {
    // Prettier loads its plugins with dynamic import: load it only here, not under jest.
    const { format, resolveConfig } = await import('prettier');
    for (const [path, text] of files)
      writeFileSync(path, await format(text, { ...(await resolveConfig(path)), filepath: path }));
    console.log(`Wrote ${[...files.keys()].join(', ')}`);
  }
}

if (require.main === module) void main();
