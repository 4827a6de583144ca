import {
  accountPublicAccessBlock,
  bucketPublicAccessBlock,
  kmsEncryption,
  publicRead,
  publicWrite,
  tlsOnly,
  versioning,
} from '../../../lambdas/scanner/checks/s3';
import { ALL_USERS } from '../../../lambdas/scanner/checks/s3-policy';
import type {
  BucketInventory,
  EncryptionRule,
  Observed,
  PolicyDocument,
  PublicAccessBlock,
  VersioningStatus,
} from '../../../lambdas/scanner/inventory/types';
import {
  ACCOUNT,
  bucket,
  collectionError,
  CONFIG,
  failed,
  FULL_BLOCK,
  inventory,
  NO_BLOCK,
  ok,
  REGION,
  statusOf,
} from './fixtures';

const PUBLIC_READ: PolicyDocument = {
  Statement: [
    {
      Sid: 'Read',
      Effect: 'Allow',
      Principal: '*',
      Action: 's3:GetObject',
      Resource: 'arn:aws:s3:::b/*',
    },
  ],
};
const PUBLIC_WRITE: PolicyDocument = {
  Statement: [
    {
      Sid: 'Write',
      Effect: 'Allow',
      Principal: { AWS: '*' },
      Action: 's3:PutObject',
      Resource: 'arn:aws:s3:::b/*',
    },
  ],
};
const TLS_ONLY: PolicyDocument = {
  Statement: [
    {
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: ['arn:aws:s3:::b', 'arn:aws:s3:::b/*'],
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    },
  ],
};

function run(
  check: typeof publicRead,
  b: BucketInventory,
  accountBlock = ok<typeof FULL_BLOCK | null>(NO_BLOCK),
) {
  const inv = inventory({
    s3: { accountPublicAccessBlock: accountBlock, buckets: { items: [b] } },
  });
  return statusOf(check.evaluate(inv, CONFIG), b.arn);
}

describe('S3.1 account-level public access block', () => {
  it.each<[string, Observed<PublicAccessBlock | null>, string]>([
    ['all four on', ok(FULL_BLOCK), 'PASS'],
    ['RestrictPublicBuckets off', ok({ ...FULL_BLOCK, restrictPublicBuckets: false }), 'FAIL'],
    ['not configured', ok(null), 'FAIL'],
    ['unreadable', failed('GetAccountPublicAccessBlock'), 'ERROR'],
  ])('%s → %s', (_label, pab, expected) => {
    // Arrange
    const inv = inventory({ s3: { accountPublicAccessBlock: pab } });

    // Act
    const findings = accountPublicAccessBlock.evaluate(inv, CONFIG);

    // Assert
    expect(findings).toHaveLength(1);
    expect(findings[0]!.status).toBe(expected);
    expect(findings[0]!.resource).toMatchObject({
      type: 'AWS::::Account',
      uid: `arn:aws:iam::${ACCOUNT}:root`,
      region: REGION,
    });
  });

  it('names the settings that are off', () => {
    const inv = inventory({
      s3: { accountPublicAccessBlock: ok({ ...FULL_BLOCK, ignorePublicAcls: false }) },
    });
    expect(accountPublicAccessBlock.evaluate(inv, CONFIG)[0]!.statusDetail).toContain(
      'IgnorePublicAcls',
    );
  });
});

describe('S3.8 bucket-level public access block', () => {
  it('passes a bucket with all four settings on', () => {
    const f = run(bucketPublicAccessBlock, bucket('b'));
    expect(f.status).toBe('PASS');
    expect(f.statusDetail).toBe(
      'Bucket b blocks public access with all four bucket-level settings.',
    );
  });

  it('fails a bucket without its own block even when the account blocks everything (S3.1 covers that)', () => {
    const f = run(
      bucketPublicAccessBlock,
      bucket('b', { publicAccessBlock: ok(null) }),
      ok(FULL_BLOCK),
    );
    expect(f.status).toBe('FAIL');
    expect(f.statusDetail).toContain('no Block Public Access configuration of its own');
  });

  it('fails a bucket whose own block leaves settings off and names them', () => {
    const f = run(
      bucketPublicAccessBlock,
      bucket('b', { publicAccessBlock: ok({ ...FULL_BLOCK, restrictPublicBuckets: false }) }),
      ok(FULL_BLOCK),
    );
    expect(f.status).toBe('FAIL');
    expect(f.statusDetail).toBe(
      'Bucket b does not block public access at bucket level: RestrictPublicBuckets off.',
    );
  });

  it('reports ERROR when the bucket block is unreadable, whatever the account block', () => {
    for (const account of [ok(null), ok(FULL_BLOCK)]) {
      const f = run(
        bucketPublicAccessBlock,
        bucket('b', { publicAccessBlock: failed('GetPublicAccessBlock') }),
        account,
      );
      expect(f.status).toBe('ERROR');
      expect(f.statusDetail).toContain('GetPublicAccessBlock failed');
    }
  });
});

describe('S3.2 / S3.3 public read and write', () => {
  const open = { publicAccessBlock: ok(null), objectOwnership: ok(null) };

  it('fails read (not write) for a public-read policy', () => {
    const b = bucket('b', { ...open, policy: ok(PUBLIC_READ), policyIsPublic: ok(true) });
    expect(run(publicRead, b).status).toBe('FAIL');
    expect(run(publicWrite, b).status).toBe('PASS');
  });

  it('fails write for a public-write policy', () => {
    const b = bucket('b', { ...open, policy: ok(PUBLIC_WRITE), policyIsPublic: ok(true) });
    const f = run(publicWrite, b);
    expect(f.status).toBe('FAIL');
    expect(f.statusDetail).toContain('"Write"');
  });

  it('fails for ACL grants to AllUsers', () => {
    const b = bucket('b', {
      ...open,
      acl: ok([
        { grantee: ALL_USERS, granteeType: 'Group', isOwner: false, permission: 'READ' },
        { grantee: ALL_USERS, granteeType: 'Group', isOwner: false, permission: 'WRITE' },
      ]),
    });
    expect(run(publicRead, b).status).toBe('FAIL');
    expect(run(publicWrite, b).statusDetail).toContain('ACL grant AllUsers:WRITE');
  });

  it('passes when RestrictPublicBuckets and IgnorePublicAcls neutralise the exposure', () => {
    const b = bucket('b', {
      policy: ok(PUBLIC_READ),
      policyIsPublic: ok(true),
      acl: ok([{ grantee: ALL_USERS, granteeType: 'Group', isOwner: false, permission: 'READ' }]),
      objectOwnership: ok(null),
      publicAccessBlock: ok({ ...NO_BLOCK, restrictPublicBuckets: true, ignorePublicAcls: true }),
    });
    expect(run(publicRead, b).status).toBe('PASS');
  });

  it('honours the account-level block', () => {
    const b = bucket('b', { ...open, policy: ok(PUBLIC_WRITE), policyIsPublic: ok(true) });
    expect(run(publicWrite, b, ok(FULL_BLOCK)).status).toBe('PASS');
  });

  it('does not count BlockPublicPolicy alone: it only refuses new public policies', () => {
    const b = bucket('b', {
      ...open,
      publicAccessBlock: ok({ ...NO_BLOCK, blockPublicPolicy: true }),
      policy: ok(PUBLIC_READ),
      policyIsPublic: ok(true),
    });
    expect(run(publicRead, b).status).toBe('FAIL');
  });

  it('ignores ACLs when ObjectOwnership is BucketOwnerEnforced', () => {
    const b = bucket('b', {
      publicAccessBlock: ok(null),
      objectOwnership: ok('BucketOwnerEnforced'),
      acl: ok([
        { grantee: ALL_USERS, granteeType: 'Group', isOwner: false, permission: 'FULL_CONTROL' },
      ]),
    });
    expect(run(publicRead, b).status).toBe('PASS');
  });

  it('takes S3 policy status as the second signal', () => {
    // Arrange: a policy S3 itself says is public though no statement looks public to us …
    const odd = bucket('b', {
      ...open,
      policy: ok({
        Statement: [
          {
            Effect: 'Allow',
            Principal: '*',
            Action: 's3:GetBucketTagging',
            Resource: 'arn:aws:s3:::b',
          },
        ],
      }),
      policyIsPublic: ok(true),
    });
    // … and one S3 says is not public though our analysis would flag it.
    const restricted = bucket('b', { ...open, policy: ok(PUBLIC_READ), policyIsPublic: ok(false) });

    // Act / Assert
    expect(run(publicRead, odd).statusDetail).toContain('S3 policy status');
    expect(run(publicRead, restricted).status).toBe('PASS');
  });

  it('fails write when S3 says the policy is public and a conditioned "*" statement allows s3:PutObject', () => {
    // Arrange: our analysis takes the SourceIp condition as restricting; S3 does not agree.
    const b = bucket('b', {
      ...open,
      policy: ok({
        Statement: [
          {
            Sid: 'Upload',
            Effect: 'Allow',
            Principal: '*',
            Action: 's3:PutObject',
            Resource: 'arn:aws:s3:::b/*',
            Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } },
          },
        ],
      }),
      policyIsPublic: ok(true),
    });

    // Act
    const f = run(publicWrite, b);

    // Assert
    expect(f.status).toBe('FAIL');
    expect(f.statusDetail).toContain('policy statement "Upload" (S3 policy status: public');
    // RestrictPublicBuckets still neutralises it.
    const restricted = bucket('b', {
      ...b,
      publicAccessBlock: ok({ ...NO_BLOCK, restrictPublicBuckets: true }),
    });
    expect(run(publicWrite, restricted).status).toBe('PASS');
  });

  it('passes write when S3 says public but no wildcard statement allows a write', () => {
    const b = bucket('b', {
      ...open,
      policy: ok({
        Statement: [
          {
            Effect: 'Allow',
            Principal: '*',
            Action: 's3:GetObject',
            Resource: 'arn:aws:s3:::b/*',
            Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } },
          },
        ],
      }),
      policyIsPublic: ok(true),
    });
    expect(run(publicWrite, b).status).toBe('PASS');
    expect(run(publicRead, b).status).toBe('FAIL');
  });

  it('reports ERROR (not PASS) when the policy could not be read and nothing blocks it', () => {
    const b = bucket('b', { ...open, policy: failed('GetBucketPolicy') });
    const f = run(publicRead, b);
    expect(f.status).toBe('ERROR');
    expect(f.statusDetail).toContain('GetBucketPolicy failed');
  });

  it('passes a private bucket', () => {
    expect(run(publicRead, bucket('b')).status).toBe('PASS');
    expect(run(publicWrite, bucket('b')).status).toBe('PASS');
  });
});

describe('S3.5 TLS-only policy', () => {
  it.each<[string, Observed<PolicyDocument | null>, string]>([
    ['TLS-only deny', ok(TLS_ONLY), 'PASS'],
    ['no TLS statement', ok(PUBLIC_READ), 'FAIL'],
    ['no policy', ok(null), 'FAIL'],
    ['unreadable policy', failed('GetBucketPolicy'), 'ERROR'],
  ])('%s → %s', (_label, policy, expected) => {
    expect(run(tlsOnly, bucket('b', { policy })).status).toBe(expected);
  });
});

describe('S3.14 versioning', () => {
  it.each<[string, Observed<VersioningStatus>, string]>([
    ['Enabled', ok('Enabled'), 'PASS'],
    ['Suspended', ok('Suspended'), 'FAIL'],
    ['never enabled', ok('Never'), 'FAIL'],
    [
      'throttled out',
      failed('GetBucketVersioning', { code: 'ThrottlingException', kind: 'throttled' }),
      'ERROR',
    ],
  ])('%s → %s', (_label, v, expected) => {
    expect(run(versioning, bucket('b', { versioning: v })).status).toBe(expected);
  });
});

describe('S3.17 SSE-KMS default encryption', () => {
  it.each<[string, Observed<readonly EncryptionRule[] | null>, string]>([
    ['SSE-KMS', ok([{ algorithm: 'aws:kms' }]), 'PASS'],
    ['DSSE-KMS', ok([{ algorithm: 'aws:kms:dsse' }]), 'PASS'],
    ['SSE-S3', ok([{ algorithm: 'AES256' }]), 'FAIL'],
    ['no configuration', ok(null), 'FAIL'],
    ['unreadable', failed('GetBucketEncryption'), 'ERROR'],
  ])('%s → %s', (_label, encryption, expected) => {
    expect(run(kmsEncryption, bucket('b', { encryption })).status).toBe(expected);
  });

  it('says SSE-S3 is the default when the bucket has no configuration', () => {
    expect(run(kmsEncryption, bucket('b', { encryption: ok(null) })).statusDetail).toContain(
      'SSE-S3',
    );
  });
});

describe('bucket listing errors', () => {
  it('adds one service-level ERROR and still evaluates the buckets that were listed', () => {
    // Arrange
    const inv = inventory({
      s3: {
        buckets: {
          items: [bucket('b', { versioning: ok('Never') })],
          error: collectionError('ListBuckets', { code: 'ThrottlingException', kind: 'throttled' }),
        },
      },
    });

    // Act
    const findings = versioning.evaluate(inv, CONFIG);

    // Assert
    expect(findings.map((f) => f.status).sort()).toEqual(['ERROR', 'FAIL']);
    const error = findings.find((f) => f.status === 'ERROR')!;
    expect(error.resource.uid).toBe(`arn:aws:s3:${REGION}:${ACCOUNT}:*`);
    expect(error.statusDetail).toContain('ThrottlingException');
  });
});
