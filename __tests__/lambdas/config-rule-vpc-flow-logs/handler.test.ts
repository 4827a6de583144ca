import { ConfigServiceClient, PutEvaluationsCommand } from '@aws-sdk/client-config-service';
import {
  DescribeFlowLogsCommand,
  DescribeVpcsCommand,
  EC2Client,
  type FlowLog,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../../lambdas/config-rule-vpc-flow-logs/handler';
import { judgeFlowLogs, parseParameters } from '../../../lambdas/config-rule-vpc-flow-logs/rule';
import { MalformedEventError } from '../../../lambdas/shared/observability';
import { fakeContext } from '../../helpers/lambda-context';
import {
  ACCOUNT,
  CAPTURE_TIME,
  NOTIFICATION_TIME,
  RESULT_TOKEN,
  changeEvent,
  scheduledEvent,
} from '../shared/config-rule-fixtures';

const config = mockClient(ConfigServiceClient);
const ec2 = mockClient(EC2Client);
const context = fakeContext('config-rule-vpc-flow-logs-test');

const vpc = {
  resourceType: 'AWS::EC2::VPC',
  resourceId: 'vpc-0a1',
  configuration: { vpcId: 'vpc-0a1' },
};
const log = (over: Partial<FlowLog> = {}): FlowLog => ({
  FlowLogId: 'fl-1',
  ResourceId: 'vpc-0a1',
  TrafficType: 'ALL',
  FlowLogStatus: 'ACTIVE',
  DeliverLogsStatus: 'SUCCESS',
  ...over,
});
const all = { trafficType: 'ALL' as const };

beforeEach(() => {
  config.reset();
  ec2.reset();
  config.on(PutEvaluationsCommand).resolves({});
});

describe('judgeFlowLogs', () => {
  it('is COMPLIANT with an active ALL flow log', () => {
    expect(judgeFlowLogs('vpc-1', [log()], all)).toEqual({
      complianceType: 'COMPLIANT',
      annotation: 'VPC vpc-1 has active flow logs capturing ALL traffic (fl-1).',
    });
  });

  it('is NON_COMPLIANT when delivery FAILED or there is no flow log', () => {
    // Arrange
    const failed = log({ DeliverLogsStatus: 'FAILED', DeliverLogsErrorMessage: 'Access error' });

    // Act
    const withFailed = judgeFlowLogs('vpc-1', [failed], all);
    const withNone = judgeFlowLogs('vpc-1', [], all);

    // Assert
    expect(withFailed.complianceType).toBe('NON_COMPLIANT');
    expect(withFailed.annotation).toContain('fl-1 ALL ACTIVE delivery FAILED (Access error)');
    expect(withNone).toEqual({
      complianceType: 'NON_COMPLIANT',
      annotation: 'VPC vpc-1 has no flow log.',
    });
  });

  it('accepts ACCEPT + REJECT logs as ALL, and ACCEPT alone only for trafficType ACCEPT', () => {
    // Arrange
    const accept = log({ FlowLogId: 'fl-a', TrafficType: 'ACCEPT' });
    const reject = log({ FlowLogId: 'fl-r', TrafficType: 'REJECT' });

    // Act / Assert
    expect(judgeFlowLogs('v', [accept, reject], all).complianceType).toBe('COMPLIANT');
    expect(judgeFlowLogs('v', [accept], all).complianceType).toBe('NON_COMPLIANT');
    expect(judgeFlowLogs('v', [accept], { trafficType: 'ACCEPT' }).complianceType).toBe(
      'COMPLIANT',
    );
    expect(judgeFlowLogs('v', [accept], { trafficType: 'REJECT' }).complianceType).toBe(
      'NON_COMPLIANT',
    );
  });

  it('validates trafficType', () => {
    expect(parseParameters({})).toEqual({ trafficType: 'ALL' });
    expect(parseParameters({ trafficType: 'reject' })).toEqual({ trafficType: 'REJECT' });
    expect(() => parseParameters({ trafficType: 'SOME' })).toThrow(MalformedEventError);
  });
});

describe('change-triggered', () => {
  it('describes the VPC flow logs and reports COMPLIANT', async () => {
    // Arrange
    ec2.on(DescribeFlowLogsCommand).resolves({ FlowLogs: [log()] });

    // Act
    await handler(changeEvent(vpc), context);

    // Assert
    expect(ec2).toHaveReceivedCommandWith(DescribeFlowLogsCommand, {
      Filter: [{ Name: 'resource-id', Values: ['vpc-0a1'] }],
    });
    expect(config).toHaveReceivedCommandWith(PutEvaluationsCommand, {
      Evaluations: [
        {
          ComplianceResourceType: 'AWS::EC2::VPC',
          ComplianceResourceId: 'vpc-0a1',
          ComplianceType: 'COMPLIANT',
          Annotation: 'VPC vpc-0a1 has active flow logs capturing ALL traffic (fl-1).',
          OrderingTimestamp: new Date(CAPTURE_TIME),
        },
      ],
      ResultToken: RESULT_TOKEN,
    });
  });

  it('reports NON_COMPLIANT for an inactive flow log', async () => {
    // Arrange
    ec2.on(DescribeFlowLogsCommand).resolves({ FlowLogs: [log({ FlowLogStatus: 'INACTIVE' })] });

    // Act
    await handler(changeEvent(vpc), context);

    // Assert
    expect(config).toHaveReceivedCommandWith(PutEvaluationsCommand, {
      Evaluations: [expect.objectContaining({ ComplianceType: 'NON_COMPLIANT' })],
    });
  });

  it('reports NOT_APPLICABLE for a deleted VPC and when it left scope, without EC2 calls', async () => {
    // Act
    await handler(changeEvent({ ...vpc, configurationItemStatus: 'ResourceDeleted' }), context);
    await handler(changeEvent(vpc, { eventLeftScope: true }), context);

    // Assert
    expect(ec2).not.toHaveReceivedCommand(DescribeFlowLogsCommand);
    const types = config
      .commandCalls(PutEvaluationsCommand)
      .map((c) => c.args[0].input.Evaluations![0].ComplianceType);
    expect(types).toEqual(['NOT_APPLICABLE', 'NOT_APPLICABLE']);
  });
});

describe('periodic', () => {
  it('pages through DescribeVpcs (own VPCs only) and evaluates each at the notification time', async () => {
    // Arrange
    ec2
      .on(DescribeVpcsCommand)
      .resolvesOnce({ Vpcs: [{ VpcId: 'vpc-a' }, { VpcId: 'vpc-b' }], NextToken: 'page-2' })
      .resolvesOnce({ Vpcs: [{ VpcId: 'vpc-c', Tags: [{ Key: 'Name', Value: 'c' }] }] });
    ec2
      .on(DescribeFlowLogsCommand, { Filter: [{ Name: 'resource-id', Values: ['vpc-a'] }] })
      .resolves({ FlowLogs: [log({ ResourceId: 'vpc-a' })] })
      .on(DescribeFlowLogsCommand, { Filter: [{ Name: 'resource-id', Values: ['vpc-b'] }] })
      .resolves({ FlowLogs: [] })
      .on(DescribeFlowLogsCommand, { Filter: [{ Name: 'resource-id', Values: ['vpc-c'] }] })
      .resolves({ FlowLogs: [log({ ResourceId: 'vpc-c', TrafficType: 'REJECT' })] });

    // Act
    const summary = await handler(scheduledEvent(), context);

    // Assert
    expect(ec2).toHaveReceivedCommandTimes(DescribeVpcsCommand, 2);
    expect(ec2).toHaveReceivedNthSpecificCommandWith(1, DescribeVpcsCommand, {
      Filters: [{ Name: 'owner-id', Values: [ACCOUNT] }],
    });
    expect(ec2).toHaveReceivedNthSpecificCommandWith(2, DescribeVpcsCommand, {
      Filters: [{ Name: 'owner-id', Values: [ACCOUNT] }],
      NextToken: 'page-2',
    });
    expect(ec2).toHaveReceivedCommandTimes(DescribeFlowLogsCommand, 3);
    const sent = config.commandCalls(PutEvaluationsCommand)[0].args[0].input;
    expect(sent.ResultToken).toBe(RESULT_TOKEN);
    expect(
      sent.Evaluations!.map((e) => [e.ComplianceResourceId, e.ComplianceType, e.OrderingTimestamp]),
    ).toEqual([
      ['vpc-a', 'COMPLIANT', new Date(NOTIFICATION_TIME)],
      ['vpc-b', 'NON_COMPLIANT', new Date(NOTIFICATION_TIME)],
      ['vpc-c', 'NON_COMPLIANT', new Date(NOTIFICATION_TIME)],
    ]);
    expect(summary.byCompliance).toEqual({ COMPLIANT: 1, NON_COMPLIANT: 2 });
  });
});
