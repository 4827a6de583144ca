/**
 * Reads one scan's findings from the audit bucket and writes its report.json.
 *
 * IAM actions:
 * - s3:GetObject on arn:aws:s3:::<audit bucket>/findings/*
 * - s3:ListBucket on arn:aws:s3:::<audit bucket> (so a missing findings object is reported as
 *   NoSuchKey, not AccessDenied)
 * - s3:PutObject on arn:aws:s3:::<audit bucket>/reports/*
 * - kms:Decrypt (read) and kms:GenerateDataKey (write, SSE-KMS) on the audit-data KMS key
 */
import type { S3Client } from '@aws-sdk/client-s3';
import type { ScanCompletedDetail } from '../shared/events';
import { countFindings } from '../shared/findings';
import { logger } from '../shared/observability';
import { putText, readFindings, reportKey } from '../shared/store';
import { countMismatches } from '../shared/summary';
import { buildJsonReport, serializeJsonReport } from './report';

export interface WrittenReport {
  key: string;
  findings: number;
}

export async function writeJsonReport(
  s3: S3Client,
  bucket: string,
  detail: ScanCompletedDetail,
  now: Date = new Date(),
): Promise<WrittenReport> {
  const findings = await readFindings(s3, bucket, detail.findingsKey);
  const mismatches = countMismatches(detail.counts, countFindings(findings));
  if (mismatches.length > 0) {
    // The findings object is the truth; the report is built from it either way.
    logger.warn('Scan event counts disagree with the findings object', {
      scanId: detail.scanId,
      findingsKey: detail.findingsKey,
      mismatches,
    });
  }
  const report = buildJsonReport(detail, findings, now.toISOString());
  const key = reportKey(detail.scanId, detail.startedAt, 'json');
  await putText(s3, bucket, key, serializeJsonReport(report), 'application/json');
  logger.info('Wrote JSON report', { scanId: detail.scanId, key, findings: findings.length });
  return { key, findings: findings.length };
}
