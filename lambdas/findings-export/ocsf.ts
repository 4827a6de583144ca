/**
 * OCSF 1.8.0 Compliance Finding (class 2003, category Findings) for each canonical finding, with
 * the cloud profile. Pure. The tests check every attribute against the class definition
 * (__tests__/fixtures/ocsf-1.8.0-compliance-finding.json, taken from the OCSF schema).
 *
 * Mapping:
 * - activity: new → Create, still failing / reopened → Update, resolved → Close; otherwise Create
 *   on a finding's first scan and Update after
 * - status (the finding's workflow): FAIL and ERROR New, SUPPRESSED Suppressed, PASS that resolves
 *   a failure Resolved, any other PASS Other ("Compliant")
 * - compliance.status: PASS Pass, FAIL and SUPPRESSED Fail, ERROR Warning (no result: the check
 *   could not run)
 */
import type { ChangeState, Finding, FindingStatus, Severity } from '../shared/findings';
import { splitControlIds } from './standards';

export const OCSF_VERSION = '1.8.0';
export const CATEGORY = { uid: 2, name: 'Findings' } as const;
export const CLASS = { uid: 2003, name: 'Compliance Finding' } as const;

const ACTIVITY = { Create: 1, Update: 2, Close: 3 } as const;
type Activity = keyof typeof ACTIVITY;

const SEVERITY: Record<Severity, [number, string]> = {
  informational: [1, 'Informational'],
  low: [2, 'Low'],
  medium: [3, 'Medium'],
  high: [4, 'High'],
  critical: [5, 'Critical'],
};

const COMPLIANCE_STATUS: Record<FindingStatus, [number, string]> = {
  PASS: [1, 'Pass'],
  FAIL: [3, 'Fail'],
  SUPPRESSED: [3, 'Fail'],
  ERROR: [2, 'Warning'],
};

/** What the OCSF events say about the product that made them. */
export interface OcsfProduct {
  readonly name: string;
  readonly vendorName: string;
  /** e.g. the deployment (`compliance-audit-prod`). */
  readonly uid: string;
}

const ms = (iso: string): number => Date.parse(iso);

function activityOf(f: Finding): Activity {
  const byChange: Partial<Record<ChangeState, Activity>> = {
    new: 'Create',
    'still-failing': 'Update',
    reopened: 'Update',
    resolved: 'Close',
  };
  if (f.change) return byChange[f.change] ?? 'Update';
  return f.firstSeen === undefined || f.firstSeen === f.observedAt ? 'Create' : 'Update';
}

function statusOf(f: Finding): { status_id: number; status: string } {
  if (f.status === 'SUPPRESSED') return { status_id: 3, status: 'Suppressed' };
  if (f.status === 'PASS') {
    return f.change === 'resolved'
      ? { status_id: 4, status: 'Resolved' }
      : { status_id: 99, status: 'Compliant' };
  }
  return { status_id: 1, status: 'New' };
}

/** One OCSF Compliance Finding event. */
export function toOcsf(f: Finding, product: OcsfProduct): Record<string, unknown> {
  const activity = activityOf(f);
  const [severityId, severity] = SEVERITY[f.severity];
  const [complianceId, complianceStatus] = COMPLIANCE_STATUS[f.status];
  const controls = splitControlIds(f.controlIds);
  const firstSeen = f.firstSeen ?? f.observedAt;
  const resourceTags = Object.entries(f.resource.tags ?? {});
  return {
    activity_id: ACTIVITY[activity],
    activity_name: activity,
    category_uid: CATEGORY.uid,
    category_name: CATEGORY.name,
    class_uid: CLASS.uid,
    class_name: CLASS.name,
    type_uid: CLASS.uid * 100 + ACTIVITY[activity],
    type_name: `${CLASS.name}: ${activity}`,
    time: ms(f.observedAt),
    severity_id: severityId,
    severity,
    ...statusOf(f),
    status_detail: f.statusDetail,
    message: `${f.title}: ${f.statusDetail}`,
    metadata: {
      version: OCSF_VERSION,
      product: { name: product.name, vendor_name: product.vendorName, uid: product.uid },
      profiles: ['cloud'],
      uid: `${f.uid}/${f.scanId}`,
      event_code: f.checkId,
      log_name: 'compliance-findings',
    },
    cloud: {
      provider: 'AWS',
      region: f.region,
      account: { uid: f.account, type_id: 10, type: 'AWS Account' },
    },
    finding_info: {
      uid: f.uid,
      title: f.title,
      desc: f.statusDetail,
      first_seen_time: ms(firstSeen),
      last_seen_time: ms(f.observedAt),
      analytic: { uid: f.checkId, name: f.checkId, type_id: 1, type: 'Rule' },
      types: ['Compliance'],
    },
    compliance: {
      // OCSF 1.x asks for standards; a check with no published control has our own.
      standards: controls.standards.length > 0 ? controls.standards : ['compliance-audit'],
      control: controls.securityHub[0] ?? f.checkId,
      requirements: [...controls.securityHub, ...controls.cis],
      status_id: complianceId,
      status: complianceStatus,
      status_details: [f.statusDetail],
    },
    resources: [
      {
        uid: f.resource.uid,
        name: f.resource.name ?? f.resource.uid,
        type: f.resource.type,
        region: f.resource.region,
        cloud_partition: f.resource.uid.split(':')[1] ?? 'aws',
        ...(resourceTags.length > 0 ? { labels: resourceTags.map(([k, v]) => `${k}=${v}`) } : {}),
      },
    ],
    remediation: { desc: f.remediation.desc, references: [...f.remediation.references] },
    unmapped: {
      scan_id: f.scanId,
      ...(f.change ? { change: f.change } : {}),
      ...(f.suppression ? { suppression: { ...f.suppression } } : {}),
    },
  };
}
