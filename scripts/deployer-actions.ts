/**
 * The IAM actions the identity that runs `terraform apply` / `destroy` needs for each resource
 * and data source type the stack synthesizes: what the Terraform AWS (and AWSCC) provider calls
 * to create, read, update, tag and delete it. scripts/deployer-permissions.ts turns the types of
 * the synthesized stacks into the deployer policy; a test fails when a synthesized type has no
 * entry here, so a new resource type cannot ship without its deploy permissions.
 */

const TAGS_EC2 = ['ec2:CreateTags', 'ec2:DeleteTags'];

export const DEPLOYER_ACTIONS: Readonly<Record<string, readonly string[]>> = {
  // Data sources
  'data.aws_availability_zones': ['ec2:DescribeAvailabilityZones'],
  'data.aws_vpc_endpoint_service': ['ec2:DescribeVpcEndpointServices'],
  'data.aws_caller_identity': [], // sts:GetCallerIdentity needs no permission
  'data.aws_partition': [],
  'data.awscc_config_configuration_recorders': [
    // Cloud Control API actions carry the cloudformation prefix.
    'cloudformation:ListResources',
    'config:ListConfigurationRecorders',
    'config:DescribeConfigurationRecorders',
  ],

  // Network
  aws_vpc: [
    'ec2:CreateVpc',
    'ec2:DescribeVpcs',
    'ec2:DescribeVpcAttribute',
    'ec2:ModifyVpcAttribute',
    'ec2:DeleteVpc',
    'ec2:DescribeRouteTables',
    'ec2:DescribeNetworkAcls',
    'ec2:DescribeSecurityGroups',
    ...TAGS_EC2,
  ],
  aws_subnet: [
    'ec2:CreateSubnet',
    'ec2:DescribeSubnets',
    'ec2:ModifySubnetAttribute',
    'ec2:DeleteSubnet',
    ...TAGS_EC2,
  ],
  aws_default_security_group: [
    'ec2:DescribeSecurityGroups',
    'ec2:AuthorizeSecurityGroupIngress',
    'ec2:AuthorizeSecurityGroupEgress',
    'ec2:RevokeSecurityGroupIngress',
    'ec2:RevokeSecurityGroupEgress',
    ...TAGS_EC2,
  ],
  aws_security_group: [
    'ec2:CreateSecurityGroup',
    'ec2:DescribeSecurityGroups',
    'ec2:RevokeSecurityGroupEgress',
    'ec2:DeleteSecurityGroup',
    'ec2:DescribeNetworkInterfaces',
    ...TAGS_EC2,
  ],
  aws_vpc_security_group_egress_rule: [
    'ec2:AuthorizeSecurityGroupEgress',
    'ec2:DescribeSecurityGroupRules',
    'ec2:ModifySecurityGroupRules',
    'ec2:RevokeSecurityGroupEgress',
    ...TAGS_EC2,
  ],
  aws_vpc_security_group_ingress_rule: [
    'ec2:AuthorizeSecurityGroupIngress',
    'ec2:DescribeSecurityGroupRules',
    'ec2:ModifySecurityGroupRules',
    'ec2:RevokeSecurityGroupIngress',
    ...TAGS_EC2,
  ],
  aws_route_table: [
    'ec2:CreateRouteTable',
    'ec2:DescribeRouteTables',
    'ec2:DeleteRouteTable',
    ...TAGS_EC2,
  ],
  aws_route_table_association: [
    'ec2:AssociateRouteTable',
    'ec2:ReplaceRouteTableAssociation',
    'ec2:DisassociateRouteTable',
    'ec2:DescribeRouteTables',
  ],
  aws_route: ['ec2:CreateRoute', 'ec2:ReplaceRoute', 'ec2:DeleteRoute', 'ec2:DescribeRouteTables'],
  aws_internet_gateway: [
    'ec2:CreateInternetGateway',
    'ec2:AttachInternetGateway',
    'ec2:DescribeInternetGateways',
    'ec2:DetachInternetGateway',
    'ec2:DeleteInternetGateway',
    ...TAGS_EC2,
  ],
  aws_eip: [
    'ec2:AllocateAddress',
    'ec2:DescribeAddresses',
    'ec2:DisassociateAddress',
    'ec2:ReleaseAddress',
    ...TAGS_EC2,
  ],
  aws_nat_gateway: [
    'ec2:CreateNatGateway',
    'ec2:DescribeNatGateways',
    'ec2:DeleteNatGateway',
    ...TAGS_EC2,
  ],
  aws_vpc_endpoint: [
    'ec2:CreateVpcEndpoint',
    'ec2:DescribeVpcEndpoints',
    'ec2:ModifyVpcEndpoint',
    'ec2:DeleteVpcEndpoints',
    'ec2:DescribePrefixLists',
    // Private DNS of interface endpoints associates the VPC with the service's hosted zone.
    'route53:AssociateVPCWithHostedZone',
    ...TAGS_EC2,
  ],
  aws_flow_log: [
    'ec2:CreateFlowLogs',
    'ec2:DescribeFlowLogs',
    'ec2:DeleteFlowLogs',
    'iam:PassRole',
    ...TAGS_EC2,
  ],

  // Keys
  aws_kms_key: [
    'kms:CreateKey',
    'kms:DescribeKey',
    'kms:GetKeyPolicy',
    'kms:PutKeyPolicy',
    'kms:GetKeyRotationStatus',
    'kms:EnableKeyRotation',
    'kms:UpdateKeyDescription',
    'kms:ListResourceTags',
    'kms:TagResource',
    'kms:UntagResource',
    'kms:ScheduleKeyDeletion',
  ],
  aws_kms_alias: ['kms:CreateAlias', 'kms:ListAliases', 'kms:UpdateAlias', 'kms:DeleteAlias'],

  // Audit bucket
  aws_s3_bucket: [
    's3:CreateBucket',
    's3:ListBucket',
    's3:DeleteBucket',
    's3:GetBucketTagging',
    's3:PutBucketTagging',
    's3:GetBucketAcl',
    's3:GetBucketCORS',
    's3:GetBucketWebsite',
    's3:GetBucketVersioning',
    's3:GetAccelerateConfiguration',
    's3:GetBucketRequestPayment',
    's3:GetBucketLogging',
    's3:GetLifecycleConfiguration',
    's3:GetReplicationConfiguration',
    's3:GetEncryptionConfiguration',
    's3:GetBucketObjectLockConfiguration',
    's3:GetBucketPolicy',
    's3:GetBucketLocation',
    // force_destroy empties the bucket, every version included
    's3:ListBucketVersions',
    's3:DeleteObject',
    's3:DeleteObjectVersion',
  ],
  aws_s3_bucket_versioning: ['s3:PutBucketVersioning', 's3:GetBucketVersioning'],
  aws_s3_bucket_server_side_encryption_configuration: [
    's3:PutEncryptionConfiguration',
    's3:GetEncryptionConfiguration',
  ],
  aws_s3_bucket_public_access_block: [
    's3:PutBucketPublicAccessBlock',
    's3:GetBucketPublicAccessBlock',
  ],
  aws_s3_bucket_ownership_controls: [
    's3:PutBucketOwnershipControls',
    's3:GetBucketOwnershipControls',
  ],
  aws_s3_bucket_policy: ['s3:PutBucketPolicy', 's3:GetBucketPolicy', 's3:DeleteBucketPolicy'],
  // The reviewed suppressions object (SSE-KMS with the data key: the deployer encrypts it).
  aws_s3_object: [
    's3:PutObject',
    's3:GetObject',
    's3:GetObjectTagging',
    's3:PutObjectTagging',
    's3:DeleteObject',
    'kms:GenerateDataKey',
    'kms:Decrypt',
  ],
  aws_s3_bucket_lifecycle_configuration: [
    's3:PutLifecycleConfiguration',
    's3:GetLifecycleConfiguration',
  ],

  // Messaging
  aws_sns_topic: [
    'sns:CreateTopic',
    'sns:GetTopicAttributes',
    'sns:SetTopicAttributes',
    'sns:DeleteTopic',
    'sns:ListTagsForResource',
    'sns:TagResource',
    'sns:UntagResource',
  ],
  aws_sns_topic_policy: ['sns:SetTopicAttributes', 'sns:GetTopicAttributes'],
  aws_sns_topic_subscription: [
    'sns:Subscribe',
    'sns:GetSubscriptionAttributes',
    'sns:SetSubscriptionAttributes',
    'sns:ListSubscriptionsByTopic',
    'sns:Unsubscribe',
  ],
  aws_sqs_queue: [
    'sqs:CreateQueue',
    'sqs:GetQueueUrl',
    'sqs:GetQueueAttributes',
    'sqs:SetQueueAttributes',
    'sqs:ListQueueTags',
    'sqs:TagQueue',
    'sqs:UntagQueue',
    'sqs:DeleteQueue',
  ],
  aws_sqs_queue_policy: ['sqs:SetQueueAttributes', 'sqs:GetQueueAttributes'],

  // Roles and policies
  aws_iam_role: [
    'iam:CreateRole',
    'iam:GetRole',
    'iam:UpdateRole',
    'iam:UpdateAssumeRolePolicy',
    'iam:TagRole',
    'iam:UntagRole',
    'iam:ListRolePolicies',
    'iam:ListAttachedRolePolicies',
    'iam:ListInstanceProfilesForRole',
    'iam:DeleteRole',
  ],
  aws_iam_policy: [
    'iam:CreatePolicy',
    'iam:GetPolicy',
    'iam:GetPolicyVersion',
    'iam:ListPolicyVersions',
    'iam:CreatePolicyVersion',
    'iam:DeletePolicyVersion',
    'iam:TagPolicy',
    'iam:UntagPolicy',
    'iam:DeletePolicy',
  ],
  aws_iam_role_policy_attachments_exclusive: [
    'iam:ListAttachedRolePolicies',
    'iam:AttachRolePolicy',
    'iam:DetachRolePolicy',
  ],
  aws_iam_role_policies_exclusive: ['iam:ListRolePolicies', 'iam:DeleteRolePolicy'],

  // Functions and events
  aws_cloudwatch_log_group: [
    'logs:CreateLogGroup',
    'logs:DescribeLogGroups',
    'logs:PutRetentionPolicy',
    'logs:AssociateKmsKey',
    'logs:DisassociateKmsKey',
    'logs:ListTagsForResource',
    'logs:TagResource',
    'logs:UntagResource',
    'logs:DeleteLogGroup',
  ],
  aws_lambda_function: [
    'lambda:CreateFunction',
    'lambda:GetFunction',
    'lambda:GetFunctionConfiguration',
    'lambda:GetFunctionCodeSigningConfig',
    'lambda:ListVersionsByFunction',
    'lambda:UpdateFunctionCode',
    'lambda:UpdateFunctionConfiguration',
    'lambda:PutFunctionConcurrency',
    'lambda:GetFunctionConcurrency',
    'lambda:DeleteFunctionConcurrency',
    'lambda:ListTags',
    'lambda:TagResource',
    'lambda:UntagResource',
    'lambda:DeleteFunction',
    'iam:PassRole',
    // Lambda checks the VPC configuration with the caller's permissions.
    'ec2:DescribeSecurityGroups',
    'ec2:DescribeSubnets',
    'ec2:DescribeVpcs',
  ],
  aws_lambda_function_event_invoke_config: [
    'lambda:PutFunctionEventInvokeConfig',
    'lambda:GetFunctionEventInvokeConfig',
    'lambda:UpdateFunctionEventInvokeConfig',
    'lambda:DeleteFunctionEventInvokeConfig',
  ],
  aws_lambda_permission: ['lambda:AddPermission', 'lambda:GetPolicy', 'lambda:RemovePermission'],
  aws_cloudwatch_event_rule: [
    'events:PutRule',
    'events:DescribeRule',
    'events:EnableRule',
    'events:DisableRule',
    'events:ListTagsForResource',
    'events:TagResource',
    'events:UntagResource',
    'events:DeleteRule',
  ],
  aws_cloudwatch_event_target: [
    'events:PutTargets',
    'events:ListTargetsByRule',
    'events:RemoveTargets',
  ],

  // AWS Config
  aws_config_configuration_recorder: [
    'config:PutConfigurationRecorder',
    'config:DescribeConfigurationRecorders',
    'config:DeleteConfigurationRecorder',
    'iam:PassRole',
  ],
  aws_config_delivery_channel: [
    'config:PutDeliveryChannel',
    'config:DescribeDeliveryChannels',
    'config:DeleteDeliveryChannel',
  ],
  aws_config_configuration_recorder_status: [
    'config:StartConfigurationRecorder',
    'config:StopConfigurationRecorder',
    'config:DescribeConfigurationRecorderStatus',
  ],
  aws_config_config_rule: [
    'config:PutConfigRule',
    'config:DescribeConfigRules',
    'config:ListTagsForResource',
    'config:TagResource',
    'config:UntagResource',
    'config:DeleteConfigRule',
  ],

  // Alarms and dashboard
  aws_cloudwatch_metric_alarm: [
    'cloudwatch:PutMetricAlarm',
    'cloudwatch:DescribeAlarms',
    'cloudwatch:ListTagsForResource',
    'cloudwatch:TagResource',
    'cloudwatch:UntagResource',
    'cloudwatch:DeleteAlarms',
  ],
  aws_cloudwatch_dashboard: [
    'cloudwatch:PutDashboard',
    'cloudwatch:GetDashboard',
    'cloudwatch:DeleteDashboards',
  ],
};

/** The S3 state backend: the state object, its lock file, and listing the bucket. */
export const S3_BACKEND_ACTIONS = [
  's3:ListBucket',
  's3:GetObject',
  's3:PutObject',
  's3:DeleteObject',
];
