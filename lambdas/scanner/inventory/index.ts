/**
 * Collects the whole inventory once per scan: global services (S3's bucket list and every bucket,
 * IAM, account settings) once per account, every regional service once per region, all regions
 * and services in parallel. A collector that fails outright (a bug, not an API error, which the
 * Collector already records) becomes service-level errors for that region so the scan still
 * completes and says what it could not see.
 *
 * Adding a regional service: a collector module exporting a `RegionalCollector`, its inventory
 * type as a field of `RegionInventory`, and one line in `REGIONAL_COLLECTORS`.
 */
import { ACCESS_ANALYZER_COLLECTOR } from './access-analyzer';
import { CLOUDTRAIL_COLLECTOR } from './cloudtrail';
import { partitionOf } from '../../shared/regions';
import { Collector, type Deadline } from './collector';
import { CONFIG_COLLECTOR } from './config';
import { EC2_COLLECTOR } from './ec2';
import { EFS_COLLECTOR } from './efs';
import { GUARD_DUTY_COLLECTOR } from './guardduty';
import { collectIam } from './iam';
import { KMS_COLLECTOR } from './kms';
import { LAMBDA_COLLECTOR } from './lambda';
import { RDS_COLLECTOR } from './rds';
import { collectS3 } from './s3';
import { S3_ACCESS_POINTS_COLLECTOR } from './s3-access-points';
import { SECURITY_HUB_COLLECTOR } from './securityhub';
import {
  type CollectionError,
  type IamInventory,
  type Inventory,
  type RegionInventory,
  type S3Inventory,
  type ServiceName,
} from './types';

/** The services of one region, without the region's name. */
export type RegionalServices = Omit<RegionInventory, 'region'>;

/** How one regional service is collected, and what it is when the collector fails outright. */
export interface RegionalCollector<T> {
  readonly service: ServiceName;
  collect(c: Collector, region: string): Promise<T>;
  /** The inventory standing for "nothing could be read", every part carrying `error`. */
  unreadable(error: CollectionError): T;
}

export const REGIONAL_COLLECTORS: {
  readonly [K in keyof RegionalServices]: RegionalCollector<RegionalServices[K]>;
} = {
  ec2: EC2_COLLECTOR,
  lambda: LAMBDA_COLLECTOR,
  config: CONFIG_COLLECTOR,
  accessAnalyzer: ACCESS_ANALYZER_COLLECTOR,
  kms: KMS_COLLECTOR,
  cloudtrail: CLOUDTRAIL_COLLECTOR,
  rds: RDS_COLLECTOR,
  efs: EFS_COLLECTOR,
  s3AccessPoints: S3_ACCESS_POINTS_COLLECTOR,
  securityHub: SECURITY_HUB_COLLECTOR,
  guardDuty: GUARD_DUTY_COLLECTOR,
};

export interface CollectOptions {
  readonly scanId: string;
  readonly account: string;
  readonly homeRegion: string;
  readonly regions: readonly string[];
  readonly observedAt: string;
  /** Per-service limit of API calls in flight. */
  readonly concurrency: number;
  readonly sleep: (ms: number) => Promise<void>;
  /** After this no call starts, and calls in flight are abandoned (ERROR "not reached before the deadline"). */
  readonly deadline?: Deadline;
  /** Credential-report polling bounds (defaults in credential-report.ts). */
  readonly reportPolls?: number;
  readonly reportPollIntervalMs?: number;
  /**
   * Collect the global services (S3, IAM). `false` for a shard of an organization scan that
   * collects regions only: `s3` and `iam` are then placeholders that say so. @default true
   */
  readonly global?: boolean;
}

/** S3 standing for "nothing could be read" (every part carries `e`). */
export function unreadableS3(e: CollectionError): S3Inventory {
  return { accountPublicAccessBlock: { ok: false, error: e }, buckets: { items: [], error: e } };
}

/** IAM standing for "nothing could be read" (every part carries `e`). */
export function unreadableIam(e: CollectionError): IamInventory {
  return {
    users: { items: [], error: e },
    credentialReport: { ok: false, error: e },
    accountSummary: { ok: false, error: e },
    passwordPolicy: { ok: false, error: e },
    customerPolicies: { items: [], error: e },
    attachedAwsPolicies: { items: [], error: e },
    supportAccessEntities: { ok: false, error: e },
    serverCertificates: { items: [], error: e },
  };
}

/** What stands for the global services in a regions-only collection (never evaluated). */
function notCollected(service: ServiceName, region: string): CollectionError {
  return {
    service,
    region,
    operation: `Collect${service === 's3' ? 'S3' : 'Iam'}`,
    kind: 'other',
    code: 'NotCollected',
    message: 'collected by the global shard of this account',
  };
}

export async function collectInventory(options: CollectOptions): Promise<Inventory> {
  const partition = partitionOf(options.homeRegion);
  // In name order whatever the request's: findings that list several regions read the same in
  // every scan (and in an organization scan, which combines the regions the same way).
  const regions = [...options.regions].sort();
  const c = new Collector(
    options.account,
    partition,
    options.concurrency,
    options.sleep,
    options.deadline,
  );
  const guard = <T>(
    service: ServiceName,
    region: string,
    operation: string,
    run: () => Promise<T>,
    fallback: (e: CollectionError) => T,
  ): Promise<T> =>
    run().catch((err: unknown) => fallback(c.record({ service, region, operation }, err)));

  const collectRegion = async (region: string): Promise<RegionInventory> => {
    const entries = await Promise.all(
      Object.entries(REGIONAL_COLLECTORS).map(async ([key, collector]) => {
        const x = collector as RegionalCollector<unknown>;
        const operation = `Collect${key[0]!.toUpperCase()}${key.slice(1)}`;
        return [
          key,
          await guard(x.service, region, operation, () => x.collect(c, region), x.unreadable),
        ] as const;
      }),
    );
    return { region, ...(Object.fromEntries(entries) as unknown as RegionalServices) };
  };

  const global = options.global ?? true;
  const [s3, iam, regional] = await Promise.all([
    global
      ? guard<S3Inventory>(
          's3',
          options.homeRegion,
          'CollectS3',
          () => collectS3(c, options.homeRegion),
          unreadableS3,
        )
      : unreadableS3(notCollected('s3', options.homeRegion)),
    global
      ? guard<IamInventory>(
          'iam',
          options.homeRegion,
          'CollectIam',
          () =>
            collectIam(c, options.homeRegion, {
              maxPolls: options.reportPolls,
              pollIntervalMs: options.reportPollIntervalMs,
            }),
          unreadableIam,
        )
      : unreadableIam(notCollected('iam', options.homeRegion)),
    Promise.all(regions.map(collectRegion)),
  ]);

  return {
    scanId: options.scanId,
    account: options.account,
    partition,
    homeRegion: options.homeRegion,
    regions,
    observedAt: options.observedAt,
    s3,
    iam,
    byRegion: Object.fromEntries(regional.map((r) => [r.region, r])),
    errors: c.errors,
    callsByRegion: c.outcomes,
  };
}
