/** json-report: on `Compliance Scan Completed`, writes reports/dt=…/<scanId>/report.json. */
import { S3Client } from '@aws-sdk/client-s3';
import type { EventBridgeEvent } from 'aws-lambda';
import { awsClient } from '../shared/clients';
import { requireEnv } from '../shared/env';
import { ENV } from '../shared/env-names';
import {
  EVENT_SOURCE,
  parseEventDetail,
  SCAN_COMPLETED,
  scanCompletedDetailSchema,
} from '../shared/events';
import { instrumentHandler } from '../shared/observability';
import { writeJsonReport, type WrittenReport } from './write-report';

export const handler = instrumentHandler(
  async (event: EventBridgeEvent<string, unknown>): Promise<WrittenReport> => {
    const detail = parseEventDetail(event, EVENT_SOURCE, SCAN_COMPLETED, scanCompletedDetailSchema);
    return writeJsonReport(awsClient(S3Client), requireEnv(ENV.auditBucket), detail);
  },
);
