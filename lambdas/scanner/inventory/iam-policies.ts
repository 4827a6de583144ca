/**
 * IAM managed policies, once per account: every customer managed policy (attached or not) and
 * every attached AWS managed policy, each with the document of its default version; and the
 * identities the AWS managed AWSSupportAccess policy is attached to.
 *
 * IAM actions (resource scoping):
 * - `iam:ListPolicies` — resource `*` (no resource-level permissions)
 * - `iam:GetPolicyVersion` — policy ARNs: `arn:aws:iam::<account>:policy/*` (customer managed) and
 *   `arn:aws:iam::aws:policy/*` (the attached AWS managed ones)
 * - `iam:ListEntitiesForPolicy` — the AWSSupportAccess policy ARN only,
 *   `arn:aws:iam::aws:policy/AWSSupportAccess`
 */
import {
  GetPolicyVersionCommand,
  IAMClient,
  paginateListEntitiesForPolicy,
  paginateListPolicies,
  type PolicyScopeType,
} from '@aws-sdk/client-iam';
import { Collector, type CallSite } from './collector';
import type {
  Listed,
  ManagedPolicyInventory,
  Observed,
  PolicyDocument,
  PolicyEntities,
} from './types';

/** IAM list calls accept MaxItems up to 1000. */
const PAGE_SIZE = 1000;

/** Where an IAM call is made (the account's home region, an operation, the resource). */
type CallAt = (operation: string, resourceUid?: string) => CallSite;

/** The ARN of an AWS managed policy in the partition. */
export function awsManagedPolicyArn(partition: string, name: string): string {
  return `arn:${partition}:iam::aws:policy/${name}`;
}

/** A policy version document as IAM returns it: URL-encoded JSON (RFC 3986). */
export function decodePolicyDocument(encoded: string): PolicyDocument {
  return JSON.parse(decodeURIComponent(encoded)) as PolicyDocument;
}

/** Policies of one scope, each with its default version's document. */
export async function collectManagedPolicies(
  c: Collector,
  iam: IAMClient,
  at: CallAt,
  scope: PolicyScopeType,
): Promise<Listed<ManagedPolicyInventory>> {
  const listed = await c.list(
    at('ListPolicies'),
    () =>
      paginateListPolicies(
        { client: iam, pageSize: PAGE_SIZE },
        { Scope: scope, OnlyAttached: scope === 'AWS' },
      ),
    (page) =>
      (page.Policies ?? []).flatMap((p) =>
        p.PolicyName && p.Arn && p.DefaultVersionId
          ? [
              {
                name: p.PolicyName,
                arn: p.Arn,
                attachmentCount: p.AttachmentCount ?? 0,
                permissionsBoundaryUsageCount: p.PermissionsBoundaryUsageCount ?? 0,
                defaultVersionId: p.DefaultVersionId,
              },
            ]
          : [],
      ),
  );
  const policies = await c.each(listed.items, async (p): Promise<ManagedPolicyInventory> => ({
    ...p,
    document: await c.observe(at('GetPolicyVersion', p.arn), async () => {
      const out = await iam.send(
        new GetPolicyVersionCommand({ PolicyArn: p.arn, VersionId: p.defaultVersionId }),
      );
      return decodePolicyDocument(out.PolicyVersion?.Document ?? '{}');
    }),
  }));
  return { items: policies, error: listed.error };
}

/** Users, groups and roles a managed policy is attached to as a permissions policy. */
export function collectPolicyEntities(
  c: Collector,
  iam: IAMClient,
  at: CallAt,
  policyArn: string,
): Promise<Observed<PolicyEntities>> {
  return c.observe(at('ListEntitiesForPolicy', policyArn), async () => {
    const entities = { users: [] as string[], groups: [] as string[], roles: [] as string[] };
    // A permissions boundary grants nothing, so only permissions-policy attachments count.
    for await (const page of paginateListEntitiesForPolicy(
      { client: iam, pageSize: PAGE_SIZE },
      { PolicyArn: policyArn, PolicyUsageFilter: 'PermissionsPolicy' },
    )) {
      entities.users.push(...(page.PolicyUsers ?? []).flatMap((u) => u.UserName ?? []));
      entities.groups.push(...(page.PolicyGroups ?? []).flatMap((g) => g.GroupName ?? []));
      entities.roles.push(...(page.PolicyRoles ?? []).flatMap((r) => r.RoleName ?? []));
    }
    return entities;
  });
}
