/**
 * A synthetic AWS account for the scanner benchmark: N resources split over buckets, security
 * groups, volumes, VPCs, IAM users and Lambda functions, each resource's settings a pure function
 * of its index (a few profiles, compliant and not), so the account costs no memory however big it
 * is and the fake AWS answers from it on the fly. `expectedFindings` derives, from the same
 * profiles, how many PASS / FAIL findings each check must produce: the benchmark compares the
 * scan's findings with it, so a finding lost to throttling (or an ERROR) cannot go unnoticed.
 */

export const BENCH_ACCOUNT_ID = '123456789012';
export const BENCH_REGION = 'us-east-1';
export const MANDATORY_TAGS = ['Environment', 'Owner', 'CostCenter', 'ComplianceLevel'] as const;

const DAY_MS = 86_400_000;

export type Tag = readonly [key: string, value: string];
export type Status = 'PASS' | 'FAIL';
/** Expected statuses of one resource, by check id (checks that give it no finding are absent). */
type Expect = Readonly<Record<string, Status>>;

const ALL_TAGS: readonly Tag[] = MANDATORY_TAGS.map((k) => [k, `bench-${k.toLowerCase()}`]);
const SOME_TAGS: readonly Tag[] = [
  ['Owner', 'bench-owner'],
  ['Environment', 'bench'],
];

// ---------------------------------------------------------------------------------------- S3

export interface BucketSpec {
  readonly name: string;
  /** `null`: no bucket-level Block Public Access configuration (404). */
  readonly publicAccessBlock: boolean | null;
  /** JSON policy text, or null (NoSuchBucketPolicy). */
  readonly policy: string | null;
  /** GetBucketPolicyStatus IsPublic; null when there is no policy. */
  readonly policyIsPublic: boolean | null;
  readonly aclGrants: readonly { readonly uri?: string; readonly permission: string }[];
  /** null: OwnershipControlsNotFoundError. */
  readonly ownership: string | null;
  /** undefined: never enabled (empty VersioningConfiguration). */
  readonly versioning?: 'Enabled' | 'Suspended';
  readonly encryption: 'AES256' | 'aws:kms' | 'aws:kms:dsse';
  /** null: NoSuchTagSet. */
  readonly tags: readonly Tag[] | null;
  readonly expect: Expect;
}

function tlsOnlyPolicy(name: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'DenyInsecureTransport',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: [`arn:aws:s3:::${name}`, `arn:aws:s3:::${name}/*`],
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      },
    ],
  });
}

function publicReadPolicy(name: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: '*',
        Action: 's3:GetObject',
        Resource: `arn:aws:s3:::${name}/*`,
      },
    ],
  });
}

const ALL_USERS = 'http://acs.amazonaws.com/groups/global/AllUsers';
const AUTHENTICATED_USERS = 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers';
const OWNER_ONLY = [{ permission: 'FULL_CONTROL' }];

/** Bucket profiles, cycled by index. Account-level Block Public Access is not configured. */
const BUCKET_PROFILES: readonly ((name: string) => Omit<BucketSpec, 'name'>)[] = [
  // locked down: every check passes
  (name) => ({
    publicAccessBlock: true,
    policy: tlsOnlyPolicy(name),
    policyIsPublic: false,
    aclGrants: OWNER_ONLY,
    ownership: 'BucketOwnerEnforced',
    versioning: 'Enabled',
    encryption: 'aws:kms',
    tags: ALL_TAGS,
    expect: s3Expect('PASS', 'PASS', 'PASS', 'PASS', 'PASS', 'PASS', 'PASS'),
  }),
  // a new bucket left at the defaults: no policy, never versioned, SSE-S3, untagged
  () => ({
    publicAccessBlock: true,
    policy: null,
    policyIsPublic: null,
    aclGrants: OWNER_ONLY,
    ownership: 'BucketOwnerEnforced',
    encryption: 'AES256',
    tags: null,
    expect: s3Expect('PASS', 'PASS', 'PASS', 'FAIL', 'FAIL', 'FAIL', 'FAIL'),
  }),
  // public website: public-read policy, no block, versioning suspended, partly tagged
  (name) => ({
    publicAccessBlock: null,
    policy: publicReadPolicy(name),
    policyIsPublic: true,
    aclGrants: OWNER_ONLY,
    ownership: 'BucketOwnerEnforced',
    versioning: 'Suspended',
    encryption: 'aws:kms',
    tags: SOME_TAGS,
    expect: s3Expect('FAIL', 'FAIL', 'PASS', 'FAIL', 'FAIL', 'PASS', 'FAIL'),
  }),
  // legacy ACLs: AllUsers READ and AuthenticatedUsers WRITE, ACLs enabled, no block
  () => ({
    publicAccessBlock: null,
    policy: null,
    policyIsPublic: null,
    aclGrants: [
      ...OWNER_ONLY,
      { uri: ALL_USERS, permission: 'READ' },
      { uri: AUTHENTICATED_USERS, permission: 'WRITE' },
    ],
    ownership: 'ObjectWriter',
    versioning: 'Enabled',
    encryption: 'aws:kms',
    tags: ALL_TAGS,
    expect: s3Expect('FAIL', 'FAIL', 'FAIL', 'FAIL', 'PASS', 'PASS', 'PASS'),
  }),
  // TLS-only and blocked but never versioned, no ownership controls, DSSE-KMS
  (name) => ({
    publicAccessBlock: true,
    policy: tlsOnlyPolicy(name),
    policyIsPublic: false,
    aclGrants: OWNER_ONLY,
    ownership: null,
    encryption: 'aws:kms:dsse',
    tags: ALL_TAGS,
    expect: s3Expect('PASS', 'PASS', 'PASS', 'PASS', 'FAIL', 'PASS', 'PASS'),
  }),
];

function s3Expect(
  s3_8: Status,
  s3_2: Status,
  s3_3: Status,
  s3_5: Status,
  s3_14: Status,
  s3_17: Status,
  tags: Status,
): Expect {
  return {
    'S3.8': s3_8,
    'S3.2': s3_2,
    'S3.3': s3_3,
    'S3.5': s3_5,
    'S3.14': s3_14,
    'S3.17': s3_17,
    'S3.MandatoryTags': tags,
  };
}

// ---------------------------------------------------------------------------------------- EC2

export interface RuleSpec {
  readonly protocol: string;
  readonly from?: number;
  readonly to?: number;
  readonly cidrs?: readonly string[];
  readonly cidrsV6?: readonly string[];
  readonly sourceGroup?: boolean;
}

export interface SecurityGroupSpec {
  readonly id: string;
  readonly name: string;
  readonly vpcId: string;
  readonly ingress: readonly RuleSpec[];
  readonly egress: readonly RuleSpec[];
  readonly tags: readonly Tag[];
  readonly expect: Expect;
}

const EGRESS_ALL: readonly RuleSpec[] = [{ protocol: '-1', cidrs: ['0.0.0.0/0'] }];

function sgExpect(ec2_13: Status, ec2_14: Status, ec2_18: Status, ec2_19: Status): Expect {
  return { 'EC2.13': ec2_13, 'EC2.14': ec2_14, 'EC2.18': ec2_18, 'EC2.19': ec2_19 };
}

const SG_PROFILES: readonly {
  readonly name?: 'default';
  readonly ingress: readonly RuleSpec[];
  readonly egress: readonly RuleSpec[];
  readonly expect: Expect;
}[] = [
  // default SG, closed
  {
    name: 'default',
    ingress: [],
    egress: [],
    expect: { 'EC2.2': 'PASS', ...sgExpect('PASS', 'PASS', 'PASS', 'PASS') },
  },
  // default SG as AWS creates it: self-referencing ingress, all egress
  {
    name: 'default',
    ingress: [{ protocol: '-1', sourceGroup: true }],
    egress: EGRESS_ALL,
    expect: { 'EC2.2': 'FAIL', ...sgExpect('PASS', 'PASS', 'PASS', 'PASS') },
  },
  // web: 80 and 443 from the world (authorised ports)
  {
    ingress: [
      { protocol: 'tcp', from: 80, to: 80, cidrs: ['0.0.0.0/0'] },
      { protocol: 'tcp', from: 443, to: 443, cidrs: ['0.0.0.0/0'], cidrsV6: ['::/0'] },
    ],
    egress: EGRESS_ALL,
    expect: sgExpect('PASS', 'PASS', 'PASS', 'PASS'),
  },
  // SSH open to the world
  {
    ingress: [{ protocol: 'tcp', from: 22, to: 22, cidrs: ['0.0.0.0/0'] }],
    egress: EGRESS_ALL,
    expect: sgExpect('FAIL', 'PASS', 'FAIL', 'FAIL'),
  },
  // RDP open over IPv6
  {
    ingress: [{ protocol: 'tcp', from: 3389, to: 3389, cidrsV6: ['::/0'] }],
    egress: EGRESS_ALL,
    expect: sgExpect('PASS', 'FAIL', 'FAIL', 'FAIL'),
  },
  // all traffic from anywhere
  {
    ingress: [{ protocol: '-1', cidrs: ['0.0.0.0/0'] }],
    egress: EGRESS_ALL,
    expect: sgExpect('FAIL', 'FAIL', 'FAIL', 'FAIL'),
  },
  // internal only
  {
    ingress: [{ protocol: 'tcp', from: 0, to: 65535, cidrs: ['10.0.0.0/8'] }],
    egress: EGRESS_ALL,
    expect: sgExpect('PASS', 'PASS', 'PASS', 'PASS'),
  },
  // app port 8080 (high risk) from the world
  {
    ingress: [{ protocol: 'tcp', from: 8080, to: 8080, cidrs: ['0.0.0.0/0'] }],
    egress: EGRESS_ALL,
    expect: sgExpect('PASS', 'PASS', 'FAIL', 'FAIL'),
  },
];

export interface VolumeSpec {
  readonly id: string;
  readonly encrypted: boolean;
  readonly instanceId?: string;
  readonly tags: readonly Tag[];
  readonly expect: Expect;
}

export interface VpcSpec {
  readonly id: string;
  /** Flow log delivery status, or undefined when the VPC has no flow log. */
  readonly flowLog?: 'SUCCESS' | 'FAILED';
  readonly tags: readonly Tag[];
  readonly expect: Expect;
}

// ---------------------------------------------------------------------------------------- IAM

export interface UserSpec {
  readonly name: string;
  readonly arn: string;
  readonly createdDaysAgo: number;
  /** Console password: days since last use; undefined = no console password. */
  readonly passwordLastUsedDaysAgo?: number;
  readonly mfaDevices: number;
  readonly key?: {
    readonly id: string;
    readonly active: boolean;
    readonly ageDays: number;
    /** undefined: never used. */
    readonly lastUsedDaysAgo?: number;
  };
  readonly tags: readonly Tag[];
  readonly expect: Expect;
}

function userExpect(iam3: Status, iam5: Status, iam22: Status, iam25: Status): Expect {
  return { 'IAM.3': iam3, 'IAM.5': iam5, 'IAM.22': iam22, 'IAM.25': iam25 };
}

// ---------------------------------------------------------------------------------------- Lambda

export interface FunctionSpec {
  readonly name: string;
  readonly arn: string;
  readonly tracing: 'Active' | 'PassThrough';
  /** undefined: no reserved concurrency. */
  readonly reserved?: number;
  readonly tags: readonly Tag[];
  readonly expect: Expect;
}

// ---------------------------------------------------------------------------------------- account

export interface AccountCounts {
  readonly buckets: number;
  readonly securityGroups: number;
  readonly volumes: number;
  readonly vpcs: number;
  readonly users: number;
  readonly functions: number;
}

/** How N resources are split: mostly buckets (8 API calls each), users and functions fewer. */
export function splitResources(resources: number): AccountCounts {
  const part = (share: number) => Math.max(1, Math.round(resources * share));
  return {
    buckets: part(0.4),
    securityGroups: part(0.25),
    volumes: part(0.2),
    vpcs: part(0.01),
    users: part(0.1),
    functions: part(0.04),
  };
}

const pad = (i: number) => String(i).padStart(6, '0');
const hex = (i: number, width: number) => i.toString(16).padStart(width, '0');

export class SyntheticAccount {
  readonly accountId = BENCH_ACCOUNT_ID;
  readonly region = BENCH_REGION;
  readonly counts: AccountCounts;
  readonly resources: number;

  constructor(
    resources: number,
    /** "Now" for ages and last-use dates (ms); the scan must run within a day of it. */
    readonly nowMs: number = Date.now(),
  ) {
    this.counts = splitResources(resources);
    const c = this.counts;
    this.resources = c.buckets + c.securityGroups + c.volumes + c.vpcs + c.users + c.functions;
  }

  daysAgo(days: number): Date {
    return new Date(this.nowMs - days * DAY_MS);
  }

  bucket(i: number): BucketSpec {
    const name = `bench-bucket-${pad(i)}`;
    return { name, ...BUCKET_PROFILES[i % BUCKET_PROFILES.length]!(name) };
  }

  vpc(i: number): VpcSpec {
    const id = `vpc-${hex(i, 17)}`;
    const kind = i % 3;
    const tagged = i % 2 === 0;
    return {
      id,
      flowLog: kind === 0 ? 'SUCCESS' : kind === 2 ? 'FAILED' : undefined,
      tags: tagged ? ALL_TAGS : [],
      expect: { 'EC2.6': kind === 0 ? 'PASS' : 'FAIL', 'EC2.46': tagged ? 'PASS' : 'FAIL' },
    };
  }

  securityGroup(i: number): SecurityGroupSpec {
    const profile = SG_PROFILES[i % SG_PROFILES.length]!;
    const tagged = i % 3 !== 0;
    return {
      id: `sg-${hex(i, 17)}`,
      name: profile.name ?? `bench-sg-${pad(i)}`,
      vpcId: this.vpc(i % this.counts.vpcs).id,
      ingress: profile.ingress,
      egress: profile.egress,
      tags: tagged ? ALL_TAGS : SOME_TAGS,
      expect: { ...profile.expect, 'EC2.43': tagged ? 'PASS' : 'FAIL' },
    };
  }

  volume(i: number): VolumeSpec {
    const kind = i % 4;
    const tagged = i % 2 === 0;
    const attached = kind !== 2;
    const encrypted = kind !== 1 && kind !== 2;
    return {
      id: `vol-${hex(i, 17)}`,
      encrypted,
      instanceId: attached ? `i-${hex(i, 17)}` : undefined,
      tags: tagged ? ALL_TAGS : [],
      expect: {
        ...(attached ? { 'EC2.3': encrypted ? 'PASS' : 'FAIL' } : {}),
        'EC2.45': tagged ? 'PASS' : 'FAIL',
      },
    };
  }

  user(i: number): UserSpec {
    const name = `bench-user-${pad(i)}`;
    const base = { name, arn: `arn:aws:iam::${this.accountId}:user/${name}`, createdDaysAgo: 400 };
    const keyId = `AKIA${hex(i, 16).toUpperCase()}`;
    switch (i % 5) {
      case 0: // console + MFA, a recent key in use: compliant
        return {
          ...base,
          passwordLastUsedDaysAgo: 5,
          mfaDevices: 1,
          key: { id: keyId, active: true, ageDays: 30, lastUsedDaysAgo: 1 },
          tags: ALL_TAGS,
          expect: userExpect('PASS', 'PASS', 'PASS', 'PASS'),
        };
      case 1: // console without MFA, password unused for 100 days, untagged
        return {
          ...base,
          passwordLastUsedDaysAgo: 100,
          mfaDevices: 0,
          tags: [],
          expect: userExpect('PASS', 'FAIL', 'FAIL', 'FAIL'),
        };
      case 2: // programmatic, key 200 days old but in use, partly tagged
        return {
          ...base,
          mfaDevices: 0,
          key: { id: keyId, active: true, ageDays: 200, lastUsedDaysAgo: 2 },
          tags: SOME_TAGS,
          expect: userExpect('FAIL', 'PASS', 'PASS', 'FAIL'),
        };
      case 3: // an inactive old key only
        return {
          ...base,
          mfaDevices: 0,
          key: { id: keyId, active: false, ageDays: 300, lastUsedDaysAgo: 250 },
          tags: ALL_TAGS,
          expect: userExpect('PASS', 'PASS', 'PASS', 'PASS'),
        };
      default: // a 60-day-old key never used
        return {
          ...base,
          mfaDevices: 0,
          key: { id: keyId, active: true, ageDays: 60 },
          tags: ALL_TAGS,
          expect: userExpect('PASS', 'PASS', 'FAIL', 'PASS'),
        };
    }
  }

  function(i: number): FunctionSpec {
    const name = `bench-fn-${pad(i)}`;
    const arn = `arn:aws:lambda:${this.region}:${this.accountId}:function:${name}`;
    const expect = (reserved: Status, tracing: Status, tags: Status): Expect => ({
      'Lambda.ReservedConcurrency': reserved,
      'Lambda.7': tracing,
      'Lambda.6': tags,
    });
    switch (i % 4) {
      case 0:
        return {
          name,
          arn,
          tracing: 'Active',
          reserved: 5,
          tags: ALL_TAGS,
          expect: expect('PASS', 'PASS', 'PASS'),
        };
      case 1:
        return {
          name,
          arn,
          tracing: 'PassThrough',
          tags: [],
          expect: expect('FAIL', 'FAIL', 'FAIL'),
        };
      case 2:
        return {
          name,
          arn,
          tracing: 'Active',
          tags: ALL_TAGS,
          expect: expect('FAIL', 'PASS', 'PASS'),
        };
      default:
        return {
          name,
          arn,
          tracing: 'PassThrough',
          reserved: 0,
          tags: SOME_TAGS,
          expect: expect('PASS', 'FAIL', 'FAIL'),
        };
    }
  }

  /** The IAM credential report (CSV) for every user, plus the root row. */
  credentialReport(): string {
    const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, '+00:00');
    const header =
      'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated';
    const rows = [
      header,
      `<root_account>,arn:aws:iam::${this.accountId}:root,${iso(this.daysAgo(1000))},not_supported,${iso(this.daysAgo(30))},not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A`,
    ];
    for (let i = 0; i < this.counts.users; i += 1) {
      const u = this.user(i);
      const pw = u.passwordLastUsedDaysAgo;
      const k = u.key;
      rows.push(
        [
          u.name,
          u.arn,
          iso(this.daysAgo(u.createdDaysAgo)),
          pw === undefined ? 'false' : 'true',
          pw === undefined ? 'N/A' : iso(this.daysAgo(pw)),
          pw === undefined ? 'N/A' : iso(this.daysAgo(u.createdDaysAgo)),
          'N/A',
          u.mfaDevices > 0 ? 'true' : 'false',
          k?.active ? 'true' : 'false',
          k ? iso(this.daysAgo(k.ageDays)) : 'N/A',
          k?.lastUsedDaysAgo === undefined ? 'N/A' : iso(this.daysAgo(k.lastUsedDaysAgo)),
          k?.lastUsedDaysAgo === undefined ? 'N/A' : this.region,
          k?.lastUsedDaysAgo === undefined ? 'N/A' : 's3',
          'false',
          'N/A',
          'N/A',
          'N/A',
          'N/A',
          'false',
          'N/A',
          'false',
          'N/A',
        ].join(','),
      );
    }
    return `${rows.join('\n')}\n`;
  }

  /**
   * Findings the scan must produce, by check id and status, derived from the profiles (never from
   * the scanner's code). Account-level: S3.1 FAIL (no account Block Public Access), EC2.7 PASS,
   * IAM.4 / IAM.9 PASS, Config.1 PASS.
   */
  expectedFindings(): Record<string, Record<Status, number>> {
    const out: Record<string, Record<Status, number>> = {};
    const add = (expect: Expect) => {
      for (const [check, status] of Object.entries(expect)) {
        out[check] ??= { PASS: 0, FAIL: 0 };
        out[check][status] += 1;
      }
    };
    add({ 'S3.1': 'FAIL', 'EC2.7': 'PASS', 'IAM.4': 'PASS', 'IAM.9': 'PASS', 'Config.1': 'PASS' });
    const c = this.counts;
    for (let i = 0; i < c.buckets; i += 1) add(this.bucket(i).expect);
    for (let i = 0; i < c.securityGroups; i += 1) add(this.securityGroup(i).expect);
    for (let i = 0; i < c.volumes; i += 1) add(this.volume(i).expect);
    for (let i = 0; i < c.vpcs; i += 1) add(this.vpc(i).expect);
    for (let i = 0; i < c.users; i += 1) add(this.user(i).expect);
    for (let i = 0; i < c.functions; i += 1) add(this.function(i).expect);
    return out;
  }
}
