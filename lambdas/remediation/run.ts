/**
 * One remediation run: resolve the target buckets, decide each one in order (mode, audit bucket,
 * cap, then the fixer), write every decision as JSONL to `remediation/dt=…/<runId>.jsonl` in the
 * audit bucket, then publish `Compliance Remediation Completed`. The cap counts `remediated`
 * (enforce) or `would-remediate` (dry-run) decisions; once reached, the remaining buckets are
 * `skipped-cap` without any API call. Buckets are handled one at a time so the cap is exact and
 * the record's order is stable. A run is idempotent: a bucket already fixed is `already-compliant`
 * with no write, so Lambda's retry of a failed invocation changes nothing twice.
 *
 * A Config-triggered run first reads the reviewed suppressions: a bucket that an active entry
 * suppresses for S3.CustomerManagedKey is `exempt` (a scan's suppressed findings never reach
 * remediation at all), and while the suppressions cannot be read the bucket is left alone
 * (`failed`, saying why): whether someone suppressed it is unknown, and the next scan retries.
 *
 * IAM actions (the fixer lists its own S3 actions):
 *   s3:GetObject          arn:aws:s3:::<AUDIT_BUCKET>/findings/*     (scan-triggered runs)
 *   s3:GetObject          arn:aws:s3:::<AUDIT_BUCKET>/suppressions/* (Config-triggered runs)
 *   s3:PutObject          arn:aws:s3:::<AUDIT_BUCKET>/remediation/*
 *   kms:Decrypt, kms:GenerateDataKey  the audit bucket's KMS key (SSE-KMS objects)
 *   kms:DescribeKey       <REMEDIATION_KMS_KEY_ARN> (pre-flight check of the key to apply)
 *   events:PutEvents      arn:aws:events:<region>:<account>:event-bus/<EVENT_BUS_NAME>
 */
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { DescribeKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { awsClient } from '../shared/clients';
import { errorMessage, errorName } from '../shared/errors';
import {
  MAX_EVENT_DECISIONS,
  REMEDIATION_COMPLETED,
  REMEDIATION_DECISIONS,
  publishEvent,
  type RemediationCompletedDetail,
} from '../shared/events';
import { REMEDIATION_METRICS } from '../shared/metric-names';
import { logger, metrics } from '../shared/observability';
import { partitionOf } from '../shared/regions';
import { putJsonl, readFindings, readSuppressor, remediationKey } from '../shared/store';
import { fixS3DefaultEncryption, type BucketDecision } from './fixers/s3-default-encryption';
import { kmsArnRegion, type RemediationSettings } from './settings';
import { bucketsFromFindings, REMEDIATED_CONTROL, type Trigger } from './triggers';

export type RunnableTrigger = Exclude<Trigger, { kind: 'ignored' }>;

export interface RemediationRunResult {
  readonly runId: string;
  readonly mode: RemediationSettings['mode'];
  /** Undefined when there was nothing to decide (no record, no event). */
  readonly recordKey?: string;
  readonly decisions: readonly BucketDecision[];
}

/** One line of the JSONL record. */
export interface RemediationRecord extends BucketDecision {
  readonly runId: string;
  readonly mode: RemediationSettings['mode'];
  readonly trigger: RunnableTrigger['kind'];
  readonly configRuleName?: string;
  readonly kmsKeyArn?: string;
  readonly decidedAt: string;
}

async function targetBuckets(trigger: RunnableTrigger, auditBucket: string): Promise<string[]> {
  if (trigger.kind === 'config') return [trigger.bucket];
  return bucketsFromFindings(
    await readFindings(awsClient(S3Client), auditBucket, trigger.findingsKey),
    trigger.account,
  );
}

/**
 * Why the remediation key must not be applied, or undefined when it is an enabled,
 * customer-managed key (S3 would accept any key id without checking it).
 */
export async function checkRemediationKey(kmsKeyArn: string): Promise<string | undefined> {
  try {
    const kms = awsClient(KMSClient, kmsArnRegion(kmsKeyArn));
    const meta = (await kms.send(new DescribeKeyCommand({ KeyId: kmsKeyArn }))).KeyMetadata;
    if (meta?.KeyManager !== 'CUSTOMER') {
      return `remediation key ${kmsKeyArn} is not customer-managed`;
    }
    if (meta.KeyState !== 'Enabled') {
      return `remediation key ${kmsKeyArn} is ${meta.KeyState}`;
    }
    return undefined;
  } catch (err) {
    return `remediation key ${kmsKeyArn} cannot be verified: ${errorName(err)}: ${errorMessage(err)}`;
  }
}

/**
 * The decision for a Config-triggered bucket that the reviewed suppressions keep from remediation
 * (or may: they cannot be read), else undefined.
 */
async function suppressedDecision(
  trigger: Extract<RunnableTrigger, { kind: 'config' }>,
  settings: RemediationSettings,
  now: Date,
): Promise<BucketDecision | undefined> {
  const { bucket } = trigger;
  const read = await readSuppressor(awsClient(S3Client), settings.auditBucket, now);
  if ('problem' in read) {
    logger.error('Suppressions unreadable: bucket left unchanged', {
      bucket,
      problem: read.problem,
    });
    return {
      bucket,
      decision: 'failed',
      reason: `not changed: the reviewed suppressions object ${read.problem}, so whether the bucket is suppressed is unknown`,
    };
  }
  const s = read.suppress.activeFor({
    checkId: REMEDIATED_CONTROL,
    account: trigger.account,
    region: trigger.region,
    resourceUid: `arn:${partitionOf(trigger.region)}:s3:::${bucket}`,
  });
  return (
    s && {
      bucket,
      decision: 'exempt',
      reason: `suppressed by ${s.id} (owner ${s.owner}, until ${s.expires}): ${s.reason}`,
    }
  );
}

async function decideAll(
  buckets: readonly string[],
  settings: RemediationSettings,
): Promise<BucketDecision[]> {
  const decisions: BucketDecision[] = [];
  if (settings.mode === 'off') {
    // Off: no S3 call at all; the record still shows what was asked for.
    for (const bucket of buckets) {
      decisions.push({ bucket, decision: 'skipped-off', reason: 'REMEDIATION_MODE is off' });
    }
    return decisions;
  }
  const kmsKeyArn = settings.kmsKeyArn!;
  const keyProblem = await checkRemediationKey(kmsKeyArn);
  if (keyProblem) logger.error('Remediation key failed its pre-flight check', { keyProblem });
  let changes = 0;
  for (const bucket of buckets) {
    if (bucket === settings.auditBucket) {
      // Terraform owns the audit bucket's encryption (its own key); never drift it from here.
      decisions.push({ bucket, decision: 'exempt', reason: 'audit bucket, managed by the stack' });
      continue;
    }
    if (changes >= settings.maxPerRun) {
      decisions.push({
        bucket,
        decision: 'skipped-cap',
        reason: `cap of ${settings.maxPerRun} per run reached`,
      });
      continue;
    }
    const decision = await fixS3DefaultEncryption(bucket, {
      mode: settings.mode,
      kmsKeyArn,
      exemptTagKey: settings.exemptTagKey,
      keyProblem,
    });
    if (decision.decision === 'remediated' || decision.decision === 'would-remediate') changes += 1;
    if (decision.decision === 'failed') {
      logger.warn('Bucket not remediated', { bucket, reason: decision.reason });
    }
    decisions.push(decision);
  }
  return decisions;
}

function publishMetrics(decisions: readonly BucketDecision[]): void {
  const count = (d: BucketDecision['decision']) => decisions.filter((x) => x.decision === d).length;
  metrics.addMetric(REMEDIATION_METRICS.remediated, MetricUnit.Count, count('remediated'));
  metrics.addMetric(REMEDIATION_METRICS.wouldRemediate, MetricUnit.Count, count('would-remediate'));
  metrics.addMetric(REMEDIATION_METRICS.failed, MetricUnit.Count, count('failed'));
}

export async function runRemediation(
  trigger: RunnableTrigger,
  settings: RemediationSettings,
  now: () => Date = () => new Date(),
): Promise<RemediationRunResult> {
  const buckets = await targetBuckets(trigger, settings.auditBucket);
  if (buckets.length === 0) {
    logger.info('Nothing to remediate', { runId: trigger.runId, trigger: trigger.kind });
    return { runId: trigger.runId, mode: settings.mode, decisions: [] };
  }

  const suppressed =
    trigger.kind === 'config' && settings.mode !== 'off'
      ? await suppressedDecision(trigger, settings, now())
      : undefined;
  const decisions = suppressed ? [suppressed] : await decideAll(buckets, settings);

  const decidedAt = now().toISOString();
  // One record per attempt: a retried invocation must not overwrite what the first one did.
  const recordKey = remediationKey(
    `${trigger.runId}-${decidedAt.replace(/[-:.]/g, '')}`,
    decidedAt,
  );
  const records: RemediationRecord[] = decisions.map((d) => ({
    runId: trigger.runId,
    mode: settings.mode,
    trigger: trigger.kind,
    ...(trigger.kind === 'config' ? { configRuleName: trigger.ruleName } : {}),
    ...(settings.mode === 'off' ? {} : { kmsKeyArn: settings.kmsKeyArn }),
    decidedAt,
    ...d,
  }));
  await putJsonl(awsClient(S3Client), settings.auditBucket, recordKey, records);

  const detail: RemediationCompletedDetail = {
    runId: trigger.runId,
    mode: settings.mode,
    recordKey,
    counts: Object.fromEntries(
      REMEDIATION_DECISIONS.map((kind) => [
        kind,
        decisions.filter((d) => d.decision === kind).length,
      ]),
    ) as RemediationCompletedDetail['counts'],
    // In run order; over the cap, notable kinds first (REMEDIATION_DECISIONS lists them first).
    decisions: (decisions.length > MAX_EVENT_DECISIONS
      ? [...decisions]
          .sort(
            (a, b) =>
              REMEDIATION_DECISIONS.indexOf(a.decision) - REMEDIATION_DECISIONS.indexOf(b.decision),
          )
          .slice(0, MAX_EVENT_DECISIONS)
      : decisions
    ).map(({ bucket, decision, reason }) => ({ bucket, decision, reason })),
  };
  await publishEvent(
    awsClient(EventBridgeClient),
    REMEDIATION_COMPLETED,
    detail,
    settings.eventBusName,
  );
  publishMetrics(decisions);
  logger.info('Remediation run recorded', {
    runId: trigger.runId,
    recordKey,
    buckets: buckets.length,
  });
  return { runId: trigger.runId, mode: settings.mode, recordKey, decisions };
}
