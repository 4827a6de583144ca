/**
 * Remediation: sets SSE-KMS default encryption (bucket key on) on S3 buckets reported by the
 * Config rule config-rule-s3-encryption (NON_COMPLIANT) or by a scan (S3.CustomerManagedKey
 * failures); off / dry-run / enforce.
 * IAM actions: see ./run.ts and ./fixers/s3-default-encryption.ts.
 */
import { instrumentHandler, logger } from '../shared/observability';
import { runRemediation, type RemediationRunResult } from './run';
import { loadSettings } from './settings';
import { parseTrigger } from './triggers';

export type RemediationResponse = RemediationRunResult | { readonly ignored: string };

export const handler = instrumentHandler(async (event: unknown): Promise<RemediationResponse> => {
  const settings = loadSettings();
  const trigger = parseTrigger(event, settings.ruleNames);
  if (trigger.kind === 'ignored') {
    logger.info('Event ignored', { reason: trigger.reason });
    return { ignored: trigger.reason };
  }
  return runRemediation(trigger, settings);
});
