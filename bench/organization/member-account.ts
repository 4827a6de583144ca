/** A SyntheticAccount (bench/scanner) with the id and region of one member account's part. */
import { SyntheticAccount } from '../scanner/account';

export function memberAccount(
  resources: number,
  accountId: string,
  region: string,
  nowMs?: number,
): SyntheticAccount {
  // SyntheticAccount fixes one id and region (single-account benchmark); a member has its own.
  return Object.assign(new SyntheticAccount(resources, nowMs), { accountId, region });
}
