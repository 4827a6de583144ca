import {
  judgeEncryption,
  isAwsManagedAlias,
  keyRegion,
  parseParameters,
  type DefaultEncryption,
  type KeyFacts,
} from '../../../lambdas/config-rule-s3-encryption/rule';
import { MalformedEventError } from '../../../lambdas/shared/observability';

const KEY_ARN = 'arn:aws:kms:us-east-1:123456789012:key/1111aaaa-2222-bbbb-3333-cccc4444dddd';
const OTHER_KEY = 'arn:aws:kms:us-east-1:123456789012:key/9999ffff-0000-eeee-1111-dddd2222cccc';
const none: string[] = [];
const kms = (over: Partial<DefaultEncryption> = {}): DefaultEncryption => ({
  algorithm: 'aws:kms',
  kmsKeyId: KEY_ARN,
  bucketKeyEnabled: true,
  ...over,
});
const customer: KeyFacts = {
  kind: 'described',
  arn: KEY_ARN,
  manager: 'CUSTOMER',
  state: 'Enabled',
};

describe('judgeEncryption', () => {
  it('is COMPLIANT for SSE-KMS with an enabled customer-managed key', () => {
    // Act
    const result = judgeEncryption('b1', kms(), customer, none);

    // Assert
    expect(result).toEqual({
      complianceType: 'COMPLIANT',
      annotation: `Bucket b1 uses aws:kms with customer-managed key ${KEY_ARN}.`,
    });
  });

  it('is COMPLIANT for DSSE-KMS with a customer-managed key', () => {
    expect(
      judgeEncryption('b1', kms({ algorithm: 'aws:kms:dsse' }), customer, none).complianceType,
    ).toBe('COMPLIANT');
  });

  it('is NON_COMPLIANT for an AWS managed key (KeyManager AWS)', () => {
    // Arrange
    const awsKey: KeyFacts = { kind: 'described', arn: KEY_ARN, manager: 'AWS', state: 'Enabled' };

    // Act
    const result = judgeEncryption('b1', kms(), awsKey, none);

    // Assert
    expect(result.complianceType).toBe('NON_COMPLIANT');
    expect(result.annotation).toContain('which is AWS managed');
  });

  it.each([
    ['no default encryption', null, 'has no default encryption'],
    ['SSE-S3', { algorithm: 'AES256' }, 'default encryption is AES256'],
    ['no key id', kms({ kmsKeyId: undefined }), 'AWS managed key aws/s3 (no KMSMasterKeyID)'],
    ['the aws/s3 alias', kms({ kmsKeyId: 'alias/aws/s3' }), 'AWS managed key alias/aws/s3'],
  ])('is NON_COMPLIANT with %s', (_name, enc, text) => {
    // Act
    const result = judgeEncryption('b1', enc as DefaultEncryption | null, undefined, none);

    // Assert
    expect(result.complianceType).toBe('NON_COMPLIANT');
    expect(result.annotation).toContain(text);
  });

  it('cannot verify a key whose DescribeKey is denied and says so', () => {
    expect(judgeEncryption('b1', kms(), { kind: 'denied' }, none)).toEqual({
      complianceType: 'NON_COMPLIANT',
      annotation: expect.stringContaining(`cannot verify key ${KEY_ARN}`),
    });
  });

  it('is NON_COMPLIANT for a missing or pending-deletion key', () => {
    expect(judgeEncryption('b1', kms(), { kind: 'not-found' }, none).annotation).toContain(
      'does not exist',
    );
    expect(
      judgeEncryption('b1', kms(), { ...customer, state: 'PendingDeletion' }, none).annotation,
    ).toContain('which is PendingDeletion');
  });

  it('enforces the kmsKeyArns allow-list on the resolved key ARN', () => {
    // Arrange
    const viaAlias = kms({ kmsKeyId: 'arn:aws:kms:us-east-1:123456789012:alias/data' });

    // Act / Assert
    expect(judgeEncryption('b1', viaAlias, customer, [KEY_ARN]).complianceType).toBe('COMPLIANT');
    expect(judgeEncryption('b1', kms(), customer, [OTHER_KEY]).annotation).toContain(
      'not one of the allowed keys',
    );
  });
});

describe('helpers', () => {
  it('recognises AWS managed aliases, bare or as ARNs', () => {
    expect(isAwsManagedAlias('alias/aws/s3')).toBe(true);
    expect(isAwsManagedAlias('arn:aws:kms:eu-west-1:123456789012:alias/aws/s3')).toBe(true);
    expect(isAwsManagedAlias('arn:aws:kms:eu-west-1:123456789012:alias/awsome')).toBe(false);
    expect(isAwsManagedAlias(KEY_ARN)).toBe(false);
  });

  it('takes the key Region from an ARN, else the bucket Region', () => {
    expect(keyRegion('arn:aws:kms:eu-west-1:123456789012:key/abc', 'us-east-1')).toBe('eu-west-1');
    expect(keyRegion('1111aaaa-2222', 'us-east-2')).toBe('us-east-2');
  });

  it('parses and validates kmsKeyArns', () => {
    expect(parseParameters({})).toEqual({ kmsKeyArns: [] });
    expect(parseParameters({ kmsKeyArns: ` ${KEY_ARN} , ${OTHER_KEY}` })).toEqual({
      kmsKeyArns: [KEY_ARN, OTHER_KEY],
    });
    expect(() => parseParameters({ kmsKeyArns: 'alias/data' })).toThrow(MalformedEventError);
  });
});
