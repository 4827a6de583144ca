/**
 * The shape of every SNS alert and the SNS rules it must obey: Subject printable ASCII, no line
 * breaks, under 100 characters; Message plus attributes at most 256 KiB of UTF-8. Pure.
 */
import type { MessageAttributeValue, PublishCommandInput } from '@aws-sdk/client-sns';
import type { Severity } from '../shared/findings';

/** SNS publish limit for message + attributes, in UTF-8 bytes (not characters). */
export const SNS_MAX_BYTES = 262_144;
/** SNS: "Subjects must be … less than 100 characters long". */
export const SUBJECT_MAX_CHARS = 99;

export const ALERT_EVENT_TYPES = ['scan-completed', 'config-noncompliant', 'remediation'] as const;
export type AlertEventType = (typeof ALERT_EVENT_TYPES)[number];

export interface AlertMessage {
  subject: string;
  message: string;
  attributes: Record<string, MessageAttributeValue>;
}

export interface AlertLabels {
  /** Highest severity the message reports. */
  severity: Severity;
  eventType: AlertEventType;
  newFindings: number;
  environment: string;
}

/** Attributes subscribers can filter on (SNS subscription filter policies). */
export function alertAttributes(labels: AlertLabels): Record<string, MessageAttributeValue> {
  return {
    severity: { DataType: 'String', StringValue: labels.severity },
    eventType: { DataType: 'String', StringValue: labels.eventType },
    newFindings: { DataType: 'Number', StringValue: String(labels.newFindings) },
    environment: { DataType: 'String', StringValue: labels.environment },
  };
}

/**
 * A subject SNS accepts: line breaks and other control characters become spaces, each non-ASCII
 * character (code point) becomes `?`, runs of spaces collapse, and text beyond
 * SUBJECT_MAX_CHARS is cut with `...`.
 */
export function sanitizeSubject(text: string): string {
  const ascii = text
    // eslint-disable-next-line no-control-regex -- matching control characters is the point
    .replace(/[\x00-\x1f\x7f]/g, ' ')
    .replace(/[^\x20-\x7e]/gu, '?')
    .replace(/ {2,}/g, ' ')
    .trim();
  const subject = ascii === '' ? 'Compliance alert' : ascii;
  return subject.length <= SUBJECT_MAX_CHARS
    ? subject
    : `${subject.slice(0, SUBJECT_MAX_CHARS - 3).trimEnd()}...`;
}

export function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** Bytes SNS counts against its limit: attribute names, types and values. */
export function attributeBytes(attributes: Record<string, MessageAttributeValue>): number {
  let total = 0;
  for (const [name, value] of Object.entries(attributes)) {
    total += utf8Bytes(name) + utf8Bytes(value.DataType ?? '') + utf8Bytes(value.StringValue ?? '');
    total += value.BinaryValue?.byteLength ?? 0;
  }
  return total;
}

/** Size of a publish as measured here: message, attributes and (conservatively) the subject. */
export function publishBytes(msg: AlertMessage): number {
  return utf8Bytes(msg.message) + attributeBytes(msg.attributes) + utf8Bytes(msg.subject);
}

/** Longest prefix of `text` that is at most `maxBytes` of UTF-8, never splitting a character. */
export function truncateUtf8(text: string, maxBytes: number): string {
  if (utf8Bytes(text) <= maxBytes) return text;
  const buf = Buffer.from(text, 'utf8').subarray(0, Math.max(0, maxBytes));
  // Decoding a cut multi-byte sequence yields U+FFFD (3 bytes); drop it, and the bytes stay within.
  return buf.toString('utf8').replace(/\uFFFD$/, '');
}

export interface BodyParts {
  /** Always shown, before the items (the summary). */
  head: readonly string[];
  /** One entry per listed item, most important first; an entry may span lines. */
  items: readonly string[];
  /** Always shown, after the items (e.g. the pointer to the full report). */
  tail: readonly string[];
  /** Shown between items and tail when only `shown` of `total` items fit. */
  truncationNote: (shown: number, total: number) => readonly string[];
}

export interface FittedBody {
  body: string;
  shown: number;
  truncated: boolean;
}

/**
 * Lines joined with `\n`: every item when the whole body fits in `maxBytes`, otherwise as many
 * leading items as fit alongside head, truncation note and tail.
 */
export function fitBody(parts: BodyParts, maxBytes: number): FittedBody {
  const full = [...parts.head, ...parts.items, ...parts.tail].join('\n');
  if (utf8Bytes(full) <= maxBytes) {
    return { body: full, shown: parts.items.length, truncated: false };
  }
  const total = parts.items.length;
  // The note for `total` is at least as long as for any smaller count, so reserving it is safe.
  const frame = [...parts.head, ...parts.truncationNote(total, total), ...parts.tail];
  let used = utf8Bytes(frame.join('\n'));
  let shown = 0;
  for (const item of parts.items) {
    const cost = utf8Bytes(item) + 1; // plus its '\n'
    if (used + cost > maxBytes) break;
    used += cost;
    shown += 1;
  }
  const body = [
    ...parts.head,
    ...parts.items.slice(0, shown),
    ...parts.truncationNote(shown, total),
    ...parts.tail,
  ].join('\n');
  // Only a head or tail that alone exceeds the limit can get here; cut rather than be rejected.
  return { body: truncateUtf8(body, maxBytes), shown, truncated: true };
}

/**
 * Builds the message: subject sanitised, attributes from labels, body fitted into what SNS_MAX_BYTES
 * leaves after subject and attributes.
 */
export function composeAlert(
  subject: string,
  labels: AlertLabels,
  parts: BodyParts,
): AlertMessage & { shown: number; truncated: boolean } {
  const safeSubject = sanitizeSubject(subject);
  const attributes = alertAttributes(labels);
  const budget = SNS_MAX_BYTES - utf8Bytes(safeSubject) - attributeBytes(attributes);
  const { body, shown, truncated } = fitBody(parts, budget);
  return { subject: safeSubject, message: body, attributes, shown, truncated };
}

export function toPublishInput(topicArn: string, msg: AlertMessage): PublishCommandInput {
  return {
    TopicArn: topicArn,
    Subject: msg.subject,
    Message: msg.message,
    MessageAttributes: msg.attributes,
  };
}
