/**
 * The typed inventory the collectors fill once per scan and every check reads. Nothing here calls
 * AWS. A value the scanner could not read is never replaced by a default: it is an `Observed` with
 * `ok: false` carrying the error, so a check reports ERROR for exactly the resource (or service)
 * the error hid instead of a false PASS or FAIL (STYLE §8).
 */
import type { ErrorKind } from '../../shared/errors';
import type { KeyFacts } from '../../shared/s3-default-encryption';

export type ServiceName =
  | 's3'
  | 'ec2'
  | 'iam'
  | 'lambda'
  | 'config'
  | 'sts'
  | 'cloudtrail'
  | 'logs'
  | 'cloudwatch'
  | 'sns'
  | 'kms'
  | 'rds'
  | 'efs'
  | 'securityhub'
  | 'guardduty'
  | 'access-analyzer';

/** One API call that failed; recorded against the resource (when known) or the service it hid. */
export interface CollectionError {
  readonly service: ServiceName;
  readonly region: string;
  /** API operation, e.g. `GetBucketPolicy`. */
  readonly operation: string;
  /** ARN (or stable id) of the resource whose data is missing; absent for service-level errors. */
  readonly resourceUid?: string;
  readonly kind: ErrorKind;
  /** The SDK error name, e.g. `AccessDenied`, `ThrottlingException`. */
  readonly code: string;
  readonly message: string;
}

/** A value read from AWS, or the error that kept it from being read. */
export type Observed<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: CollectionError };

/**
 * A paginated listing: the items read, plus the error that cut the listing short (the items may
 * then be incomplete, so checks evaluate what they have and report one ERROR for the rest).
 */
export interface Listed<T> {
  readonly items: readonly T[];
  readonly error?: CollectionError;
}

export type Tags = Readonly<Record<string, string>>;

export interface PublicAccessBlock {
  readonly blockPublicAcls: boolean;
  readonly ignorePublicAcls: boolean;
  readonly blockPublicPolicy: boolean;
  readonly restrictPublicBuckets: boolean;
}

export interface AclGrant {
  /** Group URI for group grantees (AllUsers, AuthenticatedUsers), else the grantee id/email. */
  readonly grantee: string;
  readonly granteeType: string;
  /** The grantee is the bucket owner (the ACL's Owner). */
  readonly isOwner: boolean;
  readonly permission: string;
}

export interface EncryptionRule {
  readonly algorithm: string;
  readonly kmsKeyId?: string;
  readonly bucketKeyEnabled?: boolean;
}

export type VersioningStatus = 'Enabled' | 'Suspended' | 'Never';

export interface BucketLogging {
  readonly targetBucket: string;
  readonly targetPrefix?: string;
}

export interface BucketInventory {
  readonly name: string;
  readonly arn: string;
  readonly region: string;
  /** Parsed bucket policy; `null` when the bucket has none (NoSuchBucketPolicy). */
  readonly policy: Observed<PolicyDocument | null>;
  /** GetBucketPolicyStatus IsPublic; `null` when the bucket has no policy. */
  readonly policyIsPublic: Observed<boolean | null>;
  readonly acl: Observed<readonly AclGrant[]>;
  /** `null` when the bucket has no public access block configuration. */
  readonly publicAccessBlock: Observed<PublicAccessBlock | null>;
  /** ObjectOwnership (`BucketOwnerEnforced` disables ACLs); `null` when not configured. */
  readonly objectOwnership: Observed<string | null>;
  readonly versioning: Observed<VersioningStatus>;
  /** Server access logging (GetBucketLogging); `null` when logging is off. */
  readonly logging: Observed<BucketLogging | null>;
  /** Default-encryption rules; `null` when the bucket has no configuration of its own. */
  readonly encryption: Observed<readonly EncryptionRule[] | null>;
  /**
   * DescribeKey of the KMS key default encryption names (described once per distinct key);
   * `null` when no lookup is needed (no KMS algorithm, no key id, an AWS managed alias).
   */
  readonly encryptionKey: Observed<KeyFacts | null>;
  readonly tags: Observed<Tags>;
}

export interface AccessPointInventory {
  readonly name: string;
  readonly arn: string;
  readonly bucket?: string;
  /** `Internet` or `VPC`. */
  readonly networkOrigin?: string;
  /** GetAccessPoint PublicAccessBlockConfiguration; `null` when none is returned. */
  readonly publicAccessBlock: Observed<PublicAccessBlock | null>;
}

export interface S3AccessPointsInventory {
  /** The account's access points in the region (S3 Control ListAccessPoints). */
  readonly accessPoints: Listed<AccessPointInventory>;
}

export interface S3Inventory {
  /** S3 Control GetPublicAccessBlock for the account; `null` when not configured. */
  readonly accountPublicAccessBlock: Observed<PublicAccessBlock | null>;
  /** Every bucket of the account, whatever its region. */
  readonly buckets: Listed<BucketInventory>;
}

/** IAM policy document as JSON (statement fields kept loose: AWS accepts strings or arrays). */
export interface PolicyDocument {
  readonly Version?: string;
  readonly Statement?: PolicyStatement | readonly PolicyStatement[];
}

export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect?: string;
  readonly Principal?: unknown;
  readonly NotPrincipal?: unknown;
  readonly Action?: string | readonly string[];
  readonly NotAction?: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly NotResource?: string | readonly string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

/** One ingress or egress rule as DescribeSecurityGroups returns it (fields we evaluate). */
export interface SecurityGroupRule {
  /** `-1` (all), `tcp`, `udp`, `icmp`, `icmpv6` or a protocol number. */
  readonly protocol: string;
  readonly fromPort?: number;
  readonly toPort?: number;
  readonly ipv4Ranges: readonly string[];
  readonly ipv6Ranges: readonly string[];
  /** Source security groups (`sg-…`); such a rule is not open to the world. */
  readonly sourceGroups: readonly string[];
  readonly prefixLists: readonly string[];
}

export interface SecurityGroupInventory {
  readonly id: string;
  readonly arn: string;
  readonly name: string;
  readonly vpcId?: string;
  readonly ingress: readonly SecurityGroupRule[];
  readonly egress: readonly SecurityGroupRule[];
  readonly tags: Tags;
}

export interface VolumeInventory {
  readonly id: string;
  readonly arn: string;
  readonly encrypted: boolean;
  readonly state?: string;
  /** Instance ids the volume is attached to. */
  readonly attachedTo: readonly string[];
  readonly tags: Tags;
}

export interface VpcInventory {
  readonly id: string;
  readonly arn: string;
  readonly isDefault: boolean;
  readonly tags: Tags;
}

export interface FlowLogInventory {
  readonly id: string;
  readonly resourceId: string;
  readonly status?: string;
  readonly deliverStatus?: string;
  readonly trafficType?: string;
}

export interface Ec2Inventory {
  readonly securityGroups: Listed<SecurityGroupInventory>;
  readonly volumes: Listed<VolumeInventory>;
  readonly ebsEncryptionByDefault: Observed<boolean>;
  readonly vpcs: Listed<VpcInventory>;
  readonly flowLogs: Listed<FlowLogInventory>;
}

export interface LambdaFunctionInventory {
  readonly name: string;
  readonly arn: string;
  readonly tracingMode?: string;
  /** Runtime identifier (`nodejs22.x`); absent for container images. */
  readonly runtime?: string;
  /** `Zip` or `Image`. */
  readonly packageType?: string;
  /** Reserved concurrent executions; `null` when none is reserved. */
  readonly reservedConcurrency: Observed<number | null>;
  readonly tags: Observed<Tags>;
  /** Resource-based policy (GetPolicy); `null` when the function has none. */
  readonly policy: Observed<PolicyDocument | null>;
}

export interface LambdaInventory {
  readonly functions: Listed<LambdaFunctionInventory>;
}

export interface ConfigRecorderInventory {
  readonly name: string;
  readonly allSupported?: boolean;
  readonly includeGlobalResourceTypes?: boolean;
  /** From DescribeConfigurationRecorderStatus; undefined when no status was returned for it. */
  readonly recording?: boolean;
  readonly lastStatus?: string;
}

export interface ConfigInventory {
  readonly recorders: Observed<readonly ConfigRecorderInventory[]>;
}

export interface SecurityHubInventory {
  /** DescribeHub: the hub's ARN; `null` when the account is not subscribed in the region. */
  readonly hub: Observed<{ readonly arn: string; readonly subscribedAt?: string } | null>;
}

export interface DetectorInventory {
  readonly id: string;
  readonly arn: string;
  /** GetDetector Status: `ENABLED` or `DISABLED` (suspended). */
  readonly status: Observed<string>;
}

export interface GuardDutyInventory {
  readonly detectors: Listed<DetectorInventory>;
}

export interface RegionInventory {
  readonly region: string;
  readonly ec2: Ec2Inventory;
  readonly lambda: LambdaInventory;
  readonly config: ConfigInventory;
  readonly s3AccessPoints: S3AccessPointsInventory;
  readonly securityHub: SecurityHubInventory;
  readonly guardDuty: GuardDutyInventory;
}

export interface AccessKeyInventory {
  readonly id: string;
  readonly status: string;
  readonly createDate?: string;
}

export interface IamUserInventory {
  readonly name: string;
  readonly arn: string;
  readonly createDate?: string;
  readonly accessKeys: Observed<readonly AccessKeyInventory[]>;
  /** Number of MFA devices assigned to the user. */
  readonly mfaDevices: Observed<number>;
  /** Console password (login profile); `null` when the user has none. */
  readonly loginProfile: Observed<{ readonly createDate?: string } | null>;
  readonly tags: Observed<Tags>;
}

/** One row of the IAM credential report; dates are ISO strings, `null` where IAM says N/A etc. */
export interface CredentialReportRow {
  readonly user: string;
  readonly arn: string;
  readonly userCreationTime: string | null;
  /** `null` for the root row (`not_supported`). */
  readonly passwordEnabled: boolean | null;
  readonly passwordLastUsed: string | null;
  /** Raw `password_last_used` field: a date, `N/A` (never used), `no_information` or `not_supported`. */
  readonly passwordLastUsedRaw: string;
  readonly passwordLastChanged: string | null;
  readonly mfaActive: boolean;
  readonly accessKeys: readonly [CredentialReportKey, CredentialReportKey];
}

export interface CredentialReportKey {
  readonly active: boolean;
  readonly lastRotated: string | null;
  readonly lastUsedDate: string | null;
}

export interface IamInventory {
  readonly users: Listed<IamUserInventory>;
  readonly credentialReport: Observed<readonly CredentialReportRow[]>;
  /** GetAccountSummary SummaryMap (AccountMFAEnabled, AccountAccessKeysPresent, …). */
  readonly accountSummary: Observed<Readonly<Record<string, number>>>;
}

export interface Inventory {
  readonly scanId: string;
  readonly account: string;
  readonly partition: string;
  /** Region of account-level and global findings (IAM, S3 account settings). */
  readonly homeRegion: string;
  readonly regions: readonly string[];
  /** ISO time the collection started; every finding's `observedAt`. */
  readonly observedAt: string;
  readonly s3: S3Inventory;
  readonly iam: IamInventory;
  readonly byRegion: Readonly<Record<string, RegionInventory>>;
  /** Every call that failed, for logs and the FindingsErrored metric's context. */
  readonly errors: readonly CollectionError[];
}

/** `aws`, `aws-cn` or `aws-us-gov` for a region name. */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}
