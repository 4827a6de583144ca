/**
 * What the scanner does to each finding between the checks and the findings object: apply the
 * reviewed suppressions (shared/suppressions.ts), then give it firstSeen and its change state
 * against the previous scan's state (shared/changes.ts); afterwards, write this scan's state.
 * run-scan.ts calls it in three places (start, map each batch, save).
 *
 * IAM actions:
 * - s3:GetObject on arn:aws:s3:::<audit bucket>/suppressions/* and …/state/*
 * - s3:PutObject on arn:aws:s3:::<audit bucket>/state/*
 * (plus kms:Decrypt / kms:GenerateDataKey on the audit data key, which the scanner has)
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { ChangeTracker, parseState, type FindingState } from '../shared/changes';
import { errorMessage } from '../shared/errors';
import { findingUid, type Finding } from '../shared/findings';
import { CHANGE_METRICS } from '../shared/metric-names';
import { logger, metrics } from '../shared/observability';
import {
  getText,
  putText,
  readSuppressor,
  stateKey,
  SUPPRESSIONS_KEY,
  type ScanPointer,
} from '../shared/store';
import { suppressor, type Suppressor } from '../shared/suppressions';

/** Check id of the ERROR finding for a suppressions object the scanner could not use. */
export const SUPPRESSIONS_CHECK_ID = 'Audit.Suppressions';

export interface LifecycleOptions {
  readonly scanId: string;
  readonly startedAt: string;
  readonly account: string;
  readonly homeRegion: string;
  readonly partition: string;
  /** latest.json before this scan: its scan's state is the baseline. */
  readonly previous?: Pick<ScanPointer, 'scanId' | 'startedAt'>;
  readonly now?: Date;
}

export interface Lifecycle {
  /** Suppression, then firstSeen and change state. */
  apply(finding: Finding): Finding;
  /**
   * Each batch mapped through `apply`, then the lifecycle's own findings (if any) unless
   * `withOwn` is false (an organization scan serializes many accounts and adds them once).
   */
  batches(source: Iterable<Finding[]>, withOwn?: boolean): Generator<Finding[]>;
  /** The lifecycle's own findings (the suppressions ERROR, when it could not apply them). */
  ownFindings(): Finding[];
  /** Writes state/dt=…/<scanId>.json; call after the findings object, before latest.json. */
  save(regions: Iterable<string>): Promise<FindingState>;
}

/** The ERROR finding that says no suppression could be applied, and why. */
export function suppressionsErrorFinding(
  o: LifecycleOptions,
  bucket: string,
  why: string,
): Finding {
  const uid = `arn:${o.partition}:s3:::${bucket}/${SUPPRESSIONS_KEY}`;
  return {
    uid: findingUid(SUPPRESSIONS_CHECK_ID, o.account, o.homeRegion, uid),
    checkId: SUPPRESSIONS_CHECK_ID,
    controlIds: [],
    title: 'The reviewed suppressions should be readable by the scanner',
    severity: 'high',
    status: 'ERROR',
    statusDetail:
      `No suppression was applied: s3://${bucket}/${SUPPRESSIONS_KEY} ${why}. ` +
      'Every finding shows its own verdict until the object is readable again.',
    resource: { uid, type: 'AWS::S3::Object', region: o.homeRegion, name: SUPPRESSIONS_KEY },
    account: o.account,
    region: o.homeRegion,
    remediation: {
      desc: 'Deploy the stack (it uploads the suppressions file) and check the scanner can read the object and decrypt it with the audit data key.',
      references: [],
    },
    scanId: o.scanId,
    observedAt: o.startedAt,
  };
}

async function loadSuppressor(
  s3: S3Client,
  bucket: string,
  o: LifecycleOptions,
): Promise<{ suppress: Suppressor; error?: Finding }> {
  const now = o.now ?? new Date();
  const read = await readSuppressor(s3, bucket, now);
  if ('suppress' in read) return read;
  return {
    suppress: suppressor([], now),
    error: suppressionsErrorFinding(o, bucket, read.problem),
  };
}

/**
 * The previous scan's state, or undefined (first scan, a scan from before states existed, or a
 * state that is not JSON: logged, and every finding counts as new). A failed read throws.
 */
async function loadState(
  s3: S3Client,
  bucket: string,
  previous: LifecycleOptions['previous'],
): Promise<FindingState | undefined> {
  if (!previous) return undefined;
  const key = stateKey(previous.scanId, previous.startedAt);
  const text = await getText(s3, bucket, key);
  if (text === undefined) {
    logger.warn('No state for the previous scan; every finding counts as new', { key });
    return undefined;
  }
  try {
    const state = parseState(text);
    if (!state) logger.warn('Previous state is not a state object; starting afresh', { key });
    return state;
  } catch (err) {
    logger.warn('Previous state is not JSON; starting afresh', { key, error: errorMessage(err) });
    return undefined;
  }
}

export async function startLifecycle(
  s3: S3Client,
  bucket: string,
  options: LifecycleOptions,
): Promise<Lifecycle> {
  const [{ suppress, error }, state] = await Promise.all([
    loadSuppressor(s3, bucket, options),
    loadState(s3, bucket, options.previous),
  ]);
  if (error) logger.error('Suppressions not applied', { statusDetail: error.statusDetail });
  const tracker = new ChangeTracker(state, options);
  const apply = (f: Finding): Finding => tracker.apply(suppress.apply(f));
  return {
    apply,
    *batches(source, withOwn = true) {
      for (const batch of source) yield batch.map(apply);
      if (error && withOwn) yield [apply(error)];
    },
    ownFindings: () => (error ? [apply(error)] : []),
    async save(regions) {
      const next = tracker.finish(regions);
      // Compact: the state lists every finding uid the scans know.
      const key = stateKey(options.scanId, options.startedAt);
      await putText(s3, bucket, key, JSON.stringify(next), 'application/json');
      const point = next.history[next.history.length - 1];
      metrics.addMetric(CHANGE_METRICS.new, MetricUnit.Count, point.new + point.reopened);
      metrics.addMetric(CHANGE_METRICS.resolved, MetricUnit.Count, point.resolved);
      metrics.addMetric(CHANGE_METRICS.suppressed, MetricUnit.Count, point.suppressed);
      return next;
    },
  };
}
