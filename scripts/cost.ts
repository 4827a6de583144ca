/**
 * A monthly cost estimate of a synthesized stack at its settings: us-east-1 list prices (recorded
 * on PRICES_RECORDED, not fetched at run time) times quantities read from the stack, plus usage
 * assumptions stated in the output. An estimate for review, not a quote.
 */
import { OWN_METRICS } from './metrics';
import { runsPerMonth, type StackFacts } from './stack-facts';

export const PRICES_RECORDED = '2026-11-25';
export const HOURS_PER_MONTH = 730;

/** us-east-1 list prices, USD. */
export const PRICES = {
  interfaceEndpointAzHour: 0.01,
  interfaceEndpointGb: 0.01,
  natGatewayHour: 0.045,
  natGatewayGb: 0.045,
  publicIpv4Hour: 0.005,
  configItem: 0.003,
  configRuleEvaluation: 0.001,
  lambdaArmGbSecond: 0.0000133334,
  lambdaX86GbSecond: 0.0000166667,
  lambdaRequestPerMillion: 0.2,
  logsIngestGb: 0.5,
  logsStorageGbMonth: 0.03,
  kmsKeyMonth: 1.0,
  kmsPer10kRequests: 0.03,
  alarmMonth: 0.1,
  dashboardMonth: 3.0,
  customMetricMonth: 0.3,
  snsEmailPer100k: 2.0,
  sqsPerMillion: 0.4,
  s3StandardGbMonth: 0.023,
  s3PutPer1k: 0.005,
  s3GetPer1k: 0.0004,
  xrayPerMillionTraces: 5.0,
  eventBridgeCustomPerMillion: 1.0,
} as const;

/** Usage the stack cannot tell; each is printed with the estimate. */
export interface CostAssumptions {
  readonly onDemandScansPerMonth: number;
  readonly scannerSeconds: number;
  readonly reportSeconds: number;
  readonly configRuleSeconds: number;
  readonly alertSeconds: number;
  readonly remediationSeconds: number;
  /** Configuration items Config records per month (resource changes, incl. Lambda ENIs). */
  readonly configItemsPerMonth: number;
  /** Evaluations per Config rule per month (change-triggered and periodic). */
  readonly evaluationsPerRule: number;
  /** NON_COMPLIANT changes per month (alerts, remediation triggers). */
  readonly nonCompliantChangesPerMonth: number;
  readonly scannerLogKbPerRun: number;
  readonly otherLogKbPerInvocation: number;
  readonly flowLogGbPerMonth: number;
  readonly endpointGbPerMonth: number;
  readonly natGbPerMonth: number;
  readonly kmsRequestsPerMonth: number;
  /** Findings + reports written per scan. */
  readonly auditMbPerScan: number;
  readonly alertEmailsPerMonth: number;
}

export const DEFAULT_ASSUMPTIONS: CostAssumptions = {
  onDemandScansPerMonth: 10,
  scannerSeconds: 120,
  reportSeconds: 5,
  configRuleSeconds: 1,
  alertSeconds: 2,
  remediationSeconds: 5,
  configItemsPerMonth: 2000,
  evaluationsPerRule: 300,
  nonCompliantChangesPerMonth: 50,
  scannerLogKbPerRun: 500,
  otherLogKbPerInvocation: 10,
  flowLogGbPerMonth: 0.5,
  endpointGbPerMonth: 1,
  natGbPerMonth: 2,
  kmsRequestsPerMonth: 20000,
  auditMbPerScan: 1,
  alertEmailsPerMonth: 200,
};

export interface CostLine {
  readonly item: string;
  readonly quantity: string;
  readonly unitPrice: string;
  readonly monthly: number;
  readonly note?: string;
}

export interface CostEstimate {
  readonly lines: readonly CostLine[];
  readonly total: number;
  readonly scansPerMonth: number;
  readonly invocationsPerMonth: Readonly<Record<string, number>>;
  readonly assumptions: CostAssumptions;
}

const usd = (n: number, digits = 2): string => `$${n.toFixed(digits)}`;
const count = (n: number): string => Math.round(n).toLocaleString('en-US');

/** Invocations per function per month from the schedule and the assumptions. */
export function invocations(facts: StackFacts, a: CostAssumptions): Record<string, number> {
  const scans = runsPerMonth(facts.scanSchedule) + a.onDemandScansPerMonth;
  const out: Record<string, number> = {};
  for (const fn of facts.functions) {
    if (fn.name === 'scanner' || fn.name.endsWith('-report')) out[fn.name] = scans;
    else if (fn.name === 'alert-notifier') out[fn.name] = scans + a.nonCompliantChangesPerMonth;
    else if (fn.name === 'remediation')
      out[fn.name] = scans + Math.ceil(a.nonCompliantChangesPerMonth / 5);
    else if (fn.name.startsWith('config-rule-')) out[fn.name] = a.evaluationsPerRule;
    else out[fn.name] = scans;
  }
  return out;
}

function seconds(name: string, a: CostAssumptions): number {
  if (name === 'scanner') return a.scannerSeconds;
  if (name.endsWith('-report')) return a.reportSeconds;
  if (name.startsWith('config-rule-')) return a.configRuleSeconds;
  if (name === 'alert-notifier') return a.alertSeconds;
  if (name === 'remediation') return a.remediationSeconds;
  return a.reportSeconds;
}

export function estimateCost(
  facts: StackFacts,
  a: CostAssumptions = DEFAULT_ASSUMPTIONS,
): CostEstimate {
  const P = PRICES;
  const lines: CostLine[] = [];
  const add = (line: CostLine): void => {
    lines.push(line);
  };
  const scans = runsPerMonth(facts.scanSchedule) + a.onDemandScansPerMonth;
  const calls = invocations(facts, a);

  const azHours = facts.interfaceEndpoints.reduce((n, e) => n + e.azs, 0) * HOURS_PER_MONTH;
  if (azHours > 0) {
    add({
      item: `Interface endpoints (${facts.interfaceEndpoints.map((e) => e.service).join(', ')})`,
      quantity: `${facts.interfaceEndpoints.length} × ${facts.interfaceEndpoints[0].azs} AZ × ${HOURS_PER_MONTH} h`,
      unitPrice: `${usd(P.interfaceEndpointAzHour)}/AZ-hour`,
      monthly: azHours * P.interfaceEndpointAzHour,
    });
    add({
      item: 'Interface endpoint data',
      quantity: `${a.endpointGbPerMonth} GB`,
      unitPrice: `${usd(P.interfaceEndpointGb)}/GB`,
      monthly: a.endpointGbPerMonth * P.interfaceEndpointGb,
    });
  }
  if (facts.natGateways > 0) {
    add({
      item: 'NAT gateway',
      quantity: `${facts.natGateways} × ${HOURS_PER_MONTH} h`,
      unitPrice: `${usd(P.natGatewayHour, 3)}/hour`,
      monthly: facts.natGateways * HOURS_PER_MONTH * P.natGatewayHour,
    });
    add({
      item: 'NAT gateway data processed',
      quantity: `${a.natGbPerMonth} GB`,
      unitPrice: `${usd(P.natGatewayGb, 3)}/GB`,
      monthly: a.natGbPerMonth * P.natGatewayGb,
    });
  }
  if (facts.elasticIps > 0) {
    add({
      item: 'Public IPv4 address (NAT EIP)',
      quantity: `${facts.elasticIps} × ${HOURS_PER_MONTH} h`,
      unitPrice: `${usd(P.publicIpv4Hour, 3)}/hour`,
      monthly: facts.elasticIps * HOURS_PER_MONTH * P.publicIpv4Hour,
    });
  }
  if (facts.gatewayEndpoints.length > 0) {
    add({
      item: `Gateway endpoints (${facts.gatewayEndpoints.join(', ')})`,
      quantity: String(facts.gatewayEndpoints.length),
      unitPrice: 'free',
      monthly: 0,
    });
  }

  if (facts.recorderMode !== 'existing') {
    add({
      item: 'AWS Config configuration items recorded',
      quantity: count(a.configItemsPerMonth),
      unitPrice: `${usd(P.configItem, 3)}/item`,
      monthly: a.configItemsPerMonth * P.configItem,
      note:
        facts.recorderMode === 'auto'
          ? 'only if the plan creates the recorder (auto mode); otherwise already on the account bill'
          : undefined,
    });
  }
  const evaluations = facts.configRules * a.evaluationsPerRule;
  add({
    item: `AWS Config rule evaluations (${facts.configRules} rules)`,
    quantity: count(evaluations),
    unitPrice: `${usd(P.configRuleEvaluation, 3)}/evaluation`,
    monthly: evaluations * P.configRuleEvaluation,
  });

  let requests = 0;
  let gbSeconds = 0;
  let armGbSeconds = 0;
  for (const fn of facts.functions) {
    const n = calls[fn.name] ?? 0;
    requests += n;
    const gbs = n * seconds(fn.name, a) * (fn.memoryMb / 1024);
    gbSeconds += gbs;
    if (fn.architecture === 'arm64') armGbSeconds += gbs;
  }
  const lambdaCompute =
    armGbSeconds * P.lambdaArmGbSecond + (gbSeconds - armGbSeconds) * P.lambdaX86GbSecond;
  add({
    item: `Lambda compute (${facts.functions.length} functions)`,
    quantity: `${count(gbSeconds)} GB-s`,
    unitPrice: `${usd(P.lambdaArmGbSecond, 10)}/GB-s (arm64)`,
    monthly: lambdaCompute,
    note: 'before the free tier',
  });
  add({
    item: 'Lambda requests',
    quantity: count(requests),
    unitPrice: `${usd(P.lambdaRequestPerMillion)}/million`,
    monthly: (requests / 1e6) * P.lambdaRequestPerMillion,
  });

  const scannerRuns = calls.scanner ?? 0;
  const logGb =
    (scannerRuns * a.scannerLogKbPerRun + (requests - scannerRuns) * a.otherLogKbPerInvocation) /
      (1024 * 1024) +
    a.flowLogGbPerMonth * facts.flowLogs;
  add({
    item: 'CloudWatch Logs ingestion (functions + flow logs)',
    quantity: `${logGb.toFixed(2)} GB`,
    unitPrice: `${usd(P.logsIngestGb)}/GB`,
    monthly: logGb * P.logsIngestGb,
  });
  const retentionMonths = Math.max(
    ...facts.logGroups.map((g) => (g.retentionDays ?? 3650) / 30),
    1,
  );
  add({
    item: 'CloudWatch Logs storage (steady state)',
    quantity: `${(logGb * retentionMonths).toFixed(2)} GB`,
    unitPrice: `${usd(P.logsStorageGbMonth)}/GB-month`,
    monthly: logGb * retentionMonths * P.logsStorageGbMonth,
    note: `${Math.round(retentionMonths * 30)} days retention, uncompressed upper bound`,
  });

  add({
    item: 'KMS customer-managed keys',
    quantity: String(facts.kmsKeys),
    unitPrice: `${usd(P.kmsKeyMonth)}/key-month`,
    monthly: facts.kmsKeys * P.kmsKeyMonth,
    note: 'first year; each of the first two yearly rotations adds $1/key-month',
  });
  add({
    item: 'KMS requests',
    quantity: count(a.kmsRequestsPerMonth),
    unitPrice: `${usd(P.kmsPer10kRequests)}/10,000`,
    monthly: (a.kmsRequestsPerMonth / 1e4) * P.kmsPer10kRequests,
  });

  const metrics = Object.values(OWN_METRICS).reduce(
    (n, services) => n + services.filter((s) => facts.functions.some((f) => f.name === s)).length,
    0,
  );
  add({
    item: 'CloudWatch custom metrics (EMF, namespace ComplianceAudit)',
    quantity: String(metrics),
    unitPrice: `${usd(P.customMetricMonth)}/metric-month`,
    monthly: metrics * P.customMetricMonth,
  });
  add({
    item: 'CloudWatch alarms (standard resolution)',
    quantity: String(facts.alarms),
    unitPrice: `${usd(P.alarmMonth)}/alarm-month`,
    monthly: facts.alarms * P.alarmMonth,
  });
  add({
    item: 'CloudWatch dashboard',
    quantity: String(facts.dashboards),
    unitPrice: `${usd(P.dashboardMonth)}/dashboard-month`,
    monthly: facts.dashboards * P.dashboardMonth,
    note: 'free if the account has at most 3 dashboards',
  });

  const emails = facts.emailSubscriptions * a.alertEmailsPerMonth;
  add({
    item: 'SNS (publishes + e-mail deliveries)',
    quantity: `${count(emails)} e-mails`,
    unitPrice: `${usd(P.snsEmailPer100k)}/100,000 e-mails`,
    monthly: (Math.max(0, emails - 1000) / 1e5) * P.snsEmailPer100k,
    note: 'first 1M publishes and 1,000 e-mails are free',
  });
  add({
    item: 'SQS failure queue',
    quantity: '≈ 0 requests',
    unitPrice: `${usd(P.sqsPerMillion)}/million`,
    monthly: 0,
    note: 'only failed events; first 1M requests free',
  });

  const retentionDays = facts.auditRetentionDays ?? 365;
  const storedGb = (scans * a.auditMbPerScan * (retentionDays / 30)) / 1024;
  const puts = scans * 5 + a.nonCompliantChangesPerMonth;
  const gets = scans * 4;
  add({
    item: 'S3 audit bucket (storage + requests)',
    quantity: `${storedGb.toFixed(2)} GB, ${count(puts)} PUT, ${count(gets)} GET`,
    unitPrice: `${usd(P.s3StandardGbMonth, 3)}/GB-month`,
    monthly:
      storedGb * P.s3StandardGbMonth + (puts / 1000) * P.s3PutPer1k + (gets / 1000) * P.s3GetPer1k,
    note: `${retentionDays} days of findings and reports (lifecycle); Config history not included`,
  });
  add({
    item: 'X-Ray traces',
    quantity: count(requests),
    unitPrice: `${usd(P.xrayPerMillionTraces)}/million`,
    monthly: (Math.max(0, requests - 100000) / 1e6) * P.xrayPerMillionTraces,
    note: 'first 100,000 traces a month free',
  });
  const events = scans + a.nonCompliantChangesPerMonth / 5;
  add({
    item: 'EventBridge custom events (PutEvents)',
    quantity: count(events),
    unitPrice: `${usd(P.eventBridgeCustomPerMillion)}/million`,
    monthly: (events / 1e6) * P.eventBridgeCustomPerMillion,
    note: 'schedules and AWS service events are free',
  });

  const total = lines.reduce((n, l) => n + l.monthly, 0);
  return { lines, total, scansPerMonth: scans, invocationsPerMonth: calls, assumptions: a };
}

/** The estimate as markdown: table, total, assumptions. */
export function costMarkdown(facts: StackFacts, estimate: CostEstimate): string[] {
  const a = estimate.assumptions;
  const out = [
    `Estimated monthly cost at these settings: **${usd(estimate.total)}** (us-east-1 list prices recorded ${PRICES_RECORDED}; estimates, not a quote — free tiers are not deducted except where noted; taxes and data transfer out of AWS are not included).`,
    '',
    '| Item | Quantity | Unit price | Monthly (USD) | Note |',
    '|---|---|---|---:|---|',
    ...estimate.lines.map(
      (l) =>
        `| ${l.item} | ${l.quantity} | ${l.unitPrice} | ${l.monthly.toFixed(2)} | ${l.note ?? ''} |`,
    ),
    `| **Total** | | | **${estimate.total.toFixed(2)}** | |`,
    '',
    'Assumptions (edit `DEFAULT_ASSUMPTIONS` in scripts/cost.ts to model your account):',
    '',
    `- Scans: ${runsPerMonth(facts.scanSchedule)} scheduled (${facts.scanSchedule ?? 'no schedule'}) + ${a.onDemandScansPerMonth} on demand = ${estimate.scansPerMonth} a month; each triggers json-report, csv-report, alert-notifier and remediation once.`,
    `- Durations: scanner ${a.scannerSeconds} s, reports ${a.reportSeconds} s, Config rules ${a.configRuleSeconds} s, alert-notifier ${a.alertSeconds} s, remediation ${a.remediationSeconds} s, at each function's configured memory.`,
    `- Invocations a month: ${Object.entries(estimate.invocationsPerMonth)
      .map(([k, v]) => `${k} ${count(v)}`)
      .join(', ')}.`,
    `- AWS Config: ${count(a.configItemsPerMonth)} configuration items recorded and ${a.evaluationsPerRule} evaluations per rule a month; ${a.nonCompliantChangesPerMonth} NON_COMPLIANT changes a month.`,
    `- Logs: scanner ${a.scannerLogKbPerRun} KB per run, other functions ${a.otherLogKbPerInvocation} KB per invocation, flow logs ${a.flowLogGbPerMonth} GB a month.`,
    `- Traffic: ${a.endpointGbPerMonth} GB through interface endpoints, ${a.natGbPerMonth} GB through NAT (when present); ${count(a.kmsRequestsPerMonth)} KMS requests; ${a.auditMbPerScan} MB of findings and reports per scan; ${a.alertEmailsPerMonth} alert e-mails per subscription.`,
    `- ${HOURS_PER_MONTH} hours a month.`,
  ];
  return out;
}

interface Layout {
  readonly name: string;
  readonly setting: string;
  readonly facts: StackFacts;
  readonly availability: string;
}

/**
 * The network layouts side by side — interface endpoints in two zones, in one zone, or a NAT
 * gateway — each priced like this synth, with what it costs in availability.
 */
export function layoutComparison(facts: StackFacts): string[] {
  const services = facts.interfaceEndpoints.length
    ? facts.interfaceEndpoints.map((e) => e.service)
    : ['config', 'ec2', 'events', 'kms', 'sns', 'xray'];
  const endpoints = (azs: number): StackFacts => ({
    ...facts,
    interfaceEndpoints: services.map((service) => ({ service, azs })),
    natGateways: 0,
    elasticIps: 0,
  });
  const layouts: Layout[] = [
    {
      name: 'Interface endpoints in 2 zones',
      setting: 'NETWORK_EGRESS=endpoints (default)',
      facts: endpoints(2),
      availability: 'Either zone can fail: the functions in the other still reach AWS APIs.',
    },
    {
      name: 'Interface endpoints in 1 zone',
      setting: 'INTERFACE_ENDPOINT_AZS=1',
      facts: endpoints(1),
      availability:
        "Functions in the other zone reach the endpoints across zones ($0.01/GB each way). If the endpoints' zone fails, the in-VPC functions cannot reach AWS APIs until it recovers: their events retry, then wait in the failure queue.",
    },
    {
      name: 'One NAT gateway',
      setting: 'NETWORK_EGRESS=nat',
      facts: { ...facts, interfaceEndpoints: [], natGateways: 1, elasticIps: 1 },
      availability:
        "One NAT gateway in one zone: the same single-zone dependency, and a route to the internet; it also lets the scanner reach other regions' APIs.",
    },
  ];
  const current = facts.natGateways > 0 ? 2 : (facts.interfaceEndpoints[0]?.azs ?? 2) === 1 ? 1 : 0;
  const here = estimateCost(facts).total;
  const out = [
    '### Network layouts',
    '',
    `This synth is **${layouts[current].name.toLowerCase()}**. The same stack in each layout (endpoint prices per zone-hour; the rest as above):`,
    '',
    '| Layout | Setting | Monthly (USD) | Difference | Availability |',
    '|---|---|---:|---:|---|',
  ];
  layouts.forEach((l, i) => {
    const total = estimateCost(l.facts).total;
    const diff =
      i === current
        ? 'this synth'
        : `${total - here >= 0 ? '+' : '−'}${Math.abs(total - here).toFixed(2)}`;
    out.push(
      `| ${i === current ? `**${l.name}**` : l.name} | \`${l.setting}\` | ${total.toFixed(2)} | ${diff} | ${l.availability} |`,
    );
  });
  return out;
}
