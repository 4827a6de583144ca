/**
 * The first task of an organization scan: which accounts and regions it covers, written to the
 * audit bucket as the plan (for org-merge) and the shard list (the Distributed Map's ItemReader
 * reads it, so the execution's state stays small however large the organization).
 *
 * Accounts: every ACTIVE account of the organization (organizations:ListAccounts), or of the
 * ORG_INCLUDE_OUS roots/OUs and every OU below them (ListChildren + ListAccountsForParent), less
 * ORG_EXCLUDE_ACCOUNTS. Suspended and closed accounts are skipped and named in the plan. Regions:
 * the request's, else SCAN_REGIONS, else every region enabled for the audit account; each shard
 * checks that its account has its region enabled.
 *
 * IAM actions: `organizations:ListAccounts`, `organizations:ListAccountsForParent`,
 * `organizations:ListChildren` — resource `*` (the organization's ARNs are not known to the stack);
 * `ec2:DescribeRegions` — `*`; `s3:PutObject` — `arn:aws:s3:::<audit-bucket>/org-scans/*`.
 */
import {
  OrganizationsClient,
  paginateListAccounts,
  paginateListAccountsForParent,
  paginateListChildren,
  type Account,
} from '@aws-sdk/client-organizations';
import { S3Client } from '@aws-sdk/client-s3';
import { awsClient } from '../shared/clients';
import { logger } from '../shared/observability';
import { putJson } from '../shared/store';
import { partitionOf } from '../shared/regions';
import { newScanId } from '../scanner/scan-id';
import { resolveScope } from '../scanner/scope';
import {
  GLOBAL_PART,
  orgScanKeys,
  type PlannedAccount,
  type PlannedScan,
  type ScanPlan,
  type ShardItem,
} from './layout';

/** Inline shard lists (an inline Map's items) stay well under Step Functions' 256 KiB payload. */
export const MAX_INLINE_SHARDS = 2_000;

export interface PlanOptions {
  readonly auditBucket: string;
  readonly homeRegion: string;
  /** Roots (`r-…`) and OUs (`ou-…`) whose accounts are scanned; empty: the whole organization. */
  readonly includeOus: readonly string[];
  readonly excludeAccounts: readonly string[];
  /** The request's regions, else SCAN_REGIONS; absent: every region enabled for the audit account. */
  readonly regions?: readonly string[];
  /** Return the items too, for an inline Map (a test's local execution): see MAX_INLINE_SHARDS. */
  readonly inlineShards?: boolean;
  readonly now?: () => Date;
}

/** Every account under the given roots/OUs, depth first, each once. */
async function accountsUnder(org: OrganizationsClient, parents: readonly string[]) {
  const found = new Map<string, Account>();
  const queue = [...parents];
  const seen = new Set<string>();
  while (queue.length > 0) {
    const parent = queue.shift()!;
    if (seen.has(parent)) continue;
    seen.add(parent);
    for await (const page of paginateListAccountsForParent({ client: org }, { ParentId: parent }))
      for (const a of page.Accounts ?? []) if (a.Id) found.set(a.Id, a);
    for await (const page of paginateListChildren(
      { client: org },
      { ParentId: parent, ChildType: 'ORGANIZATIONAL_UNIT' },
    ))
      for (const child of page.Children ?? []) if (child.Id) queue.push(child.Id);
  }
  return [...found.values()];
}

async function allAccounts(org: OrganizationsClient) {
  const accounts: Account[] = [];
  for await (const page of paginateListAccounts({ client: org }, {}))
    accounts.push(...(page.Accounts ?? []));
  return accounts;
}

const named = (a: Account): PlannedAccount =>
  a.Name ? { id: a.Id!, name: a.Name } : { id: a.Id! };

/** Accounts to scan and those skipped (with the reason), both sorted by id. */
export async function listScanAccounts(
  options: Pick<PlanOptions, 'homeRegion' | 'includeOus' | 'excludeAccounts'>,
) {
  // Organizations is a global service served from us-east-1 (aws-cn, aws-us-gov: their own).
  const org = awsClient(OrganizationsClient, options.homeRegion);
  const listed =
    options.includeOus.length > 0
      ? await accountsUnder(org, options.includeOus)
      : await allAccounts(org);
  const excluded = new Set(options.excludeAccounts);
  const accounts: PlannedAccount[] = [];
  const skipped: ScanPlan['skipped'][number][] = [];
  for (const a of listed.filter((x) => x.Id).sort((x, y) => x.Id!.localeCompare(y.Id!))) {
    // `State` replaces `Status` (removed from the API in September 2026).
    const state = a.State ?? a.Status ?? 'UNKNOWN';
    if (excluded.has(a.Id!)) skipped.push({ ...named(a), reason: 'ORG_EXCLUDE_ACCOUNTS' });
    else if (state !== 'ACTIVE') skipped.push({ ...named(a), reason: `account is ${state}` });
    else accounts.push(named(a));
  }
  return { accounts, skipped };
}

async function scanRegions(options: PlanOptions): Promise<{ regions: string[]; basis: string }> {
  if (options.regions) {
    return {
      regions: [...new Set(options.regions)],
      basis: 'the requested regions where each account has them enabled',
    };
  }
  const scope = await resolveScope(options.homeRegion, undefined);
  return {
    regions: [...scope.regions],
    basis: `${scope.basis.replace(/account/, 'audit account')}`,
  };
}

/** Shards: every account's global part first (usually the longest), then region by region. */
export function shardItems(accounts: readonly PlannedAccount[], regions: readonly string[]) {
  const items: ShardItem[] = accounts.map((a) => ({ account: a.id, region: GLOBAL_PART }));
  for (const region of regions) for (const a of accounts) items.push({ account: a.id, region });
  return items;
}

export async function planOrganizationScan(options: PlanOptions): Promise<PlannedScan> {
  const started = (options.now ?? (() => new Date()))();
  const startedAt = started.toISOString();
  const scanId = newScanId(started);
  const keys = orgScanKeys(scanId, startedAt);

  const [{ accounts, skipped }, { regions, basis: regionsBasis }] = await Promise.all([
    listScanAccounts(options),
    scanRegions(options),
  ]);
  const scope =
    options.includeOus.length > 0
      ? `the ACTIVE accounts under ${options.includeOus.join(', ')}`
      : 'every ACTIVE account of the organization';
  const plan: ScanPlan = {
    scanId,
    startedAt,
    homeRegion: options.homeRegion,
    basis: `${scope} (${accounts.length} scanned, ${skipped.length} skipped); regions: ${regionsBasis}`,
    regions,
    accounts,
    skipped,
  };
  const items = shardItems(accounts, regions);
  if (options.inlineShards && items.length > MAX_INLINE_SHARDS) {
    throw new Error(
      `${items.length} shards are too many for an inline Map (at most ${MAX_INLINE_SHARDS}); use the Distributed Map`,
    );
  }
  const s3 = awsClient(S3Client, options.homeRegion);
  await putJson(s3, options.auditBucket, keys.plan, plan);
  await putJson(s3, options.auditBucket, keys.shards, items);
  logger.info('Organization scan planned', {
    scanId,
    partition: partitionOf(options.homeRegion),
    accounts: accounts.length,
    skipped: skipped.length,
    regions,
    shards: items.length,
  });
  return {
    scanId,
    startedAt,
    planKey: keys.plan,
    shardsKey: keys.shards,
    resultsPrefix: keys.results,
    accounts: accounts.length,
    shardCount: items.length,
    ...(options.inlineShards ? { items } : {}),
  };
}
