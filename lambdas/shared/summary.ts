/**
 * Summary of one scan's findings, shared by json-report (report.json `summary`), csv-report and
 * alert-notifier. Pure: no AWS calls. Keys of every map are sorted so the same findings always
 * serialise to the same bytes.
 */
import {
  SEVERITIES,
  STATUSES,
  type Finding,
  type FindingCounts,
  type FindingStatus,
  type Severity,
} from './findings';

/** Findings of one group by status (SUPPRESSED is kept so the four always add up to `total`). */
export interface StatusCounts {
  total: number;
  fail: number;
  pass: number;
  error: number;
  suppressed: number;
}

export interface ControlSummary extends StatusCounts {
  /** Title of the first check mapped to this control (checks sharing a control share its intent). */
  title: string;
}

export interface ScanSummary {
  total: number;
  byStatus: Record<FindingStatus, number>;
  /** FAIL findings only: the severity of a PASS says nothing about risk. */
  bySeverity: Record<Severity, number>;
  /** Per control id (`S3.8`, `CIS-5.0 2.1.4`); a finding mapped to two controls counts in both. */
  byControl: Record<string, ControlSummary>;
  /** Per resource type (`AWS::S3::Bucket`). */
  byResourceType: Record<string, StatusCounts>;
  /** Per `<account>/<region>`. */
  byAccountRegion: Record<string, StatusCounts>;
}

const STATUS_FIELD: Record<FindingStatus, keyof Omit<StatusCounts, 'total'>> = {
  FAIL: 'fail',
  PASS: 'pass',
  ERROR: 'error',
  SUPPRESSED: 'suppressed',
};

function emptyCounts(): StatusCounts {
  return { total: 0, fail: 0, pass: 0, error: 0, suppressed: 0 };
}

function bump(counts: StatusCounts, status: FindingStatus): void {
  counts.total += 1;
  counts[STATUS_FIELD[status]] += 1;
}

function sortedRecord<T>(map: Map<string, T>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const key of [...map.keys()].sort()) out[key] = map.get(key) as T;
  return out;
}

export function accountRegionKey(account: string, region: string): string {
  return `${account}/${region}`;
}

export function summarize(findings: Iterable<Finding>): ScanSummary {
  const byStatus = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<FindingStatus, number>;
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  const byControl = new Map<string, ControlSummary>();
  const byResourceType = new Map<string, StatusCounts>();
  const byAccountRegion = new Map<string, StatusCounts>();
  let total = 0;

  for (const f of findings) {
    total += 1;
    byStatus[f.status] += 1;
    if (f.status === 'FAIL') bySeverity[f.severity] += 1;
    for (const id of new Set(f.controlIds)) {
      let control = byControl.get(id);
      if (!control) {
        control = { title: f.title, ...emptyCounts() };
        byControl.set(id, control);
      }
      bump(control, f.status);
    }
    const type = f.resource.type;
    if (!byResourceType.has(type)) byResourceType.set(type, emptyCounts());
    bump(byResourceType.get(type) as StatusCounts, f.status);
    const where = accountRegionKey(f.account, f.region);
    if (!byAccountRegion.has(where)) byAccountRegion.set(where, emptyCounts());
    bump(byAccountRegion.get(where) as StatusCounts, f.status);
  }

  return {
    total,
    byStatus,
    bySeverity,
    byControl: sortedRecord(byControl),
    byResourceType: sortedRecord(byResourceType),
    byAccountRegion: sortedRecord(byAccountRegion),
  };
}

/** The `Compliance Scan Completed` counts a summary implies (same rules as countFindings). */
export function summaryCounts(summary: ScanSummary): FindingCounts {
  return {
    ...summary.bySeverity,
    passed: summary.byStatus.PASS,
    errors: summary.byStatus.ERROR,
  };
}

/**
 * Fields where `reported` (e.g. the event's counts) disagrees with `actual` (from the findings
 * object, which is the truth), as `field: reported=x actual=y`; empty when they agree.
 */
export function countMismatches(reported: FindingCounts, actual: FindingCounts): string[] {
  const fields = Object.keys(actual) as (keyof FindingCounts)[];
  return fields
    .filter((k) => reported[k] !== actual[k])
    .map((k) => `${k}: reported=${reported[k]} actual=${actual[k]}`);
}
