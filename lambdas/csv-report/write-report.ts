/**
 * Reads one scan's findings from the audit bucket and writes its report.csv.
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
import { logger } from '../shared/observability';
import { putText, readFindings, reportKey } from '../shared/store';
import { buildCsv } from './csv';

/** `header=present` is the RFC 4180 (text/csv registration) parameter for a header row. */
export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8; header=present';

export interface WrittenCsv {
  key: string;
  rows: number;
}

export async function writeCsvReport(
  s3: S3Client,
  bucket: string,
  detail: ScanCompletedDetail,
): Promise<WrittenCsv> {
  const findings = await readFindings(s3, bucket, detail.findingsKey);
  const key = reportKey(detail.scanId, detail.startedAt, 'csv');
  await putText(s3, bucket, key, buildCsv(findings), CSV_CONTENT_TYPE);
  logger.info('Wrote CSV report', { scanId: detail.scanId, key, rows: findings.length });
  return { key, rows: findings.length };
}
