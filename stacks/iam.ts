/**
 * IAM building blocks: policy documents as plain JSON (readable in the plan and parseable
 * offline), and the one kind of role this stack creates — managed policies only.
 */
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePoliciesExclusive } from '@cdktf/provider-aws/lib/iam-role-policies-exclusive';
import { IamRolePolicyAttachmentsExclusive } from '@cdktf/provider-aws/lib/iam-role-policy-attachments-exclusive';
import { Construct } from 'constructs';

export type Conditions = Readonly<
  Record<string, Readonly<Record<string, string | readonly string[] | boolean>>>
>;

export interface PolicyStatement {
  readonly sid?: string;
  /** @default Allow */
  readonly effect?: 'Allow' | 'Deny';
  readonly principals?: Readonly<Record<string, string | readonly string[]>>;
  readonly actions: readonly string[];
  readonly resources?: readonly string[];
  readonly conditions?: Conditions;
}

/** A policy document as a JSON string; Terraform references inside values resolve at plan. */
export function policyDocument(statements: readonly PolicyStatement[]): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: statements.map((s) => ({
      ...(s.sid ? { Sid: s.sid } : {}),
      Effect: s.effect ?? 'Allow',
      ...(s.principals ? { Principal: s.principals } : {}),
      Action: s.actions.length === 1 ? s.actions[0] : [...s.actions],
      ...(s.resources
        ? { Resource: s.resources.length === 1 ? s.resources[0] : [...s.resources] }
        : {}),
      ...(s.conditions ? { Condition: s.conditions } : {}),
    })),
  });
}

/** The resource-policy statement that refuses every request not made over TLS. */
export function denyInsecureTransport(
  actions: readonly string[],
  resources: readonly string[],
): PolicyStatement {
  return {
    sid: 'DenyInsecureTransport',
    effect: 'Deny',
    principals: { AWS: '*' },
    actions,
    resources,
    conditions: { Bool: { 'aws:SecureTransport': 'false' } },
  };
}

/** IAM's limit on a customer-managed policy document, whitespace not counted. */
export const MANAGED_POLICY_MAX_CHARS = 6144;

/**
 * Items (statements) packed in order into as few groups as keep `size(group)` within `max`: one
 * managed policy per group. A single item over the limit gets a group of its own (IAM then refuses
 * it, loudly).
 */
export function packWithin<T>(
  items: readonly T[],
  size: (group: readonly T[]) => number,
  max = MANAGED_POLICY_MAX_CHARS,
): T[][] {
  const groups: T[][] = [];
  for (const item of items) {
    const last = groups.at(-1);
    if (last && size([...last, item]) <= max) last.push(item);
    else groups.push([item]);
  }
  return groups;
}

/**
 * Characters IAM counts for a document of these statements once Terraform has resolved it: a
 * reference such as `${aws_kms_key.x.arn}` is counted as the longest value it can take (an ARN of
 * 90 characters), since the synthesized token is shorter than what IAM receives.
 */
export function resolvedPolicySize(statements: readonly PolicyStatement[]): number {
  return resolvedDocumentSize(policyDocument(statements));
}

/** resolvedPolicySize of a policy document as synthesized (JSON text with references). */
export function resolvedDocumentSize(document: string): number {
  const text = document.replace(/\s/g, '');
  const tokens = text.match(/\$\{[^}]*\}/g) ?? [];
  return (
    text.length + tokens.reduce((n, t) => n + Math.max(0, RESOLVED_REFERENCE_CHARS - t.length), 0)
  );
}
const RESOLVED_REFERENCE_CHARS = 90;

/** AWS managed policies the functions use (DESIGN §4). */
export function awsManagedPolicyArn(partition: string, name: string): string {
  return `arn:${partition}:iam::aws:policy/${name}`;
}

export interface ManagedRoleProps {
  /**
   * Role name; its customer-managed policy gets the same name (and further ones `extraPolicyName`
   * when the statements need more than one policy under IAM's size limit).
   */
  readonly name: string;
  readonly description: string;
  /** Service principal allowed to assume the role, e.g. lambda.amazonaws.com. */
  readonly servicePrincipal: string;
  /** Conditions on sts:AssumeRole (confused-deputy protection where the service supports it). */
  readonly trustConditions?: Conditions;
  /** AWS managed policies to attach. */
  readonly awsManagedPolicyArns?: readonly string[];
  /**
   * Name of the role's n-th own policy (from 2) when its statements need more than one.
   * @default - `<name>-<n>`
   */
  readonly extraPolicyName?: (n: number) => string;
  /** Statements of the role's own customer-managed policy (least privilege); none: no own policy. */
  readonly statements: readonly PolicyStatement[];
}

/**
 * A role whose permissions are all managed policies: AWS managed ones plus its own
 * customer-managed policy (split into as few as IAM's 6,144-character limit allows). The
 * exclusive-attachment resources make Terraform remove any inline policy or extra attachment
 * someone adds outside Terraform.
 */
export class ManagedRole extends Construct {
  readonly role: IamRole;
  readonly policies: IamPolicy[];
  /** Depend on this to use the role with its permissions in place. */
  readonly attachments: IamRolePolicyAttachmentsExclusive;

  constructor(scope: Construct, id: string, props: ManagedRoleProps) {
    super(scope, id);
    if (props.statements.length === 0 && !props.awsManagedPolicyArns?.length)
      throw new Error(`Role ${props.name}: needs statements or AWS managed policies`);
    this.role = new IamRole(this, 'role', {
      name: props.name,
      description: props.description,
      assumeRolePolicy: policyDocument([
        {
          principals: { Service: props.servicePrincipal },
          actions: ['sts:AssumeRole'],
          conditions: props.trustConditions,
        },
      ]),
    });
    // A role of AWS managed policies only (a service role AWS maintains) has no policy of its own.
    const groups =
      props.statements.length > 0 ? packWithin(props.statements, resolvedPolicySize) : [];
    this.policies = groups.map(
      (statements, i) =>
        // The first keeps the ids and names a single policy always had.
        new IamPolicy(this, i === 0 ? 'policy' : `policy-${i + 1}`, {
          name: i === 0 ? props.name : (props.extraPolicyName?.(i + 1) ?? `${props.name}-${i + 1}`),
          description: `Least-privilege permissions of ${props.name}${groups.length > 1 ? ` (${i + 1} of ${groups.length})` : ''}`,
          policy: policyDocument(statements),
        }),
    );
    this.attachments = new IamRolePolicyAttachmentsExclusive(this, 'attachments', {
      roleName: this.role.name,
      policyArns: [...(props.awsManagedPolicyArns ?? []), ...this.policies.map((p) => p.arn)],
    });
    new IamRolePoliciesExclusive(this, 'no-inline-policies', {
      roleName: this.role.name,
      policyNames: [],
    });
  }
}
