import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { PublishCommand, SNSClient, type PublishCommandInput } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../../lambdas/alert-notifier/handler';
import { attributeBytes } from '../../../lambdas/alert-notifier/message';
import {
  REMEDIATION_DECISIONS,
  type ConfigComplianceChangeDetail,
  type RemediationCompletedDetail,
} from '../../../lambdas/shared/events';
import type { Finding } from '../../../lambdas/shared/findings';
import { logger, MalformedEventError, metrics } from '../../../lambdas/shared/observability';
import {
  findingsKey,
  LATEST_KEY,
  reportKey,
  SUPPRESSIONS_KEY,
  type ScanPointer,
} from '../../../lambdas/shared/store';
import type { SuppressionEntry } from '../../../lambdas/shared/suppressions';
import { fakeContext } from '../../helpers/lambda-context';
import {
  ACCOUNT,
  BUCKET,
  eventOf,
  finding,
  jsonl,
  noSuchKey,
  s3Body,
  SCAN_ID,
  scanCompletedEvent,
  scanDetail,
  STARTED_AT,
} from '../json-report/fixtures';

const s3 = mockClient(S3Client);
const sns = mockClient(SNSClient);
const ctx = fakeContext('alert-notifier-test');
const TOPIC_ARN = `arn:aws:sns:us-east-1:${ACCOUNT}:compliance-alerts-test`;
const PREV_ID = 'scan-2026-11-25T00-00-00Z';
const PREV_KEY = findingsKey(PREV_ID, '2026-11-25T00:00:00.000Z');
const REPORT_URI = `s3://${BUCKET}/${reportKey(SCAN_ID, STARTED_AT, 'json')}`;
const detail = scanDetail();
const ENV_VARS = [
  'ALERT_TOPIC_ARN',
  'ALERT_MIN_SEVERITY',
  'AUDIT_BUCKET',
  'ENVIRONMENT_SUFFIX',
  'CONFIG_RULE_CONTROLS',
];
const savedEnv = Object.fromEntries(ENV_VARS.map((k) => [k, process.env[k]]));

const bucket = (name: string, overrides: Parameters<typeof finding>[0] = {}): Finding =>
  finding({ ...overrides, resource: { uid: `arn:aws:s3:::${name}`, name } });

function pointer(overrides: Partial<ScanPointer> = {}): ScanPointer {
  return {
    scanId: SCAN_ID,
    startedAt: STARTED_AT,
    finishedAt: detail.finishedAt,
    findingsKey: detail.findingsKey,
    counts: detail.counts,
    previous: { scanId: PREV_ID, findingsKey: PREV_KEY },
    ...overrides,
  };
}

/** Stubs the three objects the notifier reads; `undefined` means NoSuchKey. */
function givenObjects(objects: {
  current?: Finding[];
  latest?: ScanPointer;
  previous?: Finding[];
}) {
  const stub = (key: string, text: string | undefined) =>
    text === undefined
      ? s3.on(GetObjectCommand, { Key: key }).rejects(noSuchKey())
      : s3.on(GetObjectCommand, { Key: key }).resolves({ Body: s3Body(text) });
  stub(detail.findingsKey, objects.current && jsonl(objects.current));
  stub(LATEST_KEY, objects.latest && JSON.stringify(objects.latest));
  stub(PREV_KEY, objects.previous && jsonl(objects.previous));
}

function published(): PublishCommandInput[] {
  return sns.commandCalls(PublishCommand).map((c) => c.args[0].input);
}

beforeEach(() => {
  s3.reset();
  sns.reset();
  sns.on(PublishCommand).resolves({ MessageId: 'msg-1' });
  process.env.ALERT_TOPIC_ARN = TOPIC_ARN;
  process.env.AUDIT_BUCKET = BUCKET;
  process.env.ENVIRONMENT_SUFFIX = 'test';
  delete process.env.ALERT_MIN_SEVERITY;
  delete process.env.CONFIG_RULE_CONTROLS;
  jest.spyOn(logger, 'info').mockImplementation(() => undefined);
  jest.spyOn(logger, 'warn').mockImplementation(() => undefined);
  jest.spyOn(logger, 'error').mockImplementation(() => undefined);
  jest.spyOn(metrics, 'addMetric').mockReturnThis();
  jest.spyOn(metrics, 'publishStoredMetrics').mockReturnThis();
});

afterEach(() => jest.restoreAllMocks());

afterAll(() => {
  for (const [k, v] of Object.entries(savedEnv)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

describe('alert-notifier: Compliance Scan Completed', () => {
  it('publishes one message comparing this scan with the previous one', async () => {
    // Arrange
    givenObjects({
      current: [
        bucket('still-open'),
        bucket('new', { severity: 'critical' }),
        bucket('ok', { status: 'PASS' }),
      ],
      latest: pointer(),
      previous: [bucket('still-open'), bucket('fixed')],
    });

    // Act
    const outcome = await handler(scanCompletedEvent(detail), ctx);

    // Assert
    expect(outcome).toEqual({ eventType: 'scan-completed', published: true, messageId: 'msg-1' });
    expect(s3).toHaveReceivedCommandWith(GetObjectCommand, {
      Bucket: BUCKET,
      Key: detail.findingsKey,
    });
    expect(s3).toHaveReceivedCommandWith(GetObjectCommand, { Bucket: BUCKET, Key: LATEST_KEY });
    expect(s3).toHaveReceivedCommandWith(GetObjectCommand, { Bucket: BUCKET, Key: PREV_KEY });
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
    expect(sns).toHaveReceivedCommandWith(PublishCommand, {
      TopicArn: TOPIC_ARN,
      Subject:
        '[test] Compliance scan: 1 new, 1 still open high+ findings, 1 resolved (highest critical)',
      MessageAttributes: {
        severity: { DataType: 'String', StringValue: 'critical' },
        eventType: { DataType: 'String', StringValue: 'scan-completed' },
        newFindings: { DataType: 'Number', StringValue: '1' },
        environment: { DataType: 'String', StringValue: 'test' },
      },
    });
    const message = published()[0].Message as string;
    expect(message).toContain(`Compared with previous scan: ${PREV_ID}`);
    expect(message).toContain('[CRITICAL] NEW');
    expect(message).toContain('[HIGH] STILL OPEN');
    expect(message).toContain('Resolved since previous scan: 1');
    expect(message).toContain(`Full report: ${REPORT_URI}`);
    expect(metrics.addMetric).toHaveBeenCalledWith('AlertsPublished', 'Count', 1);
  });

  it('treats every finding as new when latest.json points at another scan', async () => {
    // Arrange
    givenObjects({
      current: [bucket('a'), bucket('b')],
      latest: pointer({ scanId: 'scan-newer' }),
    });

    // Act
    await handler(scanCompletedEvent(detail), ctx);

    // Assert
    expect(s3).not.toHaveReceivedCommandWith(GetObjectCommand, { Key: PREV_KEY });
    expect(published()[0].MessageAttributes?.newFindings).toEqual({
      DataType: 'Number',
      StringValue: '2',
    });
    expect(published()[0].Message).toContain('none found, so every finding counts as new');
  });

  it('treats every finding as new when there is no latest.json or no previous scan in it', async () => {
    // Arrange
    givenObjects({ current: [bucket('a')] });

    // Act
    await handler(scanCompletedEvent(detail), ctx);
    givenObjects({ current: [bucket('a')], latest: pointer({ previous: undefined }) });
    await handler(scanCompletedEvent(detail), ctx);

    // Assert
    expect(published()).toHaveLength(2);
    for (const input of published()) {
      expect(input.MessageAttributes?.newFindings?.StringValue).toBe('1');
    }
  });

  it('warns and treats every finding as new when the previous findings object is gone', async () => {
    // Arrange
    givenObjects({ current: [bucket('a')], latest: pointer() });

    // Act
    await handler(scanCompletedEvent(detail), ctx);

    // Assert
    expect(logger.warn).toHaveBeenCalledWith(
      'Previous scan findings are missing; every finding counts as new',
      expect.objectContaining({ previousScanId: PREV_ID, findingsKey: PREV_KEY }),
    );
    expect(published()[0].MessageAttributes?.newFindings?.StringValue).toBe('1');
  });

  it('publishes nothing, and logs why, when nothing is at or above the threshold', async () => {
    // Arrange
    givenObjects({
      current: [
        bucket('low', { severity: 'low' }),
        bucket('ok', { status: 'PASS', severity: 'critical' }),
      ],
      latest: pointer(),
      previous: [bucket('fixed')],
    });

    // Act
    const outcome = await handler(scanCompletedEvent(detail), ctx);

    // Assert
    expect(outcome).toMatchObject({
      published: false,
      reason:
        'no failed finding at or above high, nothing new, no check errored and no suppression expired',
    });
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 0);
    expect(logger.info).toHaveBeenCalledWith(
      'No alert published',
      expect.objectContaining({ eventType: 'scan-completed', threshold: 'high', resolved: 1 }),
    );
    expect(metrics.addMetric).not.toHaveBeenCalled();
  });

  it('uses ALERT_MIN_SEVERITY as the threshold', async () => {
    // Arrange
    process.env.ALERT_MIN_SEVERITY = 'LOW';
    givenObjects({
      current: [bucket('low', { severity: 'low' }), bucket('info', { severity: 'informational' })],
    });

    // Act
    await handler(scanCompletedEvent(detail), ctx);

    // Assert
    const [input] = published();
    expect(input.MessageAttributes?.severity?.StringValue).toBe('low');
    expect(input.MessageAttributes?.newFindings?.StringValue).toBe('1');
    expect(input.Message).toContain('[LOW] NEW');
    expect(input.Message).not.toContain('[INFORMATIONAL]');
  });

  it('rejects an unknown ALERT_MIN_SEVERITY before reading or publishing anything', async () => {
    // Arrange
    process.env.ALERT_MIN_SEVERITY = 'urgent';
    givenObjects({ current: [bucket('a')] });

    // Act / Assert
    await expect(handler(scanCompletedEvent(detail), ctx)).rejects.toThrow(
      'Environment variable ALERT_MIN_SEVERITY must be one of critical|high|medium|low|informational, got "urgent"',
    );
    expect(s3.calls()).toHaveLength(0);
    expect(sns.calls()).toHaveLength(0);
  });

  it('throws when the findings object is missing and publishes nothing', async () => {
    // Arrange
    givenObjects({ latest: pointer(), previous: [bucket('a')] });

    // Act / Assert
    await expect(handler(scanCompletedEvent(detail), ctx)).rejects.toThrow(
      `Findings object s3://${BUCKET}/${detail.findingsKey} does not exist`,
    );
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 0);
  });

  it('keeps a huge scan within the SNS size limit and points at the report', async () => {
    // Arrange
    const many = Array.from({ length: 3000 }, (_, i) =>
      bucket(`bucket-${i}`, { statusDetail: `Bucket ${i}: ${'€'.repeat(120)}` }),
    );
    givenObjects({ current: many });

    // Act
    await handler(scanCompletedEvent(detail), ctx);

    // Assert
    const [input] = published();
    const message = input.Message as string;
    const bytes =
      Buffer.byteLength(message, 'utf8') + attributeBytes(input.MessageAttributes ?? {});
    expect(Buffer.byteLength(jsonl(many))).toBeGreaterThan(262_144);
    expect(bytes).toBeLessThanOrEqual(262_144);
    expect(message).toContain(`Full report: ${REPORT_URI}`);
    expect(message).toMatch(/Showing the top \d+ of 3000 findings/);
    expect(input.MessageAttributes?.newFindings?.StringValue).toBe('3000');
  });
});

describe('alert-notifier: Config Rules Compliance Change', () => {
  const configDetail = (type: string, extra: object = {}): ConfigComplianceChangeDetail =>
    ({
      resourceId: 'my-bucket',
      resourceType: 'AWS::S3::Bucket',
      awsRegion: 'eu-west-1',
      awsAccountId: ACCOUNT,
      configRuleName: 's3-bucket-sse-kms-test',
      configRuleARN: `arn:aws:config:eu-west-1:${ACCOUNT}:config-rule/config-rule-abc`,
      newEvaluationResult: {
        complianceType: type,
        annotation: 'Default encryption is SSE-S3, not SSE-KMS.',
        resultRecordedTime: '2026-11-25T07:00:00.000Z',
      },
      messageType: 'ComplianceChangeNotification',
      ...extra,
    }) as ConfigComplianceChangeDetail;

  it('publishes one message naming rule, resource, region, account and annotation', async () => {
    // Act
    const outcome = await handler(
      eventOf('aws.config', 'Config Rules Compliance Change', configDetail('NON_COMPLIANT')),
      ctx,
    );

    // Assert
    expect(outcome).toMatchObject({ eventType: 'config-noncompliant', published: true });
    expect(s3.calls()).toHaveLength(0);
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
    expect(sns).toHaveReceivedCommandWith(PublishCommand, {
      TopicArn: TOPIC_ARN,
      Subject: '[test] Config NON_COMPLIANT: s3-bucket-sse-kms-test - my-bucket',
      MessageAttributes: {
        severity: { DataType: 'String', StringValue: 'high' },
        eventType: { DataType: 'String', StringValue: 'config-noncompliant' },
        newFindings: { DataType: 'Number', StringValue: '1' },
        environment: { DataType: 'String', StringValue: 'test' },
      },
    });
    const message = published()[0].Message as string;
    expect(message).toContain('Rule: s3-bucket-sse-kms-test (arn:aws:config:eu-west-1:');
    expect(message).toContain('Resource: AWS::S3::Bucket my-bucket');
    expect(message).toContain('Region: eu-west-1');
    expect(message).toContain(`Account: ${ACCOUNT}`);
    expect(message).toContain('Annotation: Default encryption is SSE-S3, not SSE-KMS.');
  });

  it('keeps a hostile resource id out of the subject line', async () => {
    // Arrange
    const d = configDetail('NON_COMPLIANT', {
      resourceId: `evil\r\nBcc: x@example.com ${'y'.repeat(200)}`,
    });

    // Act
    await handler(eventOf('aws.config', 'Config Rules Compliance Change', d), ctx);

    // Assert
    const subject = published()[0].Subject as string;
    expect(subject).toMatch(/^[\x20-\x7e]+$/);
    expect(subject.length).toBeLessThanOrEqual(100);
    expect(subject).toContain('evil Bcc: x@example.com');
  });

  it.each(['COMPLIANT', 'NOT_APPLICABLE', 'INSUFFICIENT_DATA'])(
    'publishes nothing for %s, and logs why',
    async (type) => {
      // Act
      const outcome = await handler(
        eventOf('aws.config', 'Config Rules Compliance Change', configDetail(type)),
        ctx,
      );

      // Assert
      expect(outcome).toMatchObject({
        published: false,
        reason: `compliance type is ${type}, not NON_COMPLIANT`,
      });
      expect(sns.calls()).toHaveLength(0);
      expect(logger.info).toHaveBeenCalledWith(
        'No alert published',
        expect.objectContaining({
          eventType: 'config-noncompliant',
          rule: 's3-bucket-sse-kms-test',
        }),
      );
    },
  );
});

describe('alert-notifier: Config alerts and the reviewed suppressions', () => {
  const RULE = 'compliance-lambda-settings-test';
  const FUNCTION_ARN = `arn:aws:lambda:eu-west-1:${ACCOUNT}:function:orders-api`;
  const lambdaDetail = (over: Partial<ConfigComplianceChangeDetail> = {}) =>
    ({
      resourceId: 'orders-api',
      resourceType: 'AWS::Lambda::Function',
      awsRegion: 'eu-west-1',
      awsAccountId: ACCOUNT,
      configRuleName: RULE,
      newEvaluationResult: {
        complianceType: 'NON_COMPLIANT',
        annotation: 'no reserved concurrency',
      },
      ...over,
    }) as ConfigComplianceChangeDetail;
  const entry = (checks: string[], expires = '2099-01-01'): SuppressionEntry => ({
    id: `orders-api-${checks.join('-').toLowerCase().replace(/\./g, '')}`,
    checks,
    resource: FUNCTION_ARN,
    reason: 'Bursty by design; reviewed',
    owner: 'payments@example.com',
    expires,
  });
  const givenSuppressions = (entries: SuppressionEntry[]) =>
    s3.on(GetObjectCommand, { Key: SUPPRESSIONS_KEY }).resolves({
      Body: s3Body(JSON.stringify({ source: 'suppressions.yaml', suppressions: entries })),
    });
  const send = (d: ConfigComplianceChangeDetail) =>
    handler(eventOf('aws.config', 'Config Rules Compliance Change', d), ctx);

  beforeEach(() => {
    process.env.CONFIG_RULE_CONTROLS = JSON.stringify({
      [RULE]: { 'AWS::Lambda::Function': ['Lambda.ReservedConcurrency', 'Lambda.7'] },
    });
  });

  it('sends nothing when every control the rule judges is suppressed for the resource', async () => {
    // Arrange
    givenSuppressions([entry(['Lambda.ReservedConcurrency', 'Lambda.7'])]);

    // Act
    const outcome = await send(lambdaDetail());

    // Assert
    expect(outcome).toEqual({
      eventType: 'config-noncompliant',
      published: false,
      reason:
        'suppressed by orders-api-lambdareservedconcurrency-lambda7 (owner payments@example.com, until 2099-01-01)',
    });
    expect(sns.calls()).toHaveLength(0);
    expect(s3).toHaveReceivedCommandWith(GetObjectCommand, {
      Bucket: BUCKET,
      Key: SUPPRESSIONS_KEY,
    });
  });

  it.each([
    ['only one of its controls is suppressed', [entry(['Lambda.7'])]],
    [
      'the suppression has expired',
      [entry(['Lambda.ReservedConcurrency', 'Lambda.7'], '2020-01-01')],
    ],
    [
      'the suppression names another resource',
      [{ ...entry(['Lambda.ReservedConcurrency', 'Lambda.7']), resource: `${FUNCTION_ARN}-v2` }],
    ],
  ])('alerts when %s', async (_case, entries) => {
    // Arrange
    givenSuppressions(entries);

    // Act
    const outcome = await send(lambdaDetail());

    // Assert
    expect(outcome).toMatchObject({ published: true });
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
  });

  it('alerts when the suppressions object cannot be read: an unreadable object silences nothing', async () => {
    // Arrange
    s3.on(GetObjectCommand, { Key: SUPPRESSIONS_KEY }).rejects(
      Object.assign(new Error('denied'), { name: 'AccessDenied', $metadata: {} }),
    );

    // Act
    const outcome = await send(lambdaDetail());

    // Assert
    expect(outcome).toMatchObject({ published: true });
    expect(logger.warn).toHaveBeenCalledWith(
      'Suppressions unreadable: the Config alert goes out',
      expect.objectContaining({ problem: expect.stringContaining('AccessDenied') }),
    );
  });

  it('matches S3 buckets, security groups, volumes and VPCs by the ARN the scanner gives them', async () => {
    // Arrange
    process.env.CONFIG_RULE_CONTROLS = JSON.stringify({
      'rule-s3': { 'AWS::S3::Bucket': ['S3.5'] },
      'rule-sg': { 'AWS::EC2::SecurityGroup': ['EC2.19'] },
      'rule-vpc': { 'AWS::EC2::VPC': ['EC2.6'] },
    });
    givenSuppressions([
      { ...entry(['S3.5']), id: 'b', resource: 'arn:aws:s3:::legacy-*' },
      {
        ...entry(['EC2.19']),
        id: 'sg',
        resource: `arn:aws:ec2:eu-west-1:${ACCOUNT}:security-group/sg-0123`,
      },
      {
        ...entry(['EC2.6']),
        id: 'v',
        resource: `arn:aws:ec2:*:${ACCOUNT}:vpc/*`,
        regions: ['us-east-1'],
      },
    ]);
    const detail = (configRuleName: string, resourceType: string, resourceId: string) =>
      lambdaDetail({ configRuleName, resourceType, resourceId });

    // Act
    const outcomes = [
      await send(detail('rule-s3', 'AWS::S3::Bucket', 'legacy-exports')),
      await send(detail('rule-sg', 'AWS::EC2::SecurityGroup', 'sg-0123')),
      await send(detail('rule-vpc', 'AWS::EC2::VPC', 'vpc-0abc')),
    ];

    // Assert: the VPC entry is for us-east-1 only, and this event is from eu-west-1
    expect(outcomes.map((o) => o.published)).toEqual([false, false, true]);
  });

  it('alerts without reading the suppressions for a rule with no controls or an IAM user (Config names it by id)', async () => {
    // Arrange
    process.env.CONFIG_RULE_CONTROLS = JSON.stringify({
      'rule-iam': { 'AWS::S3::Bucket': ['S3.5'] },
    });

    // Act
    await send(lambdaDetail({ configRuleName: 'other-rule' }));
    await send(
      lambdaDetail({
        configRuleName: 'rule-iam',
        resourceType: 'AWS::IAM::User',
        resourceId: 'AIDAEXAMPLE',
      }),
    );

    // Assert
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 2);
    expect(s3.calls()).toHaveLength(0);
  });

  it('rejects a malformed CONFIG_RULE_CONTROLS, naming the variable and the form', async () => {
    // Arrange
    process.env.CONFIG_RULE_CONTROLS = '{"rule": ["S3.5"]}';

    // Act
    const sending = send(lambdaDetail());

    // Assert
    await expect(sending).rejects.toThrow(
      /CONFIG_RULE_CONTROLS must be a JSON object \{"<rule>": \{"<resource type>": \["<check id>", …\]\}\}/,
    );
    expect(sns.calls()).toHaveLength(0);
  });
});

describe('alert-notifier: Compliance Remediation Completed', () => {
  const remediation = (
    decisions: RemediationCompletedDetail['decisions'],
  ): RemediationCompletedDetail => ({
    runId: 'run-42',
    mode: 'enforce',
    recordKey: 'remediation/dt=2026-11-25/run-42.jsonl',
    counts: Object.fromEntries(
      REMEDIATION_DECISIONS.map((k) => [k, decisions.filter((d) => d.decision === k).length]),
    ) as RemediationCompletedDetail['counts'],
    decisions,
  });

  it('summarises the decisions in one message, failures first', async () => {
    // Arrange
    const d = remediation([
      { bucket: 'fixed-1', decision: 'remediated', reason: 'SSE-KMS set' },
      { bucket: 'ok-1', decision: 'already-compliant', reason: 'SSE-KMS already' },
      { bucket: 'broken', decision: 'failed', reason: 'AccessDenied' },
      { bucket: 'later', decision: 'skipped-cap', reason: 'cap of 1 reached' },
    ]);

    // Act
    const outcome = await handler(
      eventOf('compliance.audit', 'Compliance Remediation Completed', d),
      ctx,
    );

    // Assert
    expect(outcome).toMatchObject({ eventType: 'remediation', published: true });
    expect(sns).toHaveReceivedCommandWith(PublishCommand, {
      TopicArn: TOPIC_ARN,
      Subject: '[test] S3 encryption remediation (enforce): 1 failed, 1 remediated',
      MessageAttributes: {
        severity: { DataType: 'String', StringValue: 'high' },
        eventType: { DataType: 'String', StringValue: 'remediation' },
        newFindings: { DataType: 'Number', StringValue: '0' },
        environment: { DataType: 'String', StringValue: 'test' },
      },
    });
    const message = published()[0].Message as string;
    expect(message.indexOf('[failed] broken: AccessDenied')).toBeLessThan(
      message.indexOf('[remediated] fixed-1: SSE-KMS set'),
    );
    expect(message).toContain(`s3://${BUCKET}/remediation/dt=2026-11-25/run-42.jsonl`);
    expect(message).toContain(
      'Decisions: 1 remediated, 1 failed, 1 already-compliant, 1 skipped-cap',
    );
    expect(message).not.toContain('[already-compliant]');
  });

  it('labels a dry run that found work as medium', async () => {
    // Arrange
    const d = {
      ...remediation([{ bucket: 'b', decision: 'would-remediate', reason: 'SSE-S3' }]),
      mode: 'dry-run',
    };

    // Act
    await handler(eventOf('compliance.audit', 'Compliance Remediation Completed', d), ctx);

    // Assert
    expect(published()[0].MessageAttributes?.severity?.StringValue).toBe('medium');
    expect(published()[0].Subject).toBe(
      '[test] S3 encryption remediation (dry-run): 1 would-remediate',
    );
  });

  it('publishes nothing when no bucket was remediated, would be, or failed', async () => {
    // Arrange
    const d = remediation([
      { bucket: 'a', decision: 'already-compliant', reason: '' },
      { bucket: 'b', decision: 'exempt', reason: 'tagged' },
    ]);

    // Act
    const outcome = await handler(
      eventOf('compliance.audit', 'Compliance Remediation Completed', d),
      ctx,
    );

    // Assert
    expect(outcome).toMatchObject({ published: false });
    expect(sns.calls()).toHaveLength(0);
    expect(logger.info).toHaveBeenCalledWith(
      'No alert published',
      expect.objectContaining({ eventType: 'remediation', runId: 'run-42' }),
    );
  });
});

describe('alert-notifier: malformed events', () => {
  it.each([
    ['no envelope', { detail: {} }],
    ['an unknown detail-type', eventOf('compliance.audit', 'Compliance Scan Request', {})],
    [
      'Config detail-type from the wrong source',
      eventOf('compliance.audit', 'Config Rules Compliance Change', {}),
    ],
    ['a scan detail without findingsKey', scanCompletedEvent({ ...detail, findingsKey: '' })],
    [
      'a Config detail without newEvaluationResult',
      eventOf('aws.config', 'Config Rules Compliance Change', { resourceId: 'x' }),
    ],
    [
      'an unknown remediation decision',
      eventOf('compliance.audit', 'Compliance Remediation Completed', {
        runId: 'r',
        mode: 'enforce',
        recordKey: 'k',
        decisions: [{ bucket: 'b', decision: 'nuked', reason: '' }],
      }),
    ],
  ])('rejects %s: MalformedEventError, nothing read or published', async (_what, event) => {
    // Act / Assert
    await expect(handler(event as never, ctx)).rejects.toBeInstanceOf(MalformedEventError);
    expect(s3.calls()).toHaveLength(0);
    expect(sns.calls()).toHaveLength(0);
    expect(logger.error).toHaveBeenCalledWith('Rejected malformed event', expect.anything());
  });
});
