/**
 * alert-notifier: one SNS message per `Compliance Scan Completed`, per Config NON_COMPLIANT change
 * and per `Compliance Remediation Completed` worth telling anyone about.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import type { EventBridgeEvent } from 'aws-lambda';
import { awsClient } from '../shared/clients';
import {
  CONFIG_COMPLIANCE_CHANGE,
  configComplianceChangeDetailSchema,
  envelopeSchema,
  EVENT_SOURCE,
  parseOrReject,
  REMEDIATION_COMPLETED,
  remediationCompletedDetailSchema,
  SCAN_COMPLETED,
  scanCompletedDetailSchema,
} from '../shared/events';
import { instrumentHandler, MalformedEventError } from '../shared/observability';
import {
  loadNotifierConfig,
  notifyConfigChange,
  notifyRemediation,
  notifyScanCompleted,
  type NotifyOutcome,
} from './notifier';

export const CONFIG_SOURCE = 'aws.config';

export const handler = instrumentHandler(
  async (event: EventBridgeEvent<string, unknown>): Promise<NotifyOutcome> => {
    const envelope = parseOrReject(envelopeSchema, event, 'EventBridge event');
    const kind = `${envelope.source} / ${envelope['detail-type']}`;
    const clients = () => ({ s3: awsClient(S3Client), sns: awsClient(SNSClient) });

    if (kind === `${EVENT_SOURCE} / ${SCAN_COMPLETED}`) {
      const detail = parseOrReject(
        scanCompletedDetailSchema,
        envelope.detail,
        `"${SCAN_COMPLETED}" detail`,
      );
      return notifyScanCompleted(clients(), loadNotifierConfig(), detail);
    }
    if (kind === `${CONFIG_SOURCE} / ${CONFIG_COMPLIANCE_CHANGE}`) {
      const detail = parseOrReject(
        configComplianceChangeDetailSchema,
        envelope.detail,
        `"${CONFIG_COMPLIANCE_CHANGE}" detail`,
      );
      return notifyConfigChange(clients(), loadNotifierConfig(), detail);
    }
    if (kind === `${EVENT_SOURCE} / ${REMEDIATION_COMPLETED}`) {
      const detail = parseOrReject(
        remediationCompletedDetailSchema,
        envelope.detail,
        `"${REMEDIATION_COMPLETED}" detail`,
      );
      return notifyRemediation(clients(), loadNotifierConfig(), detail);
    }
    throw new MalformedEventError(`Unexpected event "${kind}"`);
  },
);
