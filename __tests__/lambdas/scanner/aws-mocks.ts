/**
 * aws-sdk-client-mock setup shared by the scanner's collector, run-scan and handler tests: every
 * client the scanner uses, with quiet baseline answers (an empty, compliant account) that each
 * test overrides.
 */
import { AccessAnalyzerClient, ListAnalyzersCommand } from '@aws-sdk/client-accessanalyzer';
import { CloudTrailClient, DescribeTrailsCommand } from '@aws-sdk/client-cloudtrail';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import {
  ConfigServiceClient,
  DescribeConfigurationRecordersCommand,
  DescribeConfigurationRecorderStatusCommand,
} from '@aws-sdk/client-config-service';
import {
  DescribeFlowLogsCommand,
  DescribeRegionsCommand,
  DescribeInstancesCommand,
  DescribeNetworkAclsCommand,
  DescribeSecurityGroupsCommand,
  DescribeSnapshotsCommand,
  DescribeSubnetsCommand,
  DescribeVolumesCommand,
  DescribeVpcsCommand,
  EC2Client,
  GetEbsEncryptionByDefaultCommand,
} from '@aws-sdk/client-ec2';
import { DescribeFileSystemsCommand, EFSClient } from '@aws-sdk/client-efs';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import {
  GenerateCredentialReportCommand,
  GetAccountPasswordPolicyCommand,
  GetAccountSummaryCommand,
  GetCredentialReportCommand,
  IAMClient,
  ListAttachedUserPoliciesCommand,
  ListEntitiesForPolicyCommand,
  ListPoliciesCommand,
  ListServerCertificatesCommand,
  ListUserPoliciesCommand,
  ListUsersCommand,
} from '@aws-sdk/client-iam';
import {
  GetDetectorCommand,
  GuardDutyClient,
  ListDetectorsCommand,
} from '@aws-sdk/client-guardduty';
import { KMSClient, ListKeysCommand } from '@aws-sdk/client-kms';
import { GetPolicyCommand, LambdaClient, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { DescribeDBInstancesCommand, RDSClient } from '@aws-sdk/client-rds';
import {
  GetObjectCommand,
  ListBucketsCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { SUPPRESSIONS_KEY } from '../../../lambdas/shared/store';
import {
  GetPublicAccessBlockCommand as GetAccountPublicAccessBlockCommand,
  ListAccessPointsCommand,
  S3ControlClient,
} from '@aws-sdk/client-s3-control';
import { SNSClient } from '@aws-sdk/client-sns';
import { DescribeHubCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { STSClient } from '@aws-sdk/client-sts';
import type { MetadataBearer } from '@smithy/types';
import { mockClient, type AwsCommand, type AwsStub } from 'aws-sdk-client-mock';

export const REPORT_HEADER =
  'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated';
export const ROOT_ROW =
  '<root_account>,arn:aws:iam::123456789012:root,2020-01-01T00:00:00+00:00,not_supported,2026-05-01T10:00:00+00:00,not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A';

export const mocks = {
  s3: mockClient(S3Client),
  s3control: mockClient(S3ControlClient),
  ec2: mockClient(EC2Client),
  iam: mockClient(IAMClient),
  lambda: mockClient(LambdaClient),
  config: mockClient(ConfigServiceClient),
  events: mockClient(EventBridgeClient),
  sts: mockClient(STSClient),
  accessAnalyzer: mockClient(AccessAnalyzerClient),
  kms: mockClient(KMSClient),
  cloudtrail: mockClient(CloudTrailClient),
  logs: mockClient(CloudWatchLogsClient),
  cloudwatch: mockClient(CloudWatchClient),
  sns: mockClient(SNSClient),
  rds: mockClient(RDSClient),
  efs: mockClient(EFSClient),
  securityhub: mockClient(SecurityHubClient),
  guardduty: mockClient(GuardDutyClient),
};

/** An SDK-style service error (the scanner classifies errors by `name`). */
export function awsError(name: string, message = name): Error {
  return Object.assign(new Error(message), { name, $metadata: {} });
}

/** DescribeRegions (AllRegions) of the baseline account: two enabled regions, one opt-in region off. */
export const ENABLED_REGIONS = [
  { RegionName: 'eu-west-1', OptInStatus: 'opt-in-not-required' },
  { RegionName: 'us-east-1', OptInStatus: 'opt-in-not-required' },
  { RegionName: 'af-south-1', OptInStatus: 'not-opted-in' },
];

/** Region of the client a mocked call was sent through. */
export async function clientRegion(getClient: () => unknown): Promise<string> {
  const client = getClient() as { config: { region: () => Promise<string> } };
  return client.config.region();
}

/** Regions where every baseline answer is AccessDenied (an SCP denying the whole region). */
const deniedRegions = new Set<string>();

/** Makes every baseline answer in `region` an AccessDenied, as an SCP denying the region does. */
export function denyRegion(region: string): void {
  deniedRegions.add(region);
}

/**
 * Installs a baseline answer (a value, or a function that returns or throws one) that turns into
 * AccessDenied in a denied region. Collectors of every service register theirs through this.
 */
export function answer<
  TIn extends object,
  TOut extends MetadataBearer,
  TConfig,
  TCmdIn extends TIn,
  TCmdOut extends TOut,
>(
  mock: AwsStub<TIn, TOut, TConfig>,
  command: new (input: TCmdIn) => AwsCommand<TCmdIn, TCmdOut>,
  value: Partial<TCmdOut> | ((input: TCmdIn) => Partial<TCmdOut>),
): void {
  mock.on(command).callsFake(async (input: TCmdIn, getClient: () => unknown) => {
    if (deniedRegions.has(await clientRegion(getClient))) {
      throw awsError('AccessDenied', 'explicit deny in a service control policy');
    }
    return typeof value === 'function' ? value(input) : value;
  });
}

/** The suppressions object the stack uploads when the repo file lists none. */
export const NO_SUPPRESSIONS = JSON.stringify({ source: 'suppressions.yaml', suppressions: [] });

/** Reset every mock and install the baseline: an empty account with every setting compliant. */
export function resetMocks(): void {
  for (const m of Object.values(mocks)) m.reset();
  deniedRegions.clear();
  answer(mocks.s3, ListBucketsCommand, { Buckets: [] });
  answer(mocks.s3, GetObjectCommand, () => {
    throw awsError('NoSuchKey');
  });
  // The stack always uploads the reviewed suppressions (an empty list when there are none).
  mocks.s3
    .on(GetObjectCommand, { Key: SUPPRESSIONS_KEY })
    .resolves({ Body: { transformToString: async () => NO_SUPPRESSIONS } as never });
  answer(mocks.s3, PutObjectCommand, {});
  answer(mocks.s3control, GetAccountPublicAccessBlockCommand, {
    PublicAccessBlockConfiguration: {
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: true,
    },
  });
  answer(mocks.ec2, DescribeRegionsCommand, { Regions: ENABLED_REGIONS });
  answer(mocks.ec2, DescribeSecurityGroupsCommand, { SecurityGroups: [] });
  answer(mocks.ec2, DescribeVolumesCommand, { Volumes: [] });
  answer(mocks.ec2, DescribeVpcsCommand, { Vpcs: [] });
  answer(mocks.ec2, DescribeFlowLogsCommand, { FlowLogs: [] });
  answer(mocks.ec2, GetEbsEncryptionByDefaultCommand, { EbsEncryptionByDefault: true });
  answer(mocks.ec2, DescribeInstancesCommand, { Reservations: [] });
  answer(mocks.ec2, DescribeNetworkAclsCommand, { NetworkAcls: [] });
  answer(mocks.ec2, DescribeSubnetsCommand, { Subnets: [] });
  answer(mocks.ec2, DescribeSnapshotsCommand, { Snapshots: [] });
  answer(mocks.rds, DescribeDBInstancesCommand, { DBInstances: [] });
  answer(mocks.efs, DescribeFileSystemsCommand, { FileSystems: [] });
  answer(mocks.iam, ListUsersCommand, { Users: [] });
  answer(mocks.iam, GenerateCredentialReportCommand, { State: 'COMPLETE' });
  answer(mocks.iam, GetCredentialReportCommand, {
    Content: Buffer.from(`${REPORT_HEADER}\n${ROOT_ROW}\n`),
    ReportFormat: 'text/csv',
  });
  answer(mocks.iam, GetAccountSummaryCommand, {
    SummaryMap: { AccountMFAEnabled: 1, AccountAccessKeysPresent: 0, AccountPasswordPresent: 1 },
  });
  answer(mocks.s3control, ListAccessPointsCommand, { AccessPointList: [] });
  answer(mocks.lambda, ListFunctionsCommand, { Functions: [] });
  answer(mocks.lambda, GetPolicyCommand, () => {
    throw awsError('ResourceNotFoundException');
  });
  answer(mocks.securityhub, DescribeHubCommand, {
    HubArn: 'arn:aws:securityhub:us-east-1:123456789012:hub/default',
  });
  answer(mocks.guardduty, ListDetectorsCommand, { DetectorIds: ['d1'] });
  answer(mocks.guardduty, GetDetectorCommand, { ServiceRole: 'r', Status: 'ENABLED' });
  answer(mocks.config, DescribeConfigurationRecordersCommand, {
    ConfigurationRecorders: [
      {
        name: 'default',
        roleARN:
          'arn:aws:iam::123456789012:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig',
        recordingGroup: { allSupported: true, includeGlobalResourceTypes: true },
      },
    ],
  });
  answer(mocks.iam, GetAccountPasswordPolicyCommand, {
    PasswordPolicy: { MinimumPasswordLength: 14, PasswordReusePrevention: 24 },
  });
  answer(mocks.iam, ListPoliciesCommand, { Policies: [] });
  answer(mocks.iam, ListEntitiesForPolicyCommand, {
    PolicyRoles: [{ RoleName: 'aws-support', RoleId: 'AROA1' }],
  });
  answer(mocks.iam, ListServerCertificatesCommand, { ServerCertificateMetadataList: [] });
  answer(mocks.iam, ListAttachedUserPoliciesCommand, { AttachedPolicies: [] });
  answer(mocks.iam, ListUserPoliciesCommand, { PolicyNames: [] });
  answer(mocks.config, DescribeConfigurationRecorderStatusCommand, {
    ConfigurationRecordersStatus: [{ name: 'default', recording: true, lastStatus: 'Success' }],
  });
  answer(mocks.events, PutEventsCommand, { FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });
  answer(mocks.accessAnalyzer, ListAnalyzersCommand, {
    analyzers: [
      {
        name: 'external',
        arn: 'arn:aws:access-analyzer:us-east-1:123456789012:analyzer/external',
        type: 'ACCOUNT',
        status: 'ACTIVE',
        createdAt: new Date('2025-01-01'),
      },
    ],
  });
  answer(mocks.kms, ListKeysCommand, { Keys: [] });
  // No trail: the monitoring APIs (logs, cloudwatch, sns) are never called.
  answer(mocks.cloudtrail, DescribeTrailsCommand, { trailList: [] });
}

/** Total calls received by every mock (for "nothing was called" assertions). */
export function totalCalls(): number {
  return Object.values(mocks).reduce((n, m) => n + m.calls().length, 0);
}
