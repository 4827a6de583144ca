/**
 * cdktf's own matchers on the full synthesized stack: `toBeValidTerraform` (terraform init +
 * validate) and `toPlanSuccessfully` (init + plan). They run terraform in the synthesized folder
 * with this process's environment, so the test gives them the offline set-up of
 * scripts/offline-terraform.ts: its CLI configuration (provider mirror or registry), the override
 * file (local state, dummy credentials, the local endpoint for the data sources) and the local
 * endpoint itself. They skip, printing why, only where terraform or a provider cannot run.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Testing } from 'cdktf';
import {
  initInPlace,
  offlineOverride,
  OVERRIDE_FILE,
  startOfflineEndpoint,
  type OfflineEndpoint,
} from '../scripts/offline-terraform';
import { findTerraform, terraformEnv } from '../scripts/terraform-toolchain';
import { ComplianceStack } from '../stacks/compliance-stack';
import { loadStackProps } from '../stacks/settings';
import { fakeBundle } from './helpers/stack';

const STACK_ID = 'compliance-audit';
const { toolchain, skip } = findTerraform();
if (skip) process.stderr.write(`cdktf terraform matchers skipped: ${skip}\n`);

(skip ? describe.skip : describe)(
  `synthesized Terraform (cdktf matchers${skip ? `, skipped: ${skip}` : ''})`,
  () => {
    let dir: string;
    let endpoint: OfflineEndpoint;
    const saved = { ...process.env };

    beforeAll(async () => {
      const stack = new ComplianceStack(
        Testing.app(),
        STACK_ID,
        loadStackProps({ ENVIRONMENT_SUFFIX: 'dev', CONFIG_RECORDER_MODE: 'create' }),
        { bundle: fakeBundle },
      );
      dir = Testing.fullSynth(stack);
      endpoint = await startOfflineEndpoint('us-east-1');
      const stackDir = join(dir, 'stacks', STACK_ID);
      writeFileSync(
        join(stackDir, OVERRIDE_FILE),
        JSON.stringify(offlineOverride(join(stackDir, 'terraform.tfstate'), endpoint.url)),
      );
      // Providers installed once, under the lock other workers' inits share.
      await initInPlace(stackDir, toolchain!);
      // The matchers pass process.env to terraform: make it the offline environment.
      const env = terraformEnv(toolchain!, saved);
      for (const key of Object.keys(process.env)) if (!(key in env)) delete process.env[key];
      Object.assign(process.env, env);
    }, 120_000);

    afterAll(async () => {
      for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
      Object.assign(process.env, saved);
      await endpoint?.stop();
    });

    it('is valid Terraform', () => {
      expect(dir).toBeValidTerraform();
    }, 600_000);

    it('plans successfully', () => {
      expect(dir).toPlanSuccessfully();
    }, 600_000);
  },
);
