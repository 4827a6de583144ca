/**
 * RDS collector, once per region: DB instances (DescribeDBInstances also answers for Aurora,
 * Neptune and DocumentDB instances, as Security Hub's RDS controls see them). Encryption, minor
 * version upgrades, public accessibility and tags all come with the listing.
 *
 * IAM actions (resource scoping):
 * - `rds:DescribeDBInstances` — DB instance ARNs, `arn:aws:rds:*:<account>:db:*` (listing every
 *   instance is authorized against `…:db:*`)
 */
import { paginateDescribeDBInstances, RDSClient } from '@aws-sdk/client-rds';
import { awsClient } from '../../shared/clients';
import { Collector, tagsFrom } from './collector';
import type { RegionalCollector } from './index';
import type { RdsInventory } from './types';

/** DescribeDBInstances returns at most 100 records per page. */
const PAGE_SIZE = 100;

export async function collectRds(c: Collector, region: string): Promise<RdsInventory> {
  const rds = awsClient(RDSClient, region);
  const instances = await c.list(
    { service: 'rds', region, operation: 'DescribeDBInstances' },
    () => paginateDescribeDBInstances({ client: rds, pageSize: PAGE_SIZE }, {}),
    (page) =>
      (page.DBInstances ?? []).flatMap((d) =>
        d.DBInstanceIdentifier
          ? [
              {
                id: d.DBInstanceIdentifier,
                arn:
                  d.DBInstanceArn ??
                  `arn:${c.partition}:rds:${region}:${c.account}:db:${d.DBInstanceIdentifier}`,
                engine: d.Engine,
                clusterId: d.DBClusterIdentifier,
                storageEncrypted: d.StorageEncrypted === true,
                autoMinorVersionUpgrade: d.AutoMinorVersionUpgrade === true,
                publiclyAccessible: d.PubliclyAccessible === true,
                tags: tagsFrom(d.TagList),
              },
            ]
          : [],
      ),
  );
  return { instances };
}

export const RDS_COLLECTOR: RegionalCollector<RdsInventory> = {
  service: 'rds',
  collect: collectRds,
  unreadable: (error) => ({ instances: { items: [], error } }),
};
