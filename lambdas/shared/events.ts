/**
 * Event contracts on the default bus (DESIGN §6). Producers build details with these types;
 * consumers parse them with the schemas so a malformed event is rejected with one clear message.
 */
// zod/mini: the same schemas at a fraction of the bundle size of classic zod (~450 KiB minified).
import * as z from 'zod/mini';
import { PutEventsCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { MalformedEventError } from './observability';

import { EVENT_SOURCE } from './event-names';

export * from './event-names';

const isoDate = z
  .string()
  .check(z.refine((s) => !Number.isNaN(Date.parse(s)), 'must be an ISO-8601 date'));
const count = z.int().check(z.nonnegative());
const nonEmpty = z.string().check(z.minLength(1));

export const findingCountsSchema = z.object({
  critical: count,
  high: count,
  medium: count,
  low: count,
  informational: count,
  passed: count,
  errors: count,
});

export const regionNotScannedSchema = z.object({ region: nonEmpty, reason: nonEmpty });
export type RegionNotScanned = z.infer<typeof regionNotScannedSchema>;

/** What a scan covered and what it could not (DESIGN §10b). */
export const coverageSchema = z.object({
  /** How the regions were chosen (every enabled region, the requested ones, a fallback). */
  basis: z.string(),
  /** Regions whose services answered (some calls may still have failed: see checksErrored). */
  regionsScanned: z.array(nonEmpty),
  /** Regions in scope that were not scanned, or where every call failed, with the reason. */
  regionsFailed: z.array(regionNotScannedSchema),
  /** Checks evaluated. */
  checksRun: count,
  /** Checks with at least one ERROR finding (data they needed could not be read). */
  checksErrored: z.array(nonEmpty),
  /** The scan stopped collecting at its deadline; what it did not reach is ERROR. */
  deadlineReached: z.boolean(),
});
export type ScanCoverage = z.infer<typeof coverageSchema>;

/** One account of an organization scan: its finding counts, and what of it was not scanned. */
export const accountTotalsSchema = z.object({
  account: nonEmpty,
  /** The account's name in AWS Organizations. */
  name: z.optional(z.string()),
  counts: findingCountsSchema,
  /** Regions (and `global`) of the account that could not be scanned; empty when all were. */
  failed: z.array(nonEmpty),
});
export type AccountTotals = z.infer<typeof accountTotalsSchema>;

export const scanCompletedDetailSchema = z.object({
  scanId: nonEmpty,
  startedAt: isoDate,
  finishedAt: isoDate,
  findingsKey: nonEmpty,
  counts: findingCountsSchema,
  /** Regions the scan inventoried (absent from producers older than this field). */
  regions: z.optional(z.array(nonEmpty)),
  /** Absent from producers older than this field. */
  coverage: z.optional(coverageSchema),
  /** Organization scans only: totals per account (coverage names regions `<account>/<region>`). */
  accounts: z.optional(z.array(accountTotalsSchema)),
});
export type ScanCompletedDetail = z.infer<typeof scanCompletedDetailSchema>;

/** On-demand scan request; every field is optional. */
export const scanRequestDetailSchema = z._default(
  z.object({
    regions: z.optional(
      z.array(z.string().check(z.regex(/^[a-z]{2}(-[a-z]+)+-\d$/))).check(z.minLength(1)),
    ),
    requestedBy: z.optional(z.string()),
  }),
  {},
);
export type ScanRequestDetail = z.infer<typeof scanRequestDetailSchema>;

export const configComplianceChangeDetailSchema = z.object({
  resourceId: nonEmpty,
  resourceType: nonEmpty,
  awsRegion: nonEmpty,
  awsAccountId: nonEmpty,
  configRuleName: nonEmpty,
  configRuleARN: z.optional(z.string()),
  newEvaluationResult: z.object({
    complianceType: z.enum(['COMPLIANT', 'NON_COMPLIANT', 'NOT_APPLICABLE', 'INSUFFICIENT_DATA']),
    annotation: z.optional(z.string()),
    resultRecordedTime: z.optional(z.string()),
  }),
});
export type ConfigComplianceChangeDetail = z.infer<typeof configComplianceChangeDetailSchema>;

export const REMEDIATION_DECISIONS = [
  'remediated',
  'would-remediate',
  'failed',
  'already-compliant',
  'exempt',
  'skipped-log-delivery',
  'skipped-cap',
  'skipped-off',
] as const;
const decisionKind = z.enum(REMEDIATION_DECISIONS);

export const remediationDecisionSchema = z.object({
  /** The bucket's account, when the run spans accounts (ORG_REMEDIATION=members). */
  account: z.optional(z.string()),
  bucket: z.string(),
  decision: decisionKind,
  reason: z.string(),
});
export type RemediationDecision = z.infer<typeof remediationDecisionSchema>;

/**
 * At most this many decisions travel in the event (notable ones first), so a run over thousands
 * of buckets stays under EventBridge's 256 KB entry limit; `counts` always covers all of them and
 * the record in S3 lists every one.
 */
export const MAX_EVENT_DECISIONS = 100;

export const remediationCompletedDetailSchema = z.object({
  runId: nonEmpty,
  mode: z.enum(['off', 'dry-run', 'enforce']),
  recordKey: nonEmpty,
  counts: z.record(decisionKind, count),
  decisions: z.array(remediationDecisionSchema).check(z.maxLength(MAX_EVENT_DECISIONS)),
});
export type RemediationCompletedDetail = z.infer<typeof remediationCompletedDetailSchema>;

/** The EventBridge envelope fields handlers rely on. */
export const envelopeSchema = z.object({
  id: z.optional(z.string()),
  source: z.string(),
  'detail-type': z.string(),
  time: z.optional(z.string()),
  account: z.optional(z.string()),
  region: z.optional(z.string()),
  detail: z.unknown(),
});

/** Parses `value` or throws MalformedEventError naming what is wrong. */
export function parseOrReject<T>(schema: z.ZodMiniType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    const problems = result.error.issues
      .map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`)
      .join('; ');
    throw new MalformedEventError(`Malformed ${what}: ${problems}`);
  }
  return result.data;
}

/** Puts one event on the bus and fails loudly when EventBridge rejects the entry. */
export async function publishEvent(
  client: EventBridgeClient,
  detailType: string,
  detail: object,
  busName = process.env.EVENT_BUS_NAME ?? 'default',
): Promise<void> {
  const out = await client.send(
    new PutEventsCommand({
      Entries: [
        {
          Source: EVENT_SOURCE,
          DetailType: detailType,
          Detail: JSON.stringify(detail),
          EventBusName: busName,
        },
      ],
    }),
  );
  if ((out.FailedEntryCount ?? 0) > 0) {
    const entry = out.Entries?.find((e) => e.ErrorCode);
    throw new Error(
      `EventBridge rejected "${detailType}": ${entry?.ErrorCode ?? 'unknown'} ${entry?.ErrorMessage ?? ''}`.trim(),
    );
  }
}

/**
 * Checks an EventBridge envelope's `source` and `detail-type`, then parses its detail with
 * `schema`; anything else throws MalformedEventError (so nothing is written or published).
 */
export function parseEventDetail<T>(
  event: unknown,
  source: string,
  detailType: string,
  schema: z.ZodMiniType<T>,
): T {
  const envelope = parseOrReject(envelopeSchema, event, 'EventBridge event');
  if (envelope.source !== source || envelope['detail-type'] !== detailType) {
    throw new MalformedEventError(
      `Unexpected event "${envelope.source}" / "${envelope['detail-type']}"; expected "${source}" / "${detailType}"`,
    );
  }
  return parseOrReject(schema, envelope.detail, `"${detailType}" detail`);
}
