import { ConfigConfigRule } from '@cdktf/provider-aws/lib/config-config-rule';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import { CHECKS } from '../../lambdas/scanner/checks/registry';
import {
  CUSTOM_RULES,
  MANAGED_RULES,
  REQUIRED_TAGS_SUPPORTED_TYPES,
  type RuleControls,
} from '../../stacks/config-rules';
import {
  ref,
  resourcesOf,
  resourceWith,
  SUFFIX,
  synthStack,
  type TerraformJson,
} from '../helpers/stack';

const ruleNamed = (tf: TerraformJson, rule: string) =>
  resourceWith(tf, 'aws_config_config_rule', 'name', `compliance-${rule}-${SUFFIX}`);

describe('ConfigRules', () => {
  let synth: string;
  let tf: TerraformJson;
  beforeAll(() => {
    ({ synth, tf } = synthStack({ configRecorderMode: 'create' }));
  });

  it.each([
    ['s3-bucket-versioning-enabled', 'S3_BUCKET_VERSIONING_ENABLED'],
    ['s3-bucket-public-read-prohibited', 'S3_BUCKET_PUBLIC_READ_PROHIBITED'],
    ['s3-bucket-public-write-prohibited', 'S3_BUCKET_PUBLIC_WRITE_PROHIBITED'],
    ['s3-bucket-ssl-requests-only', 'S3_BUCKET_SSL_REQUESTS_ONLY'],
    ['s3-default-encryption-kms', 'S3_DEFAULT_ENCRYPTION_KMS'],
    ['encrypted-volumes', 'ENCRYPTED_VOLUMES'],
    ['restricted-ssh', 'INCOMING_SSH_DISABLED'],
    ['restricted-common-ports', 'RESTRICTED_INCOMING_TRAFFIC'],
    ['vpc-default-security-group-closed', 'VPC_DEFAULT_SECURITY_GROUP_CLOSED'],
    ['mfa-enabled-for-iam-console-access', 'MFA_ENABLED_FOR_IAM_CONSOLE_ACCESS'],
    ['access-keys-rotated', 'ACCESS_KEYS_ROTATED'],
    ['root-account-mfa-enabled', 'ROOT_ACCOUNT_MFA_ENABLED'],
    ['required-tags', 'REQUIRED_TAGS'],
    ['lambda-function-public-access-prohibited', 'LAMBDA_FUNCTION_PUBLIC_ACCESS_PROHIBITED'],
  ])('renders the managed rule %s (%s)', (rule, identifier) => {
    expect(synth).toHaveResourceWithProperties(ConfigConfigRule, {
      name: `compliance-${rule}-${SUFFIX}`,
      source: { owner: 'AWS', source_identifier: identifier },
    });
  });

  it('renders every managed rule once, periodic ones every 24 hours', () => {
    for (const [rule, spec] of Object.entries(MANAGED_RULES)) {
      const { config } = ruleNamed(tf, rule);
      expect(config.maximum_execution_frequency).toBe(
        spec.periodic ? 'TwentyFour_Hours' : undefined,
      );
    }
    expect(resourcesOf(tf, 'aws_config_config_rule')).toHaveLength(
      Object.keys(MANAGED_RULES).length + Object.keys(CUSTOM_RULES).length,
    );
  });

  it('scopes required-tags to resource types that rule supports (Lambda functions are not)', () => {
    const scope = ruleNamed(tf, 'required-tags').config.scope as {
      compliance_resource_types: string[];
    };
    expect(scope.compliance_resource_types.length).toBeGreaterThan(0);
    for (const type of scope.compliance_resource_types)
      expect(REQUIRED_TAGS_SUPPORTED_TYPES).toContain(type);
    expect(scope.compliance_resource_types).not.toContain('AWS::Lambda::Function');
  });

  it('renders rule parameters as JSON', () => {
    expect(JSON.parse(ruleNamed(tf, 'required-tags').config.input_parameters as string)).toEqual({
      tag1Key: 'Environment',
      tag2Key: 'Owner',
      tag3Key: 'CostCenter',
      tag4Key: 'ComplianceLevel',
    });
    expect(
      JSON.parse(ruleNamed(tf, 'access-keys-rotated').config.input_parameters as string),
    ).toEqual({
      maxAccessKeyAge: '90',
    });
    expect(
      JSON.parse(ruleNamed(tf, 'restricted-common-ports').config.input_parameters as string),
    ).toMatchObject({ blockedPort1: '20', blockedPort2: '21', blockedPort3: '3389' });
  });

  it.each([
    ['s3-encryption', 'config-rule-s3-encryption', ['AWS::S3::Bucket'], false],
    ['vpc-flow-logs', 'config-rule-vpc-flow-logs', ['AWS::EC2::VPC'], true],
    ['lambda-settings', 'config-rule-lambda-settings', ['AWS::Lambda::Function'], false],
  ])('renders the custom rule %s on its function', (rule, fn, resourceTypes, periodic) => {
    // GIVEN
    const lambda = resourceWith(tf, 'aws_lambda_function', 'function_name', `${fn}-${SUFFIX}`);
    const permission = resourcesOf(tf, 'aws_lambda_permission').find(
      (p) =>
        p.config.principal === 'config.amazonaws.com' &&
        p.config.function_name === ref('aws_lambda_function', lambda, 'function_name'),
    );
    const status = resourcesOf(tf, 'aws_config_configuration_recorder_status')[0];

    // THEN: Config may invoke the function, from this account only
    expect(synth).toHaveResourceWithProperties(LambdaPermission, {
      action: 'lambda:InvokeFunction',
      function_name: ref('aws_lambda_function', lambda, 'function_name'),
      principal: 'config.amazonaws.com',
      source_account: expect.stringContaining('aws_caller_identity'),
    });
    // THEN: the rule runs on changes (and daily when periodic), after the permission and recorder
    expect(synth).toHaveResourceWithProperties(ConfigConfigRule, {
      name: `compliance-${rule}-${SUFFIX}`,
      scope: { compliance_resource_types: resourceTypes },
      source: {
        owner: 'CUSTOM_LAMBDA',
        source_identifier: ref('aws_lambda_function', lambda, 'arn'),
        source_detail: [
          { event_source: 'aws.config', message_type: 'ConfigurationItemChangeNotification' },
          {
            event_source: 'aws.config',
            message_type: 'OversizedConfigurationItemChangeNotification',
          },
          ...(periodic
            ? [
                {
                  event_source: 'aws.config',
                  message_type: 'ScheduledNotification',
                  maximum_execution_frequency: 'TwentyFour_Hours',
                },
              ]
            : []),
        ],
      },
      depends_on: [
        `aws_lambda_permission.${permission!.id}`,
        `aws_config_configuration_recorder_status.${status.id}`,
      ],
    });
  });

  it('renders every managed rule after the recorder it needs', () => {
    const status = resourcesOf(tf, 'aws_config_configuration_recorder_status')[0];
    for (const rule of Object.keys(MANAGED_RULES)) {
      expect(ruleNamed(tf, rule).config.depends_on).toEqual([
        `aws_config_configuration_recorder_status.${status.id}`,
      ]);
    }
  });

  describe('controls: the scanner checks each rule judges (what silences its alerts)', () => {
    const rules: [string, RuleControls | undefined, readonly string[] | undefined][] = [
      ...Object.entries(MANAGED_RULES).map(
        ([r, spec]): [string, RuleControls | undefined, readonly string[] | undefined] => [
          r,
          spec.controls,
          spec.resourceTypes,
        ],
      ),
      ...Object.entries(CUSTOM_RULES).map(
        ([r, spec]): [string, RuleControls, readonly string[]] => [
          r,
          spec.controls,
          spec.resourceTypes,
        ],
      ),
    ];

    it.each(rules.filter(([, controls]) => controls))(
      '%s names scanner checks of the resource types it evaluates',
      (_rule, controls, resourceTypes) => {
        for (const [type, ids] of Object.entries(controls!)) {
          expect(resourceTypes).toContain(type);
          for (const id of ids) {
            expect(CHECKS.find((c) => c.id === id)).toMatchObject({ resourceType: type });
          }
        }
      },
    );

    it('leaves only the rules about IAM users and the account without controls (Config gives no ARN)', () => {
      expect(rules.filter(([, controls]) => !controls).map(([r]) => r)).toEqual([
        'mfa-enabled-for-iam-console-access',
        'access-keys-rotated',
        'root-account-mfa-enabled',
      ]);
    });

    it('gives the alert-notifier the map by deployed rule name', () => {
      const notifier = resourceWith(
        tf,
        'aws_lambda_function',
        'function_name',
        `alert-notifier-${SUFFIX}`,
      );
      const env = (notifier.config.environment as { variables: Record<string, string> }).variables;
      const map = JSON.parse(env.CONFIG_RULE_CONTROLS) as Record<string, RuleControls>;
      expect(map[`compliance-s3-encryption-${SUFFIX}`]).toEqual({
        'AWS::S3::Bucket': ['S3.CustomerManagedKey'],
      });
      expect(map[`compliance-required-tags-${SUFFIX}`]).toMatchObject({
        'AWS::EC2::VPC': ['EC2.46'],
      });
      expect(Object.keys(map)).toHaveLength(rules.length - 3);
      // Lambda refuses a function whose variables exceed 4 KB in all.
      const bytes = Object.entries(env).reduce((n, [k, v]) => n + k.length + v.length, 0);
      expect(bytes).toBeLessThan(4096);
    });
  });
});
