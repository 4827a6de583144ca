/** KMS collector (regional). */
import {
  DescribeKeyCommand,
  GetKeyPolicyCommand,
  GetKeyRotationStatusCommand,
  ListKeysCommand,
  type KeyMetadata,
} from '@aws-sdk/client-kms';
import { Collector } from '../../../lambdas/scanner/inventory/collector';
import { collectKms } from '../../../lambdas/scanner/inventory/kms';
import { logger } from '../../../lambdas/shared/observability';
import { awsError, clientRegion, mocks, resetMocks } from './aws-mocks';

const ACCOUNT = '123456789012';
const REGION = 'eu-west-1';
const collector = () => new Collector(ACCOUNT, 'aws', 4, async () => undefined);
const arn = (id: string) => `arn:aws:kms:${REGION}:${ACCOUNT}:key/${id}`;
const POLICY = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
      Action: 'kms:*',
      Resource: '*',
    },
  ],
};

beforeAll(() => logger.setLogLevel('SILENT'));
beforeEach(() => resetMocks());

/** DescribeKey answers per key id (customer managed symmetric by default). */
function describeKeys(keys: Record<string, Partial<KeyMetadata>>) {
  for (const [id, over] of Object.entries(keys)) {
    mocks.kms.on(DescribeKeyCommand, { KeyId: arn(id) }).resolves({
      KeyMetadata: {
        KeyId: id,
        Arn: arn(id),
        KeyManager: 'CUSTOMER',
        KeyState: 'Enabled',
        KeySpec: 'SYMMETRIC_DEFAULT',
        KeyUsage: 'ENCRYPT_DECRYPT',
        Origin: 'AWS_KMS',
        MultiRegion: false,
        ...over,
      },
    });
  }
  mocks.kms.on(ListKeysCommand).resolves({
    Keys: Object.keys(keys).map((id) => ({ KeyId: id, KeyArn: arn(id) })),
  });
}

describe('KMS collector', () => {
  it('pages through ListKeys and describes every key in its region', async () => {
    // Arrange
    describeKeys({ a: {}, b: {} });
    mocks.kms
      .on(ListKeysCommand)
      .resolvesOnce({ Keys: [{ KeyId: 'a', KeyArn: arn('a') }], Truncated: true, NextMarker: 'm2' })
      .resolvesOnce({ Keys: [{ KeyId: 'b', KeyArn: arn('b') }], Truncated: false });
    mocks.kms.on(GetKeyRotationStatusCommand).resolves({ KeyRotationEnabled: true });
    mocks.kms
      .on(GetKeyPolicyCommand)
      .resolves({ Policy: JSON.stringify(POLICY), PolicyName: 'default' });

    // Act
    const kms = await collectKms(collector(), REGION);

    // Assert
    expect(mocks.kms).toHaveReceivedNthSpecificCommandWith(2, ListKeysCommand, {
      Limit: 1000,
      Marker: 'm2',
    });
    expect(kms.keys.items.map((k) => k.id)).toEqual(['a', 'b']);
    expect(kms.keys.items[0]).toEqual({
      id: 'a',
      arn: arn('a'),
      metadata: {
        ok: true,
        value: {
          keyManager: 'CUSTOMER',
          keyState: 'Enabled',
          keySpec: 'SYMMETRIC_DEFAULT',
          keyUsage: 'ENCRYPT_DECRYPT',
          origin: 'AWS_KMS',
          multiRegion: false,
          deletionDate: undefined,
        },
      },
      rotationEnabled: { ok: true, value: true },
      policy: { ok: true, value: POLICY },
    });
    expect(mocks.kms).toHaveReceivedCommandWith(GetKeyPolicyCommand, {
      KeyId: arn('a'),
      PolicyName: 'default',
    });
    expect(await clientRegion(() => mocks.kms.call(0).thisValue)).toBe(REGION);
  });

  it('reads rotation only where it applies and policies only of customer managed keys', async () => {
    // Arrange
    describeKeys({
      aws: { KeyManager: 'AWS' },
      rsa: { KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' },
      hmac: { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' },
      imported: { Origin: 'EXTERNAL' },
      deleting: { KeyState: 'PendingDeletion', DeletionDate: new Date('2026-07-01') },
      plain: {},
    });
    mocks.kms.on(GetKeyRotationStatusCommand).resolves({ KeyRotationEnabled: false });
    mocks.kms.on(GetKeyPolicyCommand).resolves({ Policy: JSON.stringify(POLICY) });

    // Act
    const kms = await collectKms(collector(), REGION);

    // Assert
    expect(
      mocks.kms.commandCalls(GetKeyRotationStatusCommand).map((c) => c.args[0].input.KeyId),
    ).toEqual([arn('plain')]);
    expect(
      mocks.kms
        .commandCalls(GetKeyPolicyCommand)
        .map((c) => c.args[0].input.KeyId)
        .sort(),
    ).toEqual(['deleting', 'hmac', 'imported', 'plain', 'rsa'].map(arn));
    const byId = Object.fromEntries(kms.keys.items.map((k) => [k.id, k]));
    expect(byId.aws).toMatchObject({
      rotationEnabled: { ok: true, value: null },
      policy: { ok: true, value: null },
    });
    expect(byId.rsa!.rotationEnabled).toEqual({ ok: true, value: null });
    expect(byId.plain!.rotationEnabled).toEqual({ ok: true, value: false });
    expect(byId.deleting!.metadata).toMatchObject({
      ok: true,
      value: { keyState: 'PendingDeletion', deletionDate: '2026-07-01T00:00:00.000Z' },
    });
  });

  it('records AccessDenied on one key against that key only', async () => {
    // Arrange
    describeKeys({ denied: {}, seen: {} });
    mocks.kms
      .on(GetKeyRotationStatusCommand, { KeyId: arn('denied') })
      .rejects(awsError('AccessDeniedException'));
    mocks.kms
      .on(GetKeyRotationStatusCommand, { KeyId: arn('seen') })
      .resolves({ KeyRotationEnabled: true });
    mocks.kms.on(GetKeyPolicyCommand).resolves({ Policy: JSON.stringify(POLICY) });

    // Act
    const kms = await collectKms(collector(), REGION);

    // Assert
    const [denied, seen] = kms.keys.items;
    expect(denied!.rotationEnabled).toMatchObject({
      ok: false,
      error: {
        service: 'kms',
        region: REGION,
        operation: 'GetKeyRotationStatus',
        resourceUid: arn('denied'),
        kind: 'access-denied',
      },
    });
    expect(denied!.policy.ok).toBe(true);
    expect(seen!.rotationEnabled).toEqual({ ok: true, value: true });
  });

  it('carries a DescribeKey failure into the reads that depend on it', async () => {
    // Arrange
    mocks.kms.on(ListKeysCommand).resolves({ Keys: [{ KeyId: 'x', KeyArn: arn('x') }] });
    mocks.kms.on(DescribeKeyCommand).rejects(awsError('AccessDeniedException'));

    // Act
    const [key] = (await collectKms(collector(), REGION)).keys.items;

    // Assert
    expect(key!.metadata.ok).toBe(false);
    expect(key!.rotationEnabled).toEqual(key!.metadata);
    expect(key!.policy).toEqual(key!.metadata);
    expect(mocks.kms).not.toHaveReceivedCommand(GetKeyRotationStatusCommand);
    expect(mocks.kms).not.toHaveReceivedCommand(GetKeyPolicyCommand);
  });
});
