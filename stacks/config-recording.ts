/**
 * AWS Config recorder, delivery channel and recorder status, created per CONFIG_RECORDER_MODE
 * (DESIGN §7). AWS allows one customer-managed recorder per account and region, so in `auto`
 * mode the plan asks Cloud Control which recorders exist and creates ours only when no other
 * customer-managed one does.
 */
import { ConfigConfigurationRecorder } from '@cdktf/provider-aws/lib/config-configuration-recorder';
import { ConfigConfigurationRecorderStatus } from '@cdktf/provider-aws/lib/config-configuration-recorder-status';
import { ConfigDeliveryChannel } from '@cdktf/provider-aws/lib/config-delivery-channel';
import {
  Fn,
  Op,
  TerraformCount,
  TerraformIterator,
  TerraformLocal,
  type ITerraformDependable,
} from 'cdktf';
import { Construct } from 'constructs';
import { AwsccProvider, DataAwsccConfigConfigurationRecorders } from './awscc';
import { CONFIG_PREFIX, type AuditBucket } from './audit-storage';
import type { DeploymentEnvironment } from './environment';
import { awsManagedPolicyArn, ManagedRole } from './iam';

/** Service-linked recorders (other AWS services' own) carry this prefix and do not use the quota. */
export const SERVICE_LINKED_RECORDER_PREFIX = 'AWSConfigurationRecorderFor';

export interface ConfigRecordingProps {
  readonly env: DeploymentEnvironment;
  readonly auditBucket: AuditBucket;
  readonly dataKeyArn: string;
}

export class ConfigRecording extends Construct {
  /** Name of our recorder (whether or not this plan creates it). */
  readonly recorderName: string;
  /** `true`, `false`, or (auto mode) an expression Terraform resolves at plan time. */
  readonly created: boolean | string;
  /** Name of the recorder the rules use: ours, or in auto mode an existing one. */
  readonly activeRecorderName: string;
  /** What the Config rules must wait for (empty when the stack creates nothing). */
  readonly readiness: ITerraformDependable[] = [];

  constructor(scope: Construct, id: string, props: ConfigRecordingProps) {
    super(scope, id);
    const { env, auditBucket, dataKeyArn } = props;
    const mode = env.settings.configRecorderMode;
    this.recorderName = env.name('compliance-recorder');

    if (mode === 'existing') {
      this.created = false;
      this.activeRecorderName =
        'existing (CONFIG_RECORDER_MODE=existing: not managed by this stack)';
      return;
    }

    let count: TerraformCount | undefined;
    if (mode === 'auto') {
      const awscc = new AwsccProvider(this, 'awscc', { region: env.region });
      const recorders = new DataAwsccConfigConfigurationRecorders(this, 'recorders', awscc);
      recorders.overrideLogicalId('config_recorders');
      // Customer-managed recorders other than ours: ours must not count, or the next plan destroys it.
      const others = TerraformIterator.fromList(recorders.ids).forExpressionForList(
        `val if val != "${this.recorderName}" && !startswith(val, "${SERVICE_LINKED_RECORDER_PREFIX}")`,
      );
      const othersLocal = new TerraformLocal(this, 'other-recorders', others);
      othersLocal.overrideLogicalId('other_config_recorders');
      // (Op.lt(…, 1) rather than Op.eq(…, 0): cdktf 0.21 renders a literal 0 operand as `undefined`.)
      const create = new TerraformLocal(
        this,
        'create',
        Fn.conditional(Op.lt(Fn.lengthOf(othersLocal.expression), 1), 1, 0),
      );
      create.overrideLogicalId('create_config_recorder');
      count = TerraformCount.of(create.asNumber);
      this.created = Op.lt(Fn.lengthOf(othersLocal.expression), 1) as unknown as string;
      // The first other recorder when there is one, else ours (no conditional: both branches of
      // a Terraform conditional are evaluated, and element() of an empty list fails).
      this.activeRecorderName = Fn.element(Fn.concat([othersLocal.asList, [this.recorderName]]), 0);
    } else {
      this.created = true;
      this.activeRecorderName = this.recorderName;
    }

    const bucketArn = auditBucket.bucket.arn;
    const role = new ManagedRole(this, 'role', {
      name: env.iamName('config-recorder'),
      description: 'AWS Config recorder: read configurations, deliver to the audit bucket',
      servicePrincipal: 'config.amazonaws.com',
      trustConditions: { StringEquals: { 'aws:SourceAccount': env.account } },
      awsManagedPolicyArns: [awsManagedPolicyArn(env.partition, 'service-role/AWS_ConfigRole')],
      statements: [
        {
          // Config checks the delivery bucket (ACL and existence) before it accepts the channel.
          sid: 'CheckBucket',
          actions: ['s3:GetBucketAcl', 's3:ListBucket'],
          resources: [bucketArn],
        },
        {
          sid: 'DeliverHistory',
          actions: ['s3:PutObject'],
          resources: [`${bucketArn}/${CONFIG_PREFIX}/AWSLogs/${env.account}/Config/*`],
        },
        {
          sid: 'EncryptHistory',
          actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
          resources: [dataKeyArn],
        },
      ],
    });

    // The recorder and channel use the role at once: its policies must be attached first.
    const recorder = new ConfigConfigurationRecorder(this, 'recorder', {
      count,
      name: this.recorderName,
      roleArn: role.role.arn,
      recordingGroup: { allSupported: true, includeGlobalResourceTypes: true },
      recordingMode: { recordingFrequency: 'CONTINUOUS' },
      dependsOn: [role.attachments],
    });
    const channel = new ConfigDeliveryChannel(this, 'delivery-channel', {
      count,
      name: env.name('compliance-delivery'),
      s3BucketName: auditBucket.bucket.bucket,
      s3KeyPrefix: CONFIG_PREFIX,
      s3KmsKeyArn: dataKeyArn,
      snapshotDeliveryProperties: { deliveryFrequency: 'TwentyFour_Hours' },
      dependsOn: [recorder, auditBucket.policy, role.attachments],
    });
    const status = new ConfigConfigurationRecorderStatus(this, 'status', {
      count,
      name: this.recorderName,
      isEnabled: true,
      dependsOn: [channel],
    });
    this.readiness.push(status);
  }
}
