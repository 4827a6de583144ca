/**
 * A fake AWS behind the SDK's `requestHandler` (what `configureClients({ requestHandler })` passes
 * to every client): it answers each API the scanner calls in that service's real wire protocol —
 * S3 and S3 Control REST-XML, EC2 and IAM query/XML, Lambda REST-JSON, AWS Config and EventBridge
 * JSON 1.1 — from a SyntheticAccount, after a fixed latency, with per-API token-bucket rate limits
 * that answer each protocol's own throttling error (S3 503 SlowDown, EC2 RequestLimitExceeded,
 * IAM Throttling, Lambda 429 TooManyRequestsException, JSON ThrottlingException). So the real
 * SDK code runs end to end: serializers, signing, the retry middleware, deserializers, paginators.
 *
 * It counts every request per API (answered and throttled) and tallies the findings JSONL the
 * scan writes (by check and status) without keeping it, so memory stays the scanner's.
 * (`@smithy/protocol-http` is part of `@smithy/core` — `transport` — in the SDK installed here.)
 */
import { Readable } from 'node:stream';
import { HttpResponse, type HttpRequest } from '@smithy/core/transport';
import type { SyntheticAccount, Tag } from './account';
import { SUPPRESSIONS_KEY } from '../../lambdas/shared/store';

/** Token bucket: `burst` requests at once, refilled at `rate` per second. */
export interface RateLimit {
  readonly rate: number;
  readonly burst: number;
}

/**
 * Per-API limits (realistic-ish): S3 bucket-configuration reads high, IAM low, EC2 Describe* at
 * its documented refill of 20/s with a 100 burst, Lambda control plane 15/s.
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
};

/** The limit of `service.Operation`: its own entry, else the service's. */
export function limitOf(
  limits: Readonly<Record<string, RateLimit>>,
  api: string,
): RateLimit | undefined {
  return limits[api] ?? limits[api.split('.')[0]!];
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
}

export interface ApiCount {
  /** Requests answered (successfully or with a service error other than throttling). */
  ok: number;
  throttled: number;
}

interface Reply {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body?: string | Buffer;
}

interface Routed {
  /** `service.Operation`, e.g. `s3.GetBucketPolicy`. */
  readonly api: string;
  readonly service: string;
  readonly answer: () => Reply;
}

const XML_HEADER = '<?xml version="1.0" encoding="UTF-8"?>\n';
const EC2_NS = 'http://ec2.amazonaws.com/doc/2016-11-15/';
const IAM_NS = 'https://iam.amazonaws.com/doc/2010-05-08/';
const S3_NS = 'http://s3.amazonaws.com/doc/2006-03-01/';
const OWNER_ID = 'c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00';

const S3_PAGE_MAX = 1000;
const EC2_PAGE_MAX = 1000;
const IAM_PAGE_MAX = 1000;
const LAMBDA_PAGE_MAX = 50;

export function xmlEscape(s: string): string {
  return s.replace(/[<>&'"]/g, (c) =>
    c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '&' ? '&amp;' : c === "'" ? '&apos;' : '&quot;',
  );
}

const el = (name: string, value: string | number | boolean | undefined) =>
  value === undefined ? '' : `<${name}>${xmlEscape(String(value))}</${name}>`;

const xml = (body: string, status = 200): Reply => ({
  status,
  headers: { 'content-type': 'application/xml' },
  body: XML_HEADER + body,
});

const json = (value: unknown, status = 200, headers: Record<string, string> = {}): Reply => ({
  status,
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(value),
});

/** Opaque page token for `offset`. */
const token = (offset: number) => Buffer.from(`bench:${offset}`).toString('base64');
function offsetOf(t: string | null | undefined): number {
  if (!t) return 0;
  const m = /^bench:(\d+)$/.exec(Buffer.from(t, 'base64').toString());
  if (!m) throw new Error(`fake AWS: bad page token ${t}`);
  return Number(m[1]);
}

/** [start, end) of a page and the next token, or undefined on the last page. */
function page(
  total: number,
  startToken: string | null | undefined,
  max: number,
  asked?: string | null,
) {
  const start = offsetOf(startToken);
  const size = Math.min(max, asked ? Number(asked) : max);
  const end = Math.min(total, start + size);
  return { start, end, next: end < total ? token(end) : undefined };
}

function queryValue(q: HttpRequest['query'], key: string): string | undefined {
  const v = q[key];
  return Array.isArray(v) ? (v[0] ?? undefined) : (v ?? undefined);
}

const requestId = (n: number) => `bench-${n.toString(16).padStart(12, '0')}`;

// ----------------------------------------------------------------------------- error replies

function s3Error(code: string, status: number, message = code): Reply {
  return xml(
    `<Error>${el('Code', code)}${el('Message', message)}${el('RequestId', 'BENCH')}${el('HostId', 'bench')}</Error>`,
    status,
  );
}

function ec2Error(code: string, status: number, message: string): Reply {
  return xml(
    `<Response><Errors><Error>${el('Code', code)}${el('Message', message)}</Error></Errors>${el('RequestID', 'bench')}</Response>`,
    status,
  );
}

function iamError(code: string, status: number, message: string): Reply {
  return xml(
    `<ErrorResponse xmlns="${IAM_NS}"><Error><Type>Sender</Type>${el('Code', code)}${el('Message', message)}</Error>${el('RequestId', 'bench')}</ErrorResponse>`,
    status,
  );
}

function jsonError(type: string, status: number, message: string): Reply {
  return json({ __type: type, message }, status, { 'x-amzn-errortype': type });
}

/** The throttling answer of each service, in its protocol. */
function throttled(service: string): Reply {
  switch (service) {
    case 's3':
    case 's3control':
      return s3Error('SlowDown', 503, 'Please reduce your request rate.');
    case 'ec2':
      return ec2Error('RequestLimitExceeded', 503, 'Request limit exceeded.');
    case 'iam':
    case 'sts':
      return iamError('Throttling', 400, 'Rate exceeded');
    case 'lambda':
      return json(
        { Reason: 'CallerRateLimitExceeded', Type: 'User', message: 'Rate exceeded' },
        429,
        { 'x-amzn-errortype': 'TooManyRequestsException' },
      );
    default:
      return jsonError('ThrottlingException', 400, 'Rate exceeded');
  }
}

// ----------------------------------------------------------------------------- body helpers

function tagSetXml(
  tags: readonly Tag[],
  item: 'item' | 'member' | 'Tag',
  key = 'key',
  value = 'value',
) {
  return tags.map(([k, v]) => `<${item}>${el(key, k)}${el(value, v)}</${item}>`).join('');
}

function bodyText(body: unknown): string {
  if (body === undefined || body === null) return '';
  if (typeof body === 'string') return body;
  // not Buffer.from(body): the SDK's JSON body adapter warns when treated as a string
  if (body instanceof Uint8Array)
    return Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf-8');
  throw new Error(`fake AWS: unsupported request body ${Object.prototype.toString.call(body)}`);
}

async function bodyBytes(body: unknown): Promise<Buffer> {
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

// ----------------------------------------------------------------------------- the fake

export class FakeAws {
  /** Requests per API (`service.Operation`). */
  readonly counts = new Map<string, ApiCount>();
  /** Findings written by the scan (JSONL PutObject under findings/), by check id and status. */
  readonly findings: Record<string, Record<string, number>> = {};
  findingsLines = 0;
  findingsBytes = 0;
  eventsPublished = 0;
  /** Small objects written to the audit bucket (latest.json), served back by GetObject. */
  readonly objects = new Map<string, string>([
    // What the stack uploads when the reviewed suppressions file lists none.
    [SUPPRESSIONS_KEY, JSON.stringify({ source: 'suppressions.yaml', suppressions: [] })],
  ]);
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

  private count(api: string): ApiCount {
    let c = this.counts.get(api);
    if (!c) {
      c = { ok: 0, throttled: 0 };
      this.counts.set(api, c);
    }
    return c;
  }

  /** Takes a token from the API's bucket; false when it is empty (throttle). */
  private admit(api: string): boolean {
    const limit = limitOf(this.limits, api);
    if (!limit) return true;
    const now = performance.now();
    let b = this.buckets.get(api);
    if (!b) {
      b = { tokens: limit.burst, at: now, limit };
      this.buckets.set(api, b);
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
    const admitted = this.admit(routed.api);
    const c = this.count(routed.api);
    let reply: Reply;
    if (admitted) {
      c.ok += 1;
      reply = routed.answer();
    } else {
      c.throttled += 1;
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
    const host = req.hostname;
    const at = (service: string, operation: string, answer: () => Reply): Routed => ({
      api: `${service}.${operation}`,
      service,
      answer,
    });
    const s3Bucket = /^(.+)\.s3\.[a-z0-9-]+\.amazonaws\.com$/.exec(host);
    if (host.includes('.s3-control.')) {
      return at('s3control', 'GetPublicAccessBlock', () =>
        s3Error(
          'NoSuchPublicAccessBlockConfiguration',
          404,
          'The public access block configuration was not found',
        ),
      );
    }
    if (s3Bucket) return this.routeBucket(s3Bucket[1]!, req, at);
    if (/^s3\.[a-z0-9-]+\.amazonaws\.com$/.test(host)) {
      return at('s3', 'ListBuckets', () => this.listBuckets(req));
    }
    if (host.startsWith('ec2.')) {
      const params = new URLSearchParams(bodyText(req.body));
      const action = params.get('Action') ?? 'Unknown';
      return at('ec2', action, () => this.ec2(action, params));
    }
    if (host.startsWith('iam.')) {
      const params = new URLSearchParams(bodyText(req.body));
      const action = params.get('Action') ?? 'Unknown';
      return at('iam', action, () => this.iam(action, params));
    }
    if (host.startsWith('lambda.')) return this.routeLambda(req, at);
    if (host.startsWith('config.') || host.startsWith('events.')) {
      const target = String(req.headers['x-amz-target'] ?? req.headers['X-Amz-Target'] ?? '');
      const operation = target.split('.').pop() ?? 'Unknown';
      const service = host.startsWith('config.') ? 'config' : 'events';
      const input = bodyText(req.body);
      return at(service, operation, () => this.jsonApi(service, operation, input));
    }
    if (host.startsWith('sts.')) {
      return at('sts', 'GetCallerIdentity', () =>
        xml(
          `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>${el('Arn', `arn:aws:iam::${this.options.account.accountId}:user/bench`)}${el('UserId', 'AIDABENCH')}${el('Account', this.options.account.accountId)}</GetCallerIdentityResult><ResponseMetadata>${el('RequestId', 'bench')}</ResponseMetadata></GetCallerIdentityResponse>`,
        ),
      );
    }
    throw new Error(`fake AWS: no route for ${req.method} ${host}${req.path}`);
  }

  // --------------------------------------------------------------------------------------- S3

  private listBuckets(req: HttpRequest): Reply {
    const a = this.options.account;
    const p = page(
      a.counts.buckets,
      queryValue(req.query, 'continuation-token'),
      S3_PAGE_MAX,
      queryValue(req.query, 'max-buckets'),
    );
    let items = '';
    for (let i = p.start; i < p.end; i += 1) {
      items += `<Bucket>${el('Name', a.bucket(i).name)}${el('CreationDate', '2024-01-01T00:00:00.000Z')}${el('BucketRegion', a.region)}</Bucket>`;
    }
    return xml(
      `<ListAllMyBucketsResult xmlns="${S3_NS}"><Owner>${el('ID', OWNER_ID)}</Owner><Buckets>${items}</Buckets>${el('ContinuationToken', p.next)}</ListAllMyBucketsResult>`,
    );
  }

  private bucketByName(name: string) {
    const a = this.options.account;
    const m = /^bench-bucket-(\d+)$/.exec(name);
    if (!m) return undefined;
    const i = Number(m[1]);
    return i < a.counts.buckets ? a.bucket(i) : undefined;
  }

  private routeBucket(
    bucket: string,
    req: HttpRequest,
    at: (service: string, operation: string, answer: () => Reply) => Routed,
  ): Routed | Promise<Routed> {
    if (bucket === this.options.auditBucket) return this.routeAuditObject(req, at);
    const subresources = [
      ['policy', 'GetBucketPolicy'],
      ['policyStatus', 'GetBucketPolicyStatus'],
      ['acl', 'GetBucketAcl'],
      ['publicAccessBlock', 'GetPublicAccessBlock'],
      ['ownershipControls', 'GetBucketOwnershipControls'],
      ['versioning', 'GetBucketVersioning'],
      ['encryption', 'GetBucketEncryption'],
      ['tagging', 'GetBucketTagging'],
      ['location', 'GetBucketLocation'],
    ] as const;
    const hit = subresources.find(([q]) => q in req.query);
    if (req.method !== 'GET' || !hit) {
      throw new Error(`fake AWS: unsupported S3 request ${req.method} ${bucket}${req.path}`);
    }
    const operation = hit[1];
    return at('s3', operation, () => {
      const b = this.bucketByName(bucket);
      if (!b) return s3Error('NoSuchBucket', 404, 'The specified bucket does not exist');
      switch (operation) {
        case 'GetBucketPolicy':
          return b.policy === null
            ? s3Error('NoSuchBucketPolicy', 404, 'The bucket policy does not exist')
            : { status: 200, headers: { 'content-type': 'application/json' }, body: b.policy };
        case 'GetBucketPolicyStatus':
          return b.policy === null
            ? s3Error('NoSuchBucketPolicy', 404, 'The bucket policy does not exist')
            : xml(
                `<PolicyStatus xmlns="${S3_NS}">${el('IsPublic', b.policyIsPublic === true)}</PolicyStatus>`,
              );
        case 'GetBucketAcl': {
          const grants = b.aclGrants
            .map((g) =>
              g.uri
                ? `<Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="Group">${el('URI', g.uri)}</Grantee>${el('Permission', g.permission)}</Grant>`
                : `<Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="CanonicalUser">${el('ID', OWNER_ID)}</Grantee>${el('Permission', g.permission)}</Grant>`,
            )
            .join('');
          return xml(
            `<AccessControlPolicy xmlns="${S3_NS}"><Owner>${el('ID', OWNER_ID)}</Owner><AccessControlList>${grants}</AccessControlList></AccessControlPolicy>`,
          );
        }
        case 'GetPublicAccessBlock':
          return b.publicAccessBlock === null
            ? s3Error(
                'NoSuchPublicAccessBlockConfiguration',
                404,
                'The public access block configuration was not found',
              )
            : xml(
                `<PublicAccessBlockConfiguration xmlns="${S3_NS}">${['BlockPublicAcls', 'IgnorePublicAcls', 'BlockPublicPolicy', 'RestrictPublicBuckets'].map((f) => el(f, b.publicAccessBlock === true)).join('')}</PublicAccessBlockConfiguration>`,
              );
        case 'GetBucketOwnershipControls':
          return b.ownership === null
            ? s3Error(
                'OwnershipControlsNotFoundError',
                404,
                'The bucket ownership controls were not found',
              )
            : xml(
                `<OwnershipControls xmlns="${S3_NS}"><Rule>${el('ObjectOwnership', b.ownership)}</Rule></OwnershipControls>`,
              );
        case 'GetBucketVersioning':
          return xml(
            `<VersioningConfiguration xmlns="${S3_NS}">${el('Status', b.versioning)}</VersioningConfiguration>`,
          );
        case 'GetBucketEncryption': {
          const key =
            b.encryption === 'AES256'
              ? ''
              : el(
                  'KMSMasterKeyID',
                  `arn:aws:kms:us-east-1:${this.options.account.accountId}:key/bench`,
                );
          return xml(
            `<ServerSideEncryptionConfiguration xmlns="${S3_NS}"><Rule><ApplyServerSideEncryptionByDefault>${el('SSEAlgorithm', b.encryption)}${key}</ApplyServerSideEncryptionByDefault>${el('BucketKeyEnabled', b.encryption !== 'AES256')}</Rule></ServerSideEncryptionConfiguration>`,
          );
        }
        case 'GetBucketTagging':
          return b.tags === null
            ? s3Error('NoSuchTagSet', 404, 'The TagSet does not exist')
            : xml(
                `<Tagging xmlns="${S3_NS}"><TagSet>${tagSetXml(b.tags, 'Tag', 'Key', 'Value')}</TagSet></Tagging>`,
              );
        case 'GetBucketLocation': {
          const region = this.options.account.region;
          return xml(
            `<LocationConstraint xmlns="${S3_NS}">${region === 'us-east-1' ? '' : xmlEscape(region)}</LocationConstraint>`,
          );
        }
      }
    });
  }

  /** The audit bucket: GetObject / PutObject; findings JSONL is tallied, not kept. */
  private async routeAuditObject(
    req: HttpRequest,
    at: (service: string, operation: string, answer: () => Reply) => Routed,
  ): Promise<Routed> {
    const key = decodeURIComponent(req.path.replace(/^\//, ''));
    if (req.method === 'GET') {
      return at('s3', 'GetObject', () => {
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
    if (req.method === 'PUT') {
      const body = await bodyBytes(req.body);
      return at('s3', 'PutObject', () => {
        if (key.startsWith('findings/')) this.tallyFindings(body);
        else this.objects.set(key, body.toString('utf-8'));
        return { status: 200, headers: { etag: '"bench"' } };
      });
    }
    throw new Error(`fake AWS: unsupported audit-bucket request ${req.method} ${req.path}`);
  }

  /**
   * Counts the findings by check and status, reading only those two fields of each line (no
   * JSON.parse of the whole body: the benchmark must not add its own garbage to the scan's peak).
   */
  private tallyFindings(body: Buffer): void {
    this.findingsBytes += body.byteLength;
    const field = (name: string, from: number, to: number): string => {
      const tag = `"${name}":"`;
      const at = body.indexOf(tag, from);
      if (at < 0 || at > to) throw new Error(`fake AWS: finding without ${name}`);
      const start = at + tag.length;
      return body.toString('utf-8', start, body.indexOf('"', start));
    };
    let start = 0;
    while (start < body.byteLength) {
      let end = body.indexOf(10, start);
      if (end < 0) end = body.byteLength;
      if (end > start) {
        const check = field('checkId', start, end);
        const status = field('status', start, end);
        const byStatus = (this.findings[check] ??= {});
        byStatus[status] = (byStatus[status] ?? 0) + 1;
        this.findingsLines += 1;
      }
      start = end + 1;
    }
  }

  // --------------------------------------------------------------------------------------- EC2

  private ec2(action: string, params: URLSearchParams): Reply {
    const a = this.options.account;
    const wrap = (inner: string) =>
      xml(
        `<${action}Response xmlns="${EC2_NS}">${el('requestId', 'bench')}${inner}</${action}Response>`,
      );
    const pageOf = (total: number) =>
      page(total, params.get('NextToken'), EC2_PAGE_MAX, params.get('MaxResults'));
    const tags = (t: readonly Tag[]) => `<tagSet>${tagSetXml(t, 'item')}</tagSet>`;
    switch (action) {
      case 'DescribeSecurityGroups': {
        const p = pageOf(a.counts.securityGroups);
        let items = '';
        for (let i = p.start; i < p.end; i += 1) {
          const g = a.securityGroup(i);
          const rules = (list: typeof g.ingress) =>
            list
              .map(
                (r) =>
                  `<item>${el('ipProtocol', r.protocol)}${el('fromPort', r.from)}${el('toPort', r.to)}<groups>${r.sourceGroup ? `<item>${el('userId', a.accountId)}${el('groupId', g.id)}</item>` : ''}</groups><ipRanges>${(r.cidrs ?? []).map((c) => `<item>${el('cidrIp', c)}</item>`).join('')}</ipRanges><ipv6Ranges>${(r.cidrsV6 ?? []).map((c) => `<item>${el('cidrIpv6', c)}</item>`).join('')}</ipv6Ranges><prefixListIds/></item>`,
              )
              .join('');
          items += `<item>${el('ownerId', a.accountId)}${el('groupId', g.id)}${el('groupName', g.name)}${el('groupDescription', 'bench')}<ipPermissions>${rules(g.ingress)}</ipPermissions><ipPermissionsEgress>${rules(g.egress)}</ipPermissionsEgress>${el('vpcId', g.vpcId)}${el('securityGroupArn', `arn:aws:ec2:${a.region}:${a.accountId}:security-group/${g.id}`)}${tags(g.tags)}</item>`;
        }
        return wrap(`<securityGroupInfo>${items}</securityGroupInfo>${el('nextToken', p.next)}`);
      }
      case 'DescribeVolumes': {
        const p = pageOf(a.counts.volumes);
        let items = '';
        for (let i = p.start; i < p.end; i += 1) {
          const v = a.volume(i);
          const attachment = v.instanceId
            ? `<item>${el('volumeId', v.id)}${el('instanceId', v.instanceId)}${el('device', '/dev/xvda')}${el('status', 'attached')}</item>`
            : '';
          items += `<item>${el('volumeId', v.id)}${el('size', 8)}${el('availabilityZone', `${a.region}a`)}${el('status', v.instanceId ? 'in-use' : 'available')}${el('createTime', '2024-01-01T00:00:00.000Z')}<attachmentSet>${attachment}</attachmentSet>${el('volumeType', 'gp3')}${el('encrypted', v.encrypted)}${tags(v.tags)}</item>`;
        }
        return wrap(`<volumeSet>${items}</volumeSet>${el('nextToken', p.next)}`);
      }
      case 'DescribeVpcs': {
        const p = pageOf(a.counts.vpcs);
        let items = '';
        for (let i = p.start; i < p.end; i += 1) {
          const v = a.vpc(i);
          items += `<item>${el('vpcId', v.id)}${el('ownerId', a.accountId)}${el('state', 'available')}${el('cidrBlock', '10.0.0.0/16')}${el('isDefault', i === 0)}${tags(v.tags)}</item>`;
        }
        return wrap(`<vpcSet>${items}</vpcSet>${el('nextToken', p.next)}`);
      }
      case 'DescribeFlowLogs': {
        // flow logs exist for VPCs with a flowLog status; listed in VPC order
        const withLogs: number[] = [];
        for (let i = 0; i < a.counts.vpcs; i += 1) if (a.vpc(i).flowLog) withLogs.push(i);
        const p = pageOf(withLogs.length);
        let items = '';
        for (let j = p.start; j < p.end; j += 1) {
          const v = a.vpc(withLogs[j]!);
          items += `<item>${el('flowLogId', `fl-${v.id.slice(4)}`)}${el('resourceId', v.id)}${el('flowLogStatus', 'ACTIVE')}${el('deliverLogsStatus', v.flowLog)}${el('trafficType', 'ALL')}${el('logDestinationType', 'cloud-watch-logs')}</item>`;
        }
        return wrap(`<flowLogSet>${items}</flowLogSet>${el('nextToken', p.next)}`);
      }
      case 'GetEbsEncryptionByDefault':
        return wrap(el('ebsEncryptionByDefault', true));
      default:
        return ec2Error('InvalidAction', 400, `fake AWS does not implement ${action}`);
    }
  }

  // --------------------------------------------------------------------------------------- IAM

  private userByName(name: string | null) {
    const a = this.options.account;
    const m = /^bench-user-(\d+)$/.exec(name ?? '');
    if (!m || Number(m[1]) >= a.counts.users) return undefined;
    return a.user(Number(m[1]));
  }

  private iam(action: string, params: URLSearchParams): Reply {
    const a = this.options.account;
    const wrap = (inner: string) =>
      xml(
        `<${action}Response xmlns="${IAM_NS}"><${action}Result>${inner}</${action}Result><ResponseMetadata>${el('RequestId', 'bench')}</ResponseMetadata></${action}Response>`,
      );
    const iso = (d: Date) => d.toISOString();
    const noUser = () =>
      iamError(
        'NoSuchEntity',
        404,
        `The user with name ${params.get('UserName')} cannot be found.`,
      );
    switch (action) {
      case 'ListUsers': {
        const p = page(a.counts.users, params.get('Marker'), IAM_PAGE_MAX, params.get('MaxItems'));
        let members = '';
        for (let i = p.start; i < p.end; i += 1) {
          const u = a.user(i);
          members += `<member>${el('Path', '/')}${el('UserName', u.name)}${el('UserId', `AIDA${i}`)}${el('Arn', u.arn)}${el('CreateDate', iso(a.daysAgo(u.createdDaysAgo)))}</member>`;
        }
        return wrap(
          `<Users>${members}</Users>${el('IsTruncated', p.next !== undefined)}${el('Marker', p.next)}`,
        );
      }
      case 'ListAccessKeys': {
        const u = this.userByName(params.get('UserName'));
        if (!u) return noUser();
        const k = u.key;
        const member = k
          ? `<member>${el('UserName', u.name)}${el('AccessKeyId', k.id)}${el('Status', k.active ? 'Active' : 'Inactive')}${el('CreateDate', iso(a.daysAgo(k.ageDays)))}</member>`
          : '';
        return wrap(`<AccessKeyMetadata>${member}</AccessKeyMetadata>${el('IsTruncated', false)}`);
      }
      case 'ListMFADevices': {
        const u = this.userByName(params.get('UserName'));
        if (!u) return noUser();
        let members = '';
        for (let d = 0; d < u.mfaDevices; d += 1) {
          members += `<member>${el('UserName', u.name)}${el('SerialNumber', `arn:aws:iam::${a.accountId}:mfa/${u.name}-${d}`)}${el('EnableDate', iso(a.daysAgo(100)))}</member>`;
        }
        return wrap(`<MFADevices>${members}</MFADevices>${el('IsTruncated', false)}`);
      }
      case 'GetLoginProfile': {
        const u = this.userByName(params.get('UserName'));
        if (!u) return noUser();
        if (u.passwordLastUsedDaysAgo === undefined) {
          return iamError('NoSuchEntity', 404, `Login Profile for User ${u.name} cannot be found.`);
        }
        return wrap(
          `<LoginProfile>${el('UserName', u.name)}${el('CreateDate', iso(a.daysAgo(u.createdDaysAgo)))}${el('PasswordResetRequired', false)}</LoginProfile>`,
        );
      }
      case 'ListUserTags': {
        const u = this.userByName(params.get('UserName'));
        if (!u) return noUser();
        return wrap(
          `<Tags>${tagSetXml(u.tags, 'member', 'Key', 'Value')}</Tags>${el('IsTruncated', false)}`,
        );
      }
      case 'GenerateCredentialReport':
        return wrap(
          `${el('State', 'COMPLETE')}${el('Description', 'No report exists. Starting a new report generation.')}`,
        );
      case 'GetCredentialReport':
        return wrap(
          `${el('Content', Buffer.from(a.credentialReport()).toString('base64'))}${el('ReportFormat', 'text/csv')}${el('GeneratedTime', iso(new Date(a.nowMs)))}`,
        );
      case 'GetAccountSummary': {
        const summary: Record<string, number> = {
          Users: a.counts.users,
          AccountMFAEnabled: 1,
          AccountAccessKeysPresent: 0,
          AccountPasswordPresent: 1,
        };
        const entries = Object.entries(summary)
          .map(([k, v]) => `<entry>${el('key', k)}${el('value', v)}</entry>`)
          .join('');
        return wrap(`<SummaryMap>${entries}</SummaryMap>`);
      }
      default:
        return iamError('InvalidAction', 400, `fake AWS does not implement ${action}`);
    }
  }

  // ------------------------------------------------------------------------------------ Lambda

  private functionByRef(ref: string) {
    const a = this.options.account;
    const name = decodeURIComponent(ref).split(':').pop() ?? '';
    const m = /^bench-fn-(\d+)$/.exec(name);
    if (!m || Number(m[1]) >= a.counts.functions) return undefined;
    return a.function(Number(m[1]));
  }

  private routeLambda(
    req: HttpRequest,
    at: (service: string, operation: string, answer: () => Reply) => Routed,
  ): Routed {
    const a = this.options.account;
    const notFound = () => jsonError('ResourceNotFoundException', 404, 'Function not found');
    if (/^\/2015-03-31\/functions\/?$/.test(req.path)) {
      return at('lambda', 'ListFunctions', () => {
        const p = page(
          a.counts.functions,
          queryValue(req.query, 'Marker'),
          LAMBDA_PAGE_MAX,
          queryValue(req.query, 'MaxItems'),
        );
        const Functions = [];
        for (let i = p.start; i < p.end; i += 1) {
          const f = a.function(i);
          Functions.push({
            FunctionName: f.name,
            FunctionArn: f.arn,
            Runtime: 'nodejs22.x',
            Handler: 'index.handler',
            TracingConfig: { Mode: f.tracing },
            Architectures: ['arm64'],
          });
        }
        return json({ Functions, ...(p.next ? { NextMarker: p.next } : {}) });
      });
    }
    const concurrency = /^\/2019-09-30\/functions\/([^/]+)\/concurrency$/.exec(req.path);
    if (concurrency) {
      return at('lambda', 'GetFunctionConcurrency', () => {
        const f = this.functionByRef(concurrency[1]!);
        if (!f) return notFound();
        return json(f.reserved === undefined ? {} : { ReservedConcurrentExecutions: f.reserved });
      });
    }
    const tags = /^\/2017-03-31\/tags\/([^/]+)$/.exec(req.path);
    if (tags) {
      return at('lambda', 'ListTags', () => {
        const f = this.functionByRef(tags[1]!);
        if (!f) return notFound();
        return json({ Tags: Object.fromEntries(f.tags) });
      });
    }
    throw new Error(`fake AWS: unsupported Lambda request ${req.method} ${req.path}`);
  }

  // ------------------------------------------------------------------------ Config, EventBridge

  private jsonApi(service: string, operation: string, input: string): Reply {
    const reply = (value: unknown) =>
      ({
        status: 200,
        headers: { 'content-type': 'application/x-amz-json-1.1' },
        body: JSON.stringify(value),
      }) as Reply;
    switch (`${service}.${operation}`) {
      case 'config.DescribeConfigurationRecorders':
        return reply({
          ConfigurationRecorders: [
            {
              name: 'default',
              roleARN: `arn:aws:iam::${this.options.account.accountId}:role/config`,
              recordingGroup: { allSupported: true, includeGlobalResourceTypes: true },
            },
          ],
        });
      case 'config.DescribeConfigurationRecorderStatus':
        return reply({
          ConfigurationRecordersStatus: [
            { name: 'default', recording: true, lastStatus: 'SUCCESS' },
          ],
        });
      case 'events.PutEvents': {
        const entries = (JSON.parse(input || '{}') as { Entries?: unknown[] }).Entries ?? [];
        this.eventsPublished += entries.length;
        return reply({
          FailedEntryCount: 0,
          Entries: entries.map((_, i) => ({ EventId: `bench-event-${this.eventsPublished}-${i}` })),
        });
      }
      default:
        return jsonError(
          'UnknownOperationException',
          400,
          `fake AWS does not implement ${operation}`,
        );
    }
  }
}
