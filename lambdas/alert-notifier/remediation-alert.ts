/** Alerts for `Compliance Remediation Completed` events. Pure. */
import {
  REMEDIATION_DECISIONS,
  type RemediationCompletedDetail,
  type RemediationDecision,
} from '../shared/events';
import type { Severity } from '../shared/findings';
import { composeAlert, type AlertMessage } from './message';

type DecisionKind = RemediationDecision['decision'];

/** Decisions worth a message, in the order they are listed. */
const NOTABLE: readonly DecisionKind[] = ['failed', 'would-remediate', 'remediated'];
const ALL_KINDS = REMEDIATION_DECISIONS;

/** Counts over every decision of the run (the event lists only the first ones). */
export function decisionCounts(detail: RemediationCompletedDetail): Record<DecisionKind, number> {
  return detail.counts;
}

/** Why no message goes out, or undefined when one should. */
export function remediationSkipReason(detail: RemediationCompletedDetail): string | undefined {
  const counts = decisionCounts(detail);
  return NOTABLE.some((k) => counts[k] > 0)
    ? undefined
    : 'no remediated, would-remediate or failed decision';
}

/** failed: a non-compliant bucket is still unencrypted; would-remediate: dry run left it; remediated: done. */
export function remediationSeverity(counts: Record<DecisionKind, number>): Severity {
  if (counts.failed > 0) return 'high';
  if (counts['would-remediate'] > 0) return 'medium';
  return 'low';
}

export function buildRemediationAlert(
  detail: RemediationCompletedDetail,
  environment: string,
  recordUri: string,
): AlertMessage {
  const counts = decisionCounts(detail);
  const summary = ALL_KINDS.filter((k) => counts[k] > 0)
    .map((k) => `${counts[k]} ${k}`)
    .join(', ');
  const notable = NOTABLE.filter((k) => counts[k] > 0)
    .map((k) => `${counts[k]} ${k}`)
    .join(', ');
  const listed = NOTABLE.flatMap((kind) => detail.decisions.filter((d) => d.decision === kind));
  const notableTotal = NOTABLE.reduce((n, k) => n + counts[k], 0);
  return composeAlert(
    `[${environment}] S3 encryption remediation (${detail.mode}): ${notable}`,
    {
      severity: remediationSeverity(counts),
      eventType: 'remediation',
      newFindings: 0,
      environment,
    },
    {
      head: [
        `S3 encryption remediation run ${detail.runId} (mode ${detail.mode})`,
        `Environment: ${environment}`,
        `Decisions: ${summary || 'none'}`,
        '',
        'Buckets (failed first, then would-remediate, then remediated):',
      ],
      items: listed.map(
        (d) => `[${d.decision}] ${d.account ? `${d.account}/` : ''}${d.bucket}: ${d.reason}`,
      ),
      tail: [
        ...(listed.length < notableTotal
          ? ['', `The event carried ${listed.length} of ${notableTotal} notable buckets.`]
          : []),
        '',
        `Every decision is recorded in ${recordUri}`,
      ],
      truncationNote: (shown, total) => ['', `Showing ${shown} of ${total} buckets.`],
    },
  );
}
