/**
 * The check registry: every check the scanner runs, in report order. Ids are asserted unique at
 * load (a duplicate would merge two checks' findings under one uid).
 */
import type { Finding } from '../../shared/findings';
import type { Inventory } from '../inventory/types';
import { ACCESS_ANALYZER_CHECKS } from './access-analyzer';
import { CLOUDTRAIL_CHECKS } from './cloudtrail';
import { CLOUDWATCH_CHECKS } from './cloudwatch';
import { CONFIG_CHECKS } from './config';
import { EBS_SNAPSHOT_CHECKS } from './ebs-snapshots';
import { EC2_CHECKS } from './ec2';
import { EC2_INSTANCE_CHECKS } from './ec2-instances';
import { EC2_NETWORK_CHECKS } from './ec2-network';
import { EFS_CHECKS } from './efs';
import { GUARD_DUTY_CHECKS } from './guardduty';
import { IAM_CHECKS } from './iam';
import { IAM_ACCOUNT_CHECKS } from './iam-account';
import { IAM_CERTIFICATE_CHECKS } from './iam-certificates';
import { IAM_POLICY_CHECKS } from './iam-policies';
import { KMS_CHECKS } from './kms';
import { LAMBDA_CHECKS } from './lambda';
import { RDS_CHECKS } from './rds';
import { S3_CHECKS } from './s3';
import { S3_ACCESS_CHECKS } from './s3-access';
import { S3_ACCESS_POINT_CHECKS } from './s3-access-points';
import { S3_CUSTOMER_KEY_CHECKS } from './s3-customer-key';
import { SECURITY_HUB_CHECKS } from './securityhub';
import { TAGGING_CHECKS } from './tagging';
import type { Check, CheckConfig } from './types';

export function assertUniqueIds(checks: readonly Check[]): void {
  const seen = new Set<string>();
  for (const c of checks) {
    if (seen.has(c.id)) throw new Error(`Duplicate check id "${c.id}" in the scanner registry`);
    seen.add(c.id);
  }
}

export const CHECKS: readonly Check[] = [
  ...S3_CHECKS,
  ...S3_CUSTOMER_KEY_CHECKS,
  ...S3_ACCESS_CHECKS,
  ...S3_ACCESS_POINT_CHECKS,
  ...EC2_CHECKS,
  ...EC2_NETWORK_CHECKS,
  ...EC2_INSTANCE_CHECKS,
  ...EBS_SNAPSHOT_CHECKS,
  ...IAM_CHECKS,
  ...IAM_ACCOUNT_CHECKS,
  ...IAM_POLICY_CHECKS,
  ...IAM_CERTIFICATE_CHECKS,
  ...ACCESS_ANALYZER_CHECKS,
  ...KMS_CHECKS,
  ...CONFIG_CHECKS,
  ...LAMBDA_CHECKS,
  ...RDS_CHECKS,
  ...EFS_CHECKS,
  ...SECURITY_HUB_CHECKS,
  ...GUARD_DUTY_CHECKS,
  ...TAGGING_CHECKS,
  ...CLOUDTRAIL_CHECKS,
  ...CLOUDWATCH_CHECKS,
];
assertUniqueIds(CHECKS);

export function checkById(id: string): Check | undefined {
  return CHECKS.find((c) => c.id === id);
}

/** Each check's findings in turn (pure), so a caller can write them out and let them go. */
export function* evaluateEachCheck(
  inventory: Inventory,
  config: CheckConfig,
  checks: readonly Check[] = CHECKS,
): Generator<Finding[]> {
  for (const c of checks) yield c.evaluate(inventory, config);
}

/** Runs every check over the inventory (pure). */
export function evaluateChecks(
  inventory: Inventory,
  config: CheckConfig,
  checks: readonly Check[] = CHECKS,
): Finding[] {
  return checks.flatMap((c) => c.evaluate(inventory, config));
}
