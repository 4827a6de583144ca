/**
 * What each IAM role of a synthesized stack may do: who can assume it, its AWS managed policies,
 * and the statements of its own (customer-managed and inline) policies, with Terraform references
 * made readable. The plan review, the least-privilege test and docs/permissions.md read this.
 */
import { iamBaseName } from '../stacks/environment';
import { asList, parsePolicy, type Statement } from './iam-policies';
import { soleTraversal } from './interpolation';
import {
  constructPath,
  isObject,
  readable,
  resources,
  str,
  type Block,
  type TfStack,
} from './tf-json';

export interface RoleStatement {
  readonly sid?: string;
  readonly effect: string;
  readonly actions: readonly string[];
  readonly resources: readonly string[];
  readonly conditions?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

export interface RolePermissions {
  /** Physical role name, e.g. compliance-scanner-us-east-1-dev. */
  readonly roleName: string;
  /** Role name without product prefix, region and suffix, e.g. scanner. */
  readonly key: string;
  readonly address: string;
  readonly path?: string;
  readonly trustedServices: readonly string[];
  readonly trustConditions: readonly string[];
  /** AWS managed policies by name, e.g. service-role/AWSLambdaBasicExecutionRole. */
  readonly managedPolicies: readonly string[];
  /** Names of the role's own customer-managed policies. */
  readonly ownPolicies: readonly string[];
  readonly inlinePolicies: number;
  readonly statements: readonly RoleStatement[];
}

/** One action's grant across a role's Allow statements. */
export interface Grant {
  readonly resources: string[];
  readonly conditions?: Record<string, Record<string, unknown>>[];
}

/** The ENVIRONMENT_SUFFIX the functions carry (every function sets it). */
export function environmentSuffix(stack: TfStack): string | undefined {
  for (const fn of resources(stack, 'aws_lambda_function')) {
    const env =
      (fn.body.environment as
        | { variables?: Record<string, unknown> }[]
        | { variables?: Record<string, unknown> }
        | undefined) ?? {};
    const vars = (Array.isArray(env) ? env[0] : env)?.variables;
    if (typeof vars?.ENVIRONMENT_SUFFIX === 'string') return vars.ENVIRONMENT_SUFFIX;
  }
  return undefined;
}

/** Whether a template is `${aws_iam_role.<name>.name|id|arn}` for this role. */
function refersToRole(value: unknown, role: Block): boolean {
  if (typeof value !== 'string') return false;
  const ref = soleTraversal(value);
  return ref !== undefined && ref.parts[0] === 'aws_iam_role' && ref.parts[1] === role.name;
}

function statementsOf(stack: TfStack, raw: string): RoleStatement[] {
  const doc = parsePolicy(raw).document;
  if (!doc) return [];
  return doc.Statement.map((s: Statement) => ({
    ...(s.Sid ? { sid: s.Sid } : {}),
    effect: s.Effect ?? 'Allow',
    actions: asList(s.Action ?? s.NotAction),
    resources: asList(s.Resource ?? s.NotResource).map((r) => readable(stack, r)),
    ...(s.Condition
      ? {
          conditions: JSON.parse(
            readable(stack, JSON.stringify(s.Condition)),
          ) as RoleStatement['conditions'],
        }
      : {}),
  }));
}

function conditionText(conditions: Record<string, Record<string, unknown>> | undefined): string[] {
  return Object.entries(conditions ?? {}).flatMap(([op, kv]) =>
    Object.entries(kv).map(
      ([k, v]) => `${op} ${k} = ${Array.isArray(v) ? v.join(', ') : String(v)}`,
    ),
  );
}

/** The aws provider's region of a stack. */
function providerRegion(stack: TfStack): string | undefined {
  const provider = stack.json.provider?.aws;
  const body = (Array.isArray(provider) ? provider[0] : provider) ?? {};
  return str(body, 'region');
}

/** A role's key: its iamName base (`scanner`), else the name without the suffix. */
function roleKey(roleName: string, region: string | undefined, suffix: string | undefined): string {
  const base = region && suffix ? iamBaseName(roleName, region, suffix) : undefined;
  if (base) return base;
  return suffix && roleName.endsWith(`-${suffix}`)
    ? roleName.slice(0, -suffix.length - 1)
    : roleName;
}

export function rolePermissions(stack: TfStack): RolePermissions[] {
  const suffix = environmentSuffix(stack);
  const region = providerRegion(stack);
  const policies = new Map(resources(stack, 'aws_iam_policy').map((p) => [p.name, p]));
  const out: RolePermissions[] = [];
  for (const role of resources(stack, 'aws_iam_role')) {
    const roleName = str(role.body, 'name') ?? role.name;
    const trust = parsePolicy(str(role.body, 'assume_role_policy') ?? '').document?.Statement ?? [];
    const trustedServices = trust.flatMap((s) => {
      const p = isObject(s.Principal) ? s.Principal : {};
      return [
        ...asList(p.Service as string | string[] | undefined),
        ...asList(p.AWS as string | string[] | undefined).map((a) => readable(stack, a)),
      ];
    });
    const trustConditions = trust
      .flatMap((s) => conditionText(s.Condition))
      .map((c) => readable(stack, c));
    const arns: string[] = [];
    for (const att of resources(stack, 'aws_iam_role_policy_attachments_exclusive')) {
      if (refersToRole(att.body.role_name, role))
        arns.push(...asList(att.body.policy_arns as string[]));
    }
    for (const att of resources(stack, 'aws_iam_role_policy_attachment')) {
      if (refersToRole(att.body.role, role)) arns.push(str(att.body, 'policy_arn') ?? '');
    }
    arns.push(...asList(role.body.managed_policy_arns as string[] | undefined));
    const managedPolicies: string[] = [];
    const ownPolicies: string[] = [];
    const statements: RoleStatement[] = [];
    for (const arn of arns) {
      const ref = soleTraversal(arn);
      const own = ref && ref.parts[0] === 'aws_iam_policy' ? policies.get(ref.parts[1]) : undefined;
      if (own) {
        ownPolicies.push(str(own.body, 'name') ?? own.name);
        statements.push(...statementsOf(stack, str(own.body, 'policy') ?? ''));
      } else {
        const m = /:iam::aws:policy\/(.+)$/.exec(arn);
        managedPolicies.push(m ? m[1] : readable(stack, arn));
      }
    }
    let inlinePolicies = 0;
    for (const inline of resources(stack, 'aws_iam_role_policy')) {
      if (!refersToRole(inline.body.role, role)) continue;
      inlinePolicies++;
      statements.push(...statementsOf(stack, str(inline.body, 'policy') ?? ''));
    }
    for (const inline of asList(role.body.inline_policy as unknown as string[])) {
      if (isObject(inline) && typeof inline.policy === 'string') {
        inlinePolicies++;
        statements.push(...statementsOf(stack, inline.policy));
      }
    }
    out.push({
      roleName,
      key: roleKey(roleName, region, suffix),
      address: role.address,
      path: constructPath(role.body),
      trustedServices,
      trustConditions,
      managedPolicies: managedPolicies.sort(),
      ownPolicies,
      inlinePolicies,
      statements,
    });
  }
  return out.sort((a, b) => a.key.localeCompare(b.key));
}

/** Allow statements flattened per action: the resources (and conditions) it is granted on. */
export function grants(statements: readonly RoleStatement[]): Record<string, Grant> {
  const out: Record<
    string,
    { resources: string[]; conditions?: Record<string, Record<string, unknown>>[] }
  > = {};
  for (const s of statements) {
    if (s.effect !== 'Allow') continue;
    for (const action of s.actions) {
      const g = (out[action] ??= { resources: [] });
      for (const r of s.resources) if (!g.resources.includes(r)) g.resources.push(r);
      if (s.conditions) {
        const c = s.conditions as Record<string, Record<string, unknown>>;
        g.conditions ??= [];
        if (!g.conditions.some((x) => JSON.stringify(x) === JSON.stringify(c)))
          g.conditions.push(c);
      }
    }
  }
  for (const g of Object.values(out)) g.resources.sort();
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}

export { conditionText };
