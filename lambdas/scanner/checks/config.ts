/**
 * AWS Config check (Config.1), as Security Hub evaluates it (parameter
 * includeConfigServiceLinkedRoleCheck at its default, true), in every scanned region: a
 * customer-managed recorder (not a service-linked one other AWS services own) that is recording
 * without delivery failures, records all supported resource types, and uses the service-linked
 * role AWSServiceRoleForConfig. IAM's global resource types must be recorded in at least one
 * region: when no recorder of the scan records them, the home region's finding fails.
 */
import type { ConfigRecorderInventory, RegionInventory } from '../inventory/types';
import { defineCheck, regionsOf, type CheckMetadata } from './types';

const config_1: CheckMetadata = {
  id: 'Config.1',
  title: 'AWS Config should be enabled and use the service-linked role for resource recording',
  severity: 'critical',
  securityHubId: 'Config.1',
  cis: { v5: ['3.3'], v3: ['3.3'] },
  resourceType: 'AWS::::Account',
  reads: ['config:DescribeConfigurationRecorders', 'config:DescribeConfigurationRecorderStatus'],
  docs: 'https://docs.aws.amazon.com/securityhub/latest/userguide/config-controls.html#config-1',
  remediation: {
    desc: 'In every region: a configuration recorder recording all supported resource types with the service-linked role (`aws configservice put-configuration-recorder --configuration-recorder name=default,roleARN=arn:aws:iam::<account>:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig --recording-group allSupported=true,includeGlobalResourceTypes=<true in one region>`), a delivery channel, then `aws configservice start-configuration-recorder`; check the delivery bucket when the last status is Failure.',
    references: [
      'https://docs.aws.amazon.com/securityhub/latest/userguide/config-controls.html#config-1',
      'https://docs.aws.amazon.com/config/latest/developerguide/using-service-linked-roles.html',
      'https://docs.aws.amazon.com/config/latest/developerguide/stop-start-recorder.html',
    ],
  },
  prowlerCheckIds: [
    'config_recorder_all_regions_enabled',
    'config_recorder_using_aws_service_role',
  ],
};

/** `…:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig` */
const SERVICE_LINKED_ROLE =
  /:role\/aws-service-role\/config\.amazonaws\.com\/AWSServiceRoleForConfig$/;

/** What keeps a recorder from satisfying Config.1 in its region (global types aside). */
function shortfalls(r: ConfigRecorderInventory): string[] {
  const out: string[] = [];
  if (r.recording !== true) out.push('not recording');
  // lastStatus is Pending | Success | Failure (compared case-insensitively: the CLI shows upper case)
  if (r.lastStatus?.toUpperCase() === 'FAILURE') out.push('last delivery status Failure');
  const all =
    r.allSupported === true &&
    (r.strategy === undefined || r.strategy === 'ALL_SUPPORTED_RESOURCE_TYPES');
  if (!all) out.push(`records ${r.strategy ?? 'selected'} resource types, not all supported ones`);
  if (!r.roleArn || !SERVICE_LINKED_ROLE.test(r.roleArn)) {
    out.push(`uses role ${r.roleArn ?? '(none)'}, not the service-linked AWSServiceRoleForConfig`);
  }
  return out;
}

function customerRecorders(region: RegionInventory): readonly ConfigRecorderInventory[] | null {
  const recorders = region.config.recorders;
  return recorders.ok ? recorders.value.filter((r) => !r.serviceLinked) : null;
}

export const configRecorderOn = defineCheck(config_1, (b, inv) => {
  const regions = regionsOf(inv);
  const recordsGlobal = regions.some((region) =>
    (customerRecorders(region) ?? []).some(
      (r) => r.includeGlobalResourceTypes === true && shortfalls(r).length === 0,
    ),
  );
  const globalUnknown = regions.some((region) => !region.config.recorders.ok);
  // The home region answers for the global types (or the first scanned one, when it is not scanned).
  const globalRegion = regions.some((r) => r.region === inv.homeRegion)
    ? inv.homeRegion
    : regions[0]?.region;
  for (const region of regions) {
    const res = b.account(region.region);
    const recorders = region.config.recorders;
    if (!recorders.ok) {
      b.error(res, `the AWS Config recorders in ${region.region}`, recorders.error);
      continue;
    }
    const own = recorders.value.filter((r) => !r.serviceLinked);
    if (own.length === 0) {
      b.fail(res, `No AWS Config recorder of the account exists in ${region.region}.`);
      continue;
    }
    const good = own.find((r) => shortfalls(r).length === 0);
    if (!good) {
      b.fail(
        res,
        `The AWS Config recorder in ${region.region} does not meet Config.1: ${own
          .map((r) => `${r.name} ${shortfalls(r).join(', ')}`)
          .join('; ')}.`,
      );
      continue;
    }
    if (region.region === globalRegion && !recordsGlobal && !globalUnknown) {
      b.fail(
        res,
        `AWS Config recorder ${good.name} records all supported types in ${region.region}, but no scanned region records IAM's global resource types (includeGlobalResourceTypes).`,
      );
      continue;
    }
    b.pass(
      res,
      `AWS Config recorder ${good.name} records all supported resource types in ${region.region} with the service-linked role (last status ${good.lastStatus ?? 'unknown'}).`,
    );
  }
});

export const CONFIG_CHECKS = [configRecorderOn];
