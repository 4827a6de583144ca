/**
 * Security Hub collector, once per region: whether the account is subscribed (DescribeHub).
 * "Not subscribed" answers (InvalidAccessException, ResourceNotFoundException) mean "not
 * enabled"; anything else (AccessDeniedException, throttling) stays an error.
 *
 * IAM actions (resource scoping):
 * - `securityhub:DescribeHub` — the region's hub, `arn:aws:securityhub:*:<account>:hub/default`
 */
import { DescribeHubCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { awsClient } from '../../shared/clients';
import { Collector } from './collector';
import type { RegionalCollector } from './index';
import type { SecurityHubInventory } from './types';

export async function collectSecurityHub(
  c: Collector,
  region: string,
): Promise<SecurityHubInventory> {
  const securityHub = awsClient(SecurityHubClient, region);
  const hub = await c.observe(
    { service: 'securityhub', region, operation: 'DescribeHub' },
    async () => {
      const out = await securityHub.send(new DescribeHubCommand({}));
      return out.HubArn ? { arn: out.HubArn, subscribedAt: out.SubscribedAt } : null;
    },
    { names: ['InvalidAccessException', 'ResourceNotFoundException'], value: null },
  );
  return { hub };
}

export const SECURITY_HUB_COLLECTOR: RegionalCollector<SecurityHubInventory> = {
  service: 'securityhub',
  collect: collectSecurityHub,
  unreadable: (error) => ({ hub: { ok: false, error } }),
};
