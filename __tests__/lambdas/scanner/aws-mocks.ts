/**
 * aws-sdk-client-mock setup shared by the scanner's collector, run-scan and handler tests: every
 * client the scanner uses, with quiet baseline answers (an empty, compliant account) that each
 * test overrides.
 */
import {
  ConfigServiceClient,
  DescribeConfigurationRecordersCommand,
  DescribeConfigurationRecorderStatusCommand,
} from '@aws-sdk/client-config-service';
import {
  DescribeFlowLogsCommand,
  DescribeSecurityGroupsCommand,
  DescribeVolumesCommand,
  DescribeVpcsCommand,
  EC2Client,
  GetEbsEncryptionByDefaultCommand,
} from '@aws-sdk/client-ec2';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import {
  GenerateCredentialReportCommand,
  GetAccountSummaryCommand,
  GetCredentialReportCommand,
  IAMClient,
  ListUsersCommand,
} from '@aws-sdk/client-iam';
import { LambdaClient, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import {
  GetObjectCommand,
  ListBucketsCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { SUPPRESSIONS_KEY } from '../../../lambdas/shared/store';
import {
  GetPublicAccessBlockCommand as GetAccountPublicAccessBlockCommand,
  S3ControlClient,
} from '@aws-sdk/client-s3-control';
import { STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';

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
};

/** An SDK-style service error (the scanner classifies errors by `name`). */
export function awsError(name: string, message = name): Error {
  return Object.assign(new Error(message), { name, $metadata: {} });
}

/** Region of the client a mocked call was sent through. */
export async function clientRegion(getClient: () => unknown): Promise<string> {
  const client = getClient() as { config: { region: () => Promise<string> } };
  return client.config.region();
}

/** The suppressions object the stack uploads when the repo file lists none. */
export const NO_SUPPRESSIONS = JSON.stringify({ source: 'suppressions.yaml', suppressions: [] });

/** Reset every mock and install the baseline: an empty account with every setting compliant. */
export function resetMocks(): void {
  for (const m of Object.values(mocks)) m.reset();
  mocks.s3.on(ListBucketsCommand).resolves({ Buckets: [] });
  mocks.s3.on(GetObjectCommand).rejects(awsError('NoSuchKey'));
  // The stack always uploads the reviewed suppressions (an empty list when there are none).
  mocks.s3
    .on(GetObjectCommand, { Key: SUPPRESSIONS_KEY })
    .resolves({ Body: { transformToString: async () => NO_SUPPRESSIONS } as never });
  mocks.s3.on(PutObjectCommand).resolves({});
  mocks.s3control.on(GetAccountPublicAccessBlockCommand).resolves({
    PublicAccessBlockConfiguration: {
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: true,
    },
  });
  mocks.ec2.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [] });
  mocks.ec2.on(DescribeVolumesCommand).resolves({ Volumes: [] });
  mocks.ec2.on(DescribeVpcsCommand).resolves({ Vpcs: [] });
  mocks.ec2.on(DescribeFlowLogsCommand).resolves({ FlowLogs: [] });
  mocks.ec2.on(GetEbsEncryptionByDefaultCommand).resolves({ EbsEncryptionByDefault: true });
  mocks.iam.on(ListUsersCommand).resolves({ Users: [] });
  mocks.iam.on(GenerateCredentialReportCommand).resolves({ State: 'COMPLETE' });
  mocks.iam.on(GetCredentialReportCommand).resolves({
    Content: Buffer.from(`${REPORT_HEADER}\n${ROOT_ROW}\n`),
    ReportFormat: 'text/csv',
  });
  mocks.iam.on(GetAccountSummaryCommand).resolves({
    SummaryMap: { AccountMFAEnabled: 1, AccountAccessKeysPresent: 0, AccountPasswordPresent: 1 },
  });
  mocks.lambda.on(ListFunctionsCommand).resolves({ Functions: [] });
  mocks.config.on(DescribeConfigurationRecordersCommand).resolves({
    ConfigurationRecorders: [{ name: 'default', recordingGroup: { allSupported: true } }],
  });
  mocks.config.on(DescribeConfigurationRecorderStatusCommand).resolves({
    ConfigurationRecordersStatus: [{ name: 'default', recording: true, lastStatus: 'Success' }],
  });
  mocks.events
    .on(PutEventsCommand)
    .resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });
}

/** Total calls received by every mock (for "nothing was called" assertions). */
export function totalCalls(): number {
  return Object.values(mocks).reduce((n, m) => n + m.calls().length, 0);
}
