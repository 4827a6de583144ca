import type { Finding } from '../../../lambdas/shared/findings';
import {
  arnPattern,
  isActive,
  oneYearAfter,
  parseDay,
  parseSuppressions,
  suppressor,
  validateSuppressions,
  type SuppressionEntry,
} from '../../../lambdas/shared/suppressions';

const TODAY = new Date('2026-03-15T10:00:00Z');
const ENTRY: SuppressionEntry = {
  id: 'legacy-logs',
  checks: ['S3.14'],
  resource: 'arn:aws:s3:::legacy-logs-*',
  reason: 'Write-once archive; versioning adds nothing',
  owner: 'jane@example.com',
  expires: '2026-12-31',
};

function finding(over: Partial<Finding> = {}): Finding {
  return {
    uid: 'u1',
    checkId: 'S3.14',
    controlIds: ['S3.14'],
    title: 'S3 buckets should have versioning enabled',
    severity: 'low',
    status: 'FAIL',
    statusDetail: 'Bucket legacy-logs-1 has versioning off',
    resource: {
      uid: 'arn:aws:s3:::legacy-logs-1',
      type: 'AWS::S3::Bucket',
      region: 'us-east-1',
    },
    account: '123456789012',
    region: 'us-east-1',
    remediation: { desc: 'Enable versioning', references: [] },
    scanId: 's1',
    observedAt: '2026-03-15T10:00:00.000Z',
    ...over,
  };
}

describe('validateSuppressions', () => {
  it('accepts a complete entry and keeps it as written', () => {
    const result = validateSuppressions(
      { suppressions: [ENTRY] },
      { today: TODAY, knownChecks: new Set(['S3.14']) },
    );
    expect(result).toEqual({ entries: [ENTRY], problems: [], expired: [] });
  });

  it('accepts an empty file and an empty list', () => {
    expect(validateSuppressions({ suppressions: [] }).problems).toEqual([]);
    expect(validateSuppressions({ suppressions: null }).problems).toEqual([]);
  });

  it('names each invalid entry and every problem it has', () => {
    const { problems, entries } = validateSuppressions(
      {
        suppressions: [
          { ...ENTRY, id: 'no-owner', owner: '' },
          { ...ENTRY, id: 'too-far', expires: '2027-03-16' },
          { ...ENTRY, id: 'everything', resource: '*', checks: ['S3.99'] },
          { ...ENTRY, id: undefined, expires: '2026-02-30' },
          { ...ENTRY, id: 'typo', expiry: '2026-12-31', expires: undefined },
          { ...ENTRY },
          { ...ENTRY, id: 'scoped', accounts: ['12345'], regions: ['Europe'] },
        ],
      },
      { today: TODAY, knownChecks: new Set(['S3.14']) },
    );
    // Only the valid entry is kept; every other one is named with all of its problems.
    expect(entries.map((e) => e.id)).toEqual(['legacy-logs']);
    expect(problems).toEqual([
      'entry "no-owner": owner: who answers for it (name or e-mail), 1-256 characters',
      'entry "too-far": expires: 2027-03-16 is more than one year ahead (at most 2027-03-15)',
      'entry "everything": checks: no such check S3.99; resource: an ARN pattern such as arn:aws:s3:::legacy-logs-* (never just "*")',
      'entry #4: id: lower-case letters, digits and hyphens, at most 64 characters; expires: a date YYYY-MM-DD (required)',
      'entry "typo": unknown key(s) expiry; expires: a date YYYY-MM-DD (required)',
      'entry "scoped": accounts: a list of 12-digit account ids; regions: a list of region codes such as us-east-1',
    ]);
  });

  it('refuses a second entry with the same id', () => {
    expect(validateSuppressions({ suppressions: [ENTRY, ENTRY] }).problems).toEqual([
      'entry "legacy-logs": id: used by an earlier entry',
    ]);
  });

  it('accepts an expiry exactly one year ahead and reports expired entries without failing', () => {
    const result = validateSuppressions(
      {
        suppressions: [
          { ...ENTRY, id: 'a', expires: '2027-03-15' },
          { ...ENTRY, id: 'b', expires: '2026-03-14' },
        ],
      },
      { today: TODAY },
    );
    expect(result.problems).toEqual([]);
    expect(result.expired).toEqual(['b']);
  });

  it('takes YAML dates (Date objects) as their day', () => {
    const { entries } = validateSuppressions({
      suppressions: [{ ...ENTRY, expires: new Date('2026-12-31T00:00:00Z') }],
    });
    expect(entries[0]?.expires).toBe('2026-12-31');
  });

  it('refuses a document that is not a mapping, and unknown top-level keys', () => {
    expect(validateSuppressions([ENTRY]).problems).toEqual([
      'the file must be a mapping with a "suppressions" list',
    ]);
    expect(validateSuppressions({ supressions: [ENTRY] }).problems).toEqual([
      'unknown top-level key(s): supressions',
    ]);
  });
});

describe('dates', () => {
  it('parses real calendar days only', () => {
    expect(parseDay('2026-12-31')).toBe(Date.UTC(2026, 11, 31));
    expect(parseDay('2026-02-29')).toBeUndefined();
    expect(parseDay('31/12/2026')).toBeUndefined();
  });

  it('is active through the end of its expiry day (UTC)', () => {
    expect(isActive(ENTRY, new Date('2026-12-31T23:59:59Z'))).toBe(true);
    expect(isActive(ENTRY, new Date('2027-01-01T00:00:00Z'))).toBe(false);
  });

  it('one year after 29 February is 1 March', () => {
    expect(new Date(oneYearAfter(new Date('2028-02-29T00:00:00Z'))).toISOString()).toBe(
      '2029-03-01T00:00:00.000Z',
    );
  });
});

describe('arnPattern', () => {
  it('matches the whole ARN with * and ?, everything else literally', () => {
    expect(arnPattern('arn:aws:s3:::logs-*').test('arn:aws:s3:::logs-2024')).toBe(true);
    expect(arnPattern('arn:aws:s3:::logs-*').test('arn:aws:s3:::other-logs-2024')).toBe(false);
    expect(arnPattern('arn:aws:s3:::log?').test('arn:aws:s3:::logs')).toBe(true);
    expect(arnPattern('arn:aws:s3:::a.b').test('arn:aws:s3:::aXb')).toBe(false);
  });
});

describe('suppressor', () => {
  it('suppresses a matching FAIL with the entry reason, owner and expiry', () => {
    const out = suppressor([ENTRY], TODAY).apply(finding());
    expect(out.status).toBe('SUPPRESSED');
    expect(out.suppression).toEqual({
      id: 'legacy-logs',
      reason: ENTRY.reason,
      owner: ENTRY.owner,
      expires: '2026-12-31',
    });
  });

  it('leaves PASS, ERROR, other checks, resources, accounts and regions alone', () => {
    const s = suppressor([{ ...ENTRY, accounts: ['123456789012'], regions: ['us-east-1'] }], TODAY);
    for (const f of [
      finding({ status: 'PASS' }),
      finding({ status: 'ERROR' }),
      finding({ checkId: 'S3.8' }),
      finding({ resource: { ...finding().resource, uid: 'arn:aws:s3:::prod-logs' } }),
      finding({ account: '999999999999' }),
      finding({ region: 'eu-west-1' }),
    ]) {
      expect(s.apply(f)).toBe(f);
    }
    expect(s.apply(finding()).status).toBe('SUPPRESSED');
  });

  it('stops suppressing once expired and names the expired entry on the FAIL finding', () => {
    const out = suppressor([ENTRY], new Date('2027-01-01T00:00:00Z')).apply(finding());
    expect(out.status).toBe('FAIL');
    expect(out.suppression).toEqual({
      id: 'legacy-logs',
      reason: ENTRY.reason,
      owner: ENTRY.owner,
      expires: '2026-12-31',
      expired: true,
    });
  });

  it('prefers an active entry over an expired one', () => {
    const renewed = { ...ENTRY, id: 'renewed', expires: '2027-06-30' };
    const out = suppressor([ENTRY, renewed], new Date('2027-01-02T00:00:00Z')).apply(finding());
    expect(out.suppression?.id).toBe('renewed');
    expect(out.status).toBe('SUPPRESSED');
  });
});

describe('parseSuppressions', () => {
  it('reads the uploaded object', () => {
    expect(parseSuppressions(JSON.stringify({ source: 'x', suppressions: [ENTRY] }))).toEqual([
      ENTRY,
    ]);
  });

  it('throws on anything else, so the scanner reports an ERROR and suppresses nothing', () => {
    expect(() => parseSuppressions('{oops')).toThrow(/not valid JSON/);
    expect(() =>
      parseSuppressions(JSON.stringify({ suppressions: [{ ...ENTRY, owner: undefined }] })),
    ).toThrow('entry "legacy-logs": owner');
  });
});
