/**
 * Buckets that AWS services deliver logs into. Their default encryption must stay as it is:
 * S3 server access logs and ELB access logs are written only to buckets whose default encryption
 * is SSE-S3, and other services (CloudWatch vended logs, CloudTrail, Config) need a key policy
 * that names them, which the remediation key does not. Remediation skips a bucket whose policy or
 * ACL lets such a service write, and records which grant made it skip.
 *
 * IAM actions: s3:GetBucketPolicy, s3:GetBucketAcl on arn:aws:s3:::* (the bucket being judged).
 */
import {
  GetBucketAclCommand,
  GetBucketPolicyCommand,
  type Grant,
  type S3Client,
} from '@aws-sdk/client-s3';
import { isNotFound } from '../shared/errors';

/** Service principals that write logs or records into customer buckets, and what they deliver. */
export const LOG_DELIVERY_SERVICES: Readonly<Record<string, string>> = {
  'logging.s3.amazonaws.com': 'S3 server access logs',
  'delivery.logs.amazonaws.com':
    'CloudWatch vended logs (VPC flow logs, CloudFront, Route 53, WAF, Network Firewall …)',
  'logdelivery.elasticloadbalancing.amazonaws.com': 'ELB access logs',
  'elasticloadbalancing.amazonaws.com': 'ELB access logs',
  'cloudtrail.amazonaws.com': 'CloudTrail logs',
  'config.amazonaws.com': 'AWS Config history and snapshots',
};

/**
 * Accounts of Elastic Load Balancing that write access logs in the regions opened before August
 * 2022 (later regions use the logdelivery.elasticloadbalancing service principal).
 * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html
 */
export const ELB_LOG_ACCOUNTS: ReadonlySet<string> = new Set([
  '127311923021', // us-east-1
  '033677994240', // us-east-2
  '027434742980', // us-west-1
  '797873946194', // us-west-2
  '098369216593', // af-south-1
  '754344448648', // ap-east-1
  '582318560864', // ap-northeast-1
  '600734575887', // ap-northeast-2
  '383597477331', // ap-northeast-3
  '718504428378', // ap-south-1
  '114774131450', // ap-southeast-1
  '783225319266', // ap-southeast-2
  '985666609251', // ca-central-1
  '054676820928', // eu-central-1
  '897822967062', // eu-north-1
  '635631232127', // eu-south-1
  '156460612806', // eu-west-1
  '652711504416', // eu-west-2
  '009996457667', // eu-west-3
  '076674570225', // me-south-1
  '507241528517', // sa-east-1
  '048591011584', // us-gov-west-1
  '190560391635', // us-gov-east-1
  '638102146993', // cn-north-1
  '037604701340', // cn-northwest-1
]);

/** The ACL grantee of S3 server access logging before bucket policies (legacy setups). */
export const LOG_DELIVERY_GROUP = 'http://acs.amazonaws.com/groups/s3/LogDelivery';
/** Canonical user `awslogsdelivery`, which writes CloudFront standard (legacy) logs through the ACL. */
export const AWSLOGSDELIVERY_CANONICAL_ID =
  'c4c1ede66af53448b93c283ce9448c4ba468c9432aa01d700d3878632f77d2d0';

type PolicyValue = string | string[] | undefined;
interface Statement {
  Effect?: string;
  Principal?: string | Record<string, PolicyValue>;
  Action?: PolicyValue;
  Resource?: PolicyValue;
}

const asList = (v: PolicyValue): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** Why the bucket policy shows log delivery, or undefined. Pure. */
export function logDeliveryInPolicy(policy: string): string | undefined {
  let statements: Statement[];
  try {
    const doc = JSON.parse(policy) as { Statement?: Statement | Statement[] };
    statements = Array.isArray(doc.Statement)
      ? doc.Statement
      : doc.Statement
        ? [doc.Statement]
        : [];
  } catch {
    return undefined;
  }
  for (const s of statements) {
    if (s.Effect !== 'Allow' || typeof s.Principal !== 'object') continue;
    for (const service of asList(s.Principal.Service)) {
      const what = LOG_DELIVERY_SERVICES[service.toLowerCase()];
      if (what) return `bucket policy lets ${service} write (${what})`;
    }
    for (const principal of asList(s.Principal.AWS)) {
      const account = /^(?:arn:aws[a-z-]*:iam::)?(\d{12})(?::root)?$/.exec(principal)?.[1];
      if (account && ELB_LOG_ACCOUNTS.has(account))
        return `bucket policy lets Elastic Load Balancing account ${account} write (ELB access logs)`;
    }
    const writes = asList(s.Action).some((a) => /^s3:(PutObject|\*)$/i.test(a) || a === '*');
    const logPath = asList(s.Resource).find((r) => r.includes('/AWSLogs/'));
    if (writes && logPath)
      return `bucket policy lets others write to ${logPath} (AWS log delivery)`;
  }
  return undefined;
}

/** Why the ACL shows log delivery, or undefined. Pure. */
export function logDeliveryInAcl(grants: readonly Grant[]): string | undefined {
  for (const g of grants) {
    if (g.Grantee?.URI === LOG_DELIVERY_GROUP)
      return `ACL grants ${g.Permission ?? 'access'} to the S3 LogDelivery group (S3 server access logs)`;
    if (g.Grantee?.ID === AWSLOGSDELIVERY_CANONICAL_ID)
      return `ACL grants ${g.Permission ?? 'access'} to awslogsdelivery (CloudFront standard logs)`;
  }
  return undefined;
}

/**
 * Why the bucket receives log delivery, or undefined when nothing shows it does. An API error
 * other than "no policy" is thrown: a bucket that cannot be judged must not be changed.
 */
export async function logDeliveryReason(s3: S3Client, bucket: string): Promise<string | undefined> {
  let policy: string | undefined;
  try {
    policy = (await s3.send(new GetBucketPolicyCommand({ Bucket: bucket }))).Policy;
  } catch (err) {
    if (!isNotFound(err, 'NoSuchBucketPolicy')) throw err;
  }
  const fromPolicy = policy ? logDeliveryInPolicy(policy) : undefined;
  if (fromPolicy) return fromPolicy;
  const acl = await s3.send(new GetBucketAclCommand({ Bucket: bucket }));
  return logDeliveryInAcl(acl.Grants ?? []);
}
