/** Config custom-rule invocation events, shaped as AWS Config sends them to a Lambda rule. */

export const ACCOUNT = '123456789012';
export const REGION = 'us-east-1';
export const RESULT_TOKEN = 'result-token-abc';
export const CAPTURE_TIME = '2026-11-25T10:15:30.123Z';
export const NOTIFICATION_TIME = '2026-11-25T12:00:00.000Z';

export interface RawItem {
  resourceType: string;
  resourceId: string;
  resourceName?: string;
  ARN?: string;
  awsRegion?: string;
  configurationItemStatus?: string;
  configurationItemCaptureTime?: string;
  configuration?: unknown;
  supplementaryConfiguration?: Record<string, unknown>;
  tags?: Record<string, string>;
}

export interface EventOptions {
  ruleParameters?: Record<string, string>;
  eventLeftScope?: boolean;
  configRuleName?: string;
}

function envelope(invokingEvent: object, options: EventOptions) {
  return {
    version: '1.0',
    invokingEvent: JSON.stringify(invokingEvent),
    ...(options.ruleParameters ? { ruleParameters: JSON.stringify(options.ruleParameters) } : {}),
    resultToken: RESULT_TOKEN,
    eventLeftScope: options.eventLeftScope ?? false,
    executionRoleArn: `arn:aws:iam::${ACCOUNT}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig`,
    configRuleArn: `arn:aws:config:${REGION}:${ACCOUNT}:config-rule/config-rule-abc123`,
    configRuleName: options.configRuleName ?? 'test-rule',
    configRuleId: 'config-rule-abc123',
    accountId: ACCOUNT,
    evaluationMode: 'DETECTIVE',
  };
}

function fullItem(item: RawItem) {
  return {
    awsRegion: REGION,
    configurationItemStatus: 'OK',
    configurationItemCaptureTime: CAPTURE_TIME,
    resourceName: item.resourceId,
    configuration: {},
    supplementaryConfiguration: {},
    tags: {},
    relationships: [],
    configurationItemVersion: '1.3',
    awsAccountId: ACCOUNT,
    ...item,
  };
}

export function changeEvent(item: RawItem, options: EventOptions = {}) {
  return envelope(
    {
      configurationItemDiff: null,
      configurationItem: fullItem(item),
      notificationCreationTime: '2026-11-25T10:16:00.000Z',
      messageType: 'ConfigurationItemChangeNotification',
      recordVersion: '1.3',
    },
    options,
  );
}

export function oversizedEvent(item: RawItem, options: EventOptions = {}) {
  // The summary has no configuration, supplementaryConfiguration or tags.
  const summary: Record<string, unknown> = { ...fullItem(item) };
  delete summary.configuration;
  delete summary.supplementaryConfiguration;
  delete summary.tags;
  return envelope(
    {
      configurationItemSummary: { changeType: 'UPDATE', configurationStateId: 1, ...summary },
      messageType: 'OversizedConfigurationItemChangeNotification',
      notificationCreationTime: '2026-11-25T10:16:00.000Z',
      recordVersion: '1.0',
    },
    options,
  );
}

export function scheduledEvent(options: EventOptions = {}) {
  return envelope(
    {
      awsAccountId: ACCOUNT,
      notificationCreationTime: NOTIFICATION_TIME,
      messageType: 'ScheduledNotification',
      recordVersion: '1.0',
    },
    options,
  );
}

/** An SDK-style error (name + message), as aws-sdk-client-mock rejects with. */
export function awsError(name: string, message = name): Error {
  return Object.assign(new Error(message), { name, $metadata: {} });
}
