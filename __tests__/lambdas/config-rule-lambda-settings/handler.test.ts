import { ConfigServiceClient, PutEvaluationsCommand } from '@aws-sdk/client-config-service';
import { IAMClient, ListRolePoliciesCommand } from '@aws-sdk/client-iam';
import { GetFunctionConcurrencyCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../../lambdas/config-rule-lambda-settings/handler';
import { judgeLambda, roleNameFromArn } from '../../../lambdas/config-rule-lambda-settings/rule';
import { fakeContext } from '../../helpers/lambda-context';
import {
  CAPTURE_TIME,
  RESULT_TOKEN,
  awsError,
  changeEvent,
  type RawItem,
} from '../shared/config-rule-fixtures';

const config = mockClient(ConfigServiceClient);
const lambda = mockClient(LambdaClient);
const iam = mockClient(IAMClient);
const context = fakeContext('config-rule-lambda-settings-test');

const ROLE_ARN = 'arn:aws:iam::123456789012:role/service-role/app/orders-role';

function fn(configuration: Record<string, unknown> = {}, over: Partial<RawItem> = {}): RawItem {
  return {
    resourceType: 'AWS::Lambda::Function',
    resourceId: 'orders',
    configuration: {
      functionName: 'orders',
      role: ROLE_ARN,
      tracingConfig: { mode: 'Active' },
      ...configuration,
    },
    ...over,
  };
}

function sentEvaluation() {
  return config.commandCalls(PutEvaluationsCommand)[0].args[0].input.Evaluations![0];
}

beforeEach(() => {
  config.reset();
  lambda.reset();
  iam.reset();
  config.on(PutEvaluationsCommand).resolves({});
});

describe('roleNameFromArn', () => {
  it('takes the last segment of a role ARN with or without a path', () => {
    expect(roleNameFromArn(ROLE_ARN)).toBe('orders-role');
    expect(roleNameFromArn('arn:aws:iam::123456789012:role/plain')).toBe('plain');
    expect(roleNameFromArn('arn:aws-us-gov:iam::123456789012:role/a/b')).toBe('b');
    expect(roleNameFromArn('arn:aws:iam::123456789012:user/bob')).toBeUndefined();
  });
});

describe('judgeLambda', () => {
  it('lists every failed condition', () => {
    // Act
    const result = judgeLambda({
      functionName: 'orders',
      tracingMode: 'PassThrough',
      roleArn: ROLE_ARN,
      inlinePolicies: ['inline-a', 'inline-b'],
    });

    // Assert
    expect(result).toEqual({
      complianceType: 'NON_COMPLIANT',
      annotation:
        'Function orders: no reserved concurrency; tracing mode is PassThrough (Active required); ' +
        'execution role orders-role has inline policies: inline-a, inline-b.',
    });
  });
});

describe('handler', () => {
  it('reports COMPLIANT and looks the role up by name, not path', async () => {
    // Arrange
    lambda.on(GetFunctionConcurrencyCommand).resolves({ ReservedConcurrentExecutions: 5 });
    iam.on(ListRolePoliciesCommand).resolves({ PolicyNames: [], IsTruncated: false });

    // Act
    await handler(changeEvent(fn()), context);

    // Assert
    expect(lambda).toHaveReceivedCommandWith(GetFunctionConcurrencyCommand, {
      FunctionName: 'orders',
    });
    expect(iam).toHaveReceivedCommandWith(ListRolePoliciesCommand, { RoleName: 'orders-role' });
    expect(config).toHaveReceivedCommandWith(PutEvaluationsCommand, {
      Evaluations: [
        {
          ComplianceResourceType: 'AWS::Lambda::Function',
          ComplianceResourceId: 'orders',
          ComplianceType: 'COMPLIANT',
          Annotation:
            'Function orders: reserved concurrency 5, tracing Active, role orders-role has no inline policies.',
          OrderingTimestamp: new Date(CAPTURE_TIME),
        },
      ],
      ResultToken: RESULT_TOKEN,
    });
  });

  it('reports NON_COMPLIANT listing all failures, paging through inline policies', async () => {
    // Arrange
    lambda.on(GetFunctionConcurrencyCommand).resolves({});
    iam
      .on(ListRolePoliciesCommand)
      .resolvesOnce({ PolicyNames: ['p1'], IsTruncated: true, Marker: 'm1' })
      .resolvesOnce({ PolicyNames: ['p2'], IsTruncated: false });

    // Act
    await handler(changeEvent(fn({ tracingConfig: { mode: 'PassThrough' } })), context);

    // Assert
    expect(iam).toHaveReceivedNthSpecificCommandWith(2, ListRolePoliciesCommand, {
      RoleName: 'orders-role',
      Marker: 'm1',
    });
    expect(sentEvaluation()).toMatchObject({
      ComplianceType: 'NON_COMPLIANT',
      Annotation:
        'Function orders: no reserved concurrency; tracing mode is PassThrough (Active required); ' +
        'execution role orders-role has inline policies: p1, p2.',
    });
  });

  it('reports a missing execution role as a failed condition', async () => {
    // Arrange
    lambda.on(GetFunctionConcurrencyCommand).resolves({ ReservedConcurrentExecutions: 2 });
    iam.on(ListRolePoliciesCommand).rejects(awsError('NoSuchEntityException', 'role not found'));

    // Act
    await handler(changeEvent(fn()), context);

    // Assert
    expect(sentEvaluation()).toMatchObject({
      ComplianceType: 'NON_COMPLIANT',
      Annotation: `Function orders: execution role ${ROLE_ARN} does not exist.`,
    });
  });

  it('reports NOT_APPLICABLE for a deleted function without Lambda or IAM calls', async () => {
    // Act
    await handler(
      changeEvent(
        fn({}, { configurationItemStatus: 'ResourceDeletedNotRecorded', configuration: null }),
      ),
      context,
    );

    // Assert
    expect(lambda).not.toHaveReceivedCommand(GetFunctionConcurrencyCommand);
    expect(iam).not.toHaveReceivedCommand(ListRolePoliciesCommand);
    expect(sentEvaluation().ComplianceType).toBe('NOT_APPLICABLE');
  });

  it('fails without an evaluation when GetFunctionConcurrency is denied', async () => {
    // Arrange
    lambda.on(GetFunctionConcurrencyCommand).rejects(awsError('AccessDeniedException', 'denied'));
    iam.on(ListRolePoliciesCommand).resolves({ PolicyNames: [] });

    // Act / Assert
    await expect(handler(changeEvent(fn()), context)).rejects.toThrow('denied');
    expect(config).not.toHaveReceivedCommand(PutEvaluationsCommand);
  });
});
