import { readFileSync } from 'node:fs';
import {
  isKnownRegion,
  KNOWN_REGIONS,
  partitionOfRegion,
  regionProblem,
  REGIONS_BY_PARTITION,
} from '../../../lambdas/shared/regions';

/** The AWS SDK's partition data (the same facts the SDK resolves endpoints from). */
function sdkPartitions(): Record<string, string[]> {
  const file = require
    .resolve('@aws-sdk/core/client')
    .replace(
      /dist-cjs\/submodules\/client\/index\.js$/,
      'dist-es/submodules/client/util-endpoints/lib/aws/partitions.js',
    );
  const text = readFileSync(file, 'utf8')
    .replace(/^export const partitionsInfo = /, '')
    .replace(/;\s*$/, '');
  const data = JSON.parse(text) as { partitions: { id: string; regions: object }[] };
  return Object.fromEntries(
    data.partitions.map((p) => [
      p.id,
      Object.keys(p.regions)
        .filter((r) => !r.startsWith('aws-'))
        .sort(),
    ]),
  );
}

describe('regions', () => {
  it('knows every region of every partition the installed AWS SDK knows', () => {
    const ours = Object.fromEntries(
      Object.entries(REGIONS_BY_PARTITION).map(([p, rs]) => [p, [...rs].sort()]),
    );
    expect(ours).toEqual(sdkPartitions());
  });

  it('tells the partition of a region', () => {
    expect(partitionOfRegion('eu-west-1')).toBe('aws');
    expect(partitionOfRegion('us-gov-west-1')).toBe('aws-us-gov');
    expect(partitionOfRegion('cn-north-1')).toBe('aws-cn');
    expect(partitionOfRegion('eu-west-9')).toBeUndefined();
    expect(KNOWN_REGIONS).toContain('us-east-1');
    expect(isKnownRegion('US-EAST-1')).toBe(false);
  });

  it.each([
    ['us-east-1', undefined],
    ['mars-1', 'use an AWS region code such as us-east-1'],
    [
      'eu-west-9',
      'not a known AWS region (known: eu-west-1, eu-west-2, eu-west-3); if AWS opened it recently, add it to lambdas/shared/regions.ts',
    ],
  ])('explains %s', (region, problem) => {
    expect(regionProblem(region)).toBe(problem);
  });
});
