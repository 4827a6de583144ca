/**
 * Audit-bucket layout (DESIGN §10) and the S3 reads and writes every function shares.
 *   findings/dt=YYYY-MM-DD/<scanId>.jsonl
 *   reports/dt=YYYY-MM-DD/<scanId>/report.{json,csv,html} and changes.json
 *   ocsf/dt=YYYY-MM-DD/<scanId>.ocsf.jsonl (OCSF Compliance Findings)
 *   exports/dt=YYYY-MM-DD/<scanId>/security-hub.json (what the Security Hub export did)
 *   state/dt=YYYY-MM-DD/<scanId>.json (firstSeen and verdicts across scans, shared/changes.ts)
 *   suppressions/suppressions.json (uploaded by the stack from the reviewed repo file)
 *   remediation/dt=YYYY-MM-DD/<runId>.jsonl
 *   latest.json (pointer to the newest scan, written last)
 */
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import * as z from 'zod/mini';
import { accountTotalsSchema, coverageSchema, findingCountsSchema } from './events';
import { errorMessage, errorName } from './errors';
import type { Finding } from './findings';
import { parseSuppressions, suppressor, type Suppressor } from './suppressions';

export const LATEST_KEY = 'latest.json';

/** `YYYY-MM-DD` (UTC) of an ISO timestamp. */
export function datePartition(iso: string): string {
  return `dt=${new Date(iso).toISOString().slice(0, 10)}`;
}

export function findingsKey(scanId: string, startedAt: string): string {
  return `findings/${datePartition(startedAt)}/${scanId}.jsonl`;
}

export function reportKey(scanId: string, startedAt: string, ext: 'json' | 'csv' | 'html'): string {
  return `reports/${datePartition(startedAt)}/${scanId}/report.${ext}`;
}

export function changesKey(scanId: string, startedAt: string): string {
  return `reports/${datePartition(startedAt)}/${scanId}/changes.json`;
}

export function ocsfKey(scanId: string, startedAt: string): string {
  return `ocsf/${datePartition(startedAt)}/${scanId}.ocsf.jsonl`;
}

export function exportRecordKey(scanId: string, startedAt: string): string {
  return `exports/${datePartition(startedAt)}/${scanId}/security-hub.json`;
}

export function stateKey(scanId: string, startedAt: string): string {
  return `state/${datePartition(startedAt)}/${scanId}.json`;
}

/** Written by the stack (aws_s3_object) from the reviewed suppressions file. */
export const SUPPRESSIONS_KEY = 'suppressions/suppressions.json';

export function remediationKey(runId: string, at: string): string {
  return `remediation/${datePartition(at)}/${runId}.jsonl`;
}

export const scanPointerSchema = z.object({
  scanId: z.string(),
  startedAt: z.string(),
  finishedAt: z.string(),
  findingsKey: z.string(),
  counts: findingCountsSchema,
  /** Regions the scan inventoried. */
  regions: z.optional(z.array(z.string())),
  coverage: z.optional(coverageSchema),
  accounts: z.optional(z.array(accountTotalsSchema)),
  previous: z.optional(z.object({ scanId: z.string(), findingsKey: z.string() })),
});
export type ScanPointer = z.infer<typeof scanPointerSchema>;

export const JSONL_CONTENT_TYPE = 'application/x-ndjson';

export async function putText(
  s3: S3Client,
  bucket: string,
  key: string,
  body: string | Uint8Array,
  contentType: string,
): Promise<void> {
  // No encryption header on purpose: the bucket default (SSE-KMS with the audit data key and a
  // bucket key) applies. `ServerSideEncryption: 'aws:kms'` without a key id would make S3 use the
  // AWS managed aws/s3 key instead.
  await s3.send(
    new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType }),
  );
}

export async function putJson(
  s3: S3Client,
  bucket: string,
  key: string,
  value: unknown,
): Promise<void> {
  await putText(s3, bucket, key, JSON.stringify(value, null, 2), 'application/json');
}

export function toJsonl(items: Iterable<unknown>): string {
  let out = '';
  for (const item of items) out += `${JSON.stringify(item)}\n`;
  return out;
}

export async function putJsonl(
  s3: S3Client,
  bucket: string,
  key: string,
  items: Iterable<unknown>,
): Promise<void> {
  await putText(s3, bucket, key, toJsonl(items), JSONL_CONTENT_TYPE);
}

/** Object body as text, or `undefined` when the key does not exist. */
export async function getText(
  s3: S3Client,
  bucket: string,
  key: string,
): Promise<string | undefined> {
  try {
    const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return (await out.Body?.transformToString('utf-8')) ?? '';
  } catch (err) {
    const name = (err as { name?: string }).name;
    if (name === 'NoSuchKey' || name === 'NotFound') return undefined;
    throw err;
  }
}

/**
 * The reviewed suppressions in force at `now`, or why they cannot be applied (the object is
 * missing, unreadable or invalid): callers never treat that as "suppress all".
 */
export async function readSuppressor(
  s3: S3Client,
  bucket: string,
  now: Date,
): Promise<{ readonly suppress: Suppressor } | { readonly problem: string }> {
  let text: string | undefined;
  try {
    text = await getText(s3, bucket, SUPPRESSIONS_KEY);
  } catch (err) {
    return { problem: `could not be read (${errorName(err)}: ${errorMessage(err)})` };
  }
  if (text === undefined) return { problem: 'does not exist' };
  try {
    return { suppress: suppressor(parseSuppressions(text), now) };
  } catch (err) {
    return { problem: `is not a valid suppressions object (${errorMessage(err)})` };
  }
}

export function parseJsonl<T>(text: string, key: string): T[] {
  const items: T[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      items.push(JSON.parse(line) as T);
    } catch {
      throw new Error(`s3://…/${key} line ${i + 1} is not valid JSON`);
    }
  });
  return items;
}

/** Findings of one scan; throws when the object is missing (the event named it). */
export async function readFindings(s3: S3Client, bucket: string, key: string): Promise<Finding[]> {
  const text = await getText(s3, bucket, key);
  if (text === undefined) throw new Error(`Findings object s3://${bucket}/${key} does not exist`);
  return parseJsonl<Finding>(text, key);
}

export async function readLatest(s3: S3Client, bucket: string): Promise<ScanPointer | undefined> {
  const text = await getText(s3, bucket, LATEST_KEY);
  if (text === undefined) return undefined;
  const parsed = scanPointerSchema.safeParse(JSON.parse(text));
  return parsed.success ? parsed.data : undefined;
}
