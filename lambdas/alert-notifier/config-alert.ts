/** Alerts for AWS Config `Config Rules Compliance Change` events. Pure. */
import * as z from 'zod/mini';
import type { ConfigComplianceChangeDetail } from '../shared/events';
import type { FindingSuppression, Severity } from '../shared/findings';
import { partitionOf } from '../shared/regions';
import type { Suppressor } from '../shared/suppressions';
import { composeAlert, type AlertMessage } from './message';

/**
 * Severity label on Config alerts. Config events carry none, and the rules this stack wires to the
 * notifier (encryption, public access, SSH, MFA, key rotation…) map to Security Hub controls rated
 * high or critical, so `high` keeps them visible to a `severity` filter set to high.
 */
export const CONFIG_ALERT_SEVERITY: Severity = 'high';

/** Why no message goes out, or undefined when one should (only NON_COMPLIANT alerts). */
export function configSkipReason(detail: ConfigComplianceChangeDetail): string | undefined {
  const type = detail.newEvaluationResult.complianceType;
  return type === 'NON_COMPLIANT' ? undefined : `compliance type is ${type}, not NON_COMPLIANT`;
}

export function buildConfigAlert(
  detail: ConfigComplianceChangeDetail,
  environment: string,
): AlertMessage {
  const result = detail.newEvaluationResult;
  const head = [
    `AWS Config rule ${detail.configRuleName} reports a resource as NON_COMPLIANT.`,
    '',
    `Rule: ${detail.configRuleName}${detail.configRuleARN ? ` (${detail.configRuleARN})` : ''}`,
    `Resource: ${detail.resourceType} ${detail.resourceId}`,
    `Account: ${detail.awsAccountId}`,
    `Region: ${detail.awsRegion}`,
    `Annotation: ${result.annotation ?? '(none)'}`,
    ...(result.resultRecordedTime ? [`Recorded: ${result.resultRecordedTime}`] : []),
    `Environment: ${environment}`,
  ];
  return composeAlert(
    `[${environment}] Config NON_COMPLIANT: ${detail.configRuleName} - ${detail.resourceId}`,
    {
      severity: CONFIG_ALERT_SEVERITY,
      eventType: 'config-noncompliant',
      newFindings: 1,
      environment,
    },
    { head, items: [], tail: [], truncationNote: () => [] },
  );
}

/** CONFIG_RULE_CONTROLS: rule name → resource type → the scanner check ids the rule judges. */
export const ruleControlsSchema = z.record(
  z.string(),
  z.record(z.string(), z.array(z.string().check(z.minLength(1)))),
);
export type RuleControls = z.infer<typeof ruleControlsSchema>;

/** EC2 resource types Config names by id, and the ARN segment the scanner's findings use. */
const EC2_TYPES: Readonly<Record<string, string>> = {
  'AWS::EC2::SecurityGroup': 'security-group',
  'AWS::EC2::Volume': 'volume',
  'AWS::EC2::VPC': 'vpc',
};

/**
 * The ARN a scanner finding names for the resource of a Config event (what suppression entries
 * match), or undefined where Config's resource id does not make one (IAM users by id, the account).
 */
export function configResourceArn(detail: ConfigComplianceChangeDetail): string | undefined {
  const { resourceType: type, resourceId: id, awsRegion: region, awsAccountId: account } = detail;
  const partition = partitionOf(region);
  if (type === 'AWS::S3::Bucket') return `arn:${partition}:s3:::${id}`;
  if (type === 'AWS::Lambda::Function')
    return `arn:${partition}:lambda:${region}:${account}:function:${id}`;
  const ec2 = EC2_TYPES[type];
  return ec2 && `arn:${partition}:ec2:${region}:${account}:${ec2}/${id}`;
}

/**
 * The active suppressions that cover every scanner control of the event's rule for its resource,
 * or undefined when any control is not suppressed (or the rule or resource maps to none): a
 * Config alert is silenced only when the scan's findings for the same resource would all be.
 */
export function configSuppressions(
  detail: ConfigComplianceChangeDetail,
  controls: RuleControls,
  suppress: Suppressor,
): FindingSuppression[] | undefined {
  const checks = controls[detail.configRuleName]?.[detail.resourceType] ?? [];
  const resourceUid = configResourceArn(detail);
  if (checks.length === 0 || !resourceUid) return undefined;
  const found: FindingSuppression[] = [];
  for (const checkId of checks) {
    const s = suppress.activeFor({
      checkId,
      account: detail.awsAccountId,
      region: detail.awsRegion,
      resourceUid,
    });
    if (!s) return undefined;
    if (!found.some((f) => f.id === s.id)) found.push(s);
  }
  return found;
}
