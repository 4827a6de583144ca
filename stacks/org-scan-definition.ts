/**
 * The organization scan's state machine (Amazon States Language, JSONPath), built from TypeScript
 * so the stack and the tests use one definition:
 *
 *   ListAccounts ─> ScanShards (Distributed Map over the (account, region|global) shards) ─> MergeScan ─> Outcome
 *
 * `distributed` is what the stack deploys: ItemReader reads the shard list org-accounts wrote to
 * the audit bucket (the execution's state stays small at any organization size), MaxConcurrency
 * and ToleratedFailurePercentage come from the settings, each shard is a STANDARD child
 * execution (shards may run 15 minutes, longer than an Express child may), Lambda throttling and
 * service errors are retried with exponential backoff and jitter, the ResultWriter records every
 * failed item in the audit bucket. A Map that fails (too many failed shards) is caught: MergeScan
 * still writes the scan — ERROR findings for everything not scanned — and the execution then
 * fails, which the failed-executions alarm reports.
 *
 * `inline` is the same machine with an inline Map (items in the state, a Catch per item standing
 * for the tolerated failures): aws-local-stepfunctions runs it in the tests, since it supports
 * neither ItemReader, ResultWriter nor ToleratedFailurePercentage. Everything else is shared.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/state-map-distributed.html
 */

export const ORG_SCAN_STATES = {
  listAccounts: 'ListAccounts',
  scanShards: 'ScanShards',
  scanShard: 'ScanShard',
  shardFailed: 'ShardFailed',
  mergeScan: 'MergeScan',
  outcome: 'ScanOutcome',
  mapFailed: 'ShardsFailed',
  done: 'ScanCompleted',
} as const;

/** Errors of the Lambda service (not of the function's code), retried with backoff. */
export const LAMBDA_TRANSIENT_ERRORS = [
  'Lambda.TooManyRequestsException',
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.ClientExecutionTimeoutException',
];

/** A scan that outlives a day is stopped (its shards each end within 15 minutes). */
export const EXECUTION_TIMEOUT_SECONDS = 24 * 3600;

export interface OrgScanDefinitionProps {
  readonly mode: 'distributed' | 'inline';
  /** ARNs of the three task functions. */
  readonly functions: {
    readonly accounts: string;
    readonly shard: string;
    readonly merge: string;
  };
  /** The audit bucket's name (ItemReader, ResultWriter). */
  readonly bucket: string;
  readonly maxConcurrency: number;
  readonly toleratedFailurePercentage: number;
  /** Each task's Lambda timeout: the state's TimeoutSeconds adds a margin for the invocation. */
  readonly taskTimeoutSeconds: {
    readonly accounts: number;
    readonly shard: number;
    readonly merge: number;
  };
}

type State = Record<string, unknown>;

const retry = [
  {
    ErrorEquals: LAMBDA_TRANSIENT_ERRORS,
    IntervalSeconds: 2,
    MaxAttempts: 6,
    BackoffRate: 2,
    MaxDelaySeconds: 60,
    JitterStrategy: 'FULL',
  },
];

/** A Lambda task (optimized integration) whose output is the function's result. */
function lambdaTask(functionArn: string, payload: State | '$', timeoutSeconds: number): State {
  return {
    Type: 'Task',
    Resource: 'arn:aws:states:::lambda:invoke',
    Parameters: {
      FunctionName: functionArn,
      ...(payload === '$' ? { 'Payload.$': '$' } : { Payload: payload }),
    },
    TimeoutSeconds: timeoutSeconds + 60,
    Retry: retry,
  };
}

export function orgScanDefinition(props: OrgScanDefinitionProps): State {
  const S = ORG_SCAN_STATES;
  const inline = props.mode === 'inline';
  const t = props.taskTimeoutSeconds;
  const shardTask = { ...lambdaTask(props.functions.shard, '$', t.shard), OutputPath: '$.Payload' };
  const itemSelector = {
    'scanId.$': '$.scanId',
    'startedAt.$': '$.startedAt',
    'account.$': '$$.Map.Item.Value.account',
    'region.$': '$$.Map.Item.Value.region',
  };
  const common = {
    Type: 'Map',
    ItemSelector: itemSelector,
    MaxConcurrency: props.maxConcurrency,
    ResultPath: '$.map',
    Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.map', Next: S.mergeScan }],
    Next: S.mergeScan,
  };
  const scanShards: State = inline
    ? {
        ...common,
        ItemsPath: '$.items',
        ItemProcessor: {
          ProcessorConfig: { Mode: 'INLINE' },
          StartAt: S.scanShard,
          States: {
            [S.scanShard]: {
              ...shardTask,
              Catch: [
                { ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: S.shardFailed },
              ],
              End: true,
            },
            [S.shardFailed]: { Type: 'Pass', End: true },
          },
        },
      }
    : {
        ...common,
        Label: S.scanShards,
        ItemReader: {
          Resource: 'arn:aws:states:::s3:getObject',
          ReaderConfig: { InputType: 'JSON' },
          Parameters: { Bucket: props.bucket, 'Key.$': '$.shardsKey' },
        },
        ItemProcessor: {
          ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
          StartAt: S.scanShard,
          States: { [S.scanShard]: { ...shardTask, End: true } },
        },
        ToleratedFailurePercentage: props.toleratedFailurePercentage,
        ResultWriter: {
          Resource: 'arn:aws:states:::s3:putObject',
          Parameters: { Bucket: props.bucket, 'Prefix.$': '$.resultsPrefix' },
        },
      };

  return {
    Comment:
      'Organization compliance scan: list accounts, scan every (account, region) shard, merge into one scan',
    TimeoutSeconds: EXECUTION_TIMEOUT_SECONDS,
    StartAt: S.listAccounts,
    States: {
      [S.listAccounts]: {
        ...lambdaTask(
          props.functions.accounts,
          { 'trigger.$': '$', ...(inline ? { inlineShards: true } : {}) },
          t.accounts,
        ),
        OutputPath: '$.Payload',
        Next: S.scanShards,
      },
      [S.scanShards]: scanShards,
      [S.mergeScan]: {
        ...lambdaTask(
          props.functions.merge,
          {
            'scanId.$': '$.scanId',
            'startedAt.$': '$.startedAt',
            'planKey.$': '$.planKey',
            'resultsPrefix.$': '$.resultsPrefix',
            'map.$': '$.map',
          },
          t.merge,
        ),
        ResultSelector: {
          'findingsKey.$': '$.Payload.findingsKey',
          'counts.$': '$.Payload.counts',
          'accountsWithFailures.$': '$.Payload.accountsWithFailures',
        },
        ResultPath: '$.merge',
        Next: S.outcome,
      },
      [S.outcome]: {
        Type: 'Choice',
        Choices: [{ Variable: '$.map.Error', IsPresent: true, Next: S.mapFailed }],
        Default: S.done,
      },
      [S.mapFailed]: {
        Type: 'Fail',
        Error: 'ShardsFailed',
        Cause:
          'More shards failed than ORG_FAILURE_TOLERANCE allows, or the map run failed; the scan was written with ERROR findings for everything not scanned',
      },
      [S.done]: { Type: 'Succeed' },
    },
  };
}
