/** IAM Access Analyzer collector (regional), and IAM.28 over a scan of two regions. */
import { ListAnalyzersCommand } from '@aws-sdk/client-accessanalyzer';
import { externalAccessAnalyzer } from '../../../lambdas/scanner/checks/access-analyzer';
import { collectAccessAnalyzer } from '../../../lambdas/scanner/inventory/access-analyzer';
import { Collector } from '../../../lambdas/scanner/inventory/collector';
import { collectInventory } from '../../../lambdas/scanner/inventory/index';
import { logger } from '../../../lambdas/shared/observability';
import { awsError, clientRegion, mocks, resetMocks } from './aws-mocks';
import { CONFIG } from './fixtures';

const ACCOUNT = '123456789012';
const REGION = 'eu-west-1';
const collector = () => new Collector(ACCOUNT, 'aws', 4, async () => undefined);

beforeAll(() => logger.setLogLevel('SILENT'));
beforeEach(() => resetMocks());

describe('IAM Access Analyzer collector', () => {
  it('pages through ListAnalyzers in its region', async () => {
    // Arrange
    const analyzer = (name: string, type: string) => ({
      name,
      arn: `arn:aws:access-analyzer:${REGION}:${ACCOUNT}:analyzer/${name}`,
      type: type as 'ACCOUNT',
      status: 'ACTIVE' as const,
      createdAt: new Date('2025-01-01'),
    });
    mocks.accessAnalyzer
      .on(ListAnalyzersCommand)
      .resolvesOnce({ analyzers: [analyzer('unused', 'ACCOUNT_UNUSED_ACCESS')], nextToken: 't2' })
      .resolvesOnce({ analyzers: [analyzer('external', 'ACCOUNT')] });

    // Act
    const aa = await collectAccessAnalyzer(collector(), REGION);

    // Assert
    expect(mocks.accessAnalyzer).toHaveReceivedNthSpecificCommandWith(2, ListAnalyzersCommand, {
      nextToken: 't2',
    });
    expect(aa.analyzers.items.map((a) => [a.name, a.type, a.status])).toEqual([
      ['unused', 'ACCOUNT_UNUSED_ACCESS', 'ACTIVE'],
      ['external', 'ACCOUNT', 'ACTIVE'],
    ]);
    expect(await clientRegion(() => mocks.accessAnalyzer.call(0).thisValue)).toBe(REGION);
  });

  it('gives IAM.28 ERROR only for the region whose ListAnalyzers failed', async () => {
    // Arrange
    mocks.accessAnalyzer.on(ListAnalyzersCommand).callsFake(async (_input, getClient) => {
      if ((await clientRegion(getClient)) === 'eu-west-1') throw awsError('AccessDeniedException');
      return {
        analyzers: [
          {
            name: 'external',
            arn: 'arn:aws:access-analyzer:us-east-1:123456789012:analyzer/external',
            type: 'ACCOUNT',
            status: 'ACTIVE',
            createdAt: new Date('2025-01-01'),
          },
        ],
      };
    });

    // Act
    const inv = await collectInventory({
      scanId: 'scan',
      account: ACCOUNT,
      homeRegion: 'us-east-1',
      regions: ['us-east-1', 'eu-west-1'],
      observedAt: '2026-06-01T00:00:00.000Z',
      concurrency: 4,
      sleep: async () => undefined,
    });
    const findings = externalAccessAnalyzer.evaluate(inv, CONFIG);

    // Assert
    expect(findings.map((f) => [f.region, f.status])).toEqual([
      ['eu-west-1', 'ERROR'],
      ['us-east-1', 'PASS'],
    ]);
    expect(findings[0]!.statusDetail).toContain(
      'ListAnalyzers failed in eu-west-1 (AccessDeniedException',
    );
  });
});
