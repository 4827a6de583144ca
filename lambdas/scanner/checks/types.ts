/**
 * What a check is: metadata (mapped to Security Hub / CIS controls) plus a pure evaluation of the
 * inventory. Checks never call AWS. Each finding is PASS or FAIL for a resource, or ERROR when
 * the inventory says the data needed was not readable — for the resource when it is known, for
 * the service scope (region) otherwise.
 */
import {
  findingUid,
  type Finding,
  type FindingResource,
  type Severity,
} from '../../shared/findings';
import type { CollectionError, Inventory, Listed, Observed, Tags } from '../inventory/types';

export interface CheckConfig {
  /** Tag keys every taggable resource must carry. */
  readonly mandatoryTags: readonly string[];
  /** TCP ports that may be open to 0.0.0.0/0 or ::/0 without an EC2.18 failure. */
  readonly allowedOpenPorts: readonly number[];
  /** UDP ports that may be open to the world without an EC2.18 failure. @default none */
  readonly allowedOpenUdpPorts?: readonly number[];
  /** IAM.3: maximum age of an active access key. */
  readonly maxKeyAgeDays: number;
  /** IAM.22: maximum days a password or active key may go unused. */
  readonly maxUnusedDays: number;
}

/** CIS AWS Foundations Benchmark recommendation ids by version, as AWS's own mapping gives them. */
export interface CisIds {
  readonly v5?: readonly string[];
  readonly v3?: readonly string[];
}

/**
 * Everything a reader (and docs/checks.md) needs to know about a check, kept beside its code.
 */
export interface CheckMetadata {
  /** Registry id: the Security Hub control id when one exists, else our own `Service.Name`. */
  readonly id: string;
  readonly title: string;
  readonly severity: Severity;
  /** The AWS Security Hub control this check reproduces; absent when Security Hub has none. */
  readonly securityHubId?: string;
  /** CIS recommendations the check evaluates (per AWS's Security Hub mapping where one exists). */
  readonly cis?: CisIds;
  /** CloudFormation type of the evaluated resource (`AWS::::Account` for account settings). */
  readonly resourceType: string;
  /**
   * IAM actions of the API calls whose answers the check reads (a test checks the scanner's
   * policy grants each of them).
   */
  readonly reads: readonly string[];
  /** Documentation of the control (Security Hub's page, else the service's). */
  readonly docs: string;
  readonly remediation: { readonly desc: string; readonly references: readonly string[] };
  /** Prowler checks evaluating the same thing (for side-by-side comparison), where known. */
  readonly prowlerCheckIds?: readonly string[];
}

/** Finding `controlIds`: the Security Hub id first, then `CIS-5.0 x.y`, then `CIS-3.0 x.y`. */
export function controlIdsOf(meta: CheckMetadata): string[] {
  return [
    ...(meta.securityHubId ? [meta.securityHubId] : []),
    ...(meta.cis?.v5 ?? []).map((id) => `CIS-5.0 ${id}`),
    ...(meta.cis?.v3 ?? []).map((id) => `CIS-3.0 ${id}`),
  ];
}

export interface Check extends CheckMetadata {
  readonly controlIds: readonly string[];
  evaluate(inventory: Inventory, config: CheckConfig): Finding[];
}

/** Builds findings for one check against one inventory. */
export class FindingBuilder {
  readonly out: Finding[] = [];

  private readonly controlIds: readonly string[];

  constructor(
    private readonly check: CheckMetadata,
    private readonly inv: Inventory,
  ) {
    this.controlIds = controlIdsOf(check);
  }

  private add(resource: FindingResource, status: Finding['status'], statusDetail: string): void {
    this.out.push({
      uid: findingUid(this.check.id, this.inv.account, resource.region, resource.uid),
      checkId: this.check.id,
      controlIds: this.controlIds,
      title: this.check.title,
      severity: this.check.severity,
      status,
      statusDetail,
      resource,
      account: this.inv.account,
      region: resource.region,
      remediation: this.check.remediation,
      scanId: this.inv.scanId,
      observedAt: this.inv.observedAt,
    });
  }

  pass(resource: FindingResource, detail: string): void {
    this.add(resource, 'PASS', detail);
  }

  fail(resource: FindingResource, detail: string): void {
    this.add(resource, 'FAIL', detail);
  }

  /** ERROR for a resource (or scope) whose data the error hid. */
  error(resource: FindingResource, what: string, error: CollectionError): void {
    this.add(
      resource,
      'ERROR',
      `Could not evaluate ${what}: ${error.operation} failed in ${error.region} (${error.code}, ${error.kind}): ${error.message}`,
    );
  }

  /** The service-level ERROR for a listing cut short (items already read are evaluated anyway). */
  listError(listing: Listed<unknown>, scope: FindingResource, what: string): void {
    if (listing.error) this.error(scope, what, listing.error);
  }

  /** Pseudo-resource standing for everything of the check's type in a region (service-level ERROR). */
  scope(service: string, region: string, name: string): FindingResource {
    return {
      uid: `arn:${this.inv.partition}:${service}:${region}:${this.inv.account}:*`,
      type: this.check.resourceType,
      region,
      name,
    };
  }

  /** The account as a resource (`AWS::::Account`) in `region`. */
  account(region: string): FindingResource {
    return {
      uid: `arn:${this.inv.partition}:iam::${this.inv.account}:root`,
      type: 'AWS::::Account',
      region,
      name: this.inv.account,
    };
  }
}

export function resource(
  check: CheckMetadata,
  uid: string,
  region: string,
  name: string,
  tags?: Tags,
): FindingResource {
  return tags === undefined
    ? { uid, type: check.resourceType, region, name }
    : { uid, type: check.resourceType, region, name, tags };
}

/** Tags of an Observed tag set, or undefined when unreadable (for the finding's resource). */
export function tagsOf(tags: Observed<Tags>): Tags | undefined {
  return tags.ok ? tags.value : undefined;
}

export function defineCheck(
  metadata: CheckMetadata,
  evaluate: (b: FindingBuilder, inventory: Inventory, config: CheckConfig) => void,
): Check {
  return {
    ...metadata,
    controlIds: controlIdsOf(metadata),
    evaluate(inventory, config) {
      const b = new FindingBuilder(metadata, inventory);
      evaluate(b, inventory, config);
      return b.out;
    },
  };
}

/** Regions of the inventory in scan order (for deterministic finding order). */
export function regionsOf(inventory: Inventory) {
  return inventory.regions.flatMap((r) => {
    const region = inventory.byRegion[r];
    return region ? [region] : [];
  });
}

export const DAY_MS = 86_400_000;

/** Whole days between an ISO date and `now` (ISO). */
export function daysSince(iso: string, now: string): number {
  return Math.floor((Date.parse(now) - Date.parse(iso)) / DAY_MS);
}
