/**
 * S3 access points (S3.19): every access point of the account, in each scanned region, blocks
 * public access with all four of its own settings (they are fixed when it is created).
 */
import { disabledFlags } from './s3';
import { defineCheck, regionsOf, resource, type CheckMetadata } from './types';

const SH_DOCS = 'https://docs.aws.amazon.com/securityhub/latest/userguide/s3-controls.html';

const s3_19: CheckMetadata = {
  id: 'S3.19',
  title: 'S3 access points should have block public access settings enabled',
  severity: 'critical',
  securityHubId: 'S3.19',
  resourceType: 'AWS::S3::AccessPoint',
  reads: ['s3:ListAccessPoints', 's3:GetAccessPoint'],
  docs: `${SH_DOCS}#s3-19`,
  remediation: {
    desc: "An access point's Block Public Access settings cannot be changed after creation: create a replacement with all four on (`aws s3control create-access-point --account-id <id> --name <name> --bucket <bucket> --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true`), move clients to it, then delete the old one.",
    references: [
      `${SH_DOCS}#s3-19`,
      'https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-points-bpa-settings.html',
    ],
  },
  prowlerCheckIds: ['s3_access_point_public_access_block'],
};

export const accessPointPublicAccessBlock = defineCheck(s3_19, (b, inv) => {
  for (const region of regionsOf(inv)) {
    const listing = region.s3AccessPoints.accessPoints;
    for (const ap of listing.items) {
      const res = resource(s3_19, ap.arn, region.region, ap.name);
      const pab = ap.publicAccessBlock;
      if (!pab.ok) {
        b.error(res, `access point ${ap.name}'s Block Public Access settings`, pab.error);
      } else if (pab.value === null) {
        b.fail(
          res,
          `Access point ${ap.name} (bucket ${ap.bucket ?? 'unknown'}) has no Block Public Access configuration.`,
        );
      } else {
        const off = disabledFlags(pab.value);
        if (off.length > 0)
          b.fail(
            res,
            `Access point ${ap.name} (bucket ${ap.bucket ?? 'unknown'}) does not block public access: ${off.join(', ')} off.`,
          );
        else
          b.pass(
            res,
            `Access point ${ap.name} (bucket ${ap.bucket ?? 'unknown'}) blocks public access with all four settings.`,
          );
      }
    }
    b.listError(
      listing,
      b.scope('s3', region.region, `S3 access points in ${region.region}`),
      'the access points that were not listed',
    );
  }
});

export const S3_ACCESS_POINT_CHECKS = [accessPointPublicAccessBlock];
