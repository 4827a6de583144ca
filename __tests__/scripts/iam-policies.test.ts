import { formatAtoms, iamPattern, intersects } from '../../scripts/arn-pattern';
import { ARN_TYPES, checkPolicies, IamData } from '../../scripts/iam-policies';
import type { TfJson, TfStack } from '../../scripts/tf-json';

const data = new IamData();

/** A stack holding one bucket, one key and the given policy resources. */
function stackWith(resource: Record<string, Record<string, Record<string, unknown>>>): TfStack {
  const json: TfJson = {
    resource: {
      aws_s3_bucket: { b: { bucket: 'b' } },
      aws_kms_key: { k: {} },
      aws_cloudwatch_log_group: { g: { name: 'g' } },
      aws_subnet: { s: {} },
      ...resource,
    },
  };
  return { name: 'test', dir: '/tmp', file: '/tmp/cdk.tf.json', json };
}

const identity = (...statements: object[]): TfStack =>
  stackWith({
    aws_iam_policy: {
      p: { policy: JSON.stringify({ Version: '2012-10-17', Statement: statements }) },
    },
  });

async function problems(stack: TfStack): Promise<string[]> {
  return (await checkPolicies(stack, data)).map((p) => p.message);
}

describe('ARN shapes', () => {
  const object = formatAtoms('arn:${Partition}:s3:::${BucketName}/${ObjectName}');
  const bucket = formatAtoms('arn:${Partition}:s3:::${BucketName}');

  it('fits a bucket pattern with /* to objects, not buckets', () => {
    expect(intersects(iamPattern('arn:aws:s3:::bucket/*'), object)).toBe(true);
    expect(intersects(iamPattern('arn:aws:s3:::bucket/*'), bucket)).toBe(false);
  });

  it('lets * match anything, including across fields', () => {
    expect(intersects(iamPattern('*'), bucket)).toBe(true);
    expect(intersects(iamPattern('arn:aws:s3:::*'), object)).toBe(true);
    expect(
      intersects(
        iamPattern('arn:aws:kms:*:*:key/*'),
        formatAtoms('arn:${Partition}:kms:${Region}:${Account}:key/${KeyId}'),
      ),
    ).toBe(true);
  });

  it('keeps services and fields apart', () => {
    expect(
      intersects(
        iamPattern('arn:aws:sqs:us-east-1:1:q'),
        formatAtoms('arn:${Partition}:sns:${Region}:${Account}:${TopicName}'),
      ),
    ).toBe(false);
    expect(intersects(iamPattern('arn:aws:s3:us-east-1::b'), bucket)).toBe(false);
  });

  it('maps every Terraform type in ARN_TYPES to a resource type iam-data knows', async () => {
    for (const [type, [service, resourceType]] of Object.entries(ARN_TYPES)) {
      expect([type, (await data.typeAtoms(service, resourceType)) !== undefined]).toEqual([
        type,
        true,
      ]);
    }
  });
});

describe('checkPolicies', () => {
  it('accepts a least-privilege identity policy with Terraform references', async () => {
    const stack = identity(
      { Effect: 'Allow', Action: 's3:GetObject', Resource: '${aws_s3_bucket.b.arn}/findings/*' },
      { Effect: 'Allow', Action: ['s3:ListBucket'], Resource: '${aws_s3_bucket.b.arn}' },
      {
        Effect: 'Allow',
        Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        Resource: '${aws_kms_key.k.arn}',
      },
      {
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:DescribeLogStreams'],
        Resource: [
          '${aws_cloudwatch_log_group.g.arn}',
          '${aws_cloudwatch_log_group.g.arn}:log-stream:*',
        ],
      },
      { Effect: 'Allow', Action: 'ec2:DescribeVpcs', Resource: '*' },
      {
        Effect: 'Allow',
        Action: 'iam:ListAccessKeys',
        Resource:
          'arn:${data.aws_partition.p.partition}:iam::${data.aws_caller_identity.c.account_id}:user/*',
      },
    );
    expect(await problems(stack)).toEqual([]);
  });

  it('names actions that do not exist, and wildcards that match nothing', async () => {
    const stack = identity({
      Sid: 'Typos',
      Effect: 'Allow',
      Action: ['s3:GetObjectz', 'kms:Foo*', 'nosuch:Thing', 'GetObject'],
      Resource: '*',
    });
    expect(await problems(stack)).toEqual([
      'statement "Typos": "s3:GetObjectz" is not an IAM action of s3',
      'statement "Typos": "kms:Foo*" matches no kms action',
      'statement "Typos": "nosuch:Thing": no IAM service "nosuch"',
      'statement "Typos": "GetObject" is not an IAM action (service:Action)',
    ]);
  });

  it('refuses * actions in Allow statements, allows them in Deny', async () => {
    const stack = identity(
      { Effect: 'Allow', Action: '*', Resource: '*' },
      { Effect: 'Allow', Action: 's3:*', Resource: '*' },
      { Effect: 'Deny', Action: 's3:*', Resource: '*' },
      { Effect: 'Allow', NotAction: 's3:GetObject', Resource: '*' },
    );
    expect(await problems(stack)).toEqual([
      'statement #1: "*" grants every action in an Allow statement; list the actions it needs',
      'statement #2: "s3:*" grants every action of the service in an Allow statement; list the actions it needs',
      'statement #4: NotAction in an Allow statement grants everything not listed; list the actions instead',
    ]);
  });

  it('allows kms:* only for the account root in a key policy', async () => {
    const admin = {
      Sid: 'Admin',
      Effect: 'Allow',
      Principal: {
        AWS: 'arn:${data.aws_partition.p.partition}:iam::${data.aws_caller_identity.c.account_id}:root',
      },
      Action: 'kms:*',
      Resource: '*',
    };
    const other = {
      Sid: 'Other',
      Effect: 'Allow',
      Principal: { Service: 'logs.amazonaws.com' },
      Action: 'kms:*',
      Resource: '*',
    };
    const stack = stackWith({
      aws_kms_key: {
        k: { policy: JSON.stringify({ Version: '2012-10-17', Statement: [admin, other] }) },
      },
    });
    expect(await problems(stack)).toEqual([
      'statement "Other": "kms:*" grants every action of the service in an Allow statement; list the actions it needs',
    ]);
  });

  it('checks that resources fit the actions', async () => {
    const stack = identity(
      {
        Sid: 'ObjectsNotBucket',
        Effect: 'Allow',
        Action: 's3:ListBucket',
        Resource: '${aws_s3_bucket.b.arn}/*',
      },
      {
        Sid: 'NeedsStar',
        Effect: 'Allow',
        Action: 's3:ListAllMyBuckets',
        Resource: '${aws_s3_bucket.b.arn}',
      },
      {
        Sid: 'Unmapped',
        Effect: 'Allow',
        Action: 'sqs:SendMessage',
        Resource: '${aws_subnet.s.arn}',
      },
    );
    expect(await problems(stack)).toEqual([
      `statement "ObjectsNotBucket": "s3:ListBucket" applies to none of the statement's resources (it takes accesspoint, bucket)`,
      `statement "ObjectsNotBucket": resource "\${aws_s3_bucket.b.arn}/*" fits none of the statement's actions (s3:ListBucket)`,
      `statement "NeedsStar": "s3:ListAllMyBuckets" has no resource-level permissions: its Resource must be "*"`,
      `statement "NeedsStar": resource "\${aws_s3_bucket.b.arn}" fits none of the statement's actions (s3:ListAllMyBuckets)`,
      'statement "Unmapped": no IAM resource type is known for aws_subnet.arn (aws_subnet.s); add it to ARN_TYPES in scripts/iam-policies.ts',
      `statement "Unmapped": "sqs:SendMessage" applies to none of the statement's resources (it takes queue)`,
    ]);
  });

  it('checks document structure and principals per kind', async () => {
    const stack = stackWith({
      aws_iam_policy: {
        computed: { policy: '${data.aws_iam_policy_document.d.json}' },
        broken: { policy: '{"Version": "2012-10-17", "Statement": [' },
        principal: {
          policy: JSON.stringify({
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: '*' }],
          }),
        },
        old: {
          policy: JSON.stringify({
            Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }],
          }),
        },
      },
      aws_iam_role: {
        r: {
          assume_role_policy: JSON.stringify({
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole' }],
          }),
        },
      },
      aws_s3_bucket_policy: {
        bp: {
          policy: JSON.stringify({
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Principal: { Service: 'not a service' },
                Action: 's3:GetObject',
                Resource: '${aws_s3_bucket.b.arn}/*',
              },
            ],
          }),
        },
      },
    });
    const messages = await problems(stack);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^computed by Terraform \(\$\{data\.aws_iam_policy_document\.d\.json\}\)/,
        ),
        expect.stringMatching(/^not valid JSON/),
        'statement #1: an identity policy cannot name a Principal',
        'Version is undefined; use "2012-10-17" (policy variables need it)',
        'statement #1: a trust policy statement needs a Principal',
        'statement #1: "not a service" is not a service principal',
      ]),
    );
    expect(messages).toHaveLength(6);
  });
});
