/** The members stack: the read-only role in every member account, rolled out by a StackSet. */
import { CloudformationStackSet } from '@cdktf/provider-aws/lib/cloudformation-stack-set';
import { CloudformationStackSetInstance } from '@cdktf/provider-aws/lib/cloudformation-stack-set-instance';
import { Testing } from 'cdktf';
import {
  MEMBER_ROLE_PARAMETERS,
  memberRemediationTemplate,
  memberRoleTemplate,
} from '../../stacks/member-role-template';
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

/**
 * The trust statement both member templates must carry: the audit account's role named by the
 * TrustedRoleName parameter alone, inside the organization, with the external id, for sessions
 * named `sessionPattern`.
 */
function auditRoleTrust(sid: string, sessionPattern: string): Json {
  const P = MEMBER_ROLE_PARAMETERS;
  const auditArn = (...resource: unknown[]) => ({
    'Fn::Join': [
      '',
      ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: P.auditAccountId }, ...resource],
    ],
  });
  return {
    Sid: sid,
    Effect: 'Allow',
    Principal: { AWS: auditArn(':root') },
    Action: 'sts:AssumeRole',
    Condition: {
      ArnEquals: { 'aws:PrincipalArn': auditArn(':role/', { Ref: P.trustedRoleName }) },
      StringEquals: {
        'aws:PrincipalOrgID': { Ref: P.organizationId },
        'sts:ExternalId': { Ref: P.externalId },
      },
      StringLike: { 'sts:RoleSessionName': sessionPattern },
    },
  };
}

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
    expect(statement).toEqual(auditRoleTrust('OrgShardOfTheAuditAccount', 'compliance-scan-*'));
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

describe('member remediation (ORG_REMEDIATION=members)', () => {
  const remediation = {
    roleName: `compliance-audit-remediation-${SUFFIX}`,
    keyAlias: `alias/compliance-audit-remediation-${SUFFIX}`,
  };
  const template = memberRemediationTemplate({ remediation, tags: { Owner: 'secops' } }) as {
    Parameters: Json;
    Resources: Record<string, { Type: string; Properties: Json } & Json>;
    Outputs: Json;
  };
  const P = MEMBER_ROLE_PARAMETERS;
  const join = (...parts: unknown[]) => ({ 'Fn::Join': ['', parts] });

  it('has a remediation role trusted only by the audit account’s remediation role, with the same conditions', () => {
    expect(Object.keys(template.Parameters).sort()).toEqual(Object.values(P).sort());
    const role = template.Resources.RemediationRole!.Properties;
    expect(role).toMatchObject({ RoleName: remediation.roleName, MaxSessionDuration: 3600 });
    expect((role.AssumeRolePolicyDocument as { Statement: Json[] }).Statement).toEqual([
      auditRoleTrust('RemediationOfTheAuditAccount', 'compliance-remediation-*'),
    ]);
    expect(Object.keys(template.Resources).sort()).toEqual([
      'AuditAccountPlaceholder',
      'RemediationKey',
      'RemediationKeyAlias',
      'RemediationPolicy',
      'RemediationRole',
    ]);
  });

  it('creates nothing but a placeholder in the audit account, should automatic deployment reach it', () => {
    const t = template as unknown as {
      Conditions: Json;
      Resources: Record<string, { Condition?: string; Type: string }>;
      Outputs: Record<string, { Condition?: string }>;
    };
    const accountIs = { 'Fn::Equals': [{ Ref: 'AWS::AccountId' }, { Ref: P.auditAccountId }] };
    expect(t.Conditions).toEqual({
      IsMemberAccount: { 'Fn::Not': [accountIs] },
      IsAuditAccount: accountIs,
    });
    for (const [id, r] of Object.entries(t.Resources))
      expect([id, r.Condition]).toEqual([
        id,
        id === 'AuditAccountPlaceholder' ? 'IsAuditAccount' : 'IsMemberAccount',
      ]);
    expect(t.Resources.AuditAccountPlaceholder!.Type).toBe(
      'AWS::CloudFormation::WaitConditionHandle',
    );
    for (const o of Object.values(t.Outputs)) expect(o.Condition).toBe('IsMemberAccount');
  });

  it('grants the remediation role the fixer’s actions only, on its own account’s buckets, in a managed policy', () => {
    const role = template.Resources.RemediationRole!.Properties;
    expect(role).not.toHaveProperty('Policies');
    expect(role.ManagedPolicyArns).toEqual([{ Ref: 'RemediationPolicy' }]);
    const doc = template.Resources.RemediationPolicy!.Properties.PolicyDocument as {
      Statement: { Action: string | string[]; Condition?: Json }[];
    };
    expect(doc.Statement.flatMap((s) => [s.Action].flat()).sort()).toEqual([
      'kms:DescribeKey',
      's3:GetBucketAcl',
      's3:GetBucketLocation',
      's3:GetBucketPolicy',
      's3:GetBucketTagging',
      's3:GetEncryptionConfiguration',
      's3:PutEncryptionConfiguration',
    ]);
    const s3 = doc.Statement.find((st) =>
      [st.Action].flat().includes('s3:PutEncryptionConfiguration'),
    )!;
    expect(s3.Condition).toEqual({
      StringEquals: { 's3:ResourceAccount': { Ref: 'AWS::AccountId' } },
    });
  });

  it('creates the member’s own rotating key, usable only through S3 in that account, and retained', () => {
    const key = template.Resources.RemediationKey!;
    expect(key.DeletionPolicy).toBe('Retain');
    expect(key.UpdateReplacePolicy).toBe('Retain');
    expect(key.Properties).toMatchObject({ EnableKeyRotation: true, RotationPeriodInDays: 365 });
    const statements = (key.Properties.KeyPolicy as { Statement: Json[] }).Statement;
    expect(statements).toEqual([
      {
        Sid: 'AccountAdministersKey',
        Effect: 'Allow',
        Principal: {
          AWS: join(
            'arn:',
            { Ref: 'AWS::Partition' },
            ':iam::',
            { Ref: 'AWS::AccountId' },
            ':root',
          ),
        },
        Action: 'kms:*',
        Resource: '*',
      },
      {
        Sid: 'UseThroughS3InThisAccount',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: [
          'kms:Encrypt',
          'kms:Decrypt',
          'kms:ReEncrypt*',
          'kms:GenerateDataKey*',
          'kms:DescribeKey',
        ],
        Resource: '*',
        Condition: {
          StringEquals: {
            'kms:CallerAccount': { Ref: 'AWS::AccountId' },
            'kms:ViaService': join('s3.', { Ref: 'AWS::Region' }, '.amazonaws.com'),
          },
        },
      },
    ]);
    expect(template.Resources.RemediationKeyAlias!.Properties).toEqual({
      AliasName: remediation.keyAlias,
      TargetKeyId: { Ref: 'RemediationKey' },
    });
    expect(JSON.stringify(template)).not.toContain('${');
  });

  it('is rolled out by its own StackSet to every member but the audit account, trusting the audit stack’s remediation role', () => {
    const { synth, tf } = synthMembers({
      organization: {
        auditAccountId: '111111111111',
        excludeAccounts: ['222222222222'],
        remediation: 'members',
      },
    });
    expect(synth).toHaveResourceWithProperties(CloudformationStackSet, {
      name: `compliance-audit-member-remediation-${SUFFIX}`,
      permission_model: 'SERVICE_MANAGED',
      auto_deployment: { enabled: true, retain_stacks_on_account_removal: false },
      parameters: {
        AuditAccountId: '111111111111',
        TrustedRoleName: iamNameOf('remediation'),
        ExternalId: `compliance-audit-${SUFFIX}`,
        OrganizationId: '${data.aws_organizations_organization.organization.id}',
      },
    });
    const sets = resourcesOf(tf, 'aws_cloudformation_stack_set');
    const bodies = sets.map((set) => String(set.config.template_body));
    expect(bodies.filter((b) => b.includes('RemediationRole'))).toHaveLength(1);
    // The read-only role's StackSet and the management account's stack stay read-only.
    expect(
      bodies.filter((b) => b.includes('AuditRole') && !b.includes('Remediation')),
    ).toHaveLength(1);
    for (const stack of resourcesOf(tf, 'aws_cloudformation_stack'))
      expect(String(stack.config.template_body)).not.toContain('Remediation');
    expect(synth).toHaveResourceWithProperties(CloudformationStackSetInstance, {
      stack_set_name: expect.stringContaining('member-remediation'),
      deployment_targets: {
        organizational_unit_ids: [
          '${data.aws_organizations_organization.organization.roots[0].id}',
        ],
        account_filter_type: 'DIFFERENCE',
        accounts: ['222222222222', '111111111111'],
      },
    });
    expect(tf.output).toMatchObject({
      member_remediation_role_name: { value: remediation.roleName },
      member_remediation_key_alias: { value: remediation.keyAlias },
    });
  });

  it('adds nothing by default', () => {
    const { tf } = synthMembers();
    expect(resourcesOf(tf, 'aws_cloudformation_stack_set')).toHaveLength(1);
    expect(
      String(resourcesOf(tf, 'aws_cloudformation_stack_set')[0]!.config.template_body),
    ).not.toContain('Remediation');
  });
});
