import { editDistance, intendedSetting, unknownSettingProblems } from '../../stacks/setting-typos';
import {
  loadStackProps,
  resolveSettings,
  SETTING_VARIABLES,
  SettingsError,
} from '../../stacks/settings';

const invalid = (...problems: string[]): SettingsError => new SettingsError(problems);

describe('editDistance', () => {
  it.each([
    ['REMEDIATON_MODE', 'REMEDIATION_MODE', 1],
    ['ALERT_EMAIL', 'ALERT_EMAILS', 1],
    ['VPC_CDIR', 'VPC_CIDR', 1],
    ['NETWORK', 'NETWORK', 0],
    ['ABC', 'XYZ', 3],
  ])('%s → %s is %i', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
  });
});

describe('intendedSetting', () => {
  it.each([
    // the examples: a letter missing, a plural, a singular
    ['REMEDIATON_MODE', 'REMEDIATION_MODE'],
    ['ALERT_EMAIL', 'ALERT_EMAILS'],
    ['TF_STATE_BUCKETS', 'TF_STATE_BUCKET'],
    // another case, swapped letters, a prefix only our settings use
    ['remediation_mode', 'REMEDIATION_MODE'],
    ['VPC_CDIR', 'VPC_CIDR'],
    ['REMEDIATION_KEY_ARN', 'REMEDIATION_KMS_KEY_ARN'],
    ['RETAIN_DATA', 'RETAIN_AUDIT_DATA'],
    ['TF_STATE_FILE', 'TF_STATE_KEY'],
    ['AWS_REGIONS', 'AWS_REGION'],
  ])('takes %s for %s', (typed, meant) => {
    expect(intendedSetting(typed, SETTING_VARIABLES)).toBe(meant);
  });

  it.each([
    'PATH',
    'HOME',
    'AWS_PROFILE',
    'AWS_DEFAULT_OUTPUT',
    'AWS_ACCESS_KEY_ID',
    'TF_LOG',
    'TF_STATE_PERSIST_INTERVAL',
    'TF_CLOUD_PROJECT',
    'TF_WORKSPACE',
    'TF_IN_AUTOMATION',
    'LOG_LEVEL',
    'CONFIG_FILE',
    'ENVIRONMENT_NAME',
    'ALLOWED_HOSTS',
    'TAG_NAME',
    'CDKTF_CONTEXT_JSON',
    'CHECKPOINT_DISABLE',
    'REMEDIATION_MODE',
  ])('leaves %s alone (ours, or another tool’s)', (name) => {
    expect(intendedSetting(name, SETTING_VARIABLES)).toBeUndefined();
  });

  it('knows a setting as soon as it is in the list it is given', () => {
    expect(intendedSetting('SUPPRESSIONS_FILE', SETTING_VARIABLES)).toBeUndefined();
    expect(intendedSetting('SUPPRESSION_FILE', [...SETTING_VARIABLES, 'SUPPRESSIONS_FILE'])).toBe(
      'SUPPRESSIONS_FILE',
    );
  });
});

describe('unknownSettingProblems', () => {
  it('refuses every context key that is not a setting, except cdktf’s own', () => {
    expect(
      unknownSettingProblems(
        SETTING_VARIABLES,
        [],
        [
          'REMEDIATION_MODE',
          'cdktfRelativeModules',
          'cdktfVersion',
          '@cdktf/disable_stack_trace_in_metadata',
          'remediationMode',
          'teamName',
        ],
      ),
    ).toEqual([
      'cdktf context key remediationMode: not a setting; did you mean REMEDIATION_MODE?',
      'cdktf context key teamName: not a setting; the settings are listed in README.md › Settings',
    ]);
  });
});

describe('loadStackProps with mistyped settings', () => {
  it('stops instead of synthesizing the default when REMEDIATION_MODE is misspelled', () => {
    expect(() => loadStackProps({ REMEDIATON_MODE: 'enforce', PATH: '/usr/bin' })).toThrow(
      invalid('REMEDIATON_MODE: not a setting (ignored); did you mean REMEDIATION_MODE?'),
    );
  });

  it('ignores a blank look-alike (it changes nothing)', () => {
    expect(resolveSettings(loadStackProps({ ALERT_EMAIL: ' ' })).alertEmails).toEqual([]);
  });

  it('names typos first, then the bad values, in one message', () => {
    expect(() =>
      loadStackProps({ TF_STATE_BUCKETS: 'state' }, { NETWORK_EGRESS: 'igw', VPC_CDIR: 'x' }),
    ).toThrow(
      invalid(
        'TF_STATE_BUCKETS: not a setting (ignored); did you mean TF_STATE_BUCKET?',
        'cdktf context key VPC_CDIR: not a setting; did you mean VPC_CIDR?',
        'NETWORK_EGRESS "igw": use one of endpoints | nat',
      ),
    );
  });
});
