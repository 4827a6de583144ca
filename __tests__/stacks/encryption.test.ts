import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { AuditKeys } from '../../stacks/encryption';
import { FUNCTION_NAMES } from '../../stacks/settings';
import {
  ref,
  resourcesOf,
  statementsOf,
  SUFFIX,
  synthScope,
  synthStack,
  testEnvironment,
  type Found,
  type PolicyDocumentJson,
  type PolicyStatementJson,
  type TerraformJson,
} from '../helpers/stack';

const ACCOUNT = expect.stringContaining('${data.aws_caller_identity.');

const key = (tf: TerraformJson, purpose: string): Found => {
  const found = resourcesOf(tf, 'aws_kms_key').find((k) => k.id.startsWith(`keys_${purpose}_`));
  if (!found) throw new Error(`no ${purpose} key`);
  return found;
};
const keyStatements = (k: Found): PolicyStatementJson[] =>
  statementsOf(JSON.parse(k.config.policy as string) as PolicyDocumentJson);
/** Statements other than the account's own administration statement. */
const grants = (k: Found): PolicyStatementJson[] =>
  keyStatements(k).filter((s) => s.Sid !== 'AccountAdministersKey');

describe('AuditKeys', () => {
  let synth: string;
  let tf: TerraformJson;
  beforeAll(() => {
    ({ synth, tf } = synthStack());
  });

  it.each([
    ['data', 'Audit bucket: findings, reports', 7],
    ['messaging', 'SNS alert topic and the failure queue', 7],
    ['logs', 'CloudWatch log groups', 7],
    // Other buckets of the account depend on it: the longest window to cancel a deletion.
    ['remediation', 'Default encryption of buckets that remediation fixes', 30],
  ])(
    'renders the %s key with yearly rotation and an alias carrying the suffix',
    (purpose, protects, deletionWindow) => {
      // GIVEN
      const k = key(tf, purpose);

      // THEN
      expect(synth).toHaveResourceWithProperties(KmsKey, {
        description: expect.stringContaining(`Compliance audit (${SUFFIX}): ${protects}`),
        enable_key_rotation: true,
        rotation_period_in_days: 365,
        deletion_window_in_days: deletionWindow,
      });
      expect(k.config).toMatchObject({ enable_key_rotation: true, rotation_period_in_days: 365 });
      expect(synth).toHaveResourceWithProperties(KmsAlias, {
        name: `alias/compliance-${purpose}-${SUFFIX}`,
        target_key_id: ref('aws_kms_key', k, 'key_id'),
      });
    },
  );

  it('renders every key policy with the account administering the key', () => {
    for (const k of resourcesOf(tf, 'aws_kms_key')) {
      expect(keyStatements(k)[0]).toEqual({
        Sid: 'AccountAdministersKey',
        Effect: 'Allow',
        Principal: {
          AWS: expect.stringMatching(/^arn:\$\{data\.aws_partition\..+\}:iam::\$\{.+\}:root$/),
        },
        Action: 'kms:*',
        Resource: '*',
      });
    }
  });

  it('renders the data key for AWS Config of this account only', () => {
    expect(grants(key(tf, 'data'))).toEqual([
      {
        Sid: 'ConfigDelivery',
        Effect: 'Allow',
        Principal: { Service: 'config.amazonaws.com' },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
        Resource: '*',
        Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT } },
      },
    ]);
  });

  it('renders the messaging key for CloudWatch alarms of this account and EventBridge dead letters', () => {
    expect(grants(key(tf, 'messaging'))).toEqual([
      {
        Sid: 'CloudWatchAlarmsPublish',
        Effect: 'Allow',
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        Resource: '*',
        Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT } },
      },
      {
        // No condition: EventBridge passes no source context to KMS (the queue policy scopes it).
        Sid: 'EventBridgeDeadLetters',
        Effect: 'Allow',
        Principal: { Service: 'events.amazonaws.com' },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        Resource: '*',
      },
    ]);
  });

  it('renders the logs key for CloudWatch Logs of the region, for exactly our log groups', () => {
    // GIVEN
    const groups = [
      `audit-flowlogs-us-east-1-${SUFFIX}`,
      ...FUNCTION_NAMES.map((n) => `/aws/lambda/${n}-${SUFFIX}`),
    ];

    // WHEN
    const [statement, ...others] = grants(key(tf, 'logs'));

    // THEN
    expect(others).toEqual([]);
    expect(statement).toMatchObject({
      Effect: 'Allow',
      Principal: { Service: 'logs.us-east-1.amazonaws.com' },
      Resource: '*',
    });
    const arns = statement.Condition?.ArnEquals?.['kms:EncryptionContext:aws:logs:arn'] as string[];
    expect(arns.map((a) => a.replace(/^.*:log-group:/, ''))).toEqual(groups);
    for (const arn of arns) expect(arn).toMatch(/^arn:\$\{.+\}:logs:us-east-1:\$\{.+\}:log-group:/);
    // Every log group the stack creates is one the key lets CloudWatch Logs use.
    expect(
      resourcesOf(tf, 'aws_cloudwatch_log_group')
        .map((g) => g.config.name)
        .sort(),
    ).toEqual([...groups].sort());
  });

  it('renders the remediation key for S3 of this account and region only', () => {
    expect(grants(key(tf, 'remediation'))).toEqual([
      expect.objectContaining({
        Principal: { AWS: '*' },
        Condition: {
          StringEquals: {
            'kms:CallerAccount': ACCOUNT,
            'kms:ViaService': 's3.us-east-1.amazonaws.com',
          },
        },
      }),
    ]);
  });

  it('renders a 30-day deletion window when the audit data is retained', () => {
    // GIVEN / WHEN
    const retained = synthScope((stack) => {
      new AuditKeys(stack, 'keys', {
        env: testEnvironment(stack, { retainAuditData: true }),
        logGroupNames: ['/aws/lambda/scanner-test'],
        remediationKey: true,
      });
    });

    // THEN
    expect(resourcesOf(retained.tf, 'aws_kms_key')).toHaveLength(4);
    for (const k of resourcesOf(retained.tf, 'aws_kms_key')) {
      expect(k.config.deletion_window_in_days).toBe(30);
    }
  });
});
