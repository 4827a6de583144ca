/**
 * ORG_CONFIG_AGGREGATOR=true (organization mode): an AWS Config organization aggregator in the
 * audit account, over every account and every region (present and future): the resource
 * inventory and the compliance of the Config rules each account evaluates itself, in one place
 * beside the scan's report. (This stack's own Config rules judge the audit account only.)
 *
 * Its role uses the AWS managed AWSConfigRoleForOrganizations (the organization's read-only list
 * calls the aggregator makes, maintained by AWS) and nothing else; only Config may assume it.
 * The audit account must be Config's delegated administrator (README › Organization mode), and
 * members' data appears once their own recorders run.
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
      // No aws:SourceAccount condition: AWS documents it for Config's delivery and recorder, not
      // for the aggregator assuming this role, and an unmet condition silently breaks the
      // aggregator. The risk it guards against does not arise: only this account can pass the
      // role to Config (iam:PassRole), and it grants only the organization's read-only lists.
      servicePrincipal: 'config.amazonaws.com',
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
