import {
  ConfigServiceClient,
  GetResourceConfigHistoryCommand,
  PutEvaluationsCommand,
} from '@aws-sdk/client-config-service';
import { mockClient } from 'aws-sdk-client-mock';
import {
  runConfigRule,
  truncateAnnotation,
  type ConfigItem,
  type ConfigRule,
  type RuleResult,
} from '../../../lambdas/shared/config-rule';
import { MalformedEventError } from '../../../lambdas/shared/observability';
import {
  CAPTURE_TIME,
  NOTIFICATION_TIME,
  RESULT_TOKEN,
  changeEvent,
  oversizedEvent,
  scheduledEvent,
} from './config-rule-fixtures';

const config = mockClient(ConfigServiceClient);

type Params = { threshold: string };

/** A rule that records what it was given and answers from `verdict`. */
function fakeRule(overrides: Partial<ConfigRule<Params, object>> = {}) {
  const seen: ConfigItem[] = [];
  let verdict: RuleResult = { complianceType: 'COMPLIANT', annotation: 'fine' };
  const rule: ConfigRule<Params, object> = {
    name: 'fake',
    resourceTypes: ['AWS::S3::Bucket'],
    parseParameters: (raw) => {
      if (raw.threshold === 'bad') throw new MalformedEventError('Rule parameter threshold is bad');
      return { threshold: raw.threshold ?? 'default' };
    },
    clients: () => ({}),
    evaluate: async (item) => {
      seen.push(item);
      return verdict;
    },
    ...overrides,
  };
  return {
    rule,
    seen,
    answer: (r: RuleResult) => {
      verdict = r;
    },
  };
}

const bucketItem = { resourceType: 'AWS::S3::Bucket', resourceId: 'data-bucket' };

beforeEach(() => {
  config.reset();
  config.on(PutEvaluationsCommand).resolves({ FailedEvaluations: [] });
});

describe('change notifications', () => {
  it('evaluates the item and sends one evaluation with the capture time and ResultToken', async () => {
    // Arrange
    const { rule, seen, answer } = fakeRule();
    answer({ complianceType: 'NON_COMPLIANT', annotation: 'Bucket data-bucket is AES256.' });
    const event = changeEvent({
      ...bucketItem,
      configuration: { name: 'data-bucket' },
      supplementaryConfiguration: {
        BucketPolicy: '{"policyText":null}',
        Versioning: { status: 'Off' },
      },
    });

    // Act
    const summary = await runConfigRule(rule, event);

    // Assert
    expect(seen[0]).toMatchObject({
      resourceId: 'data-bucket',
      configuration: { name: 'data-bucket' },
      supplementaryConfiguration: {
        BucketPolicy: { policyText: null },
        Versioning: { status: 'Off' },
      },
    });
    expect(config).toHaveReceivedCommandTimes(PutEvaluationsCommand, 1);
    expect(config).toHaveReceivedCommandWith(PutEvaluationsCommand, {
      Evaluations: [
        {
          ComplianceResourceType: 'AWS::S3::Bucket',
          ComplianceResourceId: 'data-bucket',
          ComplianceType: 'NON_COMPLIANT',
          Annotation: 'Bucket data-bucket is AES256.',
          OrderingTimestamp: new Date(CAPTURE_TIME),
        },
      ],
      ResultToken: RESULT_TOKEN,
    });
    expect(summary).toEqual({
      configRuleName: 'test-rule',
      messageType: 'ConfigurationItemChangeNotification',
      evaluations: 1,
      byCompliance: { NON_COMPLIANT: 1 },
    });
  });

  it.each(['ResourceDeleted', 'ResourceDeletedNotRecorded'])(
    'reports NOT_APPLICABLE for a %s item without evaluating it',
    async (status) => {
      // Arrange
      const { rule, seen } = fakeRule();

      // Act
      await runConfigRule(
        rule,
        changeEvent({ ...bucketItem, configurationItemStatus: status, configuration: null }),
      );

      // Assert
      expect(seen).toHaveLength(0);
      expect(config).toHaveReceivedCommandWith(PutEvaluationsCommand, {
        Evaluations: [
          expect.objectContaining({
            ComplianceResourceId: 'data-bucket',
            ComplianceType: 'NOT_APPLICABLE',
          }),
        ],
      });
    },
  );

  it('reports NOT_APPLICABLE when the resource left the rule scope', async () => {
    // Arrange
    const { rule, seen } = fakeRule();

    // Act
    await runConfigRule(rule, changeEvent(bucketItem, { eventLeftScope: true }));

    // Assert
    expect(seen).toHaveLength(0);
    expect(config).toHaveReceivedCommandWith(PutEvaluationsCommand, {
      Evaluations: [
        expect.objectContaining({
          ComplianceType: 'NOT_APPLICABLE',
          Annotation: "data-bucket left the rule's scope.",
        }),
      ],
    });
  });

  it('reports NOT_APPLICABLE for a resource type outside the rule', async () => {
    // Arrange
    const { rule, seen } = fakeRule();

    // Act
    await runConfigRule(rule, changeEvent({ resourceType: 'AWS::EC2::VPC', resourceId: 'vpc-1' }));

    // Assert
    expect(seen).toHaveLength(0);
    expect(config).toHaveReceivedCommandWith(PutEvaluationsCommand, {
      Evaluations: [
        expect.objectContaining({
          ComplianceResourceId: 'vpc-1',
          ComplianceType: 'NOT_APPLICABLE',
        }),
      ],
    });
  });

  it('passes parsed rule parameters to the rule', async () => {
    // Arrange
    const evaluate = jest.fn(async (_item: ConfigItem, params: Params): Promise<RuleResult> => ({
      complianceType: 'COMPLIANT',
      annotation: params.threshold,
    }));
    const { rule } = fakeRule({ evaluate });

    // Act
    await runConfigRule(rule, changeEvent(bucketItem, { ruleParameters: { threshold: '7' } }));

    // Assert
    expect(evaluate.mock.calls[0][1]).toEqual({ threshold: '7' });
  });

  it('truncates annotations to 256 characters', async () => {
    // Arrange
    const { rule, answer } = fakeRule();
    answer({ complianceType: 'NON_COMPLIANT', annotation: 'x'.repeat(400) });

    // Act
    await runConfigRule(rule, changeEvent(bucketItem));

    // Assert
    const sent = config.commandCalls(PutEvaluationsCommand)[0].args[0].input.Evaluations![0];
    expect(sent.Annotation).toHaveLength(256);
    expect(sent.Annotation!.endsWith('…')).toBe(true);
  });

  it('sends nothing and fails the invocation when the rule throws', async () => {
    // Arrange
    const { rule } = fakeRule({
      evaluate: async () => {
        throw new Error('ThrottlingException');
      },
    });

    // Act / Assert
    await expect(runConfigRule(rule, changeEvent(bucketItem))).rejects.toThrow(
      'ThrottlingException',
    );
    expect(config).not.toHaveReceivedCommand(PutEvaluationsCommand);
  });
});

describe('oversized notifications', () => {
  it('fetches the full item with GetResourceConfigHistory and evaluates its parsed configuration', async () => {
    // Arrange
    const { rule, seen } = fakeRule();
    config.on(GetResourceConfigHistoryCommand).resolves({
      configurationItems: [
        {
          resourceType: 'AWS::S3::Bucket',
          resourceId: 'data-bucket',
          resourceName: 'data-bucket',
          awsRegion: 'us-east-1',
          configurationItemStatus: 'OK',
          configurationItemCaptureTime: new Date('2026-11-25T10:15:31.000Z'),
          configuration: '{"name":"data-bucket","owner":{"id":"abc"}}',
          supplementaryConfiguration: {
            ServerSideEncryptionConfiguration:
              '{"rules":[{"applyServerSideEncryptionByDefault":{"sseAlgorithm":"AES256"}}]}',
          },
        },
      ],
    });

    // Act
    await runConfigRule(rule, oversizedEvent(bucketItem));

    // Assert
    expect(config).toHaveReceivedCommandWith(GetResourceConfigHistoryCommand, {
      resourceType: 'AWS::S3::Bucket',
      resourceId: 'data-bucket',
      limit: 1,
    });
    expect(seen[0].configuration).toEqual({ name: 'data-bucket', owner: { id: 'abc' } });
    expect(seen[0].supplementaryConfiguration).toEqual({
      ServerSideEncryptionConfiguration: {
        rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }],
      },
    });
    expect(config).toHaveReceivedCommandWith(PutEvaluationsCommand, {
      Evaluations: [
        expect.objectContaining({
          ComplianceType: 'COMPLIANT',
          OrderingTimestamp: new Date(CAPTURE_TIME),
        }),
      ],
      ResultToken: RESULT_TOKEN,
    });
  });

  it('does not fetch history for a deleted resource', async () => {
    // Arrange
    const { rule } = fakeRule();

    // Act
    await runConfigRule(
      rule,
      oversizedEvent({ ...bucketItem, configurationItemStatus: 'ResourceDeleted' }),
    );

    // Assert
    expect(config).not.toHaveReceivedCommand(GetResourceConfigHistoryCommand);
    expect(config).toHaveReceivedCommandWith(PutEvaluationsCommand, {
      Evaluations: [expect.objectContaining({ ComplianceType: 'NOT_APPLICABLE' })],
    });
  });

  it('fails (for a retry) when Config has no history item yet', async () => {
    // Arrange
    const { rule } = fakeRule();
    config.on(GetResourceConfigHistoryCommand).resolves({ configurationItems: [] });

    // Act / Assert
    await expect(runConfigRule(rule, oversizedEvent(bucketItem))).rejects.toThrow(
      'GetResourceConfigHistory returned no item for AWS::S3::Bucket data-bucket',
    );
    expect(config).not.toHaveReceivedCommand(PutEvaluationsCommand);
  });
});

describe('scheduled notifications and batching', () => {
  function itemsOf(n: number): ConfigItem[] {
    return Array.from({ length: n }, (_, i) => ({
      resourceType: 'AWS::S3::Bucket',
      resourceId: `bucket-${i}`,
      awsRegion: 'us-east-1',
      status: 'OK',
      captureTime: NOTIFICATION_TIME,
      configuration: {},
      supplementaryConfiguration: {},
      tags: {},
    }));
  }

  it('sends 250 evaluations in batches of 100, 100 and 50 with the notification time', async () => {
    // Arrange
    const listResources = jest.fn(async () => itemsOf(250));
    const { rule } = fakeRule({ listResources });

    // Act
    const summary = await runConfigRule(rule, scheduledEvent());

    // Assert
    expect(listResources).toHaveBeenCalledWith(
      { threshold: 'default' },
      {},
      { accountId: '123456789012', notificationTime: NOTIFICATION_TIME },
    );
    const calls = config.commandCalls(PutEvaluationsCommand);
    expect(calls.map((c) => c.args[0].input.Evaluations!.length)).toEqual([100, 100, 50]);
    expect(calls.every((c) => c.args[0].input.ResultToken === RESULT_TOKEN)).toBe(true);
    expect(calls[2].args[0].input.Evaluations![49]).toEqual({
      ComplianceResourceType: 'AWS::S3::Bucket',
      ComplianceResourceId: 'bucket-249',
      ComplianceType: 'COMPLIANT',
      Annotation: 'fine',
      OrderingTimestamp: new Date(NOTIFICATION_TIME),
    });
    expect(summary.evaluations).toBe(250);
  });

  it('sends one empty PutEvaluations when there is nothing to evaluate', async () => {
    // Arrange
    const { rule } = fakeRule({ listResources: async () => [] });

    // Act
    await runConfigRule(rule, scheduledEvent());

    // Assert
    expect(config).toHaveReceivedCommandTimes(PutEvaluationsCommand, 1);
    expect(config).toHaveReceivedCommandWith(PutEvaluationsCommand, {
      Evaluations: [],
      ResultToken: RESULT_TOKEN,
    });
  });

  it('sends every batch, then throws when Config reports FailedEvaluations', async () => {
    // Arrange
    const { rule } = fakeRule({ listResources: async () => itemsOf(150) });
    const rejected = {
      ComplianceResourceType: 'AWS::S3::Bucket',
      ComplianceResourceId: 'bucket-3',
      ComplianceType: 'COMPLIANT' as const,
      OrderingTimestamp: new Date(NOTIFICATION_TIME),
    };
    config
      .on(PutEvaluationsCommand)
      .resolvesOnce({ FailedEvaluations: [rejected] })
      .resolves({});

    // Act / Assert
    await expect(runConfigRule(rule, scheduledEvent())).rejects.toThrow(
      'Config rejected 1 of 150 evaluations (first: AWS::S3::Bucket bucket-3)',
    );
    expect(config).toHaveReceivedCommandTimes(PutEvaluationsCommand, 2);
  });

  it('rejects a ScheduledNotification for a rule that is not periodic', async () => {
    // Arrange
    const { rule } = fakeRule();

    // Act / Assert
    await expect(runConfigRule(rule, scheduledEvent())).rejects.toThrow(MalformedEventError);
    expect(config).not.toHaveReceivedCommand(PutEvaluationsCommand);
  });
});

describe('malformed events', () => {
  it.each([
    ['no resultToken', { ...changeEvent(bucketItem), resultToken: undefined }, 'resultToken'],
    [
      'invokingEvent not JSON',
      { ...changeEvent(bucketItem), invokingEvent: '{oops' },
      'not valid JSON',
    ],
    [
      'unknown messageType',
      { ...changeEvent(bucketItem), invokingEvent: JSON.stringify({ messageType: 'Other' }) },
      'messageType',
    ],
    [
      'item without resourceId',
      {
        ...changeEvent(bucketItem),
        invokingEvent: JSON.stringify({
          messageType: 'ConfigurationItemChangeNotification',
          configurationItem: { resourceType: 'AWS::S3::Bucket', awsRegion: 'us-east-1' },
        }),
      },
      'resourceId',
    ],
    [
      'ruleParameters not an object',
      { ...changeEvent(bucketItem), ruleParameters: '[1]' },
      'ruleParameters',
    ],
    [
      'bad rule parameter',
      changeEvent(bucketItem, { ruleParameters: { threshold: 'bad' } }),
      'threshold',
    ],
  ])('throws MalformedEventError and sends nothing: %s', async (_name, event, message) => {
    // Arrange
    const { rule, seen } = fakeRule();

    // Act
    const run = runConfigRule(rule, event);

    // Assert
    await expect(run).rejects.toThrow(MalformedEventError);
    await expect(run).rejects.toThrow(message);
    expect(seen).toHaveLength(0);
    expect(config).not.toHaveReceivedCommand(PutEvaluationsCommand);
  });
});

describe('truncateAnnotation', () => {
  it('keeps short text and never splits a surrogate pair', () => {
    // Arrange
    const emoji = '🔒'.repeat(300);

    // Act
    const out = truncateAnnotation(emoji);

    // Assert
    expect(truncateAnnotation('short')).toBe('short');
    expect(truncateAnnotation('y'.repeat(256))).toBe('y'.repeat(256));
    expect(out).toBe(`${'🔒'.repeat(127)}…`);
    expect(out.length).toBeLessThanOrEqual(256);
  });
});
