/**
 * Mandatory tags (MANDATORY_TAGS) on every inventoried resource that can carry tags: one check per
 * resource type, mapped to Security Hub's tagging control for that type (whose `requiredTagKeys`
 * parameter plays the part of MANDATORY_TAGS); S3 buckets have no such control. Only keys are
 * required, as in Security Hub; `aws:` system tags never count, and with no mandatory tags
 * configured a resource fails when it has no tags of its own at all (Security Hub's behaviour when
 * `requiredTagKeys` is empty).
 */
import type { FindingResource } from '../../shared/findings';
import type { Inventory, Observed, Tags } from '../inventory/types';
import {
  defineCheck,
  regionsOf,
  resource,
  type CheckConfig,
  type CheckMetadata,
  type FindingBuilder,
} from './types';

const SH = 'https://docs.aws.amazon.com/securityhub/latest/userguide';
const TAGGING_DOCS = 'https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html';

/** Tag keys a user set: `aws:` keys belong to AWS (CloudFormation, Auto Scaling …) and never count. */
export function userTagKeys(tags: Tags): string[] {
  return Object.keys(tags).filter((k) => !k.toLowerCase().startsWith('aws:'));
}

export function missingTags(tags: Tags, required: readonly string[]): string[] {
  const present = new Set(userTagKeys(tags));
  return required.filter((k) => !present.has(k));
}

interface Taggable {
  readonly res: FindingResource;
  readonly label: string;
  readonly tags: Observed<Tags>;
}

function evaluateTags(b: FindingBuilder, items: readonly Taggable[], config: CheckConfig): void {
  for (const { res, label, tags } of items) {
    if (!tags.ok) {
      b.error(res, `the tags of ${label}`, tags.error);
      continue;
    }
    if (config.mandatoryTags.length === 0) {
      const own = userTagKeys(tags.value);
      if (own.length === 0) b.fail(res, `${label} has no tags (other than aws: system tags).`);
      else b.pass(res, `${label} has ${own.length} tag(s) of its own; no mandatory keys are set.`);
      continue;
    }
    const missing = missingTags(tags.value, config.mandatoryTags);
    if (missing.length > 0) b.fail(res, `${label} lacks mandatory tag(s): ${missing.join(', ')}.`);
    else b.pass(res, `${label} carries every mandatory tag (${config.mandatoryTags.join(', ')}).`);
  }
}

function meta(
  id: string,
  resourceType: string,
  what: string,
  securityHubId: string | undefined,
  docs: string,
  reads: readonly string[],
): CheckMetadata {
  return {
    id,
    title: `${what} should carry the mandatory tags${securityHubId ? '' : ' (no Security Hub control for this type)'}`,
    severity: 'low',
    ...(securityHubId ? { securityHubId } : {}),
    resourceType,
    reads,
    docs,
    remediation: {
      desc: `Add the missing tag keys (MANDATORY_TAGS, default Environment, Owner, CostCenter, ComplianceLevel) to the ${what.toLowerCase()}.`,
      references: [docs, TAGGING_DOCS],
    },
  };
}

const ok = (tags: Tags): Observed<Tags> => ({ ok: true, value: tags });

const bucketTagsMeta = meta(
  'S3.MandatoryTags',
  'AWS::S3::Bucket',
  'S3 buckets',
  undefined,
  'https://docs.aws.amazon.com/AmazonS3/latest/userguide/tagging-managing.html',
  ['s3:ListAllMyBuckets', 's3:GetBucketTagging'],
);
export const bucketTags = defineCheck(bucketTagsMeta, (b, inv, config) => {
  evaluateTags(
    b,
    inv.s3.buckets.items.map((x) => ({
      res: resource(bucketTagsMeta, x.arn, x.region, x.name, x.tags.ok ? x.tags.value : undefined),
      label: `Bucket ${x.name}`,
      tags: x.tags,
    })),
    config,
  );
  b.listError(
    inv.s3.buckets,
    b.scope('s3', inv.homeRegion, 'S3 buckets'),
    'the buckets that were not listed',
  );
});

const sgTagsMeta = meta(
  'EC2.43',
  'AWS::EC2::SecurityGroup',
  'Security groups',
  'EC2.43',
  `${SH}/ec2-controls.html#ec2-43`,
  ['ec2:DescribeSecurityGroups'],
);
export const securityGroupTags = defineCheck(sgTagsMeta, (b, inv, config) => {
  for (const region of regionsOf(inv)) {
    const list = region.ec2.securityGroups;
    evaluateTags(
      b,
      list.items.map((x) => ({
        res: resource(sgTagsMeta, x.arn, region.region, `${x.name} (${x.id})`, x.tags),
        label: `Security group ${x.id}`,
        tags: ok(x.tags),
      })),
      config,
    );
    b.listError(
      list,
      b.scope('ec2', region.region, `security groups in ${region.region}`),
      'the security groups that were not listed',
    );
  }
});

const volumeTagsMeta = meta(
  'EC2.45',
  'AWS::EC2::Volume',
  'EBS volumes',
  'EC2.45',
  `${SH}/ec2-controls.html#ec2-45`,
  ['ec2:DescribeVolumes'],
);
export const volumeTags = defineCheck(volumeTagsMeta, (b, inv, config) => {
  for (const region of regionsOf(inv)) {
    const list = region.ec2.volumes;
    evaluateTags(
      b,
      list.items.map((x) => ({
        res: resource(volumeTagsMeta, x.arn, region.region, x.id, x.tags),
        label: `Volume ${x.id}`,
        tags: ok(x.tags),
      })),
      config,
    );
    b.listError(
      list,
      b.scope('ec2', region.region, `EBS volumes in ${region.region}`),
      'the volumes that were not listed',
    );
  }
});

const vpcTagsMeta = meta(
  'EC2.46',
  'AWS::EC2::VPC',
  'VPCs',
  'EC2.46',
  `${SH}/ec2-controls.html#ec2-46`,
  ['ec2:DescribeVpcs'],
);
export const vpcTags = defineCheck(vpcTagsMeta, (b, inv, config) => {
  for (const region of regionsOf(inv)) {
    const list = region.ec2.vpcs;
    evaluateTags(
      b,
      list.items.map((x) => ({
        res: resource(vpcTagsMeta, x.arn, region.region, x.id, x.tags),
        label: `VPC ${x.id}`,
        tags: ok(x.tags),
      })),
      config,
    );
    b.listError(
      list,
      b.scope('ec2', region.region, `VPCs in ${region.region}`),
      'the VPCs that were not listed',
    );
  }
});

const functionTagsMeta = meta(
  'Lambda.6',
  'AWS::Lambda::Function',
  'Lambda functions',
  'Lambda.6',
  `${SH}/lambda-controls.html#lambda-6`,
  ['lambda:ListFunctions', 'lambda:ListTags'],
);
export const functionTags = defineCheck(functionTagsMeta, (b, inv, config) => {
  for (const region of regionsOf(inv)) {
    const list = region.lambda.functions;
    evaluateTags(
      b,
      list.items.map((x) => ({
        res: resource(
          functionTagsMeta,
          x.arn,
          region.region,
          x.name,
          x.tags.ok ? x.tags.value : undefined,
        ),
        label: `Function ${x.name}`,
        tags: x.tags,
      })),
      config,
    );
    b.listError(
      list,
      b.scope('lambda', region.region, `Lambda functions in ${region.region}`),
      'the functions that were not listed',
    );
  }
});

const userTagsMeta = meta(
  'IAM.25',
  'AWS::IAM::User',
  'IAM users',
  'IAM.25',
  `${SH}/iam-controls.html#iam-25`,
  ['iam:ListUsers', 'iam:ListUserTags'],
);
export const userTags = defineCheck(userTagsMeta, (b, inv: Inventory, config) => {
  evaluateTags(
    b,
    inv.iam.users.items.map((x) => ({
      res: resource(
        userTagsMeta,
        x.arn,
        inv.homeRegion,
        x.name,
        x.tags.ok ? x.tags.value : undefined,
      ),
      label: `User ${x.name}`,
      tags: x.tags,
    })),
    config,
  );
  b.listError(
    inv.iam.users,
    b.scope('iam', inv.homeRegion, 'IAM users'),
    'the IAM users that were not listed',
  );
});

export const TAGGING_CHECKS = [
  bucketTags,
  securityGroupTags,
  volumeTags,
  vpcTags,
  functionTags,
  userTags,
];
