/**
 * A fake AWS Organization behind the SDK's `requestHandler`, for the organization scan's local
 * execution test and benchmark: every request is routed by the credentials that signed it (the
 * access key id in the Authorization header) and the endpoint it goes to, in each service's real
 * wire protocol, so the real SDK code and the real handlers run end to end.
 *
 * - The audit account (any key the fake did not issue): AWS Organizations (ListAccounts,
 *   ListAccountsForParent, ListChildren — paginated, JSON 1.1), STS AssumeRole (query/XML: issues
 *   a member's keys, or AccessDenied when the account has no role, or the external id or session
 *   name do not match the member role's trust policy), EC2 DescribeRegions, the audit bucket
 *   (objects, ListObjectsV2 and multipart uploads, in an ObjectStore), EventBridge PutEvents.
 * - A member (keys issued by AssumeRole): its global services (S3, S3 Control, IAM) and each
 *   region's services are answered by a per-(account, part) handler — bench/scanner's FakeAws
 *   over a SyntheticAccount — so every account and region has its own rate limits.
 */
import { SUPPRESSIONS_KEY } from '../../lambdas/shared/store';
import { suppressionsDocument } from '../../stacks/suppressions';
import {
  appendFileSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { Readable } from 'node:stream';
import { HttpResponse, type HttpRequest } from '@smithy/core/transport';
import { xmlEscape } from '../scanner/fake-aws';

/** The audit bucket's objects (keys as S3 keys). */
export interface ObjectStore {
  get(key: string): Buffer | undefined;
  put(key: string, body: Buffer): void;
  keys(prefix: string): string[];
  /** `target` becomes the `sources` one after the other (a multipart upload completing); they go. */
  concat(target: string, sources: readonly string[]): void;
  remove(keys: readonly string[]): void;
}

/** Where a multipart upload's parts wait for CompleteMultipartUpload (never listed). */
const UPLOADS = '.uploads/';

export class MemoryStore implements ObjectStore {
  readonly objects = new Map<string, Buffer>();
  get(key: string) {
    return this.objects.get(key);
  }
  put(key: string, body: Buffer) {
    this.objects.set(key, body);
  }
  keys(prefix: string) {
    return [...this.objects.keys()].filter((k) => k.startsWith(prefix)).sort();
  }
  concat(target: string, sources: readonly string[]) {
    this.put(target, Buffer.concat(sources.map((k) => this.objects.get(k) ?? Buffer.alloc(0))));
    this.remove(sources);
  }
  remove(keys: readonly string[]) {
    for (const k of keys) this.objects.delete(k);
  }
}

/** Objects as files under a directory: shared by the benchmark's worker processes. */
export class DirectoryStore implements ObjectStore {
  constructor(readonly root: string) {}
  get(key: string) {
    try {
      return readFileSync(join(this.root, key));
    } catch {
      return undefined;
    }
  }
  put(key: string, body: Buffer) {
    const path = join(this.root, key);
    mkdirSync(dirname(path), { recursive: true });
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, body);
    renameSync(tmp, path); // readers never see half an object
  }
  keys(prefix: string) {
    const out: string[] = [];
    const walk = (dir: string) => {
      let entries;
      try {
        entries = readdirSync(dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const e of entries) {
        const path = join(dir, e.name);
        if (e.isDirectory()) walk(path);
        else if (!e.name.endsWith('.tmp')) out.push(relative(this.root, path));
      }
    };
    walk(this.root);
    return out.filter((k) => k.startsWith(prefix)).sort();
  }
  /** Part by part, so the benchmark's fake S3 never holds a whole findings object in memory. */
  concat(target: string, sources: readonly string[]) {
    const path = join(this.root, target);
    mkdirSync(dirname(path), { recursive: true });
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, '');
    for (const k of sources) appendFileSync(tmp, readFileSync(join(this.root, k)));
    renameSync(tmp, path);
    this.remove(sources);
  }
  remove(keys: readonly string[]) {
    for (const k of keys) rmSync(join(this.root, k), { force: true });
  }
}

/** What answers one account's global services or one of its regions. */
export interface PartHandler {
  handle(request: HttpRequest): Promise<{ response: HttpResponse }>;
}

export interface FakeAccount {
  readonly id: string;
  readonly name: string;
  /** `ACTIVE` unless said otherwise. */
  readonly state?: 'ACTIVE' | 'SUSPENDED' | 'PENDING_CLOSURE';
  /** Parent root or OU id. */
  readonly parent: string;
  /** false: no member role (AssumeRole is denied). */
  readonly hasRole?: boolean;
}

export interface FakeOrganizationOptions {
  readonly rootId: string;
  /** OU id → parent id. */
  readonly ous?: Readonly<Record<string, string>>;
  readonly accounts: readonly FakeAccount[];
  /** Regions enabled everywhere (DescribeRegions). */
  readonly regions: readonly string[];
  readonly auditBucket: string;
  readonly store: ObjectStore;
  readonly memberRoleName: string;
  readonly externalId: string;
  /** The handler of an account's `global` part or of one of its regions (created once each). */
  readonly part: (account: string, part: string) => PartHandler;
  /** Page size of the Organizations list APIs (small, so pagination is exercised). */
  readonly pageSize?: number;
}

interface Reply {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body?: string | Buffer;
}

const MEMBER_KEY = /^ASIAFAKE(\d{12})$/;
const S3_NS = 'http://s3.amazonaws.com/doc/2006-03-01/';
const EC2_NS = 'http://ec2.amazonaws.com/doc/2016-11-15/';
const STS_NS = 'https://sts.amazonaws.com/doc/2011-06-15/';
const el = (name: string, value: string | number | boolean) =>
  `<${name}>${xmlEscape(String(value))}</${name}>`;
const xml = (body: string, status = 200): Reply => ({
  status,
  headers: { 'content-type': 'application/xml' },
  body: `<?xml version="1.0" encoding="UTF-8"?>\n${body}`,
});
const json = (value: unknown, status = 200, type?: string): Reply => ({
  status,
  headers: {
    'content-type': 'application/x-amz-json-1.1',
    ...(type ? { 'x-amzn-errortype': type } : {}),
  },
  body: JSON.stringify(value),
});
const s3Error = (code: string, status: number) =>
  xml(`<Error>${el('Code', code)}${el('Message', code)}${el('RequestId', 'fake')}</Error>`, status);

async function bodyBytes(body: unknown): Promise<Buffer> {
  if (body === undefined || body === null) return Buffer.alloc(0);
  if (typeof body === 'string') return Buffer.from(body);
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const chunks: Buffer[] = [];
  for await (const chunk of body as AsyncIterable<Uint8Array | string>)
    chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

function query(q: HttpRequest['query'], key: string): string | undefined {
  const v = q[key];
  return Array.isArray(v) ? (v[0] ?? undefined) : (v ?? undefined);
}

function accessKeyOf(req: HttpRequest): string | undefined {
  const auth = String(req.headers.authorization ?? req.headers.Authorization ?? '');
  return /Credential=([^/]+)\//.exec(auth)?.[1];
}

export class FakeOrganization {
  /** Events put on the bus by the audit account. */
  readonly events: { DetailType?: string; Detail?: string }[] = [];
  /** AssumeRole calls: account, session name, and whether they were allowed. */
  readonly assumed: { account: string; session: string; allowed: boolean }[] = [];
  private readonly parts = new Map<string, PartHandler>();
  private readonly uploads = new Map<string, string[]>();
  private served = 0;

  constructor(readonly options: FakeOrganizationOptions) {
    // The audit stack uploads the reviewed suppressions (an empty list when there are none).
    if (!options.store.get(SUPPRESSIONS_KEY)) {
      options.store.put(
        SUPPRESSIONS_KEY,
        Buffer.from(suppressionsDocument({ file: 'suppressions.yaml', entries: [], expired: [] })),
      );
    }
  }

  /** The SDK's RequestHandler contract. */
  readonly handle = async (req: HttpRequest): Promise<{ response: HttpResponse }> => {
    this.served += 1;
    const reply = await this.route(req);
    if ('response' in reply) return reply;
    const body = reply.body === undefined ? Buffer.alloc(0) : Buffer.from(reply.body);
    return {
      response: new HttpResponse({
        statusCode: reply.status,
        headers: {
          'x-amz-request-id': `fake-${this.served}`,
          'x-amzn-requestid': `fake-${this.served}`,
          'content-length': String(body.byteLength),
          ...reply.headers,
        },
        body: Readable.from([body]),
      }),
    };
  };

  private partHandler(account: string, part: string): PartHandler {
    const key = `${account}/${part}`;
    let h = this.parts.get(key);
    if (!h) {
      h = this.options.part(account, part);
      this.parts.set(key, h);
    }
    return h;
  }

  private async route(req: HttpRequest): Promise<Reply | { response: HttpResponse }> {
    const host = req.hostname;
    const member = MEMBER_KEY.exec(accessKeyOf(req) ?? '')?.[1];
    const auditHost = `${this.options.auditBucket}.s3.`;
    if (host.startsWith(auditHost)) return this.auditObject(req);
    if (host.startsWith('ec2.')) {
      const params = new URLSearchParams((await bodyBytes(req.body)).toString());
      if (params.get('Action') === 'DescribeRegions') return this.describeRegions();
      req.body = params.toString();
    }
    if (member) {
      const global = host.startsWith('iam.') || /(^|\.)s3[.-]/.test(host);
      const region = global ? 'global' : host.split('.')[1]!;
      return this.partHandler(member, region).handle(req);
    }
    if (host.startsWith('sts.')) return this.sts(req);
    const target = String(req.headers['x-amz-target'] ?? '');
    const input = JSON.parse((await bodyBytes(req.body)).toString() || '{}') as Record<
      string,
      unknown
    >;
    if (host.startsWith('organizations.'))
      return this.organizations(target.split('.').pop()!, input);
    if (host.startsWith('events.') && target.endsWith('PutEvents')) {
      const entries = (input.Entries ?? []) as { DetailType?: string; Detail?: string }[];
      this.events.push(...entries);
      return json({ FailedEntryCount: 0, Entries: entries.map((_, i) => ({ EventId: `e${i}` })) });
    }
    throw new Error(
      `fake organization: no route for the audit account's ${req.method} ${host}${req.path}`,
    );
  }

  // ------------------------------------------------------------------------------------- STS

  private async sts(req: HttpRequest): Promise<Reply> {
    const params = new URLSearchParams((await bodyBytes(req.body)).toString());
    const deny = (message: string) =>
      xml(
        `<ErrorResponse xmlns="${STS_NS}"><Error><Type>Sender</Type>${el('Code', 'AccessDenied')}${el('Message', message)}</Error>${el('RequestId', 'fake')}</ErrorResponse>`,
        403,
      );
    if (params.get('Action') !== 'AssumeRole')
      throw new Error('fake organization: STS AssumeRole only');
    const roleArn = params.get('RoleArn') ?? '';
    const session = params.get('RoleSessionName') ?? '';
    const m = /^arn:aws[a-z-]*:iam::(\d{12}):role\/(.+)$/.exec(roleArn);
    const account = this.options.accounts.find((a) => a.id === m?.[1]);
    const allowed =
      account !== undefined &&
      account.hasRole !== false &&
      m?.[2] === this.options.memberRoleName &&
      params.get('ExternalId') === this.options.externalId &&
      session.startsWith('compliance-scan-');
    this.assumed.push({ account: m?.[1] ?? '?', session, allowed });
    if (!allowed) {
      return deny(
        `User: arn:aws:sts::999999999999:assumed-role/org-shard/x is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
      );
    }
    const expiration = new Date(Date.now() + 3600_000).toISOString();
    return xml(
      `<AssumeRoleResponse xmlns="${STS_NS}"><AssumeRoleResult><Credentials>${el('AccessKeyId', `ASIAFAKE${account!.id}`)}${el('SecretAccessKey', 'fake-secret')}${el('SessionToken', 'fake-token')}${el('Expiration', expiration)}</Credentials><AssumedRoleUser>${el('AssumedRoleId', `AROAFAKE:${session}`)}${el('Arn', `arn:aws:sts::${account!.id}:assumed-role/${m![2]}/${session}`)}</AssumedRoleUser></AssumeRoleResult><ResponseMetadata>${el('RequestId', 'fake')}</ResponseMetadata></AssumeRoleResponse>`,
    );
  }

  private describeRegions(): Reply {
    const items = this.options.regions
      .map(
        (r) =>
          `<item>${el('regionName', r)}${el('regionEndpoint', `ec2.${r}.amazonaws.com`)}${el('optInStatus', 'opt-in-not-required')}</item>`,
      )
      .join('');
    return xml(
      `<DescribeRegionsResponse xmlns="${EC2_NS}">${el('requestId', 'fake')}<regionInfo>${items}</regionInfo></DescribeRegionsResponse>`,
    );
  }

  // ---------------------------------------------------------------------------- Organizations

  private organizations(operation: string, input: Record<string, unknown>): Reply {
    const size = this.options.pageSize ?? 2;
    const page = <T>(items: T[]) => {
      const start = Number(input.NextToken ?? 0);
      const end = start + size;
      return { slice: items.slice(start, end), next: end < items.length ? String(end) : undefined };
    };
    const account = (a: FakeAccount) => ({
      Id: a.id,
      Arn: `arn:aws:organizations::999999999999:account/o-fake000000/${a.id}`,
      Email: `${a.id}@example.com`,
      Name: a.name,
      Status: a.state ?? 'ACTIVE',
      State: a.state ?? 'ACTIVE',
      JoinedMethod: 'CREATED',
      JoinedTimestamp: 1700000000,
    });
    switch (operation) {
      case 'ListAccounts': {
        const p = page(this.options.accounts.map(account));
        return json({ Accounts: p.slice, ...(p.next ? { NextToken: p.next } : {}) });
      }
      case 'ListAccountsForParent': {
        const p = page(
          this.options.accounts.filter((a) => a.parent === input.ParentId).map(account),
        );
        return json({ Accounts: p.slice, ...(p.next ? { NextToken: p.next } : {}) });
      }
      case 'ListChildren': {
        const ous = Object.entries(this.options.ous ?? {})
          .filter(([, parent]) => parent === input.ParentId)
          .map(([Id]) => ({ Id, Type: 'ORGANIZATIONAL_UNIT' }));
        const p = page(ous);
        return json({ Children: p.slice, ...(p.next ? { NextToken: p.next } : {}) });
      }
      default:
        return json({ message: `fake: ${operation}` }, 400, 'InvalidInputException');
    }
  }

  // ------------------------------------------------------------------------------ audit bucket

  private async auditObject(req: HttpRequest): Promise<Reply> {
    const { store } = this.options;
    const key = decodeURIComponent(req.path.replace(/^\//, ''));
    const uploadId = query(req.query, 'uploadId');
    if (req.method === 'GET' && query(req.query, 'list-type') === '2') {
      const prefix = query(req.query, 'prefix') ?? '';
      const contents = store
        .keys(prefix)
        .map(
          (k) => `<Contents>${el('Key', k)}${el('Size', store.get(k)?.byteLength ?? 0)}</Contents>`,
        )
        .join('');
      return xml(
        `<ListBucketResult xmlns="${S3_NS}">${el('Name', this.options.auditBucket)}${el('Prefix', prefix)}${el('KeyCount', store.keys(prefix).length)}${el('MaxKeys', 1000)}${el('IsTruncated', false)}${contents}</ListBucketResult>`,
      );
    }
    if (req.method === 'GET') {
      const body = store.get(key);
      return body === undefined
        ? s3Error('NoSuchKey', 404)
        : {
            status: 200,
            headers: { 'content-type': 'application/octet-stream', etag: '"fake"' },
            body,
          };
    }
    if (req.method === 'POST' && 'uploads' in req.query) {
      const id = `upload-${this.served}`;
      this.uploads.set(id, []);
      return xml(
        `<InitiateMultipartUploadResult xmlns="${S3_NS}">${el('Bucket', this.options.auditBucket)}${el('Key', key)}${el('UploadId', id)}</InitiateMultipartUploadResult>`,
      );
    }
    if (req.method === 'PUT' && uploadId) {
      const parts = this.uploads.get(uploadId);
      if (!parts) return s3Error('NoSuchUpload', 404);
      const n = Number(query(req.query, 'partNumber'));
      parts[n - 1] = `${UPLOADS}${uploadId}/${n}`;
      store.put(parts[n - 1]!, await bodyBytes(req.body));
      return { status: 200, headers: { etag: `"part-${n}"` } };
    }
    if (req.method === 'POST' && uploadId) {
      const parts = this.uploads.get(uploadId);
      if (!parts) return s3Error('NoSuchUpload', 404);
      store.concat(key, parts);
      this.uploads.delete(uploadId);
      return xml(
        `<CompleteMultipartUploadResult xmlns="${S3_NS}">${el('Bucket', this.options.auditBucket)}${el('Key', key)}${el('ETag', '"fake"')}</CompleteMultipartUploadResult>`,
      );
    }
    if (req.method === 'DELETE' && uploadId) {
      store.remove(this.uploads.get(uploadId) ?? []);
      this.uploads.delete(uploadId);
      return { status: 204 };
    }
    if (req.method === 'PUT') {
      store.put(key, await bodyBytes(req.body));
      return { status: 200, headers: { etag: '"fake"' } };
    }
    throw new Error(
      `fake organization: unsupported audit-bucket request ${req.method} ${req.path}`,
    );
  }
}
