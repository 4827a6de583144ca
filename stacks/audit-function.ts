/**
 * One audit function and everything it owns: its KMS-encrypted log group (created first), a role
 * with managed policies only, the function itself (arm64, Node.js 22, X-Ray Active, reserved
 * concurrency), and its asynchronous-failure destination (DESIGN §4, §9).
 */
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { LambdaFunctionEventInvokeConfig } from '@cdktf/provider-aws/lib/lambda-function-event-invoke-config';
import { AssetType, TerraformAsset } from 'cdktf';
import { Construct } from 'constructs';
import type { LambdaBundle } from '../lambdas/build';
import type { DeploymentEnvironment } from './environment';
import type { FunctionSpec } from './function-catalog';
import { awsManagedPolicyArn, ManagedRole, type PolicyStatement } from './iam';
import type { OrgFunctionName } from './organization-functions';
import type { FunctionName } from './settings';

export const LAMBDA_RUNTIME = 'nodejs22.x';
export const LAMBDA_ARCHITECTURE = 'arm64';
/** Retries of a failed asynchronous invocation before the event goes to the failure queue. */
const ASYNC_RETRIES = 2;
const ASYNC_MAX_EVENT_AGE_SECONDS = 6 * 3600;

export interface AuditFunctionProps {
  readonly env: DeploymentEnvironment;
  readonly name: FunctionName | OrgFunctionName;
  readonly spec: FunctionSpec;
  /** @default - the function's RESERVED_CONCURRENCY setting */
  readonly reservedConcurrency?: number;
  readonly bundle: LambdaBundle;
  readonly environment: Readonly<Record<string, string>>;
  /** The function's own least-privilege statements. */
  readonly statements: readonly PolicyStatement[];
  readonly logsKeyArn: string;
  readonly failureQueueArn: string;
  readonly messagingKeyArn: string;
  /** Subnets and security group when the function runs in the VPC. */
  readonly vpc?: { readonly subnetIds: string[]; readonly securityGroupIds: string[] };
}

/** `/aws/lambda/<name>-<suffix>`: where Lambda writes the function's logs. */
export function functionLogGroupName(
  env: DeploymentEnvironment,
  name: FunctionName | OrgFunctionName,
): string {
  return `/aws/lambda/${env.name(name)}`;
}

export class AuditFunction extends Construct {
  readonly fn: LambdaFunction;
  readonly role: ManagedRole;
  readonly logGroup: CloudwatchLogGroup;

  constructor(scope: Construct, id: string, props: AuditFunctionProps) {
    super(scope, id);
    const { env, name, spec } = props;
    const functionName = env.name(name);

    this.logGroup = new CloudwatchLogGroup(this, 'logs', {
      name: functionLogGroupName(env, name),
      retentionInDays: env.settings.logRetentionDays,
      kmsKeyId: props.logsKeyArn,
    });

    this.role = new ManagedRole(this, 'role', {
      name: env.iamName(name),
      extraPolicyName: (n) => env.iamName(`${name}-${n}`),
      description: `Execution role of ${functionName}: ${spec.description}`,
      servicePrincipal: 'lambda.amazonaws.com',
      awsManagedPolicyArns: [
        awsManagedPolicyArn(
          env.partition,
          props.vpc
            ? 'service-role/AWSLambdaVPCAccessExecutionRole'
            : 'service-role/AWSLambdaBasicExecutionRole',
        ),
        awsManagedPolicyArn(env.partition, 'AWSXRayDaemonWriteAccess'),
      ],
      statements: [
        ...props.statements,
        {
          // Lambda sends failed asynchronous events to the destination with the execution role.
          sid: 'SendFailedEvents',
          actions: ['sqs:SendMessage'],
          resources: [props.failureQueueArn],
        },
        {
          sid: 'EncryptFailedEvents',
          actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
          resources: [props.messagingKeyArn],
        },
      ],
    });

    const code = new TerraformAsset(this, 'code', {
      path: props.bundle.zipPath,
      type: AssetType.FILE,
    });
    this.fn = new LambdaFunction(this, 'function', {
      functionName,
      description: spec.description,
      role: this.role.role.arn,
      runtime: LAMBDA_RUNTIME,
      architectures: [LAMBDA_ARCHITECTURE],
      handler: 'index.handler',
      filename: code.path,
      sourceCodeHash: props.bundle.sha256,
      memorySize: spec.memoryMb,
      timeout: spec.timeoutSeconds,
      reservedConcurrentExecutions:
        props.reservedConcurrency ?? env.settings.reservedConcurrency[name as FunctionName],
      tracingConfig: { mode: 'Active' },
      loggingConfig: { logFormat: 'JSON', logGroup: this.logGroup.name },
      environment: {
        variables: {
          POWERTOOLS_SERVICE_NAME: name,
          NODE_OPTIONS: '--enable-source-maps',
          ...props.environment,
        },
      },
      vpcConfig: props.vpc,
      // The log group must exist (with its key and retention) before Lambda can create one itself.
      dependsOn: [this.logGroup, this.role.attachments],
    });

    new LambdaFunctionEventInvokeConfig(this, 'async', {
      functionName: this.fn.functionName,
      maximumRetryAttempts: ASYNC_RETRIES,
      maximumEventAgeInSeconds: ASYNC_MAX_EVENT_AGE_SECONDS,
      destinationConfig: { onFailure: { destination: props.failureQueueArn } },
    });
  }
}
