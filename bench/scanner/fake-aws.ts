/**
 * A fake AWS behind the SDK's `requestHandler` (what `configureClients({ requestHandler })` passes
 * to every client): it answers each API the scanner calls in that service's real wire protocol,
 * as the installed SDK clients speak it — S3 and S3 Control REST-XML, EC2 query, IAM / RDS / SNS /
 * STS query, Lambda / EFS / GuardDuty / Security Hub / Access Analyzer REST-JSON, AWS Config /
 * CloudTrail / CloudWatch Logs / KMS / EventBridge JSON 1.1, CloudWatch JSON 1.0 — from a
 * SyntheticAccount, for the region the request went to, after a fixed latency. Every API has a
 * token-bucket rate limit per region (IAM's is global) that answers the service's own throttling
 * error, so the real SDK code runs end to end: serializers, signing, the retry middleware,
 * deserializers, paginators.
 *
 * It counts every request per API and per lane (API × region), and tallies the findings JSONL the
 * scan writes (by check and status, plus a digest of each finding's resource, region and status)
 * without keeping it, so memory stays the scanner's.
 * (`@smithy/protocol-http` is part of `@smithy/core` — `transport` — in the SDK installed here.)
 */
import { Readable } from 'node:stream';
import { HttpResponse, type HttpRequest } from '@smithy/core/transport';
import type { SyntheticAccount } from './account';
import { ec2 } from './answers-ec2';
import { iam } from './answers-iam';
import { jsonService } from './answers-json';
import { rds, sns } from './answers-query';
import { restService } from './answers-rest';
import { bucketRead, listBuckets, s3Control } from './answers-s3';
import { addHash, sliceHash } from './findings-digest';
import { SUPPRESSIONS_KEY } from '../../lambdas/shared/store';
import {
  JSON_PROTOCOL,
  S3_NS,
  STS_NS,
  bodyBytes,
  bodyText,
  el,
  jsonInput,
  jsonTarget,
  queryValue,
  s3Error,
  throttled,
  xml,
  type Reply,
} from './wire';

export { xmlEscape } from './wire';

/** Token bucket: `burst` requests at once, refilled at `rate` per second. */
export interface RateLimit {
  readonly rate: number;
  readonly burst: number;
}

/**
 * Per-API limits, each per region (IAM's for the account): realistic-ish, in the order of what
 * AWS publishes where it publishes anything. EC2 Describe*: its documented token bucket (100,
 * refilled at 20/s). IAM: 20/s (IAM throttles well below the regional services). Lambda control
 * plane 15/s; AWS Config, CloudTrail, EFS, GuardDuty, Access Analyzer 10/s; Security Hub 10/s with
 * a burst of 30 (its API reference's "all other operations"); CloudWatch DescribeAlarms 9/s and
 * CloudWatch Logs DescribeMetricFilters 5/s (their quota tables); SNS list calls 30/s; KMS reads
 * 1,000/s (KMS quotas are in the thousands); RDS Describe* 10/s; S3 bucket-configuration reads
 * 200/s (S3 publishes none), ListBuckets and S3 Control 10/s.
 */
export const DEFAULT_LIMITS: Readonly<Record<string, RateLimit>> = {
  s3: { rate: 200, burst: 200 },
  's3.ListBuckets': { rate: 10, burst: 10 },
  s3control: { rate: 10, burst: 10 },
  ec2: { rate: 20, burst: 100 },
  iam: { rate: 20, burst: 20 },
  lambda: { rate: 15, burst: 15 },
  config: { rate: 10, burst: 10 },
  events: { rate: 100, burst: 100 },
  sts: { rate: 100, burst: 100 },
  cloudtrail: { rate: 10, burst: 10 },
  logs: { rate: 5, burst: 5 },
  cloudwatch: { rate: 9, burst: 9 },
  sns: { rate: 30, burst: 30 },
  kms: { rate: 1000, burst: 1000 },
  rds: { rate: 10, burst: 10 },
  efs: { rate: 10, burst: 10 },
  securityhub: { rate: 10, burst: 30 },
  guardduty: { rate: 10, burst: 10 },
  'access-analyzer': { rate: 10, burst: 10 },
};

/** The limit of `service.Operation` (or of a lane `service.Operation@region`). */
export function limitOf(
  limits: Readonly<Record<string, RateLimit>>,
  api: string,
): RateLimit | undefined {
  const bare = api.split('@')[0]!;
  return limits[bare] ?? limits[bare.split('.')[0]!];
}

/** The lane of a call: its API in its region; IAM is one global lane. */
export function laneOf(api: string, region: string): string {
  return api.startsWith('iam.') ? api : `${api}@${region}`;
}

export interface FakeAwsOptions {
  readonly account: SyntheticAccount;
  /** Added to every answer (ms). */
  readonly latencyMs: number;
  readonly limits?: Readonly<Record<string, RateLimit>>;
  /** Serve one request at a time, in arrival order (a strictly sequential scan). */
  readonly serial?: boolean;
  /** List page tokens and findings are opaque; this names the audit bucket. */
  readonly auditBucket: string;
  /**
   * Keep every finding written (`findingKeys`: `checkId|region|resource uid|status`) and the scan
   * state objects, for tests that compare finding by finding. Off in the benchmark (memory).
   */
  readonly keepFindings?: boolean;
}

export interface ApiCount {
  /** Requests answered (successfully or with a service error other than throttling). */
  ok: number;
  throttled: number;
}

interface Routed {
  /** `service.Operation`, e.g. `s3.GetBucketPolicy`. */
  readonly api: string;
  readonly service: string;
  readonly region: string;
  readonly answer: () => Reply;
}

/** Endpoint prefix → the fake's service name (the first label of `<prefix>.<region>.amazonaws.com`). */
const SERVICE_OF_ENDPOINT: Readonly<Record<string, string>> = {
  ec2: 'ec2',
  iam: 'iam',
  sts: 'sts',
  lambda: 'lambda',
  config: 'config',
  events: 'events',
  cloudtrail: 'cloudtrail',
  logs: 'logs',
  monitoring: 'cloudwatch',
  sns: 'sns',
  kms: 'kms',
  rds: 'rds',
  elasticfilesystem: 'efs',
  securityhub: 'securityhub',
  guardduty: 'guardduty',
  'access-analyzer': 'access-analyzer',
};
const QUERY_SERVICES = new Set(['ec2', 'iam', 'sts', 'rds', 'sns']);

const requestId = (n: number) => `bench-${n.toString(16).padStart(12, '0')}`;

export class FakeAws {
  /** Requests per API (`service.Operation`), all regions together. */
  readonly counts = new Map<string, ApiCount>();
  /** Requests per lane (`service.Operation@region`; IAM's without a region). */
  readonly laneCounts = new Map<string, ApiCount>();
  /** Findings written by the scan (JSONL PutObject under findings/), by check id and status. */
  readonly findings: Record<string, Record<string, number>> = {};
  /** Per check, the digest of the findings written (findings-digest.ts). */
  readonly digests: Record<string, number> = {};
  /** With `keepFindings`: every finding written, as `checkId|region|resource uid|status`. */
  readonly findingKeys: string[] = [];
  findingsLines = 0;
  findingsBytes = 0;
  /** Bytes of the scan state objects written (kept in `objects` only with `keepFindings`). */
  stateBytes = 0;
  eventsPublished = 0;
  /** Small objects written to the audit bucket (latest.json), served back by GetObject. */
  readonly objects = new Map<string, string>([
    // What the stack uploads when the reviewed suppressions file lists none.
    [SUPPRESSIONS_KEY, JSON.stringify({ source: 'suppressions.yaml', suppressions: [] })],
  ]);
  /** Multipart uploads of findings in progress: the partial last line each part left. */
  private readonly uploads = new Map<string, Buffer>();
  private readonly buckets = new Map<string, { tokens: number; at: number; limit: RateLimit }>();
  private readonly limits: Readonly<Record<string, RateLimit>>;
  private serialTail: Promise<unknown> = Promise.resolve();
  private served = 0;

  constructor(readonly options: FakeAwsOptions) {
    this.limits = options.limits ?? DEFAULT_LIMITS;
  }

  /** The SDK's RequestHandler contract. */
  readonly handle = (request: HttpRequest): Promise<{ response: HttpResponse }> => {
    if (!this.options.serial) return this.serve(request);
    const run = this.serialTail.then(() => this.serve(request));
    this.serialTail = run.catch(() => undefined);
    return run;
  };

  /** Total requests (answered + throttled). */
  totalRequests(): number {
    let n = 0;
    for (const c of this.counts.values()) n += c.ok + c.throttled;
    return n;
  }

  totalThrottled(): number {
    let n = 0;
    for (const c of this.counts.values()) n += c.throttled;
    return n;
  }

  private static count(map: Map<string, ApiCount>, key: string): ApiCount {
    let c = map.get(key);
    if (!c) {
      c = { ok: 0, throttled: 0 };
      map.set(key, c);
    }
    return c;
  }

  /** Takes a token from the lane's bucket; false when it is empty (throttle). */
  private admit(lane: string): boolean {
    const limit = limitOf(this.limits, lane);
    if (!limit) return true;
    const now = performance.now();
    let b = this.buckets.get(lane);
    if (!b) {
      b = { tokens: limit.burst, at: now, limit };
      this.buckets.set(lane, b);
    }
    b.tokens = Math.min(limit.burst, b.tokens + ((now - b.at) / 1000) * limit.rate);
    b.at = now;
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }

  private async serve(request: HttpRequest): Promise<{ response: HttpResponse }> {
    const arrived = performance.now();
    this.served += 1;
    const routed = await this.route(request);
    const lane = laneOf(routed.api, routed.region);
    const admitted = this.admit(lane);
    const counts = [FakeAws.count(this.counts, routed.api), FakeAws.count(this.laneCounts, lane)];
    let reply: Reply;
    if (admitted) {
      for (const c of counts) c.ok += 1;
      reply = routed.answer();
    } else {
      for (const c of counts) c.throttled += 1;
      reply = throttled(routed.service);
    }
    const wait = this.options.latencyMs - (performance.now() - arrived);
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const body = reply.body === undefined ? Buffer.alloc(0) : Buffer.from(reply.body);
    return {
      response: new HttpResponse({
        statusCode: reply.status,
        headers: {
          'x-amz-request-id': requestId(this.served),
          'x-amzn-requestid': requestId(this.served),
          'content-length': String(body.byteLength),
          ...reply.headers,
        },
        body: Readable.from([body]),
      }),
    };
  }

  private async route(req: HttpRequest): Promise<Routed> {
    const a = this.options.account;
    const host = req.hostname;
    const labels = host.replace(/\.amazonaws\.com$/, '').split('.');
    const at = (service: string, region: string, operation: string, answer: () => Reply) => ({
      api: `${service}.${operation}`,
      service,
      region,
      answer,
    });
    if (labels[1] === 's3' && labels.length === 3) {
      const [bucket, , region] = labels as [string, string, string];
      if (bucket === this.options.auditBucket) return this.routeAuditObject(req, region);
      const read = bucketRead(a, region, bucket, req);
      return at('s3', region, read.operation, read.answer);
    }
    if (labels[0] === 's3' && labels.length === 2) {
      return at('s3', labels[1]!, 'ListBuckets', () => listBuckets(a, req));
    }
    if (labels[1] === 's3-control') {
      const region = labels[2]!;
      const op = s3Control(a, region, req);
      return at('s3control', region, op.operation, op.answer);
    }
    const service = SERVICE_OF_ENDPOINT[labels[0]!];
    const region = labels[1] ?? a.region; // iam.amazonaws.com: the home region
    if (!service) throw new Error(`fake AWS: no route for ${req.method} ${host}${req.path}`);
    if (QUERY_SERVICES.has(service)) {
      const params = new URLSearchParams(bodyText(req.body));
      const action = params.get('Action') ?? 'Unknown';
      const answer = (): Reply => {
        switch (service) {
          case 'ec2':
            return ec2(a, region, action, params);
          case 'iam':
            return iam(a, action, params);
          case 'rds':
            return rds(a, region, action, params);
          case 'sns':
            return sns(a, action, params);
          default:
            return this.sts();
        }
      };
      return at(service, region, action, answer);
    }
    if (JSON_PROTOCOL[service]) {
      const operation = jsonTarget(req);
      const input = jsonInput(req);
      if (service === 'events') return at(service, region, operation, () => this.putEvents(input));
      return at(service, region, operation, () =>
        jsonService(a, service, region, operation, input),
      );
    }
    const op = restService(a, service, region, req);
    return at(service, region, op.operation, op.answer);
  }

  private sts(): Reply {
    const id = this.options.account.accountId;
    return xml(
      `<GetCallerIdentityResponse xmlns="${STS_NS}"><GetCallerIdentityResult>${el('Arn', `arn:aws:iam::${id}:user/bench`)}${el('UserId', 'AIDABENCH')}${el('Account', id)}</GetCallerIdentityResult><ResponseMetadata>${el('RequestId', 'bench')}</ResponseMetadata></GetCallerIdentityResponse>`,
    );
  }

  private putEvents(input: Record<string, unknown>): Reply {
    const entries = (input.Entries as unknown[] | undefined) ?? [];
    this.eventsPublished += entries.length;
    return {
      status: 200,
      headers: { 'content-type': JSON_PROTOCOL.events! },
      body: JSON.stringify({
        FailedEntryCount: 0,
        Entries: entries.map((_, i) => ({ EventId: `bench-event-${this.eventsPublished}-${i}` })),
      }),
    };
  }

  // ------------------------------------------------------------------------- audit bucket

  /** The audit bucket: GetObject / PutObject / multipart uploads; findings JSONL is tallied, not kept. */
  private async routeAuditObject(req: HttpRequest, region: string): Promise<Routed> {
    const key = decodeURIComponent(req.path.replace(/^\//, ''));
    const at = (operation: string, answer: () => Reply): Routed => ({
      api: `s3.${operation}`,
      service: 's3',
      region,
      answer,
    });
    if (req.method === 'GET') {
      return at('GetObject', () => {
        const text = this.objects.get(key);
        return text === undefined
          ? s3Error('NoSuchKey', 404, 'The specified key does not exist.')
          : {
              status: 200,
              headers: { 'content-type': 'application/json', etag: '"bench"' },
              body: text,
            };
      });
    }
    // Findings over one part come as a multipart upload: each part is tallied as it arrives (its
    // last, partial line waits for the next), so the fake holds one part, as the scanner does.
    const uploadId = queryValue(req.query, 'uploadId');
    if (req.method === 'POST' && 'uploads' in req.query) {
      return at('CreateMultipartUpload', () => {
        const id = `bench-upload-${this.served}`;
        this.uploads.set(id, Buffer.alloc(0));
        return xml(
          `<InitiateMultipartUploadResult xmlns="${S3_NS}">${el('Bucket', this.options.auditBucket)}${el('Key', key)}${el('UploadId', id)}</InitiateMultipartUploadResult>`,
        );
      });
    }
    if (req.method === 'PUT' && uploadId) {
      const part = await bodyBytes(req.body);
      return at('UploadPart', () => {
        const carry = this.uploads.get(uploadId);
        if (!carry) return s3Error('NoSuchUpload', 404, 'The upload does not exist.');
        const data = carry.byteLength ? Buffer.concat([carry, part]) : part;
        const complete = data.lastIndexOf(10) + 1;
        this.tallyFindings(data.subarray(0, complete));
        this.uploads.set(uploadId, Buffer.from(data.subarray(complete)));
        return { status: 200, headers: { etag: `"part-${queryValue(req.query, 'partNumber')}"` } };
      });
    }
    if (req.method === 'POST' && uploadId) {
      return at('CompleteMultipartUpload', () => {
        const carry = this.uploads.get(uploadId);
        if (!carry) return s3Error('NoSuchUpload', 404, 'The upload does not exist.');
        this.tallyFindings(carry);
        this.uploads.delete(uploadId);
        return xml(
          `<CompleteMultipartUploadResult xmlns="${S3_NS}">${el('Bucket', this.options.auditBucket)}${el('Key', key)}${el('ETag', '"bench"')}</CompleteMultipartUploadResult>`,
        );
      });
    }
    if (req.method === 'DELETE' && uploadId) {
      return at('AbortMultipartUpload', () => {
        this.uploads.delete(uploadId);
        return { status: 204, headers: {} };
      });
    }
    if (req.method === 'PUT') {
      const state = key.startsWith('state/') && !this.options.keepFindings;
      // a state object is only measured: keeping (or copying) it would add to the scan's peak
      const size = state && typeof req.body === 'string' ? Buffer.byteLength(req.body) : undefined;
      const body = size === undefined ? await bodyBytes(req.body) : undefined;
      return at('PutObject', () => {
        if (key.startsWith('findings/')) this.tallyFindings(body!);
        else if (state) this.stateBytes += size ?? body!.byteLength;
        else this.objects.set(key, body!.toString('utf-8'));
        return { status: 200, headers: { etag: '"bench"' } };
      });
    }
    throw new Error(`fake AWS: unsupported audit-bucket request ${req.method} ${req.path}`);
  }

  /**
   * Counts the findings by check and status and adds each to its check's digest, reading only
   * the fields needed from each line (no JSON.parse of the whole body: the benchmark must not add
   * its own garbage to the scan's peak).
   */
  private tallyFindings(body: Buffer): void {
    this.findingsBytes += body.byteLength;
    const span = (tag: string, from: number, to: number): [number, number] => {
      const found = body.indexOf(tag, from);
      if (found < 0 || found > to) throw new Error(`fake AWS: finding without ${tag}`);
      const start = found + tag.length;
      return [start, body.indexOf('"', start)];
    };
    const text = ([start, end]: [number, number]) => body.toString('utf-8', start, end);
    let start = 0;
    while (start < body.byteLength) {
      let end = body.indexOf(10, start);
      if (end < 0) end = body.byteLength;
      if (end > start) {
        const checkId = span('"checkId":"', start, end);
        const status = span('"status":"', start, end);
        const uid = span('"resource":{"uid":"', start, end);
        const region = span('"region":"', uid[1], end);
        const check = text(checkId);
        const byStatus = (this.findings[check] ??= {});
        byStatus[text(status)] = (byStatus[text(status)] ?? 0) + 1;
        this.digests[check] = addHash(
          this.digests[check] ?? 0,
          sliceHash(checkId, region, uid, status, body),
        );
        if (this.options.keepFindings)
          this.findingKeys.push([checkId, region, uid, status].map(text).join('|'));
        this.findingsLines += 1;
      }
      start = end + 1;
    }
  }
}
