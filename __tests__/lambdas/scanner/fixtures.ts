/** Plain inventory fixtures for the scanner's pure check tests (no mocks). */
import { MONITORING_PATTERNS } from '../../../lambdas/scanner/checks/metric-filter-patterns';
import type { CheckConfig } from '../../../lambdas/scanner/checks/types';
import type {
  AlarmInventory,
  BucketInventory,
  CloudTrailInventory,
  CollectionError,
  ConfigRecorderInventory,
  CredentialReportRow,
  Ec2Inventory,
  IamInventory,
  IamUserInventory,
  Inventory,
  KmsKeyInventory,
  KmsKeyMetadata,
  LambdaFunctionInventory,
  ManagedPolicyInventory,
  MetricFilterInventory,
  Observed,
  RegionInventory,
  S3Inventory,
  SecurityGroupInventory,
  SecurityGroupRule,
  TrailInventory,
  TrailSelectors,
} from '../../../lambdas/scanner/inventory/types';
import type { Finding } from '../../../lambdas/shared/findings';

export const ACCOUNT = '123456789012';
export const REGION = 'us-east-1';
export const NOW = '2026-06-01T00:00:00.000Z';

export const CONFIG: CheckConfig = {
  mandatoryTags: ['Environment', 'Owner', 'CostCenter', 'ComplianceLevel'],
  allowedOpenPorts: [80, 443],
  allowedOpenUdpPorts: [],
  maxKeyAgeDays: 90,
  maxUnusedDays: 45,
};

export const ALL_TAGS = {
  Environment: 'dev',
  Owner: 'sec',
  CostCenter: '42',
  ComplianceLevel: 'high',
};

export function ok<T>(value: T): Observed<T> {
  return { ok: true, value };
}

export function collectionError(
  operation: string,
  over: Partial<CollectionError> = {},
): CollectionError {
  return {
    service: 's3',
    region: REGION,
    operation,
    kind: 'access-denied',
    code: 'AccessDenied',
    message: 'Access Denied',
    ...over,
  };
}

export function failed<T>(operation: string, over: Partial<CollectionError> = {}): Observed<T> {
  return { ok: false, error: collectionError(operation, over) };
}

export function daysAgo(days: number): string {
  return new Date(Date.parse(NOW) - days * 86_400_000).toISOString();
}

export const FULL_BLOCK = {
  blockPublicAcls: true,
  ignorePublicAcls: true,
  blockPublicPolicy: true,
  restrictPublicBuckets: true,
};
export const NO_BLOCK = {
  blockPublicAcls: false,
  ignorePublicAcls: false,
  blockPublicPolicy: false,
  restrictPublicBuckets: false,
};

export function bucket(name: string, over: Partial<BucketInventory> = {}): BucketInventory {
  return {
    name,
    arn: `arn:aws:s3:::${name}`,
    region: REGION,
    policy: ok(null),
    policyIsPublic: ok(null),
    acl: ok([]),
    publicAccessBlock: ok(FULL_BLOCK),
    objectOwnership: ok('BucketOwnerEnforced'),
    versioning: ok('Enabled'),
    logging: ok({ targetBucket: 'access-logs-123456789012', targetPrefix: `${name}/` }),
    encryption: ok([
      {
        algorithm: 'aws:kms',
        kmsKeyId: 'arn:aws:kms:us-east-1:123456789012:key/k',
        bucketKeyEnabled: true,
      },
    ]),
    encryptionKey: ok({
      kind: 'described',
      arn: 'arn:aws:kms:us-east-1:123456789012:key/k',
      manager: 'CUSTOMER',
      state: 'Enabled',
    }),
    tags: ok(ALL_TAGS),
    ...over,
  };
}

export function rule(over: Partial<SecurityGroupRule> = {}): SecurityGroupRule {
  return {
    protocol: 'tcp',
    fromPort: 443,
    toPort: 443,
    ipv4Ranges: [],
    ipv6Ranges: [],
    sourceGroups: [],
    prefixLists: [],
    ...over,
  };
}

export function sg(id: string, over: Partial<SecurityGroupInventory> = {}): SecurityGroupInventory {
  return {
    id,
    arn: `arn:aws:ec2:${REGION}:${ACCOUNT}:security-group/${id}`,
    name: `sg-name-${id}`,
    vpcId: 'vpc-1',
    ownerId: ACCOUNT,
    ingress: [],
    egress: [],
    tags: ALL_TAGS,
    ...over,
  };
}

export function ec2(over: Partial<Ec2Inventory> = {}): Ec2Inventory {
  return {
    securityGroups: { items: [] },
    volumes: { items: [] },
    ebsEncryptionByDefault: ok(true),
    vpcs: { items: [] },
    flowLogs: { items: [] },
    instances: { items: [] },
    networkAcls: { items: [] },
    subnets: { items: [] },
    snapshots: { items: [] },
    ...over,
  };
}

export function fn(
  name: string,
  over: Partial<LambdaFunctionInventory> = {},
): LambdaFunctionInventory {
  return {
    name,
    arn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`,
    tracingMode: 'Active',
    runtime: 'nodejs22.x',
    packageType: 'Zip',
    reservedConcurrency: ok(5),
    tags: ok(ALL_TAGS),
    policy: ok(null),
    ...over,
  };
}

export const CONFIG_SERVICE_LINKED_ROLE = `arn:aws:iam::${ACCOUNT}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig`;

/** A recorder that satisfies Config.1 (all types, global types, service-linked role, recording). */
export function recorder(
  name: string,
  over: Partial<ConfigRecorderInventory> = {},
): ConfigRecorderInventory {
  return {
    name,
    roleArn: CONFIG_SERVICE_LINKED_ROLE,
    allSupported: true,
    includeGlobalResourceTypes: true,
    strategy: 'ALL_SUPPORTED_RESOURCE_TYPES',
    serviceLinked: false,
    recording: true,
    lastStatus: 'Success',
    ...over,
  };
}

/** Read and write management events, and S3 object events for every bucket. */
export const ALL_EVENTS: TrailSelectors = {
  basic: [
    {
      readWriteType: 'All',
      includeManagementEvents: true,
      excludeManagementEventSources: [],
      dataResources: [{ type: 'AWS::S3::Object', values: ['arn:aws:s3'] }],
    },
  ],
  advanced: [],
};

/** One metric filter per monitoring check with its first accepted pattern, metric `LogMetrics/<check id>`. */
export function monitoringFilters(): MetricFilterInventory[] {
  return Object.entries(MONITORING_PATTERNS).map(([id, patterns]) => ({
    name: `${id}-filter`,
    pattern: patterns[0]!,
    metrics: [{ namespace: 'LogMetrics', name: id }],
  }));
}

export const topicArn = (region = REGION) => `arn:aws:sns:${region}:${ACCOUNT}:cis-alarms`;

/** One alarm per monitoring filter metric, notifying `topicArn(region)`. */
export function monitoringAlarms(region = REGION): AlarmInventory[] {
  return monitoringFilters().map((f) => ({
    name: `${f.name}-alarm`,
    arn: `arn:aws:cloudwatch:${region}:${ACCOUNT}:alarm:${f.name}-alarm`,
    alarmActions: [topicArn(region)],
    metrics: f.metrics,
  }));
}

/** A compliant trail homed in `region`: multi-Region, logging, KMS, validation, monitored. */
export function trail(
  name: string,
  over: Partial<TrailInventory> = {},
  region = REGION,
): TrailInventory {
  return {
    name,
    arn: `arn:aws:cloudtrail:${region}:${ACCOUNT}:trail/${name}`,
    account: ACCOUNT,
    homeRegion: region,
    isMultiRegion: true,
    isOrganizationTrail: false,
    s3BucketName: `cloudtrail-${ACCOUNT}`,
    kmsKeyId: `arn:aws:kms:${region}:${ACCOUNT}:key/trail`,
    logFileValidation: true,
    logGroupArn: `arn:aws:logs:${region}:${ACCOUNT}:log-group:cloudtrail:*`,
    isLogging: ok(true),
    selectors: ok(ALL_EVENTS),
    metricFilters: { items: monitoringFilters() },
    ...over,
  };
}

/** The region's CloudTrail inventory: by default one compliant, fully monitored trail. */
export function cloudtrail(
  region = REGION,
  over: Partial<CloudTrailInventory> = {},
): CloudTrailInventory {
  return {
    trails: ok([trail('main', {}, region)]),
    alarms: { items: monitoringAlarms(region) },
    topicSubscriptions: {
      [topicArn(region)]: { items: [{ arn: `${topicArn(region)}:sub-1`, protocol: 'email' }] },
    },
    ...over,
  };
}

export function region(
  name: string,
  over: Partial<Omit<RegionInventory, 'region'>> = {},
): RegionInventory {
  return {
    region: name,
    ec2: ec2(),
    lambda: { functions: { items: [] } },
    config: { recorders: ok([recorder('default')]) },
    accessAnalyzer: {
      analyzers: {
        items: [
          {
            name: 'external',
            arn: `arn:aws:access-analyzer:${name}:${ACCOUNT}:analyzer/external`,
            type: 'ACCOUNT',
            status: 'ACTIVE',
          },
        ],
      },
    },
    s3AccessPoints: { accessPoints: { items: [] } },
    securityHub: {
      hub: ok({ arn: `arn:aws:securityhub:${name}:${ACCOUNT}:hub/default` }),
    },
    guardDuty: {
      detectors: {
        items: [
          {
            id: 'd1',
            arn: `arn:aws:guardduty:${name}:${ACCOUNT}:detector/d1`,
            status: ok('ENABLED'),
          },
        ],
      },
    },
    rds: { instances: { items: [] } },
    efs: { fileSystems: { items: [] } },
    cloudtrail: cloudtrail(name),
    kms: { keys: { items: [] } },
    ...over,
  };
}

/** A customer managed symmetric key with rotation on and a policy for its own account. */
export function kmsKey(
  id: string,
  over: Partial<Omit<KmsKeyInventory, 'metadata'>> & { metadata?: Partial<KmsKeyMetadata> } = {},
): KmsKeyInventory {
  const { metadata, ...rest } = over;
  return {
    id,
    arn: `arn:aws:kms:${REGION}:${ACCOUNT}:key/${id}`,
    metadata: ok({
      keyManager: 'CUSTOMER',
      keyState: 'Enabled',
      keySpec: 'SYMMETRIC_DEFAULT',
      keyUsage: 'ENCRYPT_DECRYPT',
      origin: 'AWS_KMS',
      multiRegion: false,
      ...metadata,
    }),
    rotationEnabled: ok(true),
    policy: ok({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'Enable IAM User Permissions',
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
          Action: 'kms:*',
          Resource: '*',
        },
      ],
    }),
    ...rest,
  };
}

/** A customer managed policy granting read-only S3 access, attached once. */
export function managedPolicy(
  name: string,
  over: Partial<ManagedPolicyInventory> = {},
): ManagedPolicyInventory {
  return {
    name,
    arn: `arn:aws:iam::${ACCOUNT}:policy/${name}`,
    attachmentCount: 1,
    permissionsBoundaryUsageCount: 0,
    defaultVersionId: 'v1',
    document: ok({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: ['s3:Get*', 's3:List*'], Resource: '*' }],
    }),
    ...over,
  };
}

export function user(name: string, over: Partial<IamUserInventory> = {}): IamUserInventory {
  return {
    name,
    arn: `arn:aws:iam::${ACCOUNT}:user/${name}`,
    createDate: daysAgo(400),
    accessKeys: ok([]),
    mfaDevices: ok(0),
    loginProfile: ok(null),
    tags: ok(ALL_TAGS),
    attachedPolicies: ok([]),
    inlinePolicies: ok([]),
    ...over,
  };
}

export function reportRow(
  name: string,
  over: Partial<CredentialReportRow> = {},
): CredentialReportRow {
  return {
    user: name,
    arn: `arn:aws:iam::${ACCOUNT}:user/${name}`,
    userCreationTime: daysAgo(400),
    passwordEnabled: false,
    passwordLastUsed: null,
    passwordLastUsedRaw: 'N/A',
    passwordLastChanged: null,
    mfaActive: false,
    accessKeys: [
      { active: false, lastRotated: null, lastUsedDate: null },
      { active: false, lastRotated: null, lastUsedDate: null },
    ],
    ...over,
  };
}

export function inventory(
  over: {
    s3?: Partial<S3Inventory>;
    iam?: Partial<IamInventory>;
    regions?: RegionInventory[];
  } = {},
): Inventory {
  const regions = over.regions ?? [region(REGION)];
  return {
    scanId: '20260601T000000000Z-abcdef12',
    account: ACCOUNT,
    partition: 'aws',
    homeRegion: REGION,
    regions: regions.map((r) => r.region),
    observedAt: NOW,
    s3: { accountPublicAccessBlock: ok(FULL_BLOCK), buckets: { items: [] }, ...over.s3 },
    iam: {
      users: { items: [] },
      credentialReport: ok([]),
      accountSummary: ok({
        AccountMFAEnabled: 1,
        AccountAccessKeysPresent: 0,
        AccountPasswordPresent: 1,
      }),
      passwordPolicy: ok({ minimumPasswordLength: 14, passwordReusePrevention: 24 }),
      customerPolicies: { items: [] },
      attachedAwsPolicies: { items: [] },
      supportAccessEntities: ok({ users: [], groups: [], roles: ['aws-support'] }),
      serverCertificates: { items: [] },
      ...over.iam,
    },
    byRegion: Object.fromEntries(regions.map((r) => [r.region, r])),
    errors: [],
    callsByRegion: {},
  };
}

/** Status of the single finding of `checkId` for `resourceUid` (throws if not exactly one). */
export function statusOf(findings: readonly Finding[], resourceUid: string): Finding {
  const matching = findings.filter((f) => f.resource.uid === resourceUid);
  if (matching.length !== 1) {
    throw new Error(
      `Expected one finding for ${resourceUid}, got ${matching.length}: ${JSON.stringify(findings.map((f) => [f.resource.uid, f.status]))}`,
    );
  }
  return matching[0]!;
}
