/**
 * Lambda checks: public function policies (Security Hub Lambda.1), supported runtimes (Lambda.2),
 * reserved concurrency (our own control — Security Hub has none) and active X-Ray tracing
 * (Lambda.7).
 */
import type { FindingResource } from '../../shared/findings';
import type { Inventory, LambdaFunctionInventory, PolicyDocument } from '../inventory/types';
import {
  hasRestrictingCondition,
  isWildcardPrincipal,
  labelOf,
  servicePrincipals,
  SOURCE_KEYS,
  statements,
} from './s3-policy';
import {
  defineCheck,
  regionsOf,
  resource,
  tagsOf,
  type CheckMetadata,
  type FindingBuilder,
} from './types';

const FUNCTION = 'AWS::Lambda::Function';
const SH_DOCS = 'https://docs.aws.amazon.com/securityhub/latest/userguide/lambda-controls.html';

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

/**
 * Allow statements that let anyone invoke or manage the function, as Security Hub (Config rule
 * lambda-function-public-access-prohibited) judges them: a wildcard principal without a
 * restricting condition with fixed values, or a service principal without a fixed
 * aws:SourceAccount / aws:SourceArn (Security Hub names S3 as its example: without them any
 * account's bucket — or topic, rule, API — could invoke the function).
 */
export function publicFunctionStatements(policy: PolicyDocument | null): string[] {
  return statements(policy).flatMap((stmt, i) => {
    if (stmt.Effect !== 'Allow') return [];
    if (isWildcardPrincipal(stmt) && !hasRestrictingCondition(stmt))
      return [`${labelOf(stmt, i)} (principal *)`];
    const services = servicePrincipals(stmt);
    if (services.length > 0 && !hasRestrictingCondition(stmt, SOURCE_KEYS))
      return [
        `${labelOf(stmt, i)} (${services.join(', ')} without a fixed aws:SourceAccount or aws:SourceArn)`,
      ];
    return [];
  });
}

const lambda_1: CheckMetadata = {
  id: 'Lambda.1',
  title: 'Lambda function policies should prohibit public access',
  severity: 'critical',
  securityHubId: 'Lambda.1',
  resourceType: FUNCTION,
  reads: ['lambda:ListFunctions', 'lambda:GetPolicy'],
  docs: `${SH_DOCS}#lambda-1`,
  remediation: {
    desc: 'Remove the public statement (`aws lambda remove-permission --function-name <name> --statement-id <sid>`) and grant only named accounts, or a service with its source: `aws lambda add-permission --function-name <name> --statement-id <sid> --action lambda:InvokeFunction --principal s3.amazonaws.com --source-account <account> --source-arn <bucket ARN>`.',
    references: [
      `${SH_DOCS}#lambda-1`,
      'https://docs.aws.amazon.com/config/latest/developerguide/lambda-function-public-access-prohibited.html',
    ],
  },
  prowlerCheckIds: ['awslambda_function_not_publicly_accessible'],
};
export const publicPolicy = defineCheck(lambda_1, (b, inv) =>
  eachFunction(b, inv, lambda_1, (fn, res) => {
    if (!fn.policy.ok)
      return b.error(res, `the resource-based policy of ${fn.name}`, fn.policy.error);
    if (fn.policy.value === null)
      return b.pass(res, `Function ${fn.name} has no resource-based policy.`);
    const open = publicFunctionStatements(fn.policy.value);
    if (open.length > 0)
      return b.fail(
        res,
        `Function ${fn.name}'s policy allows public access: statement ${open.join(', ')}.`,
      );
    b.pass(res, `Function ${fn.name}'s policy grants only named principals or sources.`);
  }),
);

/**
 * Security Hub Lambda.2's `runtime` parameter (not customizable), as AWS's control page listed
 * it when researched for this project in November 2026 (docs mirror commit 2b828ab; see
 * /work/briefs/research/cis.json fact a_lambda2). It omits nodejs20.x, python3.9, ruby3.2 and the
 * OS-only provided.* runtimes, and still lists python3.10 and dotnet8 (Lambda deprecated them on
 * Oct 31 and Nov 10, 2026): review it whenever AWS updates the page.
 */
export const SUPPORTED_RUNTIMES: readonly string[] = [
  'dotnet10',
  'dotnet8',
  'java25',
  'java21',
  'java17',
  'java11',
  'java8.al2',
  'java17.al2023',
  'java11.al2023',
  'java8.al2023',
  'nodejs24.x',
  'nodejs22.x',
  'python3.14',
  'python3.13',
  'python3.12',
  'python3.11',
  'python3.10',
  'ruby4.0',
  'ruby3.4',
  'ruby3.3',
];

const lambda_2: CheckMetadata = {
  id: 'Lambda.2',
  title: 'Lambda functions should use supported runtimes',
  severity: 'medium',
  securityHubId: 'Lambda.2',
  resourceType: FUNCTION,
  reads: ['lambda:ListFunctions'],
  docs: `${SH_DOCS}#lambda-2`,
  remediation: {
    desc: 'Move the function to a supported runtime (test the code on it first): `aws lambda update-function-configuration --function-name <name> --runtime nodejs22.x`.',
    references: [
      `${SH_DOCS}#lambda-2`,
      'https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html',
    ],
  },
  prowlerCheckIds: ['awslambda_function_using_supported_runtimes'],
};
/** Container-image functions have no managed runtime: Security Hub ignores them, and so do we. */
export const supportedRuntime = defineCheck(lambda_2, (b, inv) =>
  eachFunction(b, inv, lambda_2, (fn, res) => {
    if (fn.packageType === 'Image') return;
    if (fn.runtime === undefined)
      return b.fail(res, `Function ${fn.name} reports no runtime, so it uses no supported one.`);
    if (SUPPORTED_RUNTIMES.includes(fn.runtime))
      return b.pass(res, `Function ${fn.name} uses the supported runtime ${fn.runtime}.`);
    b.fail(res, `Function ${fn.name} uses ${fn.runtime}, which is not a supported runtime.`);
  }),
);

export const LAMBDA_CHECKS = [publicPolicy, supportedRuntime, reservedConcurrency, activeTracing];
