/**
 * ORG_CONFIG_AGGREGATOR=true (organization mode): an AWS Config organization aggregator in the
 * audit account, over every account and every region (present and future), so the Config rules'
 * compliance and resource inventory are visible organization-wide beside the scan's report.
 *
 * Its role uses the AWS managed AWSConfigRoleForOrganizations (the organization's read-only list
 * calls the aggregator makes, maintained by AWS) and nothing else; only Config, on behalf of this
 * account, may assume it. The audit account must be Config's delegated administrator (README ›
 * Organization mode), and members' data appears once their own recorders run.
 */
import { ConfigConfigurationAggregator } from '@cdktf/provider-aws/lib/config-configuration-aggregator';
import { TerraformOutput } from 'cdktf';
import { Construct } from 'constructs';
import type { DeploymentEnvironment } from './environment';
import { awsManagedPolicyArn, ManagedRole } from './iam';

export interface ConfigAggregatorProps {
  readonly env: DeploymentEnvironment;
}

export class ConfigAggregator extends Construct {
  readonly aggregator: ConfigConfigurationAggregator;
  readonly role: ManagedRole;

  constructor(scope: Construct, id: string, props: ConfigAggregatorProps) {
    super(scope, id);
    const { env } = props;
    this.role = new ManagedRole(this, 'role', {
      name: env.iamName('config-aggregator'),
      description: 'AWS Config organization aggregator: lists the accounts of the organization',
      servicePrincipal: 'config.amazonaws.com',
      trustConditions: { StringEquals: { 'aws:SourceAccount': env.account } },
      awsManagedPolicyArns: [
        awsManagedPolicyArn(env.partition, 'service-role/AWSConfigRoleForOrganizations'),
      ],
      statements: [],
    });
    this.aggregator = new ConfigConfigurationAggregator(this, 'aggregator', {
      name: env.name('compliance-organization'),
      organizationAggregationSource: { allRegions: true, roleArn: this.role.role.arn },
      // Config checks the role's permissions when the aggregator is created.
      dependsOn: [this.role.attachments],
    });
    new TerraformOutput(this, 'config_aggregator_name', {
      value: this.aggregator.name,
      description: 'AWS Config organization aggregator (ORG_CONFIG_AGGREGATOR=true)',
    });
  }
}
