/**
 * One remediation run: resolve the target buckets, decide each one in order (mode, audit bucket,
 * cap, then the fixer), write every decision as JSONL to `remediation/dt=…/<runId>.jsonl` in the
 * audit bucket, then publish `Compliance Remediation Completed`. The cap counts `remediated`
 * (enforce) or `would-remediate` (dry-run) decisions; once reached, the remaining buckets are
 * `skipped-cap` without any API call. Buckets are handled one at a time so the cap is exact and
 * the record's order is stable. A run is idempotent: a bucket already fixed is `already-compliant`
 * with no write, so Lambda's retry of a failed invocation changes nothing twice.
 *
 * With ORG_REMEDIATION=members, a scan-triggered run of an organization scan decides every
 * account's buckets: the audit account's with the function's own role and the remediation key,
 * each member's through the remediation role the members stack put there (assumed once per
 * account, external id, session `compliance-remediation-<runId>`) with that account's own
 * customer-managed key — same modes, same judgement, one cap for the whole run. A member whose
 * role cannot be assumed gets a `failed` decision per bucket and the other accounts go on; the
 * organization's management account, which has no remediation role, is `exempt`.
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
 *   sts:AssumeRole        arn:aws:iam::*:role/<ORG_REMEDIATION_ROLE_NAME> (ORG_REMEDIATION=members)
 */
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { DescribeKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import {
  assumeMemberRole,
  REMEDIATION_SESSION_PREFIX,
  type MemberCredentials,
} from '../organization/member-session';
import { awsClient, clientOptions, configureClients, defaultRegion } from '../shared/clients';
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
import {
  fixS3DefaultEncryption,
  outOfRegion,
  type BucketDecision,
  type FixOptions,
} from './fixers/s3-default-encryption';
import { kmsArnRegion, type MemberRemediation, type RemediationSettings } from './settings';
import {
  bucketsFromFindings,
  REMEDIATED_CONTROL,
  type BucketTarget,
  type Trigger,
} from './triggers';

export type RunnableTrigger = Exclude<Trigger, { kind: 'ignored' }>;

export interface RemediationRunResult {
  readonly runId: string;
  readonly mode: RemediationSettings['mode'];
  /** Undefined when there was nothing to decide (no record, no event). */
  readonly recordKey?: string;
  readonly decisions: readonly AccountDecision[];
}

/**
 * A decision, naming its account when the run spans accounts (ORG_REMEDIATION=members) and the
 * key applied when it is a member account's own.
 */
export interface AccountDecision extends BucketDecision {
  readonly account?: string;
  readonly kmsKeyArn?: string;
}

/** One line of the JSONL record. */
export interface RemediationRecord extends AccountDecision {
  readonly runId: string;
  readonly mode: RemediationSettings['mode'];
  readonly trigger: RunnableTrigger['kind'];
  readonly configRuleName?: string;
  readonly kmsKeyArn?: string;
  readonly decidedAt: string;
}

/** The buckets to decide: the Config result's one, or the scan's failures this run may fix. */
async function targetBuckets(
  trigger: RunnableTrigger,
  settings: RemediationSettings,
): Promise<BucketTarget[]> {
  if (trigger.kind === 'config') return [{ account: trigger.account, bucket: trigger.bucket }];
  const findings = await readFindings(
    awsClient(S3Client),
    settings.auditBucket,
    trigger.findingsKey,
  );
  // ORG_REMEDIATION=members: every account of an organization scan; else this account's only.
  return bucketsFromFindings(findings, settings.members ? undefined : trigger.account);
}

/** The remediation key as KMS names it, and why it must not be applied (if it must not). */
export interface KeyCheck {
  /** The key's ARN (an alias resolved): what a remediated bucket's default encryption names. */
  readonly keyArn: string;
  readonly problem?: string;
}

/**
 * Checks the remediation key is an enabled, customer-managed key (S3 would accept any key id
 * without checking it) and resolves an alias to its key, so buckets name the key itself.
 */
export async function checkRemediationKey(kmsKeyArn: string): Promise<KeyCheck> {
  try {
    const kms = awsClient(KMSClient, kmsArnRegion(kmsKeyArn));
    const meta = (await kms.send(new DescribeKeyCommand({ KeyId: kmsKeyArn }))).KeyMetadata;
    const keyArn = meta?.Arn ?? kmsKeyArn;
    if (meta?.KeyManager !== 'CUSTOMER') {
      return { keyArn, problem: `remediation key ${kmsKeyArn} is not customer-managed` };
    }
    if (meta.KeyState !== 'Enabled') {
      return { keyArn, problem: `remediation key ${kmsKeyArn} is ${meta.KeyState}` };
    }
    return { keyArn };
  } catch (err) {
    return {
      keyArn: kmsKeyArn,
      problem: `remediation key ${kmsKeyArn} cannot be verified: ${errorName(err)}: ${errorMessage(err)}`,
    };
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

/** A bucket to decide, with its Region when a scan reported it. */
type Bucket = Pick<BucketTarget, 'bucket' | 'region'>;

/** The run's one cap, counted over every account. */
interface Cap {
  readonly max: number;
  changes: number;
}

/**
 * A bucket's decision when no call is needed — the audit bucket, a bucket the scan found outside
 * the key's Region, a cap already reached — else undefined (only the fixer can tell).
 */
function decidedWithoutCalls(
  { bucket, region }: Bucket,
  settings: RemediationSettings,
  keyRegion: string | undefined,
  cap: Cap,
): BucketDecision | undefined {
  if (bucket === settings.auditBucket) {
    // Terraform owns the audit bucket's encryption (its own key); never drift it from here.
    return { bucket, decision: 'exempt', reason: 'audit bucket, managed by the stack' };
  }
  if (region !== undefined && region !== keyRegion) return outOfRegion(bucket, region, keyRegion);
  if (cap.changes >= cap.max) {
    return { bucket, decision: 'skipped-cap', reason: `cap of ${cap.max} per run reached` };
  }
  return undefined;
}

/**
 * Decides `buckets` in order with the clients as they are configured (own or a member's), with
 * the key `kmsKeyArn` names (the key's ARN, resolved from an alias, is returned).
 */
async function decideBuckets(
  buckets: readonly Bucket[],
  settings: RemediationSettings,
  kmsKeyArn: string,
  cap: Cap,
): Promise<{ decisions: BucketDecision[]; keyArn: string }> {
  const { keyArn, problem: keyProblem } = await checkRemediationKey(kmsKeyArn);
  if (keyProblem) logger.error('Remediation key failed its pre-flight check', { keyProblem });
  const keyRegion = kmsArnRegion(keyArn);
  const decisions: BucketDecision[] = [];
  for (const target of buckets) {
    const known = decidedWithoutCalls(target, settings, keyRegion, cap);
    if (known) {
      decisions.push(known);
      continue;
    }
    const { bucket } = target;
    const decision = await fixS3DefaultEncryption(bucket, {
      mode: settings.mode as FixOptions['mode'],
      kmsKeyArn: keyArn,
      exemptTagKey: settings.exemptTagKey,
      keyProblem,
    });
    if (decision.decision === 'remediated' || decision.decision === 'would-remediate') {
      cap.changes += 1;
    }
    if (decision.decision === 'failed') {
      logger.warn('Bucket not remediated', { bucket, reason: decision.reason });
    }
    decisions.push(decision);
  }
  return { decisions, keyArn };
}

/**
 * A member account's buckets, through its remediation role and with its own key: the same
 * decisions as at home. The audit account's clients are restored whatever happens.
 */
async function decideMemberBuckets(
  account: string,
  buckets: readonly Bucket[],
  settings: RemediationSettings,
  members: MemberRemediation,
  runId: string,
  cap: Cap,
): Promise<AccountDecision[]> {
  const homeRegion = defaultRegion();
  const kmsKeyArn = memberKeyAlias(account, members);
  let credentials: MemberCredentials;
  try {
    credentials = await assumeMemberRole({
      homeRegion,
      account,
      roleName: members.roleName,
      externalId: members.externalId,
      scanId: runId,
      sessionPrefix: REMEDIATION_SESSION_PREFIX,
    });
  } catch (err) {
    // Nothing was changed in this account: every bucket says why, the other accounts go on.
    const reason = `not changed: cannot assume ${members.roleName} in ${account}: ${errorName(err)}: ${errorMessage(err)}`;
    logger.error('Member account not reachable', { account, reason });
    return buckets.map(({ bucket }) => ({
      account,
      bucket,
      decision: 'failed',
      reason,
      kmsKeyArn,
      error: errorName(err),
    }));
  }
  const own = clientOptions();
  configureClients({ ...own, credentials });
  try {
    const decided = await decideBuckets(buckets, settings, kmsKeyArn, cap);
    return decided.decisions.map((d) => ({ ...d, account, kmsKeyArn: decided.keyArn }));
  } finally {
    configureClients(own);
  }
}

/** A member's own key, by its alias ARN in this region (resolved to the key before any bucket names it). */
function memberKeyAlias(account: string, members: MemberRemediation): string {
  const region = defaultRegion();
  return `arn:${partitionOf(region)}:kms:${region}:${account}:${members.keyAlias}`;
}

/** Targets grouped by account, accounts in the order they first appear. */
function byAccount(targets: readonly BucketTarget[]): Map<string, BucketTarget[]> {
  const groups = new Map<string, BucketTarget[]>();
  for (const t of targets) groups.set(t.account, [...(groups.get(t.account) ?? []), t]);
  return groups;
}

async function decideAll(
  targets: readonly BucketTarget[],
  settings: RemediationSettings,
  trigger: RunnableTrigger,
): Promise<AccountDecision[]> {
  const { members } = settings;
  // Across accounts, each decision names its account.
  const withAccount = (account: string, d: BucketDecision): AccountDecision =>
    members ? { ...d, account } : d;
  if (settings.mode === 'off') {
    // Off: no S3 call at all; the record still shows what was asked for.
    return targets.map((t) =>
      withAccount(t.account, {
        bucket: t.bucket,
        decision: 'skipped-off',
        reason: 'REMEDIATION_MODE is off',
      }),
    );
  }
  const cap: Cap = { max: settings.maxPerRun, changes: 0 };
  const decisions: AccountDecision[] = [];
  for (const [account, buckets] of byAccount(targets)) {
    const isMember = members !== undefined && account !== trigger.account;
    if (isMember && account === members.managementAccount) {
      // StackSets never deploy there, and no stack gives anyone write access to it.
      for (const { bucket } of buckets) {
        decisions.push({
          account,
          bucket,
          decision: 'exempt',
          reason:
            'management account of the organization: ORG_REMEDIATION=members changes member accounts only',
        });
      }
    } else if (isMember) {
      // The member key is in this Region. No session is opened in an account where no bucket
      // needs a call (all elsewhere, or the cap reached).
      const known = buckets.map((b) => decidedWithoutCalls(b, settings, defaultRegion(), cap));
      if (known.every((d) => d !== undefined)) {
        const kmsKeyArn = memberKeyAlias(account, members);
        decisions.push(...known.map((d) => ({ ...d!, account, kmsKeyArn })));
      } else {
        decisions.push(
          ...(await decideMemberBuckets(account, buckets, settings, members, trigger.runId, cap)),
        );
      }
    } else {
      const own = await decideBuckets(buckets, settings, settings.kmsKeyArn!, cap);
      decisions.push(
        ...own.decisions.map((d) => ({ ...withAccount(account, d), kmsKeyArn: own.keyArn })),
      );
    }
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
  const targets = await targetBuckets(trigger, settings);
  if (targets.length === 0) {
    logger.info('Nothing to remediate', { runId: trigger.runId, trigger: trigger.kind });
    return { runId: trigger.runId, mode: settings.mode, decisions: [] };
  }

  const suppressed =
    trigger.kind === 'config' && settings.mode !== 'off'
      ? await suppressedDecision(trigger, settings, now())
      : undefined;
  const decisions: AccountDecision[] = suppressed
    ? [suppressed]
    : await decideAll(targets, settings, trigger);

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
    // The audit account's key, for its own buckets only (a member decision names its own key).
    ...(settings.mode === 'off' || (d.account !== undefined && d.account !== trigger.account)
      ? {}
      : { kmsKeyArn: settings.kmsKeyArn }),
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
    ).map(({ account, bucket, decision, reason }) => ({
      ...(account ? { account } : {}),
      bucket,
      decision,
      reason,
    })),
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
    buckets: targets.length,
  });
  return { runId: trigger.runId, mode: settings.mode, recordKey, decisions };
}
