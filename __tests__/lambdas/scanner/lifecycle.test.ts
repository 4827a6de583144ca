import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  startLifecycle,
  SUPPRESSIONS_CHECK_ID,
  type LifecycleOptions,
} from '../../../lambdas/scanner/lifecycle';
import { ChangeTracker } from '../../../lambdas/shared/changes';
import type { Finding } from '../../../lambdas/shared/findings';
import { SUPPRESSIONS_KEY } from '../../../lambdas/shared/store';
import { awsError, mocks, resetMocks } from './aws-mocks';

const BUCKET = 'audit';
const OPTIONS: LifecycleOptions = {
  scanId: 'scan-2',
  startedAt: '2026-06-02T00:00:00.000Z',
  account: '123456789012',
  homeRegion: 'us-east-1',
  partition: 'aws',
  previous: { scanId: 'scan-1', startedAt: '2026-06-01T00:00:00.000Z' },
  now: new Date('2026-06-02T00:00:00.000Z'),
};
const body = (text: string) => ({ Body: { transformToString: async () => text } as never });

function finding(uid: string, status: Finding['status'] = 'FAIL'): Finding {
  return {
    uid,
    checkId: 'S3.14',
    controlIds: ['S3.14'],
    title: 'Versioning',
    severity: 'low',
    status,
    statusDetail: 'x',
    resource: { uid: `arn:aws:s3:::${uid}`, type: 'AWS::S3::Bucket', region: 'us-east-1' },
    account: '123456789012',
    region: 'us-east-1',
    remediation: { desc: 'x', references: [] },
    scanId: 'scan-2',
    observedAt: OPTIONS.startedAt,
  };
}

function previousState(): string {
  const t = new ChangeTracker(undefined, {
    scanId: 'scan-1',
    startedAt: '2026-06-01T00:00:00.000Z',
  });
  t.apply(finding('logs-1'));
  return JSON.stringify(t.finish(['us-east-1']));
}

const s3 = () => new S3Client({ region: 'us-east-1' });

beforeEach(() => resetMocks());

describe('startLifecycle', () => {
  it('suppresses, then gives change states against the previous state, then saves the state', async () => {
    // Arrange
    mocks.s3.on(GetObjectCommand, { Key: SUPPRESSIONS_KEY }).resolves(
      body(
        JSON.stringify({
          source: 'suppressions.yaml',
          suppressions: [
            {
              id: 'logs',
              checks: ['S3.14'],
              resource: 'arn:aws:s3:::logs-*',
              reason: 'archive',
              owner: 'jane@example.com',
              expires: '2026-12-31',
            },
          ],
        }),
      ),
    );
    mocks.s3
      .on(GetObjectCommand, { Key: 'state/dt=2026-06-01/scan-1.json' })
      .resolves(body(previousState()));

    // Act
    const lifecycle = await startLifecycle(s3(), BUCKET, OPTIONS);
    const [batch] = [...lifecycle.batches([[finding('logs-1'), finding('other')]])];
    const state = await lifecycle.save(['us-east-1']);

    // Assert
    expect(batch!.map((f) => [f.uid, f.status, f.change, f.firstSeen])).toEqual([
      ['logs-1', 'SUPPRESSED', 'still-failing', '2026-06-01T00:00:00.000Z'],
      ['other', 'FAIL', 'new', '2026-06-02T00:00:00.000Z'],
    ]);
    expect(batch![0]!.suppression).toMatchObject({ id: 'logs', owner: 'jane@example.com' });
    expect(mocks.s3).toHaveReceivedCommandWith(PutObjectCommand, {
      Bucket: BUCKET,
      Key: 'state/dt=2026-06-02/scan-2.json',
    });
    expect(state.previousScanId).toBe('scan-1');
    expect(state.history.at(-1)).toMatchObject({ suppressed: 1, new: 1 });
  });

  it.each([
    [
      'missing',
      () => mocks.s3.on(GetObjectCommand, { Key: SUPPRESSIONS_KEY }).rejects(awsError('NoSuchKey')),
      'does not exist',
    ],
    [
      'denied',
      () =>
        mocks.s3.on(GetObjectCommand, { Key: SUPPRESSIONS_KEY }).rejects(awsError('AccessDenied')),
      'could not be read (AccessDenied',
    ],
    [
      'malformed',
      () =>
        mocks.s3
          .on(GetObjectCommand, { Key: SUPPRESSIONS_KEY })
          .resolves(body('{"suppressions":[{"id":"x"}]}')),
      'is not a valid suppressions object',
    ],
  ])(
    'turns a %s suppressions object into one ERROR finding and suppresses nothing',
    async (_label, arrange, why) => {
      // Arrange
      arrange();

      // Act
      const lifecycle = await startLifecycle(s3(), BUCKET, OPTIONS);
      const out = [...lifecycle.batches([[finding('logs-1')]])].flat();

      // Assert
      expect(out.map((f) => [f.checkId, f.status])).toEqual([
        ['S3.14', 'FAIL'],
        [SUPPRESSIONS_CHECK_ID, 'ERROR'],
      ]);
      expect(out[1]!.statusDetail).toContain(why);
      expect(out[1]!.resource.uid).toBe(`arn:aws:s3:::${BUCKET}/${SUPPRESSIONS_KEY}`);
    },
  );

  it('starts afresh when the previous state is missing or not JSON, and throws when it cannot be read', async () => {
    mocks.s3.on(GetObjectCommand, { Key: 'state/dt=2026-06-01/scan-1.json' }).resolves(body('{x'));
    const fresh = await startLifecycle(s3(), BUCKET, OPTIONS);
    expect(fresh.apply(finding('logs-1')).change).toBe('new');

    mocks.s3
      .on(GetObjectCommand, { Key: 'state/dt=2026-06-01/scan-1.json' })
      .rejects(awsError('AccessDenied'));
    await expect(startLifecycle(s3(), BUCKET, OPTIONS)).rejects.toThrow('AccessDenied');
  });
});
