/**
 * Customer-managed KMS keys, one per kind of data, each with rotation and a key policy that names
 * only the service principals that need it (DESIGN §4). Function roles get key use through their
 * own IAM policies, which the account statement of each key policy enables.
 */
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { Construct } from 'constructs';
import type { DeploymentEnvironment } from './environment';
import { policyDocument, type PolicyStatement } from './iam';
import { retainOnDestroy } from './retention';

/**
 * Key administration stays with the account (IAM decides who); without it a key policy mistake
 * locks everyone out of the key.
 */
export function accountAdministersKey(partition: string, account: string): PolicyStatement {
  return {
    sid: 'AccountAdministersKey',
    principals: { AWS: `arn:${partition}:iam::${account}:root` },
    actions: ['kms:*'],
    resources: ['*'],
  };
}

/**
 * A bucket key's use, like the aws/s3 managed key's: any principal of the account, but only
 * through S3 in the key's region — so a bucket remediated onto it keeps working for everyone in
 * the account who could use it before.
 */
export function useThroughS3Only(account: string, region: string): PolicyStatement {
  return {
    sid: 'UseThroughS3InThisAccount',
    principals: { AWS: '*' },
    actions: [
      'kms:Encrypt',
      'kms:Decrypt',
      'kms:ReEncrypt*',
      'kms:GenerateDataKey*',
      'kms:DescribeKey',
    ],
    resources: ['*'],
    conditions: {
      StringEquals: {
        'kms:CallerAccount': account,
        'kms:ViaService': `s3.${region}.amazonaws.com`,
      },
    },
  };
}

export interface AuditKeysProps {
  readonly env: DeploymentEnvironment;
  /** Names of every log group the logs key encrypts (flow logs and function logs). */
  readonly logGroupNames: readonly string[];
  /** Create the key that remediation applies to non-compliant buckets. */
  readonly remediationKey: boolean;
}

/** Keys and what each protects; the plan review's encryption map reads `protects`. */
export interface KeyInfo {
  readonly key: KmsKey;
  readonly alias: string;
  readonly protects: string;
}

export class AuditKeys extends Construct {
  /** Audit bucket objects: findings, reports, remediation records, Config history. */
  readonly data: KeyInfo;
  /** SNS alert topic and the failure (dead-letter) queue. */
  readonly messaging: KeyInfo;
  /** CloudWatch log groups of the functions and of the flow logs. */
  readonly logs: KeyInfo;
  /** Default encryption that remediation sets on other buckets of the account. */
  readonly remediation?: KeyInfo;

  constructor(scope: Construct, id: string, props: AuditKeysProps) {
    super(scope, id);
    const { env } = props;
    const sourceAccount = { StringEquals: { 'aws:SourceAccount': env.account } };

    this.data = this.key(
      env,
      'data',
      'Audit bucket: findings, reports, remediation records, AWS Config history',
      [
        {
          sid: 'ConfigDelivery',
          principals: { Service: 'config.amazonaws.com' },
          actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
          resources: ['*'],
          conditions: sourceAccount,
        },
      ],
    );

    this.messaging = this.key(env, 'messaging', 'SNS alert topic and the failure queue', [
      {
        sid: 'CloudWatchAlarmsPublish',
        principals: { Service: 'cloudwatch.amazonaws.com' },
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: sourceAccount,
      },
      {
        // EventBridge does not pass aws:SourceAccount/SourceArn to KMS: a condition here would
        // silently drop dead-lettered events. The queue policy scopes EventBridge to our rules.
        sid: 'EventBridgeDeadLetters',
        principals: { Service: 'events.amazonaws.com' },
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      },
    ]);

    this.logs = this.key(
      env,
      'logs',
      'CloudWatch log groups of the audit functions and the VPC flow logs',
      [
        {
          sid: 'CloudWatchLogsForOurGroups',
          principals: { Service: `logs.${env.region}.amazonaws.com` },
          actions: [
            'kms:Encrypt*',
            'kms:Decrypt*',
            'kms:ReEncrypt*',
            'kms:GenerateDataKey*',
            'kms:Describe*',
          ],
          resources: ['*'],
          conditions: {
            ArnEquals: {
              'kms:EncryptionContext:aws:logs:arn': props.logGroupNames.map((n) =>
                env.arn('logs', `log-group:${n}`),
              ),
            },
          },
        },
      ],
    );

    if (props.remediationKey) {
      this.remediation = this.key(
        env,
        'remediation',
        'Default encryption of buckets that remediation fixes',
        [useThroughS3Only(env.account, env.region)],
        // Buckets outside this stack depend on it: after a destroy, the longest window to cancel
        // the deletion (REMEDIATION_KMS_KEY_ARN avoids the question with a key of your own).
        30,
      );
    }
  }

  all(): KeyInfo[] {
    return [this.data, this.messaging, this.logs, ...(this.remediation ? [this.remediation] : [])];
  }

  private key(
    env: DeploymentEnvironment,
    purpose: string,
    protects: string,
    statements: PolicyStatement[],
    deletionWindowDays = env.settings.retainAuditData ? 30 : 7,
  ): KeyInfo {
    const key = new KmsKey(this, purpose, {
      description: `Compliance audit (${env.suffix}): ${protects}`,
      enableKeyRotation: true,
      rotationPeriodInDays: 365,
      deletionWindowInDays: deletionWindowDays,
      policy: policyDocument([accountAdministersKey(env.partition, env.account), ...statements]),
    });
    const alias = `alias/${env.name(`compliance-${purpose}`)}`;
    const aliasResource = new KmsAlias(this, `${purpose}-alias`, {
      name: alias,
      targetKeyId: key.keyId,
    });
    // The retained audit bucket stays readable only with its key (retention.ts).
    if (purpose === 'data' && env.settings.retainAuditData) retainOnDestroy(key, aliasResource);
    return { key, alias, protects };
  }
}
