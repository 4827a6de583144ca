/**
 * The HCL that `cdktf synth --hcl` writes (cdk.tf), rendered from the same Terraform JSON the
 * stack synthesizes, so the two are one configuration: cdktf 0.21's own HCL renderer emits
 * `0 = "required_version"`, broken tokens for JSON policy strings and quoted `depends_on`
 * references, which Terraform rejects.
 *
 * Terraform's JSON syntax and native syntax share their template language, so each JSON string
 * keeps its meaning as a quoted template (`"arn:${…}"`), a lone interpolation becomes the bare
 * expression (`role = aws_iam_role.x.arn`), and a string holding a JSON document (policies,
 * event patterns, the dashboard) becomes `jsonencode({…})` with the same content. What JSON
 * cannot say — which keys are nested blocks — comes from cdktf's own HCL metadata of each element.
 * Bodies are laid out as `terraform fmt` does (two-space indent, aligned `=` in runs of one-line
 * attributes), one construct-path comment above each block.
 */
import {
  TerraformDataSource,
  TerraformProvider,
  TerraformResource,
  type TerraformStack,
} from 'cdktf';
import { splitTemplate } from '../scripts/interpolation';

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** Nested block names of a block, each with its own nested blocks. */
export interface BlockTree {
  readonly [name: string]: BlockTree;
}

const INDENT = '  ';
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;
/**
 * Attributes that hold a JSON document as a string (IAM and resource policies, event patterns,
 * the dashboard, Config rule parameters): rendered as `jsonencode({…})`. The provider compares
 * them as JSON, so the key order jsonencode gives does not make a difference.
 */
const JSON_DOCUMENTS = new Set([
  'policy',
  'assume_role_policy',
  'event_pattern',
  'dashboard_body',
  'input_parameters',
]);
/** Meta-arguments whose strings are bare references or expressions, not templates. */
const REFERENCE_LISTS = new Set(['depends_on', 'ignore_changes', 'replace_triggered_by']);
const LIFECYCLE_BLOCKS: BlockTree = { precondition: {}, postcondition: {} };

const isObject = (v: unknown): v is JsonObject =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

// ---------------------------------------------------------------------------------------------
// Values

/** Escapes the literal text of a template (quotes, backslashes, control characters, `${`, `%{`). */
function escapeText(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t')
    .replace(/\$\{/g, () => '$${')
    .replace(/%\{/g, () => '%%{');
}

/** A JSON-syntax template string as a native quoted template. */
function quoted(template: string): string {
  if (/(^|[^%])%\{/.test(template))
    throw new Error(`HCL output: template directives are not supported: ${template}`);
  return `"${splitTemplate(template)
    .map((s) => (s.kind === 'text' ? escapeText(s.text) : `\${${formatExpression(s.expression)}}`))
    .join('')}"`;
}

/** An expression as terraform fmt spaces it (cdktf writes for-expressions as `[ for k in x: v]`). */
function formatExpression(expression: string): string {
  return expression.replace(/\[ for ([^:"]+?): /g, '[for $1 : ');
}

/** The expression of a string that is exactly one interpolation, else undefined. */
function soleExpression(template: string): string | undefined {
  const segments = splitTemplate(template);
  return segments.length === 1 && segments[0].kind === 'interpolation'
    ? formatExpression(segments[0].expression)
    : undefined;
}

/** A JSON document held in a string (policy, event pattern, dashboard body), if it is one. */
function jsonDocument(value: string): Json | undefined {
  if (!/^\s*\{/.test(value)) return undefined;
  try {
    return JSON.parse(value) as Json;
  } catch {
    return undefined;
  }
}

function objectKey(key: string): string {
  return IDENTIFIER.test(key) ? key : quoted(key);
}

/** Pads the names of consecutive one-line `name = value` lines to one width, as terraform fmt does. */
function align(lines: { name: string; value: string }[], indent: string): string[] {
  const out: string[] = [];
  let run: { name: string; value: string }[] = [];
  const flush = (): void => {
    const width = Math.max(0, ...run.map((l) => l.name.length));
    for (const l of run) out.push(`${indent}${l.name.padEnd(width)} = ${l.value}`);
    run = [];
  };
  for (const line of lines) {
    if (line.value.includes('\n')) {
      flush();
      out.push(`${indent}${line.name} = ${line.value}`);
    } else run.push(line);
  }
  flush();
  return out;
}

/** An attribute's value: a JSON document attribute as `jsonencode(…)`, else as renderValue. */
function renderAttribute(name: string, value: Json, indent: string): string {
  const document =
    typeof value === 'string' && JSON_DOCUMENTS.has(name) ? jsonDocument(value) : undefined;
  return document !== undefined
    ? `jsonencode(${renderValue(document, indent)})`
    : renderValue(value, indent);
}

/** A value in expression position; `indent` is that of the line it starts on. */
function renderValue(value: Json, indent: string): string {
  if (value === null) return 'null';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return soleExpression(value) ?? quoted(value);
  const inner = indent + INDENT;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const items = value.map((v) => renderValue(v, inner));
    if (items.length === 1 && !items[0].includes('\n') && items[0].length <= 60)
      return `[${items[0]}]`;
    return `[\n${items.map((i) => `${inner}${i},`).join('\n')}\n${indent}]`;
  }
  const entries = Object.entries(value);
  if (entries.length === 0) return '{}';
  const lines = entries.map(([k, v]) => ({ name: objectKey(k), value: renderValue(v, inner) }));
  return `{\n${align(lines, inner).join('\n')}\n${indent}}`;
}

/** A bare reference or expression given as a string (`aws_x.y`, `${aws_x.y}`). */
function bare(value: Json): string {
  if (typeof value !== 'string') return renderValue(value, '');
  return soleExpression(value) ?? value;
}

// ---------------------------------------------------------------------------------------------
// Blocks

/**
 * The body of a block: meta-arguments first, then attributes, nested blocks, `depends_on` and
 * `lifecycle` last.
 */
function renderBody(body: JsonObject, blocks: BlockTree, indent: string): string[] {
  const entries = Object.entries(body).filter(([k, v]) => k !== '//' && v !== undefined);
  for (const [key] of entries)
    if (['dynamic', 'provisioner', 'connection'].includes(key))
      throw new Error(`HCL output: ${key} blocks are not supported`);
  const first = entries.filter(([k]) => ['count', 'for_each', 'provider'].includes(k));
  const attributes = entries.filter(
    ([k]) =>
      !(k in blocks) && !['count', 'for_each', 'provider', 'depends_on', 'lifecycle'].includes(k),
  );
  const nested = entries.filter(([k]) => k in blocks);
  const dependsOn = entries.filter(([k]) => k === 'depends_on');
  const lifecycle = entries.filter(([k]) => k === 'lifecycle');

  const out: string[] = [];
  const inner = indent + INDENT;
  out.push(
    ...align(
      [
        ...first.map(([k, v]) => ({ name: k, value: bare(v) })),
        ...attributes.map(([k, v]) => ({
          name: k,
          value: REFERENCE_LISTS.has(k) ? referenceList(v, indent) : renderAttribute(k, v, indent),
        })),
      ],
      indent,
    ),
  );
  for (const [name, value] of nested) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (!isObject(item)) throw new Error(`HCL output: block ${name} is not an object`);
      out.push(...block(name, [], item, blocks[name], indent));
    }
  }
  for (const [, value] of dependsOn)
    out.push(`${indent}depends_on = ${referenceList(value, indent)}`);
  for (const [, value] of lifecycle) {
    if (!isObject(value)) continue;
    out.push(`${indent}lifecycle {`, ...renderBody(value, LIFECYCLE_BLOCKS, inner), `${indent}}`);
  }
  return out;
}

function referenceList(value: Json, indent: string): string {
  if (!Array.isArray(value)) return bare(value);
  if (value.length === 0) return '[]';
  const inner = indent + INDENT;
  return `[\n${value.map((v) => `${inner}${bare(v)},`).join('\n')}\n${indent}]`;
}

function block(
  type: string,
  labels: readonly string[],
  body: JsonObject,
  blocks: BlockTree = {},
  indent = '',
): string[] {
  const head = [type, ...labels.map((l) => JSON.stringify(l))].join(' ');
  const inner = renderBody(body, blocks, indent + INDENT);
  return inner.length ? [`${indent}${head} {`, ...inner, `${indent}}`] : [`${indent}${head} {}`];
}

/** `# construct path` above a block, when cdktf recorded one. */
function pathComment(body: JsonObject): string[] {
  const meta = (body['//'] as { metadata?: { path?: string } } | undefined)?.metadata;
  return typeof meta?.path === 'string' ? [`# ${meta.path}`] : [];
}

function terraformBlock(terraform: JsonObject): string[] {
  const { backend, cloud, required_providers: providers, ...rest } = terraform;
  const body: string[] = [];
  body.push(
    ...align(
      Object.entries(rest).map(([k, v]) => ({ name: k, value: renderValue(v, INDENT) })),
      INDENT,
    ),
  );
  if (isObject(providers)) {
    body.push(`${INDENT}required_providers {`);
    body.push(
      ...align(
        Object.entries(providers).map(([k, v]) => ({
          name: k,
          value: renderValue(v, INDENT + INDENT),
        })),
        INDENT + INDENT,
      ),
    );
    body.push(`${INDENT}}`);
  }
  if (isObject(backend))
    for (const [kind, config] of Object.entries(backend))
      if (isObject(config)) body.push(...block('backend', [kind], config, {}, INDENT));
  if (isObject(cloud)) body.push(...block('cloud', [], cloud, { workspaces: {} }, INDENT));
  return ['terraform {', ...body, '}'];
}

// ---------------------------------------------------------------------------------------------
// The stack

export interface StackShape {
  /** Nested block names per block: `resource.<type>.<name>`, `data.<type>.<name>`, `provider.<name>`. */
  readonly blocks: ReadonlyMap<string, BlockTree>;
  /** Blocks in the order their constructs were defined (reading order). */
  readonly order: readonly string[];
}

/** What cdktf's HCL metadata says is a block (isBlock), recursively. */
function blockTreeOf(attributes: unknown): BlockTree {
  if (!isPlain(attributes)) return {};
  const tree: Record<string, BlockTree> = {};
  for (const [key, meta] of Object.entries(attributes)) {
    if (!isPlain(meta) || !(meta.isBlock === true || meta.is_block === true)) continue;
    const items = Array.isArray(meta.value) ? meta.value : [meta.value];
    const merged: Record<string, BlockTree> = {};
    for (const item of items) Object.assign(merged, blockTreeOf(item));
    tree[key] = merged;
  }
  return tree;
}

function isPlain(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype;
}

/** Block structure and reading order of a stack's resources, data sources and providers. */
export function stackShape(stack: TerraformStack): StackShape {
  const blocks = new Map<string, BlockTree>();
  const order: string[] = [];
  for (const node of stack.node.findAll()) {
    const kind =
      node instanceof TerraformResource
        ? 'resource'
        : node instanceof TerraformDataSource
          ? 'data'
          : node instanceof TerraformProvider
            ? 'provider'
            : undefined;
    if (!kind) continue;
    const element = node as TerraformResource | TerraformDataSource | TerraformProvider;
    const fragment = (element.toHclTerraform() as Record<string, unknown>)[kind];
    if (!isPlain(fragment)) continue;
    for (const [type, byName] of Object.entries(fragment)) {
      if (kind === 'provider') {
        const first = Array.isArray(byName) ? (byName as unknown[])[0] : byName;
        blocks.set(`provider.${type}`, blockTreeOf(first));
        continue;
      }
      if (!isPlain(byName)) continue;
      for (const [name, attributes] of Object.entries(byName)) {
        const key = `${kind}.${type}.${name}`;
        blocks.set(key, blockTreeOf(attributes));
        order.push(key);
      }
    }
  }
  return { blocks, order };
}

/** The HCL of a synthesized stack (`stack.toTerraform()`), laid out by its shape. */
export function renderHcl(tf: JsonObject, shape: StackShape): string {
  const sections: string[][] = [];
  if (isObject(tf.terraform)) sections.push(terraformBlock(tf.terraform));
  for (const [name, configs] of Object.entries(isObject(tf.provider) ? tf.provider : {})) {
    for (const config of Array.isArray(configs) ? configs : [configs]) {
      if (isObject(config))
        sections.push(block('provider', [name], config, shape.blocks.get(`provider.${name}`)));
    }
  }
  if (isObject(tf.locals) && Object.keys(tf.locals).length) {
    sections.push([
      'locals {',
      ...align(
        Object.entries(tf.locals).map(([k, v]) => ({ name: k, value: renderValue(v, INDENT) })),
        INDENT,
      ),
      '}',
    ]);
  }
  const rank = new Map(shape.order.map((key, i) => [key, i]));
  const declared: {
    key: string;
    kind: 'resource' | 'data';
    type: string;
    name: string;
    body: JsonObject;
  }[] = [];
  for (const kind of ['data', 'resource'] as const) {
    const section = tf[kind];
    if (!isObject(section)) continue;
    for (const [type, byName] of Object.entries(section))
      if (isObject(byName))
        for (const [name, body] of Object.entries(byName))
          if (isObject(body))
            declared.push({ key: `${kind}.${type}.${name}`, kind, type, name, body });
  }
  declared.sort((a, b) => (rank.get(a.key) ?? Infinity) - (rank.get(b.key) ?? Infinity));
  for (const d of declared)
    sections.push([
      ...pathComment(d.body),
      ...block(d.kind, [d.type, d.name], d.body, shape.blocks.get(d.key)),
    ]);
  for (const [name, body] of Object.entries(isObject(tf.output) ? tf.output : {}))
    if (isObject(body)) sections.push(block('output', [name], body));
  return `${sections.map((s) => s.join('\n')).join('\n\n')}\n`;
}

/** What `cdktf synth --hcl` writes for this stack. */
export function stackHcl(stack: TerraformStack): string {
  return renderHcl(stack.toTerraform() as JsonObject, stackShape(stack));
}
