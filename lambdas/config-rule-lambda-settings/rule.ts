/**
 * Config custom rule `config-rule-lambda-settings` (AWS::Lambda::Function, change-triggered).
 *
 * COMPLIANT when all three hold; the annotation lists every condition that fails:
 *   - reserved concurrency is set (GetFunctionConcurrency: the configuration item lacks it);
 *   - tracing mode is Active (item `configuration.tracingConfig.mode`);
 *   - the execution role (`configuration.role`, an ARN that may carry a path) has no inline
 *     policies (ListRolePolicies on the role *name*, the last path segment).
 *
 * IAM actions:
 *   lambda:GetFunctionConcurrency  arn:aws:lambda:<region>:<account>:function:*
 *   iam:ListRolePolicies           arn:aws:iam::<account>:role/*
 */
import { IAMClient, paginateListRolePolicies } from '@aws-sdk/client-iam';
import { GetFunctionConcurrencyCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { awsClient } from '../shared/clients';
import type { ConfigItem, ConfigRule, RuleResult } from '../shared/config-rule';
import { isNotFound } from '../shared/errors';

export const RESOURCE_TYPE = 'AWS::Lambda::Function';

export type LambdaSettingsParams = Record<string, never>;

export interface LambdaSettingsClients {
  lambda(region: string): LambdaClient;
  iam: IAMClient;
}

/** Facts collected for one function; `inlinePolicies` is 'role-not-found' when the role is gone. */
export interface LambdaFacts {
  readonly functionName: string;
  readonly reservedConcurrency?: number;
  readonly tracingMode?: string;
  readonly roleArn?: string;
  readonly inlinePolicies: readonly string[] | 'role-not-found' | 'role-unknown';
}

/** `arn:aws:iam::123456789012:role/service-role/app/my-role` → `my-role`. */
export function roleNameFromArn(arn: string): string | undefined {
  const match = /^arn:aws[a-z-]*:iam::\d{12}:role\/(.+)$/.exec(arn);
  if (!match) return undefined;
  const segments = match[1].split('/');
  return segments[segments.length - 1] || undefined;
}

/** The verdict (pure). */
export function judgeLambda(facts: LambdaFacts): RuleResult {
  const failures: string[] = [];
  if (facts.reservedConcurrency === undefined) failures.push('no reserved concurrency');
  if (facts.tracingMode !== 'Active') {
    failures.push(`tracing mode is ${facts.tracingMode ?? 'unset'} (Active required)`);
  }
  if (facts.inlinePolicies === 'role-unknown') {
    failures.push(`execution role ${facts.roleArn ?? '(none)'} is not a role ARN`);
  } else if (facts.inlinePolicies === 'role-not-found') {
    failures.push(`execution role ${facts.roleArn} does not exist`);
  } else if (facts.inlinePolicies.length > 0) {
    failures.push(
      `execution role ${roleNameFromArn(facts.roleArn ?? '')} has inline policies: ${facts.inlinePolicies.join(', ')}`,
    );
  }
  if (failures.length > 0) {
    return {
      complianceType: 'NON_COMPLIANT',
      annotation: `Function ${facts.functionName}: ${failures.join('; ')}.`,
    };
  }
  return {
    complianceType: 'COMPLIANT',
    annotation:
      `Function ${facts.functionName}: reserved concurrency ${facts.reservedConcurrency}, ` +
      `tracing Active, role ${roleNameFromArn(facts.roleArn ?? '')} has no inline policies.`,
  };
}

export async function reservedConcurrency(
  lambda: LambdaClient,
  functionName: string,
): Promise<number | undefined> {
  const out = await lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: functionName }));
  return out.ReservedConcurrentExecutions;
}

export async function inlinePolicyNames(
  iam: IAMClient,
  roleName: string,
): Promise<string[] | 'role-not-found'> {
  const names: string[] = [];
  try {
    for await (const page of paginateListRolePolicies({ client: iam }, { RoleName: roleName })) {
      names.push(...(page.PolicyNames ?? []));
    }
  } catch (err) {
    if (isNotFound(err, 'NoSuchEntity', 'NoSuchEntityException')) return 'role-not-found';
    throw err;
  }
  return names;
}

export async function collectFacts(
  item: ConfigItem,
  clients: LambdaSettingsClients,
): Promise<LambdaFacts> {
  const cfg = item.configuration as {
    functionName?: string;
    role?: string;
    tracingConfig?: { mode?: string } | null;
  };
  const functionName = cfg.functionName ?? item.resourceName ?? item.resourceId;
  const roleName = cfg.role ? roleNameFromArn(cfg.role) : undefined;
  const [concurrency, inlinePolicies] = await Promise.all([
    reservedConcurrency(clients.lambda(item.awsRegion), functionName),
    roleName ? inlinePolicyNames(clients.iam, roleName) : Promise.resolve('role-unknown' as const),
  ]);
  return {
    functionName,
    reservedConcurrency: concurrency,
    tracingMode: cfg.tracingConfig?.mode ?? undefined,
    roleArn: cfg.role,
    inlinePolicies,
  };
}

export const lambdaSettingsRule: ConfigRule<LambdaSettingsParams, LambdaSettingsClients> = {
  name: 'config-rule-lambda-settings',
  resourceTypes: [RESOURCE_TYPE],
  parseParameters: () => ({}),
  clients: () => ({
    lambda: (region) => awsClient(LambdaClient, region),
    iam: awsClient(IAMClient),
  }),
  evaluate: async (item, _params, clients) => judgeLambda(await collectFacts(item, clients)),
};
