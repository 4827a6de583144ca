/**
 * Account settings of the synthetic account. Global ones (S3 account Block Public Access, root
 * credentials, password policy, support role, CloudTrail trails and the CIS 4.x monitoring
 * chains) come from an account variant, one of a few profiles; regional ones (EBS encryption by
 * default, AWS Config, IAM Access Analyzer, Security Hub, GuardDuty) from a regional profile per
 * region slot. Each profile declares the verdicts it owes.
 */
import { MONITORING_PATTERNS } from '../../lambdas/scanner/checks/metric-filter-patterns';
import { hex, type AccountContext, type Expect, type Status } from './account-common';
import { FULL_BLOCK, type PublicAccessBlockSpec } from './account-s3';

// ------------------------------------------------------------------------------- trails

export interface TrailSpec {
  readonly name: string;
  readonly arn: string;
  readonly homeRegion: string;
  readonly multiRegion: boolean;
  readonly logging: boolean;
  /** GetEventSelectors answer: `EventSelectors` or `AdvancedEventSelectors`, as the API gives them. */
  readonly selectors: { readonly basic?: readonly object[]; readonly advanced?: readonly object[] };
  readonly kmsKeyId?: string;
  readonly validation: boolean;
  /** A bucket of this account (its index) or another account's bucket (its name). */
  readonly bucket: number | string;
  /** CloudWatch Logs group (in the trail's home region) with the CIS monitoring chains. */
  readonly logGroup?: string;
  /** CloudTrail.2 and CloudTrail.4 (CloudTrail.7 follows from the bucket). */
  readonly expect: Expect;
}

const ALL_MANAGEMENT = { ReadWriteType: 'All', IncludeManagementEvents: true };
const S3_OBJECTS_ALL_BUCKETS = [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3'] }];

interface TrailProfile extends Omit<TrailSpec, 'arn' | 'homeRegion' | 'kmsKeyId'> {
  readonly homeSlot: number;
  readonly encrypted: boolean;
}

const trailExpect = (encrypted: boolean, validation: boolean): Expect => ({
  'CloudTrail.2': encrypted ? 'PASS' : 'FAIL',
  'CloudTrail.4': validation ? 'PASS' : 'FAIL',
});

function trail(p: Omit<TrailProfile, 'expect'>): TrailProfile {
  return { ...p, expect: trailExpect(p.encrypted, p.validation) };
}

/** A multi-Region trail as CIS wants it, with S3 object events and the monitoring log group. */
const MAIN_TRAIL = trail({
  name: 'bench-main-trail',
  homeSlot: 0,
  multiRegion: true,
  logging: true,
  selectors: { basic: [{ ...ALL_MANAGEMENT, DataResources: S3_OBJECTS_ALL_BUCKETS }] },
  encrypted: true,
  validation: true,
  bucket: 0, // bucket 0: profile 0, server access logging on
  logGroup: 'bench-cloudtrail',
});

/** A single-Region trail of an application team: not encrypted, not validated. */
const APP_TRAIL = trail({
  name: 'bench-app-trail',
  homeSlot: 1,
  multiRegion: false,
  logging: true,
  selectors: { basic: [ALL_MANAGEMENT] },
  encrypted: false,
  validation: false,
  bucket: 4, // bucket 4: region slot 1, profile 1, server access logging off
});

const CENTRAL_BUCKET = 'central-audit-logs-999999999999';

// --------------------------------------------------------------------------- monitoring

/** How the log group of the main trail leads (or fails to lead) to someone being told. */
export type Chain =
  | 'subscribed' // filter → alarm → topic with a confirmed subscription
  | 'metric-math' // the same, the alarm watching the metric inside a metric-math expression
  | 'pending' // the topic's only subscription is pending confirmation
  | 'no-alarm' // filter, but no alarm on its metric
  | 'other-pattern' // the filter's pattern has a clause more than the control's
  | 'not-sns' // the alarm acts, but not on an SNS topic
  | 'none'; // no filter at all

export const MONITORING_CHAINS: Readonly<Record<string, Chain>> = {
  'CloudWatch.1': 'subscribed',
  'CloudWatch.2': 'subscribed',
  'CloudWatch.3': 'subscribed',
  'CloudWatch.4': 'subscribed',
  'CloudWatch.5': 'subscribed',
  'CloudWatch.6': 'pending',
  'CloudWatch.7': 'no-alarm',
  'CloudWatch.8': 'other-pattern',
  'CloudWatch.9': 'not-sns',
  'CloudWatch.10': 'metric-math',
  'CloudWatch.11': 'none',
  'CloudWatch.12': 'none',
  'CloudWatch.13': 'none',
  'CloudWatch.14': 'none',
  'CloudWatch.OrganizationsChanges': 'none',
};

const chainVerdict = (c: Chain): Status =>
  c === 'subscribed' || c === 'metric-math' ? 'PASS' : 'FAIL';

export interface MetricFilterSpec {
  readonly name: string;
  readonly pattern: string;
  readonly namespace: string;
  readonly metric: string;
}

export interface AlarmSpec {
  readonly name: string;
  readonly namespace: string;
  readonly metric: string;
  /** Watch the metric through a metric-math expression. */
  readonly math?: boolean;
  readonly actions: readonly string[];
}

export const MONITORING_NAMESPACE = 'CISBenchmark';
/** Unrelated filters and alarms in the log group and the region, to page through. */
export const NOISE_FILTERS = 60;

const metricOf = (id: string) => id.replace('CloudWatch.', 'Cis');

/**
 * The metric filters of the main trail's log group: one per chained control — the control's
 * pattern as AWS or CIS writes it (alternately), or with a clause more — then noise filters.
 */
export function metricFilter(k: number): MetricFilterSpec {
  const ids = Object.keys(MONITORING_CHAINS).filter((id) => MONITORING_CHAINS[id] !== 'none');
  if (k < ids.length) {
    const id = ids[k]!;
    const accepted = MONITORING_PATTERNS[id]!;
    const pattern = k % 2 === 0 ? accepted[0]! : accepted[accepted.length - 1]!;
    return {
      name: `cis-${id}`,
      pattern:
        MONITORING_CHAINS[id] === 'other-pattern'
          ? pattern.replace(/\}\s*$/, ' && ($.awsRegion = "us-east-1") }')
          : pattern,
      namespace: MONITORING_NAMESPACE,
      metric: metricOf(id),
    };
  }
  return {
    name: `app-errors-${k}`,
    pattern: '{ $.errorCode = "InternalError" }',
    namespace: 'BenchApp',
    metric: `Errors${k}`,
  };
}

export function metricFilterCount(): number {
  return Object.values(MONITORING_CHAINS).filter((c) => c !== 'none').length + NOISE_FILTERS;
}

export function topicArn(ctx: AccountContext, name: string): string {
  return `arn:aws:sns:${ctx.regionOf(0)}:${ctx.accountId}:${name}`;
}

/** Alarms of the home region: the chains' alarms, then `noise` alarms on application metrics. */
export function alarm(ctx: AccountContext, k: number): AlarmSpec {
  const chained = Object.entries(MONITORING_CHAINS).filter(
    ([, c]) => c !== 'none' && c !== 'no-alarm' && c !== 'other-pattern',
  );
  if (k < chained.length) {
    const [id, chain] = chained[k]!;
    const actions =
      chain === 'not-sns'
        ? [
            `arn:aws:autoscaling:${ctx.regionOf(0)}:${ctx.accountId}:scalingPolicy:bench:autoScalingGroupName/bench:policyName/up`,
          ]
        : [topicArn(ctx, chain === 'pending' ? 'bench-pending-alerts' : 'bench-security-alerts')];
    return {
      name: `cis-${id}`,
      namespace: MONITORING_NAMESPACE,
      metric: metricOf(id),
      math: chain === 'metric-math',
      actions,
    };
  }
  return {
    name: `app-alarm-${k}`,
    namespace: 'AWS/Lambda',
    metric: 'Errors',
    actions: [topicArn(ctx, 'bench-ops-alerts')],
  };
}

export function chainedAlarmCount(): number {
  return Object.values(MONITORING_CHAINS).filter(
    (c) => c !== 'none' && c !== 'no-alarm' && c !== 'other-pattern',
  ).length;
}

/** SubscriptionArn of each subscription of a topic (`PendingConfirmation` until confirmed). */
export function topicSubscriptions(ctx: AccountContext, topic: string): string[] | undefined {
  if (topic === topicArn(ctx, 'bench-security-alerts'))
    return [`${topic}:0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0`, 'PendingConfirmation'];
  if (topic === topicArn(ctx, 'bench-pending-alerts')) return ['PendingConfirmation'];
  if (topic === topicArn(ctx, 'bench-ops-alerts'))
    return [`${topic}:1a2b3c4d-5e6f-4a5b-8c7d-9e0f1a2b3c4d`];
  return undefined;
}

// ------------------------------------------------------------------------ account variants

export interface AccountProfile {
  /** S3 Control account-level Block Public Access; null: not configured. */
  readonly accountBlock: PublicAccessBlockSpec | null;
  readonly root: { readonly mfa: boolean; readonly keys: number; readonly password: boolean };
  readonly passwordPolicy: { readonly minimumLength: number; readonly reuse?: number } | null;
  /** Identities AWSSupportAccess is attached to. */
  readonly support: { readonly roles: string[]; readonly users: string[] };
  readonly trails: readonly TrailProfile[];
  /** Home-region account verdicts (the CIS 4.x monitoring ones follow from the trails' chains). */
  readonly expect: Expect;
}

const monitoringFails: Expect = Object.fromEntries(
  Object.keys(MONITORING_CHAINS).map((id) => [id, 'FAIL']),
);

export const ACCOUNT_PROFILES: readonly AccountProfile[] = [
  // 0, the benchmark's: no account-level block (bucket exposures stand), root and passwords
  // as CIS wants them, the main trail with monitoring, an application trail
  {
    accountBlock: null,
    root: { mfa: true, keys: 0, password: true },
    passwordPolicy: { minimumLength: 14, reuse: 24 },
    support: { roles: ['bench-support'], users: [] },
    trails: [MAIN_TRAIL, APP_TRAIL],
    expect: {
      'S3.1': 'FAIL',
      'IAM.4': 'PASS',
      'IAM.9': 'PASS',
      'IAM.15': 'PASS',
      'IAM.16': 'PASS',
      'IAM.18': 'PASS',
      'CloudTrail.1': 'PASS',
      'S3.22': 'PASS',
      'S3.23': 'PASS',
      ...Object.fromEntries(
        Object.entries(MONITORING_CHAINS).map(([id, c]) => [id, chainVerdict(c)]),
      ),
    },
  },
  // 1: the account blocks public buckets, but the root user has keys and no MFA, there is no
  // password policy and no support role, and the only multi-Region trail has stopped logging
  {
    accountBlock: FULL_BLOCK,
    root: { mfa: false, keys: 1, password: true },
    passwordPolicy: null,
    support: { roles: [], users: [] },
    trails: [
      APP_TRAIL,
      trail({
        name: 'bench-stopped-trail',
        homeSlot: 2,
        multiRegion: true,
        logging: false,
        selectors: { basic: [ALL_MANAGEMENT] },
        encrypted: true,
        validation: true,
        bucket: CENTRAL_BUCKET,
      }),
    ],
    expect: {
      'S3.1': 'PASS',
      'IAM.4': 'FAIL',
      'IAM.9': 'FAIL',
      'IAM.15': 'FAIL',
      'IAM.16': 'FAIL',
      'IAM.18': 'FAIL',
      'CloudTrail.1': 'FAIL',
      'S3.22': 'FAIL',
      'S3.23': 'FAIL',
      ...monitoringFails,
    },
  },
  // 2: a partial account block (public policies restricted, public ACLs not ignored); a root
  // user without a password; long passwords that may be reused; support through a user; an
  // organization-style trail with advanced selectors logging S3 writes only, delivering to a
  // central bucket of another account, no CloudWatch Logs; a trail that excludes KMS events
  {
    accountBlock: { ...FULL_BLOCK, ignorePublicAcls: false },
    root: { mfa: false, keys: 0, password: false },
    passwordPolicy: { minimumLength: 16, reuse: 5 },
    support: { roles: [], users: ['bench-support-user'] },
    trails: [
      trail({
        name: 'bench-org-trail',
        homeSlot: 0,
        multiRegion: true,
        logging: true,
        selectors: {
          advanced: [
            {
              Name: 'Management events',
              FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }],
            },
            {
              Name: 'S3 object writes',
              FieldSelectors: [
                { Field: 'eventCategory', Equals: ['Data'] },
                { Field: 'resources.type', Equals: ['AWS::S3::Object'] },
                { Field: 'readOnly', Equals: ['false'] },
              ],
            },
          ],
        },
        encrypted: true,
        validation: false,
        bucket: CENTRAL_BUCKET,
      }),
      trail({
        name: 'bench-no-kms-events-trail',
        homeSlot: 1,
        multiRegion: true,
        logging: true,
        selectors: {
          basic: [{ ...ALL_MANAGEMENT, ExcludeManagementEventSources: ['kms.amazonaws.com'] }],
        },
        encrypted: false,
        validation: true,
        bucket: 0,
      }),
    ],
    expect: {
      'S3.1': 'FAIL',
      'IAM.4': 'PASS',
      'IAM.9': 'PASS',
      'IAM.15': 'PASS',
      'IAM.16': 'FAIL',
      'IAM.18': 'PASS',
      'CloudTrail.1': 'PASS',
      'S3.22': 'PASS',
      'S3.23': 'FAIL',
      ...monitoringFails,
    },
  },
];

/** The trails of an account variant, placed in the account's regions. */
export function trailsOf(ctx: AccountContext, profile: AccountProfile): TrailSpec[] {
  return profile.trails.map(({ homeSlot, encrypted, ...t }) => {
    const homeRegion = ctx.regionOf(homeSlot);
    return {
      ...t,
      arn: `arn:aws:cloudtrail:${homeRegion}:${ctx.accountId}:trail/${t.name}`,
      homeRegion,
      kmsKeyId: encrypted ? ctx.keyArn(homeSlot, 0) : undefined,
    };
  });
}

// ------------------------------------------------------------------------ regional settings

export interface RecorderSpec {
  readonly name: string;
  readonly roleArn: string;
  readonly includeGlobal: boolean;
  /** Owned by another AWS service (recordingScope INTERNAL). */
  readonly servicePrincipal?: string;
}

export interface RegionalProfile {
  readonly ebsEncryptionByDefault: boolean;
  readonly recorders: (account: string) => readonly RecorderSpec[];
  /** Whether this region's recorder records IAM's global resource types (and meets Config.1). */
  readonly recordsGlobal: boolean;
  readonly analyzers: readonly {
    readonly name: string;
    readonly type: string;
    readonly status: string;
  }[];
  readonly securityHub: boolean;
  /** GuardDuty detector status; undefined: no detector. */
  readonly detector?: 'ENABLED' | 'DISABLED';
  /** Verdicts in the region: EC2.7, Config.1 (before the global-types rule), IAM.28, SecurityHub.Enabled, GuardDuty.1. */
  readonly expect: Expect;
}

const SERVICE_LINKED_ROLE = (account: string) =>
  `arn:aws:iam::${account}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig`;

function regionalExpect(
  ebs: Status,
  config: Status,
  analyzer: Status,
  hub: Status,
  guardDuty: Status,
): Expect {
  return {
    'EC2.7': ebs,
    'Config.1': config,
    'IAM.28': analyzer,
    'SecurityHub.Enabled': hub,
    'GuardDuty.1': guardDuty,
  };
}

export const REGIONAL_PROFILES: readonly RegionalProfile[] = [
  // everything on
  {
    ebsEncryptionByDefault: true,
    recorders: (account) => [
      { name: 'default', roleArn: SERVICE_LINKED_ROLE(account), includeGlobal: true },
    ],
    recordsGlobal: true,
    analyzers: [
      { name: 'bench-external', type: 'ACCOUNT', status: 'ACTIVE' },
      { name: 'bench-unused', type: 'ACCOUNT_UNUSED_ACCESS', status: 'ACTIVE' },
    ],
    securityHub: true,
    detector: 'ENABLED',
    expect: regionalExpect('PASS', 'PASS', 'PASS', 'PASS', 'PASS'),
  },
  // half done: a recorder with a role of the account, an external analyzer still being
  // created, Security Hub not subscribed, GuardDuty suspended
  {
    ebsEncryptionByDefault: false,
    recorders: (account) => [
      {
        name: 'default',
        roleArn: `arn:aws:iam::${account}:role/bench-config`,
        includeGlobal: false,
      },
    ],
    recordsGlobal: false,
    analyzers: [
      { name: 'bench-unused', type: 'ACCOUNT_UNUSED_ACCESS', status: 'ACTIVE' },
      { name: 'bench-external', type: 'ACCOUNT', status: 'CREATING' },
    ],
    securityHub: false,
    detector: 'DISABLED',
    expect: regionalExpect('FAIL', 'FAIL', 'FAIL', 'FAIL', 'FAIL'),
  },
  // only what other services set up: a service-linked recorder, Security Hub
  {
    ebsEncryptionByDefault: true,
    recorders: (account) => [
      {
        name: 'AWSConfigurationRecorderForSecurityHub',
        roleArn: SERVICE_LINKED_ROLE(account),
        includeGlobal: false,
        servicePrincipal: 'securityhub.amazonaws.com',
      },
    ],
    recordsGlobal: false,
    analyzers: [],
    securityHub: true,
    expect: regionalExpect('PASS', 'FAIL', 'FAIL', 'PASS', 'FAIL'),
  },
];

export function detectorId(slot: number): string {
  return `d${hex(slot + 1, 31)}`;
}
