/**
 * GuardDuty.1: GuardDuty is enabled (a detector with status ENABLED) in each scanned region.
 */
import { defineCheck, regionsOf, type CheckMetadata } from './types';

const SH_DOCS = 'https://docs.aws.amazon.com/securityhub/latest/userguide/guardduty-controls.html';

const guardDuty_1: CheckMetadata = {
  id: 'GuardDuty.1',
  title: 'GuardDuty should be enabled',
  severity: 'high',
  securityHubId: 'GuardDuty.1',
  resourceType: 'AWS::::Account',
  reads: ['guardduty:ListDetectors', 'guardduty:GetDetector'],
  docs: `${SH_DOCS}#guardduty-1`,
  remediation: {
    desc: 'Enable GuardDuty in the region: `aws guardduty create-detector --enable --region <region>`, or resume a suspended detector with `aws guardduty update-detector --detector-id <id> --enable`.',
    references: [
      `${SH_DOCS}#guardduty-1`,
      'https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_settingup.html',
    ],
  },
  prowlerCheckIds: ['guardduty_is_enabled'],
};

export const guardDutyEnabled = defineCheck(guardDuty_1, (b, inv) => {
  for (const region of regionsOf(inv)) {
    const res = b.account(region.region);
    const listing = region.guardDuty.detectors;
    const enabled = listing.items.find((d) => d.status.ok && d.status.value === 'ENABLED');
    if (enabled) {
      b.pass(res, `GuardDuty is enabled in ${region.region} (detector ${enabled.id}).`);
      continue;
    }
    // Nothing enabled seen: any unreadable part may hide the enabled detector.
    const unread = listing.items.find((d) => !d.status.ok);
    if (listing.error) {
      b.error(res, `the GuardDuty detectors in ${region.region}`, listing.error);
    } else if (unread && !unread.status.ok) {
      b.error(res, `GuardDuty detector ${unread.id} in ${region.region}`, unread.status.error);
    } else if (listing.items.length === 0) {
      b.fail(res, `GuardDuty is not enabled in ${region.region} (no detector).`);
    } else {
      b.fail(
        res,
        `GuardDuty is not enabled in ${region.region}: detector ${listing.items.map((d) => `${d.id} is ${d.status.ok ? d.status.value : 'unknown'}`).join(', ')} (suspended).`,
      );
    }
  }
});

export const GUARD_DUTY_CHECKS = [guardDutyEnabled];
