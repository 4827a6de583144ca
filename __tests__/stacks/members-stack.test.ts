/** The members stack: the read-only role in every member account, rolled out by a StackSet. */
import { CloudformationStackSet } from '@cdktf/provider-aws/lib/cloudformation-stack-set';
import { CloudformationStackSetInstance } from '@cdktf/provider-aws/lib/cloudformation-stack-set-instance';
import { Testing } from 'cdktf';
import { MEMBER_ROLE_PARAMETERS, memberRoleTemplate } from '../../stacks/member-role-template';
import { MembersStack, membersBackend } from '../../stacks/members-stack';
import type { ComplianceStackProps } from '../../stacks/settings';
import { iamNameOf, resourcesOf, SUFFIX, type TerraformJson } from '../helpers/stack';

const PROPS: ComplianceStackProps = {
  environmentSuffix: SUFFIX,
  scanScope: 'organization',
  organization: { auditAccountId: '111111111111' },
};

function synthMembers(props: Partial<ComplianceStackProps> = {}) {
  const stack = new MembersStack(Testing.app(), 'members', { ...PROPS, ...props });
  const synth = Testing.synth(stack);
  return { synth, tf: JSON.parse(synth) as TerraformJson };
}

type Json = Record<string, unknown>;

describe('MembersStack', () => {
  it('renders a service-managed StackSet with automatic deployment and managed execution', () => {
    const { synth } = synthMembers();
    expect(synth).toHaveResourceWithProperties(CloudformationStackSet, {
      name: `compliance-audit-member-role-${SUFFIX}`,
      permission_model: 'SERVICE_MANAGED',
      call_as: 'SELF',
      auto_deployment: { enabled: true, retain_stacks_on_account_removal: false },
      managed_execution: { active: true },
      capabilities: ['CAPABILITY_NAMED_IAM'],
      parameters: {
        AuditAccountId: '111111111111',
        TrustedRoleName: iamNameOf('org-shard'),
        ExternalId: `compliance-audit-${SUFFIX}`,
        OrganizationId: '${data.aws_organizations_organization.organization.id}',
      },
      lifecycle: { ignore_changes: ['administration_role_arn'] },
    });
  });

  it('targets the organization root by default, and the management account with a plain stack', () => {
    const { synth, tf } = synthMembers();
    expect(synth).toHaveResourceWithProperties(CloudformationStackSetInstance, {
      deployment_targets: {
        organizational_unit_ids: [
          '${data.aws_organizations_organization.organization.roots[0].id}',
        ],
      },
    });
    expect(resourcesOf(tf, 'aws_cloudformation_stack')).toHaveLength(1);
  });

  it('targets ORG_INCLUDE_OUS less ORG_EXCLUDE_ACCOUNTS, the same set the scan covers', () => {
    const { synth, tf } = synthMembers({
      organization: {
        auditAccountId: '111111111111',
        includeOus: ['ou-ab12-cdef3456'],
        excludeAccounts: ['222222222222'],
        stackSetCallAs: 'DELEGATED_ADMIN',
      },
    });
    expect(synth).toHaveResourceWithProperties(CloudformationStackSetInstance, {
      call_as: 'DELEGATED_ADMIN',
      deployment_targets: {
        organizational_unit_ids: ['ou-ab12-cdef3456'],
        account_filter_type: 'DIFFERENCE',
        accounts: ['222222222222'],
      },
    });
    // Not the management account: a delegated administrator deploys, and OUs narrow the scope.
    expect(resourcesOf(tf, 'aws_cloudformation_stack')).toEqual([]);
  });

  it('keeps its own state beside the audit stack’s', () => {
    expect(
      membersBackend({ kind: 's3', bucket: 'b', key: 'audit/dev/terraform.tfstate', region: 'r' }),
    ).toEqual({
      kind: 's3',
      bucket: 'b',
      key: 'audit/dev/terraform-members.tfstate',
      region: 'r',
    });
    expect(
      membersBackend({ kind: 'cloud', organization: 'o', workspace: 'audit', hostname: 'h' }),
    ).toMatchObject({ workspace: 'audit-members' });
  });

  it('exists only in organization mode', () => {
    expect(() => new MembersStack(Testing.app(), 'members', { environmentSuffix: SUFFIX })).toThrow(
      'members exists only with SCAN_SCOPE=organization',
    );
  });
});

describe('member role template', () => {
  const template = memberRoleTemplate({ roleName: 'audit-member', tags: { Owner: 'secops' } }) as {
    Parameters: Json;
    Resources: Record<string, { Type: string; Properties: Json }>;
  };
  const role = template.Resources.AuditRole!.Properties;

  it('trusts only the org-shard role of the audit account, inside the organization, with the external id', () => {
    const P = MEMBER_ROLE_PARAMETERS;
    expect(Object.keys(template.Parameters).sort()).toEqual(Object.values(P).sort());
    const [statement, ...others] = (role.AssumeRolePolicyDocument as { Statement: Json[] })
      .Statement;
    expect(others).toEqual([]);
    expect(statement).toEqual({
      Sid: 'OrgShardOfTheAuditAccount',
      Effect: 'Allow',
      Principal: {
        AWS: {
          'Fn::Join': [
            '',
            ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: P.auditAccountId }, ':root'],
          ],
        },
      },
      Action: 'sts:AssumeRole',
      Condition: {
        ArnEquals: {
          'aws:PrincipalArn': {
            'Fn::Join': [
              '',
              [
                'arn:',
                { Ref: 'AWS::Partition' },
                ':iam::',
                { Ref: P.auditAccountId },
                ':role/',
                { Ref: P.trustedRoleName },
              ],
            ],
          },
        },
        StringEquals: {
          'aws:PrincipalOrgID': { Ref: P.organizationId },
          'sts:ExternalId': { Ref: P.externalId },
        },
        StringLike: { 'sts:RoleSessionName': 'compliance-scan-*' },
      },
    });
  });

  it('has managed policies only: no inline policy, read-only actions', () => {
    expect(role).not.toHaveProperty('Policies');
    const policies = Object.entries(template.Resources).filter(
      ([, r]) => r.Type === 'AWS::IAM::ManagedPolicy',
    );
    expect(role.ManagedPolicyArns).toEqual(policies.map(([id]) => ({ Ref: id })));
    expect(role.Tags).toEqual([{ Key: 'Owner', Value: 'secops' }]);
    const actions = policies.flatMap(([, p]) =>
      (
        p.Properties.PolicyDocument as { Statement: { Action: string | string[] }[] }
      ).Statement.flatMap((s) => [s.Action].flat()),
    );
    for (const action of actions) expect(action).toMatch(/:(List|Get|Describe|Generate)[A-Za-z]*$/);
  });

  it('never contains `${`, so Terraform cannot take it for an interpolation', () => {
    expect(JSON.stringify(template)).not.toContain('${');
  });
});
