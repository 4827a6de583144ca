/** Alerts for AWS Config `Config Rules Compliance Change` events. Pure. */
import type { ConfigComplianceChangeDetail } from '../shared/events';
import type { Severity } from '../shared/findings';
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
