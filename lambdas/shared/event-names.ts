/** Event source and detail-types on the default bus (DESIGN §6); the stack's rules use the same constants. */
export const EVENT_SOURCE = 'compliance.audit';
export const SCAN_REQUEST = 'Compliance Scan Request';
export const SCAN_COMPLETED = 'Compliance Scan Completed';
export const REMEDIATION_COMPLETED = 'Compliance Remediation Completed';
export const CONFIG_COMPLIANCE_CHANGE = 'Config Rules Compliance Change';
