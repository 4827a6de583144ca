/**
 * ASFF (AWS Security Finding Format) for Security Hub's BatchImportFindings, from the canonical
 * finding. Pure.
 *
 * - Id `<provider>/<finding uid>` (stable across scans; the provider names this deployment, so two
 *   stacks in one account never touch each other's findings); ProductArn the account's default
 *   product; GeneratorId the check id.
 * - Types in the Software and Configuration Checks namespace; Compliance.Status PASSED / FAILED /
 *   NOT_AVAILABLE (ERROR: the check could not run); Compliance.SecurityControlId and
 *   RelatedRequirements from the control ids (CIS as `CIS AWS Foundations Benchmark v5.0.0/2.1.4`).
 * - Severity and Types also in FindingProviderFields: the only way a provider may update them.
 * - Every text within ASFF's limits, and the whole finding within 240 KB (fitFinding).
 * @see https://docs.aws.amazon.com/securityhub/latest/userguide/securityhub-findings-format.html
 */
import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import type { Finding, Severity } from '../shared/findings';
import { splitControlIds } from './standards';

export const ASFF_SCHEMA_VERSION = '2018-10-08';
/** BatchImportFindings refuses a finding larger than 240 KB. */
export const MAX_FINDING_BYTES = 240 * 1024;
/** BatchImportFindings and BatchUpdateFindings take at most 100 findings a call. */
export const MAX_BATCH = 100;

const LIMITS = {
  title: 256,
  description: 1024,
  recommendation: 512,
  productFieldValue: 2048,
  tags: 50,
  relatedRequirements: 32,
} as const;

/** CloudFormation type → ASFF resource type (Security Hub's own names); anything else is Other. */
export const ASFF_RESOURCE_TYPES: Readonly<Record<string, string>> = {
  'AWS::::Account': 'AwsAccount',
  'AWS::S3::Bucket': 'AwsS3Bucket',
  'AWS::S3::Object': 'AwsS3Object',
  'AWS::EC2::SecurityGroup': 'AwsEc2SecurityGroup',
  'AWS::EC2::Volume': 'AwsEc2Volume',
  'AWS::EC2::VPC': 'AwsEc2Vpc',
  'AWS::EC2::Instance': 'AwsEc2Instance',
  'AWS::EC2::Subnet': 'AwsEc2Subnet',
  'AWS::EC2::NetworkAcl': 'AwsEc2NetworkAcl',
  'AWS::EC2::NetworkInterface': 'AwsEc2NetworkInterface',
  'AWS::EC2::EIP': 'AwsEc2Eip',
  'AWS::IAM::User': 'AwsIamUser',
  'AWS::IAM::Role': 'AwsIamRole',
  'AWS::IAM::Policy': 'AwsIamPolicy',
  'AWS::IAM::AccessKey': 'AwsIamAccessKey',
  'AWS::Lambda::Function': 'AwsLambdaFunction',
  'AWS::KMS::Key': 'AwsKmsKey',
  'AWS::CloudTrail::Trail': 'AwsCloudTrailTrail',
  'AWS::SNS::Topic': 'AwsSnsTopic',
  'AWS::SQS::Queue': 'AwsSqsQueue',
  'AWS::RDS::DBInstance': 'AwsRdsDbInstance',
  'AWS::RDS::DBCluster': 'AwsRdsDbCluster',
  'AWS::DynamoDB::Table': 'AwsDynamoDbTable',
  'AWS::SecretsManager::Secret': 'AwsSecretsManagerSecret',
  'AWS::ElasticLoadBalancingV2::LoadBalancer': 'AwsElbv2LoadBalancer',
  'AWS::CloudFront::Distribution': 'AwsCloudFrontDistribution',
  'AWS::ECR::Repository': 'AwsEcrRepository',
  'AWS::EKS::Cluster': 'AwsEksCluster',
};

const SEVERITY_LABEL: Record<Severity, 'INFORMATIONAL' | 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL'> = {
  informational: 'INFORMATIONAL',
  low: 'LOW',
  medium: 'MEDIUM',
  high: 'HIGH',
  critical: 'CRITICAL',
};

/** Where the findings go and who they come from. */
export interface AsffContext {
  /** `arn:<partition>:securityhub:<region>:<account>:product/<account>/default`. */
  readonly productArn: string;
  /** Prefix of every Id and value of ProductFields.ProviderName, e.g. `compliance-audit-prod`. */
  readonly provider: string;
  /** UpdatedAt of this export. */
  readonly updatedAt: string;
}

export function defaultProductArn(partition: string, region: string, account: string): string {
  return `arn:${partition}:securityhub:${region}:${account}:product/${account}/default`;
}

export function hubArn(partition: string, region: string, account: string): string {
  return `arn:${partition}:securityhub:${region}:${account}:hub/default`;
}

export function asffId(provider: string, uid: string): string {
  return `${provider}/${uid}`;
}

const cut = (text: string, max: number): string =>
  text.length <= max ? text : `${text.slice(0, max - 1)}…`;

function typesOf(f: Finding): string[] {
  const controls = splitControlIds(f.controlIds);
  const types: string[] = [];
  if (controls.securityHub.length > 0)
    types.push(
      'Software and Configuration Checks/Industry and Regulatory Standards/AWS-Foundational-Security-Best-Practices',
    );
  if (controls.cis.length > 0)
    types.push(
      'Software and Configuration Checks/Industry and Regulatory Standards/CIS AWS Foundations Benchmark',
    );
  if (types.length === 0)
    types.push('Software and Configuration Checks/AWS Security Best Practices');
  return types;
}

/** PASS → PASSED, FAIL and SUPPRESSED → FAILED, ERROR → NOT_AVAILABLE (the check could not run). */
export function complianceStatus(f: Finding): 'PASSED' | 'FAILED' | 'NOT_AVAILABLE' {
  if (f.status === 'PASS') return 'PASSED';
  if (f.status === 'ERROR') return 'NOT_AVAILABLE';
  return 'FAILED';
}

/**
 * The ASFF finding. `archived` makes it a resolved record (RecordState ARCHIVED); a passing
 * finding is INFORMATIONAL, as Security Hub rates its own passed controls.
 */
export function toAsff(f: Finding, ctx: AsffContext, archived = false): AwsSecurityFinding {
  const controls = splitControlIds(f.controlIds);
  const label = f.status === 'PASS' ? 'INFORMATIONAL' : SEVERITY_LABEL[f.severity];
  const severity = { Label: label, Original: f.severity };
  const types = typesOf(f);
  const partition = f.resource.uid.split(':')[1];
  const tags = Object.entries(f.resource.tags ?? {}).slice(0, LIMITS.tags);
  const productFields: Record<string, string> = {
    ProviderName: ctx.provider,
    'compliance-audit/CheckId': f.checkId,
    'compliance-audit/FindingUid': f.uid,
    'compliance-audit/ScanId': f.scanId,
    'compliance-audit/Status': f.status,
    ...(f.change ? { 'compliance-audit/Change': f.change } : {}),
    ...(f.suppression
      ? {
          'compliance-audit/SuppressionId': f.suppression.id,
          'compliance-audit/SuppressionOwner': f.suppression.owner,
          'compliance-audit/SuppressionReason': f.suppression.reason,
          'compliance-audit/SuppressionExpires': f.suppression.expires,
        }
      : {}),
  };
  for (const k of Object.keys(productFields))
    productFields[k] = cut(productFields[k]!, LIMITS.productFieldValue);
  const reference = f.remediation.references[0];
  return {
    SchemaVersion: ASFF_SCHEMA_VERSION,
    Id: asffId(ctx.provider, f.uid),
    ProductArn: ctx.productArn,
    GeneratorId: f.checkId,
    AwsAccountId: f.account,
    Types: types,
    FirstObservedAt: f.firstSeen ?? f.observedAt,
    LastObservedAt: f.observedAt,
    CreatedAt: f.firstSeen ?? f.observedAt,
    UpdatedAt: ctx.updatedAt,
    Severity: severity,
    Title: cut(f.title, LIMITS.title),
    Description: cut(f.statusDetail || f.title, LIMITS.description),
    Remediation: {
      Recommendation: {
        Text: cut(f.remediation.desc || f.title, LIMITS.recommendation),
        ...(reference ? { Url: reference } : {}),
      },
    },
    ProductFields: productFields,
    Resources: [
      {
        Type: ASFF_RESOURCE_TYPES[f.resource.type] ?? 'Other',
        Id: f.resource.uid,
        ...(partition === 'aws' || partition === 'aws-cn' || partition === 'aws-us-gov'
          ? { Partition: partition }
          : {}),
        Region: f.resource.region,
        ...(tags.length > 0 ? { Tags: Object.fromEntries(tags) } : {}),
        ...(f.resource.name
          ? { Details: { Other: { Name: cut(f.resource.name, 1023), Type: f.resource.type } } }
          : {}),
      },
    ],
    Compliance: {
      Status: complianceStatus(f),
      ...(controls.securityHub[0] ? { SecurityControlId: controls.securityHub[0] } : {}),
      ...(controls.cis.length > 0
        ? { RelatedRequirements: controls.cis.slice(0, LIMITS.relatedRequirements) }
        : {}),
    },
    RecordState: archived ? 'ARCHIVED' : 'ACTIVE',
    // Honoured when the finding is created only; later changes go through BatchUpdateFindings.
    Workflow: { Status: f.status === 'SUPPRESSED' ? 'SUPPRESSED' : 'NEW' },
    FindingProviderFields: { Severity: severity, Types: types },
  } as AwsSecurityFinding;
}

export function findingBytes(finding: AwsSecurityFinding): number {
  return Buffer.byteLength(JSON.stringify(finding), 'utf8');
}

/**
 * The finding within MAX_FINDING_BYTES: drops resource tags and details, then product fields
 * beyond the essential ones; throws only if even that is too large (it cannot be: every
 * remaining text is capped).
 */
export function fitFinding(finding: AwsSecurityFinding): AwsSecurityFinding {
  if (findingBytes(finding) <= MAX_FINDING_BYTES) return finding;
  const resources = (finding.Resources ?? []).map(({ Tags: _tags, Details: _details, ...r }) => r);
  const slim: AwsSecurityFinding = { ...finding, Resources: resources };
  if (findingBytes(slim) <= MAX_FINDING_BYTES) return slim;
  const essential = Object.fromEntries(
    Object.entries(finding.ProductFields ?? {}).filter(([k]) =>
      ['ProviderName', 'compliance-audit/CheckId'].includes(k),
    ),
  );
  const slimmer = { ...slim, ProductFields: essential };
  if (findingBytes(slimmer) <= MAX_FINDING_BYTES) return slimmer;
  throw new Error(`ASFF finding ${finding.Id} is larger than ${MAX_FINDING_BYTES} bytes`);
}

/** Splits into batches of at most MAX_BATCH. */
export function batches<T>(items: readonly T[], size = MAX_BATCH): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
