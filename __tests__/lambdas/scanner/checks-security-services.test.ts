import { guardDutyEnabled } from '../../../lambdas/scanner/checks/guardduty';
import { securityHubEnabled } from '../../../lambdas/scanner/checks/securityhub';
import type { DetectorInventory, RegionInventory } from '../../../lambdas/scanner/inventory/types';
import {
  ACCOUNT,
  collectionError,
  CONFIG,
  failed,
  inventory,
  ok,
  region,
  REGION,
  statusOf,
} from './fixtures';

function accountFinding(check: typeof securityHubEnabled, r: RegionInventory) {
  const inv = inventory({ regions: [r] });
  return statusOf(check.evaluate(inv, CONFIG), `arn:aws:iam::${ACCOUNT}:root`);
}

describe('SecurityHub.Enabled', () => {
  it.each<[string, RegionInventory['securityHub']['hub'], string]>([
    ['subscribed', ok({ arn: `arn:aws:securityhub:${REGION}:${ACCOUNT}:hub/default` }), 'PASS'],
    ['not subscribed', ok(null), 'FAIL'],
    [
      'DescribeHub denied',
      failed('DescribeHub', { service: 'securityhub', code: 'AccessDeniedException' }),
      'ERROR',
    ],
  ])('%s → %s', (_label, hub, expected) => {
    const f = accountFinding(securityHubEnabled, region(REGION, { securityHub: { hub } }));
    expect(f.status).toBe(expected);
    expect(f.resource).toMatchObject({ type: 'AWS::::Account', region: REGION });
  });

  it('maps to CIS v5.0 4.16 under its own id, one finding per region', () => {
    const inv = inventory({
      regions: [region('us-east-1'), region('eu-west-1', { securityHub: { hub: ok(null) } })],
    });
    const findings = securityHubEnabled.evaluate(inv, CONFIG);
    expect(findings.map((f) => [f.region, f.status])).toEqual([
      ['us-east-1', 'PASS'],
      ['eu-west-1', 'FAIL'],
    ]);
    expect(securityHubEnabled.controlIds).toEqual(['CIS-5.0 4.16']);
    expect(securityHubEnabled.securityHubId).toBeUndefined();
  });
});

describe('GuardDuty.1', () => {
  const detector = (id: string, status: DetectorInventory['status']): DetectorInventory => ({
    id,
    arn: `arn:aws:guardduty:${REGION}:${ACCOUNT}:detector/${id}`,
    status,
  });

  it.each<[string, RegionInventory['guardDuty']['detectors'], string]>([
    ['an enabled detector', { items: [detector('d1', ok('ENABLED'))] }, 'PASS'],
    ['a suspended detector', { items: [detector('d1', ok('DISABLED'))] }, 'FAIL'],
    ['no detector', { items: [] }, 'FAIL'],
    [
      'a detector whose status could not be read',
      { items: [detector('d1', failed('GetDetector', { service: 'guardduty' }))] },
      'ERROR',
    ],
    [
      'a listing that failed',
      { items: [], error: collectionError('ListDetectors', { service: 'guardduty' }) },
      'ERROR',
    ],
  ])('%s → %s', (_label, detectors, expected) => {
    const f = accountFinding(guardDutyEnabled, region(REGION, { guardDuty: { detectors } }));
    expect(f.status).toBe(expected);
  });

  it('says a suspended detector is suspended', () => {
    const f = accountFinding(
      guardDutyEnabled,
      region(REGION, { guardDuty: { detectors: { items: [detector('d1', ok('DISABLED'))] } } }),
    );
    expect(f.statusDetail).toBe(
      `GuardDuty is not enabled in ${REGION}: detector d1 is DISABLED (suspended).`,
    );
  });
});
