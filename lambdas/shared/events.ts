/**
 * Event contracts on the default bus (DESIGN §6). Producers build details with these types;
 * consumers parse them with the schemas so a malformed event is rejected with one clear message.
 */
import { z } from 'zod';
import { PutEventsCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { MalformedEventError } from './observability';

export const EVENT_SOURCE = 'compliance.audit';
export const SCAN_REQUEST = 'Compliance Scan Request';
export const SCAN_COMPLETED = 'Compliance Scan Completed';
export const REMEDIATION_COMPLETED = 'Compliance Remediation Completed';
export const CONFIG_COMPLIANCE_CHANGE = 'Config Rules Compliance Change';

const isoDate = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'must be an ISO-8601 date');
const count = z.number().int().nonnegative();

export const findingCountsSchema = z.object({
  critical: count,
  high: count,
  medium: count,
  low: count,
  informational: count,
  passed: count,
  errors: count,
});

export const scanCompletedDetailSchema = z.object({
  scanId: z.string().min(1),
  startedAt: isoDate,
  finishedAt: isoDate,
  findingsKey: z.string().min(1),
  counts: findingCountsSchema,
});
export type ScanCompletedDetail = z.infer<typeof scanCompletedDetailSchema>;

/** On-demand scan request; every field is optional. */
export const scanRequestDetailSchema = z
  .object({
    regions: z.array(z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/)).min(1).optional(),
    requestedBy: z.string().optional(),
  })
  .default({});
export type ScanRequestDetail = z.infer<typeof scanRequestDetailSchema>;

export const configComplianceChangeDetailSchema = z.object({
  resourceId: z.string().min(1),
  resourceType: z.string().min(1),
  awsRegion: z.string().min(1),
  awsAccountId: z.string().min(1),
  configRuleName: z.string().min(1),
  configRuleARN: z.string().optional(),
  newEvaluationResult: z.object({
    complianceType: z.enum(['COMPLIANT', 'NON_COMPLIANT', 'NOT_APPLICABLE', 'INSUFFICIENT_DATA']),
    annotation: z.string().optional(),
    resultRecordedTime: z.string().optional(),
  }),
});
export type ConfigComplianceChangeDetail = z.infer<typeof configComplianceChangeDetailSchema>;

export const remediationDecisionSchema = z.object({
  bucket: z.string(),
  decision: z.enum(['remediated', 'would-remediate', 'already-compliant', 'exempt', 'skipped-cap', 'skipped-off', 'failed']),
  reason: z.string(),
});
export type RemediationDecision = z.infer<typeof remediationDecisionSchema>;

export const remediationCompletedDetailSchema = z.object({
  runId: z.string().min(1),
  mode: z.enum(['off', 'dry-run', 'enforce']),
  recordKey: z.string().min(1),
  decisions: z.array(remediationDecisionSchema),
});
export type RemediationCompletedDetail = z.infer<typeof remediationCompletedDetailSchema>;

/** The EventBridge envelope fields handlers rely on. */
export const envelopeSchema = z.object({
  id: z.string().optional(),
  source: z.string(),
  'detail-type': z.string(),
  time: z.string().optional(),
  account: z.string().optional(),
  region: z.string().optional(),
  detail: z.unknown(),
});

/** Parses `value` or throws MalformedEventError naming what is wrong. */
export function parseOrReject<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
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
      Entries: [{ Source: EVENT_SOURCE, DetailType: detailType, Detail: JSON.stringify(detail), EventBusName: busName }],
    }),
  );
  if ((out.FailedEntryCount ?? 0) > 0) {
    const entry = out.Entries?.find((e) => e.ErrorCode);
    throw new Error(`EventBridge rejected "${detailType}": ${entry?.ErrorCode ?? 'unknown'} ${entry?.ErrorMessage ?? ''}`.trim());
  }
}
