/**
 * ComplianceStack: the whole audit system, composed from one construct per capability. This file
 * only wires them together; each capability lives in its own module.
 */
import { DataAwsOrganizationsOrganization } from '@cdktf/provider-aws/lib/data-aws-organizations-organization';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Aspects, TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { bundleLambda, type LambdaBundle } from '../lambdas/build';
import {
  DEFAULT_EXEMPT_TAG_KEY,
  DEFAULT_MANDATORY_TAGS,
  ENV,
  METRICS_NAMESPACE,
  SDK_TRACING_OFF,
} from '../lambdas/shared/env-names';
import { Alarms, AlertTopic } from './alerting';
import { AuditFunction, functionLogGroupName } from './audit-function';
import { AuditBucket } from './audit-storage';
import { configureBackend } from './backend';
import { ConfigAggregator } from './config-aggregator';
import { ConfigRecording } from './config-recording';
import {
  allConfigRuleNames,
  ConfigRules,
  configRuleControls,
  remediationRuleNames,
} from './config-rules';
import { ComplianceDashboard } from './dashboard';
import { AuditKeys } from './encryption';
import { DeploymentEnvironment } from './environment';
import { EventWiring } from './event-wiring';
import { FailureQueue } from './failure-queue';
import { FUNCTION_CATALOG, interfaceEndpointServices, runsInVpc } from './function-catalog';
import { functionStatements } from './function-permissions';
import { Guardrails } from './guardrails';
import { stackHcl } from './hcl-output';
import { AuditNetwork } from './network';
import { SuppressionsObject } from './suppressions';
import {
  ORG_FUNCTION_NAMES,
  ORG_SCANS_EXPIRY_DAYS,
  ORG_SCANS_PREFIX,
  type OrgFunctionName,
} from './organization-functions';
import { OrganizationScan, organizationLogGroupNames } from './organization-scan';
import {
  FUNCTION_NAMES,
  resolveSettings,
  type ComplianceStackProps,
  type FunctionName,
  type Settings,
} from './settings';

/**
 * hashicorp/aws versions the stack admits: its bindings are typed against 6.25 (@cdktf/provider-aws
 * 21.x) and the terraform tests validate and plan it against 5.100 (the mirror CI has), so both
 * deploy the configuration we test.
 */
export const AWS_PROVIDER_VERSIONS = '>= 5.100.0, < 7.0.0';

/** Scanner tuning the stack passes on (documented in README). */
const MAX_KEY_AGE_DAYS = 90;
const MAX_UNUSED_DAYS = 45;
const SCAN_CONCURRENCY = 8;

export interface ComplianceStackOptions {
  /** Builds a function's deployment package; tests may pass a cached one. @default bundleLambda */
  readonly bundle?: (name: FunctionName | OrgFunctionName) => LambdaBundle;
}

export class ComplianceStack extends TerraformStack {
  readonly settings: Settings;
  /** One line on where state lives (main.ts prints it). */
  readonly backendDescription: string;
  readonly functions: Record<FunctionName, AuditFunction>;

  constructor(
    scope: Construct,
    id: string,
    props: ComplianceStackProps,
    options: ComplianceStackOptions = {},
  ) {
    super(scope, id);
    const settings = resolveSettings(props);
    this.settings = settings;
    this.addOverride('terraform.required_version', '>= 1.10.0');

    new AwsProvider(this, 'aws', {
      region: settings.region,
      defaultTags: [{ tags: { ...settings.tags } }],
    });
    this.addOverride('terraform.required_providers.aws.version', AWS_PROVIDER_VERSIONS);
    this.backendDescription = configureBackend(this, settings.backend);
    const env = new DeploymentEnvironment(this, 'environment', settings);

    const keys = new AuditKeys(this, 'keys', {
      env,
      logGroupNames: [
        env.name(`audit-flowlogs-${env.region}`),
        ...FUNCTION_NAMES.map((n) => functionLogGroupName(env, n)),
        ...(settings.organization ? organizationLogGroupNames(env) : []),
      ],
      remediationKey:
        settings.remediationMode !== 'off' && settings.remediationKmsKeyArn === undefined,
    });
    const network = new AuditNetwork(this, 'network', {
      env,
      logsKeyArn: keys.logs.key.arn,
      interfaceEndpoints: interfaceEndpointServices(settings),
    });
    const storage = new AuditBucket(this, 'audit-storage', {
      env,
      kmsKeyArn: keys.data.key.arn,
      ...(settings.organization && {
        shortLivedPrefixes: [
          {
            prefix: ORG_SCANS_PREFIX,
            days: Math.min(ORG_SCANS_EXPIRY_DAYS, settings.reportRetentionDays),
          },
        ],
      }),
    });
    new SuppressionsObject(this, 'suppressions', {
      bucket: storage.bucket.id,
      dataKeyArn: keys.data.key.arn,
      suppressions: settings.suppressions,
    });
    const failures = new FailureQueue(this, 'failures', { env, kmsKeyArn: keys.messaging.key.arn });
    const alerts = new AlertTopic(this, 'alerts', { env, kmsKeyArn: keys.messaging.key.arn });

    const remediationKeyArn =
      settings.remediationMode === 'off'
        ? undefined
        : (settings.remediationKmsKeyArn ?? keys.remediation?.key.arn);
    const bucketName = storage.bucket.bucket;
    // ORG_REMEDIATION=members: remediation reaches member accounts through their remediation role.
    const memberRemediation = settings.organization?.memberRemediation;
    const organization =
      memberRemediation && new DataAwsOrganizationsOrganization(this, 'organization-data');
    const common = {
      [ENV.auditBucket]: bucketName,
      [ENV.environmentSuffix]: env.suffix,
      [ENV.eventBusName]: 'default',
      POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
      POWERTOOLS_LOG_LEVEL: 'INFO',
    };
    const environments: Record<FunctionName, Record<string, string>> = {
      scanner: {
        // Thousands of AWS calls per scan: no X-Ray SDK in the process (a third of its CPU).
        ...SDK_TRACING_OFF,
        // Empty: every region enabled for the account.
        [ENV.scanRegions]: settings.scanRegions.join(','),
        [ENV.mandatoryTags]: DEFAULT_MANDATORY_TAGS.join(','),
        [ENV.allowedOpenPorts]: settings.allowedOpenPorts.join(','),
        [ENV.allowedOpenUdpPorts]: settings.allowedOpenUdpPorts.join(','),
        [ENV.maxKeyAgeDays]: String(MAX_KEY_AGE_DAYS),
        [ENV.maxUnusedDays]: String(MAX_UNUSED_DAYS),
        [ENV.scanConcurrency]: String(SCAN_CONCURRENCY),
      },
      'json-report': {},
      'csv-report': {},
      remediation: {
        [ENV.remediationMode]: settings.remediationMode,
        [ENV.remediationMaxPerRun]: String(settings.remediationMaxPerRun),
        [ENV.remediationRuleNames]: remediationRuleNames(env).join(','),
        [ENV.exemptTagKey]: DEFAULT_EXEMPT_TAG_KEY,
        ...(remediationKeyArn ? { [ENV.remediationKmsKeyArn]: remediationKeyArn } : {}),
        ...(memberRemediation && {
          [ENV.orgRemediationRoleName]: memberRemediation.roleName,
          [ENV.orgRemediationKeyAlias]: memberRemediation.keyAlias,
          [ENV.orgExternalId]: settings.organization!.externalId,
          // Remediation never acts there: no StackSet reaches it.
          [ENV.orgManagementAccountId]: organization!.masterAccountId,
        }),
      },
      'config-rule-s3-encryption': {},
      'config-rule-vpc-flow-logs': {},
      'config-rule-lambda-settings': {},
      'alert-notifier': {
        [ENV.alertTopicArn]: alerts.topic.arn,
        [ENV.alertMinSeverity]: settings.alertMinSeverity,
        [ENV.configRuleControls]: JSON.stringify(configRuleControls(env)),
      },
      'findings-export': { [ENV.securityHubExport]: settings.securityHubExport },
    };

    const bundle = options.bundle ?? bundleLambda;
    const targets = {
      env,
      bucketArn: storage.bucket.arn,
      dataKeyArn: keys.data.key.arn,
      topicArn: alerts.topic.arn,
      messagingKeyArn: keys.messaging.key.arn,
      remediationKeyArn,
      securityHubExport: settings.securityHubExport === 'on',
      memberRemediationRoleName: memberRemediation?.roleName,
    };
    const vpc = {
      subnetIds: network.privateSubnets.map((s) => s.id),
      securityGroupIds: [network.lambdaSecurityGroup.id],
    };
    this.functions = Object.fromEntries(
      FUNCTION_NAMES.map((name) => {
        const spec = FUNCTION_CATALOG[name];
        const fn = new AuditFunction(this, `fn-${name}`, {
          env,
          name,
          spec,
          bundle: bundle(name),
          environment: { ...common, ...environments[name] },
          statements: functionStatements(name, targets),
          logsKeyArn: keys.logs.key.arn,
          failureQueueArn: failures.queue.arn,
          messagingKeyArn: keys.messaging.key.arn,
          vpc: runsInVpc(spec, settings) ? vpc : undefined,
        });
        return [name, fn];
      }),
    ) as Record<FunctionName, AuditFunction>;

    // Organization mode: scans run on a state machine fanning out over every member account.
    const org =
      settings.organization &&
      new OrganizationScan(this, 'organization', {
        env,
        organization: settings.organization,
        targets,
        bucketName,
        bundle,
        commonEnvironment: common,
        scannerEnvironment: environments.scanner,
        logsKeyArn: keys.logs.key.arn,
        failureQueueArn: failures.queue.arn,
        messagingKeyArn: keys.messaging.key.arn,
        topicArn: alerts.topic.arn,
        vpc,
      });

    if (settings.organization?.configAggregator)
      new ConfigAggregator(this, 'config-aggregator', { env });

    const recording = new ConfigRecording(this, 'config-recording', {
      env,
      auditBucket: storage,
      dataKeyArn: keys.data.key.arn,
    });
    new ConfigRules(this, 'config-rules', {
      env,
      customRuleFunctions: {
        's3-encryption': this.functions['config-rule-s3-encryption'],
        'vpc-flow-logs': this.functions['config-rule-vpc-flow-logs'],
        'lambda-settings': this.functions['config-rule-lambda-settings'],
      },
      recorderReady: recording.readiness,
    });
    const wiring = new EventWiring(this, 'events', {
      env,
      functions: this.functions,
      failureQueueArn: failures.queue.arn,
      configRuleNames: allConfigRuleNames(env),
      remediationRuleNames: remediationRuleNames(env),
      ...(org && {
        scanTarget: {
          id: 'org-scan',
          arn: org.stateMachine.arn,
          roleArn: org.startRole.role.arn,
        },
      }),
    });
    failures.allowEventBridge(wiring.ruleArns());
    new Alarms(this, 'alarms', {
      env,
      topicArn: alerts.topic.arn,
      functions: { ...this.functions, ...org?.functions },
      failureQueueName: failures.queue.name,
    });
    const dashboard = new ComplianceDashboard(this, 'dashboard', {
      env,
      functionNames: [...FUNCTION_NAMES, ...(org ? ORG_FUNCTION_NAMES : [])].map((n) =>
        env.name(n),
      ),
      topicName: env.name('compliance-alerts'),
      extraWidgets: org?.dashboardWidgets(env),
    });
    Aspects.of(this).add(new Guardrails());

    const output = (id: string, value: unknown, description: string): void => {
      new TerraformOutput(this, id, { value, description });
    };
    output('vpc_id', network.vpc.id, 'VPC of the audit functions');
    output(
      'private_subnet_ids',
      network.privateSubnets.map((s) => s.id),
      'Private subnets of the audit functions',
    );
    output(
      'lambda_security_group_id',
      network.lambdaSecurityGroup.id,
      'Security group of the in-VPC functions',
    );
    output('flow_log_id', network.flowLog.id, 'VPC flow log (ALL traffic)');
    output('flow_log_group_name', network.flowLogGroup.name, 'Log group of the VPC flow logs');
    output(
      'audit_bucket_name',
      bucketName,
      'Audit bucket: findings, reports, remediation records, Config history',
    );
    output('audit_bucket_arn', storage.bucket.arn, 'ARN of the audit bucket');
    for (const name of FUNCTION_NAMES) {
      const key = name.replace(/-/g, '_');
      output(
        `${key}_function_name`,
        this.functions[name].fn.functionName,
        `Name of the ${name} function`,
      );
      output(`${key}_function_arn`, this.functions[name].fn.arn, `ARN of the ${name} function`);
    }
    output(
      'sns_topic_arn',
      alerts.topic.arn,
      'Alert topic (subscribe, or confirm the e-mail subscriptions)',
    );
    output(
      'failure_queue_url',
      failures.queue.url,
      'Failed asynchronous invocations and undeliverable events',
    );
    output('dashboard_name', dashboard.dashboard.dashboardName, 'CloudWatch dashboard');
    output(
      'config_recorder_name',
      recording.activeRecorderName,
      'AWS Config recorder the rules use',
    );
    output(
      'config_recorder_created',
      recording.created,
      'Whether this stack created (and manages) the Config recorder',
    );
    output('config_rule_names', allConfigRuleNames(env), 'AWS Config rules of this stack');
    output(
      'event_rule_names',
      Object.values(wiring.rules).map((r) => r.name),
      'EventBridge rules of this stack',
    );
    for (const info of keys.all()) {
      const purpose = info.alias
        .split('/')[1]
        .replace(`-${env.suffix}`, '')
        .replace('compliance-', '');
      output(`${purpose}_kms_key_arn`, info.key.arn, `KMS key: ${info.protects}`);
    }
  }

  /** `cdktf synth --hcl`: valid, readable HCL of the same configuration as the JSON. */
  override toHclTerraform(): { hcl: string; metadata: Record<string, unknown> } {
    const { metadata } = super.toHclTerraform();
    return { hcl: stackHcl(this), metadata };
  }
}
