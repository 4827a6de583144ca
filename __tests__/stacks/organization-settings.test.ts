import {
  DEFAULT_ORG_SCAN_CONCURRENCY,
  DEFAULT_ORG_FAILURE_TOLERANCE,
} from '../../stacks/organization-settings';
import { loadStackProps, resolveSettings, SettingsError } from '../../stacks/settings';

const AUDIT = { SCAN_SCOPE: 'organization', ORG_AUDIT_ACCOUNT_ID: '111111111111' };
const message = (...problems: string[]): string => new SettingsError(problems).message;

describe('organization settings', () => {
  it('renders account mode by default, with no organization settings', () => {
    const settings = resolveSettings(loadStackProps({}));
    expect(settings.scanScope).toBe('account');
    expect(settings.organization).toBeUndefined();
  });

  it('renders the defaults of organization mode, derived from the suffix', () => {
    const settings = resolveSettings(loadStackProps({ ENVIRONMENT_SUFFIX: 'prod', ...AUDIT }));
    expect(settings.scanScope).toBe('organization');
    expect(settings.organization).toEqual({
      auditAccountId: '111111111111',
      memberRoleName: 'compliance-audit-member-prod',
      includeOus: [],
      excludeAccounts: [],
      scanConcurrency: DEFAULT_ORG_SCAN_CONCURRENCY,
      toleratedFailurePercent: DEFAULT_ORG_FAILURE_TOLERANCE,
      externalId: 'compliance-audit-prod',
      stackSetCallAs: 'SELF',
      configAggregator: false,
    });
  });

  it('reads every ORG_* variable (scope and caller in any case)', () => {
    const settings = resolveSettings(
      loadStackProps({
        SCAN_SCOPE: 'Organization',
        ORG_AUDIT_ACCOUNT_ID: '222222222222',
        ORG_MEMBER_ROLE_NAME: 'AuditReader',
        ORG_INCLUDE_OUS: 'ou-ab12-cdef3456, r-ab12',
        ORG_EXCLUDE_ACCOUNTS: '333333333333',
        ORG_SCAN_CONCURRENCY: '50',
        ORG_FAILURE_TOLERANCE: '0',
        ORG_EXTERNAL_ID: 'audit:2026',
        ORG_STACKSET_CALL_AS: 'delegated_admin',
        ORG_REMEDIATION: 'Members',
        ORG_CONFIG_AGGREGATOR: 'TRUE',
      }),
    );
    expect(settings.organization).toEqual({
      auditAccountId: '222222222222',
      memberRoleName: 'AuditReader',
      includeOus: ['ou-ab12-cdef3456', 'r-ab12'],
      excludeAccounts: ['333333333333'],
      scanConcurrency: 50,
      toleratedFailurePercent: 0,
      externalId: 'audit:2026',
      stackSetCallAs: 'DELEGATED_ADMIN',
      memberRemediation: {
        roleName: 'compliance-audit-remediation-dev',
        keyAlias: 'alias/compliance-audit-remediation-dev',
      },
      configAggregator: true,
    });
  });

  it('refuses bad values, naming each setting and its allowed form', () => {
    expect(() =>
      loadStackProps({
        SCAN_SCOPE: 'organization',
        ORG_MEMBER_ROLE_NAME: 'no spaces',
        ORG_INCLUDE_OUS: 'ou-1',
        ORG_EXCLUDE_ACCOUNTS: '12345',
        ORG_SCAN_CONCURRENCY: '0',
        ORG_FAILURE_TOLERANCE: '101',
        ORG_EXTERNAL_ID: 'x',
        ORG_STACKSET_CALL_AS: 'ADMIN',
        ORG_REMEDIATION: 'everywhere',
        ORG_CONFIG_AGGREGATOR: 'yes',
      }),
    ).toThrow(
      message(
        'ORG_CONFIG_AGGREGATOR "yes": use true or false',
        'ORG_AUDIT_ACCOUNT_ID "": required with SCAN_SCOPE=organization: the 12-digit id of the account the audit stack is deployed in',
        'ORG_MEMBER_ROLE_NAME "no spaces": an IAM role name: 1-64 letters, digits and +=,.@_-',
        'ORG_INCLUDE_OUS "ou-1": comma-separated root (r-…) or OU (ou-…-…) ids',
        'ORG_EXCLUDE_ACCOUNTS "12345": comma-separated 12-digit account ids',
        'ORG_SCAN_CONCURRENCY 0: a whole number from 1 to 1000',
        'ORG_FAILURE_TOLERANCE 101: a percentage: a whole number from 0 to 100',
        'ORG_EXTERNAL_ID "x": 2-1224 letters, digits and +=,.@:/_-',
        'ORG_STACKSET_CALL_AS "ADMIN": use one of SELF | DELEGATED_ADMIN',
        'ORG_REMEDIATION "everywhere": use one of audit-account | members',
      ),
    );
  });

  it('refuses an unknown scope, and organization settings without organization mode', () => {
    expect(() => loadStackProps({ SCAN_SCOPE: 'org' })).toThrow(
      message('SCAN_SCOPE "org": use one of account | organization'),
    );
    expect(() => loadStackProps({ ORG_INCLUDE_OUS: 'r-ab12', ORG_SCAN_CONCURRENCY: '5' })).toThrow(
      message(
        'ORG_INCLUDE_OUS ["r-ab12"]: only with SCAN_SCOPE=organization',
        'ORG_SCAN_CONCURRENCY 5: only with SCAN_SCOPE=organization',
      ),
    );
  });

  it('refuses member remediation that could change nothing, or outside organization mode', () => {
    expect(() =>
      resolveSettings(
        loadStackProps({ ...AUDIT, ORG_REMEDIATION: 'members', REMEDIATION_MODE: 'off' }),
      ),
    ).toThrow(
      message(
        'ORG_REMEDIATION "members": needs REMEDIATION_MODE dry-run or enforce (with off, remediation changes no bucket in any account)',
      ),
    );
    expect(() =>
      loadStackProps({
        ...AUDIT,
        ORG_REMEDIATION: 'members',
        ORG_MEMBER_ROLE_NAME: 'Compliance-Audit-Remediation-dev',
      }),
    ).toThrow(
      message(
        'ORG_MEMBER_ROLE_NAME "Compliance-Audit-Remediation-dev": with ORG_REMEDIATION=members, a name other than the remediation role\'s compliance-audit-remediation-dev',
      ),
    );
    expect(() => loadStackProps({ ORG_REMEDIATION: 'members' })).toThrow(
      message('ORG_REMEDIATION "members": only with SCAN_SCOPE=organization'),
    );
  });

  it('keeps remediation in the audit account unless ORG_REMEDIATION=members', () => {
    const settings = resolveSettings(
      loadStackProps({ ...AUDIT, ORG_REMEDIATION: 'audit-account' }),
    );
    expect(settings.organization?.memberRemediation).toBeUndefined();
  });
});
