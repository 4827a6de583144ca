/**
 * Scanner Lambda: parse the trigger (schedule or on-demand request), read settings, run the scan.
 * Regions: the request's `regions` ?? SCAN_REGIONS ?? every region enabled for the account. The
 * account id comes from the invoked function's ARN (no STS call). The scan's deadline is the
 * function's remaining time less a reserve for writing the results. Env: AUDIT_BUCKET (required),
 * EVENT_BUS_NAME, SCAN_REGIONS, MANDATORY_TAGS, ALLOWED_OPEN_PORTS, MAX_KEY_AGE_DAYS,
 * MAX_UNUSED_DAYS, SCAN_CONCURRENCY.
 * IAM actions: see run-scan.ts, scope.ts and inventory/*.ts.
 */
import type { Context } from 'aws-lambda';
import { requireEnv } from '../shared/env';
import { ENV } from '../shared/env-names';
import { accountFromArn } from '../shared/invocation';
import { instrumentHandler } from '../shared/observability';
import { scanDeadline } from './deadline';
import { runScan, type ScanResult } from './run-scan';
import { loadSettings } from './settings';
import { parseScanTrigger } from './trigger';

export { accountFromArn };

export { scanDeadline, WRITE_RESERVE_MS } from './deadline';

export const handler = instrumentHandler(
  async (event: unknown, context: Context): Promise<ScanResult> => {
    const trigger = parseScanTrigger(event);
    const settings = loadSettings();
    const auditBucket = requireEnv(ENV.auditBucket);
    return runScan({
      regions: trigger.regions ?? settings.regions,
      deadline: { at: scanDeadline(context.getRemainingTimeInMillis()) },
      auditBucket,
      settings,
      accountId: accountFromArn(context.invokedFunctionArn),
      eventBusName: process.env[ENV.eventBusName],
    });
  },
);
