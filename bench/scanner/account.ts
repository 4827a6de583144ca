/**
 * A synthetic AWS account for the scanner benchmark: N resources of every type the scanner reads
 * (buckets, IAM users, managed policies, server certificates, security groups, volumes, VPCs,
 * subnets, network ACLs, instances, snapshots, Lambda functions, KMS keys, DB instances, file
 * systems, access points) spread over three regions, plus account settings (global ones from an
 * account variant, regional ones per region) and CloudTrail trails with their monitoring chains.
 * Every resource's settings are a pure function of its index (a few profiles, compliant and
 * not), so the account costs no memory however big it is and the fake AWS answers from it on the
 * fly.
 *
 * `expectations()` yields, from the same profiles' declared verdicts (never from the scanner's
 * code), every finding the scan must write — check, region, resource, status — so a finding lost
 * to throttling, an extra one or an unexpected ERROR cannot go unnoticed.
 */
import { inSlot, type AccountContext, type Expect, type Status } from './account-common';
import {
  credentialReport,
  awsManagedPolicies,
  certificateSpec,
  policySpec,
  userSpec,
  POLICY_PROFILE_COUNT,
  USER_PROFILE_COUNT,
  type CertificateSpec,
  type ManagedPolicySpec,
  type UserSpec,
} from './account-iam';
import {
  instanceSpec,
  networkAclSpec,
  securityGroupSpec,
  snapshotSpec,
  subnetSpec,
  volumeSpec,
  vpcSpec,
  type InstanceSpec,
  type NetworkAclSpec,
  type SecurityGroupSpec,
  type SnapshotSpec,
  type SubnetSpec,
  type VolumeSpec,
  type VpcSpec,
} from './account-ec2';
import { BUCKET_PROFILE_COUNT, bucketExpect, bucketSpec, type BucketSpec } from './account-s3';
import {
  accessPointSpec,
  dbInstanceSpec,
  fileSystemSpec,
  functionSpec,
  keyId,
  keySpec,
  type AccessPointSpec,
  type DbInstanceSpec,
  type FileSystemSpec,
  type FunctionSpec,
  type KeySpec,
} from './account-services';
import {
  ACCOUNT_PROFILES,
  REGIONAL_PROFILES,
  trailsOf,
  type AccountProfile,
  type RegionalProfile,
  type TrailSpec,
} from './account-settings';
import { addHash, findingHash } from './findings-digest';

export { MANDATORY_TAGS, type Status, type Tag } from './account-common';
export type { BucketSpec, SecurityGroupSpec, UserSpec, FunctionSpec, VpcSpec, VolumeSpec };

export const BENCH_ACCOUNT_ID = '123456789012';
/** The home region: global services, account settings, the audit bucket. */
export const BENCH_REGION = 'us-east-1';
/** The account's regions, home first (eu-south-1 is an opt-in region, opted in). */
export const BENCH_REGIONS: readonly string[] = [BENCH_REGION, 'eu-west-1', 'eu-south-1'];
/** Regions of the fake partition the account has not opted in to (DescribeRegions lists them). */
export const NOT_OPTED_IN_REGIONS: readonly string[] = ['af-south-1', 'ap-east-1'];

/** How many of each resource type: a share of N, at least every profile once per region. */
export interface AccountCounts {
  readonly buckets: number;
  readonly users: number;
  readonly policies: number;
  readonly certificates: number;
  readonly securityGroups: number;
  readonly volumes: number;
  readonly vpcs: number;
  readonly subnets: number;
  readonly networkAcls: number;
  readonly instances: number;
  readonly snapshots: number;
  readonly functions: number;
  readonly keys: number;
  readonly dbInstances: number;
  readonly fileSystems: number;
  readonly accessPoints: number;
}

const R = BENCH_REGIONS.length;
/** Share of N and minimum (profiles × regions for regional types) of each type. */
const SPLIT: { readonly [K in keyof AccountCounts]: readonly [share: number, min: number] } = {
  buckets: [0.25, BUCKET_PROFILE_COUNT * R], // 9 S3 calls each
  users: [0.1, USER_PROFILE_COUNT], // 6 IAM calls each: IAM's rate sets the floor
  policies: [0.02, POLICY_PROFILE_COUNT],
  certificates: [0.005, 2],
  securityGroups: [0.22, 10 * R],
  volumes: [0.1, 4 * R],
  vpcs: [0.01, 7 * R],
  subnets: [0.04, 5 * R],
  networkAcls: [0.02, 7 * R],
  instances: [0.08, 7 * R],
  snapshots: [0.04, 4 * R],
  functions: [0.05, 7 * R], // 3 Lambda calls each
  keys: [0.02, 7 * R], // up to 3 KMS calls each
  dbInstances: [0.02, 5 * R],
  fileSystems: [0.015, 3 * R],
  accessPoints: [0.01, 4 * R], // 1 S3 Control call each
};

export function splitResources(resources: number): AccountCounts {
  return Object.fromEntries(
    Object.entries(SPLIT).map(([kind, [share, min]]) => [
      kind,
      Math.max(min, Math.round(resources * share)),
    ]),
  ) as unknown as AccountCounts;
}

/** One finding the scan must write. */
export interface Expectation {
  readonly checkId: string;
  readonly region: string;
  /** The finding's resource uid (an ARN; the account's root ARN for account settings). */
  readonly uid: string;
  readonly status: Status;
}

export interface SyntheticAccountOptions {
  /** Global account settings: index into ACCOUNT_PROFILES (default 0, the benchmark's). */
  readonly variant?: number;
}

export class SyntheticAccount implements AccountContext {
  readonly accountId = BENCH_ACCOUNT_ID;
  /** The home region (set before use to move the account; the other regions follow it). */
  readonly region: string = BENCH_REGION;
  readonly regionCount = R;
  readonly counts: AccountCounts;
  /** Every resource of every type. */
  readonly resources: number;
  readonly variant: number;
  readonly profile: AccountProfile;

  constructor(
    resources: number,
    /** "Now" for ages and last-use dates (ms); the scan must start after it, within a day. */
    readonly nowMs: number = Date.now(),
    options: SyntheticAccountOptions = {},
  ) {
    this.counts = splitResources(resources);
    this.resources = Object.values(this.counts).reduce((a, b) => a + b, 0);
    this.variant = options.variant ?? 0;
    this.profile = ACCOUNT_PROFILES[this.variant % ACCOUNT_PROFILES.length]!;
  }

  /** The account's regions, home first. */
  get regions(): readonly string[] {
    return [this.region, ...BENCH_REGIONS.filter((r) => r !== this.region)].slice(0, R);
  }

  regionOf(slot: number): string {
    return this.regions[slot]!;
  }

  /** Slot of a region; -1 for a region the account does not use (an empty region). */
  slotOf(region: string): number {
    return this.regions.indexOf(region);
  }

  /** How many resources of a kind are in a region slot. */
  inRegion(kind: keyof AccountCounts, slot: number): number {
    return inSlot(this.counts[kind], slot, R);
  }

  /** Global index of a region's item `j`. */
  indexIn(slot: number, j: number): number {
    return j * R + slot;
  }

  keyArn(slot: number, j: number): string {
    return `arn:aws:kms:${this.regionOf(slot)}:${this.accountId}:key/${keyId(this.indexIn(slot, j))}`;
  }

  daysAgo(days: number): Date {
    return new Date(this.nowMs - days * 86_400_000);
  }

  // ------------------------------------------------------------------------- resources

  bucket(i: number): BucketSpec {
    return bucketSpec(this, i);
  }

  user(i: number): UserSpec {
    return userSpec(this, i);
  }

  policy(i: number): ManagedPolicySpec {
    return policySpec(this, i);
  }

  /** AWS managed policies attached in the account. */
  awsPolicies(): ManagedPolicySpec[] {
    const s = this.profile.support;
    return awsManagedPolicies(s.roles.length + s.users.length > 0);
  }

  certificate(i: number): CertificateSpec {
    return certificateSpec(this, i);
  }

  /** The VPC of item `i` of a regional kind: one of its own region's VPCs. */
  private vpcFor(i: number): string {
    const slot = i % R;
    const j = Math.floor(i / R) % this.inRegion('vpcs', slot);
    return this.vpc(this.indexIn(slot, j)).id;
  }

  securityGroup(i: number): SecurityGroupSpec {
    return securityGroupSpec(this, i, this.vpcFor(i));
  }

  volume(i: number): VolumeSpec {
    return volumeSpec(this, i);
  }

  vpc(i: number): VpcSpec {
    return vpcSpec(this, i);
  }

  subnet(i: number): SubnetSpec {
    return subnetSpec(this, i, this.vpcFor(i));
  }

  networkAcl(i: number): NetworkAclSpec {
    return networkAclSpec(this, i, this.vpcFor(i));
  }

  instance(i: number): InstanceSpec {
    return instanceSpec(this, i);
  }

  snapshot(i: number): SnapshotSpec {
    return snapshotSpec(this, i);
  }

  function(i: number): FunctionSpec {
    return functionSpec(this, i);
  }

  key(i: number): KeySpec {
    return keySpec(this, i);
  }

  dbInstance(i: number): DbInstanceSpec {
    return dbInstanceSpec(this, i);
  }

  fileSystem(i: number): FileSystemSpec {
    return fileSystemSpec(this, i);
  }

  /** Access point `i`, on the first bucket of its region. */
  accessPoint(i: number): AccessPointSpec {
    return accessPointSpec(this, i, this.bucket(i % R).name);
  }

  // ------------------------------------------------------------------------- settings

  /** Settings of a region slot (an unknown region: the profile of nothing set up). */
  regional(slot: number): RegionalProfile {
    const n = REGIONAL_PROFILES.length;
    return REGIONAL_PROFILES[slot < 0 ? n - 1 : (slot + this.variant) % n]!;
  }

  trails(): TrailSpec[] {
    return trailsOf(this, this.profile);
  }

  credentialReport(): string {
    return credentialReport(this, this.counts.users, this.profile.root);
  }

  // ---------------------------------------------------------------------- expectations

  /** Every finding the scan must write, derived from the profiles' declared verdicts. */
  *expectations(): Generator<Expectation> {
    const home = this.region;
    const root = `arn:aws:iam::${this.accountId}:root`;
    function* of(uid: string, region: string, expect: Expect): Generator<Expectation> {
      for (const [checkId, status] of Object.entries(expect))
        yield { checkId, region, uid, status };
    }
    const c = this.counts;

    yield* of(root, home, this.profile.expect);
    const recordsGlobal = this.regions.some((_, s) => this.regional(s).recordsGlobal);
    for (let s = 0; s < R; s += 1) {
      const { expect } = this.regional(s);
      // Config.1: IAM's global types must be recorded in some region, else the home region fails.
      const globalMissing = s === 0 && !recordsGlobal;
      yield* of(root, this.regionOf(s), globalMissing ? { ...expect, 'Config.1': 'FAIL' } : expect);
    }

    for (let i = 0; i < c.buckets; i += 1) {
      const b = this.bucket(i);
      yield* of(b.arn, b.region, bucketExpect(b, this.profile.accountBlock));
    }
    const trailBuckets = new Set<number>();
    for (const t of this.trails()) {
      yield* of(t.arn, t.homeRegion, t.expect);
      // CloudTrail.7 judges the trail buckets of this account, once each
      if (typeof t.bucket === 'number' && !trailBuckets.has(t.bucket)) {
        trailBuckets.add(t.bucket);
        const b = this.bucket(t.bucket);
        yield {
          checkId: 'CloudTrail.7',
          region: b.region,
          uid: b.arn,
          status: b.logging ? 'PASS' : 'FAIL',
        };
      }
    }
    for (let i = 0; i < c.users; i += 1) {
      const u = this.user(i);
      yield* of(u.arn, home, u.expect);
    }
    for (let i = 0; i < c.policies; i += 1) {
      const p = this.policy(i);
      yield* of(p.arn, home, p.expect);
    }
    for (const p of this.awsPolicies()) yield* of(p.arn, home, p.expect);
    for (let i = 0; i < c.certificates; i += 1) {
      const cert = this.certificate(i);
      yield* of(cert.arn, home, cert.expect);
    }

    const regional: readonly [
      number,
      (i: number) => { arn: string; region: string; expect: Expect },
    ][] = [
      [c.securityGroups, (i) => this.securityGroup(i)],
      [c.volumes, (i) => this.volume(i)],
      [c.vpcs, (i) => this.vpc(i)],
      [c.subnets, (i) => this.subnet(i)],
      [c.networkAcls, (i) => this.networkAcl(i)],
      [c.instances, (i) => this.instance(i)],
      [c.snapshots, (i) => this.snapshot(i)],
      [c.functions, (i) => this.function(i)],
      [c.keys, (i) => this.key(i)],
      [c.dbInstances, (i) => this.dbInstance(i)],
      [c.fileSystems, (i) => this.fileSystem(i)],
      [c.accessPoints, (i) => this.accessPoint(i)],
    ];
    for (const [count, spec] of regional) {
      for (let i = 0; i < count; i += 1) {
        const r = spec(i);
        yield* of(r.arn, r.region, r.expect);
      }
    }
  }

  /** Findings the scan must produce, by check id and status. */
  expectedFindings(): Record<string, Record<Status, number>> {
    const out: Record<string, Record<Status, number>> = {};
    for (const e of this.expectations()) {
      out[e.checkId] ??= { PASS: 0, FAIL: 0 };
      out[e.checkId]![e.status] += 1;
    }
    return out;
  }

  /** Each check's digest of its expected findings (findings-digest.ts). */
  expectedDigests(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const e of this.expectations())
      out[e.checkId] = addHash(
        out[e.checkId] ?? 0,
        findingHash(e.checkId, e.region, e.uid, e.status),
      );
    return out;
  }

  /**
   * Differences between the findings a scan wrote (counts by check and status, and each check's
   * digest, as FakeAws tallies them) and the expected ones; empty when every finding is there.
   */
  mismatches(written: {
    readonly findings: Readonly<Record<string, Readonly<Record<string, number>>>>;
    readonly digests: Readonly<Record<string, number>>;
  }): string[] {
    const expected = this.expectedFindings();
    const digests = this.expectedDigests();
    const out: string[] = [];
    for (const check of new Set([...Object.keys(expected), ...Object.keys(written.findings)])) {
      const want: Readonly<Record<string, number>> = expected[check] ?? {};
      const got = written.findings[check] ?? {};
      const differ = [...new Set([...Object.keys(want), ...Object.keys(got)])].filter(
        (status) => (want[status] ?? 0) !== (got[status] ?? 0),
      );
      for (const status of differ)
        out.push(`${check} ${status}: expected ${want[status] ?? 0}, written ${got[status] ?? 0}`);
      if (differ.length === 0 && (digests[check] ?? 0) !== (written.digests[check] ?? 0))
        out.push(`${check}: same counts, but some finding has another resource, region or status`);
    }
    return out;
  }

  /** What the scanner's ResourcesScanned metric counts (buckets, users, SGs, volumes, VPCs, functions). */
  get metricResources(): number {
    const c = this.counts;
    return c.buckets + c.users + c.securityGroups + c.volumes + c.vpcs + c.functions;
  }
}
