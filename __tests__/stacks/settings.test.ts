import {
  DEFAULT_RESERVED_CONCURRENCY,
  loadStackProps,
  MAX_SUFFIX_LENGTH,
  resolveSettings,
  SettingsError,
} from '../../stacks/settings';

/**
 * The error expected for these problems. `toThrow(error)` compares the whole message, where
 * `toThrow('text')` would pass on any message that merely contains the text.
 */
const invalid = (...problems: string[]): SettingsError => new SettingsError(problems);
const message = (...problems: string[]): string => invalid(...problems).message;

const SUFFIX_RULE =
  'use lower-case letters, digits and hyphens, starting and ending with a letter or digit';

describe('loadStackProps', () => {
  it('renders the defaults with an empty environment', () => {
    // GIVEN / WHEN
    const settings = resolveSettings(loadStackProps({}));

    // THEN
    expect(settings).toMatchObject({
      environmentSuffix: 'dev',
      region: 'us-east-1',
      scanRegions: [],
      scanSchedule: 'rate(6 hours)',
      scanIntervalSeconds: 6 * 3600,
      remediationMode: 'dry-run',
      configRecorderMode: 'auto',
      networkEgress: 'endpoints',
      vpcCidr: '10.20.0.0/16',
      alertEmails: [],
      logRetentionDays: 90,
      reportRetentionDays: 90,
      retainAuditData: false,
      backend: { kind: 'local' },
      tags: {
        Environment: 'dev',
        Owner: 'platform-security',
        CostCenter: 'compliance',
        ComplianceLevel: 'high',
      },
    });
    expect(settings.reservedConcurrency).toEqual(DEFAULT_RESERVED_CONCURRENCY);
  });

  it('renders every variable it reads, trimmed, with lists split on commas', () => {
    // GIVEN
    const env = {
      ENVIRONMENT_SUFFIX: ' qa ',
      AWS_REGION: 'eu-west-1',
      SCAN_REGIONS: 'eu-west-1, eu-central-1',
      SCAN_SCHEDULE: 'cron(0 */12 * * ? *)',
      REMEDIATION_MODE: 'enforce',
      REMEDIATION_MAX_PER_RUN: '25',
      CONFIG_RECORDER_MODE: 'existing',
      NETWORK_EGRESS: 'nat',
      VPC_CIDR: '10.30.0.0/20',
      ALERT_EMAILS: 'secops@example.com, oncall@example.org',
      ALERT_MIN_SEVERITY: 'medium',
      TAG_OWNER: 'team-a',
      TAG_COST_CENTER: 'cc-42',
      TAG_COMPLIANCE_LEVEL: 'pci',
      LOG_RETENTION_DAYS: '30',
      REPORT_RETENTION_DAYS: '400',
      RETAIN_AUDIT_DATA: 'TRUE',
      ALLOWED_OPEN_PORTS: '443',
      ALLOWED_OPEN_UDP_PORTS: '53, 123',
      RESERVED_CONCURRENCY: 'scanner=3,remediation=2',
      TF_STATE_BUCKET: 'my-state',
    };

    // WHEN
    const settings = resolveSettings(loadStackProps(env));

    // THEN
    expect(settings).toMatchObject({
      environmentSuffix: 'qa',
      region: 'eu-west-1',
      scanRegions: ['eu-west-1', 'eu-central-1'],
      scanSchedule: 'cron(0 */12 * * ? *)',
      scanIntervalSeconds: 12 * 3600,
      remediationMode: 'enforce',
      remediationMaxPerRun: 25,
      configRecorderMode: 'existing',
      networkEgress: 'nat',
      vpcCidr: '10.30.0.0/20',
      alertEmails: ['secops@example.com', 'oncall@example.org'],
      alertMinSeverity: 'medium',
      tags: { Environment: 'qa', Owner: 'team-a', CostCenter: 'cc-42', ComplianceLevel: 'pci' },
      logRetentionDays: 30,
      reportRetentionDays: 400,
      retainAuditData: true,
      allowedOpenPorts: [443],
      allowedOpenUdpPorts: [53, 123],
      backend: {
        kind: 's3',
        bucket: 'my-state',
        key: 'compliance-audit/qa/terraform.tfstate',
        region: 'eu-west-1',
      },
    });
    expect(settings.reservedConcurrency).toEqual({
      ...DEFAULT_RESERVED_CONCURRENCY,
      scanner: 3,
      remediation: 2,
    });
  });

  it('renders context values when the environment leaves a setting blank', () => {
    // GIVEN
    const env = { ENVIRONMENT_SUFFIX: '  ', NETWORK_EGRESS: 'endpoints' };
    const context = { ENVIRONMENT_SUFFIX: 'ctx', NETWORK_EGRESS: 'nat' };

    // WHEN
    const props = loadStackProps(env, context);

    // THEN: a blank variable counts as unset; a set one wins over the context
    expect(props.environmentSuffix).toBe('ctx');
    expect(props.networkEgress).toBe('endpoints');
  });

  it.each([
    ['upper case', 'Dev'],
    ['an underscore', 'my_env'],
    ['a leading hyphen', '-dev'],
    ['a trailing hyphen', 'dev-'],
  ])('refuses a suffix with %s', (_case, suffix) => {
    expect(() => loadStackProps({ ENVIRONMENT_SUFFIX: suffix })).toThrow(
      invalid(`ENVIRONMENT_SUFFIX "${suffix}": ${SUFFIX_RULE}`),
    );
  });

  it('refuses a suffix too long for the bucket name, naming the setting and the limit', () => {
    // GIVEN: compliance-audit-<suffix>-<12-digit account> must fit S3's 63 characters
    const suffix = 'a'.repeat(MAX_SUFFIX_LENGTH + 1);

    // WHEN / THEN
    expect(MAX_SUFFIX_LENGTH).toBe(63 - 'compliance-audit-'.length - '-123456789012'.length);
    expect(() => loadStackProps({ ENVIRONMENT_SUFFIX: suffix })).toThrow(
      invalid(
        `ENVIRONMENT_SUFFIX "${suffix}": at most 33 characters, or the bucket name ` +
          `compliance-audit-${suffix}-<account id> exceeds S3's 63`,
      ),
    );
    expect(() =>
      loadStackProps({ ENVIRONMENT_SUFFIX: 'a'.repeat(MAX_SUFFIX_LENGTH) }),
    ).not.toThrow();
  });

  it('refuses a malformed e-mail and names only that address', () => {
    expect(() => loadStackProps({ ALERT_EMAILS: 'secops@example.com,not-an-email' })).toThrow(
      invalid(
        'ALERT_EMAILS "not-an-email": use comma-separated e-mail addresses such as secops@example.com',
      ),
    );
  });

  it.each([
    [
      'rate(1 hours)',
      'use the singular unit with 1 (rate(1 hour)); e.g. rate(6 hours) or cron(0 */6 * * ? *)',
    ],
    [
      'cron(0 12 * * * *)',
      'exactly one of day-of-month and day-of-week must be ?; e.g. rate(6 hours) or cron(0 */6 * * ? *)',
    ],
    [
      'every 6 hours',
      'expected rate(<value> <unit>) or cron(<6 fields>); e.g. rate(6 hours) or cron(0 */6 * * ? *)',
    ],
    ['rate(5 minutes)', 'runs must be between 15 minutes and 3 days apart'],
    ['rate(7 days)', 'runs must be between 15 minutes and 3 days apart'],
  ])('refuses the schedule %s', (schedule, rule) => {
    expect(() => loadStackProps({ SCAN_SCHEDULE: schedule })).toThrow(
      invalid(`SCAN_SCHEDULE "${schedule}": ${rule}`),
    );
  });

  it.each([
    ['REMEDIATION_MODE', 'auto', 'use one of off | dry-run | enforce'],
    ['CONFIG_RECORDER_MODE', 'always', 'use one of auto | create | existing'],
    ['NETWORK_EGRESS', 'igw', 'use one of endpoints | nat'],
    ['ALERT_MIN_SEVERITY', 'urgent', 'use one of critical | high | medium | low | informational'],
  ])('refuses an unknown %s', (variable, value, rule) => {
    expect(() => loadStackProps({ [variable]: value })).toThrow(
      invalid(`${variable} "${value}": ${rule}`),
    );
  });

  it.each([
    ['300.1.0.0/16', 'use an IPv4 CIDR such as 10.20.0.0/16'],
    ['10.20.0.0', 'use an IPv4 CIDR such as 10.20.0.0/16'],
    ['10.0.0.0/8', 'the prefix must be /16 to /22 (two /24 or larger subnets must fit)'],
    ['10.20.0.0/24', 'the prefix must be /16 to /22 (two /24 or larger subnets must fit)'],
    ['10.20.1.0/16', 'host bits are set; the network address is not 10.20.1.0'],
  ])('refuses the VPC CIDR %s', (cidr, rule) => {
    expect(() => loadStackProps({ VPC_CIDR: cidr })).toThrow(
      invalid(`VPC_CIDR "${cidr}": ${rule}`),
    );
  });

  it.each([
    [
      'not-an-arn',
      'REMEDIATION_KMS_KEY_ARN "not-an-arn": a KMS key ARN such as ' +
        'arn:aws:kms:us-east-1:123456789012:key/<id> (not an alias: IAM grants on keys, not aliases)',
    ],
    [
      'arn:aws:kms:us-east-1:123456789012:alias/org/remediation',
      'REMEDIATION_KMS_KEY_ARN "arn:aws:kms:us-east-1:123456789012:alias/org/remediation": a KMS key ARN such as ' +
        'arn:aws:kms:us-east-1:123456789012:key/<id> (not an alias: IAM grants on keys, not aliases)',
    ],
    [
      'arn:aws:kms:eu-west-1:123456789012:key/abc',
      'REMEDIATION_KMS_KEY_ARN "arn:aws:kms:eu-west-1:123456789012:key/abc": the key must be in ' +
        "the stack's region us-east-1 (S3 uses keys of the bucket's region)",
    ],
  ])('refuses REMEDIATION_KMS_KEY_ARN=%s', (value, problem) => {
    expect(() => loadStackProps({ REMEDIATION_KMS_KEY_ARN: value })).toThrow(invalid(problem));
  });

  it('accepts a key ARN of the stack region for REMEDIATION_KMS_KEY_ARN', () => {
    for (const arn of [
      'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      'arn:aws:kms:us-east-1:123456789012:key/mrk-1234abcd12ab34cd56ef1234567890ab',
    ]) {
      expect(
        resolveSettings(loadStackProps({ REMEDIATION_KMS_KEY_ARN: arn })).remediationKmsKeyArn,
      ).toBe(arn);
    }
  });

  it('refuses a log retention CloudWatch Logs does not offer', () => {
    expect(() => loadStackProps({ LOG_RETENTION_DAYS: '10' })).toThrow(
      invalid(
        'LOG_RETENTION_DAYS 10: use a value CloudWatch Logs accepts: 1, 3, 5, 7, 14, 30, 60, 90, ' +
          '120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653',
      ),
    );
  });

  it.each([
    ['LOG_RETENTION_DAYS', 'ten', 'LOG_RETENTION_DAYS "ten": a whole number'],
    [
      'REPORT_RETENTION_DAYS',
      '0',
      'REPORT_RETENTION_DAYS 0: a whole number of days from 1 to 3650',
    ],
    ['REPORT_RETENTION_DAYS', '-5', 'REPORT_RETENTION_DAYS "-5": a whole number'],
    ['RETAIN_AUDIT_DATA', 'yes', 'RETAIN_AUDIT_DATA "yes": use true or false'],
  ])('refuses %s=%s', (variable, value, problem) => {
    expect(() => loadStackProps({ [variable]: value })).toThrow(invalid(problem));
  });

  it('refuses reserved concurrency for a function that does not exist', () => {
    expect(() => loadStackProps({ RESERVED_CONCURRENCY: 'scaner=2' })).toThrow(
      invalid(
        'RESERVED_CONCURRENCY "scaner": unknown function; use name=count pairs for scanner, ' +
          'json-report, csv-report, remediation, config-rule-s3-encryption, ' +
          'config-rule-vpc-flow-logs, config-rule-lambda-settings, alert-notifier, findings-export',
      ),
    );
  });

  it.each([
    [
      'scanner',
      'RESERVED_CONCURRENCY "scanner": use name=count pairs such as scanner=2,remediation=1',
    ],
    [
      'scanner=0',
      'RESERVED_CONCURRENCY "scanner=0": each count must be a whole number from 1 to 100',
    ],
  ])('refuses reserved concurrency %s', (value, problem) => {
    expect(() => loadStackProps({ RESERVED_CONCURRENCY: value })).toThrow(invalid(problem));
  });

  it('names every bad port of ALLOWED_OPEN_PORTS, malformed and out of range alike', () => {
    expect(() => loadStackProps({ ALLOWED_OPEN_PORTS: '80,http,70000' })).toThrow(
      invalid(
        'ALLOWED_OPEN_PORTS "http": comma-separated port numbers',
        'ALLOWED_OPEN_PORTS 70000: comma-separated port numbers from 1 to 65535',
      ),
    );
  });

  it('allows no UDP port by default and names every bad port of ALLOWED_OPEN_UDP_PORTS', () => {
    expect(resolveSettings(loadStackProps({})).allowedOpenUdpPorts).toEqual([]);
    expect(() => loadStackProps({ ALLOWED_OPEN_UDP_PORTS: 'dns,0' })).toThrow(
      invalid(
        'ALLOWED_OPEN_UDP_PORTS "dns": comma-separated port numbers',
        'ALLOWED_OPEN_UDP_PORTS 0: comma-separated port numbers from 1 to 65535',
      ),
    );
  });

  it('names an invalid region once, not again as the scan regions it defaults', () => {
    expect(() => loadStackProps({ AWS_REGION: 'mars-1' })).toThrow(
      invalid('AWS_REGION "mars-1": use an AWS region code such as us-east-1'),
    );
  });

  it('names every problem of a bad environment in one message', () => {
    // GIVEN
    const env = {
      ENVIRONMENT_SUFFIX: 'Bad_Suffix',
      ALERT_EMAILS: 'x',
      REMEDIATION_MODE: 'on',
      SCAN_SCHEDULE: 'daily',
      LOG_RETENTION_DAYS: 'ten',
    };

    // WHEN
    let error: unknown;
    try {
      loadStackProps(env);
    } catch (err) {
      error = err;
    }

    // THEN
    expect(error).toBeInstanceOf(SettingsError);
    expect((error as SettingsError).message).toBe(
      message(
        'LOG_RETENTION_DAYS "ten": a whole number',
        `ENVIRONMENT_SUFFIX "Bad_Suffix": ${SUFFIX_RULE}`,
        'SCAN_SCHEDULE "daily": expected rate(<value> <unit>) or cron(<6 fields>); e.g. rate(6 hours) or cron(0 */6 * * ? *)',
        'REMEDIATION_MODE "on": use one of off | dry-run | enforce',
        'ALERT_EMAILS "x": use comma-separated e-mail addresses such as secops@example.com',
      ),
    );
    expect((error as SettingsError).problems).toHaveLength(5);
  });
});

describe('resolveSettings', () => {
  it('refuses an unknown function in typed reservedConcurrency props', () => {
    expect(() =>
      resolveSettings({
        environmentSuffix: 'ok',
        reservedConcurrency: { nope: 1 } as unknown as Record<'scanner', number>,
      }),
    ).toThrow('RESERVED_CONCURRENCY "nope": unknown function');
  });

  it('refuses an S3 backend and a Terraform Cloud backend together', () => {
    expect(() =>
      resolveSettings({
        environmentSuffix: 'ok',
        stateBucket: 'my-state',
        cloudOrganization: 'acme',
        cloudWorkspace: 'audit',
      }),
    ).toThrow(
      invalid(
        'TF_STATE_BUCKET and TF_CLOUD_ORGANIZATION: choose one state backend, S3 or Terraform Cloud',
      ),
    );
  });

  it('refuses a Terraform Cloud organization without a workspace', () => {
    expect(() => resolveSettings({ environmentSuffix: 'ok', cloudOrganization: 'acme' })).toThrow(
      invalid(
        'TF_CLOUD_ORGANIZATION and TF_CLOUD_WORKSPACE: set both for a Terraform Cloud backend, or neither',
      ),
    );
  });

  it('refuses an invalid state bucket name', () => {
    expect(() => resolveSettings({ environmentSuffix: 'ok', stateBucket: 'My_State' })).toThrow(
      invalid(
        'TF_STATE_BUCKET "My_State": use an S3 bucket name: 3-63 lower-case letters, digits, dots or hyphens',
      ),
    );
  });

  it('renders a Terraform Cloud backend on app.terraform.io by default', () => {
    expect(
      resolveSettings({
        environmentSuffix: 'ok',
        cloudOrganization: 'acme',
        cloudWorkspace: 'audit',
      }).backend,
    ).toEqual({
      kind: 'cloud',
      organization: 'acme',
      workspace: 'audit',
      hostname: 'app.terraform.io',
    });
  });
});

describe('regions and case', () => {
  it('takes AWS_DEFAULT_REGION when AWS_REGION is unset, and AWS_REGION over it', () => {
    expect(resolveSettings(loadStackProps({ AWS_DEFAULT_REGION: 'eu-west-1' })).region).toBe(
      'eu-west-1',
    );
    expect(
      resolveSettings(loadStackProps({ AWS_DEFAULT_REGION: 'eu-west-1', AWS_REGION: 'us-west-2' }))
        .region,
    ).toBe('us-west-2');
  });

  it.each([
    [
      { AWS_REGION: 'eu-west-9' },
      'AWS_REGION "eu-west-9": not a known AWS region (known: eu-west-1, eu-west-2, eu-west-3); if AWS opened it recently, add it to lambdas/shared/regions.ts',
    ],
    [
      { AWS_DEFAULT_REGION: 'eu-west-9' },
      'AWS_DEFAULT_REGION "eu-west-9": not a known AWS region (known: eu-west-1, eu-west-2, eu-west-3); if AWS opened it recently, add it to lambdas/shared/regions.ts',
    ],
    [
      { SCAN_REGIONS: 'us-east-1,us-gov-west-1' },
      'SCAN_REGIONS "us-gov-west-1": us-gov-west-1 is in partition aws-us-gov, the stack\'s region us-east-1 in aws',
    ],
    [
      { TF_STATE_BUCKET: 'state', TF_STATE_REGION: 'cn-north-1' },
      'TF_STATE_REGION "cn-north-1": cn-north-1 is in partition aws-cn, the stack\'s region us-east-1 in aws',
    ],
    [
      {
        AWS_REGION: 'us-gov-west-1',
        REMEDIATION_KMS_KEY_ARN: 'arn:aws:kms:us-gov-west-1:123456789012:key/abc',
      },
      'REMEDIATION_KMS_KEY_ARN "arn:aws:kms:us-gov-west-1:123456789012:key/abc": the ARN\'s partition must be aws-us-gov, the partition of us-gov-west-1',
    ],
  ])('refuses %j', (env, problem) => {
    expect(() => loadStackProps(env)).toThrow(invalid(problem));
  });

  it('accepts enumerated values in any case and renders them lower-case', () => {
    const settings = resolveSettings(
      loadStackProps({
        AWS_REGION: 'EU-West-1',
        SCAN_REGIONS: 'EU-WEST-1,eu-Central-1',
        REMEDIATION_MODE: 'Enforce',
        CONFIG_RECORDER_MODE: 'CREATE',
        NETWORK_EGRESS: 'NAT',
        ALERT_MIN_SEVERITY: 'Medium',
        RETAIN_AUDIT_DATA: 'TRUE',
        RESERVED_CONCURRENCY: 'Scanner=3',
      }),
    );
    expect(settings).toMatchObject({
      region: 'eu-west-1',
      scanRegions: ['eu-west-1', 'eu-central-1'],
      remediationMode: 'enforce',
      configRecorderMode: 'create',
      networkEgress: 'nat',
      alertMinSeverity: 'medium',
      retainAuditData: true,
    });
    expect(settings.reservedConcurrency.scanner).toBe(3);
  });
});
