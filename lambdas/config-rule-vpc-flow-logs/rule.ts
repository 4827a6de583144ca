/**
 * Config custom rule `config-rule-vpc-flow-logs` (AWS::EC2::VPC, change-triggered + periodic).
 *
 * COMPLIANT when an active flow log (FlowLogStatus ACTIVE, DeliverLogsStatus not FAILED) attached
 * to the VPC captures the required traffic: the `trafficType` parameter (ALL by default) is met
 * by a flow log of that type or of type ALL; ALL is also met by an ACCEPT and a REJECT log together.
 * Periodic runs list the account's own VPCs (DescribeVpcs, owner-id = the rule's account, so VPCs
 * shared into this account — whose flow logs live in the owner's account — are not judged here).
 *
 * IAM actions:
 *   ec2:DescribeFlowLogs  Resource "*" (EC2 Describe* actions support no resource-level scoping)
 *   ec2:DescribeVpcs      Resource "*" (same; periodic runs only)
 */
import {
  EC2Client,
  paginateDescribeFlowLogs,
  paginateDescribeVpcs,
  type FlowLog,
} from '@aws-sdk/client-ec2';
import { awsClient, defaultRegion } from '../shared/clients';
import type { ConfigItem, ConfigRule, RuleResult, ScheduledContext } from '../shared/config-rule';
import { MalformedEventError } from '../shared/observability';

export const RESOURCE_TYPE = 'AWS::EC2::VPC';
export const TRAFFIC_TYPES = ['ALL', 'ACCEPT', 'REJECT'] as const;
export type TrafficType = (typeof TRAFFIC_TYPES)[number];

export interface VpcFlowLogsParams {
  /** Traffic the flow logs must capture. @default 'ALL' */
  readonly trafficType: TrafficType;
}

export interface VpcFlowLogsClients {
  ec2: EC2Client;
}

export function parseParameters(raw: Readonly<Record<string, string>>): VpcFlowLogsParams {
  const value = (raw.trafficType ?? 'ALL').trim().toUpperCase();
  if (!(TRAFFIC_TYPES as readonly string[]).includes(value)) {
    throw new MalformedEventError(
      `Rule parameter trafficType must be one of ${TRAFFIC_TYPES.join(', ')}, got "${raw.trafficType}"`,
    );
  }
  return { trafficType: value as TrafficType };
}

export function isActive(log: FlowLog): boolean {
  return log.FlowLogStatus === 'ACTIVE' && log.DeliverLogsStatus !== 'FAILED';
}

/** The verdict on the VPC's flow logs (pure). */
export function judgeFlowLogs(
  vpcId: string,
  flowLogs: readonly FlowLog[],
  params: VpcFlowLogsParams,
): RuleResult {
  const active = flowLogs.filter(isActive);
  const captured = new Set(active.map((l) => l.TrafficType));
  const covered =
    captured.has('ALL') ||
    (params.trafficType === 'ALL'
      ? captured.has('ACCEPT') && captured.has('REJECT')
      : captured.has(params.trafficType));
  if (covered) {
    const ids = active.map((l) => l.FlowLogId).join(', ');
    return {
      complianceType: 'COMPLIANT',
      annotation: `VPC ${vpcId} has active flow logs capturing ${params.trafficType} traffic (${ids}).`,
    };
  }
  if (flowLogs.length === 0) {
    return { complianceType: 'NON_COMPLIANT', annotation: `VPC ${vpcId} has no flow log.` };
  }
  const described = flowLogs
    .map(
      (l) =>
        `${l.FlowLogId} ${l.TrafficType} ${l.FlowLogStatus}` +
        (l.DeliverLogsStatus === 'FAILED'
          ? ` delivery FAILED${l.DeliverLogsErrorMessage ? ` (${l.DeliverLogsErrorMessage})` : ''}`
          : ''),
    )
    .join('; ');
  return {
    complianceType: 'NON_COMPLIANT',
    annotation: `VPC ${vpcId} has no active flow log capturing ${params.trafficType} traffic: ${described}.`,
  };
}

export async function flowLogsOf(ec2: EC2Client, vpcId: string): Promise<FlowLog[]> {
  const logs: FlowLog[] = [];
  for await (const page of paginateDescribeFlowLogs(
    { client: ec2 },
    { Filter: [{ Name: 'resource-id', Values: [vpcId] }] },
  )) {
    logs.push(...(page.FlowLogs ?? []));
  }
  return logs;
}

export async function listVpcs(
  ec2: EC2Client,
  context: ScheduledContext,
  region: string = defaultRegion(),
): Promise<ConfigItem[]> {
  const items: ConfigItem[] = [];
  const input = context.accountId
    ? { Filters: [{ Name: 'owner-id', Values: [context.accountId] }] }
    : {};
  for await (const page of paginateDescribeVpcs({ client: ec2 }, input)) {
    for (const vpc of page.Vpcs ?? []) {
      if (!vpc.VpcId) continue;
      items.push({
        resourceType: RESOURCE_TYPE,
        resourceId: vpc.VpcId,
        awsRegion: region,
        status: 'OK',
        captureTime: context.notificationTime,
        configuration: { ...vpc },
        supplementaryConfiguration: {},
        tags: Object.fromEntries((vpc.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? ''])),
      });
    }
  }
  return items;
}

export const vpcFlowLogsRule: ConfigRule<VpcFlowLogsParams, VpcFlowLogsClients> = {
  name: 'config-rule-vpc-flow-logs',
  resourceTypes: [RESOURCE_TYPE],
  parseParameters,
  clients: () => ({ ec2: awsClient(EC2Client) }),
  evaluate: async (item, params, { ec2 }) =>
    judgeFlowLogs(item.resourceId, await flowLogsOf(ec2, item.resourceId), params),
  listResources: (_params, { ec2 }, context) => listVpcs(ec2, context),
};
