/**
 * The organization scan's state machine definition: valid Amazon States Language in both variants
 * (asl-validator), and the Distributed Map configured as DESIGN §10b asks. The local execution of
 * the inline variant is __tests__/organization/org-scan-execution.test.ts.
 */
import aslValidator from 'asl-validator';
import {
  LAMBDA_TRANSIENT_ERRORS,
  ORG_SCAN_STATES as S,
  orgScanDefinition,
  type OrgScanDefinitionProps,
} from '../../stacks/org-scan-definition';

const PROPS: OrgScanDefinitionProps = {
  mode: 'distributed',
  functions: {
    accounts: 'arn:aws:lambda:us-east-1:123456789012:function:org-accounts-test',
    shard: 'arn:aws:lambda:us-east-1:123456789012:function:org-shard-test',
    merge: 'arn:aws:lambda:us-east-1:123456789012:function:org-merge-test',
  },
  bucket: 'compliance-audit-test-123456789012',
  maxConcurrency: 20,
  toleratedFailurePercentage: 25,
  taskTimeoutSeconds: { accounts: 300, shard: 900, merge: 900 },
};

type States = Record<string, Record<string, unknown>>;
const states = (d: Record<string, unknown>) => d.States as States;

describe('organization scan definition', () => {
  it.each(['distributed', 'inline'] as const)('is valid Amazon States Language (%s)', (mode) => {
    const result = aslValidator(orgScanDefinition({ ...PROPS, mode }) as never);
    expect(result.errorsText('\n')).toBe('');
    expect(result.isValid).toBe(true);
  });

  it('is checked for real: the validator rejects a misspelt Distributed Map field', () => {
    const d = orgScanDefinition(PROPS);
    const map = states(d)[S.scanShards]!;
    map.ToleratedFailurePercent = map.ToleratedFailurePercentage;
    delete map.ToleratedFailurePercentage;
    expect(aslValidator(d as never).isValid).toBe(false);
  });

  it('fans out with a Distributed Map over the shard list in S3, results written back to S3', () => {
    const map = states(orgScanDefinition(PROPS))[S.scanShards]!;
    expect(map).toMatchObject({
      Type: 'Map',
      MaxConcurrency: 20,
      ToleratedFailurePercentage: 25,
      ItemReader: {
        Resource: 'arn:aws:states:::s3:getObject',
        ReaderConfig: { InputType: 'JSON' },
        Parameters: { Bucket: PROPS.bucket, 'Key.$': '$.shardsKey' },
      },
      ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' } },
      ResultWriter: {
        Resource: 'arn:aws:states:::s3:putObject',
        Parameters: { Bucket: PROPS.bucket, 'Prefix.$': '$.resultsPrefix' },
      },
      ItemSelector: {
        'account.$': '$$.Map.Item.Value.account',
        'region.$': '$$.Map.Item.Value.region',
      },
      // A failed map still goes to the merge: the scan is written either way.
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.map', Next: S.mergeScan }],
    });
  });

  it('retries every Lambda task on throttling and service errors with backoff and jitter', () => {
    const d = orgScanDefinition(PROPS);
    const shard = (states(d)[S.scanShards]!.ItemProcessor as { States: States }).States[
      S.scanShard
    ]!;
    for (const task of [states(d)[S.listAccounts]!, shard, states(d)[S.mergeScan]!]) {
      expect(task.Retry).toEqual([
        expect.objectContaining({
          ErrorEquals: LAMBDA_TRANSIENT_ERRORS,
          BackoffRate: 2,
          JitterStrategy: 'FULL',
        }),
      ]);
      expect(LAMBDA_TRANSIENT_ERRORS).toContain('Lambda.TooManyRequestsException');
    }
    expect(shard.TimeoutSeconds).toBe(960);
  });

  it('fails the execution after merging when the map failed', () => {
    const outcome = states(orgScanDefinition(PROPS))[S.outcome]!;
    expect(outcome).toEqual({
      Type: 'Choice',
      Choices: [{ Variable: '$.map.Error', IsPresent: true, Next: S.mapFailed }],
      Default: S.done,
    });
    expect(states(orgScanDefinition(PROPS))[S.mapFailed]!.Type).toBe('Fail');
  });

  it('differs in its inline variant only where aws-local-stepfunctions needs it', () => {
    const distributed = states(orgScanDefinition(PROPS));
    const inline = states(orgScanDefinition({ ...PROPS, mode: 'inline' }));
    for (const name of [S.mergeScan, S.outcome, S.mapFailed, S.done])
      expect(inline[name]).toEqual(distributed[name]);
    expect(inline[S.listAccounts]).toEqual({
      ...distributed[S.listAccounts],
      Parameters: {
        FunctionName: PROPS.functions.accounts,
        Payload: { 'trigger.$': '$', inlineShards: true },
      },
    });
    expect(inline[S.scanShards]).toMatchObject({
      ItemsPath: '$.items',
      ItemSelector: distributed[S.scanShards]!.ItemSelector,
      MaxConcurrency: 20,
      ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' } },
    });
  });
});
