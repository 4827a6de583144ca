/**
 * What started a remediation run: a Config NON_COMPLIANT result for one bucket on one of the
 * configured rules, or a completed scan whose S3.CustomerManagedKey failures are remediated in
 * bulk. Both judge with shared/s3-default-encryption.ts, so they agree on which buckets to fix;
 * S3.17 (any KMS key, aws/s3 included) never triggers remediation.
 */
import * as z from 'zod/mini';
import {
  CONFIG_COMPLIANCE_CHANGE,
  EVENT_SOURCE,
  SCAN_COMPLETED,
  configComplianceChangeDetailSchema,
  envelopeSchema,
  parseOrReject,
  scanCompletedDetailSchema,
} from '../shared/events';
import type { Finding } from '../shared/findings';
import { MalformedEventError } from '../shared/observability';

export const S3_RESOURCE_TYPE = 'AWS::S3::Bucket';
/** Scanner check remediated by the fixer: default encryption with a customer-managed KMS key. */
export const REMEDIATED_CONTROL = 'S3.CustomerManagedKey';

export type Trigger =
  | {
      readonly kind: 'config';
      readonly runId: string;
      readonly ruleName: string;
      readonly bucket: string;
      /** Where Config judged the bucket: what a suppression entry's accounts and regions match. */
      readonly account: string;
      readonly region: string;
    }
  | {
      readonly kind: 'scan';
      readonly runId: string;
      readonly findingsKey: string;
      /** The account the event was published in: an organization scan's other accounts are not ours to fix. */
      readonly account?: string;
    }
  | { readonly kind: 'ignored'; readonly reason: string };

const configEnvelopeSchema = z.extend(envelopeSchema, { id: z.string().check(z.minLength(1)) });

export function parseTrigger(event: unknown, ruleNames: readonly string[]): Trigger {
  const envelope = parseOrReject(envelopeSchema, event, 'remediation trigger event');
  const detailType = envelope['detail-type'];
  if (envelope.source === 'aws.config' && detailType === CONFIG_COMPLIANCE_CHANGE) {
    const { id } = parseOrReject(configEnvelopeSchema, event, 'Config compliance change event');
    const detail = parseOrReject(
      configComplianceChangeDetailSchema,
      envelope.detail,
      'Config compliance change detail',
    );
    if (!ruleNames.includes(detail.configRuleName)) {
      return { kind: 'ignored', reason: `rule ${detail.configRuleName} is not a remediation rule` };
    }
    if (detail.newEvaluationResult.complianceType !== 'NON_COMPLIANT') {
      return {
        kind: 'ignored',
        reason: `${detail.resourceId} is ${detail.newEvaluationResult.complianceType}`,
      };
    }
    if (detail.resourceType !== S3_RESOURCE_TYPE) {
      return { kind: 'ignored', reason: `${detail.resourceType} is not an S3 bucket` };
    }
    return {
      kind: 'config',
      runId: id,
      ruleName: detail.configRuleName,
      bucket: detail.resourceId,
      account: detail.awsAccountId,
      region: detail.awsRegion,
    };
  }
  if (envelope.source === EVENT_SOURCE && detailType === SCAN_COMPLETED) {
    const detail = parseOrReject(
      scanCompletedDetailSchema,
      envelope.detail,
      'scan completed detail',
    );
    return {
      kind: 'scan',
      runId: detail.scanId,
      findingsKey: detail.findingsKey,
      ...(envelope.account ? { account: envelope.account } : {}),
    };
  }
  throw new MalformedEventError(
    `Malformed remediation trigger event: unsupported ${envelope.source} / ${detailType}`,
  );
}

/** `arn:aws:s3:::name` → `name`. */
function bucketFromArn(uid: string): string | undefined {
  const match = /^arn:aws[a-z-]*:s3:::([^/]+)$/.exec(uid);
  return match?.[1];
}

/** A bucket to decide, the account it belongs to, and its Region when a scan reported it. */
export interface BucketTarget {
  readonly account: string;
  readonly bucket: string;
  readonly region?: string;
}

/**
 * Distinct buckets with a FAIL finding of the remediated check, in findings order (pure); with
 * `account`, only that account's (an organization scan reports every member's buckets, and
 * remediation stays in its own account unless ORG_REMEDIATION=members).
 */
export function bucketsFromFindings(findings: Iterable<Finding>, account?: string): BucketTarget[] {
  const targets = new Map<string, BucketTarget>();
  for (const f of findings) {
    if (f.status !== 'FAIL' || f.checkId !== REMEDIATED_CONTROL) continue;
    if (account !== undefined && f.account !== account) continue;
    const name =
      bucketFromArn(f.resource.uid) ??
      (f.resource.type === S3_RESOURCE_TYPE ? f.resource.name : undefined);
    // Bucket names are global: one name is one bucket, whichever account reports it.
    // A bucket's finding is in the bucket's own Region (GetBucketLocation).
    if (name && !targets.has(name))
      targets.set(name, { account: f.account, bucket: name, region: f.resource.region });
  }
  return [...targets.values()];
}
