import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../../lambdas/json-report/handler';
import { ChangeTracker } from '../../../lambdas/shared/changes';
import { countFindings, type Finding } from '../../../lambdas/shared/findings';
import { logger, MalformedEventError, metrics } from '../../../lambdas/shared/observability';
import { reportKey } from '../../../lambdas/shared/store';
import { fakeContext } from '../../helpers/lambda-context';
import {
  BUCKET,
  eventOf,
  finding,
  jsonl,
  noSuchKey,
  s3Body,
  SCAN_ID,
  scanCompletedEvent,
  scanDetail,
  STARTED_AT,
} from './fixtures';

const s3 = mockClient(S3Client);

/** The state the scanner would have written for these findings. */
function stateOf(list: readonly Finding[]) {
  const tracker = new ChangeTracker(undefined, { scanId: SCAN_ID, startedAt: STARTED_AT });
  for (const f of list) tracker.apply(f);
  return tracker.finish(['us-east-1']);
}
const ctx = fakeContext('json-report-test');
const findings = [
  finding({ severity: 'critical', checkId: 's3_public', controlIds: ['S3.2'] }),
  finding({ status: 'PASS', resource: { uid: 'arn:aws:s3:::b' } }),
  finding({ status: 'ERROR', resource: { uid: 'arn:aws:s3:::c' } }),
];
const detail = scanDetail({ counts: countFindings(findings) });
const originalBucket = process.env.AUDIT_BUCKET;

function putBody(): Record<string, unknown> {
  const put = s3.commandCalls(PutObjectCommand)[0].args[0].input;
  return JSON.parse(put.Body as string) as Record<string, unknown>;
}

beforeEach(() => {
  s3.reset();
  process.env.AUDIT_BUCKET = BUCKET;
  jest.spyOn(logger, 'info').mockImplementation(() => undefined);
  jest.spyOn(logger, 'warn').mockImplementation(() => undefined);
  jest.spyOn(logger, 'error').mockImplementation(() => undefined);
  jest.spyOn(metrics, 'publishStoredMetrics').mockReturnThis();
});

afterEach(() => jest.restoreAllMocks());

afterAll(() => {
  if (originalBucket === undefined) delete process.env.AUDIT_BUCKET;
  else process.env.AUDIT_BUCKET = originalBucket;
});

describe('json-report handler', () => {
  it('reads the findings object the event names and writes report.json encrypted', async () => {
    // Arrange
    s3.on(GetObjectCommand).resolves({ Body: s3Body(jsonl(findings)) });
    s3.on(PutObjectCommand).resolves({});

    // Act
    const result = await handler(scanCompletedEvent(detail), ctx);

    // Assert
    const key = reportKey(SCAN_ID, STARTED_AT, 'json');
    expect(key).toBe(`reports/dt=2026-11-25/${SCAN_ID}/report.json`);
    expect(result).toEqual({
      key,
      findings: 3,
      changesKey: `reports/dt=2026-11-25/${SCAN_ID}/changes.json`,
      htmlKey: `reports/dt=2026-11-25/${SCAN_ID}/report.html`,
    });
    expect(s3).toHaveReceivedCommandTimes(GetObjectCommand, 2);
    expect(s3).toHaveReceivedCommandWith(GetObjectCommand, {
      Bucket: BUCKET,
      Key: detail.findingsKey,
    });
    expect(s3).toHaveReceivedCommandWith(GetObjectCommand, {
      Bucket: BUCKET,
      Key: `state/dt=2026-11-25/${SCAN_ID}.json`,
    });
    expect(s3).toHaveReceivedCommandTimes(PutObjectCommand, 3);
    expect(s3).toHaveReceivedCommandWith(PutObjectCommand, {
      Bucket: BUCKET,
      Key: key,
      ContentType: 'application/json',
    });
    expect(s3).toHaveReceivedCommandWith(PutObjectCommand, {
      Bucket: BUCKET,
      Key: result.htmlKey,
      ContentType: 'text/html; charset=utf-8',
    });
  });

  it('writes the summary and every finding', async () => {
    // Arrange
    s3.on(GetObjectCommand).resolves({ Body: s3Body(jsonl(findings)) });
    s3.on(GetObjectCommand, { Key: `state/dt=2026-11-25/${SCAN_ID}.json` }).resolves({
      Body: s3Body(JSON.stringify(stateOf(findings))),
    });

    // Act
    await handler(scanCompletedEvent(detail), ctx);

    // Assert
    const report = putBody();
    expect(report).toMatchObject({
      scanId: SCAN_ID,
      startedAt: detail.startedAt,
      finishedAt: detail.finishedAt,
      summary: {
        total: 3,
        byStatus: { FAIL: 1, PASS: 1, ERROR: 1, SUPPRESSED: 0 },
        bySeverity: { critical: 1, high: 0 },
        byControl: { 'S3.2': { fail: 1, total: 1 } },
      },
    });
    expect(Date.parse(report.generatedAt as string)).not.toBeNaN();
    expect(report.findings).toEqual(findings);
    expect(logger.warn).not.toHaveBeenCalled();
  });

  it('logs a warning when the event counts disagree with the findings, and reports the findings', async () => {
    // Arrange
    s3.on(GetObjectCommand).resolves({ Body: s3Body(jsonl(findings)) });
    const wrong = scanDetail({ counts: { ...countFindings(findings), critical: 5 } });

    // Act
    await handler(scanCompletedEvent(wrong), ctx);

    // Assert
    expect(logger.warn).toHaveBeenCalledWith(
      'Scan event counts disagree with the findings object',
      expect.objectContaining({ mismatches: ['critical: reported=5 actual=1'] }),
    );
    expect(putBody()).toMatchObject({ summary: { bySeverity: { critical: 1 } } });
  });

  it('throws when the findings object is missing and writes nothing', async () => {
    // Arrange
    s3.on(GetObjectCommand).rejects(noSuchKey());

    // Act / Assert
    await expect(handler(scanCompletedEvent(detail), ctx)).rejects.toThrow(
      `Findings object s3://${BUCKET}/${detail.findingsKey} does not exist`,
    );
    expect(s3).toHaveReceivedCommandTimes(PutObjectCommand, 0);
  });

  it.each([
    ['a detail without findingsKey', scanCompletedEvent({ ...detail, findingsKey: undefined })],
    ['negative counts', scanCompletedEvent({ ...detail, counts: { ...detail.counts, high: -1 } })],
    ['a bad date', scanCompletedEvent({ ...detail, startedAt: 'yesterday' })],
    ['another detail-type', eventOf('compliance.audit', 'Compliance Scan Request', detail)],
    ['another source', eventOf('aws.config', 'Compliance Scan Completed', detail)],
    ['no envelope at all', { hello: 'world' }],
  ])('rejects %s with MalformedEventError and touches nothing', async (_what, event) => {
    // Act / Assert
    await expect(handler(event as never, ctx)).rejects.toBeInstanceOf(MalformedEventError);
    expect(s3.calls()).toHaveLength(0);
    expect(logger.error).toHaveBeenCalledTimes(1);
  });
});
