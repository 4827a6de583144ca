/**
 * org-shard: one item of the organization scan's Distributed Map — an (account, region) or
 * (account, `global`) shard. Assumes the member role, collects that part of the account, writes
 * it to the audit bucket. Env: AUDIT_BUCKET, ORG_MEMBER_ROLE_NAME, ORG_EXTERNAL_ID (required),
 * SCAN_CONCURRENCY.
 * IAM actions: see organization/shard.ts.
 */
import type { Context } from 'aws-lambda';
import { defaultRegion } from '../shared/clients';
import { requireEnv } from '../shared/env';
import { ENV } from '../shared/env-names';
import { parseOrReject } from '../shared/events';
import { instrumentHandler } from '../shared/observability';
import { scanDeadline } from '../scanner/deadline';
import { shardTaskSchema } from '../organization/layout';
import { runShard, type ShardResult } from '../organization/shard';
import { loadSettings } from '../scanner/settings';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export const handler = instrumentHandler(
  async (event: unknown, context: Context): Promise<ShardResult> => {
    const task = parseOrReject(shardTaskSchema, event, 'org-shard task');
    return runShard(task, {
      auditBucket: requireEnv(ENV.auditBucket),
      homeRegion: defaultRegion(),
      roleName: requireEnv(ENV.orgMemberRoleName),
      externalId: requireEnv(ENV.orgExternalId),
      concurrency: loadSettings().concurrency,
      deadline: { at: scanDeadline(context.getRemainingTimeInMillis()) },
      sleep,
    });
  },
);
