/**
 * EventBridge wiring on the default bus (DESIGN §6): the scan schedule, on-demand scan requests,
 * scan completed, Config NON_COMPLIANT changes and remediation results, each rule with its
 * targets, a retry policy, the failure queue as dead-letter queue, and an invoke permission
 * scoped to the rule's ARN.
 */
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import { Construct } from 'constructs';
import {
  CONFIG_COMPLIANCE_CHANGE,
  EVENT_SOURCE,
  REMEDIATION_COMPLETED,
  SCAN_COMPLETED,
  SCAN_REQUEST,
} from '../lambdas/shared/event-names';
import type { AuditFunction } from './audit-function';
import type { DeploymentEnvironment } from './environment';
import type { FunctionName } from './settings';

/** How long and how often EventBridge retries delivery before dead-lettering. */
const TARGET_RETRY = { maximumEventAgeInSeconds: 3600, maximumRetryAttempts: 8 };

interface RuleSpec {
  readonly description: string;
  readonly targets: readonly FunctionName[];
  readonly schedule?: string;
  readonly pattern?: object;
}

export interface EventWiringProps {
  readonly env: DeploymentEnvironment;
  readonly functions: Readonly<Record<FunctionName, AuditFunction>>;
  readonly failureQueueArn: string;
  /** Every Config rule of this stack, and those whose failures trigger remediation. */
  readonly configRuleNames: readonly string[];
  readonly remediationRuleNames: readonly string[];
  /**
   * What scans run on instead of the scanner function (organization mode: the state machine),
   * started by EventBridge with `roleArn`. @default - the scanner function
   */
  readonly scanTarget?: { readonly id: string; readonly arn: string; readonly roleArn: string };
}

export class EventWiring extends Construct {
  readonly rules: Record<string, CloudwatchEventRule> = {};

  constructor(scope: Construct, id: string, props: EventWiringProps) {
    super(scope, id);
    const { env } = props;
    const nonCompliant = (ruleNames: readonly string[], extra: object = {}): object => ({
      source: ['aws.config'],
      'detail-type': [CONFIG_COMPLIANCE_CHANGE],
      detail: {
        configRuleName: [...ruleNames],
        newEvaluationResult: { complianceType: ['NON_COMPLIANT'] },
        ...extra,
      },
    });

    const specs: Record<string, RuleSpec> = {
      'scan-schedule': {
        description: `Scheduled compliance scan (${env.settings.scanSchedule})`,
        schedule: env.settings.scanSchedule,
        targets: props.scanTarget ? [] : ['scanner'],
      },
      'scan-request': {
        description: 'On-demand compliance scan requests',
        pattern: { source: [EVENT_SOURCE], 'detail-type': [SCAN_REQUEST] },
        targets: props.scanTarget ? [] : ['scanner'],
      },
      'scan-completed': {
        description: 'Completed scans: reports, alerts, bulk remediation and exports',
        pattern: { source: [EVENT_SOURCE], 'detail-type': [SCAN_COMPLETED] },
        // Five: EventBridge's limit of targets per rule.
        targets: ['json-report', 'csv-report', 'alert-notifier', 'remediation', 'findings-export'],
      },
      'config-noncompliant': {
        description: "Resources this stack's Config rules found NON_COMPLIANT",
        pattern: nonCompliant(props.configRuleNames),
        targets: ['alert-notifier'],
      },
      'remediation-trigger': {
        description: 'Buckets the custom S3 encryption rule found NON_COMPLIANT',
        pattern: nonCompliant(props.remediationRuleNames, { resourceType: ['AWS::S3::Bucket'] }),
        targets: ['remediation'],
      },
      // Rule names stop at 64 characters; this one leaves the suffix its 33.
      'remediation-results': {
        description: 'Remediation results, for alerts',
        pattern: { source: [EVENT_SOURCE], 'detail-type': [REMEDIATION_COMPLETED] },
        targets: ['alert-notifier'],
      },
    };

    for (const [ruleId, spec] of Object.entries(specs)) {
      const rule = new CloudwatchEventRule(this, ruleId, {
        name: env.name(`compliance-${ruleId}`),
        description: spec.description,
        scheduleExpression: spec.schedule,
        eventPattern: spec.pattern ? JSON.stringify(spec.pattern) : undefined,
        state: 'ENABLED',
      });
      this.rules[ruleId] = rule;
      for (const target of spec.targets) {
        const fn = props.functions[target].fn;
        new CloudwatchEventTarget(this, `${ruleId}-${target}`, {
          rule: rule.name,
          targetId: target,
          arn: fn.arn,
          retryPolicy: TARGET_RETRY,
          deadLetterConfig: { arn: props.failureQueueArn },
        });
        new LambdaPermission(this, `${ruleId}-${target}-invoke`, {
          statementId: `AllowEventBridge-${ruleId}`,
          action: 'lambda:InvokeFunction',
          functionName: fn.functionName,
          principal: 'events.amazonaws.com',
          sourceArn: rule.arn,
        });
      }
    }
    const scan = props.scanTarget;
    for (const ruleId of scan ? ['scan-schedule', 'scan-request'] : []) {
      new CloudwatchEventTarget(this, `${ruleId}-${scan!.id}`, {
        rule: this.rules[ruleId]!.name,
        targetId: scan!.id,
        arn: scan!.arn,
        roleArn: scan!.roleArn,
        retryPolicy: TARGET_RETRY,
        deadLetterConfig: { arn: props.failureQueueArn },
      });
    }
  }

  /** The rules that start scans (schedule and on-demand requests). */
  scanRuleArns(): string[] {
    return [this.rules['scan-schedule']!.arn, this.rules['scan-request']!.arn];
  }

  ruleArns(): string[] {
    return Object.values(this.rules).map((r) => r.arn);
  }
}
