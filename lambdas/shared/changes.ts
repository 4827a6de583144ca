/**
 * What changed since the previous scans. The scanner keeps a per-scan state object in the audit
 * bucket (state/dt=…/<scanId>.json: every finding uid it knows, when it was first seen, whether it
 * fails) and gives each new finding `firstSeen` and a change state from the state before it:
 *
 * - new:           fails (FAIL or SUPPRESSED) and never failed before
 * - still-failing: failed at its last verdict and fails now
 * - reopened:      failed once, passed since, fails again
 * - resolved:      failed at its last verdict and passes now — or is gone (resource deleted) from a
 *                  region and check this scan re-checked; those are listed in the state's `resolved`
 *
 * A finding whose check errored this scan (or whose region the scan did not cover) is not
 * re-checked: its previous verdict and firstSeen carry over unchanged. Pure: no AWS calls.
 */
import {
  SEVERITIES,
  type ChangeState,
  type Finding,
  type FindingStatus,
  type Severity,
} from './findings';

/** Scans kept in the state's history (the HTML report's trend). */
export const HISTORY_LENGTH = 30;

/** What is kept of a finding that fails, so it can be listed once it is gone. */
export interface FindingRef {
  readonly uid: string;
  readonly checkId: string;
  readonly controlIds: readonly string[];
  readonly title: string;
  readonly severity: Severity;
  readonly resourceUid: string;
  readonly resourceType: string;
  readonly account: string;
  readonly region: string;
  readonly firstSeen: string;
}

export interface StateEntry {
  readonly uid: string;
  readonly firstSeen: string;
  /** Status at the last scan that saw it. */
  readonly status: FindingStatus;
  /** Fails at its last verdict (FAIL or SUPPRESSED; carried over while the check errors). */
  readonly failing: boolean;
  readonly everFailed: boolean;
  readonly checkId: string;
  readonly account: string;
  readonly region: string;
  readonly severity: Severity;
  readonly change?: ChangeState;
  /** Present while failing. */
  readonly ref?: FindingRef;
}

export interface TrendPoint {
  readonly scanId: string;
  readonly startedAt: string;
  /** FAIL findings by severity (SUPPRESSED counted apart). */
  readonly failed: Record<Severity, number>;
  readonly suppressed: number;
  readonly errors: number;
  readonly passed: number;
  readonly new: number;
  readonly reopened: number;
  readonly resolved: number;
}

export interface FindingState {
  readonly version: 1;
  readonly scanId: string;
  readonly startedAt: string;
  readonly previousScanId?: string;
  readonly entries: readonly StateEntry[];
  /** Findings that failed before and are gone now from a region and check this scan re-checked. */
  readonly resolved: readonly FindingRef[];
  /** Oldest first, this scan last. */
  readonly history: readonly TrendPoint[];
}

const failingStatus = (s: FindingStatus): boolean => s === 'FAIL' || s === 'SUPPRESSED';
/** Check, account and region: an ERROR for it means none of its resources were re-checked. */
export const checkScope = (f: { checkId: string; account: string; region: string }): string =>
  `${f.checkId}\n${f.account}\n${f.region}`;

/** The change state of a finding given its entry in the previous state. */
export function changeOf(
  status: FindingStatus,
  previous: Pick<StateEntry, 'failing' | 'everFailed'> | undefined,
): ChangeState | undefined {
  if (status === 'ERROR') return undefined;
  if (failingStatus(status)) {
    if (!previous) return 'new';
    if (previous.failing) return 'still-failing';
    return previous.everFailed ? 'reopened' : 'new';
  }
  return previous?.failing ? 'resolved' : undefined;
}

function refOf(f: Finding, firstSeen: string): FindingRef {
  return {
    uid: f.uid,
    checkId: f.checkId,
    controlIds: f.controlIds,
    title: f.title,
    severity: f.severity,
    resourceUid: f.resource.uid,
    resourceType: f.resource.type,
    account: f.account,
    region: f.region,
    firstSeen,
  };
}

/**
 * Gives findings their firstSeen and change state against `previous`, and builds the next state.
 * `apply` may see the same finding more than once (the scanner serializes in two passes): it
 * records by uid, so the result is the same.
 */
export class ChangeTracker {
  private readonly before = new Map<string, StateEntry>();
  private readonly now = new Map<string, StateEntry>();
  private readonly erroredScopes = new Set<string>();

  constructor(
    private readonly previous: FindingState | undefined,
    private readonly scan: { readonly scanId: string; readonly startedAt: string },
  ) {
    for (const e of previous?.entries ?? []) this.before.set(e.uid, e);
  }

  apply(f: Finding): Finding {
    const prev = this.before.get(f.uid);
    const firstSeen = prev?.firstSeen ?? this.scan.startedAt;
    const change = changeOf(f.status, prev);
    if (f.status === 'ERROR') this.erroredScopes.add(checkScope(f));
    const failing = f.status === 'ERROR' ? (prev?.failing ?? false) : failingStatus(f.status);
    const ref = failing
      ? f.status === 'ERROR' && prev?.ref
        ? prev.ref
        : refOf(f, firstSeen)
      : undefined;
    this.now.set(f.uid, {
      uid: f.uid,
      firstSeen,
      status: f.status,
      failing,
      everFailed: (prev?.everFailed ?? false) || failing,
      checkId: f.checkId,
      account: f.account,
      region: f.region,
      severity: f.severity,
      ...(change ? { change } : {}),
      ...(ref ? { ref } : {}),
    });
    return { ...f, firstSeen, ...(change ? { change } : {}) };
  }

  /**
   * The state after this scan. `regions` are those the scan covered: entries of other regions,
   * and of checks that errored, carry over; other entries not seen again are gone (resolved when
   * they failed).
   */
  finish(regions: Iterable<string>): FindingState {
    const covered = new Set(regions);
    for (const e of this.now.values()) covered.add(e.region);
    const entries = [...this.now.values()];
    const resolved: FindingRef[] = [];
    for (const e of this.before.values()) {
      if (this.now.has(e.uid)) continue;
      const rechecked = covered.has(e.region) && !this.erroredScopes.has(checkScope(e));
      if (!rechecked) entries.push(e);
      else if (e.failing && e.ref) resolved.push(e.ref);
    }
    const failed = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
    const point = {
      scanId: this.scan.scanId,
      startedAt: this.scan.startedAt,
      failed,
      suppressed: 0,
      errors: 0,
      passed: 0,
      new: 0,
      reopened: 0,
      resolved: resolved.length,
    };
    for (const e of this.now.values()) {
      if (e.status === 'FAIL') failed[e.severity] += 1;
      else if (e.status === 'SUPPRESSED') point.suppressed += 1;
      else if (e.status === 'ERROR') point.errors += 1;
      else point.passed += 1;
      if (e.status === 'SUPPRESSED') continue;
      if (e.change === 'new') point.new += 1;
      else if (e.change === 'reopened') point.reopened += 1;
      else if (e.change === 'resolved') point.resolved += 1;
    }
    return {
      version: 1,
      scanId: this.scan.scanId,
      startedAt: this.scan.startedAt,
      ...(this.previous ? { previousScanId: this.previous.scanId } : {}),
      entries,
      resolved,
      history: [...(this.previous?.history ?? []), point].slice(-HISTORY_LENGTH),
    };
  }
}

/** A finding as listed in changes.json. */
export interface ChangedFinding extends FindingRef {
  readonly status: FindingStatus | 'GONE';
  readonly change: ChangeState;
}

export interface ChangesReport {
  readonly scanId: string;
  readonly previousScanId?: string;
  /** Counts exclude SUPPRESSED findings (reported apart in report.json). */
  readonly counts: Record<'new' | 'stillFailing' | 'reopened' | 'resolved', number>;
  readonly new: ChangedFinding[];
  readonly reopened: ChangedFinding[];
  readonly resolved: ChangedFinding[];
  readonly stillFailing: ChangedFinding[];
}

/**
 * changes.json: the scan's findings by change state, plus the resolved findings that are gone
 * (from the scan's state; pass undefined when it could not be read). SUPPRESSED findings are left
 * out: they never alert and are counted apart.
 */
export function buildChanges(
  scanId: string,
  findings: Iterable<Finding>,
  state: Pick<FindingState, 'resolved' | 'previousScanId'> | undefined,
): ChangesReport {
  const lists: Record<ChangeState, ChangedFinding[]> = {
    new: [],
    'still-failing': [],
    reopened: [],
    resolved: [],
  };
  for (const f of findings) {
    if (!f.change || f.status === 'SUPPRESSED') continue;
    lists[f.change].push({
      ...refOf(f, f.firstSeen ?? f.observedAt),
      status: f.status,
      change: f.change,
    });
  }
  for (const ref of state?.resolved ?? []) {
    lists.resolved.push({ ...ref, status: 'GONE', change: 'resolved' });
  }
  return {
    scanId,
    ...(state?.previousScanId ? { previousScanId: state.previousScanId } : {}),
    counts: {
      new: lists.new.length,
      stillFailing: lists['still-failing'].length,
      reopened: lists.reopened.length,
      resolved: lists.resolved.length,
    },
    new: lists.new,
    reopened: lists.reopened,
    resolved: lists.resolved,
    stillFailing: lists['still-failing'],
  };
}

/** Parses a state object; undefined when it is not one (logged by the caller). */
export function parseState(text: string): FindingState | undefined {
  const value = JSON.parse(text) as Partial<FindingState>;
  if (value?.version !== 1 || !Array.isArray(value.entries) || !Array.isArray(value.history)) {
    return undefined;
  }
  return { resolved: [], ...value } as FindingState;
}
