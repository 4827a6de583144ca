import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  firstErrorLine,
  REGISTRY_UNREACHABLE,
  terraformVersion,
  validateWithTerraform,
} from '../../scripts/terraform-cli';

function stackDir(json: object): string {
  const dir = mkdtempSync(join(tmpdir(), 'proofs-tf-'));
  writeFileSync(join(dir, 'cdk.tf.json'), JSON.stringify(json));
  return dir;
}

describe('registry errors', () => {
  it('recognises an unreachable registry, and only that', () => {
    const offline = `Error: Failed to query available provider packages

Could not retrieve the list of available versions for provider hashicorp/aws:
could not connect to registry.terraform.io: failed to request discovery document: Get
"https://registry.terraform.io/.well-known/terraform.json": dial tcp: lookup registry.terraform.io: no such host`;
    expect(REGISTRY_UNREACHABLE.test(offline)).toBe(true);
    expect(firstErrorLine(`╷\n│ Error: Failed to query available provider packages\n│`)).toBe(
      'Error: Failed to query available provider packages',
    );
    const missing =
      'Error: Failed to query available provider packages\n\nprovider registry registry.terraform.io does not have a provider named registry.terraform.io/hashicorp/awz';
    expect(REGISTRY_UNREACHABLE.test(missing)).toBe(false);
  });
});

const version = terraformVersion();
const withTerraform = version ? describe : describe.skip;
if (!version) process.stderr.write('terraform-cli tests skipped: no terraform binary on PATH\n');

withTerraform(`terraform ${version ?? ''} init + validate`, () => {
  it('passes a valid stack that needs no providers', () => {
    expect(validateWithTerraform(stackDir({ output: { x: { value: 'ok' } } }))).toEqual({
      status: 'passed',
      message: `terraform ${version} validate: valid`,
    });
  });

  it('fails a stack terraform finds invalid', () => {
    const outcome = validateWithTerraform(
      stackDir({ output: { x: { value: '${local.missing}' } } }),
    );
    expect(outcome.status).toBe('failed');
    expect(outcome.status === 'failed' && outcome.problems.join('\n')).toContain(
      'Reference to undeclared local value',
    );
  });

  it('skips, not fails, when providers cannot be installed', () => {
    const outcome = validateWithTerraform(
      stackDir({
        terraform: { required_providers: { aws: { source: 'hashicorp/aws', version: '6.25.0' } } },
        output: { x: { value: 'ok' } },
      }),
    );
    // Offline: skipped with the first error line; with registry access it installs and passes.
    if (outcome.status === 'skipped')
      expect(outcome.message).toMatch(
        /^skipped: terraform init could not install providers \(Error: /,
      );
    else expect(outcome.status).toBe('passed');
  });
});
