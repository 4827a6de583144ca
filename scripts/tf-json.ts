/**
 * Synthesized stacks (`<folder>/stacks/<name>/cdk.tf.json`): loading, the blocks they declare,
 * every string attribute with the names bound where it sits, and a readable form of Terraform
 * references (`${audit-storage/bucket.arn}` instead of `${aws_s3_bucket.audit-storage_bucket_C3E610C2.arn}`).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parseExpression, splitTemplate, traversalOf } from './interpolation';

export type JsonObject = Record<string, unknown>;

export interface TfJson {
  readonly terraform?: JsonObject;
  readonly provider?: Record<string, JsonObject | JsonObject[]>;
  readonly resource?: Record<string, Record<string, JsonObject>>;
  readonly data?: Record<string, Record<string, JsonObject>>;
  readonly locals?: JsonObject;
  readonly variable?: Record<string, JsonObject>;
  readonly output?: Record<string, JsonObject>;
  readonly module?: Record<string, JsonObject>;
}

export interface TfStack {
  /** Folder name under stacks/ (the cdktf stack id). */
  readonly name: string;
  readonly dir: string;
  readonly file: string;
  readonly json: TfJson;
}

export type BlockKind =
  'resource' | 'data' | 'output' | 'local' | 'provider' | 'module' | 'variable';

export interface Block {
  readonly kind: BlockKind;
  /** Resource or data source type; provider name for provider blocks. */
  readonly type?: string;
  readonly name: string;
  readonly body: JsonObject;
  /** Terraform address: `aws_x.y`, `data.aws_x.y`, `output.y`, `local.y`, `provider.aws`, `module.y`, `var.y`. */
  readonly address: string;
}

const isObject = (v: unknown): v is JsonObject =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every `stacks/<name>/cdk.tf.json` under `folder` (or `folder` itself when it is a stack directory). */
export function findStackFiles(folder: string): string[] {
  if (existsSync(join(folder, 'cdk.tf.json'))) return [join(folder, 'cdk.tf.json')];
  const found: string[] = [];
  const visit = (dir: string, depth: number): void => {
    if (depth > 4 || !existsSync(dir)) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (!entry.isDirectory() || ['node_modules', '.terraform', 'assets'].includes(entry.name))
        continue;
      const child = join(dir, entry.name);
      if (entry.name === 'stacks') {
        for (const stack of readdirSync(child, { withFileTypes: true })) {
          const file = join(child, stack.name, 'cdk.tf.json');
          if (stack.isDirectory() && existsSync(file)) found.push(file);
        }
      } else visit(child, depth + 1);
    }
  };
  if (basename(folder) === 'stacks' && statSync(folder).isDirectory()) visit(dirname(folder), 0);
  else visit(folder, 0);
  return [...new Set(found)].sort();
}

/**
 * Why there is no stack to read under `folder`, and how to get one: `cdktf synth --hcl` writes
 * cdk.tf instead of cdk.tf.json, which the proof scripts do not parse.
 */
export function noStackMessage(folder: string, tool: string): string {
  const stacks = join(folder, 'stacks');
  const hcl =
    existsSync(stacks) && readdirSync(stacks).filter((s) => existsSync(join(stacks, s, 'cdk.tf')));
  return hcl && hcl.length > 0
    ? `${join(stacks, hcl[0], 'cdk.tf')} is HCL (from \`cdktf synth --hcl\`); ${tool} reads the JSON synth. Run \`npx cdktf synth\` (without --hcl) to write cdk.tf.json again, then run ${tool} again.`
    : `No stacks/*/cdk.tf.json under ${folder}: run \`npx cdktf synth\` first, or pass the synth folder.`;
}

export function loadStack(file: string): TfStack {
  const json = JSON.parse(readFileSync(file, 'utf8')) as TfJson;
  return { name: basename(dirname(file)), dir: dirname(file), file, json };
}

/** Every block the stack declares, in a stable order. */
export function blocks(stack: TfStack): Block[] {
  const { json } = stack;
  const out: Block[] = [];
  for (const [type, byName] of Object.entries(json.resource ?? {})) {
    for (const [name, body] of Object.entries(byName))
      out.push({ kind: 'resource', type, name, body, address: `${type}.${name}` });
  }
  for (const [type, byName] of Object.entries(json.data ?? {})) {
    for (const [name, body] of Object.entries(byName))
      out.push({ kind: 'data', type, name, body, address: `data.${type}.${name}` });
  }
  for (const [name, value] of Object.entries(json.locals ?? {})) {
    out.push({ kind: 'local', name, body: { value }, address: `local.${name}` });
  }
  for (const [name, body] of Object.entries(json.output ?? {}))
    out.push({ kind: 'output', name, body, address: `output.${name}` });
  for (const [name, body] of Object.entries(json.module ?? {}))
    out.push({ kind: 'module', name, body, address: `module.${name}` });
  for (const [name, body] of Object.entries(json.variable ?? {}))
    out.push({ kind: 'variable', name, body, address: `var.${name}` });
  for (const [type, configs] of Object.entries(json.provider ?? {})) {
    for (const body of Array.isArray(configs) ? configs : [configs]) {
      const alias = typeof body.alias === 'string' ? `.${body.alias}` : '';
      out.push({
        kind: 'provider',
        type,
        name: `${type}${alias}`,
        body,
        address: `provider.${type}${alias}`,
      });
    }
  }
  return out;
}

/** Resources of one type (`aws_iam_policy`), or all resources. */
export function resources(stack: TfStack, type?: string): Block[] {
  return blocks(stack).filter(
    (b) => b.kind === 'resource' && (type === undefined || b.type === type),
  );
}

export function dataSources(stack: TfStack, type?: string): Block[] {
  return blocks(stack).filter((b) => b.kind === 'data' && (type === undefined || b.type === type));
}

/** The construct path cdktf records (`audit-storage/bucket`), without the stack's own id. */
export function constructPath(body: JsonObject): string | undefined {
  const meta = (body['//'] as { metadata?: { path?: string } } | undefined)?.metadata;
  if (typeof meta?.path !== 'string') return undefined;
  return meta.path.split('/').slice(1).join('/');
}

/** `aws_iam_policy.x (fn-scanner/role/policy)`, plus `.attribute` when given. */
export function describe(block: Block, attribute?: string): string {
  const path = constructPath(block.body);
  return `${block.address}${path ? ` (${path})` : ''}${attribute ? ` ${attribute}` : ''}`;
}

export interface StringSite {
  readonly block: Block;
  /** Attribute path inside the block, e.g. ['environment', 'variables', 'AUDIT_BUCKET']. */
  readonly path: readonly string[];
  readonly value: string;
  /** A bare expression (depends_on entry, provider meta-argument), not a template. */
  readonly bareExpression: boolean;
  /** Names bound here (dynamic-block iterators). */
  readonly bound: readonly string[];
}

/** Attributes whose strings are not Terraform templates (or are handled on their own). */
const NOT_TEMPLATES = new Set([
  '//',
  'lifecycle',
  'provider',
  'depends_on',
  'provisioner',
  'connection',
]);

/** Every string value in every block, with where it is and what names are bound there. */
export function stringSites(stack: TfStack): StringSite[] {
  const sites: StringSite[] = [];
  for (const block of blocks(stack)) {
    if (block.kind === 'variable') {
      // Defaults cannot interpolate; validation blocks may refer to the variable itself.
      walk(block, block.body.validation, ['validation'], [], sites);
      continue;
    }
    if (block.kind === 'provider') {
      walk(block, block.body, [], [], sites);
      continue;
    }
    const deps = block.body.depends_on;
    if (Array.isArray(deps)) {
      deps.forEach((v, i) => {
        if (typeof v === 'string')
          sites.push({
            block,
            path: ['depends_on', String(i)],
            value: v,
            bareExpression: true,
            bound: [],
          });
      });
    }
    const templates = Object.fromEntries(
      Object.entries(block.body).filter(([key]) => !NOT_TEMPLATES.has(key)),
    );
    walk(block, templates, [], [], sites);
  }
  return sites;
}

function walk(
  block: Block,
  value: unknown,
  path: string[],
  bound: string[],
  sites: StringSite[],
): void {
  if (typeof value === 'string') {
    sites.push({ block, path, value, bareExpression: false, bound });
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => walk(block, v, [...path, String(i)], bound, sites));
  } else if (isObject(value)) {
    for (const [key, v] of Object.entries(value)) {
      if (key === '//') continue;
      if (key === 'dynamic' && isObject(v)) {
        for (const [label, specs] of Object.entries(v)) {
          for (const spec of Array.isArray(specs) ? specs : [specs]) {
            if (!isObject(spec)) continue;
            const iterator = typeof spec.iterator === 'string' ? spec.iterator : label;
            walk(block, spec.for_each, [...path, 'dynamic', label, 'for_each'], bound, sites);
            walk(
              block,
              spec.content,
              [...path, 'dynamic', label, 'content'],
              [...bound, iterator],
              sites,
            );
          }
        }
      } else walk(block, v, [...path, key], bound, sites);
    }
  }
}

/** A block by address parts: resource (type, name) or data source. */
export function findResource(stack: TfStack, type: string, name: string): JsonObject | undefined {
  return stack.json.resource?.[type]?.[name];
}

export function findData(stack: TfStack, type: string, name: string): JsonObject | undefined {
  return stack.json.data?.[type]?.[name];
}

/**
 * A template with its Terraform references made readable: partition/account/region data sources
 * become `${partition}`, `${account}`, `${region}`; resources become `${<construct path>.<attribute>}`.
 */
export function readable(stack: TfStack, template: string): string {
  return splitTemplate(template)
    .map((seg) => {
      if (seg.kind === 'text') return seg.text.replace(/\$\{/g, () => '$${');
      const ref = traversalOf(seg.expression);
      if (ref) return `\${${readableReference(stack, ref.parts)}}`;
      let expression = seg.expression;
      for (const r of parseExpression(seg.expression).references) {
        expression = expression.split(r.text).join(readableReference(stack, r.parts));
      }
      return `\${${expression}}`;
    })
    .join('');
}

/** `audit-storage/bucket.arn` for `aws_s3_bucket.audit-storage_bucket_C3E610C2.arn`. */
export function readableReference(stack: TfStack, parts: readonly string[]): string {
  if (parts[0] === 'data') {
    const [, type, name, ...attr] = parts;
    if (type === 'aws_partition') return 'partition';
    if (type === 'aws_caller_identity' && attr[0] === 'account_id') return 'account';
    if (type === 'aws_region') return 'region';
    const body = findData(stack, type, name);
    const path = body ? constructPath(body) : undefined;
    return [`data.${path ?? `${type}.${name}`}`, ...attr].join('.');
  }
  if (['var', 'local', 'count', 'each', 'path', 'terraform', 'module', 'self'].includes(parts[0]))
    return parts.join('.');
  const [type, name, ...attr] = parts;
  const body = findResource(stack, type, name);
  const path = body ? constructPath(body) : undefined;
  return [path ?? `${type}.${name}`, ...attr].join('.');
}

/** The resource a template refers to when it is exactly `${type.name.attr}`. */
export function referencedResource(
  stack: TfStack,
  template: string,
): { type: string; name: string; attribute: string; body: JsonObject } | undefined {
  const segments = splitTemplate(template);
  if (segments.length !== 1 || segments[0].kind !== 'interpolation') return undefined;
  const ref = traversalOf(segments[0].expression);
  if (!ref || ref.parts.length < 3 || ref.parts[0] === 'data') return undefined;
  const [type, name, attribute] = ref.parts;
  const body = findResource(stack, type, name);
  return body ? { type, name, attribute, body } : undefined;
}

/** The value of a literal string attribute (undefined when missing or not a string). */
export function str(body: JsonObject, key: string): string | undefined {
  const v = body[key];
  return typeof v === 'string' ? v : undefined;
}

/** Nested blocks are lists in Terraform JSON from cdktf, objects from hand-written JSON: accept both. */
export function nested(body: JsonObject, key: string): JsonObject[] {
  const v = body[key];
  if (Array.isArray(v)) return v.filter(isObject);
  return isObject(v) ? [v] : [];
}

export { isObject };
