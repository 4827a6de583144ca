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
  /** Account that owns the group (another one for a group shared with this account). */
  readonly ownerId?: string;
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
  /** Account that owns the VPC (another one for a VPC shared with this account). */
  readonly ownerId?: string;
  readonly tags: Tags;
}

export interface FlowLogInventory {
  readonly id: string;
  readonly resourceId: string;
  readonly status?: string;
  readonly deliverStatus?: string;
  readonly trafficType?: string;
}

export interface InstanceInventory {
  readonly id: string;
  readonly arn: string;
  /** `pending`, `running`, `shutting-down`, `terminated`, `stopping` or `stopped`. */
  readonly state?: string;
  /** MetadataOptions HttpTokens: `required` (IMDSv2 only) or `optional` (IMDSv1 allowed). */
  readonly httpTokens?: string;
  /** MetadataOptions HttpEndpoint: `enabled` or `disabled`. */
  readonly httpEndpoint?: string;
  /** ARN of the IAM instance profile; undefined when none is associated. */
  readonly instanceProfileArn?: string;
  /** Public IPv4 addresses of the instance and all its network interfaces. */
  readonly publicIps: readonly string[];
  readonly tags: Tags;
}

/** One network ACL entry as DescribeNetworkAcls returns it (fields we evaluate). */
export interface NetworkAclEntry {
  readonly ruleNumber: number;
  /** Protocol number as a string (`6` TCP, `17` UDP) or `-1` for all. */
  readonly protocol: string;
  readonly action: 'allow' | 'deny';
  readonly egress: boolean;
  readonly cidrBlock?: string;
  readonly ipv6CidrBlock?: string;
  /** Absent for protocols without ports (all ports of the protocol). */
  readonly portRange?: { readonly from: number; readonly to: number };
}

export interface NetworkAclInventory {
  readonly id: string;
  readonly arn: string;
  readonly vpcId?: string;
  readonly isDefault: boolean;
  readonly ownerId?: string;
  readonly entries: readonly NetworkAclEntry[];
  /** Subnets the ACL is associated with. */
  readonly subnetIds: readonly string[];
  readonly tags: Tags;
}

export interface SubnetInventory {
  readonly id: string;
  readonly arn: string;
  readonly vpcId?: string;
  readonly ownerId?: string;
  readonly defaultForAz: boolean;
  readonly mapPublicIpOnLaunch: boolean;
  readonly assignIpv6AddressOnCreation: boolean;
  readonly tags: Tags;
}

export interface SnapshotInventory {
  readonly id: string;
  /** `arn:<partition>:ec2:<region>::snapshot/<id>` (snapshot ARNs carry no account). */
  readonly arn: string;
  readonly volumeId?: string;
  /** createVolumePermission grants the `all` group: any AWS account can restore it. */
  readonly public: Observed<boolean>;
  readonly tags: Tags;
}

export interface Ec2Inventory {
  readonly securityGroups: Listed<SecurityGroupInventory>;
  readonly volumes: Listed<VolumeInventory>;
  readonly ebsEncryptionByDefault: Observed<boolean>;
  readonly vpcs: Listed<VpcInventory>;
  readonly flowLogs: Listed<FlowLogInventory>;
  /** Every instance, terminated ones included (checks skip what Security Hub skips). */
  readonly instances: Listed<InstanceInventory>;
  readonly networkAcls: Listed<NetworkAclInventory>;
  readonly subnets: Listed<SubnetInventory>;
  /** EBS snapshots this account owns. */
  readonly snapshots: Listed<SnapshotInventory>;
}

export interface DbInstanceInventory {
  readonly id: string;
  readonly arn: string;
  /** `mysql`, `postgres`, `aurora-postgresql`, `neptune`, `docdb`, … */
  readonly engine?: string;
  /** The cluster (Aurora, Neptune, DocumentDB, Multi-AZ DB cluster) the instance belongs to. */
  readonly clusterId?: string;
  readonly storageEncrypted: boolean;
  readonly autoMinorVersionUpgrade: boolean;
  readonly publiclyAccessible: boolean;
  readonly tags: Tags;
}

export interface RdsInventory {
  /** DescribeDBInstances: RDS, Aurora, Neptune and DocumentDB instances alike. */
  readonly instances: Listed<DbInstanceInventory>;
}

export interface FileSystemInventory {
  readonly id: string;
  readonly arn: string;
  readonly name?: string;
  readonly encrypted: boolean;
  readonly kmsKeyId?: string;
  readonly tags: Tags;
}

export interface EfsInventory {
  readonly fileSystems: Listed<FileSystemInventory>;
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
  /** IAM role the recorder uses (the service-linked AWSServiceRoleForConfig, or a role of the account). */
  readonly roleArn?: string;
  readonly allSupported?: boolean;
  readonly includeGlobalResourceTypes?: boolean;
  /** recordingStrategy.useOnly: ALL_SUPPORTED_RESOURCE_TYPES, INCLUSION_BY_… or EXCLUSION_BY_RESOURCE_TYPES. */
  readonly strategy?: string;
  /** A service-linked recorder (AWSConfigurationRecorderFor…, owned by another AWS service). */
  readonly serviceLinked: boolean;
  /** From DescribeConfigurationRecorderStatus; undefined when no status was returned for it. */
  readonly recording?: boolean;
  readonly lastStatus?: string;
}

export interface ConfigInventory {
  readonly recorders: Observed<readonly ConfigRecorderInventory[]>;
}

/** One IAM Access Analyzer analyzer of a region (ListAnalyzers). */
export interface AnalyzerInventory {
  readonly name: string;
  readonly arn: string;
  /** `ACCOUNT`, `ORGANIZATION` (external access), `…_UNUSED_ACCESS`, `…_INTERNAL_ACCESS`. */
  readonly type: string;
  /** `ACTIVE`, `CREATING`, `DISABLED` or `FAILED`. */
  readonly status: string;
}

export interface AccessAnalyzerInventory {
  readonly analyzers: Listed<AnalyzerInventory>;
}

/** The DescribeKey fields the KMS checks read. */
export interface KmsKeyMetadata {
  /** `AWS` or `CUSTOMER`. */
  readonly keyManager: string;
  /** `Enabled`, `Disabled`, `PendingDeletion`, `PendingReplicaDeletion`, `PendingImport`, … */
  readonly keyState: string;
  /** `SYMMETRIC_DEFAULT`, `RSA_2048`, `HMAC_256`, … */
  readonly keySpec: string;
  /** `ENCRYPT_DECRYPT`, `SIGN_VERIFY`, `GENERATE_VERIFY_MAC`, `KEY_AGREEMENT`. */
  readonly keyUsage: string;
  /** `AWS_KMS`, `EXTERNAL` (imported material), `AWS_CLOUDHSM` or `EXTERNAL_KEY_STORE`. */
  readonly origin: string;
  readonly multiRegion: boolean;
  /** When a key pending deletion will be deleted. */
  readonly deletionDate?: string;
}

export interface KmsKeyInventory {
  readonly id: string;
  readonly arn: string;
  readonly metadata: Observed<KmsKeyMetadata>;
  /** GetKeyRotationStatus; `null` where automatic rotation does not apply (not read). */
  readonly rotationEnabled: Observed<boolean | null>;
  /** The key policy (policy name `default`); `null` for AWS managed keys (not read). */
  readonly policy: Observed<PolicyDocument | null>;
}

export interface KmsInventory {
  readonly keys: Listed<KmsKeyInventory>;
}

/** One basic event selector (GetEventSelectors `EventSelectors`), AWS defaults applied. */
export interface TrailEventSelector {
  /** `All`, `ReadOnly` or `WriteOnly`. */
  readonly readWriteType: string;
  readonly includeManagementEvents: boolean;
  readonly excludeManagementEventSources: readonly string[];
  readonly dataResources: readonly { readonly type: string; readonly values: readonly string[] }[];
}

/** One condition of an advanced event selector (`AdvancedFieldSelector`). */
export interface TrailFieldSelector {
  readonly field: string;
  readonly equals?: readonly string[];
  readonly notEquals?: readonly string[];
  readonly startsWith?: readonly string[];
  readonly notStartsWith?: readonly string[];
  readonly endsWith?: readonly string[];
  readonly notEndsWith?: readonly string[];
}

export interface TrailSelectors {
  readonly basic: readonly TrailEventSelector[];
  /** Each selector is the AND of its field selectors; the trail logs the OR of its selectors. */
  readonly advanced: readonly (readonly TrailFieldSelector[])[];
}

export interface MetricRef {
  readonly namespace: string;
  readonly name: string;
}

export function sameMetric(a: MetricRef, b: MetricRef): boolean {
  return a.namespace === b.namespace && a.name === b.name;
}

export interface MetricFilterInventory {
  readonly name: string;
  readonly pattern: string;
  readonly metrics: readonly MetricRef[];
}

export interface TrailInventory {
  readonly name: string;
  readonly arn: string;
  /** The trail's owner: another account's for an organization trail seen from a member. */
  readonly account: string;
  readonly homeRegion: string;
  readonly isMultiRegion: boolean;
  readonly isOrganizationTrail: boolean;
  readonly s3BucketName?: string;
  readonly kmsKeyId?: string;
  readonly logFileValidation: boolean;
  readonly logGroupArn?: string;
  /** GetTrailStatus IsLogging. */
  readonly isLogging: Observed<boolean>;
  /**
   * GetEventSelectors; null for another account's trail (an organization trail seen from a
   * member), whose selectors only its owner can read.
   */
  readonly selectors: Observed<TrailSelectors | null>;
  /**
   * Metric filters of the trail's CloudWatch Logs group. Read only for trails that can satisfy
   * the CIS 4.x monitoring checks (multi-Region, logging, read and write management events) and
   * send to a log group of this account in their home region; absent otherwise.
   */
  readonly metricFilters?: Listed<MetricFilterInventory>;
}

export interface AlarmInventory {
  readonly name: string;
  readonly arn: string;
  readonly alarmActions: readonly string[];
  /** The metric alarmed on, or the metrics of a metric-math alarm. */
  readonly metrics: readonly MetricRef[];
}

export interface SubscriptionInventory {
  /** `PendingConfirmation` until the endpoint confirms. */
  readonly arn: string;
  readonly protocol: string;
}

export interface CloudTrailInventory {
  /** Trails homed in this region (DescribeTrails without shadow trails). */
  readonly trails: Observed<readonly TrailInventory[]>;
  /**
   * Metric alarms with an SNS action in this region; read only when the metric filters read for
   * those trails publish a metric (absent otherwise).
   */
  readonly alarms?: Listed<AlarmInventory>;
  /** Subscriptions of the SNS topics notified by alarms on those filters' metrics, by topic ARN. */
  readonly topicSubscriptions: Readonly<Record<string, Listed<SubscriptionInventory>>>;
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
  readonly accessAnalyzer: AccessAnalyzerInventory;
  readonly kms: KmsInventory;
  readonly cloudtrail: CloudTrailInventory;
  readonly rds: RdsInventory;
  readonly efs: EfsInventory;
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
  /** Names of the managed policies attached to the user directly. */
  readonly attachedPolicies: Observed<readonly string[]>;
  /** Names of the user's inline policies. */
  readonly inlinePolicies: Observed<readonly string[]>;
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

/** The account password policy fields the checks read (absent: not set in the policy). */
export interface PasswordPolicy {
  readonly minimumPasswordLength?: number;
  readonly passwordReusePrevention?: number;
}

/** A managed policy (ListPolicies) with the document of its default version. */
export interface ManagedPolicyInventory {
  readonly name: string;
  readonly arn: string;
  /** Users, groups and roles the policy is attached to as a permissions policy. */
  readonly attachmentCount: number;
  /** Users and roles that use the policy as their permissions boundary. */
  readonly permissionsBoundaryUsageCount: number;
  readonly defaultVersionId: string;
  /** GetPolicyVersion of the default version, URL-decoded and parsed. */
  readonly document: Observed<PolicyDocument>;
}

/** Identities a managed policy is attached to (ListEntitiesForPolicy), by name. */
export interface PolicyEntities {
  readonly users: readonly string[];
  readonly groups: readonly string[];
  readonly roles: readonly string[];
}

/** An SSL/TLS server certificate stored in IAM (ListServerCertificates). */
export interface ServerCertificateInventory {
  readonly name: string;
  readonly arn: string;
  readonly expiration?: string;
  readonly uploadDate?: string;
}

export interface IamInventory {
  readonly users: Listed<IamUserInventory>;
  readonly credentialReport: Observed<readonly CredentialReportRow[]>;
  /** GetAccountSummary SummaryMap (AccountMFAEnabled, AccountAccessKeysPresent, …). */
  readonly accountSummary: Observed<Readonly<Record<string, number>>>;
  /** GetAccountPasswordPolicy; `null` when the account has none (NoSuchEntity). */
  readonly passwordPolicy: Observed<PasswordPolicy | null>;
  /** Every customer managed policy (ListPolicies, scope Local), attached or not. */
  readonly customerPolicies: Listed<ManagedPolicyInventory>;
  /** AWS managed policies attached to some identity (ListPolicies, scope AWS, only attached). */
  readonly attachedAwsPolicies: Listed<ManagedPolicyInventory>;
  /** Identities with the AWSSupportAccess managed policy attached (IAM.18). */
  readonly supportAccessEntities: Observed<PolicyEntities>;
  readonly serverCertificates: Listed<ServerCertificateInventory>;
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
  /** Per region: reads that answered and reads that failed (the scan's coverage comes from it). */
  readonly callsByRegion: Readonly<
    Record<string, { readonly ok: number; readonly failed: number }>
  >;
}
