import {
  ConfigServiceClient,
  GetResourceConfigHistoryCommand,
  PutEvaluationsCommand,
} from '@aws-sdk/client-config-service';
import { DescribeKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { GetBucketEncryptionCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../../lambdas/config-rule-s3-encryption/handler';
import { fakeContext } from '../../helpers/lambda-context';
import {
  CAPTURE_TIME,
  RESULT_TOKEN,
  awsError,
  changeEvent,
  oversizedEvent,
  type RawItem,
} from '../shared/config-rule-fixtures';

const config = mockClient(ConfigServiceClient);
const kms = mockClient(KMSClient);
const s3 = mockClient(S3Client);

const KEY_ARN = 'arn:aws:kms:us-east-1:123456789012:key/1111aaaa-2222-bbbb-3333-cccc4444dddd';
const context = fakeContext('config-rule-s3-encryption-test');

function bucket(rules?: unknown[], over: Partial<RawItem> = {}): RawItem {
  return {
    resourceType: 'AWS::S3::Bucket',
    resourceId: 'data-bucket',
    ARN: 'arn:aws:s3:::data-bucket',
    configuration: { name: 'data-bucket' },
    supplementaryConfiguration: rules ? { ServerSideEncryptionConfiguration: { rules } } : {},
    ...over,
  };
}

const kmsRule = (kmsMasterKeyID: string | null, sseAlgorithm = 'aws:kms') => ({
  applyServerSideEncryptionByDefault: { sseAlgorithm, kmsMasterKeyID },
  bucketKeyEnabled: true,
});

function sentEvaluation() {
  return config.commandCalls(PutEvaluationsCommand)[0].args[0].input.Evaluations![0];
}

beforeEach(() => {
  config.reset();
  kms.reset();
  s3.reset();
  config.on(PutEvaluationsCommand).resolves({});
});

it('reports COMPLIANT for SSE-KMS with a customer-managed key', async () => {
  // Arrange
  kms.on(DescribeKeyCommand).resolves({
    KeyMetadata: { KeyId: 'k', Arn: KEY_ARN, KeyManager: 'CUSTOMER', KeyState: 'Enabled' },
  });

  // Act
  await handler(changeEvent(bucket([kmsRule(KEY_ARN)])), context);

  // Assert
  expect(kms).toHaveReceivedCommandWith(DescribeKeyCommand, { KeyId: KEY_ARN });
  expect(s3).not.toHaveReceivedCommand(GetBucketEncryptionCommand);
  expect(config).toHaveReceivedCommandWith(PutEvaluationsCommand, {
    Evaluations: [
      {
        ComplianceResourceType: 'AWS::S3::Bucket',
        ComplianceResourceId: 'data-bucket',
        ComplianceType: 'COMPLIANT',
        Annotation: `Bucket data-bucket uses aws:kms with customer-managed key ${KEY_ARN}.`,
        OrderingTimestamp: new Date(CAPTURE_TIME),
      },
    ],
    ResultToken: RESULT_TOKEN,
  });
});

it('reports NON_COMPLIANT when DescribeKey says the key is AWS managed', async () => {
  // Arrange
  kms.on(DescribeKeyCommand).resolves({
    KeyMetadata: { KeyId: 'k', Arn: KEY_ARN, KeyManager: 'AWS', KeyState: 'Enabled' },
  });

  // Act
  await handler(changeEvent(bucket([kmsRule(KEY_ARN)])), context);

  // Assert
  expect(sentEvaluation().ComplianceType).toBe('NON_COMPLIANT');
  expect(sentEvaluation().Annotation).toContain('AWS managed');
});

it('reports NON_COMPLIANT for the aws/s3 alias without calling KMS', async () => {
  // Act
  await handler(
    changeEvent(bucket([kmsRule('arn:aws:kms:us-east-1:123456789012:alias/aws/s3')])),
    context,
  );

  // Assert
  expect(kms).not.toHaveReceivedCommand(DescribeKeyCommand);
  expect(sentEvaluation().ComplianceType).toBe('NON_COMPLIANT');
});

it('reports NON_COMPLIANT for SSE-S3', async () => {
  // Act
  await handler(changeEvent(bucket([kmsRule(null, 'AES256')])), context);

  // Assert
  expect(kms).not.toHaveReceivedCommand(DescribeKeyCommand);
  expect(sentEvaluation()).toMatchObject({
    ComplianceType: 'NON_COMPLIANT',
    Annotation:
      'Bucket data-bucket default encryption is AES256; SSE-KMS or DSSE-KMS with a customer-managed key is required.',
  });
});

it('reads GetBucketEncryption when the item lacks the supplementary configuration', async () => {
  // Arrange
  s3.on(GetBucketEncryptionCommand).rejects(
    awsError('ServerSideEncryptionConfigurationNotFoundError'),
  );

  // Act
  await handler(changeEvent(bucket(undefined)), context);

  // Assert
  expect(s3).toHaveReceivedCommandWith(GetBucketEncryptionCommand, { Bucket: 'data-bucket' });
  expect(sentEvaluation()).toMatchObject({
    ComplianceType: 'NON_COMPLIANT',
    Annotation: expect.stringContaining('has no default encryption'),
  });
});

it('reports NON_COMPLIANT "cannot verify key" when DescribeKey is denied (cross-account key)', async () => {
  // Arrange
  const foreign = 'arn:aws:kms:us-east-1:210987654321:key/abcd';
  kms.on(DescribeKeyCommand).rejects(awsError('AccessDeniedException'));

  // Act
  await handler(changeEvent(bucket([kmsRule(foreign)])), context);

  // Assert
  expect(sentEvaluation()).toMatchObject({
    ComplianceType: 'NON_COMPLIANT',
    Annotation: expect.stringContaining(`cannot verify key ${foreign}`),
  });
});

it('applies the kmsKeyArns parameter', async () => {
  // Arrange
  kms.on(DescribeKeyCommand).resolves({
    KeyMetadata: { KeyId: 'k', Arn: KEY_ARN, KeyManager: 'CUSTOMER', KeyState: 'Enabled' },
  });
  const other = 'arn:aws:kms:us-east-1:123456789012:key/other';

  // Act
  await handler(
    changeEvent(bucket([kmsRule(KEY_ARN)]), { ruleParameters: { kmsKeyArns: other } }),
    context,
  );

  // Assert
  expect(sentEvaluation().ComplianceType).toBe('NON_COMPLIANT');
  expect(sentEvaluation().Annotation).toContain('not one of the allowed keys');
});

it('reports NOT_APPLICABLE for a deleted bucket without any S3 or KMS call', async () => {
  // Act
  await handler(
    changeEvent(
      bucket(undefined, { configurationItemStatus: 'ResourceDeleted', configuration: null }),
    ),
    context,
  );

  // Assert
  expect(s3).not.toHaveReceivedCommand(GetBucketEncryptionCommand);
  expect(kms).not.toHaveReceivedCommand(DescribeKeyCommand);
  expect(sentEvaluation().ComplianceType).toBe('NOT_APPLICABLE');
});

it('evaluates the history item of an oversized notification', async () => {
  // Arrange
  config.on(GetResourceConfigHistoryCommand).resolves({
    configurationItems: [
      {
        resourceType: 'AWS::S3::Bucket',
        resourceId: 'data-bucket',
        resourceName: 'data-bucket',
        awsRegion: 'us-east-1',
        configurationItemStatus: 'OK',
        configuration: '{"name":"data-bucket"}',
        supplementaryConfiguration: {
          ServerSideEncryptionConfiguration: JSON.stringify({ rules: [kmsRule(KEY_ARN)] }),
        },
      },
    ],
  });
  kms.on(DescribeKeyCommand).resolves({
    KeyMetadata: { KeyId: 'k', Arn: KEY_ARN, KeyManager: 'CUSTOMER', KeyState: 'Enabled' },
  });

  // Act
  await handler(oversizedEvent(bucket(undefined)), context);

  // Assert
  expect(config).toHaveReceivedCommandWith(GetResourceConfigHistoryCommand, {
    resourceType: 'AWS::S3::Bucket',
    resourceId: 'data-bucket',
    limit: 1,
  });
  expect(s3).not.toHaveReceivedCommand(GetBucketEncryptionCommand);
  expect(sentEvaluation().ComplianceType).toBe('COMPLIANT');
});

it('fails without sending an evaluation when KMS keeps throttling', async () => {
  // Arrange
  kms.on(DescribeKeyCommand).rejects(awsError('ThrottlingException', 'Rate exceeded'));

  // Act / Assert
  await expect(handler(changeEvent(bucket([kmsRule(KEY_ARN)])), context)).rejects.toThrow(
    'Rate exceeded',
  );
  expect(config).not.toHaveReceivedCommand(PutEvaluationsCommand);
});
