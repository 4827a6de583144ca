/**
 * S3 access points collector, once per region: the account's access points (S3 Control
 * ListAccessPoints, paginated) and each one's Block Public Access settings (GetAccessPoint).
 *
 * IAM actions (resource scoping):
 * - `s3:ListAccessPoints`, `s3:GetAccessPoint` — resource `*` (no resource-level permissions)
 */
import {
  GetAccessPointCommand,
  paginateListAccessPoints,
  S3ControlClient,
} from '@aws-sdk/client-s3-control';
import { awsClient } from '../../shared/clients';
import { Collector } from './collector';
import type { RegionalCollector } from './index';
import { toPublicAccessBlock } from './s3';
import type { AccessPointInventory, S3AccessPointsInventory } from './types';

/** ListAccessPoints returns at most 1,000 access points per page. */
const PAGE_SIZE = 1000;

export async function collectS3AccessPoints(
  c: Collector,
  region: string,
): Promise<S3AccessPointsInventory> {
  const control = awsClient(S3ControlClient, region);
  const listed = await c.list(
    { service: 's3', region, operation: 'ListAccessPoints' },
    () =>
      paginateListAccessPoints({ client: control, pageSize: PAGE_SIZE }, { AccountId: c.account }),
    (page) => page.AccessPointList,
  );
  const accessPoints = await c.each(
    listed.items.filter((ap) => ap.Name !== undefined),
    async (ap): Promise<AccessPointInventory> => {
      const name = ap.Name!;
      const arn =
        ap.AccessPointArn ?? `arn:${c.partition}:s3:${region}:${c.account}:accesspoint/${name}`;
      const publicAccessBlock = await c.observe(
        { service: 's3', region, operation: 'GetAccessPoint', resourceUid: arn },
        async () => {
          const out = await control.send(
            new GetAccessPointCommand({ AccountId: c.account, Name: name }),
          );
          return out.PublicAccessBlockConfiguration
            ? toPublicAccessBlock(out.PublicAccessBlockConfiguration)
            : null;
        },
      );
      return { name, arn, bucket: ap.Bucket, networkOrigin: ap.NetworkOrigin, publicAccessBlock };
    },
  );
  return { accessPoints: { items: accessPoints, error: listed.error } };
}

export const S3_ACCESS_POINTS_COLLECTOR: RegionalCollector<S3AccessPointsInventory> = {
  service: 's3',
  collect: collectS3AccessPoints,
  unreadable: (error) => ({ accessPoints: { items: [], error } }),
};
