/**
 * Custom metric names (namespace ComplianceAudit, dimension `service`): the functions emit them,
 * the stack's dashboard and alarms read them. One list, so the two sides cannot drift apart.
 */
export const SCANNER_METRICS = {
  severities: [
    ['critical', 'FindingsCritical'],
    ['high', 'FindingsHigh'],
    ['medium', 'FindingsMedium'],
    ['low', 'FindingsLow'],
    ['informational', 'FindingsInformational'],
  ] as const,
  passed: 'FindingsPassed',
  errored: 'FindingsErrored',
  nonCompliantResources: 'NonCompliantResources',
  resourcesScanned: 'ResourcesScanned',
  apiCalls: 'ApiCalls',
  duration: 'ScanDuration',
  completed: 'ScansCompleted',
} as const;

/** Emitted by the three config-rule-* functions, one value each per invocation. */
export const CONFIG_RULE_METRICS = {
  evaluations: 'ConfigRuleEvaluations',
  nonCompliant: 'ConfigRuleNonCompliant',
} as const;

/** Emitted by remediation, one value each per run that decided at least one bucket. */
export const REMEDIATION_METRICS = {
  remediated: 'BucketsRemediated',
  wouldRemediate: 'BucketsWouldRemediate',
  failed: 'RemediationFailures',
} as const;

/** Emitted by the scanner (scanner/lifecycle.ts), one value each per scan. */
export const CHANGE_METRICS = {
  /** FAIL findings new or reopened since the previous scan. */
  new: 'FindingsNew',
  /** Findings that failed before and pass now, or are gone. */
  resolved: 'FindingsResolved',
  suppressed: 'FindingsSuppressed',
} as const;

/** Emitted by findings-export, one value each per scan exported to Security Hub. */
export const EXPORT_METRICS = {
  imported: 'SecurityHubImported',
  archived: 'SecurityHubArchived',
  failed: 'SecurityHubFailed',
} as const;
