/**
 * An order-independent digest of a check's findings, so the benchmark can compare every finding
 * the scan wrote with the one the synthetic account implies — resource, region and status, not
 * just counts — without keeping either set: each finding hashes (FNV-1a, 32 bits) its
 * `checkId|region|resource uid|status`, and a check's digest is the sum of those hashes (mod
 * 2^32). A lost, extra or changed finding changes the sum (a collision is a 1 in 2^32 chance).
 */

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const SEPARATOR = 0x7c; // '|'

/** Continues an FNV-1a hash over bytes [start, end) of `bytes`. */
function update(hash: number, bytes: Uint8Array, start = 0, end = bytes.length): number {
  let h = hash;
  for (let i = start; i < end; i += 1) h = Math.imul(h ^ bytes[i]!, FNV_PRIME) >>> 0;
  return h;
}

/** Hash of `region|uid|status` given as [start, end) slices of one buffer (a JSONL line). */
export function sliceHash(
  checkId: readonly [number, number],
  region: readonly [number, number],
  uid: readonly [number, number],
  status: readonly [number, number],
  bytes: Uint8Array,
): number {
  let h = FNV_OFFSET;
  const parts = [checkId, region, uid, status];
  parts.forEach(([start, end], n) => {
    if (n > 0) h = Math.imul(h ^ SEPARATOR, FNV_PRIME) >>> 0;
    h = update(h, bytes, start, end);
  });
  return h;
}

/** The same hash from strings. */
export function findingHash(checkId: string, region: string, uid: string, status: string): number {
  return update(FNV_OFFSET, Buffer.from(`${checkId}|${region}|${uid}|${status}`));
}

/** Adds a finding's hash to a digest. */
export const addHash = (digest: number, hash: number) => (digest + hash) >>> 0;
