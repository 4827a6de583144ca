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
 */
import type { PermissionTargets } from './function-permissions';
import { packWithin, policyDocument, type PolicyStatement } from './iam';
import { memberRoleStatements } from './organization-functions';

/** IAM's limit on a managed policy's size (characters, whitespace not counted). */
/** The org-shard's sessions are named `compliance-scan-<scanId>` (member-session.ts). */
export const SESSION_NAME_PATTERN = 'compliance-scan-*';
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
  if (pieces.length === 1 && !(pieces[0]! in refs)) return text;
  return { 'Fn::Join': ['', pieces.map((p) => (p in refs ? ref(refs[p]!) : p))] };
}

function withPseudoParameters(value: Json): Json {
  if (typeof value === 'string') return cfnString(value);
  if (Array.isArray(value)) return value.map(withPseudoParameters);
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withPseudoParameters(v)]));
  return value;
}

/** The member role's statements, as they apply in whichever account CloudFormation deploys them. */
export function memberStatements(): PolicyStatement[] {
  const placeholder = 'arn:aws:not-used';
  const targets: PermissionTargets = {
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
  };
  return memberRoleStatements(targets);
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

/** Parameters the template takes (the StackSet sets them). */
export const MEMBER_ROLE_PARAMETERS = {
  auditAccountId: 'AuditAccountId',
  trustedRoleName: 'TrustedRoleName',
  externalId: 'ExternalId',
  organizationId: 'OrganizationId',
} as const;

export function memberRoleTemplate(props: MemberRoleTemplateProps): Record<string, Json> {
  const P = MEMBER_ROLE_PARAMETERS;
  const policies = packPolicies(memberStatements());
  const policyIds = policies.map((_, i) => `AuditReadOnlyPolicy${i + 1}`);
  const auditArn = (resource: Json[]): Json => ({
    'Fn::Join': ['', ['arn:', ref('AWS::Partition'), ':iam::', ref(P.auditAccountId), ...resource]],
  });
  const resources: Record<string, Json> = {};
  policies.forEach((statements, i) => {
    resources[policyIds[i]!] = {
      Type: 'AWS::IAM::ManagedPolicy',
      Properties: {
        ManagedPolicyName: policies.length === 1 ? props.roleName : `${props.roleName}-${i + 1}`,
        Description:
          'Read-only inventory for the compliance audit: the same actions as the scanner in the audit account',
        PolicyDocument: withPseudoParameters(JSON.parse(policyDocument(statements)) as Json),
      },
    };
  });
  resources.AuditRole = {
    Type: 'AWS::IAM::Role',
    Properties: {
      RoleName: props.roleName,
      Description:
        'Read-only role of the organization compliance scan: assumed only by the org-shard role of the audit account',
      MaxSessionDuration: MAX_SESSION_SECONDS,
      AssumeRolePolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'OrgShardOfTheAuditAccount',
            Effect: 'Allow',
            Principal: { AWS: auditArn([':root']) },
            Action: 'sts:AssumeRole',
            Condition: {
              ArnEquals: { 'aws:PrincipalArn': auditArn([':role/', ref(P.trustedRoleName)]) },
              StringEquals: {
                'aws:PrincipalOrgID': ref(P.organizationId),
                'sts:ExternalId': ref(P.externalId),
              },
              StringLike: { 'sts:RoleSessionName': SESSION_NAME_PATTERN },
            },
          },
        ],
      },
      // Managed policies only: never an inline `Policies` entry.
      ManagedPolicyArns: policyIds.map(ref),
      Tags: Object.entries(props.tags).map(([Key, Value]) => ({ Key, Value })),
    },
  };
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: `Compliance audit member role ${props.roleName} (read-only, managed policies only)`,
    Parameters: {
      [P.auditAccountId]: {
        Type: 'String',
        AllowedPattern: '^\\d{12}$',
        Description: 'Account of the audit stack',
      },
      [P.trustedRoleName]: {
        Type: 'String',
        Description: 'The org-shard role of the audit account (the only principal trusted)',
      },
      [P.externalId]: { Type: 'String', Description: 'The sts:ExternalId the role requires' },
      [P.organizationId]: {
        Type: 'String',
        AllowedPattern: '^o-[a-z0-9]{10,32}$',
        Description: 'The organization (aws:PrincipalOrgID)',
      },
    },
    Resources: resources,
    Outputs: { RoleArn: { Value: { 'Fn::GetAtt': ['AuditRole', 'Arn'] } } },
  };
}
