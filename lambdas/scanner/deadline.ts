/** When a scanner invocation stops collecting (its own module: org-shard uses it too). */

/**
 * Time kept for evaluating and writing after collection stops: findings of a large account are
 * written in seconds, so a minute is ample; never more than half of what is left.
 */
export const WRITE_RESERVE_MS = 60_000;

/** Epoch ms at which collection must stop for this invocation. */
export function scanDeadline(remainingMs: number, now = Date.now()): number {
  return now + remainingMs - Math.min(WRITE_RESERVE_MS, remainingMs / 2);
}
