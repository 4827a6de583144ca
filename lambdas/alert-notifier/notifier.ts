/**
 * alert-notifier's I/O: reads the scan's findings (and the previous scan's, found through
 * latest.json) from the audit bucket and publishes at most one SNS message per event.
 *
 * IAM actions:
 * - s3:GetObject on arn:aws:s3:::<audit bucket>/findings/*, …/latest.json and …/suppressions/*
 *   (a Config alert about a resource whose rule's controls are all suppressed is not sent)
 * - s3:ListBucket on arn:aws:s3:::<audit bucket> (so a missing latest.json or previous findings
 *   object reads as NoSuchKey, not AccessDenied)
 * - kms:Decrypt on the audit-data KMS key (SSE-KMS objects)
 * - sns:Publish on the alert topic (ALERT_TOPIC_ARN)
 * - kms:GenerateDataKey* and kms:Decrypt on the alerts KMS key (publishing to an SSE-KMS topic)
 */
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { S3Client } from '@aws-sdk/client-s3';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { envOr, requireEnv } from '../shared/env';
import { ENV } from '../shared/env-names';
import type {
  ConfigComplianceChangeDetail,
  RemediationCompletedDetail,
  ScanCompletedDetail,
} from '../shared/events';
import { isSeverity, SEVERITIES, type Finding, type Severity } from '../shared/findings';
import { logger, metrics } from '../shared/observability';
import {
  getText,
  parseJsonl,
  readFindings,
  readLatest,
  readSuppressor,
  reportKey,
} from '../shared/store';
import {
  buildConfigAlert,
  configSkipReason,
  configSuppressions,
  ruleControlsSchema,
  type RuleControls,
} from './config-alert';
import { toPublishInput, type AlertEventType, type AlertMessage } from './message';
import { buildRemediationAlert, remediationSkipReason } from './remediation-alert';
import { buildScanAlert, compareScans, skipReason, type PreviousScan } from './scan-alert';

/** Lowest severity that alerts when ALERT_MIN_SEVERITY is not set. */
export const DEFAULT_ALERT_MIN_SEVERITY: Severity = 'high';

export interface NotifierConfig {
  topicArn: string;
  threshold: Severity;
  environment: string;
  bucket: string;
  /** Config rule → resource type → scanner check ids (CONFIG_RULE_CONTROLS; empty when unset). */
  ruleControls: RuleControls;
}

function parseRuleControls(text: string): RuleControls {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    doc = undefined;
  }
  const parsed = ruleControlsSchema.safeParse(doc);
  if (!parsed.success) {
    throw new Error(
      `Environment variable ${ENV.configRuleControls} must be a JSON object {"<rule>": {"<resource type>": ["<check id>", …]}}, got ${JSON.stringify(text.slice(0, 80))}`,
    );
  }
  return parsed.data;
}

export function loadNotifierConfig(): NotifierConfig {
  const threshold = envOr(ENV.alertMinSeverity, DEFAULT_ALERT_MIN_SEVERITY).trim().toLowerCase();
  if (!isSeverity(threshold)) {
    throw new Error(
      `Environment variable ${ENV.alertMinSeverity} must be one of ${SEVERITIES.join('|')}, got "${threshold}"`,
    );
  }
  return {
    topicArn: requireEnv(ENV.alertTopicArn),
    threshold,
    environment: requireEnv(ENV.environmentSuffix),
    bucket: requireEnv(ENV.auditBucket),
    ruleControls: parseRuleControls(envOr(ENV.configRuleControls, '{}')),
  };
}

export interface Clients {
  s3: S3Client;
  sns: SNSClient;
}

export interface NotifyOutcome {
  eventType: AlertEventType;
  published: boolean;
  messageId?: string;
  /** Why nothing was published. */
  reason?: string;
}

async function publish(
  sns: SNSClient,
  cfg: NotifierConfig,
  eventType: AlertEventType,
  msg: AlertMessage,
): Promise<NotifyOutcome> {
  const out = await sns.send(new PublishCommand(toPublishInput(cfg.topicArn, msg)));
  metrics.addMetric('AlertsPublished', MetricUnit.Count, 1);
  logger.info('Published alert', { eventType, subject: msg.subject, messageId: out.MessageId });
  return { eventType, published: true, messageId: out.MessageId };
}

function skipped(eventType: AlertEventType, reason: string, context: object): NotifyOutcome {
  logger.info('No alert published', { eventType, reason, ...context });
  return { eventType, published: false, reason };
}

/**
 * The scan before `scanId`: latest.json's `previous` when latest.json points at this scan.
 * Otherwise (no pointer, or a newer scan already replaced it) there is no baseline and every
 * finding counts as new.
 */
export async function findPreviousScan(
  s3: S3Client,
  bucket: string,
  scanId: string,
): Promise<PreviousScan | undefined> {
  const latest = await readLatest(s3, bucket);
  if (!latest || latest.scanId !== scanId || !latest.previous) {
    logger.info('No previous scan to compare with; every finding counts as new', {
      scanId,
      latestScanId: latest?.scanId,
      hasPrevious: Boolean(latest?.previous),
    });
    return undefined;
  }
  const { scanId: previousId, findingsKey } = latest.previous;
  const text = await getText(s3, bucket, findingsKey);
  if (text === undefined) {
    logger.warn('Previous scan findings are missing; every finding counts as new', {
      scanId,
      previousScanId: previousId,
      findingsKey,
    });
    return undefined;
  }
  return { scanId: previousId, findings: parseJsonl<Finding>(text, findingsKey) };
}

export async function notifyScanCompleted(
  clients: Clients,
  cfg: NotifierConfig,
  detail: ScanCompletedDetail,
): Promise<NotifyOutcome> {
  const [current, previous] = await Promise.all([
    readFindings(clients.s3, cfg.bucket, detail.findingsKey),
    findPreviousScan(clients.s3, cfg.bucket, detail.scanId),
  ]);
  const comparison = compareScans(current, previous, cfg.threshold, detail.regions ?? []);
  const reason = skipReason(comparison);
  if (reason) {
    return skipped('scan-completed', reason, {
      scanId: detail.scanId,
      threshold: cfg.threshold,
      resolved: comparison.resolvedCount,
    });
  }
  const msg = buildScanAlert({
    detail,
    current,
    comparison,
    environment: cfg.environment,
    reportUri: `s3://${cfg.bucket}/${reportKey(detail.scanId, detail.startedAt, 'json')}`,
  });
  if (msg.truncated) {
    logger.info('Alert lists only the top findings (SNS size limit)', {
      scanId: detail.scanId,
      shown: msg.shown,
      total: comparison.alerting.length,
    });
  }
  return publish(clients.sns, cfg, 'scan-completed', msg);
}

export async function notifyConfigChange(
  clients: Clients,
  cfg: NotifierConfig,
  detail: ConfigComplianceChangeDetail,
  now: Date = new Date(),
): Promise<NotifyOutcome> {
  const context = { rule: detail.configRuleName, resourceId: detail.resourceId };
  const reason = configSkipReason(detail);
  if (reason) return skipped('config-noncompliant', reason, context);
  if (cfg.ruleControls[detail.configRuleName]?.[detail.resourceType]) {
    const read = await readSuppressor(clients.s3, cfg.bucket, now);
    if ('problem' in read) {
      // Alerting is the safe side: an unreadable suppressions object silences nothing.
      logger.warn('Suppressions unreadable: the Config alert goes out', { problem: read.problem });
    } else {
      const by = configSuppressions(detail, cfg.ruleControls, read.suppress);
      if (by) {
        const names = by.map((s) => `${s.id} (owner ${s.owner}, until ${s.expires})`).join(', ');
        return skipped('config-noncompliant', `suppressed by ${names}`, context);
      }
    }
  }
  return publish(
    clients.sns,
    cfg,
    'config-noncompliant',
    buildConfigAlert(detail, cfg.environment),
  );
}

export async function notifyRemediation(
  clients: Pick<Clients, 'sns'>,
  cfg: NotifierConfig,
  detail: RemediationCompletedDetail,
): Promise<NotifyOutcome> {
  const reason = remediationSkipReason(detail);
  if (reason) return skipped('remediation', reason, { runId: detail.runId, mode: detail.mode });
  const msg = buildRemediationAlert(
    detail,
    cfg.environment,
    `s3://${cfg.bucket}/${detail.recordKey}`,
  );
  return publish(clients.sns, cfg, 'remediation', msg);
}
