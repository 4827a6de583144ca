import {
  buildChanges,
  ChangeTracker,
  changeOf,
  HISTORY_LENGTH,
  parseState,
  type FindingState,
} from '../../../lambdas/shared/changes';
import type { Finding, FindingStatus } from '../../../lambdas/shared/findings';

function finding(uid: string, status: FindingStatus, over: Partial<Finding> = {}): Finding {
  return {
    uid,
    checkId: 'S3.8',
    controlIds: ['S3.8', 'CIS-5.0 2.1.4'],
    title: 'S3 buckets should block public access',
    severity: 'high',
    status,
    statusDetail: `Bucket ${uid}`,
    resource: { uid: `arn:aws:s3:::${uid}`, type: 'AWS::S3::Bucket', region: 'us-east-1' },
    account: '123456789012',
    region: 'us-east-1',
    remediation: { desc: 'Block public access', references: [] },
    scanId: 'x',
    observedAt: '2026-01-01T00:00:00.000Z',
    ...over,
  };
}

/** Runs scans in order, each over its findings, and returns each scan's state and findings. */
function scans(...rounds: { findings: Finding[]; regions?: string[] }[]) {
  let state: FindingState | undefined;
  return rounds.map((round, i) => {
    const tracker = new ChangeTracker(state, {
      scanId: `scan-${i + 1}`,
      startedAt: `2026-01-0${i + 1}T00:00:00.000Z`,
    });
    const out = round.findings.map((f) => tracker.apply(f));
    state = tracker.finish(round.regions ?? ['us-east-1']);
    return { findings: out, state };
  });
}

describe('changeOf', () => {
  it.each([
    ['FAIL', undefined, 'new'],
    ['SUPPRESSED', undefined, 'new'],
    ['FAIL', { failing: true, everFailed: true }, 'still-failing'],
    ['FAIL', { failing: false, everFailed: true }, 'reopened'],
    ['FAIL', { failing: false, everFailed: false }, 'new'],
    ['PASS', { failing: true, everFailed: true }, 'resolved'],
    ['PASS', { failing: false, everFailed: true }, undefined],
    ['PASS', undefined, undefined],
    ['ERROR', { failing: true, everFailed: true }, undefined],
  ] as const)('%s after %j is %s', (status, previous, expected) => {
    expect(changeOf(status, previous)).toBe(expected);
  });
});

describe('ChangeTracker', () => {
  it('keeps firstSeen across scans and walks new, still failing, resolved, reopened', () => {
    const [a, b, c, d] = scans(
      { findings: [finding('b1', 'FAIL')] },
      { findings: [finding('b1', 'FAIL')] },
      { findings: [finding('b1', 'PASS')] },
      { findings: [finding('b1', 'FAIL')] },
    );
    expect(a!.findings[0]).toMatchObject({ change: 'new', firstSeen: '2026-01-01T00:00:00.000Z' });
    expect(b!.findings[0]).toMatchObject({
      change: 'still-failing',
      firstSeen: '2026-01-01T00:00:00.000Z',
    });
    expect(c!.findings[0]).toMatchObject({ change: 'resolved' });
    expect(d!.findings[0]).toMatchObject({
      change: 'reopened',
      firstSeen: '2026-01-01T00:00:00.000Z',
    });
  });

  it('gives the same result when a finding is applied twice (two-pass serialization)', () => {
    const tracker = new ChangeTracker(undefined, {
      scanId: 's',
      startedAt: '2026-01-01T00:00:00Z',
    });
    const f = finding('b1', 'FAIL');
    expect(tracker.apply(f)).toEqual(tracker.apply(f));
    expect(tracker.finish(['us-east-1']).entries).toHaveLength(1);
  });

  it('lists a failing finding that is gone from a re-checked region as resolved', () => {
    const [, second] = scans({ findings: [finding('gone', 'FAIL')] }, { findings: [] });
    expect(second!.state.resolved.map((r) => r.uid)).toEqual(['gone']);
    expect(second!.state.entries).toEqual([]);
    expect(second!.state.history.at(-1)).toMatchObject({ resolved: 1, new: 0 });
  });

  it('carries over what this scan did not re-check: other regions and errored checks', () => {
    const [, second, third] = scans(
      {
        findings: [finding('eu', 'FAIL', { region: 'eu-west-1' }), finding('errored', 'FAIL')],
        regions: ['us-east-1', 'eu-west-1'],
      },
      // An on-demand scan of us-east-1 whose S3.8 check could not run.
      {
        findings: [
          finding('scope', 'ERROR', {
            resource: { uid: 'arn:aws:s3:::*', type: 'AWS::S3::Bucket', region: 'us-east-1' },
          }),
        ],
      },
      {
        findings: [finding('errored', 'FAIL'), finding('eu', 'PASS', { region: 'eu-west-1' })],
        regions: ['us-east-1', 'eu-west-1'],
      },
    );
    expect(second!.state.resolved).toEqual([]);
    expect(second!.state.entries.map((e) => e.uid).sort()).toEqual(['errored', 'eu', 'scope']);
    expect(third!.findings.map((f) => f.change)).toEqual(['still-failing', 'resolved']);
  });

  it('keeps the previous verdict of a finding whose check errored, and no change state', () => {
    const [, second, third] = scans(
      { findings: [finding('b1', 'FAIL')] },
      { findings: [finding('b1', 'ERROR')] },
      { findings: [finding('b1', 'PASS')] },
    );
    expect(second!.findings[0]!.change).toBeUndefined();
    expect(second!.state.entries[0]).toMatchObject({ failing: true, status: 'ERROR' });
    expect(third!.findings[0]!.change).toBe('resolved');
  });

  it('counts each scan into the history (SUPPRESSED apart) and keeps the last scans only', () => {
    const rounds = Array.from({ length: HISTORY_LENGTH + 2 }, (_, i) => ({
      findings: [
        finding('f', i % 2 === 0 ? 'FAIL' : 'PASS'),
        finding('s', 'SUPPRESSED', { severity: 'critical' }),
        finding('e', 'ERROR'),
      ],
    }));
    const last = scans(...rounds).at(-1)!.state;
    expect(last.history).toHaveLength(HISTORY_LENGTH);
    expect(last.history[0]!.scanId).toBe('scan-3');
    expect(last.history.at(-1)).toMatchObject({
      failed: { critical: 0, high: 0, medium: 0, low: 0, informational: 0 },
      suppressed: 1,
      errors: 1,
      passed: 1,
      resolved: 1,
      reopened: 0,
    });
  });
});

describe('buildChanges', () => {
  it('lists findings by change state plus the gone ones, leaving SUPPRESSED out', () => {
    const [, second] = scans(
      { findings: [finding('fixed', 'FAIL'), finding('gone', 'FAIL'), finding('still', 'FAIL')] },
      {
        findings: [
          finding('fixed', 'PASS'),
          finding('still', 'FAIL'),
          finding('fresh', 'FAIL'),
          finding('hidden', 'SUPPRESSED'),
        ],
      },
    );
    const changes = buildChanges('scan-2', second!.findings, second!.state);
    expect(changes.counts).toEqual({ new: 1, stillFailing: 1, reopened: 0, resolved: 2 });
    expect(changes.previousScanId).toBe('scan-1');
    expect(changes.new.map((f) => f.uid)).toEqual(['fresh']);
    expect(changes.resolved.map((f) => [f.uid, f.status])).toEqual([
      ['fixed', 'PASS'],
      ['gone', 'GONE'],
    ]);
    expect(changes.stillFailing[0]).toMatchObject({
      uid: 'still',
      firstSeen: '2026-01-01T00:00:00.000Z',
      controlIds: ['S3.8', 'CIS-5.0 2.1.4'],
    });
  });
});

describe('parseState', () => {
  it('reads a state and refuses other JSON', () => {
    const [only] = scans({ findings: [finding('a', 'FAIL')] });
    expect(parseState(JSON.stringify(only!.state))).toEqual(only!.state);
    expect(parseState('{"version":2}')).toBeUndefined();
    expect(() => parseState('{')).toThrow(SyntaxError);
  });
});
