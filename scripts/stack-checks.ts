/**
 * Offline checks of one synthesized stack that need no AWS data: references resolve, providers
 * are required, schedules and Config frequencies are valid, event patterns are JSON, and the
 * dashboard and alarms name only metrics that exist. IAM documents are checked in iam-policies.ts.
 */
import { scheduleProblem } from '../stacks/schedule';
import {
  hasInterpolation,
  parseExpression,
  parseTemplate,
  soleTraversal,
  type Reference,
} from './interpolation';
import { metricProblem, type DimensionTarget, type MetricUse } from './metrics';
import {
  blocks,
  describe,
  isObject,
  nested,
  resources,
  str,
  stringSites,
  type Block,
  type JsonObject,
  type TfStack,
} from './tf-json';

export type CheckName =
  | 'syntax'
  | 'references'
  | 'providers'
  | 'iam'
  | 'schedules'
  | 'events'
  | 'dashboard'
  | 'alarms'
  | 'terraform';

export interface Problem {
  readonly check: CheckName;
  readonly where: string;
  readonly message: string;
}

/** Roots that are always defined (path.module, terraform.workspace, self in provisioners). */
const BUILTIN_ROOTS = new Set(['path', 'terraform', 'self']);
/** Config's MaximumExecutionFrequency / delivery frequency values. */
export const CONFIG_FREQUENCIES = [
  'One_Hour',
  'Three_Hours',
  'Six_Hours',
  'Twelve_Hours',
  'TwentyFour_Hours',
];

/** Every `${…}` and bare reference resolves to something the stack declares. */
export function checkReferences(stack: TfStack): Problem[] {
  const problems: Problem[] = [];
  for (const site of stringSites(stack)) {
    if (!site.bareExpression && !site.value.includes('{')) continue;
    const parsed = site.bareExpression
      ? parseExpression(site.value, site.bound)
      : parseTemplate(site.value, site.bound);
    const where = describe(site.block, site.path.join('.'));
    for (const error of parsed.errors) problems.push({ check: 'syntax', where, message: error });
    for (const ref of parsed.references) {
      const problem = referenceProblem(stack, site.block, ref);
      if (problem) problems.push({ check: 'references', where, message: problem });
    }
  }
  return problems;
}

function referenceProblem(stack: TfStack, block: Block, ref: Reference): string | undefined {
  const [root, a, b] = ref.parts;
  const { json } = stack;
  const inCountable = block.kind === 'resource' || block.kind === 'data' || block.kind === 'module';
  switch (root) {
    case 'var':
      return a !== undefined && json.variable?.[a]
        ? undefined
        : `${ref.text}: no variable "${a}" is declared`;
    case 'local':
      return a !== undefined && json.locals && a in json.locals
        ? undefined
        : `${ref.text}: no local "${a}" is declared`;
    case 'data':
      return a !== undefined && b !== undefined && json.data?.[a]?.[b]
        ? undefined
        : `${ref.text}: no data source ${a}.${b} is declared`;
    case 'module':
      return a !== undefined && json.module?.[a]
        ? undefined
        : `${ref.text}: no module "${a}" is declared`;
    case 'count':
      if (a !== 'index') return `${ref.text}: count has only "index"`;
      return inCountable && 'count' in block.body
        ? undefined
        : `${ref.text}: used in ${block.address}, which has no count`;
    case 'each':
      if (a !== 'key' && a !== 'value') return `${ref.text}: each has only "key" and "value"`;
      return inCountable && 'for_each' in block.body
        ? undefined
        : `${ref.text}: used in ${block.address}, which has no for_each`;
    default:
      if (BUILTIN_ROOTS.has(root)) return undefined;
      if (a === undefined)
        return `${ref.text}: unknown name (not a resource reference, variable, local or bound iterator)`;
      return json.resource?.[root]?.[a]
        ? undefined
        : `${ref.text}: no resource ${root}.${a} is declared`;
  }
}

/** The provider (local name) a resource or data source uses. */
export function providerOf(block: Block): string {
  const meta = str(block.body, 'provider');
  if (meta) return meta.replace(/^\$\{|\}$/g, '').split('.')[0];
  return (block.type ?? '').split('_')[0];
}

/** Every provider used is in terraform.required_providers; `provider = x.alias` has a matching block. */
export function checkProviders(stack: TfStack): Problem[] {
  const problems: Problem[] = [];
  const required = (stack.json.terraform?.required_providers ?? {}) as JsonObject;
  const all = blocks(stack);
  const configured = new Set(all.filter((b) => b.kind === 'provider').map((b) => b.name));
  for (const [name, spec] of Object.entries(required)) {
    if (isObject(spec) && typeof spec.source !== 'string') {
      problems.push({
        check: 'providers',
        where: `terraform.required_providers.${name}`,
        message: 'has no source',
      });
    }
  }
  for (const block of all) {
    if (block.kind === 'provider') {
      if (!(block.type! in required)) {
        problems.push({
          check: 'providers',
          where: block.address,
          message: `provider "${block.type}" is configured but not in terraform.required_providers`,
        });
      }
      continue;
    }
    if (block.kind !== 'resource' && block.kind !== 'data') continue;
    const provider = providerOf(block);
    if (provider === 'terraform') continue; // built-in terraform_data / terraform_remote_state
    if (!(provider in required)) {
      problems.push({
        check: 'providers',
        where: describe(block),
        message: `uses provider "${provider}", which terraform.required_providers does not declare`,
      });
    }
    const meta = str(block.body, 'provider')?.replace(/^\$\{|\}$/g, '');
    if (meta && !configured.has(meta)) {
      problems.push({
        check: 'providers',
        where: describe(block),
        message: `provider = "${meta}" but no provider block ${meta} exists`,
      });
    }
  }
  return problems;
}

/** Schedule expressions, Config frequencies and event patterns. */
export function checkSchedulesAndEvents(stack: TfStack): Problem[] {
  const problems: Problem[] = [];
  for (const rule of resources(stack, 'aws_cloudwatch_event_rule')) {
    const schedule = str(rule.body, 'schedule_expression');
    const pattern = str(rule.body, 'event_pattern');
    if (schedule === undefined && pattern === undefined) {
      problems.push({
        check: 'events',
        where: describe(rule),
        message: 'has neither schedule_expression nor event_pattern',
      });
    }
    if (schedule !== undefined && !hasInterpolation(schedule)) {
      const problem = scheduleProblem(schedule);
      if (problem)
        problems.push({
          check: 'schedules',
          where: describe(rule, 'schedule_expression'),
          message: `"${schedule}": ${problem}`,
        });
    }
    if (pattern !== undefined) {
      try {
        const parsed: unknown = JSON.parse(pattern);
        if (!isObject(parsed) || Object.keys(parsed).length === 0)
          throw new Error('not a non-empty JSON object');
      } catch (err) {
        problems.push({
          check: 'events',
          where: describe(rule, 'event_pattern'),
          message: `not a valid event pattern: ${(err as Error).message}`,
        });
      }
    }
  }
  for (const schedule of resources(stack, 'aws_scheduler_schedule')) {
    const expression = str(schedule.body, 'schedule_expression');
    if (
      expression === undefined ||
      hasInterpolation(expression) ||
      /^at\(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\)$/.test(expression)
    )
      continue;
    const problem = scheduleProblem(expression);
    if (problem)
      problems.push({
        check: 'schedules',
        where: describe(schedule, 'schedule_expression'),
        message: `"${expression}": ${problem}`,
      });
  }
  const frequency = (block: Block, value: unknown, attribute: string): void => {
    if (
      typeof value === 'string' &&
      !hasInterpolation(value) &&
      !CONFIG_FREQUENCIES.includes(value)
    ) {
      problems.push({
        check: 'schedules',
        where: describe(block, attribute),
        message: `"${value}" is not one of ${CONFIG_FREQUENCIES.join(', ')}`,
      });
    }
  };
  for (const rule of resources(stack, 'aws_config_config_rule')) {
    frequency(rule, rule.body.maximum_execution_frequency, 'maximum_execution_frequency');
    for (const source of nested(rule.body, 'source')) {
      for (const detail of nested(source, 'source_detail')) {
        frequency(
          rule,
          detail.maximum_execution_frequency,
          'source.source_detail.maximum_execution_frequency',
        );
      }
    }
  }
  for (const channel of resources(stack, 'aws_config_delivery_channel')) {
    for (const props of nested(channel.body, 'snapshot_delivery_properties')) {
      frequency(
        channel,
        props.delivery_frequency,
        'snapshot_delivery_properties.delivery_frequency',
      );
    }
  }
  return problems;
}

/** Whether `value` (a literal or `${type.name.attr}`) names a resource of the target type in the stack. */
function namesResource(stack: TfStack, target: DimensionTarget, value: string): boolean {
  const ref = soleTraversal(value);
  if (ref) {
    const [type, name, attribute] = ref.parts;
    return (
      type === target.resourceType &&
      attribute === target.attribute &&
      stack.json.resource?.[type]?.[name] !== undefined
    );
  }
  if (hasInterpolation(value)) return true; // computed: cannot tell offline
  return resources(stack, target.resourceType).some((r) => str(r.body, target.attribute) === value);
}

/** Metric entries of a dashboard widget, with `.` / `...` shorthand expanded. */
export function widgetMetrics(metrics: unknown): { use?: MetricUse; error?: string }[] {
  if (!Array.isArray(metrics)) return [{ error: 'properties.metrics is not a list' }];
  const out: { use?: MetricUse; error?: string }[] = [];
  let previous: unknown[] = [];
  for (const entry of metrics) {
    if (!Array.isArray(entry)) {
      out.push({ error: `metric entry ${JSON.stringify(entry)} is not a list` });
      continue;
    }
    const values = entry.filter((v) => !isObject(v));
    if (values.length === 0) continue; // expression-only entry ({ expression: … })
    const expanded: unknown[] = [];
    values.forEach((v, i) => {
      if (v === '...') {
        const rest = values.length - i - 1;
        expanded.push(
          ...previous.slice(expanded.length, Math.max(expanded.length, previous.length - rest)),
        );
      } else expanded.push(v === '.' ? previous[expanded.length] : v);
    });
    previous = expanded;
    const [namespace, metricName, ...dims] = expanded;
    if (typeof namespace !== 'string' || typeof metricName !== 'string' || dims.length % 2 !== 0) {
      out.push({
        error: `metric entry ${JSON.stringify(entry)} is not [namespace, metric, dimension, value, …]`,
      });
      continue;
    }
    const dimensions: Record<string, string> = {};
    for (let i = 0; i < dims.length; i += 2) dimensions[String(dims[i])] = String(dims[i + 1]);
    out.push({ use: { namespace, metricName, dimensions } });
  }
  return out;
}

/** Every dashboard body is JSON with widgets, and names only metrics that exist. */
export function checkDashboards(stack: TfStack): Problem[] {
  const problems: Problem[] = [];
  for (const dashboard of resources(stack, 'aws_cloudwatch_dashboard')) {
    const where = describe(dashboard, 'dashboard_body');
    const raw = str(dashboard.body, 'dashboard_body');
    let body: unknown;
    try {
      body = JSON.parse(raw ?? '');
    } catch (err) {
      problems.push({
        check: 'dashboard',
        where,
        message: `not valid JSON: ${(err as Error).message}`,
      });
      continue;
    }
    const widgets = isObject(body) ? body.widgets : undefined;
    if (!Array.isArray(widgets) || widgets.length === 0) {
      problems.push({ check: 'dashboard', where, message: 'has no widgets' });
      continue;
    }
    widgets.forEach((widget, i) => {
      const w = isObject(widget) ? widget : {};
      const props = isObject(w.properties) ? w.properties : undefined;
      const label = `widget ${i}${props && typeof props.title === 'string' ? ` "${props.title}"` : ''}`;
      if (typeof w.type !== 'string' || !props) {
        problems.push({
          check: 'dashboard',
          where,
          message: `${label}: needs a type and properties`,
        });
        return;
      }
      if (w.type !== 'metric') return;
      if (typeof props.region !== 'string')
        problems.push({
          check: 'dashboard',
          where,
          message: `${label}: metric widgets need properties.region`,
        });
      for (const m of widgetMetrics(props.metrics)) {
        const problem = m.error ?? metricProblem(m.use!, (t, v) => namesResource(stack, t, v));
        if (problem) problems.push({ check: 'dashboard', where, message: `${label}: ${problem}` });
      }
    });
  }
  return problems;
}

/** Every alarm watches a metric that exists. */
export function checkAlarms(stack: TfStack): Problem[] {
  const problems: Problem[] = [];
  for (const alarm of resources(stack, 'aws_cloudwatch_metric_alarm')) {
    const uses: MetricUse[] = [];
    const add = (body: JsonObject): void => {
      const namespace = str(body, 'namespace');
      const metricName = str(body, 'metric_name');
      if (namespace === undefined || metricName === undefined) return;
      const dims = isObject(body.dimensions) ? body.dimensions : {};
      uses.push({
        namespace,
        metricName,
        dimensions: Object.fromEntries(Object.entries(dims).map(([k, v]) => [k, String(v)])),
      });
    };
    add(alarm.body);
    for (const query of nested(alarm.body, 'metric_query'))
      for (const metric of nested(query, 'metric')) add(metric);
    if (uses.length === 0 && nested(alarm.body, 'metric_query').length === 0) {
      problems.push({
        check: 'alarms',
        where: describe(alarm),
        message: 'names no metric (namespace + metric_name or metric_query)',
      });
    }
    for (const use of uses) {
      const problem = metricProblem(use, (t, v) => namesResource(stack, t, v));
      if (problem) problems.push({ check: 'alarms', where: describe(alarm), message: problem });
    }
  }
  return problems;
}
