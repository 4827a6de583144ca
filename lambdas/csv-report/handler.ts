/** csv-report: on `Compliance Scan Completed`, writes reports/dt=…/<scanId>/report.csv. */
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
import { writeCsvReport, type WrittenCsv } from './write-report';

export const handler = instrumentHandler(
  async (event: EventBridgeEvent<string, unknown>): Promise<WrittenCsv> => {
    const detail = parseEventDetail(event, EVENT_SOURCE, SCAN_COMPLETED, scanCompletedDetailSchema);
    return writeCsvReport(awsClient(S3Client), requireEnv(ENV.auditBucket), detail);
  },
);
