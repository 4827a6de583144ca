import { keyDeletion, keyPolicyPublic, keyRotation } from '../../../lambdas/scanner/checks/kms';
import type { Check } from '../../../lambdas/scanner/checks/types';
import type { KmsKeyInventory, PolicyStatement } from '../../../lambdas/scanner/inventory/types';
import {
  ACCOUNT,
  collectionError,
  CONFIG,
  failed,
  inventory,
  kmsKey,
  ok,
  region,
  REGION,
  statusOf,
} from './fixtures';

function run(check: Check, ...keys: KmsKeyInventory[]) {
  const inv = inventory({ regions: [region(REGION, { kms: { keys: { items: keys } } })] });
  return check.evaluate(inv, CONFIG);
}
const statusFor = (check: Check, key: KmsKeyInventory) => statusOf(run(check, key), key.arn).status;

const AWS_MANAGED = kmsKey('aws-s3', {
  metadata: { keyManager: 'AWS' },
  rotationEnabled: ok(null),
  policy: ok(null),
});
const UNDESCRIBED: KmsKeyInventory = {
  ...kmsKey('hidden'),
  metadata: failed('DescribeKey', { service: 'kms' }),
  rotationEnabled: failed('DescribeKey', { service: 'kms' }),
  policy: failed('DescribeKey', { service: 'kms' }),
};

describe.each([keyDeletion, keyRotation, keyPolicyPublic])('$id', (check) => {
  it('does not judge AWS managed keys', () => {
    expect(run(check, AWS_MANAGED)).toEqual([]);
  });

  it('reports ERROR for the key DescribeKey failed on and for the keys a failed listing hid', () => {
    // Arrange
    const error = collectionError('ListKeys', { service: 'kms', kind: 'throttled' });
    const inv = inventory({
      regions: [region(REGION, { kms: { keys: { items: [UNDESCRIBED, kmsKey('seen')], error } } })],
    });

    // Act
    const findings = check.evaluate(inv, CONFIG);

    // Assert
    expect(findings.map((f) => [f.resource.name, f.status])).toEqual([
      ['hidden', 'ERROR'],
      ['seen', 'PASS'],
      ['KMS keys', 'ERROR'],
    ]);
    expect(findings[0]!.statusDetail).toContain('DescribeKey failed in us-east-1');
    expect(findings[2]!.resource.uid).toBe(`arn:aws:kms:${REGION}:${ACCOUNT}:*`);
  });
});

describe('KMS.3 keys scheduled for deletion', () => {
  it('fails a key pending deletion or pending replica deletion', () => {
    // Arrange
    const pending = kmsKey('pending', {
      metadata: { keyState: 'PendingDeletion', deletionDate: '2026-06-20T00:00:00.000Z' },
    });
    const primary = kmsKey('primary', { metadata: { keyState: 'PendingReplicaDeletion' } });

    // Act
    const f = statusOf(run(keyDeletion, pending), pending.arn);

    // Assert
    expect(f).toMatchObject({
      status: 'FAIL',
      statusDetail:
        'KMS key pending is scheduled for deletion (PendingDeletion, deleted on 2026-06-20T00:00:00.000Z).',
      resource: { type: 'AWS::KMS::Key', region: REGION, name: 'pending' },
      controlIds: ['KMS.3'],
    });
    expect(statusFor(keyDeletion, primary)).toBe('FAIL');
  });

  it('passes enabled and disabled keys', () => {
    expect(statusFor(keyDeletion, kmsKey('on'))).toBe('PASS');
    expect(statusFor(keyDeletion, kmsKey('off', { metadata: { keyState: 'Disabled' } }))).toBe(
      'PASS',
    );
  });
});

describe('KMS.4 key rotation', () => {
  it('passes a key with rotation on and fails one with rotation off (disabled keys too)', () => {
    const off = kmsKey('off', { rotationEnabled: ok(false) });
    const disabledOff = kmsKey('disabled', {
      metadata: { keyState: 'Disabled' },
      rotationEnabled: ok(false),
    });
    expect(statusFor(keyRotation, kmsKey('on'))).toBe('PASS');
    expect(statusOf(run(keyRotation, off), off.arn)).toMatchObject({
      status: 'FAIL',
      statusDetail: 'KMS key off does not have automatic key rotation enabled.',
      controlIds: ['KMS.4', 'CIS-5.0 3.6', 'CIS-3.0 3.6'],
    });
    expect(statusFor(keyRotation, disabledOff)).toBe('FAIL');
  });

  it.each([
    ['asymmetric', { keySpec: 'RSA_2048', keyUsage: 'SIGN_VERIFY' }],
    ['HMAC', { keySpec: 'HMAC_256', keyUsage: 'GENERATE_VERIFY_MAC' }],
    ['imported key material', { origin: 'EXTERNAL' }],
    ['CloudHSM key store', { origin: 'AWS_CLOUDHSM' }],
    ['external key store', { origin: 'EXTERNAL_KEY_STORE' }],
    ['pending deletion (KMS.3 reports it)', { keyState: 'PendingDeletion' }],
  ])('does not judge a key where rotation does not apply: %s', (_case, metadata) => {
    expect(run(keyRotation, kmsKey('k', { metadata, rotationEnabled: ok(null) }))).toEqual([]);
  });

  it('reports ERROR for the key whose rotation status was denied, others unaffected', () => {
    // Arrange
    const denied = kmsKey('denied', {
      rotationEnabled: failed('GetKeyRotationStatus', { service: 'kms' }),
    });
    const seen = kmsKey('seen', { rotationEnabled: ok(false) });

    // Act
    const findings = run(keyRotation, denied, seen);

    // Assert
    expect(statusOf(findings, denied.arn).status).toBe('ERROR');
    expect(statusOf(findings, denied.arn).statusDetail).toContain('GetKeyRotationStatus failed');
    expect(statusOf(findings, seen.arn).status).toBe('FAIL');
  });
});

describe('KMS.5 public key policies', () => {
  const withStatements = (id: string, ...Statement: PolicyStatement[]) =>
    kmsKey(id, { policy: ok({ Version: '2012-10-17', Statement }) });
  const everyone = (Condition?: PolicyStatement['Condition']): PolicyStatement => ({
    Sid: 'Everyone',
    Effect: 'Allow',
    Principal: { AWS: '*' },
    Action: ['kms:Encrypt', 'kms:Decrypt'],
    Resource: '*',
    ...(Condition ? { Condition } : {}),
  });

  it('passes a policy that names only the account', () => {
    expect(statusFor(keyPolicyPublic, kmsKey('own'))).toBe('PASS');
  });

  it('fails Principal "*" without a condition', () => {
    const key = withStatements('open', everyone());
    expect(statusOf(run(keyPolicyPublic, key), key.arn)).toMatchObject({
      status: 'FAIL',
      statusDetail:
        'The key policy of KMS key open allows everyone (principal "*" without a fixed account, organization or network condition) in statement(s) "Everyone".',
    });
  });

  it.each<[string, string, PolicyStatement['Condition']]>([
    [
      'kms:CallerAccount (as AWS managed keys use it)',
      'PASS',
      { StringEquals: { 'kms:CallerAccount': ACCOUNT } },
    ],
    ['a fixed organization', 'PASS', { StringEquals: { 'aws:PrincipalOrgID': 'o-abc123' } }],
    ['a wildcard organization', 'FAIL', { StringLike: { 'aws:PrincipalOrgID': 'o-*' } }],
    [
      'kms:ViaService alone',
      'FAIL',
      { StringEquals: { 'kms:ViaService': 'ec2.us-east-1.amazonaws.com' } },
    ],
    ['ForAllValues', 'FAIL', { 'ForAllValues:StringEquals': { 'aws:PrincipalOrgID': 'o-abc123' } }],
    ['a network as broad as 0.0.0.0/1', 'FAIL', { IpAddress: { 'aws:SourceIp': '0.0.0.0/1' } }],
  ])('Principal {"AWS": "*"} with %s → %s', (_case, status, condition) => {
    expect(statusFor(keyPolicyPublic, withStatements('k', everyone(condition)))).toBe(status);
  });

  it('reports ERROR for the key whose policy could not be read', () => {
    const hidden = kmsKey('hidden', { policy: failed('GetKeyPolicy', { service: 'kms' }) });
    const f = statusOf(run(keyPolicyPublic, hidden), hidden.arn);
    expect(f.status).toBe('ERROR');
    expect(f.statusDetail).toContain('GetKeyPolicy failed');
  });
});
