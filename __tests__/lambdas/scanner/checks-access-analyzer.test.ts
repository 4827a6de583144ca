import { externalAccessAnalyzer } from '../../../lambdas/scanner/checks/access-analyzer';
import type { AnalyzerInventory } from '../../../lambdas/scanner/inventory/types';
import { ACCOUNT, collectionError, CONFIG, inventory, region } from './fixtures';

const analyzer = (name: string, type: string, status = 'ACTIVE'): AnalyzerInventory => ({
  name,
  arn: `arn:aws:access-analyzer:us-east-1:${ACCOUNT}:analyzer/${name}`,
  type,
  status,
});
const withAnalyzers = (name: string, ...items: AnalyzerInventory[]) =>
  region(name, { accessAnalyzer: { analyzers: { items } } });

describe('IAM.28 external access analyzer', () => {
  it.each<[string, string, AnalyzerInventory[]]>([
    ['an active account analyzer', 'PASS', [analyzer('a', 'ACCOUNT')]],
    ['an active organization analyzer', 'PASS', [analyzer('o', 'ORGANIZATION')]],
    ['no analyzer', 'FAIL', []],
    ['a disabled account analyzer', 'FAIL', [analyzer('a', 'ACCOUNT', 'DISABLED')]],
    [
      'only unused- and internal-access analyzers',
      'FAIL',
      [analyzer('u', 'ACCOUNT_UNUSED_ACCESS'), analyzer('i', 'ORGANIZATION_INTERNAL_ACCESS')],
    ],
  ])('a region with %s → %s', (_case, status, analyzers) => {
    // Act
    const findings = externalAccessAnalyzer.evaluate(
      inventory({ regions: [withAnalyzers('us-east-1', ...analyzers)] }),
      CONFIG,
    );

    // Assert
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      status,
      region: 'us-east-1',
      resource: { type: 'AWS::::Account', uid: `arn:aws:iam::${ACCOUNT}:root` },
      controlIds: ['IAM.28', 'CIS-5.0 1.19', 'CIS-3.0 1.20'],
    });
  });

  it('gives one finding per region and ERROR only for the region whose analyzers were unreadable', () => {
    // Arrange
    const error = collectionError('ListAnalyzers', {
      service: 'access-analyzer',
      region: 'eu-west-1',
    });
    const inv = inventory({
      regions: [
        withAnalyzers('us-east-1', analyzer('a', 'ACCOUNT')),
        region('eu-west-1', { accessAnalyzer: { analyzers: { items: [], error } } }),
        withAnalyzers('ap-south-1'),
      ],
    });

    // Act
    const findings = externalAccessAnalyzer.evaluate(inv, CONFIG);

    // Assert
    expect(findings.map((f) => [f.region, f.status])).toEqual([
      ['us-east-1', 'PASS'],
      ['eu-west-1', 'ERROR'],
      ['ap-south-1', 'FAIL'],
    ]);
    expect(findings[1]!.statusDetail).toContain('ListAnalyzers failed in eu-west-1');
    expect(new Set(findings.map((f) => f.uid)).size).toBe(3);
  });

  it('passes on an active analyzer read before the listing failed', () => {
    const error = collectionError('ListAnalyzers', { service: 'access-analyzer' });
    const inv = inventory({
      regions: [
        region('us-east-1', {
          accessAnalyzer: { analyzers: { items: [analyzer('a', 'ACCOUNT')], error } },
        }),
      ],
    });
    expect(externalAccessAnalyzer.evaluate(inv, CONFIG).map((f) => f.status)).toEqual(['PASS']);
  });
});
