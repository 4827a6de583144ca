import { configRecorderOn } from '../../../lambdas/scanner/checks/config';
import type { ConfigRecorderInventory, Observed } from '../../../lambdas/scanner/inventory/types';
import { CONFIG, failed, inventory, ok, recorder, region, REGION } from './fixtures';

const recorders = (...list: ConfigRecorderInventory[]) =>
  ok<readonly ConfigRecorderInventory[]>(list);

function judge(...regions: [string, Observed<readonly ConfigRecorderInventory[]>][]) {
  const inv = inventory({
    regions: regions.map(([name, r]) => region(name, { config: { recorders: r } })),
  });
  return configRecorderOn.evaluate(inv, CONFIG);
}

describe('Config.1', () => {
  it.each([
    ['recording all types with the service-linked role', recorder('r'), 'PASS', 'service-linked'],
    [
      'last delivery Failure',
      recorder('r', { lastStatus: 'Failure' }),
      'FAIL',
      'last delivery status Failure',
    ],
    ['stopped', recorder('r', { recording: false }), 'FAIL', 'not recording'],
    [
      'selected resource types only',
      recorder('r', { allSupported: false, strategy: 'INCLUSION_BY_RESOURCE_TYPES' }),
      'FAIL',
      'INCLUSION_BY_RESOURCE_TYPES resource types',
    ],
    [
      'all types but some excluded',
      recorder('r', { allSupported: false, strategy: 'EXCLUSION_BY_RESOURCE_TYPES' }),
      'FAIL',
      'not all supported ones',
    ],
    [
      'a role of the account instead of the service-linked role',
      recorder('r', { roleArn: 'arn:aws:iam::123456789012:role/compliance-config-recorder' }),
      'FAIL',
      'not the service-linked AWSServiceRoleForConfig',
    ],
  ])('%s → %s', (_label, r, expected, detail) => {
    // Act
    const findings = judge([REGION, recorders(r)]);

    // Assert
    expect(findings).toEqual([
      expect.objectContaining({
        status: expected,
        checkId: 'Config.1',
        region: REGION,
        statusDetail: expect.stringContaining(detail),
      }),
    ]);
  });

  it('fails a region with only a service-linked recorder (another service owns it)', () => {
    const findings = judge([
      REGION,
      recorders(recorder('AWSConfigurationRecorderForSecurityHub', { serviceLinked: true })),
    ]);
    expect(findings[0]).toMatchObject({ status: 'FAIL' });
    expect(findings[0]!.statusDetail).toContain('No AWS Config recorder of the account');
  });

  it('is ERROR where the recorders cannot be read, and judges the other regions', () => {
    const findings = judge(
      [REGION, failed('DescribeConfigurationRecorders', { service: 'config' })],
      ['eu-west-1', recorders(recorder('r', { includeGlobalResourceTypes: false }))],
    );
    expect(findings.map((f) => [f.region, f.status])).toEqual([
      [REGION, 'ERROR'],
      ['eu-west-1', 'PASS'],
    ]);
  });

  it('needs IAM global resource types recorded in one region, and fails the home region when none does', () => {
    // Arrange: two healthy regions, neither recording global types
    const findings = judge(
      [REGION, recorders(recorder('r', { includeGlobalResourceTypes: false }))],
      ['eu-west-1', recorders(recorder('r', { includeGlobalResourceTypes: false }))],
    );

    // Assert
    expect(findings.map((f) => [f.region, f.status])).toEqual([
      [REGION, 'FAIL'],
      ['eu-west-1', 'PASS'],
    ]);
    expect(findings[0]!.statusDetail).toContain('global resource types');
  });

  it('accepts global types recorded in any one region', () => {
    const findings = judge(
      [REGION, recorders(recorder('r', { includeGlobalResourceTypes: false }))],
      ['eu-west-1', recorders(recorder('r'))],
    );
    expect(findings.map((f) => f.status)).toEqual(['PASS', 'PASS']);
  });

  it('evaluates every scanned region', () => {
    const findings = judge(
      [REGION, recorders(recorder('r'))],
      ['eu-west-1', recorders()],
      ['ap-south-1', recorders(recorder('r'))],
    );
    expect(findings.map((f) => [f.region, f.status])).toEqual([
      [REGION, 'PASS'],
      ['eu-west-1', 'FAIL'],
      ['ap-south-1', 'PASS'],
    ]);
  });
});
