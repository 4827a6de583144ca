/** CONFIG_RECORDER_MODE=create through terraform validate and an offline plan. */
import { describeTerraformVariant, plannedSubnetZones } from './suite';
import { VARIANTS } from './variants';

describeTerraformVariant(VARIANTS.create, {
  recorderCreated: true,
  more: (plan) => {
    // The offline endpoint puts use1-az3 at us-east-1a and offers no config endpoint in
    // us-east-1b: subnets by position would land in both; the stack picks c and d.
    expect(plannedSubnetZones(plan)).toEqual({
      'compliance-private-0-dev': 'us-east-1c',
      'compliance-private-1-dev': 'us-east-1d',
    });
  },
});
