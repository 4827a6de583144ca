/** Scan ids: one module of its own, so tasks that only need an id do not load the scan. */
import { randomBytes } from 'node:crypto';

/** Sortable, unique scan id: compact UTC start time plus 8 random hex digits. */
export function newScanId(startedAt: Date): string {
  const compact = startedAt.toISOString().replace(/[-:.]/g, '');
  return `${compact}-${randomBytes(4).toString('hex')}`;
}
