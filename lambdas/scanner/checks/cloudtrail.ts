/**
 * CloudTrail checks: a multi-Region trail recording read and write management events
 * (CloudTrail.1), SSE-KMS (CloudTrail.2), log file validation (CloudTrail.4), server access
 * logging on the trail bucket (CloudTrail.7), and S3 object-level write / read data events
 * (S3.22 / S3.23). Account-level controls give one finding in the home region and count a trail
 * whatever region it is homed in, an organization trail included (CloudTrail.1 takes it on its
 * word for the selectors a member cannot read); trail controls give one finding per trail of this
 * account in its home region, and CloudTrail.7 one per trail bucket of this account.
 */
import type { FindingResource } from '../../shared/findings';
import type { Inventory, TrailInventory } from '../inventory/types';
import { managementShortfall, s3ObjectEvents, type Directions } from './trail-events';
import { accountVerdict, label, multiRegionGate, overTrails } from './trail-verdict';
import {
  defineCheck,
  regionsOf,
  resource,
  tagsOf,
  type CheckMetadata,
  type FindingBuilder,
} from './types';

const TRAIL = 'AWS::CloudTrail::Trail';
const SH_DOCS = 'https://docs.aws.amazon.com/securityhub/latest/userguide/cloudtrail-controls.html';
const S3_DOCS = 'https://docs.aws.amazon.com/securityhub/latest/userguide/s3-controls.html';
const TRAIL_READS = [
  'cloudtrail:DescribeTrails',
  'cloudtrail:GetTrailStatus',
  'cloudtrail:GetEventSelectors',
];

function eachTrail(
  b: FindingBuilder,
  inv: Inventory,
  check: CheckMetadata,
  evaluate: (t: TrailInventory, res: FindingResource) => void,
  ownTrailsOnly = true,
): void {
  for (const region of regionsOf(inv)) {
    const trails = region.cloudtrail.trails;
    if (!trails.ok) {
      b.error(
        b.scope('cloudtrail', region.region, `CloudTrail trails in ${region.region}`),
        `the trails homed in ${region.region}`,
        trails.error,
      );
      continue;
    }
    // Another account's trail (an organization trail seen from a member) is judged in the scan of
    // the account that owns it, as Security Hub does; it still counts for the account-level checks.
    for (const t of trails.value) {
      if (!ownTrailsOnly || t.account === inv.account)
        evaluate(t, resource(check, t.arn, t.homeRegion, t.name));
    }
  }
}

const cloudtrail_1: CheckMetadata = {
  id: 'CloudTrail.1',
  title:
    'CloudTrail should be enabled and configured with at least one multi-Region trail that includes read and write management events',
  severity: 'high',
  securityHubId: 'CloudTrail.1',
  // CIS v5.0 3.1 is a manual recommendation; AWS still maps CloudTrail.1 to it.
  cis: { v5: ['3.1'], v3: ['3.1'] },
  resourceType: 'AWS::::Account',
  reads: TRAIL_READS,
  docs: `${SH_DOCS}#cloudtrail-1`,
  remediation: {
    desc: 'Create (or update) a multi-Region trail that is logging and records read and write management events with no excluded event sources: `aws cloudtrail create-trail --name <name> --s3-bucket-name <bucket> --is-multi-region-trail --enable-log-file-validation --kms-key-id <key>`, `aws cloudtrail put-event-selectors --trail-name <name> --event-selectors \'[{"ReadWriteType":"All","IncludeManagementEvents":true}]\'`, then `aws cloudtrail start-logging --name <name>`.',
    references: [
      `${SH_DOCS}#cloudtrail-1`,
      'https://docs.aws.amazon.com/config/latest/developerguide/multi-region-cloudtrail-enabled.html',
    ],
  },
  prowlerCheckIds: ['cloudtrail_multi_region_enabled'],
};
/**
 * As AWS Config's multi-region-cloudtrail-enabled: the trail must be multi-Region and logging,
 * record read and write management events, and exclude no management event source (basic
 * ExcludeManagementEventSources, or an advanced selector with any condition besides
 * eventCategory and readOnly).
 */
export const multiRegionTrail = defineCheck(cloudtrail_1, (b, inv) =>
  accountVerdict(
    b,
    inv,
    overTrails(inv, (t) => [
      multiRegionGate(t, managementShortfall, true) ?? {
        pass:
          t.account === inv.account
            ? `Multi-Region ${label(t)} is logging and records read and write management events.`
            : `Multi-Region organization ${label(t)} of account ${t.account} is logging; its management event selectors are set and judged in that account.`,
      },
    ]),
    'No multi-Region trail is logging with read and write management events',
  ),
);

const cloudtrail_2: CheckMetadata = {
  id: 'CloudTrail.2',
  title: 'CloudTrail should have encryption at-rest enabled',
  severity: 'medium',
  securityHubId: 'CloudTrail.2',
  cis: { v5: ['3.5'], v3: ['3.5'] },
  resourceType: TRAIL,
  reads: ['cloudtrail:DescribeTrails'],
  docs: `${SH_DOCS}#cloudtrail-2`,
  remediation: {
    desc: "Encrypt the trail's log files with a KMS key whose policy lets CloudTrail use it: `aws cloudtrail update-trail --name <trail> --kms-key-id <key ARN>`.",
    references: [
      `${SH_DOCS}#cloudtrail-2`,
      'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail-update-trail.html',
    ],
  },
  prowlerCheckIds: ['cloudtrail_kms_encryption_enabled'],
};
export const trailEncryption = defineCheck(cloudtrail_2, (b, inv) =>
  eachTrail(b, inv, cloudtrail_2, (t, res) =>
    t.kmsKeyId
      ? b.pass(res, `Trail ${t.name} encrypts its log files with KMS key ${t.kmsKeyId}.`)
      : b.fail(res, `Trail ${t.name} has no KMS key (log files get S3-managed SSE-S3 only).`),
  ),
);

const cloudtrail_4: CheckMetadata = {
  id: 'CloudTrail.4',
  title: 'CloudTrail log file validation should be enabled',
  severity: 'low',
  securityHubId: 'CloudTrail.4',
  cis: { v5: ['3.2'], v3: ['3.2'] },
  resourceType: TRAIL,
  reads: ['cloudtrail:DescribeTrails'],
  docs: `${SH_DOCS}#cloudtrail-4`,
  remediation: {
    desc: 'Turn on log file integrity validation: `aws cloudtrail update-trail --name <trail> --enable-log-file-validation`.',
    references: [
      `${SH_DOCS}#cloudtrail-4`,
      'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-enabling.html',
    ],
  },
  prowlerCheckIds: ['cloudtrail_log_file_validation_enabled'],
};
export const logFileValidation = defineCheck(cloudtrail_4, (b, inv) =>
  eachTrail(b, inv, cloudtrail_4, (t, res) =>
    t.logFileValidation
      ? b.pass(res, `Trail ${t.name} has log file validation enabled.`)
      : b.fail(res, `Trail ${t.name} has log file validation disabled.`),
  ),
);

const cloudtrail_7: CheckMetadata = {
  id: 'CloudTrail.7',
  title: 'Ensure S3 bucket access logging is enabled on the CloudTrail S3 bucket',
  severity: 'low',
  securityHubId: 'CloudTrail.7',
  // The control page lists no v5.0 requirement; AWS's CIS v5.0 standard page maps it to 3.4.
  cis: { v5: ['3.4'], v3: ['3.4'] },
  resourceType: 'AWS::S3::Bucket',
  reads: ['cloudtrail:DescribeTrails', 's3:ListAllMyBuckets', 's3:GetBucketLogging'],
  docs: `${SH_DOCS}#cloudtrail-7`,
  remediation: {
    desc: 'Turn on server access logging for the bucket CloudTrail delivers to, into another bucket: `aws s3api put-bucket-logging --bucket <trail bucket> --bucket-logging-status \'{"LoggingEnabled":{"TargetBucket":"<log bucket>","TargetPrefix":"<trail bucket>/"}}\'`.',
    references: [
      `${SH_DOCS}#cloudtrail-7`,
      'https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html',
    ],
  },
  prowlerCheckIds: ['cloudtrail_logs_s3_bucket_access_logging_enabled'],
};
/**
 * One finding per trail bucket of this account. A trail bucket that is not among the account's
 * buckets (a central logging bucket of another account) gets no finding: Security Hub evaluates
 * only the destination bucket's account and reports NO_DATA everywhere else; the owning account
 * judges it. Unless the bucket listing was cut short: then it may be ours, and it is ERROR.
 */
export const trailBucketLogging = defineCheck(cloudtrail_7, (b, inv) => {
  const trailsOf = new Map<string, TrailInventory[]>();
  // Every trail, an organization trail included: the bucket's owner (a log archive account,
  // often) judges its logging, whoever owns the trail.
  eachTrail(
    b,
    inv,
    cloudtrail_7,
    (t) => {
      if (t.s3BucketName)
        trailsOf.set(t.s3BucketName, [...(trailsOf.get(t.s3BucketName) ?? []), t]);
    },
    false,
  );
  for (const [name, trails] of trailsOf) {
    const names = trails.map((t) => t.name).join(', ');
    const bucket = inv.s3.buckets.items.find((x) => x.name === name);
    if (!bucket) {
      if (inv.s3.buckets.error) {
        const res = resource(
          cloudtrail_7,
          `arn:${inv.partition}:s3:::${name}`,
          trails[0]!.homeRegion,
          name,
        );
        b.error(
          res,
          `server access logging of bucket ${name} (trails ${names})`,
          inv.s3.buckets.error,
        );
      }
      continue;
    }
    const res = resource(cloudtrail_7, bucket.arn, bucket.region, bucket.name, tagsOf(bucket.tags));
    const logging = bucket.logging;
    if (!logging.ok) b.error(res, `server access logging of bucket ${name}`, logging.error);
    else if (logging.value === null)
      b.fail(
        res,
        `Bucket ${name}, where trail(s) ${names} deliver, has server access logging off.`,
      );
    else
      b.pass(
        res,
        `Bucket ${name}, where trail(s) ${names} deliver, logs server access to ${logging.value.targetBucket}.`,
      );
  }
});

function s3DataEventsMeta(
  id: 'S3.22' | 'S3.23',
  direction: keyof Directions,
  cisId: string,
): CheckMetadata {
  const prowler = `cloudtrail_s3_dataevents_${direction}_enabled`;
  const readOnly = direction === 'read' ? 'true' : 'false';
  return {
    id,
    title: `S3 general purpose buckets should log object-level ${direction} events`,
    severity: 'medium',
    securityHubId: id,
    cis: { v5: [cisId], v3: [cisId] },
    resourceType: 'AWS::::Account',
    reads: TRAIL_READS,
    docs: `${S3_DOCS}#s3-${id.split('.')[1]}`,
    remediation: {
      desc: `Log S3 object-level ${direction} data events for all buckets on a multi-Region trail that is logging. put-event-selectors replaces the trail's selectors, so keep the management selector: \`aws cloudtrail put-event-selectors --trail-name <trail> --advanced-event-selectors '[{"Name":"Management","FieldSelectors":[{"Field":"eventCategory","Equals":["Management"]}]},{"Name":"S3 object ${direction}s","FieldSelectors":[{"Field":"eventCategory","Equals":["Data"]},{"Field":"resources.type","Equals":["AWS::S3::Object"]},{"Field":"readOnly","Equals":["${readOnly}"]}]}]'\` (leave out the readOnly condition to log reads and writes).`,
      references: [
        `${S3_DOCS}#s3-${id.split('.')[1]}`,
        'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-data-events-with-cloudtrail.html',
      ],
    },
    prowlerCheckIds: [prowler],
  };
}

/**
 * As AWS Config's cloudtrail-all-{write,read}-s3-data-event-check: a multi-Region trail that is
 * logging records the direction's S3 object events for every bucket (basic DataResources
 * `arn:<partition>:s3` with ReadWriteType All or the direction; advanced: eventCategory Data,
 * resources.type AWS::S3::Object, no resources.ARN narrowing and a readOnly condition, if any,
 * that admits the direction).
 */
function s3DataEventsCheck(meta: CheckMetadata, direction: keyof Directions) {
  return defineCheck(meta, (b, inv) =>
    accountVerdict(
      b,
      inv,
      overTrails(inv, (t) => [
        multiRegionGate(t, (s) =>
          s3ObjectEvents(s, inv.partition)[direction]
            ? undefined
            : `does not log S3 object-level ${direction} events for all buckets`,
        ) ?? {
          pass: `Multi-Region ${label(t)} is logging and records S3 object-level ${direction} events for all buckets.`,
        },
      ]),
      `No multi-Region trail is logging S3 object-level ${direction} events for all buckets`,
    ),
  );
}

export const s3WriteDataEvents = s3DataEventsCheck(
  s3DataEventsMeta('S3.22', 'write', '3.8'),
  'write',
);
export const s3ReadDataEvents = s3DataEventsCheck(s3DataEventsMeta('S3.23', 'read', '3.9'), 'read');

export const CLOUDTRAIL_CHECKS = [
  multiRegionTrail,
  trailEncryption,
  logFileValidation,
  trailBucketLogging,
  s3WriteDataEvents,
  s3ReadDataEvents,
];
