/**
 * Why shards failed, from the Map's own record — for the failures a shard could not write itself
 * (a Lambda timeout, an out-of-memory crash, invocations throttled past every retry, items the Map
 * never started because the run stopped). The Map's outcome reaches org-merge in one of three
 * forms:
 *   - Distributed Map with a ResultWriter: `{MapRunArn, ResultWriterDetails: {Bucket, Key}}`, the
 *     key of manifest.json, which lists the FAILED (and PENDING) result files;
 *   - the Catch of a Map that failed (tolerated failures exceeded, …): `{Error, Cause}`; the
 *     ResultWriter's manifest, when it wrote one, is then found under the results prefix;
 *   - an inline Map: the items' results, failed ones carrying `failure: {Error, Cause}`.
 *
 * IAM actions: `s3:GetObject` — `…/org-scans/*`; `s3:ListBucket` — the audit bucket.
 */
import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { getText } from '../shared/store';

/** `<account>/<part>` → why its shard failed. */
export type ShardFailures = Map<string, string>;

export interface MapOutcome {
  readonly failures: ShardFailures;
  /** Set when the Map itself failed: why, e.g. `States.ExceedToleratedFailureThreshold: …`. */
  readonly mapError?: string;
}

export const shardKey = (account: string, part: string): string => `${account}/${part}`;

interface MapError {
  readonly Error?: unknown;
  readonly Cause?: unknown;
}

/** `Error: message` — Lambda's Cause is JSON with `errorMessage`; others are plain text. */
export function failureReason(e: MapError): string {
  const error = typeof e.Error === 'string' ? e.Error : 'Failed';
  if (typeof e.Cause !== 'string' || e.Cause === '') return error;
  try {
    const cause = JSON.parse(e.Cause) as { errorMessage?: unknown };
    if (typeof cause.errorMessage === 'string') return `${error}: ${cause.errorMessage}`;
  } catch {
    // plain text
  }
  return `${error}: ${e.Cause}`;
}

function itemOf(input: unknown): { account?: string; region?: string } {
  const value = typeof input === 'string' ? (JSON.parse(input) as unknown) : input;
  return (value ?? {}) as { account?: string; region?: string };
}

interface ResultWriterManifest {
  readonly ResultFiles?: Readonly<Record<string, readonly { readonly Key?: string }[] | undefined>>;
}

interface ResultEntry extends MapError {
  readonly Input?: unknown;
  readonly Status?: string;
}

async function readJson<T>(s3: S3Client, bucket: string, key: string): Promise<T | undefined> {
  const text = await getText(s3, bucket, key);
  return text === undefined ? undefined : (JSON.parse(text) as T);
}

async function fromManifest(
  s3: S3Client,
  bucket: string,
  manifestKey: string,
  failures: ShardFailures,
): Promise<void> {
  const manifest = await readJson<ResultWriterManifest>(s3, bucket, manifestKey);
  for (const [status, files] of Object.entries(manifest?.ResultFiles ?? {})) {
    if (status === 'SUCCEEDED') continue;
    for (const file of files ?? []) {
      if (!file.Key) continue;
      const entries = (await readJson<ResultEntry[]>(s3, bucket, file.Key)) ?? [];
      for (const entry of entries) {
        const item = itemOf(entry.Input);
        if (!item.account || !item.region) continue;
        const reason =
          status === 'PENDING' ? 'not started: the map run stopped first' : failureReason(entry);
        failures.set(shardKey(item.account, item.region), reason);
      }
    }
  }
}

/** The manifest a ResultWriter left under `prefix`, if any (one map run per scan). */
async function findManifest(s3: S3Client, bucket: string, prefix: string) {
  const out = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: `${prefix}/` }));
  return out.Contents?.map((o) => o.Key).find((k) => k?.endsWith('/manifest.json'));
}

export async function readMapOutcome(
  s3: S3Client,
  bucket: string,
  resultsPrefix: string,
  map: unknown,
): Promise<MapOutcome> {
  const failures: ShardFailures = new Map();
  if (Array.isArray(map)) {
    for (const result of map as { failure?: MapError; account?: string; region?: string }[]) {
      if (result?.failure && result.account && result.region)
        failures.set(shardKey(result.account, result.region), failureReason(result.failure));
    }
    return { failures };
  }
  const value = (map ?? {}) as MapError & { ResultWriterDetails?: { Key?: string } };
  const manifestKey =
    value.ResultWriterDetails?.Key ?? (await findManifest(s3, bucket, resultsPrefix));
  if (manifestKey) await fromManifest(s3, bucket, manifestKey, failures);
  return value.Error === undefined ? { failures } : { failures, mapError: failureReason(value) };
}
