/**
 * AWS Config rules: AWS managed rules for the controls the account must meet, and the three
 * custom Lambda rules of this project, each with Config's permission to invoke its function.
 * @see https://docs.aws.amazon.com/config/latest/developerguide/managed-rules-by-aws-config.html
 */
import { ConfigConfigRule } from '@cdktf/provider-aws/lib/config-config-rule';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { DEFAULT_MANDATORY_TAGS } from '../lambdas/shared/env-names';
import type { AuditFunction } from './audit-function';
import type { DeploymentEnvironment } from './environment';

interface ManagedRule {
  /** AWS's rule identifier (SourceIdentifier). */
  readonly identifier: string;
  readonly description: string;
  readonly resourceTypes?: readonly string[];
  readonly parameters?: Readonly<Record<string, string>>;
  /** Periodic rules (account-level checks) run on a schedule instead of on changes. */
  readonly periodic?: boolean;
  /**
   * The scanner checks whose verdict the rule gives, by resource type: the alert-notifier stays
   * silent about a resource whose every control here is suppressed. None for rules that name
   * resources Config gives no ARN for (IAM users by id, the account).
   */
  readonly controls?: RuleControls;
}

/** Scanner check ids per Config resource type. */
export type RuleControls = Readonly<Record<string, readonly string[]>>;

const S3 = 'AWS::S3::Bucket';
const SG = 'AWS::EC2::SecurityGroup';

/**
 * Resource types the REQUIRED_TAGS managed rule evaluates (AWS's list; Lambda functions are not
 * among them: the scanner's Lambda.6 check covers their tags).
 * @see https://docs.aws.amazon.com/config/latest/developerguide/required-tags.html
 */
export const REQUIRED_TAGS_SUPPORTED_TYPES = [
  'AWS::ACM::Certificate',
  'AWS::AutoScaling::AutoScalingGroup',
  'AWS::CloudFormation::Stack',
  'AWS::CodeBuild::Project',
  'AWS::DynamoDB::Table',
  'AWS::EC2::CustomerGateway',
  'AWS::EC2::Instance',
  'AWS::EC2::InternetGateway',
  'AWS::EC2::NetworkAcl',
  'AWS::EC2::NetworkInterface',
  'AWS::EC2::RouteTable',
  'AWS::EC2::SecurityGroup',
  'AWS::EC2::Subnet',
  'AWS::EC2::Volume',
  'AWS::EC2::VPC',
  'AWS::EC2::VPNConnection',
  'AWS::EC2::VPNGateway',
  'AWS::ElasticLoadBalancing::LoadBalancer',
  'AWS::ElasticLoadBalancingV2::LoadBalancer',
  'AWS::RDS::DBInstance',
  'AWS::RDS::DBSecurityGroup',
  'AWS::RDS::DBSnapshot',
  'AWS::RDS::DBSubnetGroup',
  'AWS::RDS::EventSubscription',
  'AWS::Redshift::Cluster',
  'AWS::Redshift::ClusterParameterGroup',
  'AWS::Redshift::ClusterSecurityGroup',
  'AWS::Redshift::ClusterSnapshot',
  'AWS::Redshift::ClusterSubnetGroup',
  'AWS::S3::Bucket',
] as const;

/** Required-tags takes up to six tagNKey parameters. */
const requiredTagParameters = Object.fromEntries(
  DEFAULT_MANDATORY_TAGS.map((t, i) => [`tag${i + 1}Key`, t]),
);

export const MANAGED_RULES: Readonly<Record<string, ManagedRule>> = {
  's3-bucket-versioning-enabled': {
    identifier: 'S3_BUCKET_VERSIONING_ENABLED',
    description: 'S3 buckets have versioning enabled (S3.14)',
    resourceTypes: ['AWS::S3::Bucket'],
    controls: { [S3]: ['S3.14'] },
  },
  's3-bucket-public-read-prohibited': {
    identifier: 'S3_BUCKET_PUBLIC_READ_PROHIBITED',
    description: 'S3 buckets do not allow public read access (S3.2)',
    resourceTypes: ['AWS::S3::Bucket'],
    controls: { [S3]: ['S3.2'] },
  },
  's3-bucket-public-write-prohibited': {
    identifier: 'S3_BUCKET_PUBLIC_WRITE_PROHIBITED',
    description: 'S3 buckets do not allow public write access (S3.3)',
    resourceTypes: ['AWS::S3::Bucket'],
    controls: { [S3]: ['S3.3'] },
  },
  's3-bucket-ssl-requests-only': {
    identifier: 'S3_BUCKET_SSL_REQUESTS_ONLY',
    description: 'S3 bucket policies require TLS (S3.5)',
    resourceTypes: ['AWS::S3::Bucket'],
    controls: { [S3]: ['S3.5'] },
  },
  's3-default-encryption-kms': {
    identifier: 'S3_DEFAULT_ENCRYPTION_KMS',
    description: 'S3 buckets are encrypted with AWS KMS by default (S3.17)',
    resourceTypes: ['AWS::S3::Bucket'],
    controls: { [S3]: ['S3.17'] },
  },
  'encrypted-volumes': {
    identifier: 'ENCRYPTED_VOLUMES',
    description: 'Attached EBS volumes are encrypted (EC2.3)',
    resourceTypes: ['AWS::EC2::Volume'],
    controls: { 'AWS::EC2::Volume': ['EC2.3'] },
  },
  'restricted-ssh': {
    identifier: 'INCOMING_SSH_DISABLED',
    description: 'Security groups do not allow SSH from 0.0.0.0/0 (EC2.13)',
    resourceTypes: ['AWS::EC2::SecurityGroup'],
    controls: { [SG]: ['EC2.13'] },
  },
  'restricted-common-ports': {
    identifier: 'RESTRICTED_INCOMING_TRAFFIC',
    description: 'Security groups do not allow high-risk ports from 0.0.0.0/0 (EC2.19)',
    resourceTypes: ['AWS::EC2::SecurityGroup'],
    parameters: {
      blockedPort1: '20',
      blockedPort2: '21',
      blockedPort3: '3389',
      blockedPort4: '3306',
      blockedPort5: '4333',
    },
    controls: { [SG]: ['EC2.19'] },
  },
  'vpc-default-security-group-closed': {
    identifier: 'VPC_DEFAULT_SECURITY_GROUP_CLOSED',
    description: 'Default security groups allow no traffic (EC2.2)',
    resourceTypes: ['AWS::EC2::SecurityGroup'],
    controls: { [SG]: ['EC2.2'] },
  },
  'mfa-enabled-for-iam-console-access': {
    identifier: 'MFA_ENABLED_FOR_IAM_CONSOLE_ACCESS',
    description: 'IAM users with a console password have MFA (IAM.5)',
    periodic: true,
  },
  'access-keys-rotated': {
    identifier: 'ACCESS_KEYS_ROTATED',
    description: 'Active access keys are rotated within 90 days (IAM.3)',
    parameters: { maxAccessKeyAge: '90' },
    periodic: true,
  },
  'root-account-mfa-enabled': {
    identifier: 'ROOT_ACCOUNT_MFA_ENABLED',
    description: 'The root user has MFA (IAM.9)',
    periodic: true,
  },
  'required-tags': {
    identifier: 'REQUIRED_TAGS',
    description: `Resources carry the mandatory tags ${DEFAULT_MANDATORY_TAGS.join(', ')}`,
    // Only types the rule supports (REQUIRED_TAGS_SUPPORTED_TYPES); Lambda tags: scanner Lambda.6.
    resourceTypes: [
      'AWS::S3::Bucket',
      'AWS::EC2::SecurityGroup',
      'AWS::EC2::Volume',
      'AWS::EC2::VPC',
    ],
    parameters: requiredTagParameters,
    controls: {
      [S3]: ['S3.MandatoryTags'],
      [SG]: ['EC2.43'],
      'AWS::EC2::Volume': ['EC2.45'],
      'AWS::EC2::VPC': ['EC2.46'],
    },
  },
  'lambda-function-public-access-prohibited': {
    identifier: 'LAMBDA_FUNCTION_PUBLIC_ACCESS_PROHIBITED',
    description: 'Lambda function policies do not allow public invocation (Lambda.1)',
    resourceTypes: ['AWS::Lambda::Function'],
    controls: { 'AWS::Lambda::Function': ['Lambda.1'] },
  },
};

export const CUSTOM_RULES = {
  's3-encryption': {
    fn: 'config-rule-s3-encryption',
    resourceTypes: ['AWS::S3::Bucket'],
    periodic: false,
    controls: { [S3]: ['S3.CustomerManagedKey'] },
  },
  'vpc-flow-logs': {
    fn: 'config-rule-vpc-flow-logs',
    resourceTypes: ['AWS::EC2::VPC'],
    periodic: true,
    controls: { 'AWS::EC2::VPC': ['EC2.6'] },
  },
  'lambda-settings': {
    fn: 'config-rule-lambda-settings',
    resourceTypes: ['AWS::Lambda::Function'],
    periodic: false,
    // Its third condition (no inline policies on the role) has no scanner check of its own.
    controls: { 'AWS::Lambda::Function': ['Lambda.ReservedConcurrency', 'Lambda.7'] },
  },
} as const satisfies Readonly<
  Record<
    string,
    {
      fn: string;
      resourceTypes: readonly string[];
      periodic: boolean;
      controls: RuleControls;
    }
  >
>;
export type CustomRuleName = keyof typeof CUSTOM_RULES;

/** `compliance-<rule>-<suffix>`. */
export function configRuleName(env: DeploymentEnvironment, rule: string): string {
  return env.name(`compliance-${rule}`);
}

/** Every rule name this stack declares (the event rules filter on them). */
export function allConfigRuleNames(env: DeploymentEnvironment): string[] {
  return [...Object.keys(MANAGED_RULES), ...Object.keys(CUSTOM_RULES)].map((r) =>
    configRuleName(env, r),
  );
}

/** Each rule's scanner controls by resource type, by rule name (the alert-notifier's CONFIG_RULE_CONTROLS). */
export function configRuleControls(env: DeploymentEnvironment): Record<string, RuleControls> {
  const rules: [string, RuleControls | undefined][] = [
    ...Object.entries(MANAGED_RULES).map(([r, spec]): [string, RuleControls | undefined] => [
      r,
      spec.controls,
    ]),
    ...Object.entries(CUSTOM_RULES).map(([r, spec]): [string, RuleControls] => [r, spec.controls]),
  ];
  return Object.fromEntries(
    rules.flatMap(([r, controls]) => (controls ? [[configRuleName(env, r), controls]] : [])),
  );
}

/**
 * Rules whose NON_COMPLIANT results trigger S3 encryption remediation: the custom rule only, which
 * judges as the fixer does (customer-managed key). The managed S3_DEFAULT_ENCRYPTION_KMS rule is
 * S3.17's verdict (aws/s3 passes) and must not send buckets it passes to remediation.
 */
export function remediationRuleNames(env: DeploymentEnvironment): string[] {
  return [configRuleName(env, 's3-encryption')];
}

export interface ConfigRulesProps {
  readonly env: DeploymentEnvironment;
  readonly customRuleFunctions: Readonly<Record<CustomRuleName, AuditFunction>>;
  /** The recorder status, when this stack creates the recorder. */
  readonly recorderReady: ITerraformDependable[];
}

export class ConfigRules extends Construct {
  readonly rules: ConfigConfigRule[] = [];

  constructor(scope: Construct, id: string, props: ConfigRulesProps) {
    super(scope, id);
    const { env } = props;

    for (const [rule, spec] of Object.entries(MANAGED_RULES)) {
      this.rules.push(
        new ConfigConfigRule(this, rule, {
          name: configRuleName(env, rule),
          description: spec.description,
          source: { owner: 'AWS', sourceIdentifier: spec.identifier },
          scope: spec.resourceTypes
            ? { complianceResourceTypes: [...spec.resourceTypes] }
            : undefined,
          inputParameters: spec.parameters ? JSON.stringify(spec.parameters) : undefined,
          maximumExecutionFrequency: spec.periodic ? 'TwentyFour_Hours' : undefined,
          dependsOn: props.recorderReady,
        }),
      );
    }

    for (const [rule, spec] of Object.entries(CUSTOM_RULES)) {
      const fn = props.customRuleFunctions[rule as CustomRuleName].fn;
      // Config checks the permission when the rule is created, so the rule depends on it. Rule
      // ARNs carry a random id, so the permission is scoped by account instead of by rule.
      const permission = new LambdaPermission(this, `${rule}-invoke`, {
        statementId: 'AllowConfigRuleInvoke',
        action: 'lambda:InvokeFunction',
        functionName: fn.functionName,
        principal: 'config.amazonaws.com',
        sourceAccount: env.account,
      });
      this.rules.push(
        new ConfigConfigRule(this, rule, {
          name: configRuleName(env, rule),
          description: `Custom rule (${spec.fn}): ${spec.resourceTypes.join(', ')}`,
          scope: { complianceResourceTypes: [...spec.resourceTypes] },
          source: {
            owner: 'CUSTOM_LAMBDA',
            sourceIdentifier: fn.arn,
            sourceDetail: [
              { eventSource: 'aws.config', messageType: 'ConfigurationItemChangeNotification' },
              {
                eventSource: 'aws.config',
                messageType: 'OversizedConfigurationItemChangeNotification',
              },
              ...(spec.periodic
                ? [
                    {
                      eventSource: 'aws.config',
                      messageType: 'ScheduledNotification',
                      maximumExecutionFrequency: 'TwentyFour_Hours',
                    },
                  ]
                : []),
            ],
          },
          dependsOn: [permission, ...props.recorderReady],
        }),
      );
    }
  }
}
