/**
 * AWS Config check (Config.1): a configuration recorder is on and recording in each scanned region.
 */
import { defineCheck, regionsOf, type CheckMetadata } from './types';

const config_1: CheckMetadata = {
  id: 'Config.1',
  title: 'AWS Config should be enabled and recording',
  severity: 'critical',
  securityHubId: 'Config.1',
  cis: { v5: ['3.3'], v3: ['3.3'] },
  resourceType: 'AWS::::Account',
  reads: ['config:DescribeConfigurationRecorders', 'config:DescribeConfigurationRecorderStatus'],
  docs: 'https://docs.aws.amazon.com/securityhub/latest/userguide/config-controls.html#config-1',
  remediation: {
    desc: 'Create a configuration recorder and delivery channel in the region and start it (`aws configservice start-configuration-recorder`); check the recorder role and delivery bucket when the last status is Failure.',
    references: [
      'https://docs.aws.amazon.com/securityhub/latest/userguide/config-controls.html#config-1',
      'https://docs.aws.amazon.com/config/latest/developerguide/stop-start-recorder.html',
    ],
  },
  prowlerCheckIds: ['config_recorder_all_regions_enabled'],
};

export const configRecorderOn = defineCheck(config_1, (b, inv) => {
  for (const region of regionsOf(inv)) {
    const res = b.account(region.region);
    const recorders = region.config.recorders;
    if (!recorders.ok) {
      b.error(res, `the AWS Config recorders in ${region.region}`, recorders.error);
      continue;
    }
    if (recorders.value.length === 0) {
      b.fail(res, `No AWS Config recorder exists in ${region.region}.`);
      continue;
    }
    // lastStatus is Pending | Success | Failure (compared case-insensitively: the CLI shows upper case)
    const healthy = recorders.value.find(
      (r) => r.recording === true && r.lastStatus?.toUpperCase() !== 'FAILURE',
    );
    if (healthy) {
      b.pass(
        res,
        `AWS Config recorder ${healthy.name} is recording in ${region.region} (last status ${healthy.lastStatus ?? 'unknown'}${healthy.allSupported === false ? '; it records selected resource types only' : ''}).`,
      );
      continue;
    }
    b.fail(
      res,
      `No AWS Config recorder is recording successfully in ${region.region}: ${recorders.value
        .map(
          (r) =>
            `${r.name} (${r.recording ? 'recording' : 'stopped'}, last status ${r.lastStatus ?? 'unknown'})`,
        )
        .join(', ')}.`,
    );
  }
});

export const CONFIG_CHECKS = [configRecorderOn];
