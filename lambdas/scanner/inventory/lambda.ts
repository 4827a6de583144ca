/**
 * Lambda collector, once per region: functions (tracing, runtime and package type come with
 * ListFunctions), then each function's reserved concurrency, tags and resource-based policy.
 *
 * IAM actions (resource scoping):
 * - `lambda:ListFunctions` — resource `*` (no resource-level permissions)
 * - `lambda:GetFunctionConcurrency`, `lambda:ListTags`, `lambda:GetPolicy` — function ARNs,
 *   `arn:aws:lambda:<region>:<account>:function:*`
 */
import {
  GetFunctionConcurrencyCommand,
  GetPolicyCommand,
  LambdaClient,
  ListTagsCommand,
  paginateListFunctions,
} from '@aws-sdk/client-lambda';
import { awsClient } from '../../shared/clients';
import { Collector } from './collector';
import type { RegionalCollector } from './index';
import type { LambdaFunctionInventory, LambdaInventory, PolicyDocument } from './types';

/** ListFunctions accepts at most 50 per page. */
const PAGE_SIZE = 50;

export async function collectLambda(c: Collector, region: string): Promise<LambdaInventory> {
  const lambda = awsClient(LambdaClient, region);
  const listed = await c.list(
    { service: 'lambda', region, operation: 'ListFunctions' },
    () => paginateListFunctions({ client: lambda, pageSize: PAGE_SIZE }, {}),
    (page) =>
      (page.Functions ?? []).flatMap((f) =>
        f.FunctionName && f.FunctionArn
          ? [
              {
                name: f.FunctionName,
                arn: f.FunctionArn,
                tracingMode: f.TracingConfig?.Mode,
                runtime: f.Runtime,
                packageType: f.PackageType,
              },
            ]
          : [],
      ),
  );
  const functions = await c.each(listed.items, async (f): Promise<LambdaFunctionInventory> => {
    const at = (operation: string) => ({
      service: 'lambda' as const,
      region,
      operation,
      resourceUid: f.arn,
    });
    const [reservedConcurrency, tags, policy] = await Promise.all([
      c.observe(at('GetFunctionConcurrency'), async () => {
        const out = await lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: f.arn }));
        return out.ReservedConcurrentExecutions ?? null;
      }),
      c.observe(at('ListTags'), async () => {
        const out = await lambda.send(new ListTagsCommand({ Resource: f.arn }));
        return { ...(out.Tags ?? {}) };
      }),
      c.observe(
        at('GetPolicy'),
        async (): Promise<PolicyDocument | null> => {
          const out = await lambda.send(new GetPolicyCommand({ FunctionName: f.arn }));
          return out.Policy ? (JSON.parse(out.Policy) as PolicyDocument) : null;
        },
        // A function without a resource-based policy answers ResourceNotFoundException.
        { names: ['ResourceNotFoundException'], value: null },
      ),
    ]);
    return { ...f, reservedConcurrency, tags, policy };
  });
  return { functions: { items: functions, error: listed.error } };
}

export const LAMBDA_COLLECTOR: RegionalCollector<LambdaInventory> = {
  service: 'lambda',
  collect: collectLambda,
  unreadable: (error) => ({ functions: { items: [], error } }),
};
