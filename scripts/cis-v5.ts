/**
 * CIS Amazon Web Services Foundations Benchmark v5.0.0: every recommendation, its profile and
 * whether CIS assesses it automatically (from Prowler's cis_5.0_aws.json, checked against AWS's
 * Security Hub CIS v5.0.0 standard). docs/checks.md reports which checks cover each one.
 */
export interface CisRecommendation {
  readonly id: string;
  readonly title: string;
  readonly profile: 'L1' | 'L2';
  readonly automated: boolean;
}

export const CIS_V5: readonly CisRecommendation[] = [
  { id: '1.1', title: 'Maintain current contact details', profile: 'L1', automated: false },
  {
    id: '1.2',
    title: 'Ensure security contact information is registered',
    profile: 'L1',
    automated: false,
  },
  {
    id: '1.3',
    title: "Ensure no 'root' user account access key exists",
    profile: 'L1',
    automated: true,
  },
  {
    id: '1.4',
    title: "Ensure MFA is enabled for the 'root' user account",
    profile: 'L1',
    automated: true,
  },
  {
    id: '1.5',
    title: "Ensure hardware MFA is enabled for the 'root' user account",
    profile: 'L2',
    automated: false,
  },
  {
    id: '1.6',
    title: "Eliminate use of the 'root' user for administrative and daily tasks",
    profile: 'L1',
    automated: false,
  },
  {
    id: '1.7',
    title: 'Ensure IAM password policy requires minimum length of 14 or greater',
    profile: 'L1',
    automated: true,
  },
  {
    id: '1.8',
    title: 'Ensure IAM password policy prevents password reuse',
    profile: 'L1',
    automated: true,
  },
  {
    id: '1.9',
    title:
      'Ensure multi-factor authentication (MFA) is enabled for all IAM users that have a console password',
    profile: 'L1',
    automated: true,
  },
  {
    id: '1.10',
    title: 'Do not create access keys during initial setup for IAM users with a console password',
    profile: 'L1',
    automated: false,
  },
  {
    id: '1.11',
    title: 'Ensure credentials unused for 45 days or more are disabled',
    profile: 'L1',
    automated: true,
  },
  {
    id: '1.12',
    title: 'Ensure there is only one active access key for any single IAM user',
    profile: 'L1',
    automated: true,
  },
  {
    id: '1.13',
    title: 'Ensure access keys are rotated every 90 days or less',
    profile: 'L1',
    automated: true,
  },
  {
    id: '1.14',
    title: 'Ensure IAM users receive permissions only through groups',
    profile: 'L1',
    automated: true,
  },
  {
    id: '1.15',
    title: 'Ensure IAM policies that allow full *:* administrative privileges are not attached',
    profile: 'L1',
    automated: true,
  },
  {
    id: '1.16',
    title: 'Ensure a support role has been created to manage incidents with AWS Support',
    profile: 'L1',
    automated: true,
  },
  {
    id: '1.17',
    title: 'Ensure IAM instance roles are used for AWS resource access from instances',
    profile: 'L2',
    automated: true,
  },
  {
    id: '1.18',
    title: 'Ensure that all expired SSL/TLS certificates stored in AWS IAM are removed',
    profile: 'L1',
    automated: true,
  },
  {
    id: '1.19',
    title: 'Ensure that IAM External Access Analyzer is enabled for all regions',
    profile: 'L1',
    automated: true,
  },
  {
    id: '1.20',
    title:
      'Ensure IAM users are managed centrally via identity federation or AWS Organizations for multi-account environments',
    profile: 'L2',
    automated: false,
  },
  {
    id: '1.21',
    title: 'Ensure access to AWSCloudShellFullAccess is restricted',
    profile: 'L1',
    automated: false,
  },
  {
    id: '2.1.1',
    title: 'Ensure S3 Bucket Policy is set to deny HTTP requests',
    profile: 'L2',
    automated: true,
  },
  {
    id: '2.1.2',
    title: 'Ensure MFA Delete is enabled on S3 buckets',
    profile: 'L2',
    automated: false,
  },
  {
    id: '2.1.3',
    title:
      'Ensure all data in Amazon S3 has been discovered, classified, and secured when necessary',
    profile: 'L2',
    automated: false,
  },
  {
    id: '2.1.4',
    title: "Ensure that S3 is configured with 'Block Public Access' enabled",
    profile: 'L1',
    automated: true,
  },
  {
    id: '2.2.1',
    title: 'Ensure that encryption-at-rest is enabled for RDS instances',
    profile: 'L1',
    automated: true,
  },
  {
    id: '2.2.2',
    title: 'Ensure the Auto Minor Version Upgrade feature is enabled for RDS instances',
    profile: 'L1',
    automated: true,
  },
  {
    id: '2.2.3',
    title: 'Ensure that RDS instances are not publicly accessible',
    profile: 'L1',
    automated: true,
  },
  {
    id: '2.2.4',
    title: 'Ensure Multi-AZ deployments are used for enhanced availability in Amazon RDS',
    profile: 'L1',
    automated: false,
  },
  {
    id: '2.3.1',
    title: 'Ensure that encryption is enabled for EFS file systems',
    profile: 'L1',
    automated: true,
  },
  {
    id: '3.1',
    title: 'Ensure CloudTrail is enabled in all regions',
    profile: 'L1',
    automated: false,
  },
  {
    id: '3.2',
    title: 'Ensure CloudTrail log file validation is enabled',
    profile: 'L2',
    automated: true,
  },
  {
    id: '3.3',
    title: 'Ensure AWS Config is enabled in all regions',
    profile: 'L2',
    automated: true,
  },
  {
    id: '3.4',
    title: 'Ensure that server access logging is enabled on the CloudTrail S3 bucket',
    profile: 'L1',
    automated: false,
  },
  {
    id: '3.5',
    title: 'Ensure CloudTrail logs are encrypted at rest using KMS CMKs',
    profile: 'L2',
    automated: true,
  },
  {
    id: '3.6',
    title: 'Ensure rotation for customer-created symmetric CMKs is enabled',
    profile: 'L2',
    automated: true,
  },
  {
    id: '3.7',
    title: 'Ensure VPC flow logging is enabled in all VPCs',
    profile: 'L2',
    automated: true,
  },
  {
    id: '3.8',
    title: 'Ensure that object-level logging for write events is enabled for S3 buckets',
    profile: 'L2',
    automated: true,
  },
  {
    id: '3.9',
    title: 'Ensure that object-level logging for read events is enabled for S3 buckets',
    profile: 'L2',
    automated: true,
  },
  {
    id: '4.1',
    title: 'Ensure unauthorized API calls are monitored',
    profile: 'L2',
    automated: false,
  },
  {
    id: '4.2',
    title: 'Ensure management console sign-in without MFA is monitored',
    profile: 'L1',
    automated: false,
  },
  {
    id: '4.3',
    title: "Ensure usage of the 'root' account is monitored",
    profile: 'L1',
    automated: false,
  },
  { id: '4.4', title: 'Ensure IAM policy changes are monitored', profile: 'L1', automated: false },
  {
    id: '4.5',
    title: 'Ensure CloudTrail configuration changes are monitored',
    profile: 'L1',
    automated: false,
  },
  {
    id: '4.6',
    title: 'Ensure AWS Management Console authentication failures are monitored',
    profile: 'L2',
    automated: false,
  },
  {
    id: '4.7',
    title: 'Ensure disabling or scheduled deletion of customer created CMKs is monitored',
    profile: 'L2',
    automated: false,
  },
  {
    id: '4.8',
    title: 'Ensure S3 bucket policy changes are monitored',
    profile: 'L1',
    automated: false,
  },
  {
    id: '4.9',
    title: 'Ensure AWS Config configuration changes are monitored',
    profile: 'L2',
    automated: false,
  },
  {
    id: '4.10',
    title: 'Ensure security group changes are monitored',
    profile: 'L2',
    automated: false,
  },
  {
    id: '4.11',
    title: 'Ensure Network Access Control List (NACL) changes are monitored',
    profile: 'L2',
    automated: false,
  },
  {
    id: '4.12',
    title: 'Ensure changes to network gateways are monitored',
    profile: 'L1',
    automated: false,
  },
  {
    id: '4.13',
    title: 'Ensure route table changes are monitored',
    profile: 'L1',
    automated: false,
  },
  { id: '4.14', title: 'Ensure VPC changes are monitored', profile: 'L1', automated: false },
  {
    id: '4.15',
    title: 'Ensure AWS Organizations changes are monitored',
    profile: 'L1',
    automated: false,
  },
  { id: '4.16', title: 'Ensure AWS Security Hub is enabled', profile: 'L2', automated: true },
  {
    id: '5.1.1',
    title: 'Ensure EBS volume encryption is enabled in all regions',
    profile: 'L1',
    automated: true,
  },
  {
    id: '5.1.2',
    title: 'Ensure CIFS access is restricted to trusted networks to prevent unauthorized access',
    profile: 'L1',
    automated: true,
  },
  {
    id: '5.2',
    title:
      'Ensure no Network ACLs allow ingress from 0.0.0.0/0 to remote server administration ports',
    profile: 'L1',
    automated: true,
  },
  {
    id: '5.3',
    title:
      'Ensure no security groups allow ingress from 0.0.0.0/0 to remote server administration ports',
    profile: 'L1',
    automated: true,
  },
  {
    id: '5.4',
    title:
      'Ensure no security groups allow ingress from ::/0 to remote server administration ports',
    profile: 'L1',
    automated: true,
  },
  {
    id: '5.5',
    title: 'Ensure the default security group of every VPC restricts all traffic',
    profile: 'L2',
    automated: true,
  },
  {
    id: '5.6',
    title: 'Ensure routing tables for VPC peering are least access',
    profile: 'L2',
    automated: false,
  },
  {
    id: '5.7',
    title: 'Ensure that the EC2 Metadata Service only allows IMDSv2',
    profile: 'L1',
    automated: true,
  },
];
