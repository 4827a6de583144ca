/** Remediation settings from the environment the stack sets (read per invocation, fail fast). */
import { DEFAULT_EXEMPT_TAG_KEY, ENV } from '../shared/env-names';
import { envOr, intEnv, listEnv, requireEnv } from '../shared/env';

export const REMEDIATION_MODES = ['off', 'dry-run', 'enforce'] as const;
export type RemediationMode = (typeof REMEDIATION_MODES)[number];

/** Buckets changed (enforce) or reported as would-change (dry-run) per run; REMEDIATION_MAX_PER_RUN overrides. */
export const DEFAULT_MAX_PER_RUN = 10;

const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:([a-z0-9-]+):(\d{12}):(key|alias)\/.+$/;

export interface RemediationSettings {
  readonly mode: RemediationMode;
  readonly maxPerRun: number;
  /** Key ARN (or alias ARN) to apply; required unless mode is off. */
  readonly kmsKeyArn?: string;
  readonly exemptTagKey: string;
  readonly auditBucket: string;
  readonly eventBusName: string;
  /** Config rules whose NON_COMPLIANT results trigger remediation. */
  readonly ruleNames: readonly string[];
}

/** Region of a KMS key or alias ARN (S3 needs a key in the bucket's own Region). */
export function kmsArnRegion(arn: string): string | undefined {
  return KMS_KEY_ARN.exec(arn)?.[1];
}

export function loadSettings(): RemediationSettings {
  const mode = requireEnv(ENV.remediationMode).trim();
  if (!(REMEDIATION_MODES as readonly string[]).includes(mode)) {
    throw new Error(
      `Environment variable ${ENV.remediationMode} must be one of ${REMEDIATION_MODES.join(', ')}, got "${mode}"`,
    );
  }
  const kmsKeyArn = process.env[ENV.remediationKmsKeyArn]?.trim() || undefined;
  if (mode !== 'off') {
    if (!kmsKeyArn) {
      throw new Error(
        `Environment variable ${ENV.remediationKmsKeyArn} is required when ${ENV.remediationMode} is ${mode}`,
      );
    }
    if (!KMS_KEY_ARN.test(kmsKeyArn)) {
      throw new Error(
        `Environment variable ${ENV.remediationKmsKeyArn} must be a KMS key or alias ARN, got "${kmsKeyArn}"`,
      );
    }
  }
  return {
    mode: mode as RemediationMode,
    maxPerRun: intEnv(ENV.remediationMaxPerRun, DEFAULT_MAX_PER_RUN, 0),
    kmsKeyArn,
    exemptTagKey: envOr(ENV.exemptTagKey, DEFAULT_EXEMPT_TAG_KEY),
    auditBucket: requireEnv(ENV.auditBucket),
    eventBusName: envOr(ENV.eventBusName, 'default'),
    ruleNames: listEnv(ENV.remediationRuleNames),
  };
}
