import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { LambdaFunctionEventInvokeConfig } from '@cdktf/provider-aws/lib/lambda-function-event-invoke-config';
import { ENV } from '../../lambdas/shared/env-names';
import { FUNCTION_CATALOG } from '../../stacks/function-catalog';
import {
  DEFAULT_RESERVED_CONCURRENCY,
  FUNCTION_NAMES,
  type FunctionName,
  type RemediationMode,
} from '../../stacks/settings';
import {
  defaultStack,
  envKeysRead,
  EVERY_PATH_SETTINGS,
  iamNameOf,
  lambdaModules,
  policyNamed,
  ref,
  resourcesOf,
  resourceWith,
  SUFFIX,
  synthStack,
  type Found,
  type TerraformJson,
} from '../helpers/stack';

const OUTSIDE_VPC_WITH_ENDPOINTS: readonly FunctionName[] = [
  'scanner',
  'config-rule-lambda-settings',
];

const fnOf = (tf: TerraformJson, name: FunctionName): Found =>
  resourceWith(tf, 'aws_lambda_function', 'function_name', `${name}-${SUFFIX}`);
const roleOf = (tf: TerraformJson, name: FunctionName): Found =>
  resourceWith(tf, 'aws_iam_role', 'name', iamNameOf(name));
const variablesOf = (tf: TerraformJson, name: FunctionName): Record<string, string> =>
  (fnOf(tf, name).config.environment as { variables: Record<string, string> }).variables;

describe('AuditFunction', () => {
  let synth: string;
  let tf: TerraformJson;
  beforeAll(() => {
    ({ synth, tf } = defaultStack());
  });

  describe.each(FUNCTION_NAMES.map((name) => [name]))('%s', (name) => {
    it('renders an arm64 nodejs22.x function with Active tracing and its reserved concurrency', () => {
      const spec = FUNCTION_CATALOG[name];
      expect(synth).toHaveResourceWithProperties(LambdaFunction, {
        function_name: `${name}-${SUFFIX}`,
        runtime: 'nodejs22.x',
        architectures: ['arm64'],
        handler: 'index.handler',
        tracing_config: { mode: 'Active' },
        reserved_concurrent_executions: DEFAULT_RESERVED_CONCURRENCY[name],
        memory_size: spec.memoryMb,
        timeout: spec.timeoutSeconds,
        role: ref('aws_iam_role', roleOf(tf, name), 'arn'),
      });
    });

    it('renders its KMS-encrypted log group /aws/lambda/<name>-<suffix>, created before the function', () => {
      // GIVEN
      const group = resourceWith(
        tf,
        'aws_cloudwatch_log_group',
        'name',
        `/aws/lambda/${name}-${SUFFIX}`,
      );
      const logsKey = resourcesOf(tf, 'aws_kms_key').find((k) => k.id.startsWith('keys_logs_'))!;
      const fn = fnOf(tf, name);

      // THEN
      expect(synth).toHaveResourceWithProperties(CloudwatchLogGroup, {
        name: `/aws/lambda/${name}-${SUFFIX}`,
        retention_in_days: 90,
        kms_key_id: ref('aws_kms_key', logsKey, 'arn'),
      });
      expect(fn.config.depends_on).toContain(`aws_cloudwatch_log_group.${group.id}`);
      expect(fn.config.logging_config).toEqual({
        log_format: 'JSON',
        log_group: ref('aws_cloudwatch_log_group', group, 'name'),
      });
    });

    it('renders its failed asynchronous invocations going to the failure queue', () => {
      const queue = resourcesOf(tf, 'aws_sqs_queue')[0];
      expect(synth).toHaveResourceWithProperties(LambdaFunctionEventInvokeConfig, {
        function_name: ref('aws_lambda_function', fnOf(tf, name), 'function_name'),
        maximum_retry_attempts: 2,
        destination_config: { on_failure: { destination: ref('aws_sqs_queue', queue, 'arn') } },
      });
    });

    it('renders the VPC config only where the function can run without the internet', () => {
      // GIVEN
      const fn = fnOf(tf, name);
      const inVpc = !OUTSIDE_VPC_WITH_ENDPOINTS.includes(name);
      const attachments = resourcesOf(tf, 'aws_iam_role_policy_attachments_exclusive').find(
        (a) => a.config.role_name === ref('aws_iam_role', roleOf(tf, name), 'name'),
      )!;

      // THEN
      if (inVpc) {
        expect(fn.config.vpc_config).toEqual({
          subnet_ids: resourcesOf(tf, 'aws_subnet').map((s) => ref('aws_subnet', s, 'id')),
          security_group_ids: [
            ref(
              'aws_security_group',
              resourceWith(tf, 'aws_security_group', 'name', `compliance-lambda-${SUFFIX}`),
              'id',
            ),
          ],
        });
      } else {
        expect(fn.config).not.toHaveProperty('vpc_config');
      }
      const executionRole = inVpc
        ? 'AWSLambdaVPCAccessExecutionRole'
        : 'AWSLambdaBasicExecutionRole';
      expect(attachments.config.policy_arns).toEqual([
        expect.stringMatching(new RegExp(`:iam::aws:policy/service-role/${executionRole}$`)),
        expect.stringMatching(/:iam::aws:policy\/AWSXRayDaemonWriteAccess$/),
        // Its own policy, in parts when IAM's 6,144-character limit needs more than one.
        ...resourcesOf(tf, 'aws_iam_policy')
          .filter(
            (p) =>
              p.config.name === iamNameOf(name) ||
              String(p.config.description).startsWith(
                `Least-privilege permissions of ${iamNameOf(name)} (`,
              ),
          )
          .map((p) => ref('aws_iam_policy', p, 'arn')),
      ]);
    });

    it('renders every environment variable its code reads', () => {
      // GIVEN: the ENV constants read by the handler and every module it imports
      const modules = lambdaModules(name);
      const read = envKeysRead(modules).map((k) => ENV[k as keyof typeof ENV]);
      expect(modules.length).toBeGreaterThan(1);
      expect(read).not.toContain(undefined);

      // WHEN: deployed so that every code path is in use
      const every = EVERY_PATH_SETTINGS[name];
      const full = every ? synthStack(every).tf : tf;

      // THEN
      expect(Object.keys(variablesOf(full, name))).toEqual(expect.arrayContaining(read));
      expect(variablesOf(tf, name)).toMatchObject({
        POWERTOOLS_SERVICE_NAME: name,
        [ENV.environmentSuffix]: SUFFIX,
        [ENV.auditBucket]: ref('aws_s3_bucket', resourcesOf(tf, 'aws_s3_bucket')[0], 'bucket'),
      });
    });

    it('renders a role only Lambda can assume', () => {
      expect(JSON.parse(roleOf(tf, name).config.assume_role_policy as string).Statement).toEqual([
        {
          Effect: 'Allow',
          Principal: { Service: 'lambda.amazonaws.com' },
          Action: 'sts:AssumeRole',
        },
      ]);
    });
  });

  it('renders the alert topic and threshold on alert-notifier', () => {
    const topic = resourcesOf(tf, 'aws_sns_topic')[0];
    expect(variablesOf(tf, 'alert-notifier')).toMatchObject({
      [ENV.alertTopicArn]: ref('aws_sns_topic', topic, 'arn'),
      [ENV.alertMinSeverity]: 'high',
    });
  });

  it('renders the scan settings on scanner', () => {
    expect(variablesOf(tf, 'scanner')).toMatchObject({
      // Empty: the scanner covers every region enabled for the account.
      [ENV.scanRegions]: '',
      [ENV.allowedOpenPorts]: '80,443',
      [ENV.allowedOpenUdpPorts]: '',
      [ENV.mandatoryTags]: 'Environment,Owner,CostCenter,ComplianceLevel',
    });
  });
});

describe('REMEDIATION_MODE and RESERVED_CONCURRENCY', () => {
  const remediationKeyOf = (tf: TerraformJson): Found | undefined =>
    resourcesOf(tf, 'aws_kms_key').find((k) => k.id.startsWith('keys_remediation_'));
  let variants: Record<RemediationMode, TerraformJson>;
  let offSynth: string;
  beforeAll(() => {
    const off = synthStack({ remediationMode: 'off' });
    offSynth = off.synth;
    variants = {
      off: off.tf,
      'dry-run': defaultStack().tf,
      enforce: synthStack({
        remediationMode: 'enforce',
        reservedConcurrency: { scanner: 3, 'csv-report': 1 },
      }).tf,
    };
  });

  it('renders no remediation key, key variable or key permission with off', () => {
    // GIVEN
    const tf = variants.off;

    // THEN
    expect(variablesOf(tf, 'remediation')[ENV.remediationMode]).toBe('off');
    expect(variablesOf(tf, 'remediation')).not.toHaveProperty(ENV.remediationKmsKeyArn);
    expect(remediationKeyOf(tf)).toBeUndefined();
    expect(offSynth).not.toHaveResourceWithProperties(KmsKey, {
      description: expect.stringContaining('Default encryption of buckets that remediation fixes'),
    });
    expect(resourcesOf(tf, 'aws_kms_alias').map((a) => a.config.name)).not.toContain(
      `alias/compliance-remediation-${SUFFIX}`,
    );
    expect(tf.output).not.toHaveProperty('remediation_kms_key_arn');
    const actions = policyNamed(tf, iamNameOf('remediation')).flatMap((s) => [s.Action].flat());
    expect(actions).not.toContain('kms:DescribeKey');
  });

  it.each(['dry-run', 'enforce'] as const)(
    'renders the mode and its key on the function with %s',
    (mode) => {
      // GIVEN
      const tf = variants[mode];
      const key = remediationKeyOf(tf);

      // THEN
      expect(key).toBeDefined();
      expect(variablesOf(tf, 'remediation')).toMatchObject({
        [ENV.remediationMode]: mode,
        [ENV.remediationKmsKeyArn]: ref('aws_kms_key', key!, 'arn'),
        [ENV.remediationMaxPerRun]: '10',
        // The custom rule only: the managed S3_DEFAULT_ENCRYPTION_KMS rule passes aws/s3 (S3.17).
        [ENV.remediationRuleNames]: `compliance-s3-encryption-${SUFFIX}`,
      });
      // The remediation key and each bucket's current key, in the stack's region.
      expect(policyNamed(tf, iamNameOf('remediation'))).toContainEqual(
        expect.objectContaining({
          Action: 'kms:DescribeKey',
          Resource: expect.stringMatching(/^arn:\$\{.+\}:kms:us-east-1:\*:key\/\*$/),
        }),
      );
      expect(tf.output.remediation_kms_key_arn.value).toBe(ref('aws_kms_key', key!, 'arn'));
    },
  );

  it('renders a key of your own (REMEDIATION_KMS_KEY_ARN) instead of creating one', () => {
    // GIVEN
    const own = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';

    // WHEN
    const { tf } = synthStack({ remediationMode: 'enforce', remediationKmsKeyArn: own });

    // THEN
    expect(remediationKeyOf(tf)).toBeUndefined();
    expect(variablesOf(tf, 'remediation')[ENV.remediationKmsKeyArn]).toBe(own);
    expect(policyNamed(tf, iamNameOf('remediation'))).toContainEqual(
      expect.objectContaining({ Action: 'kms:DescribeKey' }),
    );
    expect(tf.output).not.toHaveProperty('remediation_kms_key_arn');
  });

  it('keeps the remediation key 30 days after a destroy: other buckets depend on it', () => {
    expect(remediationKeyOf(variants.enforce)!.config.deletion_window_in_days).toBe(30);
  });

  it('renders RESERVED_CONCURRENCY overrides, defaults for the rest', () => {
    const tf = variants.enforce;
    expect(fnOf(tf, 'scanner').config.reserved_concurrent_executions).toBe(3);
    expect(fnOf(tf, 'csv-report').config.reserved_concurrent_executions).toBe(1);
    expect(fnOf(tf, 'json-report').config.reserved_concurrent_executions).toBe(2);
  });
});
