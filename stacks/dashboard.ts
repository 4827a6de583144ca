/**
 * The CloudWatch dashboard `compliance-<suffix>`: each function's invocations, errors, duration
 * and throttles, alerts published, findings by severity (over time and now), new vs resolved
 * findings per scan, the Security Hub export (when on), non-compliant resources, and the scanner's
 * duration and API calls (DESIGN §4). Metric names are the ones the functions emit.
 */
import { CloudwatchDashboard } from '@cdktf/provider-aws/lib/cloudwatch-dashboard';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE } from '../lambdas/shared/env-names';
import { CHANGE_METRICS, EXPORT_METRICS, SCANNER_METRICS } from '../lambdas/shared/metric-names';
import type { DeploymentEnvironment } from './environment';

type Metric = (string | Record<string, unknown>)[];

export interface ComplianceDashboardProps {
  readonly env: DeploymentEnvironment;
  /** Physical function names. */
  readonly functionNames: readonly string[];
  readonly topicName: string;
  /** Widgets after the standard ones (organization mode: executions, per-account totals). */
  readonly extraWidgets?: readonly DashboardWidget[];
}

/** A widget's type and properties (position and size are the dashboard's). */
export interface DashboardWidget {
  readonly type: 'metric' | 'log';
  readonly properties: Readonly<Record<string, unknown>>;
}

const WIDTH = 12;
const HEIGHT = 6;

export class ComplianceDashboard extends Construct {
  readonly dashboard: CloudwatchDashboard;

  constructor(scope: Construct, id: string, props: ComplianceDashboardProps) {
    super(scope, id);
    const { env } = props;
    const region = env.region;
    const widgets: object[] = [];
    const place = ({ type, properties }: DashboardWidget): void => {
      const i = widgets.length;
      const at = { x: (i % 2) * WIDTH, y: Math.floor(i / 2) * HEIGHT };
      widgets.push({ type, ...at, width: WIDTH, height: HEIGHT, properties });
    };
    const add = (title: string, metrics: Metric[], extra: Record<string, unknown> = {}): void => {
      place({
        type: 'metric',
        properties: {
          title,
          region,
          view: 'timeSeries',
          stacked: false,
          period: 300,
          metrics,
          ...extra,
        },
      });
    };
    const perFunction = (metric: string, stat: string): Metric[] =>
      props.functionNames.map((fn) => [
        'AWS/Lambda',
        metric,
        'FunctionName',
        fn,
        { stat, label: fn },
      ]);
    const scanner = (metric: string, stat: string, label = metric): Metric => [
      METRICS_NAMESPACE,
      metric,
      'service',
      'scanner',
      { stat, label },
    ];

    add('Invocations', perFunction('Invocations', 'Sum'));
    add('Errors', perFunction('Errors', 'Sum'));
    add('Duration (p95, ms)', perFunction('Duration', 'p95'));
    add('Throttles', perFunction('Throttles', 'Sum'));
    add(
      'Failed findings by severity (last scan)',
      SCANNER_METRICS.severities.map(([severity, metric]) => scanner(metric, 'Maximum', severity)),
      {
        period: env.settings.scanIntervalSeconds > 86400 ? 86400 : env.settings.scanIntervalSeconds,
      },
    );
    const scanPeriod = Math.min(86400, env.settings.scanIntervalSeconds);
    add(
      'Findings by severity now (failed; suppressed and errors apart)',
      [
        ...SCANNER_METRICS.severities.map(([severity, metric]) =>
          scanner(metric, 'Maximum', severity),
        ),
        scanner(CHANGE_METRICS.suppressed, 'Maximum', 'suppressed'),
        scanner(SCANNER_METRICS.errored, 'Maximum', 'could not run'),
      ],
      { view: 'singleValue', period: scanPeriod, setPeriodToTimeRange: false },
    );
    add(
      'New vs resolved findings per scan',
      [
        scanner(CHANGE_METRICS.new, 'Sum', 'new or reopened'),
        scanner(CHANGE_METRICS.resolved, 'Sum', 'resolved'),
      ],
      { view: 'bar', period: scanPeriod },
    );
    if (env.settings.securityHubExport === 'on') {
      const exporter = (metric: string, label: string): Metric => [
        METRICS_NAMESPACE,
        metric,
        'service',
        'findings-export',
        { stat: 'Sum', label },
      ];
      add('Security Hub export per scan', [
        exporter(EXPORT_METRICS.imported, 'imported'),
        exporter(EXPORT_METRICS.archived, 'archived'),
        exporter(EXPORT_METRICS.failed, 'failed'),
      ]);
    }
    add('Non-compliant resources', [scanner(SCANNER_METRICS.nonCompliantResources, 'Maximum')]);
    add('Scan duration (ms)', [scanner(SCANNER_METRICS.duration, 'Maximum')]);
    add('API calls per scan', [scanner(SCANNER_METRICS.apiCalls, 'Sum')]);
    add('Alerts published', [
      [
        'AWS/SNS',
        'NumberOfMessagesPublished',
        'TopicName',
        props.topicName,
        { stat: 'Sum', label: 'SNS messages' },
      ],
      [
        METRICS_NAMESPACE,
        'AlertsPublished',
        'service',
        'alert-notifier',
        { stat: 'Sum', label: 'Alerts' },
      ],
    ]);

    for (const widget of props.extraWidgets ?? []) place(widget);

    this.dashboard = new CloudwatchDashboard(this, 'dashboard', {
      dashboardName: env.name('compliance'),
      dashboardBody: JSON.stringify({ widgets }),
    });
  }
}
