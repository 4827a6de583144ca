/**
 * MembersStack (`compliance-audit-members`): the read-only audit role in every member account of
 * the organization, rolled out the way organizations do it — a service-managed CloudFormation
 * StackSet with automatic deployment, so accounts that join later get the role too, and lose it
 * when they leave. Its own cdktf stack, so it has its own state and its own plan, deployed with
 * management-account (or CloudFormation delegated-administrator) credentials BEFORE the audit
 * stack. Synthesized only with SCAN_SCOPE=organization.
 *
 * With ORG_REMEDIATION=members a second StackSet puts a remediation role and key in every member
 * account but the audit account (member-role-template.ts).
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
import {
  MEMBER_ROLE_PARAMETERS,
  memberRemediationTemplate,
  memberRoleTemplate,
} from './member-role-template';
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
  /** ORG_REMEDIATION=members: the remediation role and key in every member account. */
  readonly remediationStackSet?: CloudformationStackSet;

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
      memberRoleTemplate({ roleName: org.memberRoleName, tags: settings.tags }),
    );
    const P = MEMBER_ROLE_PARAMETERS;
    // The audit stack's roles: AuditFunction names them iamName(<function>) in its region.
    const auditRole = (fn: OrgFunctionName | FunctionName) =>
      iamName(fn, settings.region, settings.environmentSuffix);
    const parameters = (trustedRole: string) => ({
      [P.auditAccountId]: org.auditAccountId,
      [P.trustedRoleName]: trustedRole,
      [P.externalId]: org.externalId,
      [P.organizationId]: organization.id,
    });
    const targets =
      org.includeOus.length > 0 ? [...org.includeOus] : [organization.roots.get(0).id];
    const name = `compliance-audit-member-role-${settings.environmentSuffix}`;
    const shardParameters = parameters(auditRole('org-shard'));
    this.stackSet = this.rollOut('member-role', 'member-accounts', {
      name,
      description: `Read-only compliance audit role ${org.memberRoleName} in every member account`,
      template,
      parameters: shardParameters,
      targets,
      excludeAccounts: org.excludeAccounts,
    });
    if (org.stackSetCallAs === 'SELF' && org.includeOus.length === 0) {
      new CloudformationStack(this, 'management-account-role', {
        name,
        templateBody: template,
        parameters: shardParameters,
        capabilities: ['CAPABILITY_NAMED_IAM'],
      });
    }
    if (org.memberRemediation) {
      // Its own StackSet: a member where the key or role cannot be created still gets scanned.
      // Never in the audit account (remediation uses its own role there) nor the management
      // account (StackSets skip it, and no plain stack gives anyone write access there).
      this.remediationStackSet = this.rollOut('member-remediation', 'member-remediation-accounts', {
        name: `compliance-audit-member-remediation-${settings.environmentSuffix}`,
        description: `Compliance remediation role ${org.memberRemediation.roleName} and key ${org.memberRemediation.keyAlias} in every member account`,
        template: JSON.stringify(
          memberRemediationTemplate({ remediation: org.memberRemediation, tags: settings.tags }),
        ),
        parameters: parameters(auditRole('remediation')),
        targets,
        excludeAccounts: [...new Set([...org.excludeAccounts, org.auditAccountId])],
      });
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

    new TerraformOutput(this, 'member_role_name', {
      value: org.memberRoleName,
      description: 'Read-only audit role in every member account',
    });
    new TerraformOutput(this, 'stack_set_name', {
      value: this.stackSet.name,
      description: 'StackSet rolling the role out (automatic deployment to joining accounts)',
    });
    new TerraformOutput(this, 'organization_id', {
      value: organization.id,
      description: 'Organization whose principals alone may assume the role (aws:PrincipalOrgID)',
    });
  }

  /**
   * A service-managed StackSet of `template` with automatic deployment and managed execution,
   * and its instances (construct `instancesId`: the read-only role's keeps the id it always had)
   * — `targets` less `excludeAccounts`, in the stack's region (IAM is global).
   */
  private rollOut(
    id: string,
    instancesId: string,
    props: {
      readonly name: string;
      readonly description: string;
      readonly template: string;
      readonly parameters: Record<string, string>;
      readonly targets: string[];
      readonly excludeAccounts: readonly string[];
    },
  ): CloudformationStackSet {
    const callAs = this.settings.organization!.stackSetCallAs;
    const preferences = {
      failureTolerancePercentage: FAILURE_TOLERANCE_PERCENT,
      maxConcurrentPercentage: MAX_CONCURRENT_PERCENT,
      regionConcurrencyType: 'PARALLEL',
    };
    const stackSet = new CloudformationStackSet(this, id, {
      name: props.name,
      description: props.description,
      permissionModel: 'SERVICE_MANAGED',
      callAs,
      autoDeployment: { enabled: true, retainStacksOnAccountRemoval: false },
      managedExecution: { active: true },
      capabilities: ['CAPABILITY_NAMED_IAM'],
      templateBody: props.template,
      parameters: props.parameters,
      operationPreferences: preferences,
      // AWS sets it for service-managed StackSets; without this every plan would show a change.
      lifecycle: { ignoreChanges: ['administration_role_arn'] },
    });
    new CloudformationStackSetInstance(this, instancesId, {
      stackSetName: stackSet.name,
      callAs,
      deploymentTargets: {
        organizationalUnitIds: props.targets,
        ...(props.excludeAccounts.length > 0
          ? { accountFilterType: 'DIFFERENCE', accounts: [...props.excludeAccounts] }
          : {}),
      },
      operationPreferences: preferences,
    });
    return stackSet;
  }

  /** `cdktf synth --hcl`: valid, readable HCL of the same configuration as the JSON. */
  override toHclTerraform(): { hcl: string; metadata: Record<string, unknown> } {
    const { metadata } = super.toHclTerraform();
    return { hcl: stackHcl(this), metadata };
  }
}
