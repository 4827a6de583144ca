/**
 * AWS Config collector, once per region: configuration recorders joined with their status.
 * (Neither API is paginated: a region holds one customer-managed recorder plus service-linked ones.)
 *
 * IAM actions — resource `*` (no resource-level permissions):
 * - `config:DescribeConfigurationRecorders`, `config:DescribeConfigurationRecorderStatus`
 */
import {
  ConfigServiceClient,
  DescribeConfigurationRecordersCommand,
  DescribeConfigurationRecorderStatusCommand,
} from '@aws-sdk/client-config-service';
import { awsClient } from '../../shared/clients';
import { Collector } from './collector';
import type { RegionalCollector } from './index';
import type { ConfigInventory, ConfigRecorderInventory } from './types';

/** Names of recorders other AWS services create and own (they do not count as the account's recorder). */
export const SERVICE_LINKED_RECORDER_PREFIX = 'AWSConfigurationRecorderFor';

export async function collectConfig(c: Collector, region: string): Promise<ConfigInventory> {
  const config = awsClient(ConfigServiceClient, region);
  const at = (operation: string) => ({ service: 'config' as const, region, operation });
  const [described, statuses] = await Promise.all([
    c.observe(at('DescribeConfigurationRecorders'), async () => {
      const out = await config.send(new DescribeConfigurationRecordersCommand({}));
      return out.ConfigurationRecorders ?? [];
    }),
    c.observe(at('DescribeConfigurationRecorderStatus'), async () => {
      const out = await config.send(new DescribeConfigurationRecorderStatusCommand({}));
      return out.ConfigurationRecordersStatus ?? [];
    }),
  ]);
  if (!described.ok) return { recorders: described };
  if (!statuses.ok) return { recorders: statuses };
  const recorders = described.value.map((r): ConfigRecorderInventory => {
    const status = statuses.value.find((s) => s.name === r.name);
    const name = r.name ?? '';
    return {
      name,
      roleArn: r.roleARN,
      allSupported: r.recordingGroup?.allSupported,
      includeGlobalResourceTypes: r.recordingGroup?.includeGlobalResourceTypes,
      strategy: r.recordingGroup?.recordingStrategy?.useOnly,
      serviceLinked:
        r.recordingScope === 'INTERNAL' ||
        r.servicePrincipal !== undefined ||
        name.startsWith(SERVICE_LINKED_RECORDER_PREFIX),
      recording: status?.recording,
      lastStatus: status?.lastStatus,
    };
  });
  return { recorders: { ok: true, value: recorders } };
}

export const CONFIG_COLLECTOR: RegionalCollector<ConfigInventory> = {
  service: 'config',
  collect: collectConfig,
  unreadable: (error) => ({ recorders: { ok: false, error } }),
};
