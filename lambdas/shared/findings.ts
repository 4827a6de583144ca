/**
 * The canonical finding (DESIGN §10), aligned with OCSF Detection Finding (class 2004) and
 * convertible to ASFF. Every function that reads or writes findings uses these types.
 */
import { createHash } from 'node:crypto';

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'informational'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const STATUSES = ['PASS', 'FAIL', 'ERROR', 'SUPPRESSED'] as const;
export type FindingStatus = (typeof STATUSES)[number];

/**
 * A finding's state against the previous scans (shared/changes.ts): FAIL (or SUPPRESSED, which
 * still fails underneath) for the first time, again since the last scan, again after it had
 * passed, or PASS after it had failed. Absent on findings that passed before and still pass, and
 * on ERROR findings (not re-checked).
 */
export const CHANGE_STATES = ['new', 'still-failing', 'reopened', 'resolved'] as const;
export type ChangeState = (typeof CHANGE_STATES)[number];

/** The reviewed suppression entry (suppressions.yaml) that matched a finding. */
export interface FindingSuppression {
  readonly id: string;
  readonly reason: string;
  readonly owner: string;
  /** Last day (UTC, `YYYY-MM-DD`) the entry suppresses. */
  readonly expires: string;
  /** True when the entry has expired: the finding is FAIL again and the owner is alerted. */
  readonly expired?: boolean;
}

export interface FindingResource {
  /** ARN where the resource has one, else a stable identifier such as `arn:aws:ec2:…:volume/vol-1`. */
  readonly uid: string;
  /** CloudFormation-style type, e.g. `AWS::S3::Bucket`. */
  readonly type: string;
  readonly region: string;
  readonly name?: string;
  readonly tags?: Readonly<Record<string, string>>;
}

export interface Finding {
  /** Deterministic: sha256 of check, account, region and resource uid. */
  readonly uid: string;
  readonly checkId: string;
  /** Security Hub control ids first (`S3.8`), then CIS ids (`CIS-5.0 2.1.4`). */
  readonly controlIds: readonly string[];
  readonly title: string;
  readonly severity: Severity;
  readonly status: FindingStatus;
  /** One sentence that names the resource and what was found. */
  readonly statusDetail: string;
  readonly resource: FindingResource;
  readonly account: string;
  readonly region: string;
  readonly remediation: { readonly desc: string; readonly references: readonly string[] };
  readonly scanId: string;
  readonly observedAt: string;
  /** First scan time (ISO) this finding's uid was observed, kept across scans. */
  readonly firstSeen?: string;
  /** State against the previous scans; see ChangeState. */
  readonly change?: ChangeState;
  /** Present on SUPPRESSED findings, and on FAIL findings whose suppression has expired. */
  readonly suppression?: FindingSuppression;
}

/** Counts carried by the `Compliance Scan Completed` event (DESIGN §6). */
export interface FindingCounts {
  critical: number;
  high: number;
  medium: number;
  low: number;
  informational: number;
  passed: number;
  errors: number;
}

export function findingUid(
  checkId: string,
  account: string,
  region: string,
  resourceUid: string,
): string {
  return createHash('sha256')
    .update([checkId, account, region, resourceUid].join('\n'))
    .digest('hex');
}

/**
 * The event counts: FAIL findings by severity, PASS in `passed`, ERROR in `errors`. SUPPRESSED
 * findings count in none of them (they are counted apart: summary.byStatus.SUPPRESSED in the
 * reports), so a suppression takes a finding out of every failure figure and alert.
 */
export function countFindings(findings: Iterable<Finding>): FindingCounts {
  const counts: FindingCounts = {
    critical: 0,
    high: 0,
    medium: 0,
    low: 0,
    informational: 0,
    passed: 0,
    errors: 0,
  };
  for (const f of findings) {
    if (f.status === 'FAIL') counts[f.severity] += 1;
    else if (f.status === 'PASS') counts.passed += 1;
    else if (f.status === 'ERROR') counts.errors += 1;
  }
  return counts;
}

export function severityRank(severity: Severity): number {
  return SEVERITIES.length - SEVERITIES.indexOf(severity);
}

/** True when `severity` is at or above `threshold` (critical > high > … > informational). */
export function atOrAbove(severity: Severity, threshold: Severity): boolean {
  return severityRank(severity) >= severityRank(threshold);
}

export function isSeverity(value: unknown): value is Severity {
  return typeof value === 'string' && (SEVERITIES as readonly string[]).includes(value);
}
