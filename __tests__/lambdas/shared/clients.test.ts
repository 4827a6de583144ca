import { S3Client } from '@aws-sdk/client-s3';
import {
  awsClient,
  configureClients,
  CONNECTION_TIMEOUT_MS,
  REQUEST_TIMEOUT_MS,
} from '../../../lambdas/shared/clients';

type Handler = { configProvider: Promise<Record<string, unknown>> };

describe('awsClient', () => {
  afterEach(() => configureClients({}));

  it('memoises one client per class and region', () => {
    expect(awsClient(S3Client, 'eu-west-1')).toBe(awsClient(S3Client, 'eu-west-1'));
    expect(awsClient(S3Client, 'eu-west-1')).not.toBe(awsClient(S3Client, 'us-east-1'));
  });

  it('sets socket timeouts and standard retry, so an unreachable endpoint fails instead of hanging', async () => {
    // Arrange / Act
    const client = awsClient(S3Client, 'ap-south-1');
    const handler = client.config.requestHandler as unknown as Handler;

    // Assert
    expect(await handler.configProvider).toMatchObject({
      connectionTimeout: CONNECTION_TIMEOUT_MS,
      requestTimeout: REQUEST_TIMEOUT_MS,
    });
    expect(await client.config.retryStrategy()).toMatchObject({ mode: 'standard' });
  });
});
