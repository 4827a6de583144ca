import { GetDetectorCommand, ListDetectorsCommand } from '@aws-sdk/client-guardduty';
import { GetAccessPointCommand, ListAccessPointsCommand } from '@aws-sdk/client-s3-control';
import { DescribeHubCommand } from '@aws-sdk/client-securityhub';
import { Collector } from '../../../lambdas/scanner/inventory/collector';
import { collectGuardDuty } from '../../../lambdas/scanner/inventory/guardduty';
import { collectS3AccessPoints } from '../../../lambdas/scanner/inventory/s3-access-points';
import { collectSecurityHub } from '../../../lambdas/scanner/inventory/securityhub';
import { logger } from '../../../lambdas/shared/observability';
import { awsError, clientRegion, mocks, resetMocks } from './aws-mocks';

const ACCOUNT = '123456789012';
const collector = () => new Collector(ACCOUNT, 'aws', 4, async () => undefined);
const FULL = {
  BlockPublicAcls: true,
  IgnorePublicAcls: true,
  BlockPublicPolicy: true,
  RestrictPublicBuckets: true,
};

beforeAll(() => logger.setLogLevel('SILENT'));
beforeEach(() => resetMocks());

describe('S3 access points collector', () => {
  const apArn = (n: string) => `arn:aws:s3:eu-west-1:${ACCOUNT}:accesspoint/${n}`;

  it('paginates ListAccessPoints for the account and reads each access point in its region', async () => {
    // Arrange
    mocks.s3control
      .on(ListAccessPointsCommand)
      .resolvesOnce({
        AccessPointList: [
          { Name: 'ap1', Bucket: 'b1', NetworkOrigin: 'Internet', AccessPointArn: apArn('ap1') },
        ],
        NextToken: 't2',
      })
      .resolvesOnce({
        AccessPointList: [{ Name: 'ap2', Bucket: 'b2', NetworkOrigin: 'VPC' }],
      });
    mocks.s3control
      .on(GetAccessPointCommand, { Name: 'ap1' })
      .resolves({ PublicAccessBlockConfiguration: FULL });
    mocks.s3control.on(GetAccessPointCommand, { Name: 'ap2' }).resolves({
      PublicAccessBlockConfiguration: { ...FULL, RestrictPublicBuckets: false },
    });

    // Act
    const inv = await collectS3AccessPoints(collector(), 'eu-west-1');

    // Assert
    expect(mocks.s3control).toHaveReceivedNthSpecificCommandWith(1, ListAccessPointsCommand, {
      AccountId: ACCOUNT,
      MaxResults: 1000,
    });
    expect(mocks.s3control).toHaveReceivedNthSpecificCommandWith(2, ListAccessPointsCommand, {
      AccountId: ACCOUNT,
      MaxResults: 1000,
      NextToken: 't2',
    });
    expect(mocks.s3control).toHaveReceivedCommandWith(GetAccessPointCommand, {
      AccountId: ACCOUNT,
      Name: 'ap2',
    });
    expect(inv.accessPoints.items).toEqual([
      {
        name: 'ap1',
        arn: apArn('ap1'),
        bucket: 'b1',
        networkOrigin: 'Internet',
        publicAccessBlock: {
          ok: true,
          value: {
            blockPublicAcls: true,
            ignorePublicAcls: true,
            blockPublicPolicy: true,
            restrictPublicBuckets: true,
          },
        },
      },
      {
        name: 'ap2',
        // No ARN in the listing: built from region, account and name.
        arn: apArn('ap2'),
        bucket: 'b2',
        networkOrigin: 'VPC',
        publicAccessBlock: {
          ok: true,
          value: {
            blockPublicAcls: true,
            ignorePublicAcls: true,
            blockPublicPolicy: true,
            restrictPublicBuckets: false,
          },
        },
      },
    ]);
    const call = mocks.s3control.commandCalls(GetAccessPointCommand)[0]!;
    expect(await clientRegion(() => call.thisValue)).toBe('eu-west-1');
  });

  it('records AccessDenied on one access point against it only, and a failed listing', async () => {
    // Arrange
    mocks.s3control
      .on(ListAccessPointsCommand)
      .resolvesOnce({
        AccessPointList: [
          { Name: 'locked', Bucket: 'b', NetworkOrigin: 'Internet' },
          { Name: 'open', Bucket: 'b', NetworkOrigin: 'Internet' },
        ],
        NextToken: 't2',
      })
      .rejectsOnce(awsError('SlowDown'));
    mocks.s3control
      .on(GetAccessPointCommand, { Name: 'locked' })
      .rejects(awsError('AccessDenied', 'Access Denied'));
    mocks.s3control
      .on(GetAccessPointCommand, { Name: 'open' })
      .resolves({ PublicAccessBlockConfiguration: FULL });

    // Act
    const inv = await collectS3AccessPoints(collector(), 'eu-west-1');

    // Assert
    const [locked, open] = inv.accessPoints.items;
    expect(locked!.publicAccessBlock).toMatchObject({
      ok: false,
      error: { operation: 'GetAccessPoint', resourceUid: apArn('locked'), kind: 'access-denied' },
    });
    expect(open!.publicAccessBlock.ok).toBe(true);
    expect(inv.accessPoints.error).toMatchObject({
      operation: 'ListAccessPoints',
      code: 'SlowDown',
    });
  });
});

describe('Security Hub collector', () => {
  it('reads the hub of the region', async () => {
    // Arrange
    mocks.securityhub.on(DescribeHubCommand).resolves({
      HubArn: `arn:aws:securityhub:ap-south-1:${ACCOUNT}:hub/default`,
      SubscribedAt: '2025-01-01T00:00:00.000Z',
    });

    // Act
    const inv = await collectSecurityHub(collector(), 'ap-south-1');

    // Assert
    expect(inv.hub).toEqual({
      ok: true,
      value: {
        arn: `arn:aws:securityhub:ap-south-1:${ACCOUNT}:hub/default`,
        subscribedAt: '2025-01-01T00:00:00.000Z',
      },
    });
    const call = mocks.securityhub.commandCalls(DescribeHubCommand)[0]!;
    expect(await clientRegion(() => call.thisValue)).toBe('ap-south-1');
  });

  it.each(['InvalidAccessException', 'ResourceNotFoundException'])(
    'takes %s ("not subscribed") as not enabled',
    async (name) => {
      // Arrange
      mocks.securityhub
        .on(DescribeHubCommand)
        .rejects(awsError(name, `Account ${ACCOUNT} is not subscribed to AWS Security Hub`));
      const c = collector();

      // Act
      const inv = await collectSecurityHub(c, 'us-east-1');

      // Assert
      expect(inv.hub).toEqual({ ok: true, value: null });
      expect(c.errors).toEqual([]);
    },
  );

  it('keeps AccessDeniedException an error', async () => {
    // Arrange
    mocks.securityhub.on(DescribeHubCommand).rejects(awsError('AccessDeniedException'));

    // Act
    const inv = await collectSecurityHub(collector(), 'us-east-1');

    // Assert
    expect(inv.hub).toMatchObject({
      ok: false,
      error: { service: 'securityhub', operation: 'DescribeHub', kind: 'access-denied' },
    });
  });
});

describe('GuardDuty collector', () => {
  const detectorArn = (id: string) => `arn:aws:guardduty:eu-west-1:${ACCOUNT}:detector/${id}`;

  it('paginates ListDetectors and reads each detector status in its region', async () => {
    // Arrange
    mocks.guardduty
      .on(ListDetectorsCommand)
      .resolvesOnce({ DetectorIds: ['d1'], NextToken: 'n2' })
      .resolvesOnce({ DetectorIds: ['d2'] });
    mocks.guardduty
      .on(GetDetectorCommand, { DetectorId: 'd1' })
      .resolves({ ServiceRole: 'r', Status: 'DISABLED' });
    mocks.guardduty
      .on(GetDetectorCommand, { DetectorId: 'd2' })
      .resolves({ ServiceRole: 'r', Status: 'ENABLED' });

    // Act
    const inv = await collectGuardDuty(collector(), 'eu-west-1');

    // Assert
    expect(mocks.guardduty).toHaveReceivedNthSpecificCommandWith(2, ListDetectorsCommand, {
      MaxResults: 50,
      NextToken: 'n2',
    });
    expect(inv.detectors.items).toEqual([
      { id: 'd1', arn: detectorArn('d1'), status: { ok: true, value: 'DISABLED' } },
      { id: 'd2', arn: detectorArn('d2'), status: { ok: true, value: 'ENABLED' } },
    ]);
    const call = mocks.guardduty.commandCalls(GetDetectorCommand)[0]!;
    expect(await clientRegion(() => call.thisValue)).toBe('eu-west-1');
  });

  it('records AccessDenied on GetDetector against the detector, and an empty region as no detector', async () => {
    // Arrange
    mocks.guardduty
      .on(GetDetectorCommand)
      .rejects(awsError('AccessDeniedException', 'not authorized'));

    // Act
    const inv = await collectGuardDuty(collector(), 'eu-west-1');
    mocks.guardduty.on(ListDetectorsCommand).resolves({ DetectorIds: [] });
    const empty = await collectGuardDuty(collector(), 'eu-west-1');

    // Assert
    expect(inv.detectors.items[0]!.status).toMatchObject({
      ok: false,
      error: { operation: 'GetDetector', resourceUid: detectorArn('d1'), kind: 'access-denied' },
    });
    expect(empty.detectors).toEqual({ items: [] });
  });
});
