/**
 * Collects the whole inventory once per scan: S3 and IAM once per account, EC2, Lambda and Config
 * once per region, all regions in parallel. A collector that fails outright (a bug, not an API
 * error, which the Collector already records) becomes service-level errors for that region so the
 * scan still completes and says what it could not see.
 */
import { Collector } from './collector';
import { collectConfig } from './config';
import { collectEc2 } from './ec2';
import { collectIam } from './iam';
import { collectLambda } from './lambda';
import { collectS3 } from './s3';
import {
  partitionOf,
  type CollectionError,
  type Ec2Inventory,
  type IamInventory,
  type Inventory,
  type LambdaInventory,
  type ConfigInventory,
  type RegionInventory,
  type S3Inventory,
  type ServiceName,
} from './types';

export interface CollectOptions {
  readonly scanId: string;
  readonly account: string;
  readonly homeRegion: string;
  readonly regions: readonly string[];
  readonly observedAt: string;
  /** Per-service limit of API calls in flight. */
  readonly concurrency: number;
  readonly sleep: (ms: number) => Promise<void>;
  /** Credential-report polling bounds (defaults in credential-report.ts). */
  readonly reportPolls?: number;
  readonly reportPollIntervalMs?: number;
}

export async function collectInventory(options: CollectOptions): Promise<Inventory> {
  const partition = partitionOf(options.homeRegion);
  const c = new Collector(options.account, partition, options.concurrency, options.sleep);
  const guard = <T>(
    service: ServiceName,
    region: string,
    operation: string,
    run: () => Promise<T>,
    fallback: (e: CollectionError) => T,
  ): Promise<T> =>
    run().catch((err: unknown) => fallback(c.record({ service, region, operation }, err)));

  const [s3, iam, regional] = await Promise.all([
    guard<S3Inventory>(
      's3',
      options.homeRegion,
      'CollectS3',
      () => collectS3(c, options.homeRegion, options.regions),
      (e) => ({
        accountPublicAccessBlock: { ok: false, error: e },
        buckets: { items: [], error: e },
      }),
    ),
    guard<IamInventory>(
      'iam',
      options.homeRegion,
      'CollectIam',
      () =>
        collectIam(c, options.homeRegion, {
          maxPolls: options.reportPolls,
          pollIntervalMs: options.reportPollIntervalMs,
        }),
      (e) => ({
        users: { items: [], error: e },
        credentialReport: { ok: false, error: e },
        accountSummary: { ok: false, error: e },
      }),
    ),
    Promise.all(
      options.regions.map(async (region): Promise<RegionInventory> => {
        const [ec2, lambda, config] = await Promise.all([
          guard<Ec2Inventory>(
            'ec2',
            region,
            'CollectEc2',
            () => collectEc2(c, region),
            (e) => ({
              securityGroups: { items: [], error: e },
              volumes: { items: [], error: e },
              ebsEncryptionByDefault: { ok: false, error: e },
              vpcs: { items: [], error: e },
              flowLogs: { items: [], error: e },
            }),
          ),
          guard<LambdaInventory>(
            'lambda',
            region,
            'CollectLambda',
            () => collectLambda(c, region),
            (e) => ({
              functions: { items: [], error: e },
            }),
          ),
          guard<ConfigInventory>(
            'config',
            region,
            'CollectConfig',
            () => collectConfig(c, region),
            (e) => ({
              recorders: { ok: false, error: e },
            }),
          ),
        ]);
        return { region, ec2, lambda, config };
      }),
    ),
  ]);

  return {
    scanId: options.scanId,
    account: options.account,
    partition,
    homeRegion: options.homeRegion,
    regions: options.regions,
    observedAt: options.observedAt,
    s3,
    iam,
    byRegion: Object.fromEntries(regional.map((r) => [r.region, r])),
    errors: c.errors,
  };
}
