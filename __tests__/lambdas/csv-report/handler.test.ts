import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../../lambdas/csv-report/handler';
import { CSV_COLUMNS } from '../../../lambdas/csv-report/csv';
import { countFindings } from '../../../lambdas/shared/findings';
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
} from '../json-report/fixtures';
import { parseCsv } from './rfc4180';

const s3 = mockClient(S3Client);
const ctx = fakeContext('csv-report-test');
const findings = [
  finding({ statusDetail: 'Bucket "a, b" is open' }),
  finding({ status: 'PASS', resource: { uid: 'arn:aws:s3:::b', name: '=1+1' } }),
];
const detail = scanDetail({ counts: countFindings(findings) });
const originalBucket = process.env.AUDIT_BUCKET;

beforeEach(() => {
  s3.reset();
  process.env.AUDIT_BUCKET = BUCKET;
  jest.spyOn(logger, 'info').mockImplementation(() => undefined);
  jest.spyOn(logger, 'error').mockImplementation(() => undefined);
  jest.spyOn(metrics, 'publishStoredMetrics').mockReturnThis();
});

afterEach(() => jest.restoreAllMocks());

afterAll(() => {
  if (originalBucket === undefined) delete process.env.AUDIT_BUCKET;
  else process.env.AUDIT_BUCKET = originalBucket;
});

describe('csv-report handler', () => {
  it('reads the findings object and writes report.csv with the CSV content type, encrypted', async () => {
    // Arrange
    s3.on(GetObjectCommand).resolves({ Body: s3Body(jsonl(findings)) });
    s3.on(PutObjectCommand).resolves({});

    // Act
    const result = await handler(scanCompletedEvent(detail), ctx);

    // Assert
    const key = reportKey(SCAN_ID, STARTED_AT, 'csv');
    expect(key).toBe(`reports/dt=2026-11-25/${SCAN_ID}/report.csv`);
    expect(result).toEqual({ key, rows: 2 });
    expect(s3).toHaveReceivedCommandWith(GetObjectCommand, {
      Bucket: BUCKET,
      Key: detail.findingsKey,
    });
    expect(s3).toHaveReceivedCommandTimes(PutObjectCommand, 1);
    expect(s3).toHaveReceivedCommandWith(PutObjectCommand, {
      Bucket: BUCKET,
      Key: key,
      ContentType: 'text/csv; charset=utf-8; header=present',
    });
  });

  it('writes a header row and one escaped row per finding', async () => {
    // Arrange
    s3.on(GetObjectCommand).resolves({ Body: s3Body(jsonl(findings)) });

    // Act
    await handler(scanCompletedEvent(detail), ctx);

    // Assert
    const body = s3.commandCalls(PutObjectCommand)[0].args[0].input.Body as string;
    const rows = parseCsv(body);
    expect(rows).toHaveLength(3);
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    expect(rows[1][CSV_COLUMNS.indexOf('statusDetail')]).toBe('Bucket "a, b" is open');
    expect(rows[2][CSV_COLUMNS.indexOf('resourceName')]).toBe("'=1+1");
    expect(rows[2][CSV_COLUMNS.indexOf('status')]).toBe('PASS');
  });

  it('throws when the findings object is missing and writes nothing', async () => {
    // Arrange
    s3.on(GetObjectCommand).rejects(noSuchKey());

    // Act / Assert
    await expect(handler(scanCompletedEvent(detail), ctx)).rejects.toThrow(/does not exist/);
    expect(s3).toHaveReceivedCommandTimes(PutObjectCommand, 0);
  });

  it('rethrows other S3 errors (e.g. AccessDenied) and writes nothing', async () => {
    // Arrange
    s3.on(GetObjectCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDenied' }));

    // Act / Assert
    await expect(handler(scanCompletedEvent(detail), ctx)).rejects.toThrow('denied');
    expect(s3).toHaveReceivedCommandTimes(PutObjectCommand, 0);
  });

  it.each([
    ['a detail without scanId', scanCompletedEvent({ ...detail, scanId: '' })],
    ['a detail without counts', scanCompletedEvent({ ...detail, counts: undefined })],
    [
      'another detail-type',
      eventOf('compliance.audit', 'Compliance Remediation Completed', detail),
    ],
  ])('rejects %s with MalformedEventError and touches nothing', async (_what, event) => {
    // Act / Assert
    await expect(handler(event, ctx)).rejects.toBeInstanceOf(MalformedEventError);
    expect(s3.calls()).toHaveLength(0);
  });
});
