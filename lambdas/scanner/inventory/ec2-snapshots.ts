/**
 * The EBS snapshots this account owns in a region, and which of them any AWS account may restore
 * (createVolumePermission granted to the group `all`, EC2.1).
 *
 * Reading the permission of every snapshot costs one DescribeSnapshotAttribute call per snapshot:
 * tens of thousands in a backup-heavy account, at EC2's describe rate. DescribeSnapshots itself
 * answers the question in a few pages: with RestorableByUserIds `all` it lists only the public
 * snapshots (AWS's own evaluation of createVolumePermission). So every owned snapshot is listed
 * once, the public ones once more, and only those few get DescribeSnapshotAttribute, whose
 * createVolumePermission is the verdict (it also catches a snapshot made private in between).
 * A snapshot the second listing did not reach is unknown, never assumed private.
 *
 * IAM actions (resource scoping):
 * - `ec2:DescribeSnapshots` — resource `*` (no resource-level permissions)
 * - `ec2:DescribeSnapshotAttribute` — snapshot ARNs, `arn:aws:ec2:*::snapshot/*` (snapshot ARNs
 *   carry no account)
 */
import {
  DescribeSnapshotAttributeCommand,
  paginateDescribeSnapshots,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import { failedWith, tagsFrom, type Collector } from './collector';
import type { Listed, Observed, SnapshotInventory } from './types';

export async function collectSnapshots(
  c: Collector,
  ec2: EC2Client,
  region: string,
  pageSize: number,
): Promise<Listed<SnapshotInventory>> {
  const site = { service: 'ec2' as const, region, operation: 'DescribeSnapshots' };
  const paging = { client: ec2, pageSize };
  const [owned, restorableByAll] = await Promise.all([
    c.list(
      site,
      () => paginateDescribeSnapshots(paging, { OwnerIds: ['self'] }),
      (page) =>
        (page.Snapshots ?? []).flatMap((s) =>
          s.SnapshotId
            ? [
                {
                  id: s.SnapshotId,
                  arn: `arn:${c.partition}:ec2:${region}::snapshot/${s.SnapshotId}`,
                  volumeId: s.VolumeId,
                  tags: tagsFrom(s.Tags),
                },
              ]
            : [],
        ),
    ),
    c.list(
      site,
      () => paginateDescribeSnapshots(paging, { OwnerIds: ['self'], RestorableByUserIds: ['all'] }),
      (page) => (page.Snapshots ?? []).flatMap((s) => (s.SnapshotId ? [s.SnapshotId] : [])),
    ),
  ]);

  const candidates = new Set(restorableByAll.items);
  // null: the snapshot was deleted between the listing and the read (nothing left to judge).
  const confirmed = new Map<string, Observed<boolean | null>>();
  await c.each(
    owned.items.filter((s) => candidates.has(s.id)),
    async (s) => {
      const read = await c.observe(
        { ...site, operation: 'DescribeSnapshotAttribute', resourceUid: s.arn },
        async () => {
          const out = await ec2.send(
            new DescribeSnapshotAttributeCommand({
              SnapshotId: s.id,
              Attribute: 'createVolumePermission',
            }),
          );
          return (out.CreateVolumePermissions ?? []).some((p) => p.Group === 'all');
        },
        { names: ['InvalidSnapshot.NotFound'], value: null },
      );
      confirmed.set(s.id, read);
    },
  );

  const items = owned.items.flatMap((s): SnapshotInventory[] => {
    const read = confirmed.get(s.id);
    if (!read) {
      if (restorableByAll.error) return [{ ...s, public: failedWith(restorableByAll.error) }];
      return [{ ...s, public: { ok: true, value: false } }];
    }
    if (!read.ok) return [{ ...s, public: read }];
    if (read.value === null) return [];
    return [{ ...s, public: { ok: true, value: read.value } }];
  });
  return { items, error: owned.error };
}
