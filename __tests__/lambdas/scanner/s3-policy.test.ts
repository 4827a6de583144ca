import {
  ALL_USERS,
  AUTHENTICATED_USERS,
  enforcesTls,
  grantsWrite,
  hasRestrictingCondition,
  isBroadNetwork,
  publicAclExposure,
  publicPolicyExposure,
  wildcardMatch,
  wildcardPrincipalWrites,
} from '../../../lambdas/scanner/checks/s3-policy';
import type { PolicyDocument, PolicyStatement } from '../../../lambdas/scanner/inventory/types';

const ARN = 'arn:aws:s3:::data';

describe('publicPolicyExposure', () => {
  it.each([
    ['Principal "*"', '*'],
    ['Principal {"AWS": "*"}', { AWS: '*' }],
    ['Principal {"AWS": ["*"]}', { AWS: ['*'] }],
  ])('flags a read statement with %s', (_label, principal) => {
    // Arrange
    const policy: PolicyDocument = {
      Statement: [
        {
          Sid: 'Pub',
          Effect: 'Allow',
          Principal: principal,
          Action: 's3:GetObject',
          Resource: `${ARN}/*`,
        },
      ],
    };

    // Act
    const exposure = publicPolicyExposure(policy);

    // Assert
    expect(exposure).toEqual({ read: ['"Pub"'], write: [] });
  });

  it('classifies write actions and wildcards', () => {
    // Arrange
    const policy: PolicyDocument = {
      Statement: [
        { Effect: 'Allow', Principal: '*', Action: ['s3:PutObject'], Resource: `${ARN}/*` },
        { Effect: 'Allow', Principal: '*', Action: 's3:*', Resource: `${ARN}/*` },
      ],
    };

    // Act
    const exposure = publicPolicyExposure(policy);

    // Assert
    expect(exposure).toEqual({ read: ['#2'], write: ['#1', '#2'] });
  });

  it.each([
    ['aws:SourceAccount', { StringEquals: { 'aws:SourceAccount': '111122223333' } }],
    ['aws:SourceVpce', { StringEquals: { 'aws:SourceVpce': 'vpce-1' } }],
    ['aws:PrincipalOrgID', { StringEquals: { 'aws:PrincipalOrgID': 'o-abc' } }],
    [
      'aws:SourceArn',
      { ArnLike: { 'aws:SourceArn': 'arn:aws:cloudfront::111122223333:distribution/E1' } },
    ],
    ['aws:SourceIp', { IpAddress: { 'aws:SourceIp': ['203.0.113.0/24'] } }],
  ])('does not flag a "*" statement restricted by %s', (_key, condition) => {
    // Arrange
    const policy: PolicyDocument = {
      Statement: [
        {
          Effect: 'Allow',
          Principal: '*',
          Action: 's3:GetObject',
          Resource: `${ARN}/*`,
          Condition: condition,
        },
      ],
    };

    // Act / Assert
    expect(publicPolicyExposure(policy)).toEqual({ read: [], write: [] });
  });

  it.each([
    ['a negated operator', { StringNotEquals: { 'aws:PrincipalOrgID': 'o-abc' } }],
    ['an IfExists operator', { StringEqualsIfExists: { 'aws:SourceAccount': '111122223333' } }],
    ['an open SourceIp', { IpAddress: { 'aws:SourceIp': '0.0.0.0/0' } }],
    ['an unrelated key', { Bool: { 'aws:SecureTransport': 'true' } }],
  ])('still flags a "*" statement whose condition is %s', (_label, condition) => {
    // Act / Assert
    expect(hasRestrictingCondition({ Effect: 'Allow', Principal: '*', Condition: condition })).toBe(
      false,
    );
  });

  it.each([
    ['a wildcard org id (o-*)', { StringLike: { 'aws:SourceOrgID': 'o-*' } }],
    ['a policy variable', { StringEquals: { 'aws:userid': '${aws:username}' } }],
    ['a ForAllValues operator', { 'ForAllValues:StringEquals': { 'aws:SourceVpce': ['vpce-1'] } }],
    ['a /1 network', { IpAddress: { 'aws:SourceIp': '0.0.0.0/1' } }],
    [
      'a /7 network among narrow ones',
      { IpAddress: { 'aws:SourceIp': ['10.0.0.0/24', '2.0.0.0/7'] } },
    ],
    ['an IPv6 /16 network', { IpAddress: { 'aws:SourceIp': '2001::/16' } }],
    [
      'one wildcard value among fixed ones',
      { StringEquals: { 'aws:SourceVpce': ['vpce-1', 'vpce-*'] } },
    ],
  ])('does not count %s as restricting', (_label, condition) => {
    // Arrange
    const stmt: PolicyStatement = {
      Effect: 'Allow',
      Principal: '*',
      Action: 's3:GetObject',
      Resource: `${ARN}/*`,
      Condition: condition,
    };

    // Act / Assert
    expect(hasRestrictingCondition(stmt)).toBe(false);
    expect(publicPolicyExposure({ Statement: [stmt] }).read).toEqual(['#1']);
  });

  it.each([
    ['a /8 network', { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } }],
    ['a single address', { IpAddress: { 'aws:SourceIp': '203.0.113.7' } }],
    ['an IPv6 /32 network', { IpAddress: { 'aws:SourceIp': '2001:db8::/32' } }],
    [
      'a ForAnyValue operator with fixed values',
      { 'ForAnyValue:StringEquals': { 'aws:SourceVpce': ['vpce-1'] } },
    ],
  ])('counts %s as restricting', (_label, condition) => {
    expect(hasRestrictingCondition({ Effect: 'Allow', Principal: '*', Condition: condition })).toBe(
      true,
    );
  });

  it('treats an AWS principal with a wildcard as everyone', () => {
    const policy: PolicyDocument = {
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::*:root' },
          Action: 's3:GetObject',
          Resource: `${ARN}/*`,
        },
      ],
    };
    expect(publicPolicyExposure(policy).read).toEqual(['#1']);
  });

  it('ignores Deny statements and named principals', () => {
    // Arrange
    const policy: PolicyDocument = {
      Statement: [
        { Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: `${ARN}/*` },
        {
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::111122223333:root' },
          Action: 's3:*',
          Resource: `${ARN}/*`,
        },
      ],
    };

    // Act / Assert
    expect(publicPolicyExposure(policy)).toEqual({ read: [], write: [] });
  });
});

describe('grantsWrite', () => {
  it.each<[string, Partial<PolicyStatement>, boolean]>([
    ['s3:PutObject', { Action: 's3:PutObject' }, true],
    ['s3:PutBucketTagging (any s3:Put*)', { Action: 's3:PutBucketTagging' }, true],
    [
      's3:DeleteObjectTagging (any s3:Delete*)',
      { Action: ['s3:GetObject', 's3:DeleteObjectTagging'] },
      true,
    ],
    ['s3:*', { Action: 's3:*' }, true],
    ['*', { Action: '*' }, true],
    ['s3:P* (a pattern matching s3:Put*)', { Action: 's3:P*' }, true],
    ['s3:*Tagging (matches s3:PutObjectTagging)', { Action: 's3:*Tagging' }, true],
    ['s3:Get*', { Action: 's3:Get*' }, false],
    ['s3:List*', { Action: ['s3:ListBucket', 's3:List*'] }, false],
    ['ec2:*', { Action: 'ec2:*' }, false],
    ['NotAction s3:Get*', { NotAction: 's3:Get*' }, true],
    ['NotAction s3:*', { NotAction: 's3:*' }, false],
  ])('%s → %s', (_label, stmt, expected) => {
    expect(grantsWrite({ Effect: 'Allow', Principal: '*', ...stmt })).toBe(expected);
  });
});

describe('wildcardPrincipalWrites', () => {
  it('lists wildcard-principal writes whatever their condition, and nothing else', () => {
    // Arrange
    const policy: PolicyDocument = {
      Statement: [
        {
          Sid: 'OrgWrite',
          Effect: 'Allow',
          Principal: '*',
          Action: 's3:PutObject',
          Resource: `${ARN}/*`,
          Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abc' } },
        },
        {
          Sid: 'Read',
          Effect: 'Allow',
          Principal: '*',
          Action: 's3:GetObject',
          Resource: `${ARN}/*`,
        },
        {
          Sid: 'Partner',
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::111122223333:root' },
          Action: 's3:*',
          Resource: `${ARN}/*`,
        },
        { Sid: 'DenyAll', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: `${ARN}/*` },
      ],
    };

    // Act / Assert
    expect(wildcardPrincipalWrites(policy)).toEqual(['"OrgWrite"']);
  });
});

describe('isBroadNetwork', () => {
  it('is broad below /8 (IPv4) or /32 (IPv6)', () => {
    expect(
      ['0.0.0.0/0', '0.0.0.0/1', '10.0.0.0/7', '::/0', '2001::/31'].map(isBroadNetwork),
    ).toEqual([true, true, true, true, true]);
    expect(['10.0.0.0/8', '10.1.2.3', '2001:db8::/32', '2001:db8::1'].map(isBroadNetwork)).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });
});

describe('publicAclExposure', () => {
  it('splits AllUsers / AuthenticatedUsers grants into read and write', () => {
    // Act
    const exposure = publicAclExposure([
      { grantee: ALL_USERS, granteeType: 'Group', isOwner: false, permission: 'READ' },
      {
        grantee: AUTHENTICATED_USERS,
        granteeType: 'Group',
        isOwner: false,
        permission: 'WRITE_ACP',
      },
      {
        grantee: 'owner-id',
        granteeType: 'CanonicalUser',
        isOwner: true,
        permission: 'FULL_CONTROL',
      },
    ]);

    // Assert
    expect(exposure).toEqual({ read: ['AllUsers:READ'], write: ['AuthenticatedUsers:WRITE_ACP'] });
  });
});

describe('enforcesTls', () => {
  const deny = (
    resource: string | string[],
    action: string | string[] = 's3:*',
    value: unknown = 'false',
  ) => ({
    Effect: 'Deny',
    Principal: '*',
    Action: action,
    Resource: resource,
    Condition: { Bool: { 'aws:SecureTransport': value } },
  });

  it('accepts one statement covering bucket and objects, or two statements together', () => {
    // Act / Assert
    expect(enforcesTls({ Statement: [deny([ARN, `${ARN}/*`])] }, ARN)).toBe(true);
    expect(enforcesTls({ Statement: [deny(ARN, '*'), deny(`${ARN}/*`, '*', false)] }, ARN)).toBe(
      true,
    );
    expect(enforcesTls({ Statement: [deny('*')] }, ARN)).toBe(true);
  });

  it('rejects partial coverage, narrower actions, and Allow statements', () => {
    // Act / Assert
    expect(enforcesTls({ Statement: [deny(`${ARN}/*`)] }, ARN)).toBe(false);
    expect(enforcesTls({ Statement: [deny([ARN, `${ARN}/*`], 's3:GetObject')] }, ARN)).toBe(false);
    expect(enforcesTls({ Statement: [{ ...deny([ARN, `${ARN}/*`]), Effect: 'Allow' }] }, ARN)).toBe(
      false,
    );
    expect(enforcesTls({ Statement: [deny([ARN, `${ARN}/logs/*`])] }, ARN)).toBe(false);
    expect(enforcesTls(null, ARN)).toBe(false);
  });

  it('rejects a deny that exempts principals with NotPrincipal (they may still use HTTP)', () => {
    const exempting = {
      ...deny([ARN, `${ARN}/*`]),
      Principal: undefined,
      NotPrincipal: { AWS: 'arn:aws:iam::123456789012:role/legacy' },
    };
    expect(enforcesTls({ Statement: [exempting] }, ARN)).toBe(false);
  });
});

describe('wildcardMatch', () => {
  it('matches IAM wildcards literally otherwise', () => {
    expect(wildcardMatch('s3:Get*', 's3:GetObject')).toBe(true);
    expect(wildcardMatch('s3:get*', 's3:GetObject', true)).toBe(true);
    expect(wildcardMatch('s3:Get?bject', 's3:GetObject')).toBe(true);
    expect(wildcardMatch('arn:aws:s3:::data.bak', 'arn:aws:s3:::dataxbak')).toBe(false);
  });
});
