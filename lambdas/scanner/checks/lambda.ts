/**
 * Lambda checks: reserved concurrency (our own control — Security Hub has none) and active X-Ray
 * tracing (Security Hub Lambda.7).
 */
import type { FindingResource } from '../../shared/findings';
import type { Inventory, LambdaFunctionInventory } from '../inventory/types';
import {
  defineCheck,
  regionsOf,
  resource,
  tagsOf,
  type CheckMetadata,
  type FindingBuilder,
} from './types';

const FUNCTION = 'AWS::Lambda::Function';

function eachFunction(
  b: FindingBuilder,
  inv: Inventory,
  check: CheckMetadata,
  evaluate: (fn: LambdaFunctionInventory, res: FindingResource) => void,
): void {
  for (const region of regionsOf(inv)) {
    for (const fn of region.lambda.functions.items) {
      evaluate(fn, resource(check, fn.arn, region.region, fn.name, tagsOf(fn.tags)));
    }
    b.listError(
      region.lambda.functions,
      b.scope('lambda', region.region, `Lambda functions in ${region.region}`),
      'the functions that were not listed',
    );
  }
}

const reservedConcurrencyMeta: CheckMetadata = {
  id: 'Lambda.ReservedConcurrency',
  title:
    'Lambda functions should have reserved concurrency (no Security Hub or CIS control; project policy)',
  severity: 'low',

  resourceType: FUNCTION,
  reads: ['lambda:ListFunctions', 'lambda:GetFunctionConcurrency'],
  docs: 'https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html',
  remediation: {
    desc: 'Reserve concurrency for the function (`aws lambda put-function-concurrency --reserved-concurrent-executions <n>`) so it cannot starve others or run away; note AWS keeps 100 executions unreserved per account.',
    references: ['https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html'],
  },
};
export const reservedConcurrency = defineCheck(reservedConcurrencyMeta, (b, inv) =>
  eachFunction(b, inv, reservedConcurrencyMeta, (fn, res) => {
    if (!fn.reservedConcurrency.ok) {
      return b.error(res, `the reserved concurrency of ${fn.name}`, fn.reservedConcurrency.error);
    }
    const n = fn.reservedConcurrency.value;
    if (n === null) return b.fail(res, `Function ${fn.name} has no reserved concurrency.`);
    if (n === 0)
      return b.pass(
        res,
        `Function ${fn.name} has reserved concurrency 0 (throttled: it cannot run).`,
      );
    b.pass(res, `Function ${fn.name} has reserved concurrency ${n}.`);
  }),
);

const lambda_7: CheckMetadata = {
  id: 'Lambda.7',
  title: 'Lambda functions should have AWS X-Ray active tracing enabled',
  severity: 'low',
  securityHubId: 'Lambda.7',
  resourceType: FUNCTION,
  reads: ['lambda:ListFunctions'],
  docs: 'https://docs.aws.amazon.com/securityhub/latest/userguide/lambda-controls.html#lambda-7',
  remediation: {
    desc: "Set the function's tracing mode to Active (`aws lambda update-function-configuration --tracing-config Mode=Active`) and give its role xray:PutTraceSegments/PutTelemetryRecords.",
    references: [
      'https://docs.aws.amazon.com/securityhub/latest/userguide/lambda-controls.html#lambda-7',
      'https://docs.aws.amazon.com/lambda/latest/dg/services-xray.html',
    ],
  },
};
export const activeTracing = defineCheck(lambda_7, (b, inv) =>
  eachFunction(b, inv, lambda_7, (fn, res) => {
    if (fn.tracingMode === 'Active')
      return b.pass(res, `Function ${fn.name} has X-Ray tracing Active.`);
    b.fail(
      res,
      `Function ${fn.name} has X-Ray tracing ${fn.tracingMode ?? 'not configured'} (PassThrough), not Active.`,
    );
  }),
);

export const LAMBDA_CHECKS = [reservedConcurrency, activeTracing];
