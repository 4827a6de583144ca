import { ConfigConfigRule } from '@cdktf/provider-aws/lib/config-config-rule';
import { ConfigConfigurationRecorder } from '@cdktf/provider-aws/lib/config-configuration-recorder';
import { ConfigConfigurationRecorderStatus } from '@cdktf/provider-aws/lib/config-configuration-recorder-status';
import { ConfigDeliveryChannel } from '@cdktf/provider-aws/lib/config-delivery-channel';
import { AWSCC_VERSION_CONSTRAINT } from '../../stacks/awscc';
import { SERVICE_LINKED_RECORDER_PREFIX } from '../../stacks/config-recording';
import {
  iamNameOf,
  policyNamed,
  ref,
  resourcesOf,
  resourceWith,
  SUFFIX,
  synthStack,
  type Found,
  type Synthesized,
} from '../helpers/stack';

/** cdktf's raw provider / data source classes have no static tfResourceType: match by name. */
const AWSCC_PROVIDER = { tfResourceType: 'awscc' };
const AWSCC_RECORDERS = { tfResourceType: 'awscc_config_configuration_recorders' };
const RECORDER_TYPES = [
  'aws_config_configuration_recorder',
  'aws_config_delivery_channel',
  'aws_config_configuration_recorder_status',
];
const RECORDER = `compliance-recorder-${SUFFIX}`;

describe('ConfigRecording', () => {
  let auto: Synthesized;
  let create: Synthesized;
  let existing: Synthesized;
  beforeAll(() => {
    auto = synthStack();
    create = synthStack({ configRecorderMode: 'create' });
    existing = synthStack({ configRecorderMode: 'existing' });
  });

  describe('with CONFIG_RECORDER_MODE auto (default)', () => {
    it('renders the awscc provider and its recorders data source', () => {
      expect(auto.synth).toHaveProviderWithProperties(AWSCC_PROVIDER, { region: 'us-east-1' });
      expect(auto.tf.terraform.required_providers?.awscc).toEqual({
        source: 'hashicorp/awscc',
        version: AWSCC_VERSION_CONSTRAINT,
      });
      expect(auto.synth).toHaveDataSourceWithProperties(AWSCC_RECORDERS, { provider: 'awscc' });
      expect(Object.keys(auto.tf.data?.awscc_config_configuration_recorders ?? {})).toEqual([
        'config_recorders',
      ]);
    });

    it('renders locals that ignore its own recorder and service-linked recorders', () => {
      // (The network's private_subnet_azs is the other local.)
      expect(SERVICE_LINKED_RECORDER_PREFIX).toBe('AWSConfigurationRecorderFor');
      expect(auto.tf.locals).toMatchObject({
        other_config_recorders:
          '${[ for key, val in toset(data.awscc_config_configuration_recorders.config_recorders.ids): ' +
          `val if val != "${RECORDER}" && !startswith(val, "AWSConfigurationRecorderFor")]}`,
        create_config_recorder: '${(length(local.other_config_recorders) < 1) ? 1 : 0}',
      });
    });

    it('renders recorder, delivery channel and status counted by local.create_config_recorder', () => {
      for (const type of RECORDER_TYPES) {
        const [found, ...more] = resourcesOf(auto.tf, type);
        expect(more).toEqual([]);
        expect(found.config.count).toBe('${local.create_config_recorder}');
      }
    });

    it('renders outputs naming the recorder in use and whether the stack created it', () => {
      expect(auto.tf.output.config_recorder_created.value).toBe(
        '${(length(local.other_config_recorders) < 1)}',
      );
      expect(auto.tf.output.config_recorder_name.value).toBe(
        `\${element(concat(local.other_config_recorders, ["${RECORDER}"]), 0)}`,
      );
    });
  });

  describe('with CONFIG_RECORDER_MODE create', () => {
    /** The exclusive policy attachments of the recorder role. */
    const roleAttachments = (): Found => {
      const role = resourceWith(create.tf, 'aws_iam_role', 'name', iamNameOf('config-recorder'));
      return resourcesOf(create.tf, 'aws_iam_role_policy_attachments_exclusive').find(
        (a) => a.config.role_name === ref('aws_iam_role', role, 'name'),
      )!;
    };

    it('renders a recorder of every supported resource type, global ones included, once its role has its policies', () => {
      const role = resourceWith(create.tf, 'aws_iam_role', 'name', iamNameOf('config-recorder'));
      expect(create.synth).toHaveResourceWithProperties(ConfigConfigurationRecorder, {
        name: RECORDER,
        role_arn: ref('aws_iam_role', role, 'arn'),
        recording_group: { all_supported: true, include_global_resource_types: true },
        recording_mode: { recording_frequency: 'CONTINUOUS' },
        depends_on: [`aws_iam_role_policy_attachments_exclusive.${roleAttachments().id}`],
      });
    });

    it('renders a delivery channel to the audit bucket under config/, encrypted with the data key', () => {
      const bucket = resourcesOf(create.tf, 'aws_s3_bucket')[0];
      const dataKey = resourcesOf(create.tf, 'aws_kms_key').find((k) =>
        k.id.startsWith('keys_data_'),
      )!;
      const recorder = resourcesOf(create.tf, 'aws_config_configuration_recorder')[0];
      const bucketPolicy = resourcesOf(create.tf, 'aws_s3_bucket_policy')[0];
      expect(create.synth).toHaveResourceWithProperties(ConfigDeliveryChannel, {
        name: `compliance-delivery-${SUFFIX}`,
        s3_bucket_name: ref('aws_s3_bucket', bucket, 'bucket'),
        s3_key_prefix: 'config',
        s3_kms_key_arn: ref('aws_kms_key', dataKey, 'arn'),
        depends_on: [
          `aws_config_configuration_recorder.${recorder.id}`,
          `aws_s3_bucket_policy.${bucketPolicy.id}`,
          `aws_iam_role_policy_attachments_exclusive.${roleAttachments().id}`,
        ],
      });
    });

    it('renders the recorder enabled once the channel exists', () => {
      const channel = resourcesOf(create.tf, 'aws_config_delivery_channel')[0];
      expect(create.synth).toHaveResourceWithProperties(ConfigConfigurationRecorderStatus, {
        name: RECORDER,
        is_enabled: true,
        depends_on: [`aws_config_delivery_channel.${channel.id}`],
      });
    });

    it('renders recorder resources without count and no awscc at all', () => {
      for (const type of RECORDER_TYPES) {
        expect(resourcesOf(create.tf, type)).toHaveLength(1);
        expect(resourcesOf(create.tf, type)[0].config).not.toHaveProperty('count');
      }
      expect(create.synth).not.toHaveProvider(AWSCC_PROVIDER);
      expect(create.synth).not.toHaveDataSource(AWSCC_RECORDERS);
      expect(create.tf.terraform.required_providers).not.toHaveProperty('awscc');
      expect(create.tf.locals?.create_config_recorder).toBeUndefined();
      expect(create.tf.output.config_recorder_created.value).toBe(true);
      expect(create.tf.output.config_recorder_name.value).toBe(RECORDER);
    });

    it('renders a recorder role trusted by AWS Config of this account, writing only Config history', () => {
      // GIVEN
      const role = resourceWith(create.tf, 'aws_iam_role', 'name', iamNameOf('config-recorder'));
      const bucketArn = ref('aws_s3_bucket', resourcesOf(create.tf, 'aws_s3_bucket')[0], 'arn');

      // THEN
      expect(JSON.parse(role.config.assume_role_policy as string).Statement).toEqual([
        {
          Effect: 'Allow',
          Principal: { Service: 'config.amazonaws.com' },
          Action: 'sts:AssumeRole',
          Condition: {
            StringEquals: { 'aws:SourceAccount': expect.stringContaining('account_id') },
          },
        },
      ]);
      expect(
        resourcesOf(create.tf, 'aws_iam_role_policy_attachments_exclusive').find(
          (a) => a.config.role_name === ref('aws_iam_role', role, 'name'),
        )?.config.policy_arns,
      ).toContainEqual(expect.stringMatching(/:iam::aws:policy\/service-role\/AWS_ConfigRole$/));
      expect(policyNamed(create.tf, iamNameOf('config-recorder'))).toContainEqual({
        Sid: 'CheckBucket',
        Effect: 'Allow',
        Action: ['s3:GetBucketAcl', 's3:ListBucket'],
        Resource: bucketArn,
      });
      expect(policyNamed(create.tf, iamNameOf('config-recorder'))).toContainEqual(
        expect.objectContaining({
          Action: 's3:PutObject',
          Resource: expect.stringMatching(
            new RegExp(`^${bucketArn.replace(/[$.{}]/g, '\\$&')}/config/AWSLogs/.+/Config/\\*$`),
          ),
        }),
      );
    });
  });

  describe('with CONFIG_RECORDER_MODE existing', () => {
    it('renders no recorder, delivery channel, status or recorder role', () => {
      for (const type of RECORDER_TYPES) expect(resourcesOf(existing.tf, type)).toEqual([]);
      expect(() =>
        resourceWith(existing.tf, 'aws_iam_role', 'name', iamNameOf('config-recorder')),
      ).toThrow();
    });

    it('renders no awscc provider or data source', () => {
      expect(existing.synth).not.toHaveProvider(AWSCC_PROVIDER);
      expect(existing.synth).not.toHaveDataSource(AWSCC_RECORDERS);
      expect(existing.tf.locals?.other_config_recorders).toBeUndefined();
      expect(existing.tf.locals?.create_config_recorder).toBeUndefined();
      expect(existing.tf.output.config_recorder_created.value).toBe(false);
    });

    it('renders every Config rule, depending on nothing of the recorder', () => {
      expect(resourcesOf(existing.tf, 'aws_config_config_rule')).toHaveLength(
        resourcesOf(create.tf, 'aws_config_config_rule').length,
      );
      expect(existing.synth).toHaveResourceWithProperties(ConfigConfigRule, {
        name: `compliance-s3-encryption-${SUFFIX}`,
      });
      for (const rule of resourcesOf(existing.tf, 'aws_config_config_rule')) {
        for (const dependency of (rule.config.depends_on as string[] | undefined) ?? []) {
          expect(dependency).not.toMatch(/^aws_config_/);
        }
      }
    });
  });
});
