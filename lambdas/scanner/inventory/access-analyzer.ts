/**
 * IAM Access Analyzer collector, once per region: the region's analyzers (every type; IAM.28
 * counts the active external-access ones).
 *
 * IAM actions — resource `*` (no resource-level permissions):
 * - `access-analyzer:ListAnalyzers`
 */
import { AccessAnalyzerClient, paginateListAnalyzers } from '@aws-sdk/client-accessanalyzer';
import { awsClient } from '../../shared/clients';
import { Collector } from './collector';
import type { RegionalCollector } from './index';
import type { AccessAnalyzerInventory } from './types';

export async function collectAccessAnalyzer(
  c: Collector,
  region: string,
): Promise<AccessAnalyzerInventory> {
  const client = awsClient(AccessAnalyzerClient, region);
  const analyzers = await c.list(
    { service: 'access-analyzer', region, operation: 'ListAnalyzers' },
    // The API documents no maximum page size, so its default is used.
    () => paginateListAnalyzers({ client }, {}),
    (page) =>
      (page.analyzers ?? []).flatMap((a) =>
        a.name && a.arn
          ? [{ name: a.name, arn: a.arn, type: a.type ?? '', status: a.status ?? '' }]
          : [],
      ),
  );
  return { analyzers };
}

export const ACCESS_ANALYZER_COLLECTOR: RegionalCollector<AccessAnalyzerInventory> = {
  service: 'access-analyzer',
  collect: collectAccessAnalyzer,
  unreadable: (error) => ({ analyzers: { items: [], error } }),
};
