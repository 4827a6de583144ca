/**
 * Synth-time guardrails: a stack that breaks one of the project's own promises does not
 * synthesize. Tests check the same promises on the output; this stops them at the source.
 */
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import type { IAspect } from 'cdktf';
import type { IConstruct } from 'constructs';

export class Guardrails implements IAspect {
  visit(node: IConstruct): void {
    const where = node.node.path;
    if (node instanceof IamRolePolicy) {
      throw new Error(
        `Guardrail: ${where} is an inline role policy; attach a managed policy instead`,
      );
    }
    if (node instanceof IamRole && node.inlinePolicyInput !== undefined) {
      throw new Error(
        `Guardrail: ${where} declares inline_policy; attach a managed policy instead`,
      );
    }
    if (node instanceof LambdaFunction) {
      if (node.reservedConcurrentExecutionsInput === undefined) {
        throw new Error(`Guardrail: ${where} has no reserved concurrency`);
      }
      if (node.tracingConfig.modeInput !== 'Active') {
        throw new Error(`Guardrail: ${where} does not have X-Ray tracing Active`);
      }
    }
  }
}
