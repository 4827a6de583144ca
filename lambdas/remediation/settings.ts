/** Remediation settings from the environment the stack sets (read per invocation, fail fast). */
import { DEFAULT_EXEMPT_TAG_KEY, ENV } from '../shared/env-names';
import { envOr, intEnv, listEnv, requireEnv } from '../shared/env';

export const REMEDIATION_MODES = ['off', 'dry-run', 'enforce'] as const;
export type RemediationMode = (typeof REMEDIATION_MODES)[number];

/** Buckets changed (enforce) or reported as would-change (dry-run) per run; REMEDIATION_MAX_PER_RUN overrides. */
export const DEFAULT_MAX_PER_RUN = 10;

const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:([a-z0-9-]+):(\d{12}):(key|alias)\/.+$/;

/** ORG_REMEDIATION=members: how remediation reaches the buckets of member accounts. */
export interface MemberRemediation {
  /** The remediation role the members stack puts in every member account. */
  readonly roleName: string;
  readonly externalId: string;
  /** `alias/…` of the customer-managed key the members stack creates in every member account. */
  readonly keyAlias: string;
  /** The organization's management account: no remediation role there, never changed. */
  readonly managementAccount?: string;
}

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
  /** Set with ORG_REMEDIATION=members: an organization scan's member buckets are remediated too. */
  readonly members?: MemberRemediation;
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
  const members = memberRemediation();
  return {
    mode: mode as RemediationMode,
    maxPerRun: intEnv(ENV.remediationMaxPerRun, DEFAULT_MAX_PER_RUN, 0),
    kmsKeyArn,
    exemptTagKey: envOr(ENV.exemptTagKey, DEFAULT_EXEMPT_TAG_KEY),
    auditBucket: requireEnv(ENV.auditBucket),
    eventBusName: envOr(ENV.eventBusName, 'default'),
    ruleNames: listEnv(ENV.remediationRuleNames),
    ...(members ? { members } : {}),
  };
}

/** The member-account settings, present when the stack set ORG_REMEDIATION_ROLE_NAME. */
function memberRemediation(): MemberRemediation | undefined {
  const roleName = process.env[ENV.orgRemediationRoleName]?.trim();
  if (!roleName) return undefined;
  const keyAlias = requireEnv(ENV.orgRemediationKeyAlias).trim();
  if (!/^alias\/[\w/-]+$/.test(keyAlias)) {
    throw new Error(
      `Environment variable ${ENV.orgRemediationKeyAlias} must be a KMS alias name (alias/…), got "${keyAlias}"`,
    );
  }
  const managementAccount = process.env[ENV.orgManagementAccountId]?.trim() || undefined;
  return {
    roleName,
    externalId: requireEnv(ENV.orgExternalId).trim(),
    keyAlias,
    ...(managementAccount ? { managementAccount } : {}),
  };
}
