/** Config custom rule: S3 default encryption must be SSE-KMS/DSSE-KMS with a customer-managed key. */
import { runConfigRule } from '../shared/config-rule';
import { instrumentHandler } from '../shared/observability';
import { s3EncryptionRule } from './rule';

export const handler = instrumentHandler((event: unknown) =>
  runConfigRule(s3EncryptionRule, event),
);
