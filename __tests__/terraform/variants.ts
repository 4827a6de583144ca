/**
 * The settings variants the terraform tests validate and plan, and their synthesis into a JSON
 * stack folder and an HCL one (the same stack, `cdk.tf.json` or `cdk.tf` beside the same assets).
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'cdktf';
import { ComplianceStack } from '../../stacks/compliance-stack';
import { loadStackProps } from '../../stacks/settings';
import { fakeBundle } from '../helpers/stack';

export const STACK_ID = 'compliance-audit';

export interface Variant {
  readonly name: string;
  /** Settings (environment-variable names) over ENVIRONMENT_SUFFIX=dev. */
  readonly settings: Readonly<Record<string, string>>;
}

export const VARIANTS = {
  defaults: { name: 'defaults (CONFIG_RECORDER_MODE=auto)', settings: {} },
  create: { name: 'create', settings: { CONFIG_RECORDER_MODE: 'create' } },
  existing: { name: 'existing', settings: { CONFIG_RECORDER_MODE: 'existing' } },
  natEnforce: {
    name: 'nat + enforce + S3 backend + e-mails',
    settings: {
      CONFIG_RECORDER_MODE: 'create',
      NETWORK_EGRESS: 'nat',
      REMEDIATION_MODE: 'enforce',
      REMEDIATION_KMS_KEY_ARN:
        'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      TF_STATE_BUCKET: 'example-terraform-state',
      ALERT_EMAILS: 'secops@example.com,oncall@example.com',
    },
  },
  cloud: {
    name: 'Terraform Cloud backend',
    settings: {
      CONFIG_RECORDER_MODE: 'existing',
      TF_CLOUD_ORGANIZATION: 'example-org',
      TF_CLOUD_WORKSPACE: 'compliance-audit-dev',
    },
  },
  retain: {
    name: 'retain data',
    settings: { CONFIG_RECORDER_MODE: 'create', RETAIN_AUDIT_DATA: 'true' },
  },
  organization: {
    name: 'organization (audit stack, member remediation, Config aggregator)',
    settings: {
      CONFIG_RECORDER_MODE: 'create',
      SCAN_SCOPE: 'organization',
      // The offline plan's stand-in account.
      ORG_AUDIT_ACCOUNT_ID: '123456789012',
      ORG_INCLUDE_OUS: 'ou-abcd-11112222',
      ORG_EXCLUDE_ACCOUNTS: '210987654321',
      // Member remediation too: the remediation role's AssumeRole grant and the STS endpoint.
      ORG_REMEDIATION: 'members',
      ORG_CONFIG_AGGREGATOR: 'true',
    },
  },
} as const satisfies Record<string, Variant>;

export interface SynthesizedVariant {
  /** The synth folder (cdktf.out of this variant). */
  readonly outdir: string;
  /** stacks/compliance-audit of the JSON synth. */
  readonly jsonDir: string;
  /** The same stack as HCL (cdk.tf). */
  readonly hclDir: string;
  /** The synthesized JSON. */
  readonly tf: Record<string, unknown>;
  dispose(): void;
}

/** Synthesizes a variant (fixed Lambda bundle) as JSON and as HCL. */
export function synthVariant(variant: Variant): SynthesizedVariant {
  const outdir = mkdtempSync(join(tmpdir(), 'tf-variant-'));
  const app = new App({ outdir });
  const stack = new ComplianceStack(
    app,
    STACK_ID,
    loadStackProps({ ENVIRONMENT_SUFFIX: 'dev', ...variant.settings }),
    { bundle: fakeBundle },
  );
  app.synth();
  const jsonDir = join(outdir, 'stacks', STACK_ID);
  const hclDir = join(outdir, 'hcl', STACK_ID);
  cpSync(join(jsonDir, 'assets'), join(hclDir, 'assets'), { recursive: true });
  writeFileSync(join(hclDir, 'cdk.tf'), stack.toHclTerraform().hcl);
  return {
    outdir,
    jsonDir,
    hclDir,
    tf: stack.toTerraform() as Record<string, unknown>,
    dispose: () => rmSync(outdir, { recursive: true, force: true }),
  };
}
