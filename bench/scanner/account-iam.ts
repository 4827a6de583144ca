/**
 * IAM of the synthetic account (global, judged in the home region): users with their keys,
 * passwords, MFA devices, tags and policies of their own; customer managed policies; the attached
 * AWS managed policies; SSL/TLS server certificates; and the credential report they imply.
 */
import {
  ALL_TAGS,
  DAY_MS,
  SOME_TAGS,
  cycle,
  daysAgo,
  hex,
  pad,
  type AccountContext,
  type Expect,
  type Status,
  type Tag,
} from './account-common';

// ------------------------------------------------------------------------------------- users

export interface AccessKeySpec {
  readonly id: string;
  readonly active: boolean;
  readonly ageDays: number;
  /** undefined: never used. */
  readonly lastUsedDaysAgo?: number;
}

export interface UserSpec {
  readonly name: string;
  readonly arn: string;
  readonly createdDaysAgo: number;
  /** Console password: days since last use; undefined = no console password. */
  readonly passwordLastUsedDaysAgo?: number;
  readonly mfaDevices: number;
  /** At most two (IAM's limit). */
  readonly keys: readonly AccessKeySpec[];
  readonly tags: readonly Tag[];
  /** Names of managed policies attached to the user itself. */
  readonly attachedPolicies: readonly string[];
  readonly inlinePolicies: readonly string[];
  readonly expect: Expect;
}

function userExpect(
  rotated: Status,
  consoleMfa: Status,
  unused: Status,
  tags: Status,
  ownPolicies: Status,
  oneKey: Status,
): Expect {
  return {
    'IAM.3': rotated,
    'IAM.5': consoleMfa,
    'IAM.22': unused,
    'IAM.25': tags,
    'IAM.2': ownPolicies,
    'IAM.OneActiveAccessKey': oneKey,
  };
}

type UserProfile = Omit<UserSpec, 'name' | 'arn' | 'createdDaysAgo' | 'keys'> & {
  readonly keys: readonly Omit<AccessKeySpec, 'id'>[];
};

/** Limits the benchmark runs the checks with: keys rotated within 90 days, unused for 45. */
const USER_PROFILES: readonly UserProfile[] = [
  // console + MFA, a recent key in use: compliant
  {
    passwordLastUsedDaysAgo: 5,
    mfaDevices: 1,
    keys: [{ active: true, ageDays: 30, lastUsedDaysAgo: 1 }],
    tags: ALL_TAGS,
    attachedPolicies: [],
    inlinePolicies: [],
    expect: userExpect('PASS', 'PASS', 'PASS', 'PASS', 'PASS', 'PASS'),
  },
  // console without MFA, password unused for 100 days, untagged, a policy attached to the user
  {
    passwordLastUsedDaysAgo: 100,
    mfaDevices: 0,
    keys: [],
    tags: [],
    attachedPolicies: ['bench-policy-000000'],
    inlinePolicies: [],
    expect: userExpect('PASS', 'FAIL', 'FAIL', 'FAIL', 'FAIL', 'PASS'),
  },
  // programmatic, key 200 days old but in use, partly tagged, an inline policy
  {
    mfaDevices: 0,
    keys: [{ active: true, ageDays: 200, lastUsedDaysAgo: 2 }],
    tags: SOME_TAGS,
    attachedPolicies: [],
    inlinePolicies: ['deploy'],
    expect: userExpect('FAIL', 'PASS', 'PASS', 'FAIL', 'FAIL', 'PASS'),
  },
  // an inactive old key only
  {
    mfaDevices: 0,
    keys: [{ active: false, ageDays: 300, lastUsedDaysAgo: 250 }],
    tags: ALL_TAGS,
    attachedPolicies: [],
    inlinePolicies: [],
    expect: userExpect('PASS', 'PASS', 'PASS', 'PASS', 'PASS', 'PASS'),
  },
  // a 60-day-old key never used
  {
    mfaDevices: 0,
    keys: [{ active: true, ageDays: 60 }],
    tags: ALL_TAGS,
    attachedPolicies: [],
    inlinePolicies: [],
    expect: userExpect('PASS', 'PASS', 'FAIL', 'PASS', 'PASS', 'PASS'),
  },
  // two active keys, both recent and in use (a rotation left half done)
  {
    mfaDevices: 0,
    keys: [
      { active: true, ageDays: 20, lastUsedDaysAgo: 1 },
      { active: true, ageDays: 10, lastUsedDaysAgo: 3 },
    ],
    tags: ALL_TAGS,
    attachedPolicies: [],
    inlinePolicies: [],
    expect: userExpect('PASS', 'PASS', 'PASS', 'PASS', 'PASS', 'FAIL'),
  },
  // two active keys, one of them 120 days old; managed and inline policies of its own
  {
    mfaDevices: 0,
    keys: [
      { active: true, ageDays: 120, lastUsedDaysAgo: 4 },
      { active: true, ageDays: 5, lastUsedDaysAgo: 1 },
    ],
    tags: ALL_TAGS,
    attachedPolicies: ['bench-policy-000001', 'ReadOnlyAccess'],
    inlinePolicies: ['legacy'],
    expect: userExpect('FAIL', 'PASS', 'PASS', 'PASS', 'FAIL', 'FAIL'),
  },
];
export const USER_PROFILE_COUNT = USER_PROFILES.length;

export function userName(i: number): string {
  return `bench-user-${pad(i)}`;
}

export function userSpec(ctx: AccountContext, i: number): UserSpec {
  const name = userName(i);
  const p = cycle(USER_PROFILES, i);
  return {
    ...p,
    name,
    arn: `arn:aws:iam::${ctx.accountId}:user/${name}`,
    createdDaysAgo: 400,
    keys: p.keys.map((k, n) => ({ ...k, id: `AKIA${hex(i * 2 + n, 16).toUpperCase()}` })),
  };
}

// ------------------------------------------------------------------------- managed policies

export interface ManagedPolicySpec {
  readonly name: string;
  readonly arn: string;
  readonly attachments: number;
  readonly boundaryUses: number;
  readonly defaultVersion: string;
  readonly document: object;
  readonly expect: Expect;
}

const ADMIN = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
};
const LEAST = {
  Version: '2012-10-17',
  Statement: [
    { Sid: 'ReadLogs', Effect: 'Allow', Action: ['logs:Get*', 'logs:Describe*'], Resource: '*' },
  ],
};
/** Everything but IAM: a NotAction statement is not "*" (IAM.21's business, not IAM.1's). */
const ALL_BUT_IAM = {
  Version: '2012-10-17',
  Statement: [{ Sid: 'PowerUser', Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }],
};

function policyExpect(admin: Status | undefined, attachedAdmin: Status | undefined): Expect {
  return {
    ...(admin ? { 'IAM.1': admin } : {}),
    ...(attachedAdmin ? { 'IAM.NoAdminPolicyAttached': attachedAdmin } : {}),
  };
}

/** IAM.1 judges every customer policy but boundaries; CIS 1.15 only attached ones. */
const POLICY_PROFILES: readonly Omit<ManagedPolicySpec, 'name' | 'arn'>[] = [
  {
    attachments: 2,
    boundaryUses: 0,
    defaultVersion: 'v1',
    document: LEAST,
    expect: policyExpect('PASS', 'PASS'),
  },
  {
    attachments: 1,
    boundaryUses: 0,
    defaultVersion: 'v3',
    document: ADMIN,
    expect: policyExpect('FAIL', 'FAIL'),
  },
  // full admin, attached to no one: IAM.1 still fails it
  {
    attachments: 0,
    boundaryUses: 0,
    defaultVersion: 'v1',
    document: ADMIN,
    expect: policyExpect('FAIL', undefined),
  },
  // full admin used only as a permissions boundary (it limits, it grants nothing)
  {
    attachments: 0,
    boundaryUses: 3,
    defaultVersion: 'v2',
    document: ADMIN,
    expect: policyExpect(undefined, undefined),
  },
  {
    attachments: 4,
    boundaryUses: 0,
    defaultVersion: 'v1',
    document: ALL_BUT_IAM,
    expect: policyExpect('PASS', 'PASS'),
  },
  {
    attachments: 0,
    boundaryUses: 0,
    defaultVersion: 'v1',
    document: LEAST,
    expect: policyExpect('PASS', undefined),
  },
];
export const POLICY_PROFILE_COUNT = POLICY_PROFILES.length;

export function policySpec(ctx: AccountContext, i: number): ManagedPolicySpec {
  const name = `bench-policy-${pad(i)}`;
  return {
    name,
    arn: `arn:aws:iam::${ctx.accountId}:policy/${name}`,
    ...cycle(POLICY_PROFILES, i),
  };
}

/**
 * AWS managed policies attached to someone in the account (ListPolicies Scope=AWS,
 * OnlyAttached): AdministratorAccess fails CIS 1.15; AWSSupportAccess is attached when the
 * account has a support role.
 */
export function awsManagedPolicies(supportAttached: boolean): ManagedPolicySpec[] {
  const aws = (name: string, document: object, verdict: Status): ManagedPolicySpec => ({
    name,
    arn: `arn:aws:iam::aws:policy/${name}`,
    attachments: 1,
    boundaryUses: 0,
    defaultVersion: 'v1',
    document,
    expect: { 'IAM.NoAdminPolicyAttached': verdict },
  });
  return [
    aws('AdministratorAccess', ADMIN, 'FAIL'),
    aws(
      'ReadOnlyAccess',
      {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: ['*:Get*', '*:List*'], Resource: '*' }],
      },
      'PASS',
    ),
    ...(supportAttached
      ? [
          aws(
            'AWSSupportAccess',
            {
              Version: '2012-10-17',
              Statement: [{ Effect: 'Allow', Action: 'support:*', Resource: '*' }],
            },
            'PASS',
          ),
        ]
      : []),
  ];
}

// ------------------------------------------------------------------------ server certificates

export interface CertificateSpec {
  readonly name: string;
  readonly arn: string;
  readonly expiresMs: number;
  readonly expect: Expect;
}

export function certificateSpec(ctx: AccountContext, i: number): CertificateSpec {
  const name = `bench-cert-${pad(i)}`;
  const expired = i % 2 === 1;
  return {
    name,
    arn: `arn:aws:iam::${ctx.accountId}:server-certificate/${name}`,
    expiresMs: ctx.nowMs + (expired ? -10 : 200) * DAY_MS,
    expect: { 'IAM.26': expired ? 'FAIL' : 'PASS' },
  };
}

// ------------------------------------------------------------------------ credential report

const REPORT_HEADER =
  'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated';

const reportDate = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, '+00:00');

function keyColumns(ctx: AccountContext, k: AccessKeySpec | undefined, region: string): string[] {
  const used = k?.lastUsedDaysAgo;
  return [
    k?.active ? 'true' : 'false',
    k ? reportDate(daysAgo(ctx, k.ageDays)) : 'N/A',
    used === undefined ? 'N/A' : reportDate(daysAgo(ctx, used)),
    used === undefined ? 'N/A' : region,
    used === undefined ? 'N/A' : 's3',
  ];
}

/** The IAM credential report (CSV): the root row, then every user. */
export function credentialReport(
  ctx: AccountContext,
  users: number,
  root: { readonly mfa: boolean; readonly keys: number },
): string {
  const rows = [
    REPORT_HEADER,
    `<root_account>,arn:aws:iam::${ctx.accountId}:root,${reportDate(daysAgo(ctx, 1000))},not_supported,${reportDate(daysAgo(ctx, 30))},not_supported,not_supported,${root.mfa},${root.keys > 0},N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A`,
  ];
  const home = ctx.regionOf(0);
  for (let i = 0; i < users; i += 1) {
    const u = userSpec(ctx, i);
    const pw = u.passwordLastUsedDaysAgo;
    rows.push(
      [
        u.name,
        u.arn,
        reportDate(daysAgo(ctx, u.createdDaysAgo)),
        pw === undefined ? 'false' : 'true',
        pw === undefined ? 'N/A' : reportDate(daysAgo(ctx, pw)),
        pw === undefined ? 'N/A' : reportDate(daysAgo(ctx, u.createdDaysAgo)),
        'N/A',
        u.mfaDevices > 0 ? 'true' : 'false',
        ...keyColumns(ctx, u.keys[0], home),
        ...keyColumns(ctx, u.keys[1], home),
        'false',
        'N/A',
        'false',
        'N/A',
      ].join(','),
    );
  }
  return `${rows.join('\n')}\n`;
}
