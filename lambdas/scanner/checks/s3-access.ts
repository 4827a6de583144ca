/**
 * Who else gets at a bucket: other AWS accounts through the bucket policy (S3.6) and users
 * through ACLs (S3.12), and whether access is logged (S3.9).
 */
import type { AclGrant } from '../inventory/types';
import { eachBucket } from './s3';
import { CROSS_ACCOUNT_BLOCKED_ACTIONS, crossAccountGrants } from './s3-policy';
import { defineCheck, type CheckMetadata } from './types';

const BUCKET = 'AWS::S3::Bucket';
const SH_DOCS = 'https://docs.aws.amazon.com/securityhub/latest/userguide/s3-controls.html';

const s3_6: CheckMetadata = {
  id: 'S3.6',
  title: 'S3 general purpose bucket policies should restrict access to other AWS accounts',
  severity: 'high',
  securityHubId: 'S3.6',
  resourceType: BUCKET,
  reads: ['s3:ListAllMyBuckets', 's3:GetBucketPolicy'],
  docs: `${SH_DOCS}#s3-6`,
  remediation: {
    desc: `Remove ${CROSS_ACCOUNT_BLOCKED_ACTIONS.join(', ')} (and wildcards covering them, such as s3:* or s3:Put*) from bucket-policy statements whose principal is another account or "*"; grant other accounts only the data actions they need (\`aws s3api put-bucket-policy\`).`,
    references: [
      `${SH_DOCS}#s3-6`,
      'https://docs.aws.amazon.com/AmazonS3/latest/userguide/example-walkthroughs-managing-access-example2.html',
    ],
  },
  prowlerCheckIds: ['s3_bucket_cross_account_access'],
};
/**
 * Security Hub's rule (s3-bucket-blacklisted-actions-prohibited) fails a policy that allows any
 * blocked action to a principal of another account; "*" (or NotPrincipal) stands for every
 * account unless a fixed aws:PrincipalAccount condition admits the owner's account only.
 */
export const crossAccountActions = defineCheck(s3_6, (b, inv) =>
  eachBucket(b, inv, s3_6, (bucket, res) => {
    if (!bucket.policy.ok)
      return b.error(res, `bucket ${bucket.name}'s policy`, bucket.policy.error);
    if (bucket.policy.value === null)
      return b.pass(
        res,
        `Bucket ${bucket.name} has no bucket policy, so it grants other accounts nothing.`,
      );
    const grants = crossAccountGrants(bucket.policy.value, inv.account);
    if (grants.length === 0) {
      return b.pass(
        res,
        `Bucket ${bucket.name}'s policy allows no other AWS account ${CROSS_ACCOUNT_BLOCKED_ACTIONS.join(', ')}.`,
      );
    }
    const what = grants.map(
      (g) =>
        `statement ${g.statement} gives ${g.accounts.map((a) => (a === '*' ? 'any account (*)' : a)).join(', ')} ${g.actions.join(', ')}`,
    );
    b.fail(
      res,
      `Bucket ${bucket.name}'s policy lets other AWS accounts change its access or encryption: ${what.join('; ')}.`,
    );
  }),
);

const s3_9: CheckMetadata = {
  id: 'S3.9',
  title: 'S3 general purpose buckets should have server access logging enabled',
  severity: 'medium',
  securityHubId: 'S3.9',
  resourceType: BUCKET,
  reads: ['s3:ListAllMyBuckets', 's3:GetBucketLogging'],
  docs: `${SH_DOCS}#s3-9`,
  remediation: {
    desc: 'Enable server access logging to a log bucket in the same Region (without a default retention period): `aws s3api put-bucket-logging --bucket <name> --bucket-logging-status \'{"LoggingEnabled":{"TargetBucket":"<log-bucket>","TargetPrefix":"<name>/"}}\'`. A log target bucket itself need not log (Security Hub advises suppressing its finding).',
    references: [
      `${SH_DOCS}#s3-9`,
      'https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html',
    ],
  },
  prowlerCheckIds: ['s3_bucket_server_access_logging_enabled'],
};
export const serverAccessLogging = defineCheck(s3_9, (b, inv) => {
  // How many listed buckets log into each bucket (named in a log target's FAIL detail).
  const logSources = new Map<string, number>();
  for (const x of inv.s3.buckets.items) {
    if (x.logging.ok && x.logging.value)
      logSources.set(
        x.logging.value.targetBucket,
        (logSources.get(x.logging.value.targetBucket) ?? 0) + 1,
      );
  }
  eachBucket(b, inv, s3_9, (bucket, res) => {
    if (!bucket.logging.ok)
      return b.error(res, `bucket ${bucket.name}'s server access logging`, bucket.logging.error);
    const target = bucket.logging.value;
    if (target) {
      return b.pass(
        res,
        `Bucket ${bucket.name} logs server access to s3://${target.targetBucket}/${target.targetPrefix ?? ''}.`,
      );
    }
    const sources = logSources.get(bucket.name) ?? 0;
    b.fail(
      res,
      `Bucket ${bucket.name} has server access logging disabled.${sources > 0 ? ` It receives the server access logs of ${sources} bucket(s): Security Hub advises suppressing this finding for a log target bucket.` : ''}`,
    );
  });
});

function granteeLabel(g: AclGrant): string {
  if (g.grantee.startsWith('http')) return `${g.grantee.split('/').pop()}:${g.permission}`;
  const who = g.grantee.length > 16 ? `${g.grantee.slice(0, 12)}…` : g.grantee;
  return `${g.granteeType || 'grantee'} ${who}:${g.permission}`;
}

const s3_12: CheckMetadata = {
  id: 'S3.12',
  title: 'ACLs should not be used to manage user access to S3 general purpose buckets',
  severity: 'medium',
  securityHubId: 'S3.12',
  resourceType: BUCKET,
  reads: ['s3:ListAllMyBuckets', 's3:GetBucketOwnershipControls', 's3:GetBucketAcl'],
  docs: `${SH_DOCS}#s3-12`,
  remediation: {
    desc: 'Move the access the ACL grants into the bucket policy, then disable ACLs: `aws s3api put-bucket-ownership-controls --bucket <name> --ownership-controls Rules=[{ObjectOwnership=BucketOwnerEnforced}]`.',
    references: [
      `${SH_DOCS}#s3-12`,
      'https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html',
    ],
  },
  prowlerCheckIds: ['s3_bucket_acl_prohibited'],
};
/**
 * Security Hub: "fails if an ACL is configured for managing user access on the bucket". ACLs
 * disabled (BucketOwnerEnforced) pass; with ACLs enabled, an ACL granting anyone besides the bucket
 * owner (a user, another account, a group such as LogDelivery or AllUsers) fails, and the default
 * ACL (the owner's FULL_CONTROL only) manages no one else's access and passes.
 */
export const aclsNotUsed = defineCheck(s3_12, (b, inv) =>
  eachBucket(b, inv, s3_12, (bucket, res) => {
    const ownership = bucket.objectOwnership;
    if (!ownership.ok)
      return b.error(res, `bucket ${bucket.name}'s object ownership`, ownership.error);
    if (ownership.value === 'BucketOwnerEnforced')
      return b.pass(
        res,
        `Bucket ${bucket.name} has ACLs disabled (Object Ownership BucketOwnerEnforced).`,
      );
    if (!bucket.acl.ok) return b.error(res, `bucket ${bucket.name}'s ACL`, bucket.acl.error);
    const setting = `Object Ownership ${ownership.value ?? 'not set (ObjectWriter)'}`;
    const others = bucket.acl.value.filter((g) => !g.isOwner);
    if (others.length > 0) {
      return b.fail(
        res,
        `Bucket ${bucket.name} manages access with its ACL (${setting}): ${others.map(granteeLabel).join(', ')}.`,
      );
    }
    b.pass(
      res,
      `Bucket ${bucket.name}'s ACL grants only the bucket owner (${setting}; BucketOwnerEnforced would disable ACLs).`,
    );
  }),
);

export const S3_ACCESS_CHECKS = [crossAccountActions, serverAccessLogging, aclsNotUsed];
