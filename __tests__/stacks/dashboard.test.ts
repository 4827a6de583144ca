import { CloudwatchDashboard } from '@cdktf/provider-aws/lib/cloudwatch-dashboard';
import { METRICS_NAMESPACE } from '../../lambdas/shared/env-names';
import { SCANNER_METRICS } from '../../lambdas/shared/metric-names';
import { FUNCTION_NAMES } from '../../stacks/settings';
import { resourcesOf, SUFFIX, synthStack } from '../helpers/stack';

interface Widget {
  type: string;
  x: number;
  y: number;
  width: number;
  height: number;
  properties: {
    title: string;
    region: string;
    metrics: (string | Record<string, unknown>)[][];
    period: number;
  };
}

describe('ComplianceDashboard', () => {
  let synth: string;
  let widgets: Widget[];
  const widget = (title: string): Widget => {
    const found = widgets.find((w) => w.properties.title === title);
    if (!found) throw new Error(`no widget "${title}"`);
    return found;
  };
  beforeAll(() => {
    let tf;
    ({ synth, tf } = synthStack());
    const body = resourcesOf(tf, 'aws_cloudwatch_dashboard')[0].config.dashboard_body as string;
    widgets = (JSON.parse(body) as { widgets: Widget[] }).widgets;
  });

  it('renders compliance-<suffix> with a valid JSON body of metric widgets', () => {
    expect(synth).toHaveResourceWithProperties(CloudwatchDashboard, {
      dashboard_name: `compliance-${SUFFIX}`,
    });
    expect(widgets.length).toBeGreaterThan(0);
    for (const w of widgets) {
      expect(w).toMatchObject({ type: 'metric', width: 12, height: 6 });
      expect(w.properties.region).toBe('us-east-1');
      expect(w.properties.period % 60).toBe(0);
    }
  });

  it('renders widgets that do not overlap and fit the 24-column grid', () => {
    const cells = new Set<string>();
    for (const w of widgets) {
      expect(w.x + w.width).toBeLessThanOrEqual(24);
      const cell = `${w.x},${w.y}`;
      expect(cells.has(cell)).toBe(false);
      cells.add(cell);
    }
  });

  it.each(['Invocations', 'Errors', 'Duration', 'Throttles'])(
    'renders %s of each of the eight functions',
    (metric) => {
      const w = widgets.find((x) => x.properties.metrics[0][1] === metric)!;
      expect(w.properties.metrics.map((m) => m.slice(0, 4))).toEqual(
        FUNCTION_NAMES.map((name) => ['AWS/Lambda', metric, 'FunctionName', `${name}-${SUFFIX}`]),
      );
    },
  );

  it('renders findings by severity from the metrics the scanner emits', () => {
    expect(widget('Failed findings by severity (last scan)').properties.metrics).toEqual(
      SCANNER_METRICS.severities.map(([severity, metric]) => [
        METRICS_NAMESPACE,
        metric,
        'service',
        'scanner',
        { stat: 'Maximum', label: severity },
      ]),
    );
  });

  it('renders non-compliant resources, scan duration and API calls of the scanner', () => {
    const scannerMetric = (title: string) => widget(title).properties.metrics[0].slice(0, 4);
    expect(scannerMetric('Non-compliant resources')).toEqual([
      METRICS_NAMESPACE,
      SCANNER_METRICS.nonCompliantResources,
      'service',
      'scanner',
    ]);
    expect(scannerMetric('Scan duration (ms)')).toEqual([
      METRICS_NAMESPACE,
      SCANNER_METRICS.duration,
      'service',
      'scanner',
    ]);
    expect(scannerMetric('API calls per scan')).toEqual([
      METRICS_NAMESPACE,
      SCANNER_METRICS.apiCalls,
      'service',
      'scanner',
    ]);
  });

  it('renders the alerts published to the topic and by alert-notifier', () => {
    expect(widget('Alerts published').properties.metrics.map((m) => m.slice(0, 4))).toEqual([
      ['AWS/SNS', 'NumberOfMessagesPublished', 'TopicName', `compliance-alerts-${SUFFIX}`],
      [METRICS_NAMESPACE, 'AlertsPublished', 'service', 'alert-notifier'],
    ]);
  });
});
