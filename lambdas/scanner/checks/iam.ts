/**
 * IAM user and root checks: policies attached to users (IAM.2), access-key age (IAM.3), one active
 * access key per user (CIS 1.12), root access keys (IAM.4), console users without MFA (IAM.5),
 * root MFA (IAM.9), credentials unused for MAX_UNUSED_DAYS (IAM.22). IAM is global: findings carry
 * the scanner's home region. Account settings and policies: iam-account.ts, iam-policies.ts.
 */
import type { FindingResource } from '../../shared/findings';
import type { CredentialReportRow, IamUserInventory, Inventory } from '../inventory/types';
import {
  daysSince,
  defineCheck,
  resource,
  tagsOf,
  type CheckMetadata,
  type FindingBuilder,
} from './types';

const USER = 'AWS::IAM::User';
const SH_DOCS = 'https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html';

function eachUser(
  b: FindingBuilder,
  inv: Inventory,
  check: CheckMetadata,
  evaluate: (user: IamUserInventory, res: FindingResource) => void,
): void {
  for (const user of inv.iam.users.items) {
    evaluate(user, resource(check, user.arn, inv.homeRegion, user.name, tagsOf(user.tags)));
  }
  b.listError(
    inv.iam.users,
    b.scope('iam', inv.homeRegion, 'IAM users'),
    'the IAM users that were not listed',
  );
}

const iam_3: CheckMetadata = {
  id: 'IAM.3',
  title: "IAM users' access keys should be rotated every 90 days or less",
  severity: 'medium',
  securityHubId: 'IAM.3',
  cis: { v5: ['1.13'], v3: ['1.14'] },
  resourceType: USER,
  reads: ['iam:ListUsers', 'iam:ListAccessKeys'],
  docs: `${SH_DOCS}#iam-3`,
  remediation: {
    desc: 'Create a new access key, move its users to it, deactivate and then delete the old key (MAX_KEY_AGE_DAYS sets the limit).',
    references: [
      `${SH_DOCS}#iam-3`,
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html#rotating_access_keys_console',
    ],
  },
  prowlerCheckIds: ['iam_rotate_access_key_90_days'],
};
export const accessKeyRotation = defineCheck(iam_3, (b, inv, config) =>
  eachUser(b, inv, iam_3, (user, res) => {
    if (!user.accessKeys.ok)
      return b.error(res, `the access keys of ${user.name}`, user.accessKeys.error);
    const active = user.accessKeys.value.filter((k) => k.status === 'Active');
    const old = active.filter(
      (k) => k.createDate && daysSince(k.createDate, inv.observedAt) > config.maxKeyAgeDays,
    );
    if (old.length > 0) {
      const keys = old
        .map((k) => `${k.id} (${daysSince(k.createDate!, inv.observedAt)} days)`)
        .join(', ');
      return b.fail(
        res,
        `User ${user.name} has active access key(s) older than ${config.maxKeyAgeDays} days: ${keys}.`,
      );
    }
    b.pass(
      res,
      active.length === 0
        ? `User ${user.name} has no active access keys.`
        : `User ${user.name}'s ${active.length} active access key(s) are at most ${config.maxKeyAgeDays} days old.`,
    );
  }),
);

const iam_4: CheckMetadata = {
  id: 'IAM.4',
  title: 'IAM root user access key should not exist',
  severity: 'critical',
  securityHubId: 'IAM.4',
  cis: { v5: ['1.3'], v3: ['1.4'] },
  resourceType: 'AWS::::Account',
  reads: ['iam:GetAccountSummary'],
  docs: `${SH_DOCS}#iam-4`,
  remediation: {
    desc: 'Sign in as the root user and delete its access keys (Security credentials > Access keys); use IAM roles instead.',
    references: [
      `${SH_DOCS}#iam-4`,
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_root-user_manage_delete-key.html',
    ],
  },
  prowlerCheckIds: ['iam_no_root_access_key'],
};
export const rootAccessKeys = defineCheck(iam_4, (b, inv) => {
  const res = b.account(inv.homeRegion);
  const s = inv.iam.accountSummary;
  if (!s.ok) return b.error(res, 'the root access keys (account summary)', s.error);
  const present = s.value.AccountAccessKeysPresent ?? 0;
  if (present > 0) return b.fail(res, `The root user of account ${inv.account} has access keys.`);
  b.pass(res, `The root user of account ${inv.account} has no access keys.`);
});

const iam_5: CheckMetadata = {
  id: 'IAM.5',
  title: 'MFA should be enabled for all IAM users that have a console password',
  severity: 'medium',
  securityHubId: 'IAM.5',
  cis: { v5: ['1.9'], v3: ['1.10'] },
  resourceType: USER,
  reads: ['iam:ListUsers', 'iam:GetLoginProfile', 'iam:ListMFADevices'],
  docs: `${SH_DOCS}#iam-5`,
  remediation: {
    desc: 'Assign an MFA device (passkey, virtual or hardware) to every user with a console password, or remove the password from users who do not need the console.',
    references: [
      `${SH_DOCS}#iam-5`,
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_mfa_enable.html',
    ],
  },
  prowlerCheckIds: ['iam_user_mfa_enabled_console_access'],
};
export const consoleMfa = defineCheck(iam_5, (b, inv) =>
  eachUser(b, inv, iam_5, (user, res) => {
    if (!user.loginProfile.ok)
      return b.error(res, `the console password of ${user.name}`, user.loginProfile.error);
    if (user.loginProfile.value === null)
      return b.pass(res, `User ${user.name} has no console password.`);
    if (!user.mfaDevices.ok)
      return b.error(res, `the MFA devices of ${user.name}`, user.mfaDevices.error);
    if (user.mfaDevices.value === 0)
      return b.fail(res, `User ${user.name} has a console password and no MFA device.`);
    b.pass(
      res,
      `User ${user.name} has a console password and ${user.mfaDevices.value} MFA device(s).`,
    );
  }),
);

const iam_9: CheckMetadata = {
  id: 'IAM.9',
  title: 'MFA should be enabled for the root user',
  severity: 'critical',
  securityHubId: 'IAM.9',
  cis: { v5: ['1.4'], v3: ['1.5'] },
  resourceType: 'AWS::::Account',
  reads: ['iam:GetAccountSummary'],
  docs: `${SH_DOCS}#iam-9`,
  remediation: {
    desc: 'Sign in as the root user and assign an MFA device (Security credentials > Multi-factor authentication), or remove root credentials with centralized root access.',
    references: [
      `${SH_DOCS}#iam-9`,
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/enable-mfa-for-root.html',
    ],
  },
  prowlerCheckIds: ['iam_root_mfa_enabled'],
};
export const rootMfa = defineCheck(iam_9, (b, inv) => {
  const res = b.account(inv.homeRegion);
  const s = inv.iam.accountSummary;
  if (!s.ok) return b.error(res, 'root MFA (account summary)', s.error);
  if ((s.value.AccountMFAEnabled ?? 0) >= 1)
    return b.pass(res, `The root user of account ${inv.account} has MFA enabled.`);
  if (s.value.AccountPasswordPresent === 0) {
    return b.pass(
      res,
      `The root user of account ${inv.account} has no password, so there is no console sign-in to protect.`,
    );
  }
  b.fail(res, `The root user of account ${inv.account} has no MFA device.`);
});

/** Last use of a credential, falling back to when it was set (never-used credentials). */
function lastActivity(used: string | null, ...fallbacks: (string | null | undefined)[]) {
  if (used) return { at: used, used: true };
  const at = fallbacks.find((f): f is string => typeof f === 'string' && f !== '');
  return at ? { at, used: false } : undefined;
}

/** Stale credentials of one credential-report row (root excluded by the caller). */
export function staleCredentials(row: CredentialReportRow, now: string, maxDays: number): string[] {
  const stale: string[] = [];
  if (row.passwordEnabled) {
    const last = lastActivity(row.passwordLastUsed, row.passwordLastChanged, row.userCreationTime);
    if (last && daysSince(last.at, now) >= maxDays) {
      stale.push(
        last.used
          ? `password last used ${daysSince(last.at, now)} days ago`
          : `password never used${row.passwordLastUsedRaw === 'no_information' ? ' (no usage information)' : ''}, set ${daysSince(last.at, now)} days ago`,
      );
    }
  }
  row.accessKeys.forEach((key, i) => {
    if (!key.active) return;
    const last = lastActivity(key.lastUsedDate, key.lastRotated, row.userCreationTime);
    if (last && daysSince(last.at, now) >= maxDays) {
      stale.push(
        last.used
          ? `access key ${i + 1} last used ${daysSince(last.at, now)} days ago`
          : `access key ${i + 1} never used, created ${daysSince(last.at, now)} days ago`,
      );
    }
  });
  return stale;
}

const iam_22: CheckMetadata = {
  id: 'IAM.22',
  title: 'IAM user credentials unused for 45 days should be removed',
  severity: 'medium',
  securityHubId: 'IAM.22',
  cis: { v5: ['1.11'], v3: ['1.12'] },
  resourceType: USER,
  reads: ['iam:ListUsers', 'iam:GenerateCredentialReport', 'iam:GetCredentialReport'],
  docs: `${SH_DOCS}#iam-22`,
  remediation: {
    desc: 'Deactivate or delete access keys and remove console passwords not used for MAX_UNUSED_DAYS (default 45) days.',
    references: [
      `${SH_DOCS}#iam-22`,
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_finding-unused.html',
    ],
  },
  prowlerCheckIds: ['iam_user_accesskey_unused', 'iam_user_console_access_unused'],
};
export const unusedCredentials = defineCheck(iam_22, (b, inv, config) =>
  eachUser(b, inv, iam_22, (user, res) => {
    const report = inv.iam.credentialReport;
    if (!report.ok)
      return b.error(res, `credential use of ${user.name} (credential report)`, report.error);
    const row = report.value.find((r) => r.arn === user.arn || r.user === user.name);
    if (!row) {
      return b.pass(
        res,
        `User ${user.name} is newer than the credential report, so no credential of it can be ${config.maxUnusedDays} days unused.`,
      );
    }
    const stale = staleCredentials(row, inv.observedAt, config.maxUnusedDays);
    if (stale.length > 0) {
      return b.fail(
        res,
        `User ${user.name} has credentials unused for ${config.maxUnusedDays} days or more: ${stale.join('; ')}.`,
      );
    }
    b.pass(
      res,
      `User ${user.name} has no password or active access key unused for ${config.maxUnusedDays} days or more.`,
    );
  }),
);

const iam_2: CheckMetadata = {
  id: 'IAM.2',
  title: 'IAM users should not have IAM policies attached',
  severity: 'low',
  securityHubId: 'IAM.2',
  cis: { v5: ['1.14'], v3: ['1.15'] },
  resourceType: USER,
  reads: ['iam:ListUsers', 'iam:ListAttachedUserPolicies', 'iam:ListUserPolicies'],
  docs: `${SH_DOCS}#iam-2`,
  remediation: {
    desc: 'Grant permissions through IAM groups (or roles) instead: add the user to a group that has the policy, then `aws iam detach-user-policy --user-name <user> --policy-arn <arn>` and `aws iam delete-user-policy --user-name <user> --policy-name <name>`.',
    references: [
      `${SH_DOCS}#iam-2`,
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_manage-attach-detach.html',
    ],
  },
  prowlerCheckIds: ['iam_policy_attached_only_to_group_or_roles'],
};
export const userPolicies = defineCheck(iam_2, (b, inv) =>
  eachUser(b, inv, iam_2, (user, res) => {
    if (!user.attachedPolicies.ok)
      return b.error(res, `the attached policies of ${user.name}`, user.attachedPolicies.error);
    if (!user.inlinePolicies.ok)
      return b.error(res, `the inline policies of ${user.name}`, user.inlinePolicies.error);
    const direct = [
      ...user.attachedPolicies.value.map((p) => `managed ${p}`),
      ...user.inlinePolicies.value.map((p) => `inline ${p}`),
    ];
    if (direct.length > 0) {
      return b.fail(res, `User ${user.name} has policies of its own: ${direct.join(', ')}.`);
    }
    b.pass(res, `User ${user.name} has no attached or inline policies.`);
  }),
);

const oneActiveKey: CheckMetadata = {
  id: 'IAM.OneActiveAccessKey',
  title: 'Ensure there is only one active access key for any single IAM user',
  severity: 'medium',
  cis: { v5: ['1.12'], v3: ['1.13'] },
  resourceType: USER,
  reads: ['iam:ListUsers', 'iam:ListAccessKeys'],
  docs: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/id-credentials-access-keys-update.html',
  remediation: {
    desc: 'Keep one active access key per user: move its users to one key, then `aws iam update-access-key --user-name <user> --access-key-id <id> --status Inactive` for the other (and delete it once nothing uses it).',
    references: [
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/id-credentials-access-keys-update.html',
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html',
    ],
  },
  prowlerCheckIds: ['iam_user_two_active_access_key'],
};
export const oneActiveAccessKey = defineCheck(oneActiveKey, (b, inv) =>
  eachUser(b, inv, oneActiveKey, (user, res) => {
    if (!user.accessKeys.ok)
      return b.error(res, `the access keys of ${user.name}`, user.accessKeys.error);
    const active = user.accessKeys.value.filter((k) => k.status === 'Active');
    if (active.length > 1) {
      return b.fail(
        res,
        `User ${user.name} has ${active.length} active access keys: ${active.map((k) => k.id).join(', ')}.`,
      );
    }
    b.pass(res, `User ${user.name} has ${active.length} active access key(s).`);
  }),
);

export const IAM_CHECKS = [
  userPolicies,
  accessKeyRotation,
  oneActiveAccessKey,
  rootAccessKeys,
  consoleMfa,
  rootMfa,
  unusedCredentials,
];
