/**
 * Scan-completed alerts: which failed findings are at or above the threshold, which of them are new
 * since the previous scan, which are still open, how many were resolved, and the one message per
 * scan that says so. Pure: the findings come in as arrays.
 */
import type { ScanCompletedDetail } from '../shared/events';
import {
  atOrAbove,
  countFindings,
  severityRank,
  SEVERITIES,
  type Finding,
  type Severity,
} from '../shared/findings';
import { composeAlert, type AlertMessage } from './message';

export interface PreviousScan {
  scanId: string;
  findings: readonly Finding[];
}

/** A suppression that has expired and still matches failing findings: its owner must act. */
export interface ExpiredSuppression {
  id: string;
  owner: string;
  expires: string;
  findings: number;
}

export interface ScanComparison {
  threshold: Severity;
  /** Suppressions that expired, from the FAIL findings that name them. */
  expiredSuppressions: ExpiredSuppression[];
  /** FAIL findings at or above the threshold, highest severity first, new before still open. */
  alerting: Finding[];
  newUids: Set<string>;
  newCount: number;
  stillOpenCount: number;
  /** FAIL (at or above threshold) in the previous scan, and PASS, SUPPRESSED or gone now. */
  resolvedCount: number;
  /**
   * FAIL in the previous scan, not FAIL now, but not re-checked: the check errored this time (same
   * finding, or an ERROR for the same check, account and region), or this scan did not cover the
   * finding's region (an on-demand scan of other regions). Not counted as resolved.
   */
  unverifiedCount: number;
  /** ERROR findings of this scan: checks that could not run. */
  errorCount: number;
  previousScanId?: string;
  /** Highest severity among `alerting`; undefined when nothing alerts. */
  highest?: Severity;
}

const checkScope = (f: Finding): string => `${f.checkId}\n${f.account}\n${f.region}`;

export function compareScans(
  current: readonly Finding[],
  previous: PreviousScan | undefined,
  threshold: Severity,
  /** Regions this scan covered (the event's `regions`); the current findings' regions count too. */
  scannedRegions: readonly string[] = [],
): ScanComparison {
  const failing = (f: Finding) => f.status === 'FAIL' && atOrAbove(f.severity, threshold);
  const previousFailing = new Set(previous?.findings.filter(failing).map((f) => f.uid) ?? []);

  const alerting = current.filter(failing);
  // The scanner gives findings their change state (new, reopened, still failing): alerts use the
  // same states as the reports. Findings from a scanner without them compare with the last scan.
  const carriesChanges = current.some((f) => f.change !== undefined);
  const isNew = (f: Finding): boolean =>
    carriesChanges ? f.change === 'new' || f.change === 'reopened' : !previousFailing.has(f.uid);
  const newUids = new Set(alerting.filter(isNew).map((f) => f.uid));
  alerting.sort(
    (a, b) =>
      severityRank(b.severity) - severityRank(a.severity) ||
      Number(newUids.has(b.uid)) - Number(newUids.has(a.uid)) ||
      a.checkId.localeCompare(b.checkId) ||
      a.resource.uid.localeCompare(b.resource.uid),
  );

  const nowFailing = new Set(current.filter((f) => f.status === 'FAIL').map((f) => f.uid));
  const erroredUids = new Set(current.filter((f) => f.status === 'ERROR').map((f) => f.uid));
  const erroredScopes = new Set(current.filter((f) => f.status === 'ERROR').map(checkScope));
  const covered = new Set([...scannedRegions, ...current.map((f) => f.region)]);
  let resolvedCount = 0;
  let unverifiedCount = 0;
  for (const f of previous?.findings ?? []) {
    if (!previousFailing.has(f.uid) || nowFailing.has(f.uid)) continue;
    const rechecked =
      covered.has(f.region) && !erroredUids.has(f.uid) && !erroredScopes.has(checkScope(f));
    if (rechecked) resolvedCount += 1;
    else unverifiedCount += 1;
  }

  const expired = new Map<string, ExpiredSuppression>();
  for (const f of current) {
    if (f.status !== 'FAIL' || !f.suppression?.expired) continue;
    const s = f.suppression;
    const entry = expired.get(s.id) ?? {
      id: s.id,
      owner: s.owner,
      expires: s.expires,
      findings: 0,
    };
    entry.findings += 1;
    expired.set(s.id, entry);
  }

  return {
    threshold,
    expiredSuppressions: [...expired.values()].sort((a, b) => a.id.localeCompare(b.id)),
    alerting,
    newUids,
    newCount: newUids.size,
    stillOpenCount: alerting.length - newUids.size,
    resolvedCount,
    unverifiedCount,
    errorCount: erroredUids.size,
    previousScanId: previous?.scanId,
    highest: alerting[0]?.severity,
  };
}

/** Why no message goes out, or undefined when one should. */
export function skipReason(comparison: ScanComparison): string | undefined {
  // Checks that could not run (AccessDenied, throttled out) always alert: silence would read as "all clear".
  // An expired suppression always alerts too: its owner must renew or remove it.
  if (
    comparison.alerting.length === 0 &&
    comparison.newCount === 0 &&
    comparison.errorCount === 0 &&
    comparison.expiredSuppressions.length === 0
  ) {
    return `no failed finding at or above ${comparison.threshold}, nothing new, no check errored and no suppression expired`;
  }
  return undefined;
}

function severityBreakdown(findings: readonly Finding[]): string {
  return SEVERITIES.map((s) => [s, findings.filter((f) => f.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${s} ${n}`)
    .join(', ');
}

function findingItem(f: Finding, isNew: boolean): string {
  const where = `${f.account} ${f.region}`;
  const controls = f.controlIds.length > 0 ? f.controlIds.join(', ') : f.checkId;
  const state = !isNew ? 'STILL OPEN' : f.change === 'reopened' ? 'REOPENED' : 'NEW';
  return [
    `[${f.severity.toUpperCase()}] ${state} ${controls} | ${f.resource.uid} | ${where}`,
    `    ${f.title}: ${f.statusDetail}`,
  ].join('\n');
}

export interface ScanAlertInput {
  detail: ScanCompletedDetail;
  current: readonly Finding[];
  comparison: ScanComparison;
  environment: string;
  /** `s3://bucket/reports/…/report.json`. */
  reportUri: string;
}

/** The one message for a scan (call only when skipReason is undefined). */
export function buildScanAlert(input: ScanAlertInput): AlertMessage & {
  shown: number;
  truncated: boolean;
} {
  const { detail, current, comparison: c, environment, reportUri } = input;
  const highest = c.highest ?? c.threshold;
  const totals = countFindings(current);
  const failed = SEVERITIES.reduce((n, s) => n + totals[s], 0);
  const expiredNote =
    c.expiredSuppressions.length > 0
      ? `, ${c.expiredSuppressions.length} suppression(s) expired`
      : '';
  const subject =
    c.alerting.length === 0
      ? `[${environment}] Compliance scan: ${c.errorCount} checks could not run${expiredNote}, nothing ${c.threshold}+ failed`
      : `[${environment}] Compliance scan: ${c.newCount} new, ${c.stillOpenCount} still open ` +
        `${c.threshold}+ findings, ${c.resolvedCount} resolved (highest ${highest})`;

  const head = [
    `Compliance scan ${detail.scanId} (started ${detail.startedAt}, finished ${detail.finishedAt})`,
    `Environment: ${environment}`,
    `Threshold: ${c.threshold} and above`,
    c.previousScanId
      ? `Compared with previous scan: ${c.previousScanId}`
      : 'Compared with previous scan: none found, so every finding counts as new',
    '',
    `Failed findings at or above ${c.threshold}: ${c.alerting.length}` +
      (c.alerting.length > 0 ? ` (${severityBreakdown(c.alerting)})` : ''),
    `New: ${c.newCount}  Still open: ${c.stillOpenCount}  Resolved since previous scan: ${c.resolvedCount}`,
    ...(c.unverifiedCount > 0
      ? [`Not re-checked (the check errored, or the region was not scanned): ${c.unverifiedCount}`]
      : []),
    `Whole scan: ${current.length} findings, ${failed} failed, ${totals.passed} passed, ` +
      `${totals.errors} errors (checks that could not run), ` +
      `${current.filter((f) => f.status === 'SUPPRESSED').length} suppressed (not alerted)`,
    ...(c.expiredSuppressions.length > 0
      ? [
          '',
          'Expired suppressions (they no longer suppress; owners: renew or remove them in the suppressions file):',
          ...c.expiredSuppressions.map(
            (s) =>
              `- ${s.id}: owner ${s.owner}, expired after ${s.expires}, ${s.findings} failing finding(s)`,
          ),
        ]
      : []),
    '',
    'Findings (highest severity first, new before still open):',
  ];
  return composeAlert(
    subject,
    { severity: highest, eventType: 'scan-completed', newFindings: c.newCount, environment },
    {
      head,
      items: c.alerting.map((f) => findingItem(f, c.newUids.has(f.uid))),
      tail: ['', `Full report: ${reportUri}`],
      truncationNote: (shown, total) => [
        '',
        `Showing the top ${shown} of ${total} findings: the full list does not fit in one SNS ` +
          'message (256 KiB). Every finding is in the report below.',
      ],
    },
  );
}
