/** What every construct needs to know about where it is deployed. */
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';
import { Construct } from 'constructs';
import type { Settings } from './settings';

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

  arn(service: string, resource: string, region = this.region, account = this.account): string {
    return `arn:${this.partition}:${service}:${region}:${account}:${resource}`;
  }
}
