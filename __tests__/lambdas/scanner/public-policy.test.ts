import { publicStatements } from '../../../lambdas/scanner/checks/public-policy';
import type { PolicyStatement } from '../../../lambdas/scanner/inventory/types';

const open = (Condition?: PolicyStatement['Condition']): PolicyStatement => ({
  Effect: 'Allow',
  Principal: { AWS: '*' },
  Action: 'kms:*',
  Resource: '*',
  ...(Condition ? { Condition } : {}),
});

/** Whether the conditions keep a statement open to `*` from being public (KMS's key counts too). */
const restricts = (stmt: PolicyStatement): boolean =>
  publicStatements({ Statement: [stmt] }, ['kms:CallerAccount']).length === 0;

describe('conditions of a statement open to everyone', () => {
  it.each<[string, boolean, PolicyStatement['Condition']]>([
    ['no condition', false, undefined],
    ['a fixed account', true, { StringEquals: { 'aws:PrincipalAccount': '111122223333' } }],
    ['a fixed organization', true, { StringEquals: { 'aws:PrincipalOrgID': 'o-abc123' } }],
    ['a wildcard organization', false, { StringLike: { 'aws:PrincipalOrgID': 'o-*' } }],
    ['a policy variable', false, { StringEquals: { 'aws:PrincipalArn': '${aws:username}' } }],
    [
      'one fixed and one wildcard value',
      false,
      { StringLike: { 'aws:SourceAccount': ['111122223333', '*'] } },
    ],
    ['a negated operator', false, { StringNotEquals: { 'aws:PrincipalAccount': '111122223333' } }],
    ['IfExists', false, { StringEqualsIfExists: { 'aws:PrincipalAccount': '111122223333' } }],
    [
      'ForAllValues (true when the key is absent)',
      false,
      { 'ForAllValues:StringEquals': { 'aws:PrincipalOrgID': 'o-abc123' } },
    ],
    ['ForAnyValue', true, { 'ForAnyValue:StringEquals': { 'aws:PrincipalOrgID': 'o-abc123' } }],
    ['a /24 network', true, { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } }],
    ['a /4 network', false, { IpAddress: { 'aws:SourceIp': '0.0.0.0/4' } }],
    ['an IPv6 /16 network', false, { IpAddress: { 'aws:SourceIp': '2001::/16' } }],
    ['an IPv6 /48 network', true, { IpAddress: { 'aws:SourceIp': '2001:db8:1::/48' } }],
    [
      'a key that restricts nothing',
      false,
      { StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } },
    ],
    ['the service key asked for', true, { StringEquals: { 'kms:CallerAccount': '111122223333' } }],
    [
      'a principal ARN ending in a number',
      true,
      { ArnEquals: { 'aws:PrincipalArn': 'arn:aws:iam::111122223333:role/3' } },
    ],
  ])('%s → restricts: %s', (_case, restricting, condition) => {
    expect(restricts(open(condition))).toBe(restricting);
  });
});

describe('publicStatements', () => {
  it('lists Allow statements open to everyone by Sid or position', () => {
    const policy = {
      Statement: [
        {
          Sid: 'Own',
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::111122223333:root' },
          Action: 'kms:*',
          Resource: '*',
        },
        { Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt', Resource: '*' },
        { Sid: 'Deny', Effect: 'Deny', Principal: '*', Action: 'kms:*', Resource: '*' },
        { Sid: 'Scoped', ...open({ StringEquals: { 'kms:CallerAccount': '111122223333' } }) },
        { Sid: 'Everyone', ...open() },
      ],
    };
    expect(publicStatements(policy, ['kms:CallerAccount'])).toEqual(['#2', '"Everyone"']);
    expect(publicStatements(policy)).toEqual(['#2', '"Scoped"', '"Everyone"']);
    expect(publicStatements(null)).toEqual([]);
  });
});
