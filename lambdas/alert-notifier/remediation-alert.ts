/** Alerts for `Compliance Remediation Completed` events. Pure. */
import type { RemediationCompletedDetail, RemediationDecision } from '../shared/events';
import type { Severity } from '../shared/findings';
import { composeAlert, type AlertMessage } from './message';

type DecisionKind = RemediationDecision['decision'];

/** Decisions worth a message, in the order they are listed. */
const NOTABLE: readonly DecisionKind[] = ['failed', 'would-remediate', 'remediated'];
const ALL_KINDS: readonly DecisionKind[] = [
  'remediated',
  'would-remediate',
  'failed',
  'already-compliant',
  'exempt',
  'skipped-cap',
  'skipped-off',
];

export function decisionCounts(detail: RemediationCompletedDetail): Record<DecisionKind, number> {
  const counts = Object.fromEntries(ALL_KINDS.map((k) => [k, 0])) as Record<DecisionKind, number>;
  for (const d of detail.decisions) counts[d.decision] += 1;
  return counts;
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
      items: listed.map((d) => `[${d.decision}] ${d.bucket}: ${d.reason}`),
      tail: ['', `Every decision is recorded in ${recordUri}`],
      truncationNote: (shown, total) => ['', `Showing ${shown} of ${total} buckets.`],
    },
  );
}
