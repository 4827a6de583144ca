import {
  buildCsv,
  CSV_COLUMNS,
  csvField,
  csvRecord,
  findingFields,
  neutralizeFormula,
} from '../../../lambdas/csv-report/csv';
import { finding, SCAN_ID } from '../json-report/fixtures';
import { parseCsv } from './rfc4180';

const HEADER =
  'scanId,uid,checkId,controlIds,title,severity,status,statusDetail,resourceUid,resourceType,' +
  'resourceName,account,region,observedAt,remediation,firstSeen,change,suppression\r\n';

describe('csvField (RFC 4180 escaping)', () => {
  it.each([
    ['plain', 'plain'],
    ['', ''],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['"', '""""'],
    ['line1\nline2', '"line1\nline2"'],
    ['line1\r\nline2', '"line1\r\nline2"'],
    ['cr\ronly', '"cr\ronly"'],
    ['semi;colon', 'semi;colon'],
    ['ünïcödé ✓', 'ünïcödé ✓'],
  ])('writes %j as %j', (value, expected) => {
    // Act / Assert
    expect(csvField(value)).toBe(expected);
  });
});

describe('formula injection guard', () => {
  it.each([
    ['=HYPERLINK("http://evil","x")', `"'=HYPERLINK(""http://evil"",""x"")"`],
    ['+1+2', "'+1+2"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tTAB', "'\tTAB"],
    ['\rCR', `"'\rCR"`],
  ])('prefixes %j with a quote', (value, expected) => {
    // Act / Assert
    expect(csvField(value)).toBe(expected);
  });

  it('leaves fields alone when the risky character is not first', () => {
    // Act / Assert
    expect(neutralizeFormula('a=b')).toBe('a=b');
    expect(neutralizeFormula('bucket-a')).toBe('bucket-a');
    expect(neutralizeFormula(" '=already")).toBe(" '=already");
  });
});

describe('buildCsv', () => {
  it('starts with the header row and ends every record with CRLF', () => {
    // Arrange
    const findings = [finding(), finding({ resource: { uid: 'arn:aws:s3:::b', name: 'b' } })];

    // Act
    const csv = buildCsv(findings);

    // Assert
    expect(csv.startsWith(HEADER)).toBe(true);
    expect(csvRecord(CSV_COLUMNS)).toBe(HEADER);
    expect(csv.split('\r\n')).toHaveLength(4); // header, 2 rows, '' after the last CRLF
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(csv.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  });

  it('writes only the header for no findings', () => {
    // Act / Assert
    expect(buildCsv([])).toBe(HEADER);
  });

  it('maps each column from the finding', () => {
    // Arrange
    const f = finding({ resource: { name: undefined } });

    // Act
    const [, row] = parseCsv(buildCsv([f]));

    // Assert
    const byColumn = Object.fromEntries(CSV_COLUMNS.map((c, i) => [c, row[i]]));
    expect(byColumn).toEqual({
      scanId: SCAN_ID,
      uid: f.uid,
      checkId: 's3_bucket_default_encryption',
      controlIds: 'S3.17;CIS-5.0 2.1.1',
      title: f.title,
      severity: 'high',
      status: 'FAIL',
      statusDetail: f.statusDetail,
      resourceUid: 'arn:aws:s3:::bucket-a',
      resourceType: 'AWS::S3::Bucket',
      resourceName: '',
      account: f.account,
      region: 'us-east-1',
      observedAt: f.observedAt,
      remediation:
        'Enable SSE-KMS default encryption. See: ' +
        'https://docs.aws.amazon.com/AmazonS3/latest/userguide/default-bucket-encryption.html',
      firstSeen: '',
      change: '',
      suppression: '',
    });
  });

  it('writes firstSeen, the change state and the suppression in the last columns', () => {
    // Arrange
    const f = finding({
      status: 'SUPPRESSED',
      firstSeen: '2026-10-01T06:00:00.000Z',
      change: 'still-failing',
      suppression: {
        id: 'web',
        owner: 'web@example.com',
        expires: '2026-12-31',
        reason: 'Public site',
      },
    });

    // Act
    const [, row] = parseCsv(buildCsv([f]));

    // Assert
    expect(row.slice(-3)).toEqual([
      '2026-10-01T06:00:00.000Z',
      'still-failing',
      'web (owner web@example.com, until 2026-12-31): Public site',
    ]);
  });

  it('round-trips awkward fields through an RFC 4180 parser', () => {
    // Arrange
    const awkward = [
      finding({
        statusDetail: 'Bucket "prod, eu" is public.\r\nSecond line\nthird\rfourth',
        resource: { uid: 'arn:aws:s3:::x', name: "=cmd|' /C calc'!A0" },
        remediation: { desc: '-Run "aws s3api …", then check.', references: [] },
      }),
      finding({
        title: '@risk, "quoted"',
        controlIds: [],
        resource: { uid: 'arn:aws:s3:::y', name: '+plus' },
      }),
      finding({ resource: { uid: 'arn:aws:s3:::z', name: '\tleading tab' } }),
    ];

    // Act
    const rows = parseCsv(buildCsv(awkward));

    // Assert
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    expect(rows.slice(1)).toEqual(awkward.map((f) => findingFields(f).map(neutralizeFormula)));
    expect(rows[1][CSV_COLUMNS.indexOf('statusDetail')]).toBe(
      'Bucket "prod, eu" is public.\r\nSecond line\nthird\rfourth',
    );
    expect(rows[1][CSV_COLUMNS.indexOf('resourceName')]).toBe("'=cmd|' /C calc'!A0");
    expect(rows[1][CSV_COLUMNS.indexOf('remediation')]).toBe(`'-Run "aws s3api …", then check.`);
    expect(rows[2][CSV_COLUMNS.indexOf('title')]).toBe(`'@risk, "quoted"`);
    expect(rows[2][CSV_COLUMNS.indexOf('controlIds')]).toBe('');
    expect(rows[3][CSV_COLUMNS.indexOf('resourceName')]).toBe("'\tleading tab");
    expect(rows.every((r) => r.length === CSV_COLUMNS.length)).toBe(true);
  });

  // Its speed is a benchmark figure (npm run bench), not a unit-test limit on a shared machine.
  it('builds one row per finding for 100k findings', () => {
    // Arrange
    const base = finding();
    const many = Array.from({ length: 100_000 }, (_, i) => ({ ...base, uid: `uid-${i}` }));

    // Act
    const csv = buildCsv(many);

    // Assert: header, 100k rows, and the trailing CRLF
    expect(csv.split('\r\n')).toHaveLength(100_002);
  });
});
