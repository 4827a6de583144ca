/**
 * Reads one scan's findings (and its state, for what is gone and the trend) from the audit bucket
 * and writes its report.json, changes.json and report.html.
 *
 * IAM actions:
 * - s3:GetObject on arn:aws:s3:::<audit bucket>/findings/* and …/state/*
 * - s3:ListBucket on arn:aws:s3:::<audit bucket> (so a missing findings object is reported as
 *   NoSuchKey, not AccessDenied)
 * - s3:PutObject on arn:aws:s3:::<audit bucket>/reports/*
 * - kms:Decrypt (read) and kms:GenerateDataKey (write, SSE-KMS) on the audit-data KMS key
 */
import type { S3Client } from '@aws-sdk/client-s3';
import type { ScanCompletedDetail } from '../shared/events';
import { countFindings } from '../shared/findings';
import { logger } from '../shared/observability';
import { buildChanges, parseState, type FindingState } from '../shared/changes';
import { errorMessage } from '../shared/errors';
import {
  changesKey,
  getText,
  putJson,
  putText,
  readFindings,
  reportKey,
  stateKey,
} from '../shared/store';
import { countMismatches } from '../shared/summary';
import { renderHtmlReport } from './html';
import { buildJsonReport, serializeJsonReport } from './report';

export interface WrittenReport {
  key: string;
  findings: number;
  changesKey: string;
  htmlKey: string;
}

/**
 * The scan's state (gone findings and the trend); undefined, logged, when it is missing or not a
 * state (a scanner older than states): the reports then list only the changes findings carry.
 */
async function readScanState(
  s3: S3Client,
  bucket: string,
  detail: ScanCompletedDetail,
): Promise<FindingState | undefined> {
  const key = stateKey(detail.scanId, detail.startedAt);
  const text = await getText(s3, bucket, key);
  try {
    const state = text === undefined ? undefined : parseState(text);
    if (!state)
      logger.warn('No state for this scan: gone findings and trend not reported', { key });
    return state;
  } catch (err) {
    logger.warn('Scan state is not JSON: gone findings and trend not reported', {
      key,
      error: errorMessage(err),
    });
    return undefined;
  }
}

export async function writeJsonReport(
  s3: S3Client,
  bucket: string,
  detail: ScanCompletedDetail,
  now: Date = new Date(),
): Promise<WrittenReport> {
  const [findings, state] = await Promise.all([
    readFindings(s3, bucket, detail.findingsKey),
    readScanState(s3, bucket, detail),
  ]);
  const mismatches = countMismatches(detail.counts, countFindings(findings));
  if (mismatches.length > 0) {
    // The findings object is the truth; the report is built from it either way.
    logger.warn('Scan event counts disagree with the findings object', {
      scanId: detail.scanId,
      findingsKey: detail.findingsKey,
      mismatches,
    });
  }
  const changes = buildChanges(detail.scanId, findings, state);
  const report = buildJsonReport(detail, findings, now.toISOString(), changes.counts);
  const key = reportKey(detail.scanId, detail.startedAt, 'json');
  await putText(s3, bucket, key, serializeJsonReport(report), 'application/json');
  const changesAt = changesKey(detail.scanId, detail.startedAt);
  await putJson(s3, bucket, changesAt, changes);
  const htmlKey = reportKey(detail.scanId, detail.startedAt, 'html');
  const html = renderHtmlReport({
    detail,
    summary: report.summary,
    findings,
    changes,
    history: state?.history,
    generatedAt: report.generatedAt,
  });
  await putText(s3, bucket, htmlKey, html, 'text/html; charset=utf-8');
  logger.info('Wrote JSON report, changes and HTML report', {
    scanId: detail.scanId,
    key,
    findings: findings.length,
    changes: changes.counts,
  });
  return { key, findings: findings.length, changesKey: changesAt, htmlKey };
}
