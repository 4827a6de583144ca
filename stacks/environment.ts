/** What every construct needs to know about where it is deployed. */
import { createHash } from 'node:crypto';
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';
import { Construct } from 'constructs';
import type { Settings } from './settings';

/** IAM's limit on role names (policy names allow 128; a role and its policy share the name). */
export const IAM_NAME_MAX = 64;
/** Product prefix of IAM names, which are global to the account (not per region). */
export const IAM_NAME_PREFIX = 'compliance';

const DIRECTIONS: Readonly<Record<string, string>> = {
  east: 'e',
  west: 'w',
  north: 'n',
  south: 's',
  central: 'c',
  northeast: 'ne',
  southeast: 'se',
  northwest: 'nw',
  southwest: 'sw',
};

/** AWS's short code of a region (its zone-id prefix): us-east-1 → use1, ap-southeast-2 → apse2. */
export function regionCode(region: string): string {
  const parts = region.split('-');
  const number = parts.pop() ?? '';
  const [geo, ...rest] = parts;
  return `${geo}${rest.map((p) => DIRECTIONS[p] ?? p[0]).join('')}${number}`;
}

/**
 * `compliance-<base>-<region>-<suffix>`: unique per region and suffix, and recognisable among the
 * account's other roles. Past IAM's 64 characters (long suffix and region) the region becomes its
 * short code (ap-southeast-5 → apse5), and if that is not enough the base is cut and a hash of
 * the full name keeps it unique.
 */
export function iamName(base: string, region: string, suffix: string): string {
  const full = `${IAM_NAME_PREFIX}-${base}-${region}-${suffix}`;
  if (full.length <= IAM_NAME_MAX) return full;
  const tail = `-${regionCode(region)}-${suffix}`;
  const short = `${IAM_NAME_PREFIX}-${base}${tail}`;
  if (short.length <= IAM_NAME_MAX) return short;
  const hash = createHash('sha256').update(full).digest('hex').slice(0, 6);
  const room = IAM_NAME_MAX - tail.length - hash.length - 1;
  return `${`${IAM_NAME_PREFIX}-${base}`.slice(0, room)}-${hash}${tail}`;
}

/** The `<base>` of a name iamName made (undefined for other names and hashed ones). */
export function iamBaseName(name: string, region: string, suffix: string): string | undefined {
  const prefix = `${IAM_NAME_PREFIX}-`;
  for (const tail of [`-${region}-${suffix}`, `-${regionCode(region)}-${suffix}`]) {
    if (!name.startsWith(prefix) || !name.endsWith(tail)) continue;
    const base = name.slice(prefix.length, -tail.length);
    if (iamName(base, region, suffix) === name) return base;
  }
  return undefined;
}

export class DeploymentEnvironment extends Construct {
  /** Account id (resolved at plan time). */
  readonly account: string;
  readonly partition: string;
  readonly region: string;
  readonly suffix: string;

  constructor(
    scope: Construct,
    id: string,
    readonly settings: Settings,
  ) {
    super(scope, id);
    this.account = new DataAwsCallerIdentity(this, 'caller').accountId;
    this.partition = new DataAwsPartition(this, 'partition').partition;
    this.region = settings.region;
    this.suffix = settings.environmentSuffix;
  }

  /** `<base>-<suffix>`: every physical name carries the environment suffix. */
  name(base: string): string {
    return `${base}-${this.suffix}`;
  }

  /** The name of an IAM role or policy: see iamName. */
  iamName(base: string): string {
    return iamName(base, this.region, this.suffix);
  }

  arn(service: string, resource: string, region = this.region, account = this.account): string {
    return `arn:${this.partition}:${service}:${region}:${account}:${resource}`;
  }
}
