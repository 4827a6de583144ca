/** SCAN_SCOPE=organization: the audit stack (state machine, three task functions) through terraform validate and an offline plan. */
import { createdCounts, describeTerraformVariant } from './suite';
import { VARIANTS } from './variants';

describeTerraformVariant(VARIANTS.organization, {
  recorderCreated: true,
  more: (plan) => {
    const created = createdCounts(plan);
    expect(created.aws_sfn_state_machine).toBe(1);
    expect(created.aws_config_configuration_aggregator).toBe(1);
    const names = (plan.resource_changes ?? [])
      .filter((rc) => rc.type === 'aws_lambda_function')
      .map((rc) => (rc.change.after as { function_name: string }).function_name);
    expect(names).toEqual(
      expect.arrayContaining(['org-accounts-dev', 'org-shard-dev', 'org-merge-dev', 'scanner-dev']),
    );
    // ORG_REMEDIATION=members: the in-VPC remediation function reaches STS privately.
    const endpoints = (plan.resource_changes ?? [])
      .filter((rc) => rc.type === 'aws_vpc_endpoint')
      .map((rc) => (rc.change.after as { service_name: string }).service_name);
    expect(endpoints).toContain('com.amazonaws.us-east-1.sts');
  },
});
