/**
 * Organization mode's fan-out (SCAN_SCOPE=organization): the three task functions, the Standard
 * state machine that runs them (org-scan-definition.ts) with its own role — managed policies
 * only, least privilege, including states:StartExecution on itself for the Distributed Map's child
 * executions — logging to a KMS-encrypted log group, X-Ray tracing, the role EventBridge starts it
 * with, alarms on failed and timed-out executions, and dashboard widgets. (The optional AWS Config
 * organization aggregator is config-aggregator.ts.)
 */
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { SfnStateMachine } from '@cdktf/provider-aws/lib/sfn-state-machine';
import { TerraformOutput } from 'cdktf';
import { Construct } from 'constructs';
import type { LambdaBundle } from '../lambdas/build';
import { ENV, SDK_TRACING_OFF } from '../lambdas/shared/env-names';
import { AuditFunction, functionLogGroupName } from './audit-function';
import type { DashboardWidget } from './dashboard';
import type { DeploymentEnvironment } from './environment';
import { runsInVpc } from './function-catalog';
import type { PermissionTargets } from './function-permissions';
import { awsManagedPolicyArn, ManagedRole, type PolicyStatement } from './iam';
import {
  ORG_FUNCTION_CATALOG,
  ORG_FUNCTION_NAMES,
  ORG_SCANS_PREFIX,
  orgFunctionStatements,
  type OrgFunctionName,
} from './organization-functions';
import type { OrganizationSettings } from './organization-settings';
import { ORG_SCAN_STATES, orgScanDefinition } from './org-scan-definition';

/** `compliance-org-scan-<suffix>`: the state machine and its role. */
export function stateMachineName(env: DeploymentEnvironment): string {
  return env.name('compliance-org-scan');
}

/** Vended-logs prefix: Step Functions' log delivery keeps its resource policy short under it. */
export function stateMachineLogGroupName(env: DeploymentEnvironment): string {
  return `/aws/vendedlogs/states/${stateMachineName(env)}`;
}

/** Every log group organization mode adds (the logs key's policy names each one). */
export function organizationLogGroupNames(env: DeploymentEnvironment): string[] {
  return [
    ...ORG_FUNCTION_NAMES.map((n) => functionLogGroupName(env, n)),
    stateMachineLogGroupName(env),
  ];
}

export interface OrganizationScanProps {
  readonly env: DeploymentEnvironment;
  readonly organization: OrganizationSettings;
  readonly targets: PermissionTargets;
  readonly bucketName: string;
  readonly bundle: (name: OrgFunctionName) => LambdaBundle;
  /** Environment every function gets (bucket, bus, log level …). */
  readonly commonEnvironment: Readonly<Record<string, string>>;
  /** The scanner's check settings (org-merge evaluates with them) and SCAN_CONCURRENCY. */
  readonly scannerEnvironment: Readonly<Record<string, string>>;
  readonly logsKeyArn: string;
  readonly failureQueueArn: string;
  readonly messagingKeyArn: string;
  readonly topicArn: string;
  readonly vpc: { readonly subnetIds: string[]; readonly securityGroupIds: string[] };
}

export class OrganizationScan extends Construct {
  readonly functions: Record<OrgFunctionName, AuditFunction>;
  readonly stateMachine: SfnStateMachine;
  readonly role: ManagedRole;
  /** The role EventBridge starts executions with. */
  readonly startRole: ManagedRole;
  readonly logGroup: CloudwatchLogGroup;
  readonly alarms: CloudwatchMetricAlarm[] = [];

  constructor(scope: Construct, id: string, props: OrganizationScanProps) {
    super(scope, id);
    const { env, organization: org, targets } = props;
    const s = env.settings;
    const sc = props.scannerEnvironment;
    const environments: Record<OrgFunctionName, Record<string, string>> = {
      'org-accounts': {
        [ENV.scanRegions]: sc[ENV.scanRegions] ?? '',
        [ENV.orgIncludeOus]: org.includeOus.join(','),
        [ENV.orgExcludeAccounts]: org.excludeAccounts.join(','),
      },
      'org-shard': {
        // One account's scan per shard: no X-Ray SDK in the process, as for the scanner.
        ...SDK_TRACING_OFF,
        [ENV.orgMemberRoleName]: org.memberRoleName,
        [ENV.orgExternalId]: org.externalId,
        [ENV.scanConcurrency]: sc[ENV.scanConcurrency] ?? '',
      },
      'org-merge': { ...sc },
    };
    // Shards in flight = the Map's MaxConcurrency: Lambda never throttles the Map in steady state.
    const reserved: Record<OrgFunctionName, number> = {
      'org-accounts': 1,
      'org-shard': org.scanConcurrency,
      'org-merge': 1,
    };
    this.functions = Object.fromEntries(
      ORG_FUNCTION_NAMES.map((name) => {
        const spec = ORG_FUNCTION_CATALOG[name];
        const fn = new AuditFunction(this, `fn-${name}`, {
          env,
          name,
          spec,
          bundle: props.bundle(name),
          environment: { ...props.commonEnvironment, ...environments[name] },
          statements: orgFunctionStatements(name, { ...targets, organization: org }),
          reservedConcurrency: reserved[name],
          logsKeyArn: props.logsKeyArn,
          failureQueueArn: props.failureQueueArn,
          messagingKeyArn: props.messagingKeyArn,
          vpc: runsInVpc(spec, s) ? props.vpc : undefined,
        });
        return [name, fn];
      }),
    ) as Record<OrgFunctionName, AuditFunction>;

    const name = stateMachineName(env);
    const stateMachineArn = env.arn('states', `stateMachine:${name}`);
    this.logGroup = new CloudwatchLogGroup(this, 'logs', {
      name: stateMachineLogGroupName(env),
      retentionInDays: s.logRetentionDays,
      kmsKeyId: props.logsKeyArn,
    });
    const scans = `${targets.bucketArn}/${ORG_SCANS_PREFIX}*`;
    const statements: PolicyStatement[] = [
      {
        sid: 'InvokeTasks',
        actions: ['lambda:InvokeFunction'],
        resources: ORG_FUNCTION_NAMES.map((n) => this.functions[n].fn.arn),
      },
      {
        // The Distributed Map starts its child executions as executions of this state machine.
        sid: 'RunMapChildren',
        actions: ['states:StartExecution'],
        resources: [stateMachineArn],
      },
      {
        sid: 'ManageMapChildren',
        actions: ['states:DescribeExecution', 'states:StopExecution'],
        // Child executions are `execution:<state machine>/<map label>:<id>`.
        resources: [env.arn('states', `execution:${name}/${ORG_SCAN_STATES.scanShards}:*`)],
      },
      { sid: 'ReadShardList', actions: ['s3:GetObject'], resources: [`${scans}/shards.json`] },
      {
        // ResultWriter writes the map run's results under the scan's map/ prefix (multipart).
        sid: 'WriteMapResults',
        actions: [
          's3:PutObject',
          's3:GetObject',
          's3:ListMultipartUploadParts',
          's3:AbortMultipartUpload',
        ],
        resources: [`${scans}/map/*`],
      },
      {
        sid: 'UseAuditDataKey',
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: [targets.dataKeyArn],
      },
      {
        sid: 'DeliverLogs',
        // Step Functions' log delivery APIs have no resource-level permissions.
        actions: [
          'logs:CreateLogDelivery',
          'logs:GetLogDelivery',
          'logs:UpdateLogDelivery',
          'logs:DeleteLogDelivery',
          'logs:ListLogDeliveries',
          'logs:PutResourcePolicy',
          'logs:DescribeResourcePolicies',
          'logs:DescribeLogGroups',
        ],
        resources: ['*'],
      },
    ];
    this.role = new ManagedRole(this, 'role', {
      name: env.iamName('org-scan'),
      description: `Execution role of the ${name} state machine: invokes the scan tasks, runs the Distributed Map`,
      servicePrincipal: 'states.amazonaws.com',
      trustConditions: {
        StringEquals: { 'aws:SourceAccount': env.account },
        ArnLike: { 'aws:SourceArn': [stateMachineArn, `${stateMachineArn}/*`] },
      },
      // X-Ray tracing of the executions.
      awsManagedPolicyArns: [awsManagedPolicyArn(env.partition, 'AWSXRayDaemonWriteAccess')],
      statements,
    });

    const timeouts = (n: OrgFunctionName) => ORG_FUNCTION_CATALOG[n].timeoutSeconds;
    this.stateMachine = new SfnStateMachine(this, 'state-machine', {
      name,
      type: 'STANDARD',
      roleArn: this.role.role.arn,
      definition: JSON.stringify(
        orgScanDefinition({
          mode: 'distributed',
          functions: {
            accounts: this.functions['org-accounts'].fn.arn,
            shard: this.functions['org-shard'].fn.arn,
            merge: this.functions['org-merge'].fn.arn,
          },
          bucket: props.bucketName,
          maxConcurrency: org.scanConcurrency,
          toleratedFailurePercentage: org.toleratedFailurePercent,
          taskTimeoutSeconds: {
            accounts: timeouts('org-accounts'),
            shard: timeouts('org-shard'),
            merge: timeouts('org-merge'),
          },
        }),
      ),
      loggingConfiguration: {
        logDestination: `${this.logGroup.arn}:*`,
        includeExecutionData: true,
        level: 'ERROR',
      },
      tracingConfiguration: { enabled: true },
      dependsOn: [this.logGroup, this.role.attachments],
    });

    const scanRules = ['scan-schedule', 'scan-request'].map((r) =>
      env.arn('events', `rule/${env.name(`compliance-${r}`)}`),
    );
    this.startRole = new ManagedRole(this, 'start-role', {
      name: env.iamName('org-scan-start'),
      description: `Lets the scan schedule and scan requests start ${name}`,
      servicePrincipal: 'events.amazonaws.com',
      trustConditions: {
        StringEquals: { 'aws:SourceAccount': env.account },
        ArnEquals: { 'aws:SourceArn': scanRules },
      },
      statements: [
        { sid: 'StartScans', actions: ['states:StartExecution'], resources: [stateMachineArn] },
      ],
    });

    const actions = { alarmActions: [props.topicArn], okActions: [props.topicArn] };
    for (const [metric, what] of [
      ['ExecutionsFailed', 'failed (a task failed, or more shards failed than tolerated)'],
      ['ExecutionsTimedOut', 'timed out'],
    ] as const) {
      this.alarms.push(
        new CloudwatchMetricAlarm(this, `${metric}-alarm`, {
          alarmName: env.name(
            `compliance-org-scan-${metric.replace('Executions', '').toLowerCase()}`,
          ),
          alarmDescription: `An organization scan execution ${what}`,
          namespace: 'AWS/States',
          metricName: metric,
          dimensions: { StateMachineArn: this.stateMachine.arn },
          statistic: 'Sum',
          period: 300,
          evaluationPeriods: 1,
          threshold: 1,
          comparisonOperator: 'GreaterThanOrEqualToThreshold',
          treatMissingData: 'notBreaching',
          ...actions,
        }),
      );
    }

    new TerraformOutput(this, 'state_machine_arn', {
      value: this.stateMachine.arn,
      description: 'Organization scan state machine (start an execution with a Scan Request event)',
    });
    new TerraformOutput(this, 'member_role_name', {
      value: org.memberRoleName,
      description: 'Role the members stack creates in every member account',
    });
    for (const n of ORG_FUNCTION_NAMES) {
      new TerraformOutput(this, `${n.replace(/-/g, '_')}_function_name`, {
        value: this.functions[n].fn.functionName,
        description: `Name of the ${n} function`,
      });
    }
  }

  /** Dashboard widgets: executions, their duration, and the last scan's totals per account. */
  dashboardWidgets(env: DeploymentEnvironment): DashboardWidget[] {
    const arn = this.stateMachine.arn;
    const metric = (name: string, stat: string) => [
      'AWS/States',
      name,
      'StateMachineArn',
      arn,
      { stat, label: name.replace('Executions', '') },
    ];
    const logGroup = functionLogGroupName(env, 'org-merge');
    return [
      {
        type: 'metric',
        properties: {
          title: 'Organization scans',
          region: env.region,
          view: 'timeSeries',
          stacked: false,
          period: 3600,
          metrics: ['ExecutionsSucceeded', 'ExecutionsFailed', 'ExecutionsTimedOut'].map((m) =>
            metric(m, 'Sum'),
          ),
        },
      },
      {
        type: 'metric',
        properties: {
          title: 'Organization scan duration (ms)',
          region: env.region,
          view: 'timeSeries',
          stacked: false,
          period: 3600,
          metrics: [metric('ExecutionTime', 'Maximum')],
        },
      },
      {
        // Logs Insights over org-merge's one line per account: no custom metric per account
        // (at $0.30 a metric a month, per-account metrics would cost more than the scans).
        type: 'log',
        properties: {
          title: 'Last scan per account (failed findings by severity, errors, parts not scanned)',
          region: env.region,
          view: 'table',
          query: [
            `SOURCE '${logGroup}'`,
            "filter message = 'Account scanned'",
            'stats latest(critical) as critical, latest(high) as high, latest(medium) as medium, latest(low) as low, latest(errors) as errors, latest(failedParts) as notScanned, latest(scanId) as scan by account, accountName',
            'sort critical desc, high desc, errors desc',
          ].join(' | '),
        },
      },
    ];
  }
}
