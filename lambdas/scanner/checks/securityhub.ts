/**
 * SecurityHub.Enabled (CIS v5.0 4.16 "Ensure AWS Security Hub is enabled"): the account is
 * subscribed to Security Hub in each scanned region. Security Hub has no control for itself, so
 * the id and severity are ours (Prowler's securityhub_enabled rates it medium too).
 */
import { defineCheck, regionsOf, type CheckMetadata } from './types';

const SETUP_DOCS =
  'https://docs.aws.amazon.com/securityhub/latest/userguide/securityhub-settingup.html';

const securityHubEnabledMeta: CheckMetadata = {
  id: 'SecurityHub.Enabled',
  title: 'AWS Security Hub should be enabled (CIS 4.16; no Security Hub control)',
  severity: 'medium',
  cis: { v5: ['4.16'] },
  resourceType: 'AWS::::Account',
  reads: ['securityhub:DescribeHub'],
  docs: SETUP_DOCS,
  remediation: {
    desc: "Enable Security Hub in the region (`aws securityhub enable-security-hub --region <region>`), or from the organization's delegated administrator for every account.",
    references: [
      SETUP_DOCS,
      'https://docs.aws.amazon.com/config/latest/developerguide/securityhub-enabled.html',
    ],
  },
  prowlerCheckIds: ['securityhub_enabled'],
};

export const securityHubEnabled = defineCheck(securityHubEnabledMeta, (b, inv) => {
  for (const region of regionsOf(inv)) {
    const res = b.account(region.region);
    const hub = region.securityHub.hub;
    if (!hub.ok) b.error(res, `whether Security Hub is enabled in ${region.region}`, hub.error);
    else if (hub.value === null)
      b.fail(
        res,
        `Security Hub is not enabled in ${region.region} (the account is not subscribed).`,
      );
    else
      b.pass(
        res,
        `Security Hub is enabled in ${region.region} (hub ${hub.value.arn}${hub.value.subscribedAt ? `, since ${hub.value.subscribedAt}` : ''}).`,
      );
  }
});

export const SECURITY_HUB_CHECKS = [securityHubEnabled];
