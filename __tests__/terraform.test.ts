/**
 * cdktf's own matchers on the full synthesized stack: `toBeValidTerraform` (terraform init +
 * validate) and `toPlanSuccessfully` (init + plan against a real account). They run only when a
 * terraform binary is on PATH and `terraform init` can install the providers (probed once); the
 * plan also needs AWS credentials. Otherwise each is skipped with a one-line reason.
 */
import { join } from 'node:path';
import { Testing } from 'cdktf';
import { terraformInit, terraformVersion } from '../scripts/terraform-cli';
import { ComplianceStack } from '../stacks/compliance-stack';
import { loadStackProps } from '../stacks/settings';

const STACK_ID = 'compliance-audit';

function probe(): { dir?: string; skip?: string } {
  const version = terraformVersion();
  if (!version) return { skip: 'no terraform binary on PATH' };
  const stack = new ComplianceStack(
    Testing.app(),
    STACK_ID,
    loadStackProps({ ENVIRONMENT_SUFFIX: 'dev' }),
  );
  const dir = Testing.fullSynth(stack);
  const init = terraformInit(join(dir, 'stacks', STACK_ID));
  if (!init.ok && init.registryUnreachable)
    return { skip: `terraform init could not install providers (${init.firstError})` };
  // Any other init failure is a real problem: let the matcher run and report it.
  return { dir };
}

const { dir, skip } = probe();
const hasCredentials = [
  'AWS_ACCESS_KEY_ID',
  'AWS_PROFILE',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
].some((v) => process.env[v]);
const planSkip =
  skip ??
  (hasCredentials ? undefined : 'no AWS credentials in the environment (plan reads the account)');
if (skip) process.stderr.write(`terraform matchers skipped: ${skip}\n`);
else if (planSkip) process.stderr.write(`toPlanSuccessfully skipped: ${planSkip}\n`);

describe('synthesized Terraform', () => {
  (skip ? it.skip : it)(`is valid Terraform${skip ? ` (skipped: ${skip})` : ''}`, () => {
    expect(dir).toBeValidTerraform();
  });

  (planSkip ? it.skip : it)(
    `plans successfully${planSkip ? ` (skipped: ${planSkip})` : ''}`,
    () => {
      expect(dir).toPlanSuccessfully();
    },
  );
});
