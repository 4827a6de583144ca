import {
  publicFunctionStatements,
  publicPolicy,
  supportedRuntime,
  SUPPORTED_RUNTIMES,
} from '../../../lambdas/scanner/checks/lambda';
import type {
  LambdaFunctionInventory,
  PolicyDocument,
} from '../../../lambdas/scanner/inventory/types';
import {
  ACCOUNT,
  collectionError,
  CONFIG,
  failed,
  fn,
  inventory,
  ok,
  region,
  REGION,
} from './fixtures';

function runFn(check: typeof publicPolicy, f: LambdaFunctionInventory) {
  const inv = inventory({ regions: [region(REGION, { lambda: { functions: { items: [f] } } })] });
  return check.evaluate(inv, CONFIG);
}

const invoke = (principal: unknown, condition?: Record<string, Record<string, unknown>>) => ({
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'invoke',
      Effect: 'Allow',
      Principal: principal,
      Action: 'lambda:InvokeFunction',
      Resource: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:f`,
      ...(condition ? { Condition: condition } : {}),
    },
  ],
});

describe('Lambda.1 public function policies', () => {
  it.each<[string, PolicyDocument | null, string]>([
    ['no policy', null, 'PASS'],
    ['another account', invoke({ AWS: 'arn:aws:iam::111122223333:root' }), 'PASS'],
    [
      's3.amazonaws.com with aws:SourceArn',
      invoke(
        { Service: 's3.amazonaws.com' },
        { ArnLike: { 'AWS:SourceArn': 'arn:aws:s3:::uploads' } },
      ),
      'PASS',
    ],
    [
      's3.amazonaws.com with aws:SourceAccount',
      invoke({ Service: 's3.amazonaws.com' }, { StringEquals: { 'AWS:SourceAccount': ACCOUNT } }),
      'PASS',
    ],
    [
      's3.amazonaws.com without a source condition',
      invoke({ Service: 's3.amazonaws.com' }),
      'FAIL',
    ],
    [
      'a service principal whose SourceArn is a wildcard',
      invoke(
        { Service: 'sns.amazonaws.com' },
        { ArnLike: { 'AWS:SourceArn': 'arn:aws:sns:*:*:alerts' } },
      ),
      'FAIL',
    ],
    ['Principal "*"', invoke('*'), 'FAIL'],
    ['Principal {"AWS": "*"}', invoke({ AWS: '*' }), 'FAIL'],
    [
      'Principal "*" limited to the organization',
      invoke('*', { StringEquals: { 'aws:PrincipalOrgID': 'o-abc123' } }),
      'PASS',
    ],
    [
      'Principal "*" limited by a policy variable',
      invoke('*', { StringEquals: { 'aws:PrincipalAccount': '${aws:username}' } }),
      'FAIL',
    ],
    [
      'a public function URL',
      invoke('*', { StringEquals: { 'lambda:FunctionUrlAuthType': 'NONE' } }),
      'FAIL',
    ],
  ])('%s → %s', (_label, policy, expected) => {
    const [f] = runFn(publicPolicy, fn('f', { policy: ok(policy) }));
    expect(f!.status).toBe(expected);
  });

  it('names the public statement', () => {
    expect(publicFunctionStatements(invoke({ Service: 's3.amazonaws.com' }))).toEqual([
      '"invoke" (s3.amazonaws.com without a fixed aws:SourceAccount or aws:SourceArn)',
    ]);
  });

  it('reports ERROR for a function whose policy could not be read', () => {
    const [f] = runFn(
      publicPolicy,
      fn('f', {
        policy: failed('GetPolicy', { service: 'lambda', code: 'AccessDeniedException' }),
      }),
    );
    expect(f!.status).toBe('ERROR');
    expect(f!.statusDetail).toContain('GetPolicy failed');
  });
});

describe('Lambda.2 supported runtimes', () => {
  it.each<[string, Partial<LambdaFunctionInventory>, string]>([
    ['nodejs22.x', {}, 'PASS'],
    ['python3.13', { runtime: 'python3.13' }, 'PASS'],
    ['nodejs20.x (deprecated, off Security Hub’s list)', { runtime: 'nodejs20.x' }, 'FAIL'],
    ['provided.al2023 (not on Security Hub’s list)', { runtime: 'provided.al2023' }, 'FAIL'],
    ['no runtime on a zip function', { runtime: undefined }, 'FAIL'],
  ])('%s → %s', (_label, over, expected) => {
    const [f] = runFn(supportedRuntime, fn('f', over));
    expect(f!.status).toBe(expected);
  });

  it('does not evaluate container-image functions', () => {
    expect(
      runFn(supportedRuntime, fn('img', { packageType: 'Image', runtime: undefined })),
    ).toEqual([]);
  });

  it('reports ERROR for functions that were not listed', () => {
    const inv = inventory({
      regions: [
        region(REGION, {
          lambda: {
            functions: {
              items: [],
              error: collectionError('ListFunctions', { service: 'lambda' }),
            },
          },
        }),
      ],
    });
    expect(supportedRuntime.evaluate(inv, CONFIG).map((f) => f.status)).toEqual(['ERROR']);
  });

  it("keeps Security Hub's allow-list verbatim (20 runtimes)", () => {
    expect(SUPPORTED_RUNTIMES).toHaveLength(20);
    expect(SUPPORTED_RUNTIMES).toEqual(
      expect.arrayContaining(['nodejs24.x', 'nodejs22.x', 'java8.al2']),
    );
  });
});
