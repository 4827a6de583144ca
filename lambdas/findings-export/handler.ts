/**
 * findings-export: on `Compliance Scan Completed`, writes the scan's OCSF findings and (with
 * SECURITY_HUB_EXPORT=on) brings Security Hub up to date. Env: AUDIT_BUCKET, ENVIRONMENT_SUFFIX,
 * SECURITY_HUB_EXPORT. The account and region come from the event envelope.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import type { EventBridgeEvent } from 'aws-lambda';
import { awsClient, defaultRegion } from '../shared/clients';
import { envOr, requireEnv } from '../shared/env';
import { ENV } from '../shared/env-names';
import {
  envelopeSchema,
  EVENT_SOURCE,
  parseEventDetail,
  parseOrReject,
  SCAN_COMPLETED,
  scanCompletedDetailSchema,
} from '../shared/events';
import { instrumentHandler, MalformedEventError } from '../shared/observability';
import { partitionOf } from '../shared/regions';
import { runExport, type ExportResult } from './run';

export function loadExportMode(): 'on' | 'off' {
  const mode = envOr(ENV.securityHubExport, 'off').trim().toLowerCase();
  if (mode !== 'on' && mode !== 'off') {
    throw new Error(
      `Environment variable ${ENV.securityHubExport} must be on or off, got "${mode}"`,
    );
  }
  return mode;
}

export const handler = instrumentHandler(
  async (event: EventBridgeEvent<string, unknown>): Promise<ExportResult> => {
    const detail = parseEventDetail(event, EVENT_SOURCE, SCAN_COMPLETED, scanCompletedDetailSchema);
    const { account } = parseOrReject(envelopeSchema, event, 'EventBridge event');
    if (!account || !/^\d{12}$/.test(account)) {
      throw new MalformedEventError('Malformed EventBridge event: account must be a 12-digit id');
    }
    const region = defaultRegion();
    return runExport(
      {
        s3: awsClient(S3Client),
        securityHub: () => awsClient(SecurityHubClient, region),
      },
      {
        bucket: requireEnv(ENV.auditBucket),
        securityHub: loadExportMode(),
        provider: `compliance-audit-${requireEnv(ENV.environmentSuffix)}`,
        account,
        region,
        partition: partitionOf(region),
      },
      detail,
    );
  },
);
