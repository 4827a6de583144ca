/**
 * GuardDuty collector, once per region: the account's detectors (ListDetectors, paginated; a
 * region has at most one) and each detector's status (GetDetector).
 *
 * IAM actions (resource scoping):
 * - `guardduty:ListDetectors` — resource `*` (no resource-level permissions)
 * - `guardduty:GetDetector` — detector ARNs, `arn:aws:guardduty:*:<account>:detector/*`
 */
import {
  GetDetectorCommand,
  GuardDutyClient,
  paginateListDetectors,
} from '@aws-sdk/client-guardduty';
import { awsClient } from '../../shared/clients';
import { Collector } from './collector';
import type { RegionalCollector } from './index';
import type { DetectorInventory, GuardDutyInventory } from './types';

/** ListDetectors returns at most 50 detector ids per page. */
const PAGE_SIZE = 50;

export async function collectGuardDuty(c: Collector, region: string): Promise<GuardDutyInventory> {
  const guardDuty = awsClient(GuardDutyClient, region);
  const listed = await c.list(
    { service: 'guardduty', region, operation: 'ListDetectors' },
    () => paginateListDetectors({ client: guardDuty, pageSize: PAGE_SIZE }, {}),
    (page) => page.DetectorIds,
  );
  const detectors = await c.each(listed.items, async (id): Promise<DetectorInventory> => {
    const arn = `arn:${c.partition}:guardduty:${region}:${c.account}:detector/${id}`;
    const status = await c.observe(
      { service: 'guardduty', region, operation: 'GetDetector', resourceUid: arn },
      async () => {
        const out = await guardDuty.send(new GetDetectorCommand({ DetectorId: id }));
        return out.Status ?? 'UNKNOWN';
      },
    );
    return { id, arn, status };
  });
  return { detectors: { items: detectors, error: listed.error } };
}

export const GUARD_DUTY_COLLECTOR: RegionalCollector<GuardDutyInventory> = {
  service: 'guardduty',
  collect: collectGuardDuty,
  unreadable: (error) => ({ detectors: { items: [], error } }),
};
