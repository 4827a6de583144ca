/**
 * Which regions a scan covers. By default every region enabled for the account (EC2
 * DescribeRegions with AllRegions: regions that need no opt-in or are opted in); an explicit list
 * (a Scan Request's `regions`, else SCAN_REGIONS) narrows it. A requested region that is not a
 * region of the partition, or is not enabled for the account, is not scanned and is reported in
 * the coverage with the reason, so it yields no findings (in particular no PASS).
 *
 * When DescribeRegions itself fails, an explicit list is scanned as given (an unreachable region
 * then shows as failed in the coverage) and the default scope falls back to the home region, with
 * the reason in the coverage: the scan never silently covers less than it says.
 *
 * IAM actions: `ec2:DescribeRegions` — resource `*` (no resource-level permissions).
 */
import { DescribeRegionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { awsClient } from '../shared/clients';
import { errorMessage, errorName } from '../shared/errors';
import type { RegionNotScanned } from '../shared/events';
import { logger } from '../shared/observability';

/** Opt-in statuses of regions the account can use. */
const ENABLED = new Set(['opt-in-not-required', 'opted-in']);

export interface ScanScope {
  /** Regions to scan, in the order requested (or DescribeRegions' order, sorted). */
  readonly regions: readonly string[];
  /** Requested regions that are not scanned, and why. */
  readonly notScanned: readonly RegionNotScanned[];
  /** How the scope was chosen, for the coverage report. */
  readonly basis: string;
}

/** Every region of the partition with its opt-in status, from the home region's EC2 endpoint. */
async function describeRegions(homeRegion: string): Promise<Map<string, string>> {
  const out = await awsClient(EC2Client, homeRegion).send(
    new DescribeRegionsCommand({ AllRegions: true }),
  );
  return new Map(
    (out.Regions ?? []).flatMap((r) => (r.RegionName ? [[r.RegionName, r.OptInStatus ?? '']] : [])),
  );
}

/**
 * The scan's regions. `requested` is the explicit list (request or SCAN_REGIONS), undefined for
 * "every enabled region".
 */
export async function resolveScope(
  homeRegion: string,
  requested: readonly string[] | undefined,
): Promise<ScanScope> {
  const wanted = requested ? [...new Set(requested)] : undefined;
  let known: Map<string, string>;
  try {
    known = await describeRegions(homeRegion);
  } catch (err) {
    const why = `ec2:DescribeRegions failed (${errorName(err)}: ${errorMessage(err)})`;
    logger.warn('Could not list the enabled regions', { error: why });
    if (wanted) {
      return {
        regions: wanted,
        notScanned: [],
        basis: `the requested regions, unverified: ${why}`,
      };
    }
    return {
      regions: [homeRegion],
      notScanned: [],
      basis: `the home region only: the enabled regions could not be listed (${why})`,
    };
  }

  const enabled = [...known].filter(([, status]) => ENABLED.has(status)).map(([name]) => name);
  if (!wanted) {
    return {
      regions: enabled.sort(),
      notScanned: [],
      basis: `every region enabled for the account (${enabled.length})`,
    };
  }
  const regions: string[] = [];
  const notScanned: RegionNotScanned[] = [];
  for (const region of wanted) {
    const status = known.get(region);
    if (status === undefined) {
      notScanned.push({ region, reason: 'not a region of this partition (ec2:DescribeRegions)' });
    } else if (!ENABLED.has(status)) {
      notScanned.push({
        region,
        reason: `not enabled for the account (opt-in status ${status})`,
      });
    } else {
      regions.push(region);
    }
  }
  return { regions, notScanned, basis: 'the requested regions that are enabled for the account' };
}
