/**
 * The two events that start a scan: the EventBridge schedule (`aws.events` / `Scheduled Event`)
 * and the on-demand request (`compliance.audit` / `Compliance Scan Request`, detail per
 * scanRequestDetailSchema). Anything else is malformed and rejected before any call is made.
 */
import {
  EVENT_SOURCE,
  SCAN_REQUEST,
  envelopeSchema,
  parseOrReject,
  scanRequestDetailSchema,
} from '../shared/events';
import { MalformedEventError } from '../shared/observability';

export const SCHEDULE_SOURCE = 'aws.events';
export const SCHEDULED_EVENT = 'Scheduled Event';

export interface ScanTrigger {
  readonly kind: 'schedule' | 'request';
  /** Regions the request asked for; absent for the schedule and for requests without regions. */
  readonly regions?: readonly string[];
  readonly requestedBy?: string;
  readonly eventId?: string;
}

export function parseScanTrigger(event: unknown): ScanTrigger {
  const envelope = parseOrReject(envelopeSchema, event, 'scan trigger event');
  const source = envelope.source;
  const detailType = envelope['detail-type'];
  if (source === SCHEDULE_SOURCE && detailType === SCHEDULED_EVENT) {
    return { kind: 'schedule', eventId: envelope.id };
  }
  if (source === EVENT_SOURCE && detailType === SCAN_REQUEST) {
    const detail = parseOrReject(
      scanRequestDetailSchema,
      envelope.detail,
      `"${SCAN_REQUEST}" detail`,
    );
    return {
      kind: 'request',
      eventId: envelope.id,
      ...(detail.regions ? { regions: detail.regions } : {}),
      ...(detail.requestedBy ? { requestedBy: detail.requestedBy } : {}),
    };
  }
  throw new MalformedEventError(
    `Unexpected scan trigger "${source}" / "${detailType}"; expected "${SCHEDULE_SOURCE}" / "${SCHEDULED_EVENT}" or "${EVENT_SOURCE}" / "${SCAN_REQUEST}"`,
  );
}
