/** NAT egress, enforce remediation, S3 backend and e-mail alerts through terraform validate and an offline plan. */
import { describeTerraformVariant, plannedSubnetZones } from './suite';
import { VARIANTS } from './variants';

describeTerraformVariant(VARIANTS.natEnforce, {
  recorderCreated: true,
  more: (plan) => {
    // No interface endpoints: only use1-az3 (us-east-1a offline) is left out.
    expect(plannedSubnetZones(plan)).toEqual({
      'compliance-private-0-dev': 'us-east-1b',
      'compliance-private-1-dev': 'us-east-1c',
      'compliance-public-0-dev': 'us-east-1b',
    });
    const created = (type: string): number =>
      (plan.resource_changes ?? []).filter((rc) => rc.type === type).length;
    expect(created('aws_nat_gateway')).toBe(1);
    expect(created('aws_sns_topic_subscription')).toBe(2);
  },
});
