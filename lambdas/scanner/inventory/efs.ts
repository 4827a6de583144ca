/**
 * EFS collector, once per region: file systems with their encryption and tags (all in the
 * DescribeFileSystems answer).
 *
 * IAM actions (resource scoping):
 * - `elasticfilesystem:DescribeFileSystems` — file system ARNs,
 *   `arn:aws:elasticfilesystem:*:<account>:file-system/*` (AWS documents `file-system/*` as the
 *   resource for describing all file systems)
 */
import { EFSClient, paginateDescribeFileSystems } from '@aws-sdk/client-efs';
import { awsClient } from '../../shared/clients';
import { Collector, tagsFrom } from './collector';
import type { RegionalCollector } from './index';
import type { EfsInventory } from './types';

/** DescribeFileSystems returns 100 file systems per page. */
const PAGE_SIZE = 100;

export async function collectEfs(c: Collector, region: string): Promise<EfsInventory> {
  const efs = awsClient(EFSClient, region);
  const fileSystems = await c.list(
    { service: 'efs', region, operation: 'DescribeFileSystems' },
    () => paginateDescribeFileSystems({ client: efs, pageSize: PAGE_SIZE }, {}),
    (page) =>
      (page.FileSystems ?? []).flatMap((f) =>
        f.FileSystemId
          ? [
              {
                id: f.FileSystemId,
                arn:
                  f.FileSystemArn ??
                  `arn:${c.partition}:elasticfilesystem:${region}:${c.account}:file-system/${f.FileSystemId}`,
                name: f.Name,
                encrypted: f.Encrypted === true,
                kmsKeyId: f.KmsKeyId,
                tags: tagsFrom(f.Tags),
              },
            ]
          : [],
      ),
  );
  return { fileSystems };
}

export const EFS_COLLECTOR: RegionalCollector<EfsInventory> = {
  service: 'efs',
  collect: collectEfs,
  unreadable: (error) => ({ fileSystems: { items: [], error } }),
};
