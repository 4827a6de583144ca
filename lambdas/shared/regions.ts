/**
 * The AWS regions this project knows, per partition: the one list both the stack's settings
 * (AWS_REGION, TF_STATE_REGION, SCAN_REGIONS at synth) and the Lambda code read. Update it here
 * when AWS opens a region; a test compares it with the AWS SDK's own partition data, so an SDK
 * upgrade that knows a new region fails until it is added.
 */

export const REGIONS_BY_PARTITION = {
  aws: [
    'af-south-1',
    'ap-east-1',
    'ap-east-2',
    'ap-northeast-1',
    'ap-northeast-2',
    'ap-northeast-3',
    'ap-south-1',
    'ap-south-2',
    'ap-southeast-1',
    'ap-southeast-2',
    'ap-southeast-3',
    'ap-southeast-4',
    'ap-southeast-5',
    'ap-southeast-6',
    'ap-southeast-7',
    'ca-central-1',
    'ca-west-1',
    'eu-central-1',
    'eu-central-2',
    'eu-north-1',
    'eu-south-1',
    'eu-south-2',
    'eu-west-1',
    'eu-west-2',
    'eu-west-3',
    'il-central-1',
    'me-central-1',
    'me-south-1',
    'me-west-1',
    'mx-central-1',
    'sa-east-1',
    'sa-west-1',
    'us-east-1',
    'us-east-2',
    'us-west-1',
    'us-west-2',
  ],
  'aws-cn': ['cn-north-1', 'cn-northwest-1'],
  'aws-us-gov': ['us-gov-east-1', 'us-gov-west-1'],
  'aws-eusc': ['eusc-de-east-1'],
  'aws-iso': ['us-iso-east-1', 'us-iso-west-1'],
  'aws-iso-b': ['us-isob-east-1', 'us-isob-west-1'],
  'aws-iso-e': ['eu-isoe-west-1'],
  'aws-iso-f': ['us-isof-east-1', 'us-isof-south-1'],
} as const satisfies Record<string, readonly string[]>;

export type Partition = keyof typeof REGIONS_BY_PARTITION;

const PARTITION_OF: ReadonlyMap<string, Partition> = new Map(
  (Object.entries(REGIONS_BY_PARTITION) as [Partition, readonly string[]][]).flatMap(
    ([partition, regions]) => regions.map((r) => [r, partition] as const),
  ),
);

/** Every known region code, sorted. */
export const KNOWN_REGIONS: readonly string[] = [...PARTITION_OF.keys()].sort();

export function isKnownRegion(region: string): boolean {
  return PARTITION_OF.has(region);
}

/** The partition of a known region (`aws`, `aws-cn`, `aws-us-gov`, …), or undefined. */
export function partitionOfRegion(region: string): Partition | undefined {
  return PARTITION_OF.get(region);
}

/**
 * The partition of any region name: the list's answer for a known region, else by its prefix, so a
 * region newer than the list still gets the right ARNs at run time.
 */
export function partitionOf(region: string): string {
  const known = partitionOfRegion(region);
  if (known) return known;
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/** A sentence for an error message: why `region` is not accepted, or undefined when it is. */
export function regionProblem(region: string): string | undefined {
  if (isKnownRegion(region)) return undefined;
  if (!/^[a-z]{2,4}(-[a-z]+)+-\d+$/.test(region)) return 'use an AWS region code such as us-east-1';
  const near = KNOWN_REGIONS.filter((r) => r.replace(/\d+$/, '') === region.replace(/\d+$/, ''));
  return `not a known AWS region${near.length ? ` (known: ${near.join(', ')})` : ''}; if AWS opened it recently, add it to lambdas/shared/regions.ts`;
}
