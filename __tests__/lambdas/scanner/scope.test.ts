import { DescribeRegionsCommand } from '@aws-sdk/client-ec2';
import { resolveScope } from '../../../lambdas/scanner/scope';
import { logger } from '../../../lambdas/shared/observability';
import { awsError, clientRegion, mocks, resetMocks } from './aws-mocks';

beforeAll(() => logger.setLogLevel('SILENT'));
beforeEach(() => resetMocks());

describe('resolveScope', () => {
  it('takes every enabled region by default, asking the home region for all regions', async () => {
    // Act
    const scope = await resolveScope('us-east-1', undefined);

    // Assert
    expect(scope).toEqual({
      regions: ['eu-west-1', 'us-east-1'],
      notScanned: [],
      basis: 'every region enabled for the account (2)',
    });
    const call = mocks.ec2.commandCalls(DescribeRegionsCommand)[0]!;
    expect(call.args[0].input).toEqual({ AllRegions: true });
    expect(await clientRegion(() => call.thisValue)).toBe('us-east-1');
  });

  it('keeps the requested regions that are enabled, in order, once each', async () => {
    const scope = await resolveScope('us-east-1', [
      'us-east-1',
      'af-south-1',
      'us-east-1',
      'xx-fake-1',
      'eu-west-1',
    ]);
    expect(scope.regions).toEqual(['us-east-1', 'eu-west-1']);
    expect(scope.notScanned).toEqual([
      { region: 'af-south-1', reason: 'not enabled for the account (opt-in status not-opted-in)' },
      { region: 'xx-fake-1', reason: 'not a region of this partition (ec2:DescribeRegions)' },
    ]);
  });

  it('counts opted-in regions as enabled', async () => {
    mocks.ec2.on(DescribeRegionsCommand).resolves({
      Regions: [
        { RegionName: 'us-east-1', OptInStatus: 'opt-in-not-required' },
        { RegionName: 'me-central-1', OptInStatus: 'opted-in' },
      ],
    });
    expect((await resolveScope('us-east-1', undefined)).regions).toEqual([
      'me-central-1',
      'us-east-1',
    ]);
  });

  it('scans the requested regions as given when DescribeRegions is denied, and says so', async () => {
    mocks.ec2.on(DescribeRegionsCommand).rejects(awsError('UnauthorizedOperation', 'no'));
    const scope = await resolveScope('us-east-1', ['eu-west-1']);
    expect(scope.regions).toEqual(['eu-west-1']);
    expect(scope.basis).toBe(
      'the requested regions, unverified: ec2:DescribeRegions failed (UnauthorizedOperation: no)',
    );
  });

  it('falls back to the home region, saying why, when the enabled regions cannot be listed', async () => {
    mocks.ec2.on(DescribeRegionsCommand).rejects(awsError('UnauthorizedOperation', 'no'));
    const scope = await resolveScope('eu-west-1', undefined);
    expect(scope.regions).toEqual(['eu-west-1']);
    expect(scope.basis).toContain('the home region only');
    expect(scope.basis).toContain('UnauthorizedOperation');
  });
});
