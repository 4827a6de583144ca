/**
 * One export run for a completed scan: read its findings, write them as OCSF Compliance Findings
 * (ocsf/dt=…/<scanId>.ocsf.jsonl), and with SECURITY_HUB_EXPORT=on import them into Security Hub
 * and record what happened (exports/dt=…/<scanId>/security-hub.json). Findings Security Hub did not
 * take after every retry make the run fail (after the record is written), so the function's error
 * alarm reports them.
 *
 * IAM actions:
 * - s3:GetObject on arn:aws:s3:::<audit bucket>/findings/*
 * - s3:PutObject on arn:aws:s3:::<audit bucket>/ocsf/* and …/exports/*
 * - s3:ListBucket on the audit bucket (a missing object reads as NoSuchKey)
 * - kms:Decrypt, kms:GenerateDataKey on the audit data key
 * - Security Hub: see security-hub.ts
 */
import type { S3Client } from '@aws-sdk/client-s3';
import type { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { ScanCompletedDetail } from '../shared/events';
import { EXPORT_METRICS } from '../shared/metric-names';
import { logger, metrics } from '../shared/observability';
import {
  exportRecordKey,
  JSONL_CONTENT_TYPE,
  ocsfKey,
  putJson,
  putText,
  readFindings,
  toJsonl,
} from '../shared/store';
import { defaultProductArn } from './asff';
import { toOcsf } from './ocsf';
import { exportToSecurityHub, type SecurityHubResult } from './security-hub';

export interface ExportConfig {
  readonly bucket: string;
  readonly securityHub: 'on' | 'off';
  /** Names this deployment: `compliance-audit-<suffix>`. */
  readonly provider: string;
  readonly account: string;
  readonly region: string;
  readonly partition: string;
}

export interface ExportResult {
  readonly scanId: string;
  readonly findings: number;
  readonly ocsfKey: string;
  readonly securityHub: 'off' | SecurityHubResult;
}

export class SecurityHubExportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecurityHubExportError';
  }
}

export async function runExport(
  clients: { s3: S3Client; securityHub: () => SecurityHubClient },
  cfg: ExportConfig,
  detail: ScanCompletedDetail,
  now: Date = new Date(),
  sleep?: (ms: number) => Promise<void>,
): Promise<ExportResult> {
  const findings = await readFindings(clients.s3, cfg.bucket, detail.findingsKey);
  const key = ocsfKey(detail.scanId, detail.startedAt);
  const product = { name: 'compliance-audit', vendorName: 'compliance-audit', uid: cfg.provider };
  await putText(
    clients.s3,
    cfg.bucket,
    key,
    toJsonl(findings.map((f) => toOcsf(f, product))),
    JSONL_CONTENT_TYPE,
  );
  logger.info('Wrote OCSF findings', { scanId: detail.scanId, key, findings: findings.length });
  if (cfg.securityHub === 'off') {
    return { scanId: detail.scanId, findings: findings.length, ocsfKey: key, securityHub: 'off' };
  }

  const productArn = defaultProductArn(cfg.partition, cfg.region, cfg.account);
  let result: SecurityHubResult;
  try {
    result = await exportToSecurityHub(clients.securityHub(), findings, {
      productArn,
      provider: cfg.provider,
      updatedAt: now.toISOString(),
      regions: detail.regions ?? [],
      sleep,
    });
  } catch (err) {
    const name = (err as { name?: string }).name;
    if (name === 'InvalidAccessException') {
      throw new SecurityHubExportError(
        `Security Hub is not enabled in ${cfg.region} for account ${cfg.account} (${name}): enable it, or set SECURITY_HUB_EXPORT=off`,
      );
    }
    throw err;
  }
  await putJson(clients.s3, cfg.bucket, exportRecordKey(detail.scanId, detail.startedAt), {
    scanId: detail.scanId,
    exportedAt: now.toISOString(),
    productArn,
    ...result,
  });
  metrics.addMetric(EXPORT_METRICS.imported, MetricUnit.Count, result.imported);
  metrics.addMetric(EXPORT_METRICS.archived, MetricUnit.Count, result.archived);
  metrics.addMetric(EXPORT_METRICS.failed, MetricUnit.Count, result.failed.length);
  logger.info('Exported to Security Hub', {
    scanId: detail.scanId,
    ...result,
    failed: result.failed.length,
  });
  if (result.failed.length > 0) {
    const sample = result.failed
      .slice(0, 5)
      .map((f) => `${f.id} (${f.operation} ${f.errorCode}: ${f.errorMessage})`)
      .join('; ');
    throw new SecurityHubExportError(
      `Security Hub did not take ${result.failed.length} finding(s) after ${3} attempts each, e.g. ${sample}. Every failure is in s3://${cfg.bucket}/${exportRecordKey(detail.scanId, detail.startedAt)}`,
    );
  }
  return { scanId: detail.scanId, findings: findings.length, ocsfKey: key, securityHub: result };
}
