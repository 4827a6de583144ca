/**
 * MembersStack (`compliance-audit-members`): the read-only audit role in every member account of
 * the organization, rolled out the way organizations do it — a service-managed CloudFormation
 * StackSet with automatic deployment, so accounts that join later get the role too, and lose it
 * when they leave. Its own cdktf stack, so it has its own state and its own plan, deployed with
 * management-account (or CloudFormation delegated-administrator) credentials BEFORE the audit
 * stack. Synthesized only with SCAN_SCOPE=organization.
 *
 * With ORG_REMEDIATION=members the same template adds a remediation role and key to every member
 * account (member-role-template.ts).
 *
 * Targets: the organization root (or ORG_INCLUDE_OUS), less ORG_EXCLUDE_ACCOUNTS — the same set
 * the scan covers. Service-managed StackSets never deploy to the management account itself, so
 * when this stack runs there (ORG_STACKSET_CALL_AS=SELF) and the whole organization is scanned, it
 * creates the same template as a plain stack in the management account.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-orgs-manage-auto-deployment.html
 */
import { CloudformationStack } from '@cdktf/provider-aws/lib/cloudformation-stack';
import { CloudformationStackSet } from '@cdktf/provider-aws/lib/cloudformation-stack-set';
import { CloudformationStackSetInstance } from '@cdktf/provider-aws/lib/cloudformation-stack-set-instance';
import { DataAwsOrganizationsOrganization } from '@cdktf/provider-aws/lib/data-aws-organizations-organization';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { configureBackend } from './backend';
import { stackHcl } from './hcl-output';
import { AWS_PROVIDER_VERSIONS } from './compliance-stack';
import { iamName } from './environment';
import { MEMBER_ROLE_PARAMETERS, memberRoleTemplate } from './member-role-template';
import type { OrgFunctionName } from './organization-functions';
import {
  resolveSettings,
  type ComplianceStackProps,
  type FunctionName,
  type Settings,
} from './settings';

/** The stack's id: its folder under cdktf.out/stacks and its name in `cdktf deploy`. */
export const MEMBERS_STACK_ID = 'compliance-audit-members';

/** At most this share of accounts may fail a StackSet operation, and this share run at once. */
const FAILURE_TOLERANCE_PERCENT = 10;
const MAX_CONCURRENT_PERCENT = 25;

/** The members stack's state: beside the audit stack's, never the same key or workspace. */
export function membersBackend(backend: Settings['backend']): Settings['backend'] {
  switch (backend.kind) {
    case 's3':
      return { ...backend, key: backend.key.replace(/(\.tfstate)?$/, '-members$1') };
    case 'cloud':
      return { ...backend, workspace: `${backend.workspace}-members` };
    case 'local':
      return backend;
  }
}

export class MembersStack extends TerraformStack {
  readonly settings: Settings;
  readonly backendDescription: string;
  readonly stackSet: CloudformationStackSet;

  constructor(scope: Construct, id: string, props: ComplianceStackProps) {
    super(scope, id);
    const settings = resolveSettings(props);
    const org = settings.organization;
    if (!org) throw new Error(`${id} exists only with SCAN_SCOPE=organization`);
    this.settings = settings;
    this.addOverride('terraform.required_version', '>= 1.10.0');
    new AwsProvider(this, 'aws', {
      region: settings.region,
      defaultTags: [{ tags: { ...settings.tags } }],
    });
    // The audit stack's provider range: both stacks deploy with the provider we validate.
    this.addOverride('terraform.required_providers.aws.version', AWS_PROVIDER_VERSIONS);
    this.backendDescription = configureBackend(this, membersBackend(settings.backend));

    const organization = new DataAwsOrganizationsOrganization(this, 'organization');
    const template = JSON.stringify(
      memberRoleTemplate({
        roleName: org.memberRoleName,
        tags: settings.tags,
        remediation: org.memberRemediation,
      }),
    );
    const P = MEMBER_ROLE_PARAMETERS;
    const parameters = {
      [P.auditAccountId]: org.auditAccountId,
      // The audit stack's org-shard role: AuditFunction names it iamName(<function>) in its region.
      [P.trustedRoleName]: iamName(
        'org-shard' satisfies OrgFunctionName,
        settings.region,
        settings.environmentSuffix,
      ),
      [P.externalId]: org.externalId,
      [P.organizationId]: organization.id,
      // ORG_REMEDIATION=members: the audit stack's remediation role, named the same way.
      ...(org.memberRemediation && {
        [P.remediationTrustedRoleName]: iamName(
          'remediation' satisfies FunctionName,
          settings.region,
          settings.environmentSuffix,
        ),
      }),
    };
    const preferences = {
      failureTolerancePercentage: FAILURE_TOLERANCE_PERCENT,
      maxConcurrentPercentage: MAX_CONCURRENT_PERCENT,
      regionConcurrencyType: 'PARALLEL',
    };
    const name = `compliance-audit-member-role-${settings.environmentSuffix}`;
    this.stackSet = new CloudformationStackSet(this, 'member-role', {
      name,
      description: `Read-only compliance audit role ${org.memberRoleName} in every member account`,
      permissionModel: 'SERVICE_MANAGED',
      callAs: org.stackSetCallAs,
      autoDeployment: { enabled: true, retainStacksOnAccountRemoval: false },
      managedExecution: { active: true },
      capabilities: ['CAPABILITY_NAMED_IAM'],
      templateBody: template,
      parameters,
      operationPreferences: preferences,
      // AWS sets it for service-managed StackSets; without this every plan would show a change.
      lifecycle: { ignoreChanges: ['administration_role_arn'] },
    });
    const targets =
      org.includeOus.length > 0 ? [...org.includeOus] : [organization.roots.get(0).id];
    // IAM is global: one region (the stack's) is enough in every account.
    new CloudformationStackSetInstance(this, 'member-accounts', {
      stackSetName: this.stackSet.name,
      callAs: org.stackSetCallAs,
      deploymentTargets: {
        organizationalUnitIds: targets,
        ...(org.excludeAccounts.length > 0
          ? { accountFilterType: 'DIFFERENCE', accounts: [...org.excludeAccounts] }
          : {}),
      },
      operationPreferences: preferences,
    });
    if (org.stackSetCallAs === 'SELF' && org.includeOus.length === 0) {
      new CloudformationStack(this, 'management-account-role', {
        name,
        templateBody: template,
        parameters,
        capabilities: ['CAPABILITY_NAMED_IAM'],
      });
    }

    new TerraformOutput(this, 'member_role_name', {
      value: org.memberRoleName,
      description: 'Read-only audit role in every member account',
    });
    if (org.memberRemediation) {
      new TerraformOutput(this, 'member_remediation_role_name', {
        value: org.memberRemediation.roleName,
        description:
          'Remediation role in every member account (ORG_REMEDIATION=members): trusted only by the audit account remediation role',
      });
      new TerraformOutput(this, 'member_remediation_key_alias', {
        value: org.memberRemediation.keyAlias,
        description:
          'Customer-managed key remediation applies in each member account (retained when the account leaves)',
      });
    }
    new TerraformOutput(this, 'stack_set_name', {
      value: this.stackSet.name,
      description: 'StackSet rolling the role out (automatic deployment to joining accounts)',
    });
    new TerraformOutput(this, 'organization_id', {
      value: organization.id,
      description: 'Organization whose principals alone may assume the role (aws:PrincipalOrgID)',
    });
  }

  /** `cdktf synth --hcl`: valid, readable HCL of the same configuration as the JSON. */
  override toHclTerraform(): { hcl: string; metadata: Record<string, unknown> } {
    const { metadata } = super.toHclTerraform();
    return { hcl: stackHcl(this), metadata };
  }
}
