/**
 * report.csv (RFC 4180): a header row, then one row per finding; CRLF after every record, fields
 * that contain a comma, double quote, CR or LF are quoted, with quotes doubled. Pure; no AWS calls.
 */
import type { Finding } from '../shared/findings';

export const CSV_COLUMNS = [
  'scanId',
  'uid',
  'checkId',
  'controlIds',
  'title',
  'severity',
  'status',
  'statusDetail',
  'resourceUid',
  'resourceType',
  'resourceName',
  'account',
  'region',
  'observedAt',
  'remediation',
  // Added with what-changed and suppressions (appended, so existing column positions hold).
  'firstSeen',
  'change',
  'suppression',
] as const;

const CRLF = '\r\n';
const NEEDS_QUOTES = /[",\r\n]/;

/**
 * CSV (formula) injection guard, as OWASP recommends: a spreadsheet treats a cell that starts with
 * `=`, `+`, `-`, `@`, tab or CR as a formula (e.g. `=HYPERLINK(…)`, `@SUM(…)`), so such a field
 * gets a leading `'`, which makes Excel, LibreOffice and Google Sheets show it as text. Resource
 * names, tags and annotations come from the audited account, so anyone who can name a bucket
 * could otherwise plant a formula in a report a security team opens.
 * @see https://owasp.org/www-community/attacks/CSV_Injection
 */
export function neutralizeFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** One field: formula-neutralised, then quoted when RFC 4180 requires it. */
export function csvField(value: string): string {
  if (value === '') return value;
  const safe = neutralizeFormula(value);
  return NEEDS_QUOTES.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** One record including its CRLF terminator. */
export function csvRecord(fields: readonly string[]): string {
  return fields.map(csvField).join(',') + CRLF;
}

function remediationText(f: Finding): string {
  const refs = f.remediation.references;
  return refs.length > 0 ? `${f.remediation.desc} See: ${refs.join(' ')}` : f.remediation.desc;
}

/** `<id> (owner <owner>, until <date>[, expired]): <reason>`, or empty. */
function suppressionText(f: Finding): string {
  const s = f.suppression;
  if (!s) return '';
  return `${s.id} (owner ${s.owner}, until ${s.expires}${s.expired ? ', expired' : ''}): ${s.reason}`;
}

/** Field values of one finding, in CSV_COLUMNS order. */
export function findingFields(f: Finding): string[] {
  return [
    f.scanId,
    f.uid,
    f.checkId,
    f.controlIds.join(';'),
    f.title,
    f.severity,
    f.status,
    f.statusDetail,
    f.resource.uid,
    f.resource.type,
    f.resource.name ?? '',
    f.account,
    f.region,
    f.observedAt,
    remediationText(f),
    f.firstSeen ?? '',
    f.change ?? '',
    suppressionText(f),
  ];
}

/** Header record, then one record per finding, produced lazily (one short string at a time). */
export function* csvRecords(findings: Iterable<Finding>): Generator<string> {
  yield csvRecord(CSV_COLUMNS);
  for (const f of findings) yield csvRecord(findingFields(f));
}

/**
 * The whole document. Records are collected and joined once (linear; repeated `+=` on a 50 MB
 * string would also work in V8 but leaves a deep rope to flatten on upload).
 */
export function buildCsv(findings: Iterable<Finding>): string {
  return Array.from(csvRecords(findings)).join('');
}
