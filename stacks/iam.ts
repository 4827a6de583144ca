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

/** AWS managed policies the functions use (DESIGN §4). */
export function awsManagedPolicyArn(partition: string, name: string): string {
  return `arn:${partition}:iam::aws:policy/${name}`;
}

export interface ManagedRoleProps {
  /** Role name; its customer-managed policy gets the same name. */
  readonly name: string;
  readonly description: string;
  /** Service principal allowed to assume the role, e.g. lambda.amazonaws.com. */
  readonly servicePrincipal: string;
  /** Conditions on sts:AssumeRole (confused-deputy protection where the service supports it). */
  readonly trustConditions?: Conditions;
  /** AWS managed policies to attach. */
  readonly awsManagedPolicyArns?: readonly string[];
  /** Statements of the role's own customer-managed policy (least privilege). */
  readonly statements: readonly PolicyStatement[];
}

/**
 * A role whose permissions are all managed policies: AWS managed ones plus one customer-managed
 * policy of its own. The exclusive-attachment resources make Terraform remove any inline policy or
 * extra attachment someone adds outside Terraform.
 */
export class ManagedRole extends Construct {
  readonly role: IamRole;
  readonly policy: IamPolicy;
  /** Depend on this to use the role with its permissions in place. */
  readonly attachments: IamRolePolicyAttachmentsExclusive;

  constructor(scope: Construct, id: string, props: ManagedRoleProps) {
    super(scope, id);
    if (props.statements.length === 0)
      throw new Error(`Role ${props.name}: its own policy needs statements`);
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
    this.policy = new IamPolicy(this, 'policy', {
      name: props.name,
      description: `Least-privilege permissions of ${props.name}`,
      policy: policyDocument(props.statements),
    });
    this.attachments = new IamRolePolicyAttachmentsExclusive(this, 'attachments', {
      roleName: this.role.name,
      policyArns: [...(props.awsManagedPolicyArns ?? []), this.policy.arn],
    });
    new IamRolePoliciesExclusive(this, 'no-inline-policies', {
      roleName: this.role.name,
      policyNames: [],
    });
  }
}
