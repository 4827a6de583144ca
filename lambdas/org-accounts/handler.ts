/**
 * org-accounts: the first task of an organization scan (the state machine passes the schedule or
 * Scan Request event as `trigger`). Lists the accounts and regions to scan, writes the plan and
 * the shard list to the audit bucket, returns where they are. Env: AUDIT_BUCKET (required),
 * ORG_INCLUDE_OUS, ORG_EXCLUDE_ACCOUNTS, SCAN_REGIONS.
 * IAM actions: see organization/accounts.ts.
 */
import * as z from 'zod/mini';
import { defaultRegion } from '../shared/clients';
import { listEnv, requireEnv } from '../shared/env';
import { ENV } from '../shared/env-names';
import { parseOrReject } from '../shared/events';
import { instrumentHandler } from '../shared/observability';
import { planOrganizationScan } from '../organization/accounts';
import type { PlannedScan } from '../organization/layout';
import { loadSettings } from '../scanner/settings';
import { parseScanTrigger } from '../scanner/trigger';

const taskSchema = z.object({
  /** The event that started the execution. */
  trigger: z.unknown(),
  /** Return the shard list too (an inline Map; the Distributed Map reads it from S3). */
  inlineShards: z.optional(z.boolean()),
});

export const handler = instrumentHandler(async (event: unknown): Promise<PlannedScan> => {
  const task = parseOrReject(taskSchema, event, 'org-accounts task');
  const trigger = parseScanTrigger(task.trigger);
  const settings = loadSettings();
  return planOrganizationScan({
    auditBucket: requireEnv(ENV.auditBucket),
    homeRegion: defaultRegion(),
    includeOus: listEnv(ENV.orgIncludeOus),
    excludeAccounts: listEnv(ENV.orgExcludeAccounts),
    regions: trigger.regions ?? settings.regions,
    inlineShards: task.inlineShards,
  });
});
