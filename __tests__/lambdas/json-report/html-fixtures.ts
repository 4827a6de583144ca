/** A report input for the HTML tests: two scans, a hostile resource name, coverage or not. */
import { buildChanges, ChangeTracker, type FindingState } from '../../../lambdas/shared/changes';
import type { Finding } from '../../../lambdas/shared/findings';
import { summarize } from '../../../lambdas/shared/summary';
import { finding, scanDetail } from './fixtures';

export const HOSTILE = `<script>alert("x")</script><img src="https://evil.example/x.png">'&`;

/** Findings of two scans (one hostile resource name), the second's state and changes. */
export function reportInput(coverage = true) {
  const first = [
    finding({
      uid: 'fixed',
      severity: 'high',
      controlIds: ['S3.8', 'CIS-5.0 2.1.4'],
      checkId: 'S3.8',
    }),
    finding({ uid: 'gone', severity: 'medium' }),
  ];
  const second: Finding[] = [
    finding({
      uid: 'fixed',
      status: 'PASS',
      controlIds: ['S3.8', 'CIS-5.0 2.1.4'],
      checkId: 'S3.8',
    }),
    finding({
      uid: 'new-1',
      severity: 'critical',
      checkId: 'S3.8',
      controlIds: ['S3.8', 'CIS-5.0 2.1.4'],
      resource: { uid: 'arn:aws:s3:::evil', name: HOSTILE, tags: { Owner: HOSTILE } },
      statusDetail: HOSTILE,
    }),
    finding({ uid: 'new-2', severity: 'low', checkId: 'S3.14', controlIds: ['S3.14'] }),
    finding({
      uid: 'hidden',
      status: 'SUPPRESSED',
      suppression: { id: 'web', owner: 'web@example.com', reason: HOSTILE, expires: '2026-12-31' },
    }),
    finding({ uid: 'broken', status: 'ERROR', checkId: 'IAM.4', controlIds: ['IAM.4'] }),
  ];
  let state: FindingState | undefined;
  let applied: Finding[] = [];
  for (const [i, round] of [first, second].entries()) {
    const t = new ChangeTracker(state, {
      scanId: `scan-${i + 1}`,
      startedAt: `2026-11-2${i + 4}T06:00:00.000Z`,
    });
    applied = round.map((f) => t.apply(f));
    state = t.finish(['us-east-1']);
  }
  const detail = scanDetail({
    regions: ['us-east-1'],
    ...(coverage
      ? {
          coverage: {
            basis: 'the requested regions that are enabled for the account',
            regionsScanned: ['us-east-1'],
            regionsFailed: [{ region: 'ap-east-1', reason: HOSTILE }],
            checksRun: 42,
            checksErrored: ['IAM.4'],
            deadlineReached: false,
          },
        }
      : {}),
  });
  const changes = buildChanges(detail.scanId, applied, state);
  return {
    detail,
    summary: summarize(applied),
    findings: applied,
    changes,
    history: state!.history,
    generatedAt: '2026-11-25T06:05:00.000Z',
  };
}
