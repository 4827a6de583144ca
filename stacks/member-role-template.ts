/**
 * The CloudFormation template of the read-only audit role in every member account, generated from
 * TypeScript (no hand-written YAML): its permissions are `memberRoleStatements` — the scanner's
 * own least-privilege inventory statements — with the member's partition and account filled in by
 * CloudFormation. The role is trusted by exactly one principal: the org-shard role of the audit
 * account, and only from inside the organization, with the external id, for sessions named after
 * a scan.
 *
 * The trust names the audit account as principal and the org-shard role in `aws:PrincipalArn`:
 * IAM refuses a trust policy naming a role that does not exist yet, and the members stack is
 * deployed before the audit stack; the condition also survives the role being recreated.
 * Values that differ per deployment are template parameters (visible in the StackSet's plan);
 * the template itself contains no `${…}`, so Terraform never mistakes it for an interpolation.
 *
 * With ORG_REMEDIATION=members a second template (its own StackSet, so a failure there never
 * keeps the read-only role from an account) puts in every member account a remediation role (only
 * the fixer's S3 and KMS actions — the remediation function's own statements, derived the same
 * way, limited to the account's own buckets — trusted only by the remediation role of the audit
 * account, with the same conditions) and the customer-managed key remediation applies there: each
 * member's data stays under its own key, never the audit account's. The key is retained when its
 * stack goes (an account leaving the organization): buckets encrypted with it must stay readable.
 */
import { accountAdministersKey, useThroughS3Only } from './encryption';
import type { PermissionTargets } from './function-permissions';
import { packWithin, policyDocument, type PolicyStatement } from './iam';
import { memberRemediationStatements, memberRoleStatements } from './organization-functions';
import type { MemberRemediation } from './organization-settings';

/** The org-shard's sessions are named `compliance-scan-<scanId>` (member-session.ts). */
export const SESSION_NAME_PATTERN = 'compliance-scan-*';
/** Remediation's sessions are named `compliance-remediation-<runId>` (member-session.ts). */
export const REMEDIATION_SESSION_PATTERN = 'compliance-remediation-*';
/** Matches the org-shard's session duration. */
const MAX_SESSION_SECONDS = 3600;

const PARTITION = '⟦partition⟧';
const ACCOUNT = '⟦account⟧';
const REGION = '⟦region⟧';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const ref = (name: string) => ({ Ref: name });

/** A string with placeholders as CloudFormation `Fn::Join` of literals and pseudo parameters. */
function cfnString(text: string): Json {
  const refs: Record<string, string> = {
    [PARTITION]: 'AWS::Partition',
    [ACCOUNT]: 'AWS::AccountId',
    [REGION]: 'AWS::Region',
  };
  const pieces = text.split(/(⟦[a-z]+⟧)/).filter((p) => p !== '');
  if (pieces.length === 1) return pieces[0]! in refs ? ref(refs[pieces[0]!]!) : text;
  return { 'Fn::Join': ['', pieces.map((p) => (p in refs ? ref(refs[p]!) : p))] };
}

function withPseudoParameters(value: Json): Json {
  if (typeof value === 'string') return cfnString(value);
  if (Array.isArray(value)) return value.map(withPseudoParameters);
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withPseudoParameters(v)]));
  return value;
}

/** Targets whose values are the member account's own (CloudFormation pseudo parameters). */
function memberTargets(): PermissionTargets {
  const placeholder = 'arn:aws:not-used';
  return {
    env: {
      partition: PARTITION,
      account: ACCOUNT,
      region: REGION,
      arn: (service, resource, region = REGION, account = ACCOUNT) =>
        `arn:${PARTITION}:${service}:${region}:${account}:${resource}`,
    },
    bucketArn: placeholder,
    dataKeyArn: placeholder,
    topicArn: placeholder,
    messagingKeyArn: placeholder,
    // Any value: the remediation statements describe keys only when a key is applied.
    remediationKeyArn: placeholder,
  };
}

/** The member role's statements, as they apply in whichever account CloudFormation deploys them. */
export function memberStatements(): PolicyStatement[] {
  return memberRoleStatements(memberTargets());
}

/** The member remediation role's statements, as they apply in each member account. */
export function memberRemediationPolicyStatements(): PolicyStatement[] {
  return memberRemediationStatements(memberTargets());
}

/** Statements packed into as few managed policies as IAM's size limit allows. */
function packPolicies(statements: readonly PolicyStatement[]): PolicyStatement[][] {
  return packWithin(statements, (s) => policyDocument(s).replace(/\s/g, '').length);
}

export interface MemberRoleTemplateProps {
  readonly roleName: string;
  /** Tags of the role (the mandatory tags). */
  readonly tags: Readonly<Record<string, string>>;
}

/** Parameters both templates take (their StackSets set them). */
export const MEMBER_ROLE_PARAMETERS = {
  auditAccountId: 'AuditAccountId',
  /** The one role of the audit account the template's role trusts. */
  trustedRoleName: 'TrustedRoleName',
  externalId: 'ExternalId',
  organizationId: 'OrganizationId',
} as const;

/** CloudFormation tags from a tag map. */
const cfnTags = (tags: Readonly<Record<string, string>>): Json =>
  Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));

/**
 * A trust policy admitting exactly the audit account's role named by the TrustedRoleName
 * parameter, from inside the organization, with the external id, for sessions named
 * `sessionPattern`.
 */
function trustAuditRole(sid: string, sessionPattern: string): Json {
  const P = MEMBER_ROLE_PARAMETERS;
  const auditArn = (resource: Json[]): Json => ({
    'Fn::Join': ['', ['arn:', ref('AWS::Partition'), ':iam::', ref(P.auditAccountId), ...resource]],
  });
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: sid,
        Effect: 'Allow',
        Principal: { AWS: auditArn([':root']) },
        Action: 'sts:AssumeRole',
        Condition: {
          ArnEquals: { 'aws:PrincipalArn': auditArn([':role/', ref(P.trustedRoleName)]) },
          StringEquals: {
            'aws:PrincipalOrgID': ref(P.organizationId),
            'sts:ExternalId': ref(P.externalId),
          },
          StringLike: { 'sts:RoleSessionName': sessionPattern },
        },
      },
    ],
  };
}

/** The parameters' declarations, naming the trusted role. */
function parameters(trustedRole: string): Record<string, Json> {
  const P = MEMBER_ROLE_PARAMETERS;
  return {
    [P.auditAccountId]: {
      Type: 'String',
      AllowedPattern: '^\\d{12}$',
      Description: 'Account of the audit stack',
    },
    [P.trustedRoleName]: {
      Type: 'String',
      Description: `${trustedRole} (the only principal trusted)`,
    },
    [P.externalId]: { Type: 'String', Description: 'The sts:ExternalId the role requires' },
    [P.organizationId]: {
      Type: 'String',
      AllowedPattern: '^o-[a-z0-9]{10,32}$',
      Description: 'The organization (aws:PrincipalOrgID)',
    },
  };
}

/** A managed policy of the given statements, as it applies in the member account. */
function managedPolicy(name: string, description: string, statements: PolicyStatement[]): Json {
  return {
    Type: 'AWS::IAM::ManagedPolicy',
    Properties: {
      ManagedPolicyName: name,
      Description: description,
      PolicyDocument: withPseudoParameters(JSON.parse(policyDocument(statements)) as Json),
    },
  };
}

export function memberRoleTemplate(props: MemberRoleTemplateProps): Record<string, Json> {
  const policies = packPolicies(memberStatements());
  const policyIds = policies.map((_, i) => `AuditReadOnlyPolicy${i + 1}`);
  const resources: Record<string, Json> = {};
  policies.forEach((statements, i) => {
    resources[policyIds[i]!] = managedPolicy(
      policies.length === 1 ? props.roleName : `${props.roleName}-${i + 1}`,
      'Read-only inventory for the compliance audit: the same actions as the scanner in the audit account',
      statements,
    );
  });
  resources.AuditRole = {
    Type: 'AWS::IAM::Role',
    Properties: {
      RoleName: props.roleName,
      Description:
        'Read-only role of the organization compliance scan: assumed only by the org-shard role of the audit account',
      MaxSessionDuration: MAX_SESSION_SECONDS,
      AssumeRolePolicyDocument: trustAuditRole('OrgShardOfTheAuditAccount', SESSION_NAME_PATTERN),
      // Managed policies only: never an inline `Policies` entry.
      ManagedPolicyArns: policyIds.map(ref),
      Tags: cfnTags(props.tags),
    },
  };
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: `Compliance audit member role ${props.roleName} (read-only, managed policies only)`,
    Parameters: parameters('The org-shard role of the audit account'),
    Resources: resources,
    Outputs: { RoleArn: { Value: { 'Fn::GetAtt': ['AuditRole', 'Arn'] } } },
  };
}

export interface MemberRemediationTemplateProps {
  readonly remediation: MemberRemediation;
  /** Tags of the role and key (the mandatory tags). */
  readonly tags: Readonly<Record<string, string>>;
}

/** ORG_REMEDIATION=members: the remediation role, its policy, and the member's own key. */
export function memberRemediationTemplate(
  props: MemberRemediationTemplateProps,
): Record<string, Json> {
  const { remediation, tags } = props;
  const P = MEMBER_ROLE_PARAMETERS;
  const keyPolicy = policyDocument([
    accountAdministersKey(PARTITION, ACCOUNT),
    useThroughS3Only(ACCOUNT, REGION),
  ]);
  const member = 'IsMemberAccount';
  // Remediation uses its own role in the audit account. The StackSet's instances leave the audit
  // account out, but automatic deployment ignores account filters (an audit account moving into a
  // target OU would get the stack): there it creates only a placeholder.
  const resources: Record<string, Json> = {
    RemediationPolicy: managedPolicy(
      remediation.roleName,
      "Compliance remediation: read this account's buckets and set their default encryption (the actions of the remediation function in the audit account)",
      memberRemediationPolicyStatements(),
    ),
    RemediationRole: {
      Type: 'AWS::IAM::Role',
      Properties: {
        RoleName: remediation.roleName,
        Description:
          'Compliance remediation in this account: assumed only by the remediation role of the audit account',
        MaxSessionDuration: MAX_SESSION_SECONDS,
        AssumeRolePolicyDocument: trustAuditRole(
          'RemediationOfTheAuditAccount',
          REMEDIATION_SESSION_PATTERN,
        ),
        ManagedPolicyArns: [ref('RemediationPolicy')],
        Tags: cfnTags(tags),
      },
    },
    RemediationKey: {
      Type: 'AWS::KMS::Key',
      // Buckets encrypted with it must stay readable after the stack goes.
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: {
        Description:
          'Default encryption that compliance remediation sets on buckets of this account',
        EnableKeyRotation: true,
        RotationPeriodInDays: 365,
        KeyPolicy: withPseudoParameters(JSON.parse(keyPolicy) as Json),
        Tags: cfnTags(tags),
      },
    },
    RemediationKeyAlias: {
      Type: 'AWS::KMS::Alias',
      Properties: { AliasName: remediation.keyAlias, TargetKeyId: ref('RemediationKey') },
    },
  };
  const conditional = Object.fromEntries(
    Object.entries(resources).map(([id, r]) => [id, { ...(r as object), Condition: member }]),
  );
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: `Compliance remediation role ${remediation.roleName} and its key ${remediation.keyAlias} (managed policies only)`,
    Parameters: parameters('The remediation role of the audit account'),
    Conditions: {
      [member]: { 'Fn::Not': [{ 'Fn::Equals': [ref('AWS::AccountId'), ref(P.auditAccountId)] }] },
      IsAuditAccount: { 'Fn::Equals': [ref('AWS::AccountId'), ref(P.auditAccountId)] },
    },
    Resources: {
      ...conditional,
      // A stack needs at least one resource; this one creates nothing billable.
      AuditAccountPlaceholder: {
        Type: 'AWS::CloudFormation::WaitConditionHandle',
        Condition: 'IsAuditAccount',
      },
    },
    Outputs: {
      RemediationRoleArn: {
        Condition: member,
        Value: { 'Fn::GetAtt': ['RemediationRole', 'Arn'] },
      },
      RemediationKeyArn: {
        Condition: member,
        Value: { 'Fn::GetAtt': ['RemediationKey', 'Arn'] },
      },
    },
  };
}
