/**
 * The deploy traps of the plan review that concern operating the stack: what `destroy` does to
 * the audit evidence, and how far `REMEDIATION_MODE=enforce` reaches beyond the stack. Read from
 * the synthesized JSON alone, like the rest of the review.
 */
import { DEFAULT_EXEMPT_TAG_KEY, ENV } from '../lambdas/shared/env-names';
import { LOG_DELIVERY_SERVICES } from '../lambdas/remediation/log-delivery';
import { retainedAddresses } from './teardown';
import { isObject, nested, readable, resources, str, type TfStack } from './tf-json';

const code = (s: string): string => `\`${s}\``;

/** The remediation function's environment, or undefined when the stack has none. */
function remediationEnvironment(stack: TfStack): Record<string, unknown> | undefined {
  const fn = resources(stack, 'aws_lambda_function').find((f) =>
    /^remediation-/.test(str(f.body, 'function_name') ?? ''),
  );
  const env = fn ? nested(fn.body, 'environment')[0] : undefined;
  return env && isObject(env.variables) ? env.variables : undefined;
}

/** What `cdktf destroy` and `npm run teardown` do to the audit bucket and the data key. */
export function destroyTrap(stack: TfStack): string {
  const buckets = resources(stack, 'aws_s3_bucket').map((b) =>
    code(readable(stack, str(b.body, 'bucket') ?? b.name)),
  );
  const kept = retainedAddresses(stack);
  if (kept.length === 0)
    return `1. **Audit data is deleted on destroy.** Bucket ${buckets.join(', ')} has \`force_destroy = true\`: \`cdktf destroy\` deletes every finding, report, remediation record and Config history object, all versions included, and schedules every KMS key for deletion. Set \`RETAIN_AUDIT_DATA=true\` for production audit evidence.`;
  return `1. **Audit data is retained: \`cdktf destroy\` stops.** Bucket ${buckets.join(', ')} has no \`force_destroy\`, and ${kept.length} resources carry \`prevent_destroy\` (the bucket, the ${kept.length - 3} resources configuring it, the data key and its alias): Terraform refuses the whole destroy before changing anything. \`npm run teardown\` removes exactly these from the state (\`terraform state rm\`) and destroys the rest: the bucket keeps its objects, policy and settings, the data key stays enabled, both no longer managed by Terraform. A redeploy with the same suffix then needs them imported or deleted first (README › Teardown).`;
}

/** Blast radius of enforce: which buckets, how many per run, what other accounts then need. */
export function remediationTrap(stack: TfStack, region: string): string | undefined {
  const env = remediationEnvironment(stack);
  if (env?.[ENV.remediationMode] !== 'enforce') return undefined;
  const cap = String(env[ENV.remediationMaxPerRun] ?? '10');
  const keyArn = String(env[ENV.remediationKmsKeyArn] ?? '');
  const ownKey = keyArn.includes('${');
  const exemptTag = String(env[ENV.exemptTagKey] ?? DEFAULT_EXEMPT_TAG_KEY);
  return [
    `1. **Remediation enforces (REMEDIATION_MODE=enforce): it changes buckets this stack does not own.** Each run (a Config NON_COMPLIANT result on the S3 encryption rules, or every completed scan in bulk) sets SSE-KMS default encryption with a bucket key on up to **${cap}** buckets (REMEDIATION_MAX_PER_RUN; the rest wait for the next run) — every bucket in ${region} whose default encryption is not SSE-KMS with an enabled customer-managed key, **including buckets on AWS's default SSE-S3** and on the AWS managed \`aws/s3\` key. Existing objects keep their encryption; new objects use ${ownKey ? "this stack's remediation key" : code(keyArn)}.`,
    `   - Readers and writers in **other accounts** (cross-account roles, replication, partners) then need \`kms:Decrypt\` / \`kms:GenerateDataKey\` on that key in its key policy *and* their own IAM; ${ownKey ? "the stack's remediation key admits only principals of this account, through S3" : 'grant them in your key'}. Check each affected bucket's policy for other-account principals before enabling enforce.`,
    `   - Skipped, with the reason recorded in \`remediation/…\`: buckets tagged \`${exemptTag}=true\` (exempt from remediation only; their findings stay — suppress them to silence the finding), the audit bucket, buckets outside ${region}, and **log-delivery buckets** (bucket policy lets ${Object.keys(LOG_DELIVERY_SERVICES).map(code).join(', ')} or an ELB account write, or the ACL grants the LogDelivery group), which accept SSE-S3 only or need the key policy to name the service.`,
    ...(env[ENV.orgRemediationRoleName]
      ? [
          `   - **Member accounts too (ORG_REMEDIATION=members):** after an organization scan the same runs change buckets in ${region} of every member account the members stack reached, through its role ${code(String(env[ENV.orgRemediationRoleName]))}, each with that account's own key ${code(String(env[ENV.orgRemediationKeyAlias]))}; the cap counts over all accounts together.`,
        ]
      : []),
    ...(ownKey
      ? [
          "   - **No REMEDIATION_KMS_KEY_ARN:** remediated buckets use this stack's remediation key and depend on it after a destroy (it is scheduled for deletion with a 30-day window; `aws kms cancel-key-deletion` stops it). Set a long-lived key of your own for production.",
        ]
      : []),
  ].join('\n');
}
