/**
 * Wire-format helpers of the benchmark's fake AWS: replies in each protocol the installed SDK
 * clients speak (REST-XML, EC2 query, AWS query, AWS JSON 1.0 / 1.1, REST-JSON), their error
 * shapes, each service's throttling answer, opaque page tokens, and request-body readers.
 */
import { Readable } from 'node:stream';
import type { HttpRequest } from '@smithy/core/transport';

export interface Reply {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body?: string | Buffer;
}

const XML_HEADER = '<?xml version="1.0" encoding="UTF-8"?>\n';
export const EC2_NS = 'http://ec2.amazonaws.com/doc/2016-11-15/';
export const IAM_NS = 'https://iam.amazonaws.com/doc/2010-05-08/';
export const S3_NS = 'http://s3.amazonaws.com/doc/2006-03-01/';
export const S3_CONTROL_NS = 'http://awss3control.amazonaws.com/doc/2018-08-20/';
export const RDS_NS = 'http://rds.amazonaws.com/doc/2014-10-31/';
export const SNS_NS = 'http://sns.amazonaws.com/doc/2010-03-31/';
export const STS_NS = 'https://sts.amazonaws.com/doc/2011-06-15/';

export function xmlEscape(s: string): string {
  return s.replace(/[<>&'"]/g, (c) =>
    c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '&' ? '&amp;' : c === "'" ? '&apos;' : '&quot;',
  );
}

/** `<name>value</name>`, or nothing when the value is undefined. */
export const el = (name: string, value: string | number | boolean | undefined) =>
  value === undefined ? '' : `<${name}>${xmlEscape(String(value))}</${name}>`;

export const xml = (body: string, status = 200): Reply => ({
  status,
  headers: { 'content-type': 'application/xml' },
  body: XML_HEADER + body,
});

/** A JSON answer; `contentType` is the protocol's (REST-JSON `application/json`). */
export const json = (
  value: unknown,
  status = 200,
  headers: Record<string, string> = {},
  contentType = 'application/json',
): Reply => ({
  status,
  headers: { 'content-type': contentType, ...headers },
  body: JSON.stringify(value),
});

export const iso = (ms: number) => new Date(ms).toISOString();
/** JSON protocols' default timestamp format. */
export const epochSeconds = (ms: number) => Math.floor(ms / 1000);

// ------------------------------------------------------------------------------------- paging

/** Opaque page token for `offset`. */
export const token = (offset: number) => Buffer.from(`bench:${offset}`).toString('base64');

function offsetOf(t: string | null | undefined): number {
  if (!t) return 0;
  const m = /^bench:(\d+)$/.exec(Buffer.from(t, 'base64').toString());
  if (!m) throw new Error(`fake AWS: bad page token ${t}`);
  return Number(m[1]);
}

export interface Page {
  readonly start: number;
  readonly end: number;
  /** The next page's token; undefined on the last page. */
  readonly next?: string;
}

/** [start, end) of a page of `total` items, at most `max` (or the smaller size asked for). */
export function page(
  total: number,
  startToken: string | null | undefined,
  max: number,
  asked?: string | number | null,
): Page {
  const start = offsetOf(startToken);
  const size = Math.min(max, asked ? Number(asked) : max);
  const end = Math.min(total, start + size);
  return { start, end, next: end < total ? token(end) : undefined };
}

/** Items `at(i)` for i in the page, skipping undefined ones (a filtered listing). */
export function pageItems<T>(p: Page, at: (i: number) => T | undefined): T[] {
  const out: T[] = [];
  for (let i = p.start; i < p.end; i += 1) {
    const item = at(i);
    if (item !== undefined) out.push(item);
  }
  return out;
}

export function queryValue(q: HttpRequest['query'], key: string): string | undefined {
  const v = q[key];
  return Array.isArray(v) ? (v[0] ?? undefined) : (v ?? undefined);
}

// ------------------------------------------------------------------------------------ bodies

export function bodyText(body: unknown): string {
  if (body === undefined || body === null) return '';
  if (typeof body === 'string') return body;
  // not Buffer.from(body): the SDK's JSON body adapter warns when treated as a string
  if (body instanceof Uint8Array)
    return Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf-8');
  throw new Error(`fake AWS: unsupported request body ${Object.prototype.toString.call(body)}`);
}

export async function bodyBytes(body: unknown): Promise<Buffer> {
  if (body === undefined || body === null) return Buffer.alloc(0);
  if (typeof body === 'string') return Buffer.from(body);
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (
    body instanceof Readable ||
    typeof (body as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function'
  ) {
    const chunks: Buffer[] = [];
    for await (const chunk of body as AsyncIterable<Uint8Array | string>)
      chunks.push(Buffer.from(chunk));
    return Buffer.concat(chunks);
  }
  throw new Error(`fake AWS: unsupported request body ${Object.prototype.toString.call(body)}`);
}

/** The JSON input of a JSON-protocol request (`{}` when empty). */
export function jsonInput(req: HttpRequest): Record<string, unknown> {
  const text = bodyText(req.body);
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

/** The operation of a JSON-protocol request, from `X-Amz-Target: <service>.<Operation>`. */
export function jsonTarget(req: HttpRequest): string {
  const target = String(req.headers['x-amz-target'] ?? req.headers['X-Amz-Target'] ?? '');
  return target.split('.').pop() || 'Unknown';
}

// ------------------------------------------------------------------------------------ errors

export function s3Error(code: string, status: number, message = code): Reply {
  return xml(
    `<Error>${el('Code', code)}${el('Message', message)}${el('RequestId', 'BENCH')}${el('HostId', 'bench')}</Error>`,
    status,
  );
}

export function ec2Error(code: string, status: number, message: string): Reply {
  return xml(
    `<Response><Errors><Error>${el('Code', code)}${el('Message', message)}</Error></Errors>${el('RequestID', 'bench')}</Response>`,
    status,
  );
}

/** AWS query protocol error (IAM, STS, RDS, SNS). */
export function queryError(ns: string, code: string, status: number, message: string): Reply {
  return xml(
    `<ErrorResponse xmlns="${ns}"><Error><Type>Sender</Type>${el('Code', code)}${el('Message', message)}</Error>${el('RequestId', 'bench')}</ErrorResponse>`,
    status,
  );
}

/** JSON protocols' error: `__type` plus the `x-amzn-errortype` header. */
export function jsonError(
  type: string,
  status: number,
  message: string,
  contentType = 'application/json',
): Reply {
  return json(
    { __type: type, message, Message: message },
    status,
    { 'x-amzn-errortype': type },
    contentType,
  );
}

const AWS_JSON_1_0 = 'application/x-amz-json-1.0';
const AWS_JSON_1_1 = 'application/x-amz-json-1.1';

/** JSON 1.0 / 1.1 services the fake answers, by endpoint prefix, and their content type. */
export const JSON_PROTOCOL: Readonly<Record<string, string>> = {
  config: AWS_JSON_1_1,
  events: AWS_JSON_1_1,
  cloudtrail: AWS_JSON_1_1,
  logs: AWS_JSON_1_1,
  kms: AWS_JSON_1_1,
  // CloudWatch moved from the query protocol to JSON 1.0 (query-compatible errors).
  cloudwatch: AWS_JSON_1_0,
};

/**
 * The throttling answer of each service, in its protocol, as the installed clients model it (or,
 * where they do not, as the service sends it): each one is retried by the SDK as throttling.
 */
export function throttled(service: string): Reply {
  const rate = 'Rate exceeded';
  switch (service) {
    case 's3':
    case 's3control':
      return s3Error('SlowDown', 503, 'Please reduce your request rate.');
    case 'ec2':
      return ec2Error('RequestLimitExceeded', 503, 'Request limit exceeded.');
    case 'iam':
      return queryError(IAM_NS, 'Throttling', 400, rate);
    case 'sts':
      return queryError(STS_NS, 'Throttling', 400, rate);
    case 'rds':
      return queryError(RDS_NS, 'Throttling', 400, rate);
    case 'sns':
      return queryError(SNS_NS, 'Throttled', 429, rate);
    case 'lambda':
      return json({ Reason: 'CallerRateLimitExceeded', Type: 'User', message: rate }, 429, {
        'x-amzn-errortype': 'TooManyRequestsException',
      });
    case 'cloudwatch':
      // JSON 1.0 with awsQueryCompatible: the query error code travels in a header.
      return {
        ...jsonError('ThrottlingException', 400, rate, AWS_JSON_1_0),
        headers: {
          'content-type': AWS_JSON_1_0,
          'x-amzn-errortype': 'ThrottlingException',
          'x-amzn-query-error': 'Throttling;Sender',
        },
      };
    case 'cloudtrail':
      return jsonError('ThrottlingException', 429, rate, AWS_JSON_1_1);
    case 'efs':
    case 'securityhub':
    case 'access-analyzer':
      return { ...jsonError('ThrottlingException', 429, rate), headers: withRetryAfter() };
    case 'guardduty':
      return jsonError('TooManyRequestsException', 429, rate);
    default:
      return jsonError('ThrottlingException', 400, rate, JSON_PROTOCOL[service] ?? AWS_JSON_1_1);
  }
}

function withRetryAfter(): Record<string, string> {
  return {
    'content-type': 'application/json',
    'x-amzn-errortype': 'ThrottlingException',
    'retry-after': '1',
  };
}
