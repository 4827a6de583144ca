/**
 * The lines `cdktf synth` prints besides the stack: where state lives, and what an operator must
 * know before applying a setting that changes resources outside this stack. main.ts prints them
 * on stdout (cdktf labels anything on stderr as [ERROR]).
 */
import { DEFAULT_EXEMPT_TAG_KEY } from '../lambdas/shared/env-names';
import type { Settings } from './settings';

export function synthNotices(settings: Settings, backendDescription: string): string[] {
  const lines = [`Notice: ${backendDescription}`];
  if (settings.remediationMode === 'enforce') {
    lines.push(
      `Warning: REMEDIATION_MODE=enforce changes up to ${settings.remediationMaxPerRun} buckets per run (REMEDIATION_MAX_PER_RUN): every non-compliant bucket in ${settings.region} without a customer-managed key, SSE-S3 ones included, gets SSE-KMS; log-delivery buckets and buckets tagged ${DEFAULT_EXEMPT_TAG_KEY}=true are skipped (README › Remediation).`,
    );
    const members = settings.organization?.memberRemediation;
    if (members) {
      lines.push(
        `Warning: ORG_REMEDIATION=members: the same runs change buckets in ${settings.region} of every member account too, through ${members.roleName}, each with its own ${members.keyAlias}; the cap counts over all accounts together.`,
      );
    }
    if (settings.remediationKmsKeyArn === undefined) {
      lines.push(
        "Warning: REMEDIATION_KMS_KEY_ARN is unset: remediated buckets get this stack's remediation key and depend on it after a destroy (30-day deletion window); set a long-lived key of your own.",
      );
    }
  }
  return lines;
}
