/**
 * Settings of organization mode (SCAN_SCOPE=organization): their props, defaults, validation and
 * environment mapping, kept apart from settings.ts, which calls into this module at three points
 * (props from the environment, validation, the list of variables).
 */

export const SCAN_SCOPES = ['account', 'organization'] as const;
export type ScanScope = (typeof SCAN_SCOPES)[number];
export const STACKSET_CALLERS = ['SELF', 'DELEGATED_ADMIN'] as const;
export type StackSetCaller = (typeof STACKSET_CALLERS)[number];
/** Where remediation may change buckets: the audit account only, or every member account too. */
export const ORG_REMEDIATION_SCOPES = ['audit-account', 'members'] as const;
export type OrgRemediation = (typeof ORG_REMEDIATION_SCOPES)[number];

/** The role and key the members stack adds to every member account with ORG_REMEDIATION=members. */
export interface MemberRemediation {
  /** The remediation role (the fixer's S3 actions only), trusted by the audit account's remediation role. */
  readonly roleName: string;
  /** Alias of the customer-managed key remediation applies to that member's buckets. */
  readonly keyAlias: string;
}

/** Names within IAM's 64 characters: ENVIRONMENT_SUFFIX is at most 33. */
export function memberRemediationNames(suffix: string): MemberRemediation {
  const name = `compliance-audit-remediation-${suffix}`;
  return { roleName: name, keyAlias: `alias/${name}` };
}

/** Shards (Lambda invocations) in flight; also org-shard's reserved concurrency. */
export const DEFAULT_ORG_SCAN_CONCURRENCY = 20;
/** Above this share of failed shards the Map stops starting new ones (the scan is still written). */
export const DEFAULT_ORG_FAILURE_TOLERANCE = 25;
export const MAX_ORG_SCAN_CONCURRENCY = 1000;

export interface OrganizationProps {
  /** The account the audit stack is deployed in (the member role trusts its org-shard role). */
  readonly auditAccountId?: string;
  /** Name of the read-only role in every member account. @default compliance-audit-member-<suffix> */
  readonly memberRoleName?: string;
  /** Roots (`r-…`) and OUs (`ou-…`) to scan, with every OU below them. @default - the whole organization */
  readonly includeOus?: readonly string[];
  /** Accounts never scanned (and given no member role). @default - none */
  readonly excludeAccounts?: readonly string[];
  /** Shards in flight (Distributed Map MaxConcurrency, org-shard's reserved concurrency). @default 20 */
  readonly scanConcurrency?: number;
  /** Share of failed shards the Map tolerates before it stops. @default 25 */
  readonly toleratedFailurePercent?: number;
  /** sts:ExternalId the member role requires. @default compliance-audit-<suffix> */
  readonly externalId?: string;
  /** Who deploys the StackSet: the management account (SELF) or a delegated administrator. @default SELF */
  readonly stackSetCallAs?: StackSetCaller;
  /**
   * Where remediation may change buckets: `audit-account`, or `members` too — through a
   * remediation role and a customer-managed key the members stack adds to every member account,
   * in the same mode (REMEDIATION_MODE) and under the same cap. @default audit-account
   */
  readonly remediation?: OrgRemediation;
  /**
   * An AWS Config organization aggregator in the audit account (every account, every region), so
   * Config compliance is visible organization-wide; the audit account must be Config's delegated
   * administrator. @default false
   */
  readonly configAggregator?: boolean;
}

export interface OrganizationSettings {
  readonly auditAccountId: string;
  readonly memberRoleName: string;
  readonly includeOus: readonly string[];
  readonly excludeAccounts: readonly string[];
  readonly scanConcurrency: number;
  readonly toleratedFailurePercent: number;
  readonly externalId: string;
  readonly stackSetCallAs: StackSetCaller;
  /** Present with ORG_REMEDIATION=members. */
  readonly memberRemediation?: MemberRemediation;
  readonly configAggregator: boolean;
}

/** The variable behind each prop, for messages. */
export const ORGANIZATION_SETTING_NAMES: Readonly<Record<keyof OrganizationProps, string>> = {
  auditAccountId: 'ORG_AUDIT_ACCOUNT_ID',
  memberRoleName: 'ORG_MEMBER_ROLE_NAME',
  includeOus: 'ORG_INCLUDE_OUS',
  excludeAccounts: 'ORG_EXCLUDE_ACCOUNTS',
  scanConcurrency: 'ORG_SCAN_CONCURRENCY',
  toleratedFailurePercent: 'ORG_FAILURE_TOLERANCE',
  externalId: 'ORG_EXTERNAL_ID',
  stackSetCallAs: 'ORG_STACKSET_CALL_AS',
  remediation: 'ORG_REMEDIATION',
  configAggregator: 'ORG_CONFIG_AGGREGATOR',
};

/** Every environment variable (or cdktf context key) of organization mode. */
export const ORGANIZATION_VARIABLES = [
  'SCAN_SCOPE',
  'ORG_AUDIT_ACCOUNT_ID',
  'ORG_MEMBER_ROLE_NAME',
  'ORG_INCLUDE_OUS',
  'ORG_EXCLUDE_ACCOUNTS',
  'ORG_SCAN_CONCURRENCY',
  'ORG_FAILURE_TOLERANCE',
  'ORG_EXTERNAL_ID',
  'ORG_STACKSET_CALL_AS',
  'ORG_REMEDIATION',
  'ORG_CONFIG_AGGREGATOR',
] as const;
export type OrganizationVariable = (typeof ORGANIZATION_VARIABLES)[number];

const ACCOUNT_ID = /^\d{12}$/;
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
const PARENT_ID = /^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$/;
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;

/** The props as read from the environment (settings.ts passes its readers). */
export function organizationPropsFrom(read: {
  readonly get: (name: OrganizationVariable) => string | undefined;
  readonly list: (name: OrganizationVariable) => string[] | undefined;
  readonly int: (name: OrganizationVariable) => number | undefined;
  readonly bool: (name: OrganizationVariable) => boolean | undefined;
}): { scanScope?: ScanScope; organization: OrganizationProps } {
  const { get, list, int, bool } = read;
  return {
    scanScope: get('SCAN_SCOPE')?.toLowerCase() as ScanScope | undefined,
    organization: {
      auditAccountId: get('ORG_AUDIT_ACCOUNT_ID'),
      memberRoleName: get('ORG_MEMBER_ROLE_NAME'),
      includeOus: list('ORG_INCLUDE_OUS'),
      excludeAccounts: list('ORG_EXCLUDE_ACCOUNTS'),
      scanConcurrency: int('ORG_SCAN_CONCURRENCY'),
      toleratedFailurePercent: int('ORG_FAILURE_TOLERANCE'),
      externalId: get('ORG_EXTERNAL_ID'),
      stackSetCallAs: get('ORG_STACKSET_CALL_AS')?.toUpperCase() as StackSetCaller | undefined,
      remediation: get('ORG_REMEDIATION')?.toLowerCase() as OrgRemediation | undefined,
      configAggregator: bool('ORG_CONFIG_AGGREGATOR'),
    },
  };
}

/**
 * Validated organization settings (undefined in account mode); every problem is pushed to
 * `problems` as `<VARIABLE> <value>: <allowed form>`.
 */
export function resolveOrganization(
  scanScope: string | undefined,
  props: OrganizationProps | undefined,
  suffix: string,
  problems: string[],
): OrganizationSettings | undefined {
  const bad = (prop: keyof OrganizationProps, value: unknown, rule: string): void => {
    problems.push(`${ORGANIZATION_SETTING_NAMES[prop]} ${JSON.stringify(value)}: ${rule}`);
  };
  const given = Object.entries(props ?? {}).filter(
    ([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0),
  );
  if (scanScope !== undefined && !(SCAN_SCOPES as readonly string[]).includes(scanScope)) {
    problems.push(`SCAN_SCOPE ${JSON.stringify(scanScope)}: use one of ${SCAN_SCOPES.join(' | ')}`);
    return undefined;
  }
  if (scanScope !== 'organization') {
    for (const [prop, value] of given)
      bad(prop as keyof OrganizationProps, value, 'only with SCAN_SCOPE=organization');
    return undefined;
  }

  const p = props ?? {};
  const auditAccountId = p.auditAccountId ?? '';
  if (!ACCOUNT_ID.test(auditAccountId))
    bad(
      'auditAccountId',
      p.auditAccountId ?? '',
      'required with SCAN_SCOPE=organization: the 12-digit id of the account the audit stack is deployed in',
    );
  const memberRoleName = p.memberRoleName ?? `compliance-audit-member-${suffix}`;
  if (!ROLE_NAME.test(memberRoleName))
    bad('memberRoleName', memberRoleName, 'an IAM role name: 1-64 letters, digits and +=,.@_-');
  const includeOus = [...(p.includeOus ?? [])];
  for (const id of includeOus)
    if (!PARENT_ID.test(id)) bad('includeOus', id, 'comma-separated root (r-…) or OU (ou-…-…) ids');
  const excludeAccounts = [...(p.excludeAccounts ?? [])];
  for (const id of excludeAccounts)
    if (!ACCOUNT_ID.test(id)) bad('excludeAccounts', id, 'comma-separated 12-digit account ids');
  const scanConcurrency = p.scanConcurrency ?? DEFAULT_ORG_SCAN_CONCURRENCY;
  if (
    !Number.isInteger(scanConcurrency) ||
    scanConcurrency < 1 ||
    scanConcurrency > MAX_ORG_SCAN_CONCURRENCY
  )
    bad('scanConcurrency', scanConcurrency, `a whole number from 1 to ${MAX_ORG_SCAN_CONCURRENCY}`);
  const toleratedFailurePercent = p.toleratedFailurePercent ?? DEFAULT_ORG_FAILURE_TOLERANCE;
  if (
    !Number.isInteger(toleratedFailurePercent) ||
    toleratedFailurePercent < 0 ||
    toleratedFailurePercent > 100
  )
    bad(
      'toleratedFailurePercent',
      toleratedFailurePercent,
      'a percentage: a whole number from 0 to 100',
    );
  const externalId = p.externalId ?? `compliance-audit-${suffix}`;
  if (!EXTERNAL_ID.test(externalId))
    bad('externalId', externalId, '2-1224 letters, digits and +=,.@:/_-');
  const stackSetCallAs = p.stackSetCallAs ?? 'SELF';
  if (!STACKSET_CALLERS.includes(stackSetCallAs))
    bad('stackSetCallAs', stackSetCallAs, `use one of ${STACKSET_CALLERS.join(' | ')}`);
  const remediation = p.remediation ?? 'audit-account';
  if (!ORG_REMEDIATION_SCOPES.includes(remediation))
    bad('remediation', remediation, `use one of ${ORG_REMEDIATION_SCOPES.join(' | ')}`);
  const remediationNames = memberRemediationNames(suffix);
  // IAM names are case-insensitive.
  if (remediation === 'members' && memberRoleName.toLowerCase() === remediationNames.roleName)
    bad(
      'memberRoleName',
      memberRoleName,
      `with ORG_REMEDIATION=members, a name other than the remediation role's ${remediationNames.roleName}`,
    );
  return {
    auditAccountId,
    memberRoleName,
    includeOus,
    excludeAccounts,
    scanConcurrency,
    toleratedFailurePercent,
    externalId,
    stackSetCallAs,
    ...(remediation === 'members' && { memberRemediation: remediationNames }),
    configAggregator: p.configAggregator ?? false,
  };
}
