import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { DescribeKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import {
  GetBucketEncryptionCommand,
  GetBucketLocationCommand,
  GetBucketTaggingCommand,
  GetObjectCommand,
  PutBucketEncryptionCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../../lambdas/remediation/handler';
import type { RemediationRecord } from '../../../lambdas/remediation/run';
import {
  MAX_EVENT_DECISIONS,
  type RemediationCompletedDetail,
} from '../../../lambdas/shared/events';
import { MalformedEventError } from '../../../lambdas/shared/observability';
import { fakeContext } from '../../helpers/lambda-context';
import {
  AES256,
  AUDIT_BUCKET,
  EVENT_ID,
  FINDINGS_KEY,
  KEY_ARN,
  RULE,
  SCAN_ID,
  awsError,
  configEvent,
  s3Body,
  s3Finding,
  s3World,
  scanEvent,
  suppressionsObject,
  usableAccount,
  type BucketState,
  publishedDetail,
  putFindings,
  recordsWritten,
} from './fixtures';

const s3 = mockClient(S3Client);
const kms = mockClient(KMSClient);
const events = mockClient(EventBridgeClient);
const context = fakeContext('remediation-test');
const savedEnv = { ...process.env };

const records = (): RemediationRecord[] => recordsWritten(s3);
const published = (): RemediationCompletedDetail => publishedDetail(events);

function decisionsOf(): Array<[string, string]> {
  return published().decisions.map((d) => [d.bucket, d.decision]);
}

function findingsObject(...findings: Array<string | ReturnType<typeof s3Finding>>): void {
  putFindings(s3, ...findings);
}

function world(buckets: Record<string, BucketState>): void {
  s3World(s3, buckets);
}

beforeEach(() => usableAccount({ s3, kms, events }, savedEnv));

afterAll(() => {
  process.env = savedEnv;
});

describe('Config trigger', () => {
  it('enforces SSE-KMS with the bucket key, records the decision and publishes the result', async () => {
    // Arrange
    world({ 'orders-data': {} });

    // Act
    const result = await handler(configEvent('orders-data'), context);

    // Assert
    expect(s3).toHaveReceivedCommandWith(GetBucketLocationCommand, { Bucket: 'orders-data' });
    expect(s3).toHaveReceivedCommandTimes(PutBucketEncryptionCommand, 1);
    expect(s3).toHaveReceivedCommandWith(PutBucketEncryptionCommand, {
      Bucket: 'orders-data',
      ServerSideEncryptionConfiguration: {
        Rules: [
          {
            ApplyServerSideEncryptionByDefault: {
              SSEAlgorithm: 'aws:kms',
              KMSMasterKeyID: KEY_ARN,
            },
            BucketKeyEnabled: true,
          },
        ],
      },
    });
    expect(kms).toHaveReceivedCommandWith(DescribeKeyCommand, { KeyId: KEY_ARN });
    const put = s3.commandCalls(PutObjectCommand)[0].args[0].input;
    expect(put.Bucket).toBe(AUDIT_BUCKET);
    // One record per attempt: the run id, then the attempt's time.
    expect(put.Key).toMatch(
      new RegExp(`^remediation/dt=\\d{4}-\\d{2}-\\d{2}/${EVENT_ID}-\\d{8}T\\d{9}Z\\.jsonl$`),
    );
    expect(records()).toEqual([
      expect.objectContaining({
        runId: EVENT_ID,
        mode: 'enforce',
        trigger: 'config',
        configRuleName: RULE,
        kmsKeyArn: KEY_ARN,
        bucket: 'orders-data',
        decision: 'remediated',
        region: 'us-east-1',
        previous: 'AES256',
      }),
    ]);
    expect(published()).toEqual({
      runId: EVENT_ID,
      mode: 'enforce',
      recordKey: put.Key,
      counts: {
        remediated: 1,
        'would-remediate': 0,
        failed: 0,
        'already-compliant': 0,
        exempt: 0,
        'skipped-cap': 0,
        'skipped-off': 0,
        'skipped-log-delivery': 0,
      },
      decisions: [
        {
          bucket: 'orders-data',
          decision: 'remediated',
          reason: `AES256 -> aws:kms key=${KEY_ARN} bucketKey=true`,
        },
      ],
    });
    expect(result).toMatchObject({ runId: EVENT_ID, recordKey: put.Key });
  });

  it('uses a client in the bucket Region for the bucket calls', async () => {
    // Arrange
    const euKey = 'arn:aws:kms:eu-west-1:123456789012:key/eu-key';
    process.env.REMEDIATION_KMS_KEY_ARN = euKey;
    world({ 'eu-data': { region: 'eu-west-1' } });

    // Act
    await handler(configEvent('eu-data'), context);

    // Assert
    const put = s3.commandCalls(PutBucketEncryptionCommand)[0];
    expect(await (put.thisValue as S3Client).config.region()).toBe('eu-west-1');
    expect(put.args[0].input.ServerSideEncryptionConfiguration?.Rules?.[0]).toEqual({
      ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: euKey },
      BucketKeyEnabled: true,
    });
  });

  it('dry-run reads but never writes the bucket', async () => {
    // Arrange
    process.env.REMEDIATION_MODE = 'dry-run';
    world({ 'orders-data': {} });

    // Act
    await handler(configEvent('orders-data'), context);

    // Assert
    expect(s3).toHaveReceivedCommand(GetBucketEncryptionCommand);
    expect(s3).not.toHaveReceivedCommand(PutBucketEncryptionCommand);
    expect(records()[0]).toMatchObject({ mode: 'dry-run', decision: 'would-remediate' });
    expect(published()).toMatchObject({
      mode: 'dry-run',
      decisions: [{ decision: 'would-remediate' }],
    });
  });

  it('off makes no S3 bucket call and no KMS call, but still records and publishes', async () => {
    // Arrange
    process.env.REMEDIATION_MODE = 'off';
    world({ 'orders-data': {} });

    // Act
    await handler(configEvent('orders-data'), context);

    // Assert
    expect(s3).not.toHaveReceivedCommand(GetBucketLocationCommand);
    expect(s3).not.toHaveReceivedCommand(GetBucketTaggingCommand);
    expect(s3).not.toHaveReceivedCommand(GetBucketEncryptionCommand);
    expect(s3).not.toHaveReceivedCommand(PutBucketEncryptionCommand);
    expect(kms).not.toHaveReceivedCommand(DescribeKeyCommand);
    expect(records()).toEqual([
      expect.objectContaining({ bucket: 'orders-data', decision: 'skipped-off' }),
    ]);
    expect(decisionsOf()).toEqual([['orders-data', 'skipped-off']]);
  });

  it('skips a bucket tagged ComplianceExempt=true without reading its encryption', async () => {
    // Arrange
    world({ legacy: { tags: [{ Key: 'ComplianceExempt', Value: 'true' }] } });

    // Act
    await handler(configEvent('legacy'), context);

    // Assert
    expect(s3).not.toHaveReceivedCommand(GetBucketEncryptionCommand);
    expect(s3).not.toHaveReceivedCommand(PutBucketEncryptionCommand);
    expect(records()[0]).toMatchObject({ decision: 'exempt', reason: 'tag ComplianceExempt=true' });
  });

  it('leaves a bucket a reviewed suppression covers, and fixes one it does not cover', async () => {
    // Arrange
    world({ 'legacy-exports': {}, 'orders-data': {} });
    suppressionsObject(s3, [
      {
        id: 'legacy-exports-sse-s3',
        checks: ['S3.CustomerManagedKey'],
        resource: 'arn:aws:s3:::legacy-*',
        regions: ['us-east-1'],
        reason: 'Read by a partner account without KMS access until the migration',
        owner: 'data-platform@example.com',
        expires: '2099-01-01',
      },
    ]);

    // Act
    await handler(configEvent('legacy-exports'), context);
    const suppressed = records()[0];
    s3.resetHistory();
    await handler(configEvent('orders-data'), context);

    // Assert
    expect(suppressed).toMatchObject({
      bucket: 'legacy-exports',
      decision: 'exempt',
      reason:
        'suppressed by legacy-exports-sse-s3 (owner data-platform@example.com, until 2099-01-01): Read by a partner account without KMS access until the migration',
    });
    expect(records()[0]).toMatchObject({ bucket: 'orders-data', decision: 'remediated' });
    expect(s3).toHaveReceivedCommandTimes(PutBucketEncryptionCommand, 1);
    expect(s3).toHaveReceivedCommandWith(PutBucketEncryptionCommand, { Bucket: 'orders-data' });
  });

  it('fixes a bucket whose suppression has expired', async () => {
    // Arrange
    world({ 'legacy-exports': {} });
    suppressionsObject(s3, [
      {
        id: 'legacy-exports-sse-s3',
        checks: ['S3.CustomerManagedKey'],
        resource: 'arn:aws:s3:::legacy-exports',
        reason: 'Migration',
        owner: 'data-platform@example.com',
        expires: '2020-01-01',
      },
    ]);

    // Act
    await handler(configEvent('legacy-exports'), context);

    // Assert
    expect(records()[0]).toMatchObject({ decision: 'remediated' });
  });

  it.each([
    ['missing', () => s3.on(GetObjectCommand).rejects(awsError('NoSuchKey')), 'does not exist'],
    [
      'unreadable',
      () => s3.on(GetObjectCommand).rejects(awsError('AccessDenied')),
      'could not be read (AccessDenied',
    ],
    [
      'invalid',
      () => s3.on(GetObjectCommand).resolves({ Body: s3Body('{"suppressions": "all"}') }),
      'is not a valid suppressions object',
    ],
  ])(
    'changes nothing while the suppressions object is %s: whether the bucket is suppressed is unknown',
    async (_case, arrange, why) => {
      // Arrange
      world({ 'orders-data': {} });
      arrange();

      // Act
      await handler(configEvent('orders-data'), context);

      // Assert
      expect(s3).not.toHaveReceivedCommand(PutBucketEncryptionCommand);
      expect(records()[0]).toMatchObject({ bucket: 'orders-data', decision: 'failed' });
      expect(records()[0]!.reason).toContain(`the reviewed suppressions object ${why}`);
    },
  );

  it('treats NoSuchTagSet as no tags and a ComplianceExempt=false tag as not exempt', async () => {
    // Arrange
    world({ 'no-tags': {} });

    // Act
    await handler(configEvent('no-tags'), context);
    world({ 'false-tag': { tags: [{ Key: 'ComplianceExempt', Value: 'false' }] } });
    await handler(configEvent('false-tag'), context);

    // Assert
    expect(s3).toHaveReceivedCommandTimes(PutBucketEncryptionCommand, 2);
  });

  it('is idempotent: a second run finds the bucket compliant and makes no Put call', async () => {
    // Arrange
    world({ 'orders-data': {} });

    // Act
    await handler(configEvent('orders-data'), context);
    s3.resetHistory();
    events.resetHistory();
    await handler(configEvent('orders-data'), context);

    // Assert
    expect(s3).not.toHaveReceivedCommand(PutBucketEncryptionCommand);
    expect(records()[0]).toMatchObject({
      decision: 'already-compliant',
      previous: `aws:kms key=${KEY_ARN} bucketKey=true`,
    });
  });

  it('treats DSSE-KMS with a customer key as already compliant', async () => {
    // Arrange
    world({
      dsse: {
        rule: {
          ApplyServerSideEncryptionByDefault: {
            SSEAlgorithm: 'aws:kms:dsse',
            KMSMasterKeyID: KEY_ARN,
          },
        },
      },
    });

    // Act
    await handler(configEvent('dsse'), context);

    // Assert
    expect(s3).not.toHaveReceivedCommand(PutBucketEncryptionCommand);
    expect(decisionsOf()).toEqual([['dsse', 'already-compliant']]);
  });

  it('leaves a bucket the Config rule calls compliant, even without the bucket key', async () => {
    // Arrange: an enabled customer-managed key of the owner's (DescribeKey mocked as such)
    world({
      ownkey: {
        rule: {
          ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: KEY_ARN },
          BucketKeyEnabled: false,
        },
      },
    });

    // Act
    await handler(configEvent('ownkey'), context);

    // Assert
    expect(kms).toHaveReceivedCommandWith(DescribeKeyCommand, { KeyId: KEY_ARN });
    expect(s3).not.toHaveReceivedCommand(PutBucketEncryptionCommand);
    expect(records()[0]).toMatchObject({ bucket: 'ownkey', decision: 'already-compliant' });
  });

  it.each([
    [
      'does not exist',
      { rejects: Object.assign(new Error('gone'), { name: 'NotFoundException' }) },
    ],
    ['is disabled', { resolves: { KeyManager: 'CUSTOMER', KeyState: 'Disabled' } as const }],
    ['is AWS managed', { resolves: { KeyManager: 'AWS', KeyState: 'Enabled' } as const }],
  ])('fixes a bucket whose KMS key %s, as the Config rule would flag it', async (_, answer) => {
    // Arrange
    const bad = 'arn:aws:kms:us-east-1:123456789012:key/0000aaaa-0000-bbbb-0000-cccc0000dddd';
    world({
      badkey: {
        rule: {
          ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: bad },
          BucketKeyEnabled: true,
        },
      },
    });
    const onBad = kms.on(DescribeKeyCommand, { KeyId: bad });
    if ('rejects' in answer) onBad.rejects(answer.rejects);
    else onBad.resolves({ KeyMetadata: { KeyId: 'b', Arn: bad, ...answer.resolves } });

    // Act
    await handler(configEvent('badkey'), context);

    // Assert
    expect(s3).toHaveReceivedCommandWith(PutBucketEncryptionCommand, {
      Bucket: 'badkey',
      ServerSideEncryptionConfiguration: {
        Rules: [
          {
            ApplyServerSideEncryptionByDefault: {
              SSEAlgorithm: 'aws:kms',
              KMSMasterKeyID: KEY_ARN,
            },
            BucketKeyEnabled: true,
          },
        ],
      },
    });
  });

  it('refuses a bucket in another Region than the key (S3 would accept it and break writes)', async () => {
    // Arrange
    world({ 'tokyo-data': { region: 'ap-northeast-1' } });

    // Act
    await handler(configEvent('tokyo-data'), context);

    // Assert
    expect(s3).not.toHaveReceivedCommand(PutBucketEncryptionCommand);
    expect(records()[0]).toMatchObject({
      decision: 'failed',
      reason: expect.stringContaining(
        'bucket is in ap-northeast-1 but the remediation key is in us-east-1',
      ),
    });
  });

  it.each([
    [
      'AWS managed',
      { KeyMetadata: { KeyId: 'k', KeyManager: 'AWS' as const, KeyState: 'Enabled' as const } },
      'is not customer-managed',
    ],
    [
      'disabled',
      {
        KeyMetadata: { KeyId: 'k', KeyManager: 'CUSTOMER' as const, KeyState: 'Disabled' as const },
      },
      'is Disabled',
    ],
  ])('never applies a remediation key that is %s', async (_name, answer, reason) => {
    // Arrange
    kms.on(DescribeKeyCommand).resolves(answer);
    world({ 'orders-data': {} });

    // Act
    await handler(configEvent('orders-data'), context);

    // Assert
    expect(s3).not.toHaveReceivedCommand(PutBucketEncryptionCommand);
    expect(records()[0]).toMatchObject({
      decision: 'failed',
      reason: expect.stringContaining(reason),
    });
  });

  it('records a failed key check when DescribeKey is denied', async () => {
    // Arrange
    kms.on(DescribeKeyCommand).rejects(awsError('AccessDeniedException', 'not allowed'));
    world({ 'orders-data': {} });

    // Act
    await handler(configEvent('orders-data'), context);

    // Assert
    expect(s3).not.toHaveReceivedCommand(PutBucketEncryptionCommand);
    expect(records()[0].reason).toContain('cannot be verified: AccessDeniedException: not allowed');
  });

  it.each([
    ['another rule', configEvent('b', { ruleName: 's3-bucket-versioning-enabled' })],
    ['a COMPLIANT result', configEvent('b', { complianceType: 'COMPLIANT' })],
    ['a non-bucket resource', configEvent('b', { resourceType: 'AWS::EC2::Volume' })],
  ])('logs and ignores %s, writing nothing', async (_name, event) => {
    // Act
    const result = await handler(event, context);

    // Assert
    expect(result).toHaveProperty('ignored');
    expect(s3).not.toHaveReceivedAnyCommand();
    expect(events).not.toHaveReceivedCommand(PutEventsCommand);
  });
});

describe('scan trigger (bulk)', () => {
  it('remediates S3.CustomerManagedKey failures up to the cap and records the rest as skipped-cap', async () => {
    // Arrange
    process.env.REMEDIATION_MAX_PER_RUN = '2';
    findingsObject(
      'b1',
      s3Finding('passing', { status: 'PASS' }),
      s3Finding('versioning-only', { checkId: 'S3.14', controlIds: ['S3.14'] }),
      s3Finding('aws-managed-key', { checkId: 'S3.17', controlIds: ['S3.17'] }),
      'b2',
      'b1',
      AUDIT_BUCKET,
      'b3',
      'b4',
    );
    world({ b1: {}, b2: {}, b3: {}, b4: {}, [AUDIT_BUCKET]: {} });

    // Act
    await handler(scanEvent(), context);

    // Assert
    expect(s3).toHaveReceivedCommandWith(GetObjectCommand, {
      Bucket: AUDIT_BUCKET,
      Key: FINDINGS_KEY,
    });
    expect(decisionsOf()).toEqual([
      ['b1', 'remediated'],
      ['b2', 'remediated'],
      [AUDIT_BUCKET, 'exempt'],
      ['b3', 'skipped-cap'],
      ['b4', 'skipped-cap'],
    ]);
    expect(s3).toHaveReceivedCommandTimes(PutBucketEncryptionCommand, 2);
    expect(s3).toHaveReceivedCommandTimes(GetBucketLocationCommand, 2);
    const put = s3.commandCalls(PutObjectCommand)[0].args[0].input;
    expect(put.Key).toMatch(new RegExp(`/${SCAN_ID}-\\d{8}T\\d{9}Z\\.jsonl$`));
    expect(records().map((r) => [r.runId, r.trigger, r.decision])).toEqual([
      [SCAN_ID, 'scan', 'remediated'],
      [SCAN_ID, 'scan', 'remediated'],
      [SCAN_ID, 'scan', 'exempt'],
      [SCAN_ID, 'scan', 'skipped-cap'],
      [SCAN_ID, 'scan', 'skipped-cap'],
    ]);
  });

  it('counts would-remediate against the cap in dry-run', async () => {
    // Arrange
    process.env.REMEDIATION_MODE = 'dry-run';
    process.env.REMEDIATION_MAX_PER_RUN = '1';
    findingsObject('b1', 'b2');
    world({ b1: {}, b2: {} });

    // Act
    await handler(scanEvent(), context);

    // Assert
    expect(decisionsOf()).toEqual([
      ['b1', 'would-remediate'],
      ['b2', 'skipped-cap'],
    ]);
  });

  it('records AccessDenied on one bucket as failed and goes on with the rest', async () => {
    // Arrange
    process.env.REMEDIATION_MAX_PER_RUN = '1';
    findingsObject('locked', 'open', 'gone');
    world({ locked: { putError: 'AccessDenied' }, open: {} });

    // Act
    await handler(scanEvent(), context);

    // Assert
    expect(decisionsOf()).toEqual([
      ['locked', 'failed'],
      ['open', 'remediated'],
      ['gone', 'skipped-cap'],
    ]);
    expect(records()[0]).toMatchObject({
      bucket: 'locked',
      error: 'AccessDenied',
      reason: 'AccessDenied: Access Denied',
      previous: 'AES256',
    });
  });

  it('writes and publishes nothing when the scan has no S3.CustomerManagedKey failure', async () => {
    // Arrange
    findingsObject(s3Finding('fine', { status: 'PASS' }));

    // Act
    const result = await handler(scanEvent(), context);

    // Assert
    expect(result).toMatchObject({ decisions: [] });
    expect(s3).not.toHaveReceivedCommand(PutObjectCommand);
    expect(events).not.toHaveReceivedCommand(PutEventsCommand);
  });

  it('does not publish when the record cannot be written', async () => {
    // Arrange
    findingsObject('b1');
    world({ b1: { rule: AES256 } });
    s3.on(PutObjectCommand).rejects(awsError('AccessDenied', 'record denied'));

    // Act / Assert
    await expect(handler(scanEvent(), context)).rejects.toThrow('record denied');
    expect(events).not.toHaveReceivedCommand(PutEventsCommand);
  });
});

describe('malformed events and settings', () => {
  it.each([
    [
      'a Config detail without resourceId',
      { ...configEvent('b'), detail: { ...configEvent('b').detail, resourceId: undefined } },
    ],
    ['a Config event without id', { ...configEvent('b'), id: undefined }],
    ['a scan detail without findingsKey', scanEvent({ findingsKey: undefined })],
    ['an unknown detail-type', { ...scanEvent(), 'detail-type': 'Something Else' }],
    ['not an EventBridge event', { hello: 'world' }],
  ])('rejects %s and writes nothing', async (_name, event) => {
    // Act / Assert
    await expect(handler(event, context)).rejects.toThrow(MalformedEventError);
    expect(s3).not.toHaveReceivedAnyCommand();
    expect(events).not.toHaveReceivedCommand(PutEventsCommand);
  });

  it('fails fast on an unknown mode or a missing key', async () => {
    // Arrange
    process.env.REMEDIATION_MODE = 'yolo';

    // Act / Assert
    await expect(handler(configEvent('b'), context)).rejects.toThrow(
      'Environment variable REMEDIATION_MODE must be one of off, dry-run, enforce, got "yolo"',
    );
    process.env.REMEDIATION_MODE = 'enforce';
    delete process.env.REMEDIATION_KMS_KEY_ARN;
    await expect(handler(configEvent('b'), context)).rejects.toThrow(
      'Environment variable REMEDIATION_KMS_KEY_ARN is required when REMEDIATION_MODE is enforce',
    );
    expect(s3).not.toHaveReceivedAnyCommand();
  });
});

describe('event size', () => {
  it('caps the decisions in the event, notable first, while counts and the record cover all', async () => {
    // Arrange
    process.env.REMEDIATION_MODE = 'off';
    const names = Array.from({ length: MAX_EVENT_DECISIONS + 20 }, (_, i) => `bulk-${i}`);
    findingsObject(...names);
    world(Object.fromEntries(names.map((n) => [n, {}])));

    // Act
    await handler(scanEvent(), context);

    // Assert
    const detail = published();
    expect(detail.decisions).toHaveLength(MAX_EVENT_DECISIONS);
    expect(detail.counts['skipped-off']).toBe(names.length);
    expect(records()).toHaveLength(names.length);
  });
});
