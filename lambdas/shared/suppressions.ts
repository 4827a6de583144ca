/**
 * Suppressions: reviewed entries (the repo's suppressions.yaml, uploaded by the stack as
 * suppressions/suppressions.json) that mark matching FAIL findings SUPPRESSED, with the entry's
 * reason, owner and expiry. Pure: the stack validates the file with `validateSuppressions` at
 * synth, the scanner parses the uploaded object with `parseSuppressions` and applies it with
 * `applySuppressions`.
 *
 * Rules: an entry names check ids, a resource ARN pattern (`*` any characters, `?` one) and
 * optionally accounts and regions; every entry has an owner, a reason and an expiry date at most
 * one year ahead. Only FAIL findings are suppressed (an ERROR always shows: it means "not
 * checked"). Once expired, an entry stops suppressing and the FAIL finding names it (`expired`),
 * so its owner is alerted. A suppressions object that cannot be read suppresses nothing: the
 * scanner reports it as an ERROR finding, never as "suppress all".
 */
import type { Finding, FindingSuppression } from './findings';

export interface SuppressionEntry {
  /** Unique name of the entry (lower-case letters, digits, hyphens). */
  readonly id: string;
  /** Check ids (`S3.8`, `Lambda.ReservedConcurrency`) the entry applies to. */
  readonly checks: readonly string[];
  /** Resource ARN pattern: `*` matches any characters, `?` one. */
  readonly resource: string;
  /** Accounts the entry applies to. @default - every account */
  readonly accounts?: readonly string[];
  /** Regions the entry applies to. @default - every region */
  readonly regions?: readonly string[];
  readonly reason: string;
  /** Who answers for the suppression (name or e-mail); named in the alert when it expires. */
  readonly owner: string;
  /** Last day (UTC, `YYYY-MM-DD`) the entry suppresses. */
  readonly expires: string;
}

/** The object the stack uploads (suppressions/suppressions.json). */
export interface SuppressionsDocument {
  /** The repo file it came from, for messages. */
  readonly source: string;
  readonly suppressions: readonly SuppressionEntry[];
}

const ID = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;
const CHECK_ID = /^[A-Za-z0-9]+(?:\.[A-Za-z0-9]+)+$/;
const ACCOUNT = /^\d{12}$/;
const REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const KEYS = ['id', 'checks', 'resource', 'accounts', 'regions', 'reason', 'owner', 'expires'];
const MAX_TEXT = 512;
const DAY_MS = 86_400_000;

export interface ValidationOptions {
  /** Synth date: expiry dates must be at most one year after it. Unset at run time. */
  readonly today?: Date;
  /** Check ids the scanner knows: an unknown id (a typo) would silently suppress nothing. */
  readonly knownChecks?: ReadonlySet<string>;
}

export interface ValidationResult {
  readonly entries: SuppressionEntry[];
  /** One sentence per problem, each naming its entry. */
  readonly problems: string[];
  /** Ids of entries already expired on `today` (allowed: they alert their owner at run time). */
  readonly expired: string[];
}

/** Midnight UTC of a `YYYY-MM-DD` date, or undefined when it is not a real calendar date. */
export function parseDay(day: string): number | undefined {
  const m = DATE.exec(day);
  if (!m) return undefined;
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return new Date(t).toISOString().slice(0, 10) === day ? t : undefined;
}

/** The same calendar day one year after `today` (29 February gives 1 March). */
export function oneYearAfter(today: Date): number {
  return Date.UTC(today.getUTCFullYear() + 1, today.getUTCMonth(), today.getUTCDate());
}

/** True while the entry suppresses: up to the end of its `expires` day (UTC). */
export function isActive(entry: Pick<SuppressionEntry, 'expires'>, now: Date): boolean {
  const day = parseDay(entry.expires);
  return day !== undefined && now.getTime() < day + DAY_MS;
}

const isText = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';
const isList = (v: unknown): v is string[] =>
  Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string');

/** Checks every entry; never throws. Entries with problems are left out of `entries`. */
export function validateSuppressions(
  doc: unknown,
  options: ValidationOptions = {},
): ValidationResult {
  const problems: string[] = [];
  const entries: SuppressionEntry[] = [];
  const expired: string[] = [];
  const list = (doc as { suppressions?: unknown } | null)?.suppressions;
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    return {
      entries,
      expired,
      problems: ['the file must be a mapping with a "suppressions" list'],
    };
  }
  const extraTop = Object.keys(doc).filter((k) => k !== 'suppressions' && k !== 'source');
  if (extraTop.length > 0) problems.push(`unknown top-level key(s): ${extraTop.join(', ')}`);
  if (list === undefined || list === null) return { entries, problems, expired };
  if (!Array.isArray(list)) {
    problems.push('"suppressions" must be a list of entries');
    return { entries, problems, expired };
  }
  const seen = new Set<string>();
  list.forEach((raw: unknown, i) => {
    const e = (raw ?? {}) as Record<string, unknown>;
    const name = `entry ${isText(e.id) ? `"${e.id}"` : `#${i + 1}`}`;
    const bad: string[] = [];
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      problems.push(`${name}: must be a mapping of ${KEYS.join(', ')}`);
      return;
    }
    const unknown = Object.keys(e).filter((k) => !KEYS.includes(k));
    if (unknown.length > 0) bad.push(`unknown key(s) ${unknown.join(', ')}`);
    if (!isText(e.id) || !ID.test(e.id)) {
      bad.push('id: lower-case letters, digits and hyphens, at most 64 characters');
    } else if (seen.has(e.id)) {
      bad.push('id: used by an earlier entry');
    } else {
      seen.add(e.id);
    }
    if (!isList(e.checks) || e.checks.some((c) => !CHECK_ID.test(c))) {
      bad.push('checks: a list of check ids such as S3.8');
    } else if (options.knownChecks) {
      const unknownChecks = e.checks.filter((c) => !options.knownChecks!.has(c));
      if (unknownChecks.length > 0) bad.push(`checks: no such check ${unknownChecks.join(', ')}`);
    }
    if (!isText(e.resource) || !e.resource.startsWith('arn:') || e.resource.length > 2048) {
      bad.push('resource: an ARN pattern such as arn:aws:s3:::legacy-logs-* (never just "*")');
    }
    if (
      e.accounts !== undefined &&
      (!isList(e.accounts) || !e.accounts.every((a) => ACCOUNT.test(a)))
    )
      bad.push('accounts: a list of 12-digit account ids');
    if (e.regions !== undefined && (!isList(e.regions) || !e.regions.every((r) => REGION.test(r))))
      bad.push('regions: a list of region codes such as us-east-1');
    if (!isText(e.reason) || e.reason.length > MAX_TEXT)
      bad.push(`reason: why the finding is accepted, 1-${MAX_TEXT} characters`);
    if (!isText(e.owner) || e.owner.length > 256)
      bad.push('owner: who answers for it (name or e-mail), 1-256 characters');
    // YAML reads an unquoted 2026-01-31 as a date; the stack hands dates over as YYYY-MM-DD text.
    const expires = e.expires instanceof Date ? e.expires.toISOString().slice(0, 10) : e.expires;
    const day = typeof expires === 'string' ? parseDay(expires) : undefined;
    if (day === undefined) {
      bad.push('expires: a date YYYY-MM-DD (required)');
    } else if (options.today && day > oneYearAfter(options.today)) {
      bad.push(
        `expires: ${expires as string} is more than one year ahead (at most ${new Date(oneYearAfter(options.today)).toISOString().slice(0, 10)})`,
      );
    }
    if (bad.length > 0) {
      problems.push(`${name}: ${bad.join('; ')}`);
      return;
    }
    const entry: SuppressionEntry = {
      id: e.id as string,
      checks: [...(e.checks as string[])],
      resource: e.resource as string,
      ...(e.accounts ? { accounts: [...(e.accounts as string[])] } : {}),
      ...(e.regions ? { regions: [...(e.regions as string[])] } : {}),
      reason: (e.reason as string).trim(),
      owner: (e.owner as string).trim(),
      expires: expires as string,
    };
    if (options.today && !isActive(entry, options.today)) expired.push(entry.id);
    entries.push(entry);
  });
  return { entries, problems, expired };
}

/** The uploaded object's entries; throws (naming every problem) when it is not valid. */
export function parseSuppressions(text: string): SuppressionEntry[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new Error(`not valid JSON (${(err as Error).message})`, { cause: err });
  }
  const { entries, problems } = validateSuppressions(doc);
  if (problems.length > 0) throw new Error(problems.join('; '));
  return entries;
}

/** `*` any run of characters, `?` exactly one; everything else literal; the whole ARN must match. */
export function arnPattern(pattern: string): RegExp {
  const body = pattern
    .split('')
    .map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${body}$`, 's');
}

/** What a suppression entry is matched on. */
export interface SuppressionTarget {
  readonly checkId: string;
  readonly account: string;
  readonly region: string;
  /** The resource's ARN (a finding's `resource.uid`). */
  readonly resourceUid: string;
}

export interface Suppressor {
  /** The finding with its suppression applied (the same object when nothing matches). */
  apply(finding: Finding): Finding;
  /**
   * The active suppression of a failing `target`, if any (for what acts on one resource outside
   * a scan: Config-triggered remediation).
   */
  activeFor(target: SuppressionTarget): FindingSuppression | undefined;
}

/**
 * Matches findings against the entries at `now`. An active entry suppresses a FAIL finding; when
 * only expired entries match, the FAIL finding stays FAIL and names the (latest) expired entry.
 */
export function suppressor(entries: readonly SuppressionEntry[], now: Date): Suppressor {
  const compiled = entries.map((e) => ({
    e,
    re: arnPattern(e.resource),
    active: isActive(e, now),
  }));
  const toSuppression = (e: SuppressionEntry, expired: boolean): FindingSuppression => ({
    id: e.id,
    reason: e.reason,
    owner: e.owner,
    expires: e.expires,
    ...(expired ? { expired: true } : {}),
  });
  const matching = (t: SuppressionTarget) =>
    compiled.filter(
      ({ e, re }) =>
        e.checks.includes(t.checkId) &&
        (!e.accounts || e.accounts.includes(t.account)) &&
        (!e.regions || e.regions.includes(t.region)) &&
        re.test(t.resourceUid),
    );
  return {
    apply(f) {
      if (f.status !== 'FAIL' || compiled.length === 0) return f;
      const matches = matching({ ...f, resourceUid: f.resource.uid });
      const active = matches.find((m) => m.active);
      if (active)
        return { ...f, status: 'SUPPRESSED', suppression: toSuppression(active.e, false) };
      if (matches.length === 0) return f;
      const latest = matches.reduce((a, b) => (a.e.expires >= b.e.expires ? a : b));
      return { ...f, suppression: toSuppression(latest.e, true) };
    },
    activeFor(target) {
      const active = matching(target).find((m) => m.active);
      return active && toSuppression(active.e, false);
    },
  };
}
