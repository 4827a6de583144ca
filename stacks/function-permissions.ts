/**
 * Each function's own least-privilege policy: the exact actions its handler calls, scoped to the
 * exact resources where the API supports resource-level permissions. `*` resources appear only
 * for List/Describe/Get APIs that AWS does not scope (noted per statement). The reviewed manifest
 * in __tests__ checks the synthesized policies against these.
 */
import type { DeploymentEnvironment } from './environment';
import type { PolicyStatement } from './iam';
import type { FunctionName } from './settings';

export interface PermissionTargets {
  /** Where the statements apply (the members stack passes a member account's CloudFormation pseudo parameters). */
  readonly env: Pick<DeploymentEnvironment, 'partition' | 'account' | 'region' | 'arn'>;
  readonly bucketArn: string;
  readonly dataKeyArn: string;
  readonly topicArn: string;
  readonly messagingKeyArn: string;
  /** Present unless remediation is off. */
  readonly remediationKeyArn?: string;
  /** SECURITY_HUB_EXPORT=on: findings-export may import into and update Security Hub. */
  readonly securityHubExport?: boolean;
  /** ORG_REMEDIATION=members: the remediation role in member accounts that remediation assumes. */
  readonly memberRemediationRoleName?: string;
}

/**
 * sts:AssumeRole on a role the members stack puts in every member account, only roles of this
 * organization (`$${…}` is Terraform's escape for an IAM policy variable).
 */
export const assumeMemberRoles = (
  t: PermissionTargets,
  sid: string,
  roleName: string,
): PolicyStatement => ({
  sid,
  actions: ['sts:AssumeRole'],
  resources: [`arn:${t.env.partition}:iam::*:role/${roleName}`],
  conditions: { StringEquals: { 'aws:ResourceOrgID': '$${aws:PrincipalOrgID}' } },
});

export const readObjects = (t: PermissionTargets, ...prefixes: string[]): PolicyStatement => ({
  sid: 'ReadAuditObjects',
  actions: ['s3:GetObject'],
  resources: prefixes.map((p) => `${t.bucketArn}/${p}`),
});
export const writeObjects = (t: PermissionTargets, ...prefixes: string[]): PolicyStatement => ({
  sid: 'WriteAuditObjects',
  actions: ['s3:PutObject'],
  resources: prefixes.map((p) => `${t.bucketArn}/${p}`),
});
/** The findings are a multipart upload once they pass one part: a failed one is aborted. */
export const abortFindingsUpload = (t: PermissionTargets): PolicyStatement => ({
  sid: 'AbortFindingsUpload',
  actions: ['s3:AbortMultipartUpload'],
  resources: [`${t.bucketArn}/findings/*`],
});
/** Without ListBucket a missing object reads as AccessDenied instead of NoSuchKey. */
export const listAuditBucket = (t: PermissionTargets): PolicyStatement => ({
  sid: 'ListAuditBucket',
  actions: ['s3:ListBucket'],
  resources: [t.bucketArn],
});
export const useDataKey = (t: PermissionTargets): PolicyStatement => ({
  sid: 'UseAuditDataKey',
  actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
  resources: [t.dataKeyArn],
});
/** Readers of SSE-KMS objects only decrypt. */
const decryptWithDataKey = (t: PermissionTargets): PolicyStatement => ({
  sid: 'DecryptAuditObjects',
  actions: ['kms:Decrypt'],
  resources: [t.dataKeyArn],
});
export const publishEvents = (t: PermissionTargets): PolicyStatement => ({
  sid: 'PublishAuditEvents',
  actions: ['events:PutEvents'],
  resources: [t.env.arn('events', 'event-bus/default')],
  conditions: { StringEquals: { 'events:source': 'compliance.audit' } },
});
const putEvaluations: PolicyStatement = {
  sid: 'ReportEvaluations',
  // PutEvaluations and GetResourceConfigHistory do not support resource-level permissions.
  actions: ['config:PutEvaluations', 'config:GetResourceConfigHistory'],
  resources: ['*'],
};

/**
 * Security Hub: import into this account's default product (the only resource type
 * BatchImportFindings takes), read and update workflow of findings in this region's hub.
 */
const securityHubStatements = (t: PermissionTargets): PolicyStatement[] => [
  {
    sid: 'ImportFindings',
    actions: ['securityhub:BatchImportFindings'],
    resources: [t.env.arn('securityhub', `product/${t.env.account}/default`)],
  },
  {
    sid: 'ReadAndResolveOwnFindings',
    actions: ['securityhub:GetFindings', 'securityhub:BatchUpdateFindings'],
    resources: [t.env.arn('securityhub', 'hub/default')],
  },
];

export function functionStatements(name: FunctionName, t: PermissionTargets): PolicyStatement[] {
  switch (name) {
    case 'scanner':
      return [
        {
          sid: 'InventoryReadOnly',
          // List/Describe/Get-account APIs below have no resource-level permissions.
          actions: [
            's3:ListAllMyBuckets',
            's3:GetAccountPublicAccessBlock',
            'ec2:DescribeRegions',
            'ec2:DescribeSecurityGroups',
            'ec2:DescribeVolumes',
            'ec2:DescribeVpcs',
            'ec2:DescribeFlowLogs',
            'ec2:GetEbsEncryptionByDefault',
            'iam:ListUsers',
            'iam:GenerateCredentialReport',
            'iam:GetCredentialReport',
            'iam:GetAccountSummary',
            'lambda:ListFunctions',
            'config:DescribeConfigurationRecorders',
            'config:DescribeConfigurationRecorderStatus',
            'cloudtrail:DescribeTrails',
          ],
          resources: ['*'],
        },
        {
          sid: 'InventoryBuckets',
          actions: [
            's3:GetBucketLocation',
            's3:GetBucketPolicy',
            's3:GetBucketPolicyStatus',
            's3:GetBucketAcl',
            's3:GetBucketPublicAccessBlock',
            's3:GetBucketOwnershipControls',
            's3:GetEncryptionConfiguration',
            's3:GetBucketVersioning',
            's3:GetBucketTagging',
            's3:GetBucketLogging',
          ],
          resources: [`arn:${t.env.partition}:s3:::*`],
        },
        {
          sid: 'InventoryUsers',
          actions: [
            'iam:ListAccessKeys',
            'iam:ListMFADevices',
            'iam:GetLoginProfile',
            'iam:ListUserTags',
          ],
          resources: [`arn:${t.env.partition}:iam::${t.env.account}:user/*`],
        },
        {
          sid: 'InventoryFunctions',
          actions: ['lambda:GetFunctionConcurrency', 'lambda:ListTags', 'lambda:GetPolicy'],
          resources: [`arn:${t.env.partition}:lambda:*:${t.env.account}:function:*`],
        },
        {
          sid: 'InventoryIamKmsLists',
          // Account-level and list APIs: no resource-level permissions.
          actions: [
            'iam:GetAccountPasswordPolicy',
            'iam:ListPolicies',
            'iam:ListServerCertificates',
            'access-analyzer:ListAnalyzers',
            'kms:ListKeys',
          ],
          resources: ['*'],
        },
        {
          sid: 'InventoryUserPolicies',
          actions: ['iam:ListAttachedUserPolicies', 'iam:ListUserPolicies'],
          resources: [`arn:${t.env.partition}:iam::${t.env.account}:user/*`],
        },
        {
          // Default versions of the account's own policies and of the AWS managed ones attached.
          sid: 'InventoryPolicyVersions',
          actions: ['iam:GetPolicyVersion'],
          resources: [
            `arn:${t.env.partition}:iam::${t.env.account}:policy/*`,
            `arn:${t.env.partition}:iam::aws:policy/*`,
          ],
        },
        {
          sid: 'InventorySupportRole',
          actions: ['iam:ListEntitiesForPolicy'],
          resources: [`arn:${t.env.partition}:iam::aws:policy/AWSSupportAccess`],
        },
        {
          sid: 'InventoryKeys',
          actions: ['kms:GetKeyRotationStatus', 'kms:GetKeyPolicy'],
          resources: [`arn:${t.env.partition}:kms:*:${t.env.account}:key/*`],
        },
        {
          sid: 'InventoryTrailStatus',
          actions: ['cloudtrail:GetTrailStatus'],
          // Any account: an organization trail, seen from a member, is the management account's.
          resources: [`arn:${t.env.partition}:cloudtrail:*:*:trail/*`],
        },
        {
          sid: 'InventoryTrailSelectors',
          actions: ['cloudtrail:GetEventSelectors'],
          resources: [`arn:${t.env.partition}:cloudtrail:*:${t.env.account}:trail/*`],
        },
        {
          sid: 'InventoryTrailLogGroups',
          actions: ['logs:DescribeMetricFilters'],
          resources: [`arn:${t.env.partition}:logs:*:${t.env.account}:log-group:*`],
        },
        {
          sid: 'InventoryAlarms',
          actions: ['cloudwatch:DescribeAlarms'],
          resources: [`arn:${t.env.partition}:cloudwatch:*:${t.env.account}:alarm:*`],
        },
        {
          sid: 'InventoryAlarmTopics',
          actions: ['sns:ListSubscriptionsByTopic'],
          resources: [`arn:${t.env.partition}:sns:*:${t.env.account}:*`],
        },
        {
          sid: 'InventoryInstancesAndNetwork',
          // These EC2 Describe APIs have no resource-level permissions.
          actions: [
            'ec2:DescribeInstances',
            'ec2:DescribeNetworkAcls',
            'ec2:DescribeSubnets',
            'ec2:DescribeSnapshots',
          ],
          resources: ['*'],
        },
        {
          sid: 'InventorySnapshotPermissions',
          actions: ['ec2:DescribeSnapshotAttribute'],
          // Snapshot ARNs carry no account; the scanner reads only the account's own snapshots.
          resources: [`arn:${t.env.partition}:ec2:*::snapshot/*`],
        },
        {
          sid: 'InventoryDbInstances',
          // Listing every instance is authorized against `db:*` of the account.
          actions: ['rds:DescribeDBInstances'],
          resources: [`arn:${t.env.partition}:rds:*:${t.env.account}:db:*`],
        },
        {
          sid: 'InventoryFileSystems',
          // Describing every file system is authorized against `file-system/*` of the account.
          actions: ['elasticfilesystem:DescribeFileSystems'],
          resources: [`arn:${t.env.partition}:elasticfilesystem:*:${t.env.account}:file-system/*`],
        },
        {
          sid: 'InventoryAccessPointsAndDetectors',
          // No resource-level permissions for these List/Get calls.
          actions: ['s3:ListAccessPoints', 's3:GetAccessPoint', 'guardduty:ListDetectors'],
          resources: ['*'],
        },
        {
          // The account's keys (KMS.3/4/5) and keys named by bucket default encryption
          // (S3.CustomerManagedKey), which may live in another account.
          sid: 'InventoryDescribeKeys',
          actions: ['kms:DescribeKey'],
          resources: [`arn:${t.env.partition}:kms:*:*:key/*`],
        },
        {
          sid: 'InventorySecurityHub',
          actions: ['securityhub:DescribeHub'],
          resources: [`arn:${t.env.partition}:securityhub:*:${t.env.account}:hub/default`],
        },
        {
          sid: 'InventoryGuardDutyDetectors',
          actions: ['guardduty:GetDetector'],
          resources: [`arn:${t.env.partition}:guardduty:*:${t.env.account}:detector/*`],
        },
        readObjects(t, 'latest.json', 'state/*', 'suppressions/*'),
        writeObjects(t, 'findings/*', 'state/*', 'latest.json'),
        abortFindingsUpload(t),
        listAuditBucket(t),
        useDataKey(t),
        publishEvents(t),
      ];
    case 'json-report':
      return [
        // state/*: gone findings and the trend (report.html, changes.json).
        readObjects(t, 'findings/*', 'state/*'),
        writeObjects(t, 'reports/*'),
        listAuditBucket(t),
        useDataKey(t),
      ];
    case 'csv-report':
      return [
        readObjects(t, 'findings/*'),
        writeObjects(t, 'reports/*'),
        listAuditBucket(t),
        useDataKey(t),
      ];
    case 'alert-notifier':
      return [
        // Findings and the scan pointer; the reviewed suppressions, which silence Config alerts.
        readObjects(t, 'findings/*', 'latest.json', 'suppressions/*'),
        listAuditBucket(t),
        decryptWithDataKey(t),
        { sid: 'PublishAlerts', actions: ['sns:Publish'], resources: [t.topicArn] },
        // Publishing to a KMS-encrypted topic needs the publisher to use the topic's key.
        {
          sid: 'EncryptAlerts',
          actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
          resources: [t.messagingKeyArn],
        },
      ];
    case 'findings-export':
      return [
        readObjects(t, 'findings/*'),
        writeObjects(t, 'ocsf/*', 'exports/*'),
        listAuditBucket(t),
        useDataKey(t),
        ...(t.securityHubExport ? securityHubStatements(t) : []),
      ];
    case 'remediation':
      return [
        {
          sid: 'InspectAndFixBuckets',
          actions: [
            's3:GetBucketLocation',
            's3:GetBucketTagging',
            's3:GetEncryptionConfiguration',
            // Log-delivery buckets are never changed: their policy and ACL tell.
            's3:GetBucketPolicy',
            's3:GetBucketAcl',
            's3:PutEncryptionConfiguration',
          ],
          resources: [`arn:${t.env.partition}:s3:::*`],
          // Only the account's own buckets (a member's remediation role: that member's own).
          conditions: { StringEquals: { 's3:ResourceAccount': t.env.account } },
        },
        ...(t.remediationKeyArn
          ? [
              {
                // The remediation key once per run (state, region), and each bucket's current key,
                // judged as the Config rule judges it. Buckets are remediated in this region only.
                sid: 'DescribeKeys',
                actions: ['kms:DescribeKey'],
                resources: [`arn:${t.env.partition}:kms:${t.env.region}:*:key/*`],
              },
            ]
          : []),
        // A scan's findings; the reviewed suppressions, which a Config-triggered run obeys.
        readObjects(t, 'findings/*', 'suppressions/*'),
        writeObjects(t, 'remediation/*'),
        listAuditBucket(t),
        useDataKey(t),
        publishEvents(t),
        ...(t.memberRemediationRoleName
          ? [assumeMemberRoles(t, 'AssumeMemberRemediationRoles', t.memberRemediationRoleName)]
          : []),
      ];
    case 'config-rule-s3-encryption':
      return [
        putEvaluations,
        {
          sid: 'ReadBucketEncryption',
          actions: ['s3:GetEncryptionConfiguration'],
          resources: [`arn:${t.env.partition}:s3:::*`],
        },
        {
          sid: 'DescribeKeys',
          actions: ['kms:DescribeKey'],
          resources: [`arn:${t.env.partition}:kms:*:*:key/*`],
        },
      ];
    case 'config-rule-vpc-flow-logs':
      return [
        putEvaluations,
        // Describe APIs have no resource-level permissions.
        {
          sid: 'ReadFlowLogs',
          actions: ['ec2:DescribeFlowLogs', 'ec2:DescribeVpcs'],
          resources: ['*'],
        },
      ];
    case 'config-rule-lambda-settings':
      return [
        putEvaluations,
        {
          sid: 'ReadFunctionConcurrency',
          actions: ['lambda:GetFunctionConcurrency'],
          resources: [`arn:${t.env.partition}:lambda:${t.env.region}:${t.env.account}:function:*`],
        },
        {
          sid: 'ReadRoleInlinePolicies',
          actions: ['iam:ListRolePolicies'],
          resources: [`arn:${t.env.partition}:iam::${t.env.account}:role/*`],
        },
      ];
  }
}
