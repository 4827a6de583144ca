/**
 * The three tasks organization mode adds (DESIGN §5: "the small tasks it needs"), what each is
 * and its least-privilege policy, plus the member role's permissions — which are the scanner's
 * own inventory statements, derived from function-permissions.ts, never a second list.
 *
 * Why three functions and not the scanner itself: the shard holds the power to read every member
 * account and parses what member accounts return (policies, tags …), so it gets nothing else — it
 * cannot write findings, latest.json or events; the merge, which writes the scan's results, cannot
 * assume member roles; listing the organization's accounts is neither's business.
 */
import type { FunctionSpec } from './function-catalog';
import {
  abortFindingsUpload,
  assumeMemberRoles,
  functionStatements,
  listAuditBucket,
  publishEvents,
  readObjects,
  useDataKey,
  writeObjects,
  type PermissionTargets,
} from './function-permissions';
import type { PolicyStatement } from './iam';
import type { OrganizationSettings } from './organization-settings';

export const ORG_FUNCTION_NAMES = ['org-accounts', 'org-shard', 'org-merge'] as const;
export type OrgFunctionName = (typeof ORG_FUNCTION_NAMES)[number];

/** Prefix of an organization scan's working objects in the audit bucket (expires after a week). */
export const ORG_SCANS_PREFIX = 'org-scans/';
export const ORG_SCANS_EXPIRY_DAYS = 7;

export const ORG_FUNCTION_CATALOG: Readonly<Record<OrgFunctionName, FunctionSpec>> = {
  'org-accounts': {
    description: 'Organization scan: lists the accounts and regions to scan, writes the shard list',
    memoryMb: 256,
    timeoutSeconds: 300,
    // and AWS Organizations, whose global endpoint no VPC endpoint of the region serves
    services: ['ec2', 's3'],
    needsInternet: true,
  },
  'org-shard': {
    description:
      'Organization scan: assumes the member role and collects one account region (or its global services)',
    // As the scanner: one vCPU, so collection is bound by the APIs' rate limits, not CPU.
    memoryMb: 1769,
    timeoutSeconds: 900,
    services: ['sts', 's3', 'ec2', 'iam', 'lambda', 'config'],
    // Calls every region of the member accounts and IAM's global endpoint.
    needsInternet: true,
  },
  'org-merge': {
    description:
      'Organization scan: evaluates every account over its parts, writes the findings, latest.json and the event',
    memoryMb: 1769,
    timeoutSeconds: 900,
    services: ['s3', 'events'],
    needsInternet: false,
  },
};

/** What the org functions' and the state machine's policies point at. */
export interface OrgPermissionTargets extends PermissionTargets {
  readonly organization: OrganizationSettings;
}

/** Encrypting new SSE-KMS objects needs only GenerateDataKey (single PutObject, no multipart). */
const encryptWithDataKey = (t: PermissionTargets): PolicyStatement => ({
  sid: 'EncryptAuditObjects',
  actions: ['kms:GenerateDataKey'],
  resources: [t.dataKeyArn],
});

export function orgFunctionStatements(
  name: OrgFunctionName,
  t: OrgPermissionTargets,
): PolicyStatement[] {
  const scans = `${ORG_SCANS_PREFIX}*`;
  switch (name) {
    case 'org-accounts':
      return [
        {
          sid: 'ListOrganizationAccounts',
          // Organizations' ARNs name the organization and management account, which the stack
          // does not know; ListAccounts has no resource type at all.
          actions: [
            'organizations:ListAccounts',
            'organizations:ListAccountsForParent',
            'organizations:ListChildren',
          ],
          resources: ['*'],
        },
        // DescribeRegions has no resource-level permissions.
        { sid: 'ListRegions', actions: ['ec2:DescribeRegions'], resources: ['*'] },
        writeObjects(t, `${ORG_SCANS_PREFIX}*/plan.json`, `${ORG_SCANS_PREFIX}*/shards.json`),
        encryptWithDataKey(t),
      ];
    case 'org-shard':
      return [
        assumeMemberRoles(t, 'AssumeMemberRoles', t.organization.memberRoleName),
        // Parts only: a shard cannot rewrite the plan or the shard list.
        writeObjects(t, `${ORG_SCANS_PREFIX}*/parts/*`),
        encryptWithDataKey(t),
      ];
    case 'org-merge':
      return [
        readObjects(t, scans, 'latest.json'),
        writeObjects(t, 'findings/*', 'latest.json'),
        abortFindingsUpload(t),
        listAuditBucket(t),
        useDataKey(t),
        publishEvents(t),
      ];
  }
}

/** Statements about the audit account's own bucket, key and event bus (never in a member role). */
function auditSideSids(t: PermissionTargets): Set<string | undefined> {
  return new Set(
    [
      readObjects(t),
      writeObjects(t),
      abortFindingsUpload(t),
      listAuditBucket(t),
      useDataKey(t),
      publishEvents(t),
    ].map((s) => s.sid),
  );
}

/**
 * The member role's statements: the scanner's least-privilege statements without those about the
 * audit account's own bucket, key and event bus — i.e. exactly what the collectors read.
 */
export function memberRoleStatements(t: PermissionTargets): PolicyStatement[] {
  const auditSide = auditSideSids(t);
  return functionStatements('scanner', t).filter((s) => !auditSide.has(s.sid));
}

/**
 * The member remediation role's statements (ORG_REMEDIATION=members): the remediation function's
 * own bucket and key statements — what the fixer calls — without the audit-account side.
 */
export function memberRemediationStatements(t: PermissionTargets): PolicyStatement[] {
  const auditSide = auditSideSids(t);
  return functionStatements('remediation', t).filter((s) => !auditSide.has(s.sid));
}
