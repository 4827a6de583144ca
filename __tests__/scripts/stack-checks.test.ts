import {
  checkAlarms,
  checkDashboards,
  checkProviders,
  checkReferences,
  checkSchedulesAndEvents,
  widgetMetrics,
} from '../../scripts/stack-checks';
import type { TfJson, TfStack } from '../../scripts/tf-json';

const stack = (json: TfJson): TfStack => ({
  name: 't',
  dir: '/tmp',
  file: '/tmp/cdk.tf.json',
  json,
});
const messages = (problems: { message: string }[]): string[] => problems.map((p) => p.message);
const required = {
  terraform: { required_providers: { aws: { source: 'hashicorp/aws', version: '6.25.0' } } },
};

describe('checkReferences', () => {
  it('resolves resources, data sources, locals, variables, count, each, dynamic iterators and depends_on', () => {
    const s = stack({
      variable: { v: {} },
      locals: { l: '${[for k, val in var.v : val if k != "x"]}' },
      data: { aws_partition: { p: {} } },
      resource: {
        aws_vpc: { vpc: { cidr_block: '${local.l}' } },
        aws_subnet: {
          s: {
            count: 2,
            vpc_id: '${aws_vpc.vpc.id}',
            tags: { Name: 'x-${count.index}-${data.aws_partition.p.partition}' },
          },
        },
        aws_security_group: {
          g: {
            for_each: '${var.v}',
            name: '${each.key}',
            dynamic: {
              ingress: { for_each: '${var.v}', content: { from_port: '${ingress.value}' } },
            },
            depends_on: ['aws_subnet.s'],
          },
        },
      },
      output: { o: { value: '${path.module}/${terraform.workspace}' } },
    });
    expect(messages(checkReferences(s))).toEqual([]);
  });

  it('names each dangling or misplaced reference', () => {
    const s = stack({
      locals: { l: '${local.missing} ${var.nope} ${data.aws_region.r.name}' },
      resource: {
        aws_vpc: {
          vpc: {
            cidr_block: '${count.index}',
            tags: { Name: '${each.key}' },
            depends_on: ['aws_iam_role.gone'],
          },
        },
        aws_subnet: { s: { vpc_id: '${aws_vpc.other.id} ${bare}' } },
      },
    });
    expect(messages(checkReferences(s))).toEqual([
      'aws_iam_role.gone: no resource aws_iam_role.gone is declared',
      'count.index: used in aws_vpc.vpc, which has no count',
      'each.key: used in aws_vpc.vpc, which has no for_each',
      'aws_vpc.other.id: no resource aws_vpc.other is declared',
      'bare: unknown name (not a resource reference, variable, local or bound iterator)',
      'local.missing: no local "missing" is declared',
      'var.nope: no variable "nope" is declared',
      'data.aws_region.r.name: no data source aws_region.r is declared',
    ]);
  });
});

describe('checkProviders', () => {
  it('requires every provider used or configured, and alias blocks for provider meta-arguments', () => {
    const s = stack({
      ...required,
      provider: { aws: [{ region: 'us-east-1' }], awscc: [{ region: 'us-east-1' }] },
      resource: {
        aws_vpc: { a: { provider: 'aws.west' } },
        random_id: { r: {} },
        terraform_data: { d: {} },
      },
      data: { awscc_config_configuration_recorders: { c: { provider: 'awscc' } } },
    });
    expect(messages(checkProviders(s)).sort()).toEqual(
      [
        'provider "awscc" is configured but not in terraform.required_providers',
        'provider = "aws.west" but no provider block aws.west exists',
        'uses provider "random", which terraform.required_providers does not declare',
        'uses provider "awscc", which terraform.required_providers does not declare',
      ].sort(),
    );
  });
});

describe('checkSchedulesAndEvents', () => {
  it('validates schedules, Config frequencies and event patterns', () => {
    const s = stack({
      resource: {
        aws_cloudwatch_event_rule: {
          ok: { schedule_expression: 'cron(0 */6 * * ? *)' },
          bad: { schedule_expression: 'rate(0 minutes)' },
          pattern: { event_pattern: '{"source": [' },
          none: {},
        },
        aws_config_config_rule: { r: { maximum_execution_frequency: 'Daily' } },
        aws_config_delivery_channel: {
          c: { snapshot_delivery_properties: [{ delivery_frequency: 'TwentyFour_Hours' }] },
        },
      },
    });
    expect(messages(checkSchedulesAndEvents(s))).toEqual([
      '"rate(0 minutes)": the rate value must be a positive whole number',
      expect.stringMatching(/^not a valid event pattern/),
      'has neither schedule_expression nor event_pattern',
      '"Daily" is not one of One_Hour, Three_Hours, Six_Hours, Twelve_Hours, TwentyFour_Hours',
    ]);
  });
});

describe('dashboards and alarms', () => {
  const resources = {
    aws_lambda_function: { f: { function_name: 'scanner-dev' } },
    aws_sqs_queue: { q: { name: 'failures-dev' } },
  };

  it('expands . and ... shorthand in metric entries', () => {
    const entries = widgetMetrics([
      ['AWS/Lambda', 'Errors', 'FunctionName', 'a'],
      ['.', '.', '.', 'b', { stat: 'Sum' }],
      ['...', 'c'],
      [{ expression: 'm1+m2' }],
    ]);
    expect(entries.map((e) => e.use?.dimensions.FunctionName)).toEqual(['a', 'b', 'c']);
  });

  it('accepts emitted and allow-listed metrics; names unknown ones', () => {
    const widgets = [
      {
        type: 'metric',
        properties: {
          title: 'W',
          region: 'us-east-1',
          metrics: [
            ['AWS/Lambda', 'Errors', 'FunctionName', 'scanner-dev'],
            ['ComplianceAudit', 'FindingsCritical', 'service', 'scanner'],
            ['ComplianceAudit', 'AlertsPublished', 'service', 'alert-notifier'],
            ['AWS/Lambda', 'Errors', 'FunctionName', 'ghost-dev'],
            ['ComplianceAudit', 'FindingsBogus', 'service', 'scanner'],
            ['ComplianceAudit', 'FindingsCritical', 'service', 'csv-report'],
            ['AWS/EC2', 'CPUUtilization'],
          ],
        },
      },
      { type: 'text', properties: { markdown: 'hi' } },
    ];
    const s = stack({
      resource: {
        ...resources,
        aws_cloudwatch_dashboard: { d: { dashboard_body: JSON.stringify({ widgets }) } },
      },
    });
    expect(messages(checkDashboards(s))).toEqual([
      'widget 0 "W": AWS/Lambda Errors: FunctionName "ghost-dev" is not the function_name of any aws_lambda_function in the stack',
      expect.stringMatching(
        /^widget 0 "W": ComplianceAudit FindingsBogus: no function emits this metric/,
      ),
      'widget 0 "W": ComplianceAudit FindingsCritical: service "csv-report" does not emit it (emitted by scanner)',
      expect.stringMatching(
        /^widget 0 "W": AWS\/EC2 CPUUtilization: namespace not in the allow-list/,
      ),
    ]);
    const empty = stack({
      resource: {
        aws_cloudwatch_dashboard: {
          d: { dashboard_body: '{"widgets": []}' },
          e: { dashboard_body: 'nope' },
        },
      },
    });
    expect(messages(checkDashboards(empty))).toEqual([
      'has no widgets',
      expect.stringMatching(/^not valid JSON/),
    ]);
  });

  it('checks alarm metrics, resolving references to the stack', () => {
    const s = stack({
      resource: {
        ...resources,
        aws_cloudwatch_metric_alarm: {
          ok: {
            namespace: 'AWS/SQS',
            metric_name: 'ApproximateNumberOfMessagesVisible',
            dimensions: { QueueName: '${aws_sqs_queue.q.name}' },
          },
          missed: {
            namespace: 'ComplianceAudit',
            metric_name: 'ScansCompleted',
            dimensions: { service: 'scanner' },
          },
          wrong: {
            namespace: 'AWS/Lambda',
            metric_name: 'Errors',
            dimensions: { FunctionName: '${aws_sqs_queue.q.name}' },
          },
          none: {},
        },
      },
    });
    expect(messages(checkAlarms(s))).toEqual([
      'AWS/Lambda Errors: FunctionName "${aws_sqs_queue.q.name}" is not the function_name of any aws_lambda_function in the stack',
      'names no metric (namespace + metric_name or metric_query)',
    ]);
  });
});
