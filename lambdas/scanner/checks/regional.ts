/**
 * Walking a regional listing: every item a check judges, region by region, plus one
 * service-level ERROR for each region whose listing was cut short (the items read are still
 * judged).
 */
import type { Inventory, Listed, RegionInventory } from '../inventory/types';
import { regionsOf, type FindingBuilder } from './types';

export interface ListingScope {
  /** ARN service of the scope pseudo-resource, e.g. `ec2`, `rds`, `elasticfilesystem`. */
  readonly service: string;
  /** Plural noun for messages, e.g. `EC2 instances`. */
  readonly what: string;
}

export function eachInRegions<T>(
  b: FindingBuilder,
  inv: Inventory,
  scope: ListingScope,
  listing: (region: RegionInventory) => Listed<T>,
  evaluate: (item: T, region: string) => void,
): void {
  for (const region of regionsOf(inv)) {
    const listed = listing(region);
    for (const item of listed.items) evaluate(item, region.region);
    b.listError(
      listed,
      b.scope(scope.service, region.region, `${scope.what} in ${region.region}`),
      `the ${scope.what} that were not listed`,
    );
  }
}
