/**
 * The deployed stack, checked with the AWS SDK against the outputs file: the audit bucket's
 * protection, each function's concurrency, tracing and network placement, the alert topic's key,
 * Config rules, flow logs, EventBridge rules and the dashboard. With RUN_E2E=1, also an on-demand
 * scan end to end (bounded by E2E_TIMEOUT_SECONDS, default 600).
 */
import { CloudWatchClient, GetDashboardCommand } from '@aws-sdk/client-cloudwatch';
import { ConfigServiceClient, DescribeConfigRulesCommand } from '@aws-sdk/client-config-service';
import {
  DescribeFlowLogsCommand,
  DescribeNatGatewaysCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import {
  DescribeRuleCommand,
  EventBridgeClient,
  PutEventsCommand,
} from '@aws-sdk/client-eventbridge';
import {
  GetFunctionCommand,
  GetFunctionConcurrencyCommand,
  LambdaClient,
} from '@aws-sdk/client-lambda';
import {
  GetBucketEncryptionCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  GetPublicAccessBlockCommand,
  HeadObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { GetTopicAttributesCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { EVENT_SOURCE, SCAN_REQUEST } from '../../lambdas/shared/event-names';
import { LATEST_KEY, reportKey } from '../../lambdas/shared/store';
import { FUNCTION_CATALOG } from '../../stacks/function-catalog';
import { FUNCTION_NAMES } from '../../stacks/settings';
import { readOutputs, regionOf } from './outputs';

const { outputs, skip } = readOutputs();
if (skip) process.stderr.write(`Integration tests skipped: ${skip}\n`);
const suite = outputs ? describe : describe.skip;

/** Same KMS key whether given as ARN, key id or alias-free ARN. */
const keyId = (k: string | undefined): string | undefined => k?.split('/').pop();

suite('deployed compliance-audit stack', () => {
  const o = outputs!;
  const region = process.env.AWS_REGION || regionOf(o.string('sns_topic_arn'));
  const s3 = new S3Client({ region });
  const lambda = new LambdaClient({ region });
  const ec2 = new EC2Client({ region });
  const bucket = o.string('audit_bucket_name');

  it('audit bucket: versioning on, SSE-KMS with the data key and a bucket key, public access fully blocked', async () => {
    const versioning = await s3.send(new GetBucketVersioningCommand({ Bucket: bucket }));
    expect(versioning.Status).toBe('Enabled');
    const rule = (await s3.send(new GetBucketEncryptionCommand({ Bucket: bucket })))
      .ServerSideEncryptionConfiguration?.Rules?.[0];
    expect(rule?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm).toBe('aws:kms');
    expect(keyId(rule?.ApplyServerSideEncryptionByDefault?.KMSMasterKeyID)).toBe(
      keyId(o.string('data_kms_key_arn')),
    );
    expect(rule?.BucketKeyEnabled).toBe(true);
    const block = (await s3.send(new GetPublicAccessBlockCommand({ Bucket: bucket })))
      .PublicAccessBlockConfiguration;
    expect(block).toEqual({
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: true,
    });
  });

  describe('functions', () => {
    let natEgress: boolean;
    beforeAll(async () => {
      const nats = await ec2.send(
        new DescribeNatGatewaysCommand({
          Filter: [
            { Name: 'vpc-id', Values: [o.string('vpc_id')] },
            { Name: 'state', Values: ['available', 'pending'] },
          ],
        }),
      );
      natEgress = (nats.NatGateways ?? []).length > 0;
    });

    it.each(FUNCTION_NAMES.map((n) => [n]))(
      '%s: reserved concurrency, Active tracing, arm64, VPC placement',
      async (name) => {
        const functionName = o.string(`${name.replace(/-/g, '_')}_function_name`);
        const { Configuration: c } = await lambda.send(
          new GetFunctionCommand({ FunctionName: functionName }),
        );
        const concurrency = await lambda.send(
          new GetFunctionConcurrencyCommand({ FunctionName: functionName }),
        );
        expect(concurrency.ReservedConcurrentExecutions).toBeGreaterThanOrEqual(1);
        expect(c?.TracingConfig?.Mode).toBe('Active');
        expect(c?.Architectures).toEqual(['arm64']);
        const inVpc = natEgress || !FUNCTION_CATALOG[name].needsInternet;
        if (inVpc) {
          expect(c?.VpcConfig?.VpcId).toBe(o.string('vpc_id'));
          expect([...(c?.VpcConfig?.SubnetIds ?? [])].sort()).toEqual(
            o.list('private_subnet_ids').sort(),
          );
          expect(c?.VpcConfig?.SecurityGroupIds).toEqual([o.string('lambda_security_group_id')]);
        } else {
          expect(c?.VpcConfig?.VpcId ?? '').toBe('');
        }
      },
    );
  });

  it('alert topic and failure queue are encrypted with the messaging key', async () => {
    const sns = new SNSClient({ region });
    const topic = await sns.send(
      new GetTopicAttributesCommand({ TopicArn: o.string('sns_topic_arn') }),
    );
    expect(keyId(topic.Attributes?.KmsMasterKeyId)).toBe(keyId(o.string('messaging_kms_key_arn')));
    const sqs = new SQSClient({ region });
    const queue = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: o.string('failure_queue_url'),
        AttributeNames: ['KmsMasterKeyId'],
      }),
    );
    expect(keyId(queue.Attributes?.KmsMasterKeyId)).toBe(keyId(o.string('messaging_kms_key_arn')));
  });

  it('every Config rule of the stack exists and is active', async () => {
    const config = new ConfigServiceClient({ region });
    const names = o.list('config_rule_names');
    const found: string[] = [];
    for (let i = 0; i < names.length; i += 25) {
      const page = await config.send(
        new DescribeConfigRulesCommand({ ConfigRuleNames: names.slice(i, i + 25) }),
      );
      for (const rule of page.ConfigRules ?? []) {
        expect([rule.ConfigRuleName, rule.ConfigRuleState]).toEqual([
          rule.ConfigRuleName,
          'ACTIVE',
        ]);
        found.push(rule.ConfigRuleName!);
      }
    }
    expect(found.sort()).toEqual([...names].sort());
  });

  it('the VPC flow log is active, records ALL traffic and delivers', async () => {
    const { FlowLogs } = await ec2.send(
      new DescribeFlowLogsCommand({ FlowLogIds: [o.string('flow_log_id')] }),
    );
    expect(FlowLogs).toHaveLength(1);
    expect(FlowLogs![0]).toMatchObject({
      ResourceId: o.string('vpc_id'),
      FlowLogStatus: 'ACTIVE',
      TrafficType: 'ALL',
    });
    // FAILED here means the delivery role lacks a permission (see docs/permissions.md).
    expect(FlowLogs![0].DeliverLogsStatus).toBe('SUCCESS');
  });

  it('every EventBridge rule of the stack is enabled', async () => {
    const events = new EventBridgeClient({ region });
    for (const name of o.list('event_rule_names')) {
      const rule = await events.send(new DescribeRuleCommand({ Name: name }));
      expect([name, rule.State]).toEqual([name, 'ENABLED']);
    }
  });

  it('the dashboard exists and has widgets', async () => {
    const cw = new CloudWatchClient({ region });
    const dashboard = await cw.send(
      new GetDashboardCommand({ DashboardName: o.string('dashboard_name') }),
    );
    const body = JSON.parse(dashboard.DashboardBody ?? '{}') as { widgets?: unknown[] };
    expect(body.widgets?.length).toBeGreaterThan(0);
  });

  const e2eTimeout = Number(process.env.E2E_TIMEOUT_SECONDS || 600) * 1000;
  (process.env.RUN_E2E === '1' ? it : it.skip)(
    'end to end (RUN_E2E=1): an on-demand scan writes latest.json, report.json and report.csv',
    async () => {
      const deadline = Date.now() + e2eTimeout;
      const requested = new Date();
      const events = new EventBridgeClient({ region });
      const put = await events.send(
        new PutEventsCommand({
          Entries: [
            {
              Source: EVENT_SOURCE,
              DetailType: SCAN_REQUEST,
              Detail: JSON.stringify({ requestedBy: 'integration-test' }),
            },
          ],
        }),
      );
      expect(put.FailedEntryCount).toBe(0);

      const waitFor = async <T>(what: string, probe: () => Promise<T | undefined>): Promise<T> => {
        while (Date.now() < deadline) {
          const value = await probe().catch(() => undefined);
          if (value !== undefined) return value;
          await new Promise((r) => setTimeout(r, 10_000));
        }
        throw new Error(
          `Timed out after ${e2eTimeout / 1000} s waiting for ${what} (E2E_TIMEOUT_SECONDS)`,
        );
      };
      const pointer = await waitFor('a latest.json written after the request', async () => {
        const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: LATEST_KEY }));
        if (!head.LastModified || head.LastModified < requested) return undefined;
        const body = await (
          await s3.send(new GetObjectCommand({ Bucket: bucket, Key: LATEST_KEY }))
        ).Body!.transformToString();
        return JSON.parse(body) as { scanId: string; startedAt: string; findingsKey: string };
      });
      expect(pointer.scanId).toBeTruthy();
      for (const ext of ['json', 'csv'] as const) {
        const key = reportKey(pointer.scanId, pointer.startedAt, ext);
        await waitFor(
          key,
          async () =>
            (await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }))).ContentLength,
        );
      }
    },
    e2eTimeout + 30_000,
  );
});
