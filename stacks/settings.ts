/**
 * Settings of the compliance stack: the typed props, their defaults, their validation, and the
 * mapping from environment variables / cdktf context (DESIGN §3). Validation runs before any
 * construct exists, so a bad value stops synth with nothing written.
 */
import { partitionOfRegion, regionProblem } from '../lambdas/shared/regions';
import {
  ORGANIZATION_SETTING_NAMES,
  ORGANIZATION_VARIABLES,
  organizationPropsFrom,
  resolveOrganization,
  type OrganizationProps,
  type OrganizationSettings,
  type ScanScope,
} from './organization-settings';
import { scheduleProblem, maxIntervalSeconds } from './schedule';
import { unknownSettingProblems } from './setting-typos';
import { loadSuppressionsFile, type LoadedSuppressions } from './suppressions';

export const RECORDER_MODES = ['auto', 'create', 'existing'] as const;
export type ConfigRecorderMode = (typeof RECORDER_MODES)[number];
export const REMEDIATION_MODES = ['off', 'dry-run', 'enforce'] as const;
export type RemediationMode = (typeof REMEDIATION_MODES)[number];
export const EGRESS_MODES = ['endpoints', 'nat'] as const;
export type NetworkEgress = (typeof EGRESS_MODES)[number];
export const SEVERITY_LEVELS = ['critical', 'high', 'medium', 'low', 'informational'] as const;
export type SeverityLevel = (typeof SEVERITY_LEVELS)[number];
export const EXPORT_MODES = ['off', 'on'] as const;
export type SecurityHubExport = (typeof EXPORT_MODES)[number];

/**
 * The eight functions (DESIGN §5) plus findings-export (OCSF and Security Hub, §10); folder
 * `lambdas/<name>/`, function `<name>-<suffix>`.
 */
export const FUNCTION_NAMES = [
  'scanner',
  'json-report',
  'csv-report',
  'remediation',
  'config-rule-s3-encryption',
  'config-rule-vpc-flow-logs',
  'config-rule-lambda-settings',
  'alert-notifier',
  'findings-export',
] as const;
export type FunctionName = (typeof FUNCTION_NAMES)[number];

/** Values CloudWatch Logs accepts for retention_in_days. */
export const LOG_RETENTION_VALUES = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288,
  3653,
] as const;

export const DEFAULT_ENVIRONMENT_SUFFIX = 'dev';
export const DEFAULT_REGION = 'us-east-1';
export const DEFAULT_SCAN_SCHEDULE = 'rate(6 hours)';
export const DEFAULT_VPC_CIDR = '10.20.0.0/16';
export const DEFAULT_INTERFACE_ENDPOINT_AZS = 2;
export const DEFAULT_LOG_RETENTION_DAYS = 90;
export const DEFAULT_REPORT_RETENTION_DAYS = 90;
export const DEFAULT_REMEDIATION_MAX_PER_RUN = 10;
export const DEFAULT_TAGS = {
  owner: 'platform-security',
  costCenter: 'compliance',
  complianceLevel: 'high',
};
/** Small reservations: AWS keeps 100 executions unreserved, so these must fit under the account quota. */
export const DEFAULT_RESERVED_CONCURRENCY: Readonly<Record<FunctionName, number>> = {
  scanner: 1,
  'json-report': 2,
  'csv-report': 2,
  remediation: 1,
  'config-rule-s3-encryption': 2,
  'config-rule-vpc-flow-logs': 2,
  'config-rule-lambda-settings': 2,
  'alert-notifier': 2,
  // One export at a time: Security Hub sees each scan's imports and archives in order.
  'findings-export': 1,
};
/** Scan intervals outside this range are refused: the missed-scan alarm waits two intervals. */
const MIN_SCAN_INTERVAL_SECONDS = 15 * 60;
const MAX_SCAN_INTERVAL_SECONDS = 3 * 86400;
/** `compliance-audit-<suffix>-<12-digit account>` must fit S3's 63 characters. */
const BUCKET_NAME_FIXED_LENGTH = 'compliance-audit--123456789012'.length;
export const MAX_SUFFIX_LENGTH = 63 - BUCKET_NAME_FIXED_LENGTH;

export interface ComplianceStackProps {
  /** Carried by every resource name; lower-case letters, digits and hyphens. */
  readonly environmentSuffix: string;
  /** @default us-east-1 */
  readonly region?: string;
  /** Regions the scanner inventories. @default - every region enabled for the account */
  readonly scanRegions?: readonly string[];
  /** EventBridge schedule of the scanner. @default rate(6 hours) */
  readonly scanSchedule?: string;
  /** @default dry-run */
  readonly remediationMode?: RemediationMode;
  /** Buckets the remediation function changes in one run at most. @default 10 */
  readonly remediationMaxPerRun?: number;
  /**
   * A long-lived customer-managed key (in the stack's region) that remediation applies, instead of
   * the key this stack creates. Recommended with `enforce`: buckets it encrypts keep working after
   * this stack is destroyed. @default - a key of this stack
   */
  readonly remediationKmsKeyArn?: string;
  /** @default auto - create the recorder only when the account has no customer-managed one */
  readonly configRecorderMode?: ConfigRecorderMode;
  /** @default endpoints - interface endpoints, no internet route */
  readonly networkEgress?: NetworkEgress;
  /**
   * Availability zones each interface endpoint has a network interface in: 2, or 1 for about half
   * the endpoint cost (functions in the other zone cross zones to reach it, and an outage of that
   * zone cuts the in-VPC functions off AWS APIs). @default 2
   */
  readonly interfaceEndpointAzs?: number;
  /** @default 10.20.0.0/16 */
  readonly vpcCidr?: string;
  /** Addresses subscribed to the alert topic (each must confirm). @default - none */
  readonly alertEmails?: readonly string[];
  /** Lowest severity that produces an alert. @default high */
  readonly alertMinSeverity?: SeverityLevel;
  /** Values of the mandatory Owner, CostCenter and ComplianceLevel tags (Environment = suffix). */
  readonly tags?: {
    readonly owner?: string;
    readonly costCenter?: string;
    readonly complianceLevel?: string;
  };
  /** @default 90 */
  readonly logRetentionDays?: number;
  /** Days findings, reports and noncurrent versions are kept. @default 90 */
  readonly reportRetentionDays?: number;
  /** Keep the audit bucket's objects on destroy (no force_destroy). @default false */
  readonly retainAuditData?: boolean;
  /** TCP ports that may be open to 0.0.0.0/0 without an EC2.18 finding. @default 80, 443 */
  readonly allowedOpenPorts?: readonly number[];
  /** UDP ports that may be open to 0.0.0.0/0 without an EC2.18 finding. @default none */
  readonly allowedOpenUdpPorts?: readonly number[];
  /** Per-function reserved concurrency overrides. @default DEFAULT_RESERVED_CONCURRENCY */
  readonly reservedConcurrency?: Partial<Record<FunctionName, number>>;
  /** Import findings into AWS Security Hub (ASFF) after each scan. @default off */
  readonly securityHubExport?: SecurityHubExport;
  /**
   * The reviewed suppressions file (YAML or JSON), read at synth and uploaded to the audit bucket.
   * @default suppressions.yaml - no suppressions when that file does not exist
   */
  readonly suppressionsFile?: string;
  /** S3 state backend; when unset (and no Terraform Cloud), state is local. */
  readonly stateBucket?: string;
  /** @default compliance-audit/<suffix>/terraform.tfstate */
  readonly stateKey?: string;
  /** @default - the stack's region */
  readonly stateRegion?: string;
  /** Terraform Cloud / Enterprise organization and workspace (both or neither). */
  readonly cloudOrganization?: string;
  readonly cloudWorkspace?: string;
  /** @default app.terraform.io */
  readonly cloudHostname?: string;
  /** `organization`: scan every account of the AWS Organization (organization-settings.ts). @default account */
  readonly scanScope?: ScanScope;
  /** Organization mode's settings; only with scanScope `organization`. */
  readonly organization?: OrganizationProps;
}

/** Every setting with defaults applied; what the constructs read. */
export interface Settings {
  readonly environmentSuffix: string;
  readonly region: string;
  readonly scanRegions: readonly string[];
  readonly scanSchedule: string;
  readonly scanIntervalSeconds: number;
  readonly remediationMode: RemediationMode;
  readonly remediationMaxPerRun: number;
  readonly remediationKmsKeyArn?: string;
  readonly configRecorderMode: ConfigRecorderMode;
  readonly networkEgress: NetworkEgress;
  readonly interfaceEndpointAzs: number;
  readonly vpcCidr: string;
  readonly alertEmails: readonly string[];
  readonly alertMinSeverity: SeverityLevel;
  readonly tags: Readonly<
    Record<'Environment' | 'Owner' | 'CostCenter' | 'ComplianceLevel', string>
  >;
  readonly logRetentionDays: number;
  readonly reportRetentionDays: number;
  readonly retainAuditData: boolean;
  readonly allowedOpenPorts: readonly number[];
  readonly allowedOpenUdpPorts: readonly number[];
  readonly reservedConcurrency: Readonly<Record<FunctionName, number>>;
  readonly securityHubExport: SecurityHubExport;
  readonly suppressions: LoadedSuppressions;
  readonly backend:
    | { readonly kind: 'local' }
    | {
        readonly kind: 's3';
        readonly bucket: string;
        readonly key: string;
        readonly region: string;
      }
    | {
        readonly kind: 'cloud';
        readonly organization: string;
        readonly workspace: string;
        readonly hostname: string;
      };
  readonly scanScope: ScanScope;
  /** Present exactly when scanScope is `organization`. */
  readonly organization?: OrganizationSettings;
}

/** The environment variable behind each prop: error messages name the setting a user sets. */
export const SETTING_NAMES: Readonly<Record<keyof ComplianceStackProps, string>> = {
  environmentSuffix: 'ENVIRONMENT_SUFFIX',
  region: 'AWS_REGION',
  scanRegions: 'SCAN_REGIONS',
  scanSchedule: 'SCAN_SCHEDULE',
  remediationMode: 'REMEDIATION_MODE',
  remediationMaxPerRun: 'REMEDIATION_MAX_PER_RUN',
  remediationKmsKeyArn: 'REMEDIATION_KMS_KEY_ARN',
  configRecorderMode: 'CONFIG_RECORDER_MODE',
  networkEgress: 'NETWORK_EGRESS',
  interfaceEndpointAzs: 'INTERFACE_ENDPOINT_AZS',
  vpcCidr: 'VPC_CIDR',
  alertEmails: 'ALERT_EMAILS',
  alertMinSeverity: 'ALERT_MIN_SEVERITY',
  tags: 'TAG_OWNER / TAG_COST_CENTER / TAG_COMPLIANCE_LEVEL',
  logRetentionDays: 'LOG_RETENTION_DAYS',
  reportRetentionDays: 'REPORT_RETENTION_DAYS',
  retainAuditData: 'RETAIN_AUDIT_DATA',
  allowedOpenPorts: 'ALLOWED_OPEN_PORTS',
  allowedOpenUdpPorts: 'ALLOWED_OPEN_UDP_PORTS',
  reservedConcurrency: 'RESERVED_CONCURRENCY',
  securityHubExport: 'SECURITY_HUB_EXPORT',
  suppressionsFile: 'SUPPRESSIONS_FILE',
  stateBucket: 'TF_STATE_BUCKET',
  stateKey: 'TF_STATE_KEY',
  stateRegion: 'TF_STATE_REGION',
  cloudOrganization: 'TF_CLOUD_ORGANIZATION',
  cloudWorkspace: 'TF_CLOUD_WORKSPACE',
  cloudHostname: 'TF_CLOUD_HOSTNAME',
  scanScope: 'SCAN_SCOPE',
  organization: Object.values(ORGANIZATION_SETTING_NAMES).join(' / '),
};

export class SettingsError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid settings:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'SettingsError';
  }
}

const SUFFIX = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const EMAIL = /^[^\s@,;]+@[^\s@,;]+\.[^\s@,;]+$/;
const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,256}$/u;

function cidrProblem(cidr: string): string | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  if (!m || m.slice(1, 5).some((o) => Number(o) > 255))
    return 'use an IPv4 CIDR such as 10.20.0.0/16';
  const prefix = Number(m[5]);
  if (prefix < 16 || prefix > 22)
    return 'the prefix must be /16 to /22 (two /24 or larger subnets must fit)';
  const address = m.slice(1, 5).reduce((a, o) => a * 256 + Number(o), 0);
  if (address % 2 ** (32 - prefix) !== 0)
    return `host bits are set; the network address is not ${cidr.split('/')[0]}`;
  return undefined;
}

function isPositiveInt(n: number, max: number): boolean {
  return Number.isInteger(n) && n >= 1 && n <= max;
}

/** Applies defaults and validates every prop; throws one SettingsError listing each problem. */
export function resolveSettings(props: ComplianceStackProps): Settings {
  const problems: string[] = [];
  const bad = (prop: keyof ComplianceStackProps, value: unknown, rule: string): void => {
    problems.push(`${SETTING_NAMES[prop]} ${JSON.stringify(value)}: ${rule}`);
  };

  const suffix = props.environmentSuffix;
  if (!SUFFIX.test(suffix ?? '')) {
    bad(
      'environmentSuffix',
      suffix,
      'use lower-case letters, digits and hyphens, starting and ending with a letter or digit',
    );
  } else if (suffix.length > MAX_SUFFIX_LENGTH) {
    bad(
      'environmentSuffix',
      suffix,
      `at most ${MAX_SUFFIX_LENGTH} characters, or the bucket name compliance-audit-${suffix}-<account id> exceeds S3's 63`,
    );
  }
  // Enumerated values (regions, modes, severities, function names) accept any case.
  const region = (props.region ?? DEFAULT_REGION).toLowerCase();
  const regionIssue = regionProblem(region);
  if (regionIssue) bad('region', region, regionIssue);
  const partition = partitionOfRegion(region);
  /** Problem of a region that must share the stack's partition (one set of credentials). */
  const otherRegionProblem = (r: string): string | undefined =>
    regionProblem(r) ??
    (partition && partitionOfRegion(r) !== partition
      ? `${r} is in partition ${partitionOfRegion(r)}, the stack's region ${region} in ${partition}`
      : undefined);
  // Empty: the scanner covers every region enabled for the account (ec2:DescribeRegions).
  const scanRegions = (props.scanRegions ?? []).map((r) => r.toLowerCase());
  // Only regions the user set: a bad AWS_REGION is reported once, not again as the default here.
  if (props.scanRegions?.length) {
    for (const r of scanRegions) {
      const issue = otherRegionProblem(r);
      if (issue) bad('scanRegions', r, issue);
    }
  }

  const scanSchedule = props.scanSchedule ?? DEFAULT_SCAN_SCHEDULE;
  let scanIntervalSeconds = 0;
  const scheduleIssue = scheduleProblem(scanSchedule);
  if (scheduleIssue) {
    bad(
      'scanSchedule',
      scanSchedule,
      `${scheduleIssue}; e.g. rate(6 hours) or cron(0 */6 * * ? *)`,
    );
  } else {
    try {
      scanIntervalSeconds = maxIntervalSeconds(scanSchedule);
    } catch {
      // A well-formed cron that never runs twice (a fixed year): the same rule, not a crash.
      scanIntervalSeconds = 0;
    }
    if (
      scanIntervalSeconds < MIN_SCAN_INTERVAL_SECONDS ||
      scanIntervalSeconds > MAX_SCAN_INTERVAL_SECONDS
    ) {
      bad('scanSchedule', scanSchedule, 'runs must be between 15 minutes and 3 days apart');
    }
  }

  const oneOf = <T extends string>(
    prop: keyof ComplianceStackProps,
    value: T | undefined,
    allowed: readonly T[],
    dflt: T,
  ): T => {
    if (value === undefined) return dflt;
    const normalized = value.toLowerCase() as T;
    if (!allowed.includes(normalized)) bad(prop, value, `use one of ${allowed.join(' | ')}`);
    return normalized;
  };
  const remediationMode = oneOf(
    'remediationMode',
    props.remediationMode,
    REMEDIATION_MODES,
    'dry-run',
  );
  const configRecorderMode = oneOf(
    'configRecorderMode',
    props.configRecorderMode,
    RECORDER_MODES,
    'auto',
  );
  const networkEgress = oneOf('networkEgress', props.networkEgress, EGRESS_MODES, 'endpoints');
  const securityHubExport = oneOf(
    'securityHubExport',
    props.securityHubExport,
    EXPORT_MODES,
    'off',
  );
  const suppressionsFile = loadSuppressionsFile(props.suppressionsFile, new Date());
  for (const p of suppressionsFile.problems)
    problems.push(`${SETTING_NAMES.suppressionsFile} ${p}`);
  const interfaceEndpointAzs = props.interfaceEndpointAzs ?? DEFAULT_INTERFACE_ENDPOINT_AZS;
  if (interfaceEndpointAzs !== 1 && interfaceEndpointAzs !== 2)
    bad('interfaceEndpointAzs', interfaceEndpointAzs, 'use 2 (default) or 1');
  const alertMinSeverity = oneOf(
    'alertMinSeverity',
    props.alertMinSeverity,
    SEVERITY_LEVELS,
    'high',
  );

  const remediationMaxPerRun = props.remediationMaxPerRun ?? DEFAULT_REMEDIATION_MAX_PER_RUN;
  if (!isPositiveInt(remediationMaxPerRun, 1000))
    bad('remediationMaxPerRun', remediationMaxPerRun, 'a whole number from 1 to 1000');
  const remediationKmsKeyArn = props.remediationKmsKeyArn;
  if (remediationKmsKeyArn !== undefined) {
    const key = /^arn:(aws[a-z-]*):kms:([a-z0-9-]+):\d{12}:key\/[A-Za-z0-9-]+$/.exec(
      remediationKmsKeyArn,
    );
    if (!key) {
      bad(
        'remediationKmsKeyArn',
        remediationKmsKeyArn,
        'a KMS key ARN such as arn:aws:kms:us-east-1:123456789012:key/<id> (not an alias: IAM grants on keys, not aliases)',
      );
    } else if (key[2] !== region) {
      bad(
        'remediationKmsKeyArn',
        remediationKmsKeyArn,
        `the key must be in the stack's region ${region} (S3 uses keys of the bucket's region)`,
      );
    } else if (partition && key[1] !== partition) {
      bad(
        'remediationKmsKeyArn',
        remediationKmsKeyArn,
        `the ARN's partition must be ${partition}, the partition of ${region}`,
      );
    }
  }

  const vpcCidr = props.vpcCidr ?? DEFAULT_VPC_CIDR;
  const cidrIssue = cidrProblem(vpcCidr);
  if (cidrIssue) bad('vpcCidr', vpcCidr, cidrIssue);

  const alertEmails = [...(props.alertEmails ?? [])];
  for (const e of alertEmails)
    if (!EMAIL.test(e))
      bad('alertEmails', e, 'use comma-separated e-mail addresses such as secops@example.com');

  const tags = {
    Environment: suffix,
    Owner: props.tags?.owner ?? DEFAULT_TAGS.owner,
    CostCenter: props.tags?.costCenter ?? DEFAULT_TAGS.costCenter,
    ComplianceLevel: props.tags?.complianceLevel ?? DEFAULT_TAGS.complianceLevel,
  };
  const tagSettings: [string, string][] = [
    ['TAG_OWNER', tags.Owner],
    ['TAG_COST_CENTER', tags.CostCenter],
    ['TAG_COMPLIANCE_LEVEL', tags.ComplianceLevel],
  ];
  for (const [name, value] of tagSettings) {
    if (!TAG_VALUE.test(value))
      problems.push(
        `${name} ${JSON.stringify(value)}: 1-256 letters, digits, spaces or _ . : / = + - @`,
      );
  }

  const logRetentionDays = props.logRetentionDays ?? DEFAULT_LOG_RETENTION_DAYS;
  if (!(LOG_RETENTION_VALUES as readonly number[]).includes(logRetentionDays)) {
    bad(
      'logRetentionDays',
      logRetentionDays,
      `use a value CloudWatch Logs accepts: ${LOG_RETENTION_VALUES.join(', ')}`,
    );
  }
  const reportRetentionDays = props.reportRetentionDays ?? DEFAULT_REPORT_RETENTION_DAYS;
  if (!isPositiveInt(reportRetentionDays, 3650))
    bad('reportRetentionDays', reportRetentionDays, 'a whole number of days from 1 to 3650');

  const allowedOpenPorts = [...(props.allowedOpenPorts ?? [80, 443])];
  for (const p of allowedOpenPorts)
    if (!isPositiveInt(p, 65535))
      bad('allowedOpenPorts', p, 'comma-separated port numbers from 1 to 65535');
  const allowedOpenUdpPorts = [...(props.allowedOpenUdpPorts ?? [])];
  for (const p of allowedOpenUdpPorts)
    if (!isPositiveInt(p, 65535))
      bad('allowedOpenUdpPorts', p, 'comma-separated port numbers from 1 to 65535');

  const reservedConcurrency = { ...DEFAULT_RESERVED_CONCURRENCY };
  for (const [given, n] of Object.entries(props.reservedConcurrency ?? {})) {
    const name = given.toLowerCase();
    if (!(FUNCTION_NAMES as readonly string[]).includes(name)) {
      bad(
        'reservedConcurrency',
        given,
        `unknown function; use name=count pairs for ${FUNCTION_NAMES.join(', ')}`,
      );
    } else if (!isPositiveInt(n as number, 100)) {
      bad(
        'reservedConcurrency',
        `${given}=${n}`,
        'each count must be a whole number from 1 to 100',
      );
    } else {
      reservedConcurrency[name as FunctionName] = n as number;
    }
  }

  let backend: Settings['backend'] = { kind: 'local' };
  if (props.stateBucket !== undefined) {
    if (!BUCKET.test(props.stateBucket) || props.stateBucket.includes('..')) {
      bad(
        'stateBucket',
        props.stateBucket,
        'use an S3 bucket name: 3-63 lower-case letters, digits, dots or hyphens',
      );
    }
    const key = props.stateKey ?? `compliance-audit/${suffix}/terraform.tfstate`;
    if (key.startsWith('/') || key.endsWith('/') || key.length > 1024)
      bad('stateKey', key, 'an S3 key without a leading or trailing /');
    const stateRegion = props.stateRegion?.toLowerCase() ?? region;
    const stateRegionIssue =
      props.stateRegion === undefined ? undefined : otherRegionProblem(stateRegion);
    if (stateRegionIssue) bad('stateRegion', stateRegion, stateRegionIssue);
    backend = { kind: 's3', bucket: props.stateBucket, key, region: stateRegion };
  }
  if (props.cloudOrganization !== undefined || props.cloudWorkspace !== undefined) {
    if (!props.cloudOrganization || !props.cloudWorkspace) {
      problems.push(
        'TF_CLOUD_ORGANIZATION and TF_CLOUD_WORKSPACE: set both for a Terraform Cloud backend, or neither',
      );
    } else if (backend.kind === 's3') {
      problems.push(
        'TF_STATE_BUCKET and TF_CLOUD_ORGANIZATION: choose one state backend, S3 or Terraform Cloud',
      );
    } else {
      backend = {
        kind: 'cloud',
        organization: props.cloudOrganization,
        workspace: props.cloudWorkspace,
        hostname: props.cloudHostname ?? 'app.terraform.io',
      };
    }
  }

  const organization = resolveOrganization(props.scanScope, props.organization, suffix, problems);
  if (organization?.memberRemediation && remediationMode === 'off')
    problems.push(
      `ORG_REMEDIATION "members": needs REMEDIATION_MODE dry-run or enforce (with off, remediation changes no bucket in any account)`,
    );

  if (problems.length > 0) throw new SettingsError(problems);
  return {
    environmentSuffix: suffix,
    region,
    scanRegions,
    scanSchedule,
    scanIntervalSeconds,
    remediationMode,
    remediationMaxPerRun,
    remediationKmsKeyArn,
    configRecorderMode,
    networkEgress,
    interfaceEndpointAzs,
    vpcCidr,
    alertEmails,
    alertMinSeverity,
    tags,
    logRetentionDays,
    reportRetentionDays,
    retainAuditData: props.retainAuditData ?? false,
    allowedOpenPorts,
    allowedOpenUdpPorts,
    reservedConcurrency,
    securityHubExport,
    suppressions: suppressionsFile.loaded,
    backend,
    scanScope: organization ? 'organization' : 'account',
    ...(organization ? { organization } : {}),
  };
}

type Source = Readonly<Record<string, string | undefined>>;

/** Every environment variable (or cdktf context key) the settings read. */
export const SETTING_VARIABLES = [
  'ENVIRONMENT_SUFFIX',
  'AWS_REGION',
  'AWS_DEFAULT_REGION',
  'SCAN_REGIONS',
  'SCAN_SCHEDULE',
  'REMEDIATION_MODE',
  'REMEDIATION_MAX_PER_RUN',
  'REMEDIATION_KMS_KEY_ARN',
  'CONFIG_RECORDER_MODE',
  'NETWORK_EGRESS',
  'INTERFACE_ENDPOINT_AZS',
  'VPC_CIDR',
  'ALERT_EMAILS',
  'ALERT_MIN_SEVERITY',
  'TAG_OWNER',
  'TAG_COST_CENTER',
  'TAG_COMPLIANCE_LEVEL',
  'LOG_RETENTION_DAYS',
  'REPORT_RETENTION_DAYS',
  'RETAIN_AUDIT_DATA',
  'ALLOWED_OPEN_PORTS',
  'ALLOWED_OPEN_UDP_PORTS',
  'RESERVED_CONCURRENCY',
  'SECURITY_HUB_EXPORT',
  'SUPPRESSIONS_FILE',
  'TF_STATE_BUCKET',
  'TF_STATE_KEY',
  'TF_STATE_REGION',
  'TF_CLOUD_ORGANIZATION',
  'TF_CLOUD_WORKSPACE',
  'TF_CLOUD_HOSTNAME',
  ...ORGANIZATION_VARIABLES,
] as const;
export type SettingVariable = (typeof SETTING_VARIABLES)[number];

/**
 * Validated props from environment variables, falling back to cdktf context values of the same
 * name (`cdktf.json` "context"). Blank values count as unset. A variable or context key that
 * looks like a setting but is none (a typo) is refused too. Throws one SettingsError naming every
 * bad setting.
 */
export function loadStackProps(env: Source, context: Source = {}): ComplianceStackProps {
  // A blank variable changes nothing, so only set ones are checked for typos.
  const setNames = (source: Source): string[] =>
    Object.keys(source).filter((k) => source[k] !== undefined && source[k]!.trim() !== '');
  const unknown = unknownSettingProblems(SETTING_VARIABLES, setNames(env), Object.keys(context));
  const read = propsFromEnvironment(env, context);
  const { props } = read;
  const problems = [...unknown, ...read.problems];
  try {
    resolveSettings(props);
  } catch (err) {
    if (err instanceof SettingsError) throw new SettingsError([...problems, ...err.problems]);
    throw err;
  }
  if (problems.length > 0) throw new SettingsError(problems);
  return props;
}

/** Props from environment / context, plus the values that could not be read (left unset). */
export function propsFromEnvironment(
  env: Source,
  context: Source = {},
): { props: ComplianceStackProps; problems: string[] } {
  const problems: string[] = [];
  const get = (name: SettingVariable): string | undefined => {
    // A blank variable counts as unset, so the context value of the same name still applies.
    const value = [env[name], context[name]].find((v) => v !== undefined && v.trim() !== '');
    return value?.trim();
  };
  const list = (name: SettingVariable): string[] | undefined =>
    get(name)
      ?.split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  const int = (name: SettingVariable): number | undefined => {
    const raw = get(name);
    if (raw === undefined) return undefined;
    if (/^\d+$/.test(raw)) return Number(raw);
    problems.push(`${name} ${JSON.stringify(raw)}: a whole number`);
    return undefined;
  };
  const bool = (name: SettingVariable): boolean | undefined => {
    const raw = get(name)?.toLowerCase();
    if (raw === undefined) return undefined;
    if (raw === 'true' || raw === 'false') return raw === 'true';
    problems.push(`${name} ${JSON.stringify(raw)}: use true or false`);
    return undefined;
  };
  const ports = (name: SettingVariable): number[] | undefined => {
    const portList = list(name);
    const badPorts = portList?.filter((p) => !/^\d+$/.test(p)) ?? [];
    for (const p of badPorts)
      problems.push(`${name} ${JSON.stringify(p)}: comma-separated port numbers`);
    // The numeric ones still go on to the range check, so every bad port is named in one message.
    return portList?.filter((p) => /^\d+$/.test(p)).map(Number);
  };
  const tcpPorts = ports('ALLOWED_OPEN_PORTS');
  const udpPorts = ports('ALLOWED_OPEN_UDP_PORTS');
  const reserved: Record<string, number> = {};
  for (const pair of list('RESERVED_CONCURRENCY') ?? []) {
    const m = /^([A-Za-z0-9-]+)=(\d+)$/.exec(pair);
    if (!m)
      problems.push(
        `RESERVED_CONCURRENCY ${JSON.stringify(pair)}: use name=count pairs such as scanner=2,remediation=1`,
      );
    else reserved[m[1]] = Number(m[2]);
  }

  // AWS_DEFAULT_REGION applies when AWS_REGION is unset, as in the AWS CLI and SDKs.
  const defaultRegion = (): string | undefined => {
    const value = get('AWS_DEFAULT_REGION');
    const issue = value === undefined ? undefined : regionProblem(value.toLowerCase());
    if (issue) problems.push(`AWS_DEFAULT_REGION ${JSON.stringify(value)}: ${issue}`);
    return issue ? undefined : value;
  };
  const props: ComplianceStackProps = {
    environmentSuffix: get('ENVIRONMENT_SUFFIX') ?? DEFAULT_ENVIRONMENT_SUFFIX,
    region: get('AWS_REGION') ?? defaultRegion(),
    scanRegions: list('SCAN_REGIONS'),
    scanSchedule: get('SCAN_SCHEDULE'),
    remediationMode: get('REMEDIATION_MODE') as RemediationMode | undefined,
    remediationMaxPerRun: int('REMEDIATION_MAX_PER_RUN'),
    remediationKmsKeyArn: get('REMEDIATION_KMS_KEY_ARN'),
    configRecorderMode: get('CONFIG_RECORDER_MODE') as ConfigRecorderMode | undefined,
    networkEgress: get('NETWORK_EGRESS') as NetworkEgress | undefined,
    interfaceEndpointAzs: int('INTERFACE_ENDPOINT_AZS'),
    vpcCidr: get('VPC_CIDR'),
    alertEmails: list('ALERT_EMAILS'),
    alertMinSeverity: get('ALERT_MIN_SEVERITY') as SeverityLevel | undefined,
    tags: {
      owner: get('TAG_OWNER'),
      costCenter: get('TAG_COST_CENTER'),
      complianceLevel: get('TAG_COMPLIANCE_LEVEL'),
    },
    logRetentionDays: int('LOG_RETENTION_DAYS'),
    reportRetentionDays: int('REPORT_RETENTION_DAYS'),
    retainAuditData: bool('RETAIN_AUDIT_DATA'),
    allowedOpenPorts: tcpPorts,
    allowedOpenUdpPorts: udpPorts,
    reservedConcurrency: reserved as Partial<Record<FunctionName, number>>,
    securityHubExport: get('SECURITY_HUB_EXPORT') as SecurityHubExport | undefined,
    suppressionsFile: get('SUPPRESSIONS_FILE'),
    stateBucket: get('TF_STATE_BUCKET'),
    stateKey: get('TF_STATE_KEY'),
    stateRegion: get('TF_STATE_REGION'),
    cloudOrganization: get('TF_CLOUD_ORGANIZATION'),
    cloudWorkspace: get('TF_CLOUD_WORKSPACE'),
    cloudHostname: get('TF_CLOUD_HOSTNAME'),
    ...organizationPropsFrom({ get, list, int, bool }),
  };
  return { props, problems };
}
