/**
 * The scanner's EMF metrics (namespace ComplianceAudit, dimension `service`, which is
 * POWERTOOLS_SERVICE_NAME or `scanner`). Names come from shared/metric-names.ts, which the stack's
 * dashboard and alarms read too. One metric name per severity (no Severity dimension):
 *   Findings<Severity> — FAIL findings; FindingsPassed, FindingsErrored — PASS and ERROR (Count)
 *   NonCompliantResources — distinct resources with a FAIL finding            (Count)
 *   ApiCalls — AWS API calls made by the scan (totalApiCalls())                (Count)
 *   ScanDuration — start of the scan to its event published                    (Milliseconds)
 *   ResourcesScanned — buckets, SGs, volumes, VPCs, functions, users           (Count)
 *   ScansCompleted — 1 per scan whose outputs were all written (alarm on missing) (Count)
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { totalApiCalls } from '../shared/clients';
import type { FindingCounts } from '../shared/findings';
import { SCANNER_METRICS } from '../shared/metric-names';
import { metrics } from '../shared/observability';
import type { Inventory } from './inventory/types';

export const METRIC_SERVICE = 'scanner';

export function resourcesScanned(inv: Inventory): number {
  let n = inv.s3.buckets.items.length + inv.iam.users.items.length;
  for (const r of Object.values(inv.byRegion)) {
    n +=
      r.ec2.securityGroups.items.length +
      r.ec2.volumes.items.length +
      r.ec2.vpcs.items.length +
      r.lambda.functions.items.length;
  }
  return n;
}

let serviceDimensionSet = false;

export function publishScanMetrics(result: {
  counts: FindingCounts;
  durationMs: number;
  resourcesScanned: number;
  nonCompliantResources: number;
  /** API calls the scan made; default: this process's (an organization scan counts its shards'). */
  apiCalls?: number;
}): void {
  if (!process.env.POWERTOOLS_SERVICE_NAME && !serviceDimensionSet) {
    metrics.setDefaultDimensions({ service: METRIC_SERVICE });
    serviceDimensionSet = true;
  }
  for (const [severity, name] of SCANNER_METRICS.severities) {
    metrics.addMetric(name, MetricUnit.Count, result.counts[severity]);
  }
  const m = SCANNER_METRICS;
  metrics.addMetric(m.passed, MetricUnit.Count, result.counts.passed);
  metrics.addMetric(m.errored, MetricUnit.Count, result.counts.errors);
  metrics.addMetric(m.nonCompliantResources, MetricUnit.Count, result.nonCompliantResources);
  metrics.addMetric(m.apiCalls, MetricUnit.Count, result.apiCalls ?? totalApiCalls());
  metrics.addMetric(m.duration, MetricUnit.Milliseconds, result.durationMs);
  metrics.addMetric(m.resourcesScanned, MetricUnit.Count, result.resourcesScanned);
  metrics.addMetric(m.completed, MetricUnit.Count, 1);
}
