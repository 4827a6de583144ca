/**
 * EC2.1: EBS snapshots this account owns should not be restorable by every AWS account.
 *
 * Security Hub reports this control once per account and region (`AWS::::Account`, FAILED when
 * any snapshot is public). Here each owned snapshot gets its own finding, so a FAIL names the
 * snapshot, an unreadable permission is an ERROR for that snapshot only, and a suppression or the
 * new/resolved state follows one snapshot; the account is FAILED exactly when one of them is.
 */
import { SH_DOCS } from './ec2';
import { eachInRegions } from './regional';
import { defineCheck, resource, type CheckMetadata } from './types';

const ec2_1: CheckMetadata = {
  id: 'EC2.1',
  title: 'Amazon EBS snapshots should not be configured to be publicly restorable',
  severity: 'critical',
  securityHubId: 'EC2.1',
  // No CloudFormation type exists for EBS snapshots; named like the others.
  resourceType: 'AWS::EC2::Snapshot',
  reads: ['ec2:DescribeSnapshots', 'ec2:DescribeSnapshotAttribute'],
  docs: `${SH_DOCS}#ec2-1`,
  remediation: {
    desc: 'Make the snapshot private: `aws ec2 modify-snapshot-attribute --snapshot-id <id> --attribute createVolumePermission --operation-type remove --group-names all`; turn on block public access for EBS snapshots to stop it happening again (`aws ec2 enable-snapshot-block-public-access --state block-all-sharing`).',
    references: [
      `${SH_DOCS}#ec2-1`,
      'https://docs.aws.amazon.com/ebs/latest/userguide/ebs-modifying-snapshot-permissions.html',
    ],
  },
  prowlerCheckIds: ['ec2_ebs_public_snapshot'],
};
export const publicSnapshots = defineCheck(ec2_1, (b, inv) =>
  eachInRegions(
    b,
    inv,
    { service: 'ec2', what: 'EBS snapshots' },
    (r) => r.ec2.snapshots,
    (s, region) => {
      const res = resource(ec2_1, s.arn, region, s.id, s.tags);
      const of = s.volumeId ? ` (of ${s.volumeId})` : '';
      if (!s.public.ok)
        return b.error(res, `the create-volume permission of snapshot ${s.id}`, s.public.error);
      if (s.public.value)
        return b.fail(
          res,
          `Snapshot ${s.id}${of} is publicly restorable: its createVolumePermission grants the group all.`,
        );
      b.pass(res, `Snapshot ${s.id}${of} is not restorable by the public.`);
    },
  ),
);

export const EBS_SNAPSHOT_CHECKS = [publicSnapshots];
