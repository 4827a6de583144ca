/**
 * org-merge: the last task of an organization scan. Evaluates every account over its combined
 * parts with the scanner's check registry, writes the one findings JSONL and latest.json,
 * publishes `Compliance Scan Completed` and the scan's metrics (under `service=scanner`, the
 * series the dashboard and the missed-scan alarm read in both modes). Env: AUDIT_BUCKET
 * (required), EVENT_BUS_NAME, MANDATORY_TAGS, ALLOWED_OPEN_PORTS, MAX_KEY_AGE_DAYS,
 * MAX_UNUSED_DAYS.
 * IAM actions: see organization/merge.ts.
 */
import type { Context } from 'aws-lambda';
import { defaultRegion } from '../shared/clients';
import { requireEnv } from '../shared/env';
import { ENV } from '../shared/env-names';
import { parseOrReject } from '../shared/events';
import { accountFromArn } from '../shared/invocation';
import { instrumentHandler, metrics } from '../shared/observability';
import { mergeTaskSchema } from '../organization/layout';
import { runMerge, type MergeResult } from '../organization/merge';
import { METRIC_SERVICE } from '../scanner/scan-metrics';
import { loadSettings } from '../scanner/settings';

metrics.setDefaultDimensions({ service: METRIC_SERVICE });

export const handler = instrumentHandler(
  async (event: unknown, context: Context): Promise<MergeResult> => {
    const task = parseOrReject(mergeTaskSchema, event, 'org-merge task');
    const auditAccount = accountFromArn(context.invokedFunctionArn);
    if (!auditAccount) throw new Error(`No account id in ${context.invokedFunctionArn}`);
    return runMerge(task, {
      auditAccount,
      auditBucket: requireEnv(ENV.auditBucket),
      homeRegion: defaultRegion(),
      settings: loadSettings(),
      eventBusName: process.env[ENV.eventBusName],
    });
  },
);
