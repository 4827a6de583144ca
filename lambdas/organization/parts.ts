/**
 * A shard's inventory part: what one (account, region) or (account, `global`) shard read, as plain
 * JSON (Observed / Listed values serialize as they are), or why it read nothing. org-shard writes
 * one per shard; org-merge reads them back and combines an account's parts into one Inventory.
 */
import type {
  CollectionError,
  IamInventory,
  RegionInventory,
  S3Inventory,
} from '../scanner/inventory/types';

interface PartBase {
  readonly account: string;
  /** `global` or the region name. */
  readonly part: string;
}

export interface ScannedCalls {
  /** Every call that failed (they become ERROR findings through the inventory). */
  readonly errors: readonly CollectionError[];
  /** Per region: reads that answered and reads that failed. */
  readonly callsByRegion: Readonly<
    Record<string, { readonly ok: number; readonly failed: number }>
  >;
}

export type ShardPart =
  | (PartBase &
      ScannedCalls & {
        readonly status: 'scanned';
        readonly s3: S3Inventory;
        readonly iam: IamInventory;
      })
  | (PartBase & ScannedCalls & { readonly status: 'scanned'; readonly region: RegionInventory })
  /** The region is not enabled for the account: reported in the coverage, never judged. */
  | (PartBase & { readonly status: 'not-enabled'; readonly reason: string })
  /** The shard could not scan (the member role could not be assumed …): ERROR for all it hid. */
  | (PartBase & { readonly status: 'failed'; readonly error: CollectionError });

/** Parses a part read back from S3, checking the fields the merge relies on. */
export function parsePart(text: string, key: string): ShardPart {
  const part = JSON.parse(text) as ShardPart;
  const ok =
    typeof part?.account === 'string' &&
    typeof part.part === 'string' &&
    (part.status === 'scanned' || part.status === 'not-enabled' || part.status === 'failed');
  if (!ok) throw new Error(`s3://…/${key} is not an inventory part`);
  return part;
}
