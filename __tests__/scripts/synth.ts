/**
 * A fresh synth of the real ComplianceStack into a temporary folder (the same layout as
 * cdktf.out: stacks/compliance-audit/cdk.tf.json), for the proof scripts' tests.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'cdktf';
import { ComplianceStack } from '../../stacks/compliance-stack';
import { loadStackProps } from '../../stacks/settings';
import { loadStack, type TfStack } from '../../scripts/tf-json';

/** The stack id main.ts uses. */
export const STACK_ID = 'compliance-audit';

/** Synthesizes with the given settings (environment-variable names) over the defaults; returns the folder. */
export function synthFolder(settings: Readonly<Record<string, string>> = {}): string {
  const outdir = mkdtempSync(join(tmpdir(), 'proofs-synth-'));
  const app = new App({ outdir });
  new ComplianceStack(app, STACK_ID, loadStackProps({ ENVIRONMENT_SUFFIX: 'dev', ...settings }));
  app.synth();
  return outdir;
}

export function stackIn(folder: string): TfStack {
  return loadStack(join(folder, 'stacks', STACK_ID, 'cdk.tf.json'));
}
