/**
 * Remediation never changes a bucket that AWS services deliver logs into (S3 server access logs,
 * ELB access logs, vended logs, CloudTrail, Config): such a bucket is `skipped-log-delivery` with
 * the grant that shows it, in dry-run and enforce alike, and does not count against the cap.
 */
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { KMSClient } from '@aws-sdk/client-kms';
import { GetBucketPolicyCommand, PutBucketEncryptionCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../../lambdas/remediation/handler';
import {
  LOG_DELIVERY_GROUP,
  logDeliveryInAcl,
  logDeliveryInPolicy,
} from '../../../lambdas/remediation/log-delivery';
import type { RemediationCompletedDetail } from '../../../lambdas/shared/events';
import { fakeContext } from '../../helpers/lambda-context';
import {
  AUDIT_BUCKET,
  configEvent,
  s3World,
  scanEvent,
  usableAccount,
  type BucketState,
  publishedDetail,
  putFindings,
} from './fixtures';

const s3 = mockClient(S3Client);
const kms = mockClient(KMSClient);
const events = mockClient(EventBridgeClient);
const context = fakeContext('remediation-log-delivery-test');
const savedEnv = { ...process.env };

const allow = (principal: object, resource = 'arn:aws:s3:::logs/*', action = 's3:PutObject') => ({
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'DenyInsecureTransport',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: resource,
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    },
    { Effect: 'Allow', Principal: principal, Action: action, Resource: resource },
  ],
});

const published = (): RemediationCompletedDetail => publishedDetail(events);

beforeEach(() => usableAccount({ s3, kms, events }, savedEnv));

afterAll(() => {
  process.env = savedEnv;
});

describe('remediation skips log-delivery buckets', () => {
  it.each<[string, BucketState, string]>([
    [
      'S3 server access logs (bucket policy)',
      { policy: allow({ Service: 'logging.s3.amazonaws.com' }) },
      'bucket policy lets logging.s3.amazonaws.com write (S3 server access logs)',
    ],
    [
      'ELB access logs (regional ELB account)',
      { policy: allow({ AWS: 'arn:aws:iam::127311923021:root' }) },
      'bucket policy lets Elastic Load Balancing account 127311923021 write (ELB access logs)',
    ],
    [
      'ELB access logs (service principal of newer regions)',
      { policy: allow({ Service: ['logdelivery.elasticloadbalancing.amazonaws.com'] }) },
      'bucket policy lets logdelivery.elasticloadbalancing.amazonaws.com write (ELB access logs)',
    ],
    [
      'vended logs',
      { policy: allow({ Service: 'delivery.logs.amazonaws.com' }) },
      'bucket policy lets delivery.logs.amazonaws.com write (CloudWatch vended logs (VPC flow logs, CloudFront, Route 53, WAF, Network Firewall …))',
    ],
    [
      'another account writing under AWSLogs/',
      { policy: allow({ AWS: '111122223333' }, 'arn:aws:s3:::logs/AWSLogs/*') },
      'bucket policy lets others write to arn:aws:s3:::logs/AWSLogs/* (AWS log delivery)',
    ],
    [
      'the LogDelivery group (ACL)',
      { grants: [{ Grantee: { Type: 'Group', URI: LOG_DELIVERY_GROUP }, Permission: 'WRITE' }] },
      'ACL grants WRITE to the S3 LogDelivery group (S3 server access logs)',
    ],
  ])('leaves a bucket receiving %s as it is, in enforce mode', async (_, state, reason) => {
    // Arrange
    s3World(s3, { logs: { ...state } });

    // Act
    await handler(configEvent('logs'), context);

    // Assert
    expect(s3).toHaveReceivedCommandTimes(PutBucketEncryptionCommand, 0);
    expect(published().decisions).toEqual([
      { bucket: 'logs', decision: 'skipped-log-delivery', reason },
    ]);
    expect(published().counts['skipped-log-delivery']).toBe(1);
  });

  it('does not count skipped log buckets against the cap, and says the same in dry-run', async () => {
    // Arrange
    process.env.REMEDIATION_MAX_PER_RUN = '1';
    process.env.REMEDIATION_MODE = 'dry-run';
    putFindings(s3, 'access-logs', 'orders');
    s3World(s3, {
      'access-logs': { policy: allow({ Service: 'logging.s3.amazonaws.com' }) },
      orders: { policy: allow({ AWS: 'arn:aws:iam::123456789012:role/app' }) },
      [AUDIT_BUCKET]: {},
    });

    // Act
    await handler(scanEvent(), context);

    // Assert
    expect(published().decisions.map((d) => [d.bucket, d.decision])).toEqual([
      ['access-logs', 'skipped-log-delivery'],
      ['orders', 'would-remediate'],
    ]);
  });

  it('changes nothing when it cannot read the bucket policy, and records why', async () => {
    // Arrange
    s3World(s3, { logs: { policyError: 'AccessDenied' } });

    // Act
    await handler(configEvent('logs'), context);

    // Assert
    expect(s3).toHaveReceivedCommandWith(GetBucketPolicyCommand, { Bucket: 'logs' });
    expect(s3).toHaveReceivedCommandTimes(PutBucketEncryptionCommand, 0);
    expect(published().decisions).toEqual([
      { bucket: 'logs', decision: 'failed', reason: 'AccessDenied: Access Denied' },
    ]);
  });

  it('remediates a bucket whose policy grants only ordinary principals', async () => {
    // Arrange
    s3World(s3, { orders: { policy: allow({ AWS: 'arn:aws:iam::123456789012:role/app' }) } });

    // Act
    await handler(configEvent('orders'), context);

    // Assert
    expect(s3).toHaveReceivedCommandTimes(PutBucketEncryptionCommand, 1);
    expect(published().decisions[0].decision).toBe('remediated');
  });
});

describe('logDeliveryInPolicy / logDeliveryInAcl', () => {
  it('reads a single statement object and ignores Deny, "*" principals and other paths', () => {
    expect(
      logDeliveryInPolicy(
        JSON.stringify({
          Statement: { Effect: 'Allow', Principal: { Service: 'CloudTrail.amazonaws.com' } },
        }),
      ),
    ).toBe('bucket policy lets CloudTrail.amazonaws.com write (CloudTrail logs)');
    expect(
      logDeliveryInPolicy(
        JSON.stringify({
          Statement: [
            { Effect: 'Deny', Principal: { Service: 'logging.s3.amazonaws.com' } },
            {
              Effect: 'Allow',
              Principal: '*',
              Action: 's3:GetObject',
              Resource: 'arn:aws:s3:::x/*',
            },
            {
              Effect: 'Allow',
              Principal: { AWS: '111122223333' },
              Action: 's3:GetObject',
              Resource: 'arn:aws:s3:::x/AWSLogs/*',
            },
          ],
        }),
      ),
    ).toBeUndefined();
    expect(logDeliveryInPolicy('not json')).toBeUndefined();
  });

  it('finds awslogsdelivery (CloudFront legacy logs) in an ACL', () => {
    expect(
      logDeliveryInAcl([
        {
          Grantee: {
            Type: 'CanonicalUser',
            ID: 'c4c1ede66af53448b93c283ce9448c4ba468c9432aa01d700d3878632f77d2d0',
          },
          Permission: 'FULL_CONTROL',
        },
      ]),
    ).toBe('ACL grants FULL_CONTROL to awslogsdelivery (CloudFront standard logs)');
    expect(logDeliveryInAcl([])).toBeUndefined();
  });
});
