/** Events, findings and a small stateful S3 world for the remediation tests. */
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { DescribeKeyCommand } from '@aws-sdk/client-kms';
import {
  GetObjectCommand,
  PutObjectCommand,
  GetBucketAclCommand,
  GetBucketEncryptionCommand,
  GetBucketLocationCommand,
  GetBucketPolicyCommand,
  GetBucketTaggingCommand,
  PutBucketEncryptionCommand,
  type BucketLocationConstraint,
  type GetObjectCommandOutput,
  type Grant,
  type ServerSideEncryptionRule,
  type Tag,
} from '@aws-sdk/client-s3';
import type { AwsStub } from 'aws-sdk-client-mock';
import type { RemediationRecord } from '../../../lambdas/remediation/run';
import type { RemediationCompletedDetail } from '../../../lambdas/shared/events';
import { findingUid, type Finding } from '../../../lambdas/shared/findings';
import { SUPPRESSIONS_KEY } from '../../../lambdas/shared/store';
import type { SuppressionEntry } from '../../../lambdas/shared/suppressions';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a client mock of any client
type AnyStub = AwsStub<any, any, any>;

export const ACCOUNT = '123456789012';
export const AUDIT_BUCKET = 'compliance-audit-test-123456789012';
export const KEY_ARN =
  'arn:aws:kms:us-east-1:123456789012:key/1111aaaa-2222-bbbb-3333-cccc4444dddd';
export const RULE = 'config-rule-s3-encryption-test';
export const EVENT_ID = '7bf73129-1428-4cd3-a780-95db273d1602';
export const SCAN_ID = 'scan-2026-11-25T06-00-00Z';
export const FINDINGS_KEY = `findings/dt=2026-11-25/${SCAN_ID}.jsonl`;

export const ENV = {
  REMEDIATION_MODE: 'enforce',
  REMEDIATION_MAX_PER_RUN: '10',
  REMEDIATION_KMS_KEY_ARN: KEY_ARN,
  REMEDIATION_RULE_NAMES: `${RULE}, other-encryption-rule`,
  EXEMPT_TAG_KEY: 'ComplianceExempt',
  AUDIT_BUCKET,
  EVENT_BUS_NAME: 'default',
};

export function configEvent(
  bucket: string,
  over: { ruleName?: string; complianceType?: string; resourceType?: string } = {},
) {
  return {
    version: '0',
    id: EVENT_ID,
    'detail-type': 'Config Rules Compliance Change',
    source: 'aws.config',
    account: ACCOUNT,
    time: '2026-11-25T10:00:00Z',
    region: 'us-east-1',
    resources: [],
    detail: {
      resourceId: bucket,
      awsRegion: 'us-east-1',
      awsAccountId: ACCOUNT,
      configRuleName: over.ruleName ?? RULE,
      recordVersion: '1.0',
      configRuleARN: `arn:aws:config:us-east-1:${ACCOUNT}:config-rule/config-rule-abc`,
      messageType: 'ComplianceChangeNotification',
      newEvaluationResult: {
        evaluationResultIdentifier: {},
        complianceType: over.complianceType ?? 'NON_COMPLIANT',
        resultRecordedTime: '2026-11-25T09:59:58.000Z',
        annotation: 'Bucket default encryption is AES256',
      },
      notificationCreationTime: '2026-11-25T10:00:00.000Z',
      resourceType: over.resourceType ?? 'AWS::S3::Bucket',
    },
  };
}

export function scanEvent(detail: Record<string, unknown> = {}) {
  return {
    version: '0',
    id: 'scan-event-id',
    'detail-type': 'Compliance Scan Completed',
    source: 'compliance.audit',
    account: ACCOUNT,
    time: '2026-11-25T06:03:10Z',
    region: 'us-east-1',
    resources: [],
    detail: {
      scanId: SCAN_ID,
      startedAt: '2026-11-25T06:00:00.000Z',
      finishedAt: '2026-11-25T06:03:10.000Z',
      findingsKey: FINDINGS_KEY,
      counts: { critical: 0, high: 3, medium: 0, low: 0, informational: 0, passed: 1, errors: 0 },
      ...detail,
    },
  };
}

export function s3Finding(
  bucket: string,
  over: Partial<Pick<Finding, 'status' | 'controlIds' | 'checkId'>> = {},
): Finding {
  const uid = `arn:aws:s3:::${bucket}`;
  const checkId = over.checkId ?? 'S3.CustomerManagedKey';
  return {
    uid: findingUid(checkId, ACCOUNT, 'us-east-1', uid),
    checkId,
    controlIds: over.controlIds ?? [],
    title: 'S3 buckets are encrypted by default with a customer-managed KMS key',
    severity: 'medium',
    status: over.status ?? 'FAIL',
    statusDetail: `Bucket ${bucket} default encryption is AES256.`,
    resource: { uid, type: 'AWS::S3::Bucket', region: 'us-east-1', name: bucket },
    account: ACCOUNT,
    region: 'us-east-1',
    remediation: { desc: 'Use SSE-KMS.', references: [] },
    scanId: SCAN_ID,
    observedAt: '2026-11-25T06:01:00.000Z',
  };
}

export function s3Body(text: string): GetObjectCommandOutput['Body'] {
  return { transformToString: async () => text } as unknown as GetObjectCommandOutput['Body'];
}

export function awsError(name: string, message = name): Error {
  return Object.assign(new Error(message), { name, $metadata: {} });
}

export interface BucketState {
  /** The owner; only its callers may use the bucket (others get AccessDenied). @default ACCOUNT */
  account?: string;
  region?: string;
  tags?: Tag[];
  /** Current default encryption rule; undefined = SSE-S3 (AES256). */
  rule?: ServerSideEncryptionRule;
  /** Error name thrown by PutBucketEncryption. */
  putError?: string;
  /** Bucket policy document; undefined = no policy (NoSuchBucketPolicy). */
  policy?: object;
  /** ACL grants besides the owner's. */
  grants?: Grant[];
  /** Error name thrown by GetBucketPolicy. */
  policyError?: string;
}

export const AES256: ServerSideEncryptionRule = {
  ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' },
  BucketKeyEnabled: false,
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the client a mock was called on
export type GetClient = () => any;
/** The account whose credentials made a call (only worlds of several accounts need it). */
export type CallerAccount = (getClient: GetClient) => Promise<string>;

/**
 * Answers S3 bucket calls from `buckets`; PutBucketEncryption updates the state. With
 * `callerAccount`, a bucket answers only callers of its own account, as S3 answers a caller
 * without access.
 */
export function s3World(
  s3: AnyStub,
  buckets: Record<string, BucketState>,
  callerAccount: CallerAccount = async () => ACCOUNT,
): void {
  const state = async (name: string | undefined, getClient: GetClient): Promise<BucketState> => {
    const b = buckets[name ?? ''];
    if (!b) throw awsError('NoSuchBucket', `The specified bucket ${name} does not exist`);
    if ((b.account ?? ACCOUNT) !== (await callerAccount(getClient))) {
      throw awsError('AccessDenied', 'Access Denied');
    }
    return b;
  };
  s3.on(GetBucketLocationCommand).callsFake(async (input: { Bucket?: string }, getClient) => {
    const region = (await state(input.Bucket, getClient)).region ?? 'us-east-1';
    return {
      LocationConstraint: region === 'us-east-1' ? undefined : (region as BucketLocationConstraint),
    };
  });
  s3.on(GetBucketTaggingCommand).callsFake(async (input: { Bucket?: string }, getClient) => {
    const tags = (await state(input.Bucket, getClient)).tags;
    if (!tags) throw awsError('NoSuchTagSet', 'The TagSet does not exist');
    return { TagSet: tags };
  });
  s3.on(GetBucketEncryptionCommand).callsFake(async (input: { Bucket?: string }, getClient) => ({
    ServerSideEncryptionConfiguration: {
      Rules: [(await state(input.Bucket, getClient)).rule ?? AES256],
    },
  }));
  s3.on(GetBucketPolicyCommand).callsFake(async (input: { Bucket?: string }, getClient) => {
    const b = await state(input.Bucket, getClient);
    if (b.policyError) throw awsError(b.policyError, 'Access Denied');
    if (!b.policy) throw awsError('NoSuchBucketPolicy', 'The bucket policy does not exist');
    return { Policy: JSON.stringify(b.policy) };
  });
  s3.on(GetBucketAclCommand).callsFake(async (input: { Bucket?: string }, getClient) => ({
    Owner: { ID: 'owner-canonical-id' },
    Grants: [
      { Grantee: { Type: 'CanonicalUser', ID: 'owner-canonical-id' }, Permission: 'FULL_CONTROL' },
      ...((await state(input.Bucket, getClient)).grants ?? []),
    ],
  }));
  s3.on(PutBucketEncryptionCommand).callsFake(
    async (
      input: {
        Bucket?: string;
        ServerSideEncryptionConfiguration?: { Rules?: ServerSideEncryptionRule[] };
      },
      getClient,
    ) => {
      const b = await state(input.Bucket, getClient);
      if (b.putError) throw awsError(b.putError, 'Access Denied');
      b.rule = input.ServerSideEncryptionConfiguration?.Rules?.[0];
      return {};
    },
  );
}

/** The audit bucket's reviewed suppressions object, as the stack uploads it. */
export function suppressionsObject(
  s3: AnyStub,
  suppressions: readonly SuppressionEntry[] = [],
): void {
  s3.on(GetObjectCommand, { Bucket: AUDIT_BUCKET, Key: SUPPRESSIONS_KEY }).resolves({
    Body: s3Body(JSON.stringify({ source: 'suppressions.yaml', suppressions })),
  });
}

/**
 * Every test's starting point: mocks reset, the remediation environment, and an account whose
 * audit bucket accepts records, holds no suppressions, whose remediation key is a usable customer
 * key and whose event bus accepts events.
 */
export function usableAccount(
  mocks: { s3: AnyStub; kms: AnyStub; events: AnyStub },
  savedEnv: NodeJS.ProcessEnv,
): void {
  const { s3, kms, events } = mocks;
  s3.reset();
  kms.reset();
  events.reset();
  process.env = { ...savedEnv, ...ENV };
  s3.on(PutObjectCommand).resolves({});
  suppressionsObject(s3);
  // Every key asked for is a usable customer key (KMS answers with the ARN of the key asked for).
  kms.on(DescribeKeyCommand).callsFake(async (input: { KeyId?: string }) => ({
    KeyMetadata: { KeyId: 'k', Arn: input.KeyId, KeyManager: 'CUSTOMER', KeyState: 'Enabled' },
  }));
  events.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });
}

/** The scan's findings object: a bucket name stands for its failing S3.CustomerManagedKey finding. */
export function putFindings(s3: AnyStub, ...findings: Array<string | Finding>): void {
  const lines = findings.map((f) => JSON.stringify(typeof f === 'string' ? s3Finding(f) : f));
  s3.on(GetObjectCommand, { Bucket: AUDIT_BUCKET, Key: FINDINGS_KEY }).resolves({
    Body: s3Body(`${lines.join('\n')}\n`),
  });
}

/** The run's JSONL record: exactly one object written to the audit bucket. */
export function recordsWritten(s3: AnyStub): RemediationRecord[] {
  const puts = s3.commandCalls(PutObjectCommand);
  expect(puts).toHaveLength(1);
  return String(puts[0]!.args[0].input.Body)
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as RemediationRecord);
}

/** The run's one Compliance Remediation Completed event, on the default bus. */
export function publishedDetail(events: AnyStub): RemediationCompletedDetail {
  const calls = events.commandCalls(PutEventsCommand);
  expect(calls).toHaveLength(1);
  const entry = calls[0]!.args[0].input.Entries![0];
  expect(entry).toMatchObject({
    Source: 'compliance.audit',
    DetailType: 'Compliance Remediation Completed',
    EventBusName: 'default',
  });
  return JSON.parse(entry.Detail!) as RemediationCompletedDetail;
}
