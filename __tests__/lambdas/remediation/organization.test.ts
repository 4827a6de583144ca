/**
 * Remediation after an organization scan: by default only the audit account's own buckets are
 * fixed; with ORG_REMEDIATION=members (the stack sets ORG_REMEDIATION_ROLE_NAME …) each member's
 * buckets are fixed through that member's remediation role and with that member's own key.
 * The fake AWS knows whose credentials make each call: a bucket answers only its own account.
 */
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { DescribeKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import {
  GetBucketLocationCommand,
  PutBucketEncryptionCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../../lambdas/remediation/handler';
import type { RemediationRecord } from '../../../lambdas/remediation/run';
import { loadSettings } from '../../../lambdas/remediation/settings';
import { bucketsFromFindings, parseTrigger } from '../../../lambdas/remediation/triggers';
import type { RemediationCompletedDetail } from '../../../lambdas/shared/events';
import { fakeContext } from '../../helpers/lambda-context';
import {
  ACCOUNT,
  FINDINGS_KEY,
  KEY_ARN,
  RULE,
  SCAN_ID,
  awsError,
  configEvent,
  s3Finding,
  s3World,
  scanEvent,
  usableAccount,
  type GetClient,
  publishedDetail,
  putFindings,
  recordsWritten,
} from './fixtures';

const s3 = mockClient(S3Client);
const kms = mockClient(KMSClient);
const events = mockClient(EventBridgeClient);
const sts = mockClient(STSClient);
const context = fakeContext('remediation-test');
const savedEnv = { ...process.env };

const MEMBER = '222222222222';
/** A member whose remediation role is missing (not in the StackSet's targets, or an SCP). */
const NO_ROLE = '333333333333';
const ROLE = 'compliance-audit-remediation-test';
const ALIAS = 'alias/compliance-audit-remediation-test';
const EXTERNAL_ID = 'compliance-audit-test';
const OWN_KEY_ID = 'AKIAOWNACCOUNT';
/** The alias ARN remediation asks for, and the key it names (what buckets get). */
const memberAlias = (account: string) => `arn:aws:kms:us-east-1:${account}:${ALIAS}`;
const memberKey = (account: string) =>
  `arn:aws:kms:us-east-1:${account}:key/0000aaaa-1111-bbbb-2222-${account}`;

/** The account behind the credentials a client was made with. */
async function callerAccount(getClient: GetClient): Promise<string> {
  const { accessKeyId } = (await getClient().config.credentials()) as { accessKeyId: string };
  return accessKeyId === OWN_KEY_ID ? ACCOUNT : accessKeyId.replace(/^ASIA/, '');
}

function memberFinding(bucket: string, account: string) {
  const f = s3Finding(bucket);
  return { ...f, account, uid: `${f.uid}-${account}` };
}

function findingsObject(findings: ReturnType<typeof s3Finding>[]): void {
  putFindings(s3, ...findings);
}

const records = (): RemediationRecord[] => recordsWritten(s3);
const published = (): RemediationCompletedDetail => publishedDetail(events);

/** Accounts whose credentials wrote to the audit bucket. */
let writers: string[] = [];

/** The audit account, one member with the role and key, one member without the role. */
function organization(env: Record<string, string> = {}): void {
  usableAccount({ s3, kms, events }, savedEnv);
  sts.reset();
  writers = [];
  s3.on(PutObjectCommand).callsFake(async (_input, getClient: GetClient) => {
    writers.push(await callerAccount(getClient));
    return {};
  });
  process.env = {
    ...process.env,
    AWS_ACCESS_KEY_ID: OWN_KEY_ID,
    AWS_SECRET_ACCESS_KEY: 'own-secret',
    AWS_REGION: 'us-east-1',
    ORG_REMEDIATION_ROLE_NAME: ROLE,
    ORG_REMEDIATION_KEY_ALIAS: ALIAS,
    ORG_EXTERNAL_ID: EXTERNAL_ID,
    ...env,
  };
  sts.on(AssumeRoleCommand).callsFake(async (input: { RoleArn?: string }) => {
    const account = /^arn:aws:iam::(\d{12}):role\//.exec(input.RoleArn ?? '')?.[1];
    if (account !== MEMBER)
      throw awsError('AccessDenied', `not authorized to assume ${input.RoleArn}`);
    return {
      Credentials: {
        AccessKeyId: `ASIA${account}`,
        SecretAccessKey: 'member-secret',
        SessionToken: 'member-token',
        Expiration: new Date('2026-11-25T07:00:00Z'),
      },
    };
  });
  // A key answers only its own account: the member's alias from the member, ours from us.
  kms.on(DescribeKeyCommand).callsFake(async (input: { KeyId?: string }, getClient) => {
    const caller = await callerAccount(getClient);
    const owner = /^arn:aws:kms:[a-z0-9-]+:(\d{12}):/.exec(input.KeyId ?? '')?.[1];
    if (owner !== caller) throw awsError('AccessDeniedException', 'not authorized');
    // An alias ARN resolves to its key, as KMS answers it.
    const arn = input.KeyId === memberAlias(owner) ? memberKey(owner) : input.KeyId;
    return {
      KeyMetadata: { KeyId: 'k', Arn: arn, KeyManager: 'CUSTOMER', KeyState: 'Enabled' },
    };
  });
  s3World(
    s3,
    {
      'own-bucket': {},
      'member-bucket': { account: MEMBER },
      'member-bucket-2': { account: MEMBER },
      'unreachable-bucket': { account: NO_ROLE },
    },
    callerAccount,
  );
  findingsObject([
    s3Finding('own-bucket'),
    memberFinding('member-bucket', MEMBER),
    memberFinding('unreachable-bucket', NO_ROLE),
    memberFinding('member-bucket-2', MEMBER),
  ]);
}

afterAll(() => {
  process.env = savedEnv;
});

describe('remediation after an organization scan', () => {
  it('keeps only the buckets of the account the event was published in', () => {
    // Arrange
    const member = { ...s3Finding('member-bucket'), account: '222222222222' };
    const findings = [s3Finding('own-bucket'), member];

    // Act
    const trigger = parseTrigger(scanEvent(), [RULE]);

    // Assert
    expect(trigger).toEqual({
      kind: 'scan',
      runId: expect.any(String),
      findingsKey: FINDINGS_KEY,
      account: ACCOUNT,
    });
    expect(bucketsFromFindings(findings, ACCOUNT)).toEqual([
      { account: ACCOUNT, bucket: 'own-bucket', region: 'us-east-1' },
    ]);
    expect(bucketsFromFindings(findings)).toEqual([
      { account: ACCOUNT, bucket: 'own-bucket', region: 'us-east-1' },
      { account: '222222222222', bucket: 'member-bucket', region: 'us-east-1' },
    ]);
  });

  it('leaves member buckets alone without ORG_REMEDIATION=members', async () => {
    // Arrange
    organization({ ORG_REMEDIATION_ROLE_NAME: '' });

    // Act
    await handler(scanEvent(), context);

    // Assert
    expect(records().map((r) => [r.bucket, r.decision])).toEqual([['own-bucket', 'remediated']]);
    expect(sts).not.toHaveReceivedCommand(AssumeRoleCommand);
  });
});

describe('remediation in member accounts (ORG_REMEDIATION=members)', () => {
  it('fixes each account with its own credentials and key, and goes on past a member it cannot reach', async () => {
    // Arrange
    organization();

    // Act
    await handler(scanEvent(), context);

    // Assert: one role session per member, named after the scan, with the external id.
    expect(sts.commandCalls(AssumeRoleCommand).map((c) => c.args[0].input)).toEqual([
      {
        RoleArn: `arn:aws:iam::${MEMBER}:role/${ROLE}`,
        RoleSessionName: `compliance-remediation-${SCAN_ID}`,
        ExternalId: EXTERNAL_ID,
        DurationSeconds: 3600,
      },
      expect.objectContaining({ RoleArn: `arn:aws:iam::${NO_ROLE}:role/${ROLE}` }),
    ]);
    // Each bucket got its own account's key (the fake AWS refuses any other caller).
    const puts = s3
      .commandCalls(PutBucketEncryptionCommand)
      .map((c) => [
        c.args[0].input.Bucket,
        c.args[0].input.ServerSideEncryptionConfiguration?.Rules?.[0]
          ?.ApplyServerSideEncryptionByDefault?.KMSMasterKeyID,
      ]);
    expect(puts).toEqual([
      ['own-bucket', KEY_ARN],
      ['member-bucket', memberKey(MEMBER)],
      ['member-bucket-2', memberKey(MEMBER)],
    ]);
    expect(records().map((r) => [r.account, r.bucket, r.decision, r.kmsKeyArn])).toEqual([
      [ACCOUNT, 'own-bucket', 'remediated', KEY_ARN],
      [MEMBER, 'member-bucket', 'remediated', memberKey(MEMBER)],
      [MEMBER, 'member-bucket-2', 'remediated', memberKey(MEMBER)],
      [NO_ROLE, 'unreachable-bucket', 'failed', memberAlias(NO_ROLE)],
    ]);
    const unreachable = records()[3]!;
    expect(unreachable.reason).toBe(
      `not changed: cannot assume ${ROLE} in ${NO_ROLE}: AccessDenied: not authorized to assume arn:aws:iam::${NO_ROLE}:role/${ROLE}`,
    );
    // The record is written with the audit account's own credentials again.
    expect(writers).toEqual([ACCOUNT]);
    expect(published()).toMatchObject({
      counts: { remediated: 3, failed: 1 },
      decisions: [
        { account: ACCOUNT, bucket: 'own-bucket', decision: 'remediated' },
        { account: MEMBER, bucket: 'member-bucket', decision: 'remediated' },
        { account: MEMBER, bucket: 'member-bucket-2', decision: 'remediated' },
        { account: NO_ROLE, bucket: 'unreachable-bucket', decision: 'failed' },
      ],
    });
  });
});

describe('remediation in member accounts: the same modes and cap', () => {
  it('dry-run reports what it would change in a member and changes nothing', async () => {
    // Arrange
    organization({ REMEDIATION_MODE: 'dry-run' });

    // Act
    await handler(scanEvent(), context);

    // Assert
    expect(s3).not.toHaveReceivedCommand(PutBucketEncryptionCommand);
    expect(records().map((r) => [r.account, r.bucket, r.decision])).toEqual([
      [ACCOUNT, 'own-bucket', 'would-remediate'],
      [MEMBER, 'member-bucket', 'would-remediate'],
      [MEMBER, 'member-bucket-2', 'would-remediate'],
      [NO_ROLE, 'unreachable-bucket', 'failed'],
    ]);
    expect(records()[1]!.reason).toBe(`AES256 -> aws:kms key=${memberKey(MEMBER)} bucketKey=true`);
  });

  it('counts one cap over every account and opens no session once it is reached', async () => {
    // Arrange
    organization({ REMEDIATION_MAX_PER_RUN: '2' });

    // Act
    await handler(scanEvent(), context);

    // Assert
    expect(records().map((r) => [r.account, r.bucket, r.decision, r.kmsKeyArn])).toEqual([
      [ACCOUNT, 'own-bucket', 'remediated', KEY_ARN],
      [MEMBER, 'member-bucket', 'remediated', memberKey(MEMBER)],
      [MEMBER, 'member-bucket-2', 'skipped-cap', memberKey(MEMBER)],
      [NO_ROLE, 'unreachable-bucket', 'skipped-cap', memberAlias(NO_ROLE)],
    ]);
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(1);
  });

  it('off records every account’s buckets and calls nothing', async () => {
    // Arrange
    organization({ REMEDIATION_MODE: 'off' });

    // Act
    await handler(scanEvent(), context);

    // Assert
    expect(records().map((r) => [r.account, r.decision])).toEqual([
      [ACCOUNT, 'skipped-off'],
      [MEMBER, 'skipped-off'],
      [NO_ROLE, 'skipped-off'],
      [MEMBER, 'skipped-off'],
    ]);
    expect(sts).not.toHaveReceivedCommand(AssumeRoleCommand);
    expect(s3).not.toHaveReceivedCommand(PutBucketEncryptionCommand);
  });

  it('a member key that fails its pre-flight check changes none of that member’s buckets', async () => {
    // Arrange: the member's key is disabled; ours is fine.
    organization();
    kms.on(DescribeKeyCommand).callsFake(async (input: { KeyId?: string }) => {
      const member = input.KeyId === memberAlias(MEMBER);
      return {
        KeyMetadata: {
          KeyId: 'k',
          Arn: member ? memberKey(MEMBER) : input.KeyId,
          KeyManager: 'CUSTOMER',
          KeyState: member ? 'Disabled' : 'Enabled',
        },
      };
    });

    // Act
    await handler(scanEvent(), context);

    // Assert
    expect(records().map((r) => [r.bucket, r.decision, r.reason])).toEqual([
      ['own-bucket', 'remediated', expect.any(String)],
      ['member-bucket', 'failed', `remediation key ${memberAlias(MEMBER)} is Disabled`],
      ['member-bucket-2', 'failed', `remediation key ${memberAlias(MEMBER)} is Disabled`],
      ['unreachable-bucket', 'failed', expect.stringContaining('cannot assume')],
    ]);
  });
});

describe('buckets outside the Region, as the scan reported them', () => {
  /** A member finding for a bucket the scan found in `region`. */
  const inRegion = (bucket: string, account: string, region: string) => {
    const f = memberFinding(bucket, account);
    return { ...f, region, resource: { ...f.resource, region } };
  };

  it('are refused without any call, and a member with nothing here gets no session', async () => {
    // Arrange: the member's only failing bucket is in eu-west-1; one of ours too.
    organization();
    findingsObject([
      inRegion('own-eu-bucket', ACCOUNT, 'eu-west-1'),
      s3Finding('own-bucket'),
      inRegion('member-eu-bucket', MEMBER, 'eu-west-1'),
    ]);

    // Act
    await handler(scanEvent(), context);

    // Assert
    expect(sts).not.toHaveReceivedCommand(AssumeRoleCommand);
    const located = s3.commandCalls(GetBucketLocationCommand).map((c) => c.args[0].input.Bucket);
    expect(located).toEqual(['own-bucket']);
    const reason =
      "bucket is in eu-west-1 but the remediation key is in us-east-1; S3 needs a key in the bucket's Region";
    expect(records().map((r) => [r.account, r.bucket, r.decision, r.reason])).toEqual([
      [ACCOUNT, 'own-eu-bucket', 'failed', reason],
      [ACCOUNT, 'own-bucket', 'remediated', expect.any(String)],
      [MEMBER, 'member-eu-bucket', 'failed', reason],
    ]);
  });
});

describe('the management account with ORG_REMEDIATION=members', () => {
  it('is exempt, with no session opened there: no stack gives remediation a role in it', async () => {
    // Arrange: the member without a role is the organization's management account.
    organization({ ORG_MANAGEMENT_ACCOUNT_ID: NO_ROLE });

    // Act
    await handler(scanEvent(), context);

    // Assert
    expect(sts.commandCalls(AssumeRoleCommand).map((c) => c.args[0].input.RoleArn)).toEqual([
      `arn:aws:iam::${MEMBER}:role/${ROLE}`,
    ]);
    const management = records().find((r) => r.account === NO_ROLE)!;
    expect(management).toMatchObject({
      bucket: 'unreachable-bucket',
      decision: 'exempt',
      reason:
        'management account of the organization: ORG_REMEDIATION=members changes member accounts only',
    });
    // No key would ever apply there: not the audit account's either.
    expect(management).not.toHaveProperty('kmsKeyArn');
  });
});

describe('Config-triggered remediation with ORG_REMEDIATION=members', () => {
  it('stays in the audit account: no session in any member', async () => {
    // Arrange
    organization();

    // Act
    await handler(configEvent('own-bucket'), context);

    // Assert
    expect(sts).not.toHaveReceivedCommand(AssumeRoleCommand);
    expect(records().map((r) => [r.account, r.bucket, r.decision, r.kmsKeyArn])).toEqual([
      [ACCOUNT, 'own-bucket', 'remediated', KEY_ARN],
    ]);
  });
});

describe('member remediation settings', () => {
  it('needs the member key alias with the role name, and says which variable', () => {
    // Arrange
    organization({ ORG_REMEDIATION_KEY_ALIAS: '' });
    delete process.env.ORG_REMEDIATION_KEY_ALIAS;

    // Act / Assert
    expect(() => loadSettings()).toThrow(/ORG_REMEDIATION_KEY_ALIAS/);
  });

  it('refuses a key alias that is not alias/…', () => {
    // Arrange
    organization({ ORG_REMEDIATION_KEY_ALIAS: 'compliance-key' });

    // Act / Assert
    expect(() => loadSettings()).toThrow(
      'Environment variable ORG_REMEDIATION_KEY_ALIAS must be a KMS alias name (alias/…), got "compliance-key"',
    );
  });

  it('reads the role, external id and alias', () => {
    // Arrange
    organization();

    // Act / Assert
    expect(loadSettings().members).toEqual({
      roleName: ROLE,
      externalId: EXTERNAL_ID,
      keyAlias: ALIAS,
    });
    process.env.ORG_MANAGEMENT_ACCOUNT_ID = '444444444444';
    expect(loadSettings().members?.managementAccount).toBe('444444444444');
  });
});
