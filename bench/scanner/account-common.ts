/**
 * What every part of the synthetic account shares: tags, statuses, the expectations a profile
 * declares, and where a regional resource lives. Regional resources are numbered globally: index
 * `i` lives in region slot `i % regions` as the region's item `j = floor(i / regions)`, and its
 * profile is picked by `j`, so every region holds every profile (and a region's first item of a
 * kind always has profile 0, which other resources can point at).
 */

export const MANDATORY_TAGS = ['Environment', 'Owner', 'CostCenter', 'ComplianceLevel'] as const;
/** An account that is not this one (a partner, or the owner of a shared resource). */
export const OTHER_ACCOUNT = '111122223333';

export type Tag = readonly [key: string, value: string];
export type Status = 'PASS' | 'FAIL';
/** Expected statuses of one resource, by check id (checks that give it no finding are absent). */
export type Expect = Readonly<Record<string, Status>>;

export const ALL_TAGS: readonly Tag[] = MANDATORY_TAGS.map((k) => [k, `bench-${k.toLowerCase()}`]);
export const SOME_TAGS: readonly Tag[] = [
  ['Owner', 'bench-owner'],
  ['Environment', 'bench'],
];

export const DAY_MS = 86_400_000;

export const pad = (i: number) => String(i).padStart(6, '0');
export const hex = (i: number, width: number) => i.toString(16).padStart(width, '0');

/** What a profile needs to know about the account it is part of. */
export interface AccountContext {
  readonly accountId: string;
  /** "Now" for ages and dates (ms). */
  readonly nowMs: number;
  /** Number of region slots. */
  readonly regionCount: number;
  /** Region name of a slot. */
  regionOf(slot: number): string;
  /** ARN of the region's KMS key `j` (key profile `j % KEY_PROFILES`). */
  keyArn(slot: number, j: number): string;
}

export interface Placement {
  readonly slot: number;
  /** Index within the region. */
  readonly j: number;
  readonly region: string;
}

export function placement(ctx: AccountContext, i: number): Placement {
  const slot = i % ctx.regionCount;
  return { slot, j: Math.floor(i / ctx.regionCount), region: ctx.regionOf(slot) };
}

/** Profile `j % profiles.length`. */
export function cycle<T>(profiles: readonly T[], j: number): T {
  return profiles[j % profiles.length]!;
}

/** How many of `total` items (numbered from 0) are in `slot` of `slots`. */
export function inSlot(total: number, slot: number, slots: number): number {
  return slot < 0 || slot >= total ? 0 : Math.floor((total - 1 - slot) / slots) + 1;
}

export function daysAgo(ctx: AccountContext, days: number): Date {
  return new Date(ctx.nowMs - days * DAY_MS);
}
