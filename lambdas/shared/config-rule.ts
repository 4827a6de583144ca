/**
 * AWS Config custom Lambda rule plumbing, shared by the three `config-rule-*` functions.
 *
 * Config invokes the function asynchronously with the rule event: `invokingEvent` (a JSON string
 * whose `messageType` is one of MESSAGE_TYPES), `ruleParameters` (a JSON string, may be absent),
 * `resultToken`, `eventLeftScope`, `configRuleName`, `accountId`, … This module parses that event,
 * normalises the configuration item (fetching the full item for oversized notifications), turns
 * deleted / out-of-scope resources into NOT_APPLICABLE, asks the rule to evaluate the rest, and
 * sends the results back with PutEvaluations. A rule module is then only
 * `evaluate(item, params, clients)` plus, for periodic rules, `listResources(...)`.
 *
 * Errors: a malformed event or rule parameter throws MalformedEventError (logged once, nothing is
 * sent). Any other error while evaluating propagates, so no partial/false result reaches Config;
 * Lambda's asynchronous retries run the evaluation again and the function's error alarm fires.
 *
 * IAM actions (every custom-rule function):
 *   config:PutEvaluations            Resource "*" (the action supports no resource-level scoping)
 *   config:GetResourceConfigHistory  Resource "*" (same; only used for oversized notifications)
 */
import {
  ConfigServiceClient,
  GetResourceConfigHistoryCommand,
  PutEvaluationsCommand,
  type ConfigurationItem as HistoryItem,
  type Evaluation,
  type ResourceType,
} from '@aws-sdk/client-config-service';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import * as z from 'zod/mini';
import { awsClient } from './clients';
import { parseOrReject } from './events';
import { CONFIG_RULE_METRICS } from './metric-names';
import { logger, MalformedEventError, metrics } from './observability';

export const MESSAGE_TYPES = {
  change: 'ConfigurationItemChangeNotification',
  oversized: 'OversizedConfigurationItemChangeNotification',
  scheduled: 'ScheduledNotification',
} as const;

/** PutEvaluations accepts at most 100 evaluations per call. */
export const MAX_EVALUATIONS_PER_CALL = 100;
/** Evaluation.Annotation is limited to 256 characters. */
export const MAX_ANNOTATION_LENGTH = 256;

const DELETED_STATUSES = new Set(['ResourceDeleted', 'ResourceDeletedNotRecorded']);

/**
 * The values a custom rule may report. INSUFFICIENT_DATA is deliberately absent: PutEvaluations
 * rejects it ("a Lambda function for a custom Config rule cannot pass an INSUFFICIENT_DATA value").
 */
export type RuleComplianceType = 'COMPLIANT' | 'NON_COMPLIANT' | 'NOT_APPLICABLE';

export interface RuleResult {
  readonly complianceType: RuleComplianceType;
  /** One sentence naming what was found; truncated to 256 characters when sent. */
  readonly annotation: string;
}

/** A configuration item, normalised from a change notification, the history API or a listing. */
export interface ConfigItem {
  readonly resourceType: string;
  readonly resourceId: string;
  readonly resourceName?: string;
  readonly arn?: string;
  readonly awsRegion: string;
  readonly status: string;
  /** ISO-8601 capture time (the OrderingTimestamp of change-triggered evaluations). */
  readonly captureTime: string;
  /** `configuration` as an object (`{}` when Config recorded none). */
  readonly configuration: Readonly<Record<string, unknown>>;
  /** Supplementary configuration with JSON-string values parsed. */
  readonly supplementaryConfiguration: Readonly<Record<string, unknown>>;
  readonly tags: Readonly<Record<string, string>>;
}

/** What a periodic rule's `listResources` gets to know about the invocation. */
export interface ScheduledContext {
  readonly accountId?: string;
  readonly notificationTime: string;
}

export interface ConfigRule<P, C> {
  /** Function name without suffix, for logs. */
  readonly name: string;
  /** The resource types the rule evaluates (its Config scope). */
  readonly resourceTypes: readonly string[];
  /** Validates the rule parameters; throws MalformedEventError naming a bad one. */
  parseParameters(raw: Readonly<Record<string, string>>): P;
  /** The SDK clients the rule needs (memoised by awsClient). */
  clients(): C;
  evaluate(item: ConfigItem, params: P, clients: C): Promise<RuleResult>;
  /** Periodic rules only: the resources to evaluate on a ScheduledNotification. */
  listResources?(params: P, clients: C, context: ScheduledContext): Promise<ConfigItem[]>;
}

export interface RuleRunSummary {
  readonly configRuleName: string;
  readonly messageType: string;
  readonly evaluations: number;
  readonly byCompliance: Readonly<Record<string, number>>;
}

// ---------------------------------------------------------------------------------------------
// Event schemas

const isoDate = z
  .string()
  .check(z.refine((s) => !Number.isNaN(Date.parse(s)), 'must be an ISO-8601 date'));
const nonEmpty = z.string().check(z.minLength(1));

export const configRuleEventSchema = z.object({
  invokingEvent: nonEmpty,
  ruleParameters: z.optional(z.string()),
  resultToken: nonEmpty,
  eventLeftScope: z.optional(z.boolean()),
  configRuleName: nonEmpty,
  configRuleArn: z.optional(z.string()),
  accountId: z.optional(z.string()),
  executionRoleArn: z.optional(z.string()),
});
export type ConfigRuleEvent = z.infer<typeof configRuleEventSchema>;

const itemCommon = {
  resourceType: nonEmpty,
  resourceId: nonEmpty,
  resourceName: z.nullish(z.string()),
  ARN: z.nullish(z.string()),
  awsRegion: nonEmpty,
  configurationItemStatus: nonEmpty,
  configurationItemCaptureTime: isoDate,
};

const changeItemSchema = z.object({
  ...itemCommon,
  configuration: z.optional(z.unknown()),
  supplementaryConfiguration: z.nullish(z.record(z.string(), z.unknown())),
  tags: z.nullish(z.record(z.string(), z.string())),
});

const invokingEventSchema = z.discriminatedUnion('messageType', [
  z.object({
    messageType: z.literal(MESSAGE_TYPES.change),
    configurationItem: changeItemSchema,
    notificationCreationTime: z.optional(isoDate),
  }),
  z.object({
    messageType: z.literal(MESSAGE_TYPES.oversized),
    configurationItemSummary: z.object(itemCommon),
    notificationCreationTime: z.optional(isoDate),
  }),
  z.object({
    messageType: z.literal(MESSAGE_TYPES.scheduled),
    notificationCreationTime: isoDate,
    awsAccountId: z.optional(z.string()),
  }),
]);
export type InvokingEvent = z.infer<typeof invokingEventSchema>;

function parseJsonText(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new MalformedEventError(`Malformed ${what}: not valid JSON`);
  }
}

/** `ruleParameters` as string values (`{}` when absent); numbers and booleans are stringified. */
export function parseRuleParameters(text: string | undefined): Record<string, string> {
  if (text === undefined || text.trim() === '') return {};
  const value = parseJsonText(text, 'ruleParameters');
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new MalformedEventError('Malformed ruleParameters: must be a JSON object');
  }
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    if (typeof v === 'string') out[k] = v;
    else if (typeof v === 'number' || typeof v === 'boolean') out[k] = String(v);
    else throw new MalformedEventError(`Malformed ruleParameters: ${k} must be a string`);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Configuration items

/** Objects pass through; JSON strings are parsed; anything else (null, bad JSON) stays as is. */
function maybeJson(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

function asRecord(value: unknown): Record<string, unknown> {
  const parsed = maybeJson(value);
  return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
    ? (parsed as Record<string, unknown>)
    : {};
}

function supplementary(value: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(asRecord(value))) out[k] = maybeJson(v);
  return out;
}

/** From a change notification: `configuration` is an object, some supplementary values strings. */
export function itemFromNotification(raw: z.infer<typeof changeItemSchema>): ConfigItem {
  return {
    resourceType: raw.resourceType,
    resourceId: raw.resourceId,
    resourceName: raw.resourceName ?? undefined,
    arn: raw.ARN ?? undefined,
    awsRegion: raw.awsRegion,
    status: raw.configurationItemStatus,
    captureTime: new Date(raw.configurationItemCaptureTime).toISOString(),
    configuration: asRecord(raw.configuration),
    supplementaryConfiguration: supplementary(raw.supplementaryConfiguration),
    tags: raw.tags ?? {},
  };
}

/** From GetResourceConfigHistory: `configuration` is a JSON string, supplementary values too. */
export function itemFromHistory(raw: HistoryItem, fallback: ConfigItem): ConfigItem {
  return {
    resourceType: raw.resourceType ?? fallback.resourceType,
    resourceId: raw.resourceId ?? fallback.resourceId,
    resourceName: raw.resourceName ?? fallback.resourceName,
    arn: raw.arn ?? fallback.arn,
    awsRegion: raw.awsRegion ?? fallback.awsRegion,
    status: raw.configurationItemStatus ?? fallback.status,
    captureTime: raw.configurationItemCaptureTime?.toISOString() ?? fallback.captureTime,
    configuration: asRecord(raw.configuration),
    supplementaryConfiguration: supplementary(raw.supplementaryConfiguration ?? {}),
    tags: raw.tags ?? fallback.tags,
  };
}

/** The newest recorded item of a resource (oversized notifications carry only a summary). */
export async function fetchFullItem(
  config: ConfigServiceClient,
  summary: ConfigItem,
): Promise<ConfigItem> {
  const out = await config.send(
    new GetResourceConfigHistoryCommand({
      resourceType: summary.resourceType as ResourceType,
      resourceId: summary.resourceId,
      limit: 1,
    }),
  );
  const latest = out.configurationItems?.[0];
  if (!latest) {
    // Thrown (not NOT_APPLICABLE) so the asynchronous retry tries again once Config has it.
    throw new Error(
      `GetResourceConfigHistory returned no item for ${summary.resourceType} ${summary.resourceId}`,
    );
  }
  return itemFromHistory(latest, summary);
}

// ---------------------------------------------------------------------------------------------
// Evaluations

/**
 * At most 256 UTF-16 code units (how the API counts characters), cut at a code point boundary so
 * a surrogate pair is never split; a cut text ends with "…".
 */
export function truncateAnnotation(text: string): string {
  if (text.length <= MAX_ANNOTATION_LENGTH) return text;
  let out = '';
  for (const char of text) {
    if (out.length + char.length > MAX_ANNOTATION_LENGTH - 1) break;
    out += char;
  }
  return `${out}…`;
}

export function toEvaluation(
  resourceType: string,
  resourceId: string,
  result: RuleResult,
  orderingTimestamp: string,
): Evaluation {
  const annotation = result.annotation.trim();
  return {
    ComplianceResourceType: resourceType,
    ComplianceResourceId: resourceId,
    ComplianceType: result.complianceType,
    ...(annotation ? { Annotation: truncateAnnotation(annotation) } : {}),
    OrderingTimestamp: new Date(orderingTimestamp),
  };
}

/**
 * Sends evaluations in batches of ≤100 with the invocation's ResultToken (an empty list is sent
 * once so Config records that a periodic run found nothing to evaluate). Every batch is sent even
 * when an earlier one had rejects; then, if Config rejected any evaluation (`FailedEvaluations`),
 * this throws: the invocation fails, Lambda retries it asynchronously (re-sending an evaluation
 * with the same OrderingTimestamp is idempotent), and the error alarm fires instead of a resource
 * silently keeping a stale compliance state.
 */
export async function putEvaluations(
  config: ConfigServiceClient,
  evaluations: readonly Evaluation[],
  resultToken: string,
): Promise<void> {
  const failed: Evaluation[] = [];
  const batches: Evaluation[][] = [];
  for (let i = 0; i < evaluations.length; i += MAX_EVALUATIONS_PER_CALL) {
    batches.push(evaluations.slice(i, i + MAX_EVALUATIONS_PER_CALL));
  }
  if (batches.length === 0) batches.push([]);
  for (const batch of batches) {
    const out = await config.send(
      new PutEvaluationsCommand({ Evaluations: batch, ResultToken: resultToken }),
    );
    failed.push(...(out.FailedEvaluations ?? []));
  }
  if (failed.length > 0) {
    const first = failed[0];
    throw new Error(
      `Config rejected ${failed.length} of ${evaluations.length} evaluations ` +
        `(first: ${first.ComplianceResourceType} ${first.ComplianceResourceId}); ` +
        'failing the invocation so Lambda retries it',
    );
  }
}

function notApplicable(annotation: string): RuleResult {
  return { complianceType: 'NOT_APPLICABLE', annotation };
}

/** Deleted / out-of-scope / unrecorded resources, or undefined when the rule must evaluate. */
export function precheck(
  item: ConfigItem,
  eventLeftScope: boolean,
  resourceTypes: readonly string[],
): RuleResult | undefined {
  if (eventLeftScope) return notApplicable(`${item.resourceId} left the rule's scope.`);
  if (DELETED_STATUSES.has(item.status)) {
    return notApplicable(`${item.resourceId} was deleted (${item.status}).`);
  }
  if (item.status === 'ResourceNotRecorded') {
    return notApplicable(`Config does not record ${item.resourceType}; nothing to evaluate.`);
  }
  if (!resourceTypes.includes(item.resourceType)) {
    return notApplicable(`${item.resourceType} is not evaluated by this rule.`);
  }
  return undefined;
}

async function evaluateChange<P, C>(
  rule: ConfigRule<P, C>,
  event: ConfigRuleEvent,
  invoking: Exclude<InvokingEvent, { messageType: typeof MESSAGE_TYPES.scheduled }>,
  params: P,
  config: ConfigServiceClient,
): Promise<Evaluation[]> {
  const trigger =
    invoking.messageType === MESSAGE_TYPES.change
      ? itemFromNotification(invoking.configurationItem)
      : itemFromNotification({ ...invoking.configurationItemSummary });
  let result = precheck(trigger, event.eventLeftScope === true, rule.resourceTypes);
  if (!result) {
    const item =
      invoking.messageType === MESSAGE_TYPES.oversized
        ? await fetchFullItem(config, trigger)
        : trigger;
    result = await rule.evaluate(item, params, rule.clients());
  }
  // OrderingTimestamp: the capture time of the item that triggered the evaluation.
  return [toEvaluation(trigger.resourceType, trigger.resourceId, result, trigger.captureTime)];
}

async function evaluateScheduled<P, C>(
  rule: ConfigRule<P, C>,
  event: ConfigRuleEvent,
  invoking: Extract<InvokingEvent, { messageType: typeof MESSAGE_TYPES.scheduled }>,
  params: P,
): Promise<Evaluation[]> {
  if (!rule.listResources) {
    throw new MalformedEventError(
      `Rule ${event.configRuleName} (${rule.name}) is not periodic but received a ScheduledNotification`,
    );
  }
  const clients = rule.clients();
  const at = invoking.notificationCreationTime;
  const items = await rule.listResources(params, clients, {
    accountId: invoking.awsAccountId ?? event.accountId,
    notificationTime: at,
  });
  const evaluations: Evaluation[] = [];
  // Sequential: periodic rules here list few resources (VPCs: 5 per Region by default quota).
  for (const item of items) {
    const result = await rule.evaluate(item, params, clients);
    evaluations.push(toEvaluation(item.resourceType, item.resourceId, result, at));
  }
  return evaluations;
}

/** Parses a Config rule event, evaluates, sends the evaluations; the whole life of one invocation. */
export async function runConfigRule<P, C>(
  rule: ConfigRule<P, C>,
  rawEvent: unknown,
): Promise<RuleRunSummary> {
  const event = parseOrReject(configRuleEventSchema, rawEvent, 'Config rule event');
  const invoking = parseOrReject(
    invokingEventSchema,
    parseJsonText(event.invokingEvent, 'invokingEvent'),
    'Config invokingEvent',
  );
  const params = rule.parseParameters(parseRuleParameters(event.ruleParameters));
  const config = awsClient(ConfigServiceClient);

  const evaluations =
    invoking.messageType === MESSAGE_TYPES.scheduled
      ? await evaluateScheduled(rule, event, invoking, params)
      : await evaluateChange(rule, event, invoking, params, config);

  await putEvaluations(config, evaluations, event.resultToken);

  const byCompliance: Record<string, number> = {};
  for (const e of evaluations) {
    const type = e.ComplianceType ?? 'UNKNOWN';
    byCompliance[type] = (byCompliance[type] ?? 0) + 1;
  }
  const summary: RuleRunSummary = {
    configRuleName: event.configRuleName,
    messageType: invoking.messageType,
    evaluations: evaluations.length,
    byCompliance,
  };
  metrics.addMetric(CONFIG_RULE_METRICS.evaluations, MetricUnit.Count, evaluations.length);
  metrics.addMetric(
    CONFIG_RULE_METRICS.nonCompliant,
    MetricUnit.Count,
    byCompliance.NON_COMPLIANT ?? 0,
  );
  logger.info('Config rule evaluated', { ...summary });
  return summary;
}
