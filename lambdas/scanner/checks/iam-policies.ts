/**
 * IAM managed policies granting full administrative privileges ("Effect": "Allow", "Action": "*",
 * "Resource": "*"): every customer managed policy (IAM.1), and every attached managed policy,
 * customer or AWS managed (CIS 1.15, which Security Hub does not map). One finding per policy.
 *
 * Like Security Hub's rule, a statement counts only with "*" in Action and in Resource: NotAction
 * statements are not "*:*" (IAM.21 judges those), and conditions are not considered.
 */
import type { FindingResource } from '../../shared/findings';
import type { Inventory, Listed, ManagedPolicyInventory, PolicyDocument } from '../inventory/types';
import { asArray, statements } from './s3-policy';
import { defineCheck, resource, type CheckMetadata, type FindingBuilder } from './types';

const POLICY = 'AWS::IAM::Policy';
const SH_DOCS = 'https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html';
const EDIT_DOCS =
  'https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_manage-edit.html';

/** Labels (`"Sid"` or `#n`) of the statements allowing every action on every resource. */
export function fullAdminStatements(policy: PolicyDocument): string[] {
  return statements(policy).flatMap((stmt, i) =>
    stmt.Effect === 'Allow' &&
    asArray(stmt.Action).includes('*') &&
    asArray(stmt.Resource).includes('*')
      ? [stmt.Sid ? `"${stmt.Sid}"` : `#${i + 1}`]
      : [],
  );
}

interface PolicyListing {
  readonly listed: Listed<ManagedPolicyInventory>;
  /** `customer managed` or `AWS managed`. */
  readonly kind: string;
}

/**
 * Judges the default version of each included policy; ERROR where its document was unreadable,
 * and one ERROR for the policies a failed listing hid.
 */
function eachPolicy(
  b: FindingBuilder,
  inv: Inventory,
  check: CheckMetadata,
  listings: readonly PolicyListing[],
  include: (p: ManagedPolicyInventory) => boolean,
  judge: (p: ManagedPolicyInventory, kind: string, admin: string[], res: FindingResource) => void,
): void {
  for (const { listed, kind } of listings) {
    for (const p of listed.items.filter(include)) {
      const res = resource(check, p.arn, inv.homeRegion, p.name);
      if (!p.document.ok) {
        b.error(res, `the default version (${p.defaultVersionId}) of ${p.name}`, p.document.error);
        continue;
      }
      judge(p, kind, fullAdminStatements(p.document.value), res);
    }
  }
  const cut = listings.find((l) => l.listed.error);
  if (cut) {
    b.listError(
      cut.listed,
      b.scope('iam', inv.homeRegion, 'IAM managed policies'),
      `the ${cut.kind} policies that were not listed`,
    );
  }
}

const iam_1: CheckMetadata = {
  id: 'IAM.1',
  title: 'IAM policies should not allow full "*" administrative privileges',
  severity: 'high',
  securityHubId: 'IAM.1',
  resourceType: POLICY,
  reads: ['iam:ListPolicies', 'iam:GetPolicyVersion'],
  docs: `${SH_DOCS}#iam-1`,
  remediation: {
    desc: 'Replace the "Action": "*" / "Resource": "*" statement with the actions and resources the policy\'s users need: `aws iam create-policy-version --policy-arn <arn> --policy-document file://least-privilege.json --set-as-default`.',
    references: [`${SH_DOCS}#iam-1`, EDIT_DOCS],
  },
  prowlerCheckIds: [
    'iam_customer_attached_policy_no_administrative_privileges',
    'iam_customer_unattached_policy_no_administrative_privileges',
  ],
};
/**
 * Every customer managed policy, attached or not, except those used as a permissions boundary
 * (Security Hub's fixed excludePermissionBoundaryPolicy: true; a boundary only limits).
 */
export const adminPolicies = defineCheck(iam_1, (b, inv) =>
  eachPolicy(
    b,
    inv,
    iam_1,
    [{ listed: inv.iam.customerPolicies, kind: 'customer managed' }],
    (p) => p.permissionsBoundaryUsageCount === 0,
    (p, _kind, admin, res) => {
      if (admin.length > 0) {
        return b.fail(
          res,
          `Customer managed policy ${p.name} allows "*" actions on "*" resources in statement(s) ${admin.join(', ')}.`,
        );
      }
      b.pass(res, `Customer managed policy ${p.name} does not allow "*" actions on "*" resources.`);
    },
  ),
);

const adminAttached: CheckMetadata = {
  id: 'IAM.NoAdminPolicyAttached',
  title: 'Ensure IAM policies that allow full "*:*" administrative privileges are not attached',
  severity: 'high',
  cis: { v5: ['1.15'], v3: ['1.16'] },
  resourceType: POLICY,
  reads: ['iam:ListPolicies', 'iam:GetPolicyVersion'],
  docs: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege',
  remediation: {
    desc: 'Detach the policy from every user, group and role (`aws iam list-entities-for-policy --policy-arn <arn>`, then `aws iam detach-user-policy` / `detach-group-policy` / `detach-role-policy`) and grant least-privilege policies instead; keep full administrative access to a few break-glass roles.',
    references: [
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_manage-attach-detach.html',
      EDIT_DOCS,
    ],
  },
  prowlerCheckIds: [
    'iam_aws_attached_policy_no_administrative_privileges',
    'iam_customer_attached_policy_no_administrative_privileges',
  ],
};
/**
 * CIS 1.15 audits attached managed policies of both kinds, so AWS managed AdministratorAccess
 * attached to anyone fails here (IAM.1 only reads customer managed policies).
 */
export const adminPolicyAttached = defineCheck(adminAttached, (b, inv) =>
  eachPolicy(
    b,
    inv,
    adminAttached,
    [
      { listed: inv.iam.customerPolicies, kind: 'customer managed' },
      { listed: inv.iam.attachedAwsPolicies, kind: 'AWS managed' },
    ],
    (p) => p.attachmentCount > 0,
    (p, kind, admin, res) => {
      if (admin.length > 0) {
        return b.fail(
          res,
          `Policy ${p.name} (${kind}) is attached to ${p.attachmentCount} identit${p.attachmentCount === 1 ? 'y' : 'ies'} and allows "*" actions on "*" resources in statement(s) ${admin.join(', ')}.`,
        );
      }
      b.pass(
        res,
        `Policy ${p.name} (${kind}) is attached and does not allow "*" actions on "*" resources.`,
      );
    },
  ),
);

export const IAM_POLICY_CHECKS = [adminPolicies, adminPolicyAttached];
