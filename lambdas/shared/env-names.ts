/** Names of the environment variables the stack sets on each function (the one list both sides use). */
export const ENV = {
  auditBucket: 'AUDIT_BUCKET',
  eventBusName: 'EVENT_BUS_NAME',
  environmentSuffix: 'ENVIRONMENT_SUFFIX',
  // scanner
  scanRegions: 'SCAN_REGIONS',
  mandatoryTags: 'MANDATORY_TAGS',
  allowedOpenPorts: 'ALLOWED_OPEN_PORTS',
  allowedOpenUdpPorts: 'ALLOWED_OPEN_UDP_PORTS',
  maxKeyAgeDays: 'MAX_KEY_AGE_DAYS',
  maxUnusedDays: 'MAX_UNUSED_DAYS',
  scanConcurrency: 'SCAN_CONCURRENCY',
  // remediation
  remediationMode: 'REMEDIATION_MODE',
  remediationMaxPerRun: 'REMEDIATION_MAX_PER_RUN',
  remediationKmsKeyArn: 'REMEDIATION_KMS_KEY_ARN',
  remediationRuleNames: 'REMEDIATION_RULE_NAMES',
  exemptTagKey: 'EXEMPT_TAG_KEY',
  // alert-notifier
  alertTopicArn: 'ALERT_TOPIC_ARN',
  alertMinSeverity: 'ALERT_MIN_SEVERITY',
  /** JSON: Config rule name → resource type → the scanner check ids the rule judges. */
  configRuleControls: 'CONFIG_RULE_CONTROLS',
  // findings-export
  securityHubExport: 'SECURITY_HUB_EXPORT',
  // organization mode (org-accounts, org-shard)
  orgIncludeOus: 'ORG_INCLUDE_OUS',
  orgExcludeAccounts: 'ORG_EXCLUDE_ACCOUNTS',
  orgMemberRoleName: 'ORG_MEMBER_ROLE_NAME',
  orgExternalId: 'ORG_EXTERNAL_ID',
  // remediation with ORG_REMEDIATION=members
  orgRemediationRoleName: 'ORG_REMEDIATION_ROLE_NAME',
  orgRemediationKeyAlias: 'ORG_REMEDIATION_KEY_ALIAS',
  orgManagementAccountId: 'ORG_MANAGEMENT_ACCOUNT_ID',
} as const;

/** Namespace of every custom metric; the stack's dashboard and alarms read the same constant. */
export const METRICS_NAMESPACE = 'ComplianceAudit';

/** Tags every inventoried resource must carry (DESIGN §4); MANDATORY_TAGS overrides. */
export const DEFAULT_MANDATORY_TAGS = [
  'Environment',
  'Owner',
  'CostCenter',
  'ComplianceLevel',
] as const;
/** TCP ports that may be open to the internet without an EC2.18 failure; ALLOWED_OPEN_PORTS overrides. */
export const DEFAULT_ALLOWED_OPEN_PORTS = [80, 443] as const;
/** Tag key (value `true`) that exempts a bucket from remediation; EXEMPT_TAG_KEY overrides. */
export const DEFAULT_EXEMPT_TAG_KEY = 'ComplianceExempt';

/**
 * Environment of the functions that make thousands of AWS calls (the scanner, an organization
 * shard): no X-Ray SDK in the process (lambdas/shared/observability.ts says why).
 */
export const SDK_TRACING_OFF = { POWERTOOLS_TRACE_ENABLED: 'false' } as const;
