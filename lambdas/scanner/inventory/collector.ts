/**
 * Shared machinery of the collectors: bounded concurrency per API operation (p-limit,
 * SCAN_CONCURRENCY calls in flight per operation and region — AWS limits each API separately, so
 * a slow, throttled API never holds slots another one could use; the clients pace each operation
 * to the rate AWS admits, see shared/rate-limit.ts), a bounded fan-out over resources (`each`),
 * and turning each failed call into a recorded CollectionError instead of a default. "Not
 * configured" answers (NoSuchBucketPolicy, …) are not errors: the caller names them and the value
 * they stand for.
 */
import pLimit, { type LimitFunction } from 'p-limit';
import { classifyError, DeadlineReachedError, errorMessage, errorName } from '../../shared/errors';
import { logger } from '../../shared/observability';
import type { CollectionError, Listed, Observed, ServiceName } from './types';

/** Where a call was made: enough to say in an ERROR finding what could not be read. */
export interface CallSite {
  readonly service: ServiceName;
  readonly region: string;
  readonly operation: string;
  readonly resourceUid?: string;
}

/** Error names that mean "not configured" for this call, and the value they stand for. */
export interface MissingMeans<T> {
  readonly names: readonly string[];
  readonly value: T;
}

/** When the collection must stop: no call starts after `at`, and calls still running are abandoned. */
export interface Deadline {
  /** Epoch milliseconds. */
  readonly at: number;
  /** Clock (tests pin it); default Date.now. */
  readonly now?: () => number;
}

/** Resources in flight per SCAN_CONCURRENCY slot (each resource needs several calls). */
const FAN_OUT_PER_SLOT = 4;

/** Calls that answered and calls that failed, in one region. */
export interface CallOutcomes {
  ok: number;
  failed: number;
}

export class Collector {
  readonly errors: CollectionError[] = [];
  /** Per region: how many reads answered and how many failed (a region where all failed was not reached). */
  readonly outcomes: Record<string, CallOutcomes> = {};
  private readonly limits = new Map<string, LimitFunction>();

  constructor(
    readonly account: string,
    readonly partition: string,
    private readonly concurrency: number,
    /** Waits between credential-report polls; injectable so tests do not sleep. */
    readonly sleep: (ms: number) => Promise<void>,
    private readonly deadline?: Deadline,
  ) {}

  /** True once the deadline has passed: nothing new may start. */
  expired(): boolean {
    return this.deadline !== undefined && (this.deadline.now ?? Date.now)() >= this.deadline.at;
  }

  /**
   * Runs `fn` unless the deadline has passed, and stops waiting for it when the deadline comes
   * (the request may still complete, unseen): either way a DeadlineReachedError, which becomes an
   * ERROR finding saying "not reached before the deadline".
   */
  beforeDeadline<T>(fn: () => Promise<T>): Promise<T> {
    if (!this.deadline) return fn();
    if (this.expired()) return Promise.reject(new DeadlineReachedError());
    const left = this.deadline.at - (this.deadline.now ?? Date.now)();
    let timer: NodeJS.Timeout | undefined;
    const expiry = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new DeadlineReachedError()), left);
      timer.unref();
    });
    return Promise.race([fn(), expiry]).finally(() => clearTimeout(timer));
  }

  /**
   * Runs one API call through its lane's limiter: the operation's in a region when the site names
   * them, else the service's. Never nest: the unit is a single call.
   */
  call<T>(
    service: ServiceName,
    fn: () => Promise<T>,
    site?: Omit<CallSite, 'service'>,
  ): Promise<T> {
    const lane = site ? `${service}:${site.region}:${site.operation}` : service;
    let limit = this.limits.get(lane);
    if (!limit) {
      limit = pLimit(this.concurrency);
      this.limits.set(lane, limit);
    }
    return limit(() => this.beforeDeadline(fn));
  }

  /**
   * `fn` over every item with a bounded number of items in flight (so a 10,000-bucket account
   * does not queue 80,000 calls at once), results in input order.
   */
  async each<T, R>(items: readonly T[], fn: (item: T) => Promise<R>): Promise<R[]> {
    const results = new Array<R>(items.length);
    let next = 0;
    const worker = async () => {
      while (next < items.length) {
        const i = next;
        next += 1;
        try {
          results[i] = await fn(items[i]!);
        } catch (err) {
          next = items.length; // the others stop taking items too
          throw err;
        }
      }
    };
    const workers = Math.min(items.length, this.concurrency * FAN_OUT_PER_SLOT);
    await Promise.all(Array.from({ length: workers }, worker));
    return results;
  }

  private tally(region: string, ok: boolean): void {
    const o = (this.outcomes[region] ??= { ok: 0, failed: 0 });
    if (ok) o.ok += 1;
    else o.failed += 1;
  }

  /** Records a failed call and returns the error for the inventory. */
  record(site: CallSite, err: unknown): CollectionError {
    const error: CollectionError = {
      ...site,
      kind: classifyError(err),
      code: errorName(err),
      message: errorMessage(err),
    };
    this.errors.push(error);
    this.tally(site.region, false);
    logger.warn('Collection call failed', { ...error });
    return error;
  }

  /** One call whose result (or the error that hid it) goes into the inventory. */
  async observe<T>(
    site: CallSite,
    fn: () => Promise<T>,
    missing?: MissingMeans<T>,
  ): Promise<Observed<T>> {
    try {
      const value = await this.call(site.service, fn, site);
      this.tally(site.region, true);
      return { ok: true, value };
    } catch (err) {
      if (missing && missing.names.includes(errorName(err))) {
        this.tally(site.region, true);
        return { ok: true, value: missing.value };
      }
      return { ok: false, error: this.record(site, err) };
    }
  }

  /**
   * Drains a paginator. A failure on any page keeps the items already read and records the
   * error, so checks evaluate what was seen and report ERROR for what the failure hid.
   */
  async list<P, T>(
    site: CallSite,
    pages: () => AsyncIterable<P>,
    pick: (page: P) => readonly T[] | undefined,
  ): Promise<Listed<T>> {
    const items: T[] = [];
    const iterator = pages()[Symbol.asyncIterator]();
    try {
      for (;;) {
        const next = await this.beforeDeadline(() => iterator.next());
        if (next.done) {
          this.tally(site.region, true);
          return { items };
        }
        items.push(...(pick(next.value) ?? []));
      }
    } catch (err) {
      return { items, error: this.record(site, err) };
    }
  }
}

/** An Observed that failed for the same reason as `error` (used when a prerequisite failed). */
export function failedWith<T>(error: CollectionError): Observed<T> {
  return { ok: false, error };
}

export function tagsFrom(
  list: readonly { Key?: string; Value?: string }[] | undefined,
): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const t of list ?? []) if (t.Key !== undefined) tags[t.Key] = t.Value ?? '';
  return tags;
}

export function isoDate(d: Date | string | undefined): string | undefined {
  if (d === undefined) return undefined;
  const date = d instanceof Date ? d : new Date(d);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}
