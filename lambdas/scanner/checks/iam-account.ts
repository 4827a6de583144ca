/**
 * IAM account settings, one finding for the account (home region): password length (IAM.15) and
 * reuse prevention (IAM.16) of the account password policy, and a support role (IAM.18).
 */
import type { Inventory, PasswordPolicy } from '../inventory/types';
import { defineCheck, type CheckMetadata, type FindingBuilder } from './types';

const ACCOUNT = 'AWS::::Account';
const SH_DOCS = 'https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html';
const PASSWORD_POLICY_DOCS =
  'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_passwords_account-policy.html';

/** CIS / Security Hub minimum password length. */
export const MIN_PASSWORD_LENGTH = 14;
/** Passwords remembered: Security Hub requires 24, the most IAM allows. */
export const PASSWORDS_REMEMBERED = 24;

/** Evaluates the password policy once; no policy (NoSuchEntity) fails as Security Hub does. */
function withPasswordPolicy(
  b: FindingBuilder,
  inv: Inventory,
  judge: (policy: PasswordPolicy, account: string) => { pass: boolean; detail: string },
): void {
  const res = b.account(inv.homeRegion);
  const policy = inv.iam.passwordPolicy;
  if (!policy.ok) return b.error(res, 'the account password policy', policy.error);
  if (policy.value === null)
    return b.fail(res, `Account ${inv.account} has no IAM password policy.`);
  const verdict = judge(policy.value, inv.account);
  if (verdict.pass) b.pass(res, verdict.detail);
  else b.fail(res, verdict.detail);
}

const iam_15: CheckMetadata = {
  id: 'IAM.15',
  title: 'Ensure IAM password policy requires minimum password length of 14 or greater',
  severity: 'medium',
  securityHubId: 'IAM.15',
  cis: { v5: ['1.7'], v3: ['1.8'] },
  resourceType: ACCOUNT,
  reads: ['iam:GetAccountPasswordPolicy'],
  docs: `${SH_DOCS}#iam-15`,
  remediation: {
    desc: 'Require passwords of 14 characters or more: `aws iam update-account-password-policy --minimum-password-length 14` (the call replaces the whole policy: pass the other settings you keep, e.g. `--password-reuse-prevention 24`).',
    references: [`${SH_DOCS}#iam-15`, PASSWORD_POLICY_DOCS],
  },
  prowlerCheckIds: ['iam_password_policy_minimum_length_14'],
};
export const passwordLength = defineCheck(iam_15, (b, inv) =>
  withPasswordPolicy(b, inv, (p, account) => {
    const length = p.minimumPasswordLength;
    return length !== undefined && length >= MIN_PASSWORD_LENGTH
      ? {
          pass: true,
          detail: `The password policy of account ${account} requires at least ${length} characters.`,
        }
      : {
          pass: false,
          detail: `The password policy of account ${account} requires ${length ?? 'no minimum of'} characters, fewer than ${MIN_PASSWORD_LENGTH}.`,
        };
  }),
);

const iam_16: CheckMetadata = {
  id: 'IAM.16',
  title: 'Ensure IAM password policy prevents password reuse',
  severity: 'low',
  securityHubId: 'IAM.16',
  cis: { v5: ['1.8'], v3: ['1.9'] },
  resourceType: ACCOUNT,
  reads: ['iam:GetAccountPasswordPolicy'],
  docs: `${SH_DOCS}#iam-16`,
  remediation: {
    desc: 'Remember the last 24 passwords: `aws iam update-account-password-policy --password-reuse-prevention 24` (the call replaces the whole policy: pass the other settings you keep, e.g. `--minimum-password-length 14`).',
    references: [`${SH_DOCS}#iam-16`, PASSWORD_POLICY_DOCS],
  },
  prowlerCheckIds: ['iam_password_policy_reuse_24'],
};
export const passwordReuse = defineCheck(iam_16, (b, inv) =>
  withPasswordPolicy(b, inv, (p, account) => {
    const remembered = p.passwordReusePrevention;
    return remembered !== undefined && remembered >= PASSWORDS_REMEMBERED
      ? {
          pass: true,
          detail: `The password policy of account ${account} prevents reuse of the last ${remembered} passwords.`,
        }
      : {
          pass: false,
          detail: `The password policy of account ${account} ${remembered === undefined ? 'does not prevent password reuse' : `remembers only ${remembered} passwords`}; ${PASSWORDS_REMEMBERED} are required.`,
        };
  }),
);

const iam_18: CheckMetadata = {
  id: 'IAM.18',
  title: 'Ensure a support role has been created to manage incidents with AWS Support',
  severity: 'low',
  securityHubId: 'IAM.18',
  cis: { v5: ['1.16'], v3: ['1.17'] },
  resourceType: ACCOUNT,
  reads: ['iam:ListEntitiesForPolicy'],
  docs: `${SH_DOCS}#iam-18`,
  remediation: {
    desc: 'Create a role for the people who handle AWS Support incidents and attach the AWS managed AWSSupportAccess policy: `aws iam attach-role-policy --role-name <role> --policy-arn arn:aws:iam::aws:policy/AWSSupportAccess`.',
    references: [
      `${SH_DOCS}#iam-18`,
      'https://docs.aws.amazon.com/awssupport/latest/user/accessing-support.html',
    ],
  },
  prowlerCheckIds: ['iam_support_role_created'],
};
/**
 * Security Hub's rule (iam-policy-in-use, policyUsageType ANY) counts AWSSupportAccess attached to
 * any user, group or role; CIS asks for a role, which the finding names when there is none.
 */
export const supportRole = defineCheck(iam_18, (b, inv) => {
  const res = b.account(inv.homeRegion);
  const entities = inv.iam.supportAccessEntities;
  if (!entities.ok)
    return b.error(res, 'the identities with AWSSupportAccess attached', entities.error);
  const { roles, users, groups } = entities.value;
  const named = [
    ...roles.map((r) => `role ${r}`),
    ...groups.map((g) => `group ${g}`),
    ...users.map((u) => `user ${u}`),
  ];
  if (named.length === 0) {
    return b.fail(
      res,
      `No user, group or role of account ${inv.account} has the AWSSupportAccess policy attached.`,
    );
  }
  b.pass(
    res,
    `AWSSupportAccess is attached to ${named.join(', ')}${roles.length === 0 ? ' (no role: CIS asks for a support role)' : ''}.`,
  );
});

export const IAM_ACCOUNT_CHECKS = [passwordLength, passwordReuse, supportRole];
