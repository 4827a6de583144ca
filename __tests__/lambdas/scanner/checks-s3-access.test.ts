import { kmsEncryption } from '../../../lambdas/scanner/checks/s3';
import {
  aclsNotUsed,
  crossAccountActions,
  serverAccessLogging,
} from '../../../lambdas/scanner/checks/s3-access';
import { accessPointPublicAccessBlock } from '../../../lambdas/scanner/checks/s3-access-points';
import { customerManagedKey } from '../../../lambdas/scanner/checks/s3-customer-key';
import { ALL_USERS } from '../../../lambdas/scanner/checks/s3-policy';
import type { Check } from '../../../lambdas/scanner/checks/types';
import type {
  AccessPointInventory,
  BucketInventory,
  PolicyDocument,
} from '../../../lambdas/scanner/inventory/types';
import { judgeEncryption } from '../../../lambdas/shared/s3-default-encryption';
import {
  ACCOUNT,
  bucket,
  collectionError,
  CONFIG,
  failed,
  FULL_BLOCK,
  inventory,
  ok,
  region,
  REGION,
  statusOf,
} from './fixtures';

function run(check: Check, b: BucketInventory, others: BucketInventory[] = []) {
  const inv = inventory({ s3: { buckets: { items: [b, ...others] } } });
  return statusOf(check.evaluate(inv, CONFIG), b.arn);
}

const grantTo = (principal: unknown, action: string | string[], extra = {}): PolicyDocument => ({
  Statement: [
    {
      Sid: 'Grant',
      Effect: 'Allow',
      Principal: principal,
      Action: action,
      Resource: ['arn:aws:s3:::b', 'arn:aws:s3:::b/*'],
      ...extra,
    },
  ],
});

describe('S3.6 blocked actions granted to other accounts', () => {
  it.each<[string, PolicyDocument | null, string]>([
    ['no policy', null, 'PASS'],
    [
      'data access for another account',
      grantTo({ AWS: '111122223333' }, ['s3:GetObject', 's3:PutObject']),
      'PASS',
    ],
    [
      'policy changes for the own account',
      grantTo({ AWS: `arn:aws:iam::${ACCOUNT}:role/admin` }, 's3:*'),
      'PASS',
    ],
    [
      's3:PutBucketPolicy for another account',
      grantTo({ AWS: 'arn:aws:iam::111122223333:root' }, 's3:PutBucketPolicy'),
      'FAIL',
    ],
    ['s3:Put* for another account', grantTo({ AWS: '111122223333' }, 's3:Put*'), 'FAIL'],
    ['s3:* for everyone', grantTo('*', 's3:*'), 'FAIL'],
    [
      '"*" pinned to the own account by aws:PrincipalAccount',
      grantTo('*', 's3:*', { Condition: { StringEquals: { 'aws:PrincipalAccount': ACCOUNT } } }),
      'PASS',
    ],
    [
      '"*" within the organization (other accounts included)',
      grantTo('*', 's3:PutObjectAcl', {
        Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abc' } },
      }),
      'FAIL',
    ],
    [
      'a Deny naming the blocked actions',
      {
        Statement: [
          { Effect: 'Deny', Principal: { AWS: '111122223333' }, Action: 's3:*', Resource: '*' },
        ],
      },
      'PASS',
    ],
  ])('%s → %s', (_label, policy, expected) => {
    expect(run(crossAccountActions, bucket('b', { policy: ok(policy) })).status).toBe(expected);
  });

  it('names the statement, accounts and actions', () => {
    const f = run(
      crossAccountActions,
      bucket('b', {
        policy: ok(grantTo({ AWS: ['111122223333', '*'] }, ['s3:PutBucketAcl', 's3:GetObject'])),
      }),
    );
    expect(f.statusDetail).toBe(
      `Bucket b's policy lets other AWS accounts change its access or encryption: statement "Grant" gives 111122223333, any account (*) s3:PutBucketAcl.`,
    );
  });

  it('reports ERROR when the policy could not be read', () => {
    expect(
      run(crossAccountActions, bucket('b', { policy: failed('GetBucketPolicy') })).status,
    ).toBe('ERROR');
  });
});

describe('S3.9 server access logging', () => {
  it('passes a logging bucket and names the target', () => {
    const f = run(serverAccessLogging, bucket('b'));
    expect(f.status).toBe('PASS');
    expect(f.statusDetail).toBe('Bucket b logs server access to s3://access-logs-123456789012/b/.');
  });

  it('fails a bucket without logging', () => {
    const f = run(serverAccessLogging, bucket('b', { logging: ok(null) }));
    expect(f.status).toBe('FAIL');
    expect(f.statusDetail).toBe('Bucket b has server access logging disabled.');
  });

  it('still fails a log target bucket, saying Security Hub advises suppressing it', () => {
    const target = bucket('access-logs-123456789012', { logging: ok(null) });
    const f = run(serverAccessLogging, target, [bucket('x'), bucket('y')]);
    expect(f.status).toBe('FAIL');
    expect(f.statusDetail).toContain('receives the server access logs of 2 bucket(s)');
  });

  it('reports ERROR when logging could not be read', () => {
    expect(
      run(serverAccessLogging, bucket('b', { logging: failed('GetBucketLogging') })).status,
    ).toBe('ERROR');
  });
});

describe('S3.12 ACLs managing access', () => {
  const owner = {
    grantee: 'owner-id',
    granteeType: 'CanonicalUser',
    isOwner: true,
    permission: 'FULL_CONTROL',
  };
  const enabled = { objectOwnership: ok<string | null>('BucketOwnerPreferred') };

  it.each<[string, Partial<BucketInventory>, string]>([
    [
      'ACLs disabled (BucketOwnerEnforced), whatever the ACL says',
      { acl: failed('GetBucketAcl') },
      'PASS',
    ],
    ['ACLs enabled, owner-only ACL', { ...enabled, acl: ok([owner]) }, 'PASS'],
    [
      'ACLs enabled, another account granted READ',
      {
        ...enabled,
        acl: ok([
          owner,
          {
            grantee: 'a'.repeat(64),
            granteeType: 'CanonicalUser',
            isOwner: false,
            permission: 'READ',
          },
        ]),
      },
      'FAIL',
    ],
    [
      'no ownership controls (ObjectWriter), LogDelivery granted WRITE',
      {
        objectOwnership: ok(null),
        acl: ok([
          owner,
          {
            grantee: 'http://acs.amazonaws.com/groups/s3/LogDelivery',
            granteeType: 'Group',
            isOwner: false,
            permission: 'WRITE',
          },
        ]),
      },
      'FAIL',
    ],
    ['ownership unreadable', { objectOwnership: failed('GetBucketOwnershipControls') }, 'ERROR'],
    ['ACLs enabled, ACL unreadable', { ...enabled, acl: failed('GetBucketAcl') }, 'ERROR'],
  ])('%s → %s', (_label, over, expected) => {
    expect(run(aclsNotUsed, bucket('b', over)).status).toBe(expected);
  });

  it('names the grantees', () => {
    const f = run(
      aclsNotUsed,
      bucket('b', {
        objectOwnership: ok(null),
        acl: ok([
          owner,
          { grantee: ALL_USERS, granteeType: 'Group', isOwner: false, permission: 'READ' },
        ]),
      }),
    );
    expect(f.statusDetail).toBe(
      'Bucket b manages access with its ACL (Object Ownership not set (ObjectWriter)): AllUsers:READ.',
    );
  });
});

describe('S3.17 and S3.CustomerManagedKey agree on what they each judge', () => {
  const AWS_MANAGED = ok([{ algorithm: 'aws:kms', bucketKeyEnabled: true }]);

  it('S3.17 passes the AWS managed key aws/s3; S3.CustomerManagedKey fails it with the Config rule annotation', () => {
    // Arrange
    const b = bucket('b', { encryption: AWS_MANAGED, encryptionKey: ok(null) });

    // Act
    const sh = run(kmsEncryption, b);
    const own = run(customerManagedKey, b);

    // Assert
    expect(sh.status).toBe('PASS');
    expect(own.status).toBe('FAIL');
    expect(own.statusDetail).toBe(
      judgeEncryption('b', { algorithm: 'aws:kms', bucketKeyEnabled: true }, undefined).annotation,
    );
    expect(own.statusDetail).toContain('AWS managed key aws/s3');
  });

  it.each<[string, Partial<BucketInventory>, string, string]>([
    ['a usable customer-managed key', {}, 'PASS', 'customer-managed key'],
    [
      'an explicit alias/aws/s3',
      {
        encryption: ok([{ algorithm: 'aws:kms', kmsKeyId: 'alias/aws/s3' }]),
        encryptionKey: ok(null),
      },
      'FAIL',
      'AWS managed key alias/aws/s3',
    ],
    [
      'a key KMS says is AWS managed',
      {
        encryptionKey: ok({
          kind: 'described',
          arn: 'arn:aws:kms:us-east-1:123456789012:key/k',
          manager: 'AWS',
          state: 'Enabled',
        }),
      },
      'FAIL',
      'which is AWS managed',
    ],
    [
      'a disabled customer key',
      {
        encryptionKey: ok({
          kind: 'described',
          arn: 'arn:aws:kms:us-east-1:123456789012:key/k',
          manager: 'CUSTOMER',
          state: 'Disabled',
        }),
      },
      'FAIL',
      'which is Disabled',
    ],
    [
      'a key that cannot be described (other account)',
      { encryptionKey: ok({ kind: 'denied' }) },
      'FAIL',
      'cannot verify key',
    ],
    [
      'SSE-S3',
      { encryption: ok([{ algorithm: 'AES256' }]), encryptionKey: ok(null) },
      'FAIL',
      'AES256',
    ],
    [
      'no configuration',
      { encryption: ok(null), encryptionKey: ok(null) },
      'FAIL',
      'no default encryption',
    ],
  ])('S3.CustomerManagedKey: %s → %s', (_label, over, expected, detail) => {
    const f = run(customerManagedKey, bucket('b', over));
    expect(f.status).toBe(expected);
    expect(f.statusDetail).toContain(detail);
  });

  it('reports ERROR when the encryption or the key could not be read', () => {
    const throttled = failed<never>('DescribeKey', {
      service: 'kms',
      code: 'ThrottlingException',
      kind: 'throttled',
    });
    expect(
      run(customerManagedKey, bucket('b', { encryptionKey: throttled })).statusDetail,
    ).toContain('Could not evaluate the KMS key of bucket b: DescribeKey failed');
    expect(
      run(
        customerManagedKey,
        bucket('b', {
          encryption: failed('GetBucketEncryption'),
          encryptionKey: failed('GetBucketEncryption'),
        }),
      ).status,
    ).toBe('ERROR');
  });
});

describe('S3.19 access point block public access', () => {
  const ap = (name: string, over: Partial<AccessPointInventory> = {}): AccessPointInventory => ({
    name,
    arn: `arn:aws:s3:${REGION}:${ACCOUNT}:accesspoint/${name}`,
    bucket: 'b',
    networkOrigin: 'Internet',
    publicAccessBlock: ok(FULL_BLOCK),
    ...over,
  });

  it('gives one finding per access point: PASS, FAIL, ERROR', () => {
    // Arrange
    const inv = inventory({
      regions: [
        region(REGION, {
          s3AccessPoints: {
            accessPoints: {
              items: [
                ap('closed'),
                ap('open', { publicAccessBlock: ok({ ...FULL_BLOCK, blockPublicPolicy: false }) }),
                ap('unknown', { publicAccessBlock: failed('GetAccessPoint') }),
              ],
            },
          },
        }),
      ],
    });

    // Act
    const findings = accessPointPublicAccessBlock.evaluate(inv, CONFIG);

    // Assert
    expect(findings.map((f) => [f.resource.name, f.status, f.resource.type])).toEqual([
      ['closed', 'PASS', 'AWS::S3::AccessPoint'],
      ['open', 'FAIL', 'AWS::S3::AccessPoint'],
      ['unknown', 'ERROR', 'AWS::S3::AccessPoint'],
    ]);
    expect(findings[1]!.statusDetail).toBe(
      'Access point open (bucket b) does not block public access: BlockPublicPolicy off.',
    );
  });

  it('reports a listing cut short as one ERROR for the region', () => {
    const inv = inventory({
      regions: [
        region('eu-west-1', {
          s3AccessPoints: {
            accessPoints: {
              items: [],
              error: collectionError('ListAccessPoints', { region: 'eu-west-1' }),
            },
          },
        }),
      ],
    });
    const findings = accessPointPublicAccessBlock.evaluate(inv, CONFIG);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ status: 'ERROR', region: 'eu-west-1' });
  });
});
