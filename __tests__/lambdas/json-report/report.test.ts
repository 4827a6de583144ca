import { buildJsonReport, serializeJsonReport } from '../../../lambdas/json-report/report';
import { finding, FINISHED_AT, SCAN_ID, scanDetail, STARTED_AT } from './fixtures';

const GENERATED_AT = '2026-11-25T06:04:00.000Z';

describe('buildJsonReport', () => {
  it('carries the scan identity, generation time, summary and every finding', () => {
    // Arrange
    const findings = [finding(), finding({ status: 'PASS', resource: { uid: 'arn:aws:s3:::b' } })];

    // Act
    const report = buildJsonReport(scanDetail(), findings, GENERATED_AT);

    // Assert
    expect(report).toMatchObject({
      scanId: SCAN_ID,
      startedAt: STARTED_AT,
      finishedAt: FINISHED_AT,
      generatedAt: GENERATED_AT,
      summary: { total: 2, byStatus: { FAIL: 1, PASS: 1 }, bySeverity: { high: 1 } },
    });
    expect(report.findings).toEqual(findings);
    expect(Object.keys(report)).toEqual([
      'scanId',
      'startedAt',
      'finishedAt',
      'generatedAt',
      'coverage',
      'summary',
      'findings',
    ]);
    expect(report.coverage).toBeNull();
  });

  it("carries the scan's coverage", () => {
    // Arrange
    const coverage = {
      basis: 'every region enabled for the account (2)',
      regionsScanned: ['us-east-1'],
      regionsFailed: [{ region: 'eu-west-1', reason: 'every call failed: AccessDenied (9 of 9)' }],
      checksRun: 30,
      checksErrored: ['EC2.2'],
      deadlineReached: false,
    };

    // Act
    const report = buildJsonReport({ ...scanDetail(), coverage }, [finding()], GENERATED_AT);

    // Assert
    expect(report.coverage).toEqual(coverage);
  });
});

describe('serializeJsonReport', () => {
  it('is valid JSON equal to the report, one finding per line', () => {
    // Arrange
    const findings = [finding(), finding({ resource: { uid: 'arn:aws:s3:::quote"and\nnewline' } })];
    const report = buildJsonReport(scanDetail(), findings, GENERATED_AT);

    // Act
    const text = serializeJsonReport(report);

    // Assert
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(report)));
    const findingLines = text.split('\n').filter((l) => l.startsWith('    {'));
    expect(findingLines.map((l) => JSON.parse(l.replace(/,$/, '')))).toEqual(findings);
    expect(text.endsWith('  ]\n}\n')).toBe(true);
  });

  it('writes an empty findings array as []', () => {
    // Arrange
    const report = buildJsonReport(scanDetail(), [], GENERATED_AT);

    // Act
    const text = serializeJsonReport(report);

    // Assert
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(report)));
    expect(text).toContain('"findings": []');
  });
});
