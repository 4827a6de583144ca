/**
 * What a trail's event selectors record, read the way AWS Config's managed rules read them
 * (multi-region-cloudtrail-enabled for CloudTrail.1 and the CIS 4.x monitoring checks,
 * cloudtrail-all-{write,read}-s3-data-event-check for S3.22 / S3.23). A trail logs the union of
 * its selectors, so a direction counts when one selector records it without narrowing.
 */
import type { TrailFieldSelector, TrailInventory, TrailSelectors } from '../inventory/types';

export interface Directions {
  readonly read: boolean;
  readonly write: boolean;
}

const NONE: Directions = { read: false, write: false };

function union(list: readonly Directions[]): Directions {
  return {
    read: list.some((d) => d.read),
    write: list.some((d) => d.write),
  };
}

function byReadWriteType(readWriteType: string): Directions {
  return {
    read: readWriteType === 'All' || readWriteType === 'ReadOnly',
    write: readWriteType === 'All' || readWriteType === 'WriteOnly',
  };
}

/** Only `Equals` is valid on `eventCategory`, `resources.type` and `readOnly`. */
function equalsOnly(f: TrailFieldSelector): readonly string[] | undefined {
  const others = [f.notEquals, f.startsWith, f.notStartsWith, f.endsWith, f.notEndsWith];
  return others.some((v) => v && v.length > 0) ? undefined : f.equals;
}

/** Directions a `readOnly` condition admits (no condition: both). */
function readOnlyAdmits(f: TrailFieldSelector | undefined): Directions {
  if (!f) return { read: true, write: true };
  const values = equalsOnly(f) ?? [];
  return { read: values.includes('true'), write: values.includes('false') };
}

/**
 * Directions an advanced selector admits for `category` when every other condition is one of
 * `allowed` (any other condition — an eventSource exclusion, an eventName, a user — narrows it).
 */
function advancedAdmits(
  selector: readonly TrailFieldSelector[],
  category: 'Management' | 'Data',
  allowed: (f: TrailFieldSelector) => boolean,
): Directions {
  const byField = new Map(selector.map((f) => [f.field, f]));
  const cat = byField.get('eventCategory');
  if (!cat || !(equalsOnly(cat) ?? []).includes(category)) return NONE;
  for (const f of selector) {
    if (f.field !== 'eventCategory' && f.field !== 'readOnly' && !allowed(f)) return NONE;
  }
  return readOnlyAdmits(byField.get('readOnly'));
}

/** `resources.ARN StartsWith arn:<partition>:s3:::` alone is no narrowing: it matches every bucket. */
function everyBucketPrefix(f: TrailFieldSelector, allBuckets: readonly string[]): boolean {
  const others = [f.equals, f.notEquals, f.notStartsWith, f.endsWith, f.notEndsWith];
  return (
    f.field === 'resources.ARN' &&
    !others.some((v) => v && v.length > 0) &&
    (f.startsWith ?? []).some((v) => allBuckets.includes(v))
  );
}

/**
 * Management events recorded with no source excluded (Config's rule is NON_COMPLIANT when
 * ExcludeManagementEventSources is set or an advanced selector excludes an event source).
 */
export function managementEvents(selectors: TrailSelectors): Directions {
  return union([
    ...selectors.basic
      .filter((s) => s.includeManagementEvents && s.excludeManagementEventSources.length === 0)
      .map((s) => byReadWriteType(s.readWriteType)),
    ...selectors.advanced.map((s) => advancedAdmits(s, 'Management', () => false)),
  ]);
}

/** S3 object-level data events recorded for every bucket (current and future). */
export function s3ObjectEvents(selectors: TrailSelectors, partition: string): Directions {
  const allBuckets = [`arn:${partition}:s3`, `arn:${partition}:s3:::`];
  return union([
    ...selectors.basic
      .filter((s) =>
        s.dataResources.some(
          (r) => r.type === 'AWS::S3::Object' && r.values.some((v) => allBuckets.includes(v)),
        ),
      )
      .map((s) => byReadWriteType(s.readWriteType)),
    ...selectors.advanced
      .filter((s) =>
        s.some(
          (f) => f.field === 'resources.type' && (equalsOnly(f) ?? []).includes('AWS::S3::Object'),
        ),
      )
      .map((s) =>
        advancedAdmits(
          s,
          'Data',
          (f) => f.field === 'resources.type' || everyBucketPrefix(f, allBuckets),
        ),
      ),
  ]);
}

/** What the selectors miss of read and write management events; undefined when they record both. */
export function managementShortfall(selectors: TrailSelectors): string | undefined {
  const m = managementEvents(selectors);
  if (m.read && m.write) return undefined;
  const missing = m.read ? 'write' : m.write ? 'read' : 'read or write';
  return `does not record ${missing} management events from every event source`;
}

/**
 * Known to be a multi-Region trail that is logging and records read and write management events
 * (CloudTrail.1's trail, and the only kind the CIS 4.x monitoring checks accept).
 */
export function recordsAllManagement(t: TrailInventory): boolean {
  return (
    t.isMultiRegion &&
    t.isLogging.ok &&
    t.isLogging.value &&
    t.selectors.ok &&
    t.selectors.value !== null &&
    managementShortfall(t.selectors.value) === undefined
  );
}
