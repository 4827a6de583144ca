import { publishBytes, SNS_MAX_BYTES } from '../../../lambdas/alert-notifier/message';
import {
  buildScanAlert,
  compareScans,
  skipReason,
} from '../../../lambdas/alert-notifier/scan-alert';
import type { Finding } from '../../../lambdas/shared/findings';
import { finding, scanDetail } from '../json-report/fixtures';

const REPORT_URI = 's3://bucket/reports/dt=2026-11-25/scan/report.json';
const bucket = (name: string, overrides: Parameters<typeof finding>[0] = {}): Finding =>
  finding({ ...overrides, resource: { uid: `arn:aws:s3:::${name}`, name } });

describe('compareScans', () => {
  it('keeps only FAIL findings at or above the threshold, highest severity first', () => {
    // Arrange
    const current = [
      bucket('medium', { severity: 'medium' }),
      bucket('high', { severity: 'high' }),
      bucket('critical', { severity: 'critical' }),
      bucket('passing', { severity: 'critical', status: 'PASS' }),
      bucket('errored', { severity: 'critical', status: 'ERROR' }),
      bucket('suppressed', { severity: 'critical', status: 'SUPPRESSED' }),
    ];

    // Act
    const high = compareScans(current, undefined, 'high');
    const medium = compareScans(current, undefined, 'medium');
    const critical = compareScans(current, undefined, 'critical');

    // Assert
    expect(high.alerting.map((f) => f.resource.name)).toEqual(['critical', 'high']);
    expect(medium.alerting.map((f) => f.resource.name)).toEqual(['critical', 'high', 'medium']);
    expect(critical.alerting.map((f) => f.resource.name)).toEqual(['critical']);
    expect(high.highest).toBe('critical');
  });

  it('without a previous scan, counts every alerting finding as new', () => {
    // Arrange
    const current = [bucket('a'), bucket('b')];

    // Act
    const c = compareScans(current, undefined, 'high');

    // Assert
    expect(c).toMatchObject({
      newCount: 2,
      stillOpenCount: 0,
      resolvedCount: 0,
      unverifiedCount: 0,
    });
    expect(c.previousScanId).toBeUndefined();
  });

  it('splits new from still open and counts resolved against the previous scan', () => {
    // Arrange
    const previous = {
      scanId: 'scan-prev',
      findings: [
        bucket('still-open'),
        bucket('fixed'),
        bucket('deleted'),
        bucket('was-passing', { status: 'PASS' }),
        bucket('low-fixed', { severity: 'low' }),
      ],
    };
    const current = [
      bucket('still-open'),
      bucket('fixed', { status: 'PASS' }),
      bucket('was-passing'),
      bucket('brand-new', { severity: 'critical' }),
    ];

    // Act
    const c = compareScans(current, previous, 'high');

    // Assert
    expect(c.alerting.map((f) => f.resource.name)).toEqual([
      'brand-new',
      'was-passing',
      'still-open',
    ]);
    expect([...c.newUids]).toEqual([current[2].uid, current[3].uid]);
    expect(c).toMatchObject({
      newCount: 2,
      stillOpenCount: 1,
      resolvedCount: 2, // fixed + deleted; low-fixed is below the threshold
      unverifiedCount: 0,
      previousScanId: 'scan-prev',
    });
  });

  it('does not call a failure resolved when its check errored this time', () => {
    // Arrange
    const previous = { scanId: 'p', findings: [bucket('x'), bucket('y'), bucket('z')] };
    const current = [
      bucket('x', { status: 'ERROR' }),
      // A service-wide error for the same check, account and region hides y and z.
      finding({ status: 'ERROR', resource: { uid: 'arn:aws:s3:::*', name: 's3' } }),
    ];

    // Act
    const c = compareScans(current, previous, 'high');

    // Assert
    expect(c).toMatchObject({ resolvedCount: 0, unverifiedCount: 3, newCount: 0 });
  });

  it('counts a previous failure in a region this scan did not cover as not re-checked', () => {
    // Arrange: a full scan found eu-west-1 failing; an on-demand scan covered us-east-1 only
    const eu = bucket('eu-data', { region: 'eu-west-1' });
    const us = bucket('us-data', { region: 'us-east-1', status: 'PASS' });
    const previous = { scanId: 'p', findings: [eu, bucket('us-data', { region: 'us-east-1' })] };

    // Act
    const c = compareScans([us], previous, 'high', ['us-east-1']);

    // Assert
    expect(c).toMatchObject({ resolvedCount: 1, unverifiedCount: 1 });
  });

  it('alerts when checks could not run, even with nothing failed', () => {
    // Arrange
    const current = [bucket('a', { status: 'ERROR' })];

    // Act
    const c = compareScans(current, undefined, 'high');
    const msg = buildScanAlert({
      detail: scanDetail(),
      current,
      comparison: c,
      environment: 'prod',
      reportUri: REPORT_URI,
    });

    // Assert
    expect(skipReason(c)).toBeUndefined();
    expect(msg.subject).toBe(
      '[prod] Compliance scan: 1 checks could not run, nothing high+ failed',
    );
  });

  it('skips only when nothing is at or above the threshold', () => {
    // Arrange
    const lowOnly = [bucket('a', { severity: 'low' })];

    // Act / Assert
    expect(skipReason(compareScans(lowOnly, undefined, 'high'))).toBe(
      'no failed finding at or above high, nothing new, no check errored and no suppression expired',
    );
    expect(skipReason(compareScans(lowOnly, undefined, 'low'))).toBeUndefined();
    const stillOpenOnly = compareScans(
      [bucket('a')],
      { scanId: 'p', findings: [bucket('a')] },
      'high',
    );
    expect(stillOpenOnly.newCount).toBe(0);
    expect(skipReason(stillOpenOnly)).toBeUndefined();
  });
});

describe('buildScanAlert', () => {
  const previous = { scanId: 'scan-prev', findings: [bucket('old'), bucket('gone')] };
  const current = [
    bucket('old'),
    bucket('new-crit', { severity: 'critical', statusDetail: 'Bucket new-crit is public.' }),
    bucket('ok', { status: 'PASS' }),
    bucket('err', { status: 'ERROR', checkId: 'other' }),
  ];

  it('lists the findings with new before still open, the counts, and the report pointer', () => {
    // Arrange
    const comparison = compareScans(current, previous, 'high');

    // Act
    const msg = buildScanAlert({
      detail: scanDetail(),
      current,
      comparison,
      environment: 'dev',
      reportUri: REPORT_URI,
    });

    // Assert
    expect(msg.truncated).toBe(false);
    expect(msg.message).toContain('Compared with previous scan: scan-prev');
    expect(msg.message).toContain('New: 1  Still open: 1  Resolved since previous scan: 1');
    expect(msg.message).toContain('Failed findings at or above high: 2 (critical 1, high 1)');
    expect(msg.message).toContain('Whole scan: 4 findings, 2 failed, 1 passed, 1 errors');
    expect(msg.message).toContain(`Full report: ${REPORT_URI}`);
    const crit = msg.message.indexOf('[CRITICAL] NEW S3.17, CIS-5.0 2.1.1 | arn:aws:s3:::new-crit');
    const old = msg.message.indexOf('[HIGH] STILL OPEN S3.17, CIS-5.0 2.1.1 | arn:aws:s3:::old');
    expect(crit).toBeGreaterThan(0);
    expect(old).toBeGreaterThan(crit);
    expect(msg.message).toContain('Bucket new-crit is public.');
    expect(msg.message).not.toContain('arn:aws:s3:::ok');
  });

  it('labels the message with the highest severity, event type, new count and environment', () => {
    // Arrange
    const comparison = compareScans(current, previous, 'high');

    // Act
    const msg = buildScanAlert({
      detail: scanDetail(),
      current,
      comparison,
      environment: 'prod',
      reportUri: REPORT_URI,
    });

    // Assert
    expect(msg.attributes).toEqual({
      severity: { DataType: 'String', StringValue: 'critical' },
      eventType: { DataType: 'String', StringValue: 'scan-completed' },
      newFindings: { DataType: 'Number', StringValue: '1' },
      environment: { DataType: 'String', StringValue: 'prod' },
    });
    expect(msg.subject).toBe(
      '[prod] Compliance scan: 1 new, 1 still open high+ findings, 1 resolved (highest critical)',
    );
    expect(msg.subject.length).toBeLessThan(100);
  });

  it('falls back to a summary, the top findings and the report pointer when the list exceeds 256 KiB', () => {
    // Arrange: 4000 findings with multi-byte details, about 1.3 MB listed in full
    const many = Array.from({ length: 4000 }, (_, i) =>
      bucket(`bucket-${String(i).padStart(4, '0')}`, {
        severity: i % 10 === 0 ? 'critical' : 'high',
        statusDetail: `Bucket ${i} — ${'ünverschlüsselt '.repeat(15)}`,
      }),
    );
    const comparison = compareScans(many, undefined, 'high');

    // Act
    const msg = buildScanAlert({
      detail: scanDetail(),
      current: many,
      comparison,
      environment: 'dev',
      reportUri: REPORT_URI,
    });

    // Assert
    expect(msg.truncated).toBe(true);
    expect(publishBytes(msg)).toBeLessThanOrEqual(SNS_MAX_BYTES);
    expect(Buffer.byteLength(msg.message, 'utf8')).toBeLessThan(262_144);
    expect(msg.message).toContain(`Full report: ${REPORT_URI}`);
    expect(msg.message).toContain(`Showing the top ${msg.shown} of 4000 findings`);
    expect(msg.message).toContain(
      'Failed findings at or above high: 4000 (critical 400, high 3600)',
    );
    expect(msg.shown).toBeGreaterThan(100);
    expect(msg.shown).toBeLessThan(4000);
    // The top of the list is the critical findings.
    expect(msg.message.indexOf('[CRITICAL]')).toBeLessThan(msg.message.indexOf('[HIGH]'));
  });
});

describe('alerts use the change states the scanner gives findings', () => {
  it('counts new and reopened as new, still-failing as still open, whatever the previous scan says', () => {
    // Arrange: the previous scan is not needed when findings carry their state
    const current = [
      bucket('a', { change: 'new' }),
      bucket('b', { change: 'reopened' }),
      bucket('c', { change: 'still-failing' }),
    ];

    // Act
    const c = compareScans(current, undefined, 'high');
    const msg = buildScanAlert({
      detail: scanDetail(),
      current,
      comparison: c,
      environment: 'test',
      reportUri: REPORT_URI,
    });

    // Assert
    expect([c.newCount, c.stillOpenCount]).toEqual([2, 1]);
    expect(msg.message).toContain('] NEW ');
    expect(msg.message).toContain('] REOPENED ');
    expect(msg.message).toContain('] STILL OPEN ');
  });

  it('never alerts on SUPPRESSED findings, and names the owner of an expired suppression', () => {
    // Arrange
    const current = [
      bucket('hidden', {
        status: 'SUPPRESSED',
        change: 'new',
        suppression: { id: 'web', owner: 'web@example.com', reason: 'site', expires: '2027-01-31' },
      }),
      bucket('back', {
        severity: 'low',
        change: 'still-failing',
        suppression: {
          id: 'legacy',
          owner: 'jane@example.com',
          reason: 'archive',
          expires: '2026-10-31',
          expired: true,
        },
      }),
    ];

    // Act
    const c = compareScans(current, undefined, 'high');
    const msg = buildScanAlert({
      detail: scanDetail(),
      current,
      comparison: c,
      environment: 'test',
      reportUri: REPORT_URI,
    });

    // Assert: nothing at or above high alerts, yet the expired suppression keeps the message
    expect(c.alerting).toEqual([]);
    expect(skipReason(c)).toBeUndefined();
    expect(c.expiredSuppressions).toEqual([
      { id: 'legacy', owner: 'jane@example.com', expires: '2026-10-31', findings: 1 },
    ]);
    expect(msg.subject).toContain('1 suppression(s) expired');
    expect(msg.message).toContain('- legacy: owner jane@example.com, expired after 2026-10-31');
    expect(msg.message).toContain('1 suppressed (not alerted)');
    expect(msg.message).not.toContain('arn:aws:s3:::hidden');
  });
});
