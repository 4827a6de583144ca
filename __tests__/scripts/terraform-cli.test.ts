import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firstErrorLine } from '../../scripts/offline-terraform';
import { validateWithTerraform } from '../../scripts/terraform-cli';
import { findTerraform, REGISTRY_UNREACHABLE } from '../../scripts/terraform-toolchain';

function stackDir(json: object, file = 'cdk.tf.json'): string {
  const dir = mkdtempSync(join(tmpdir(), 'proofs-tf-'));
  writeFileSync(join(dir, file), typeof json === 'string' ? json : JSON.stringify(json));
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

const TIMEOUT_MS = 180_000;
const { toolchain, skip } = findTerraform();
if (skip) process.stderr.write(`terraform-cli tests skipped: ${skip}\n`);

(skip ? describe.skip : describe)(
  `validateWithTerraform${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    it(
      'passes a valid stack, JSON or HCL',
      async () => {
        const json = await validateWithTerraform(stackDir({ output: { x: { value: 'ok' } } }));
        expect(json).toEqual({
          status: 'passed',
          message: `terraform ${toolchain!.terraformVersion} validate: valid, no warnings (no providers)`,
        });
        const hcl = await validateWithTerraform(
          stackDir('output "x" {\n  value = "ok"\n}\n' as never, 'cdk.tf'),
        );
        expect(hcl.status).toBe('passed');
      },
      TIMEOUT_MS,
    );

    it(
      'fails a stack terraform finds invalid, naming the problem',
      async () => {
        const outcome = await validateWithTerraform(
          stackDir({ output: { x: { value: '${local.missing}' } } }),
        );
        expect(outcome.status).toBe('failed');
        expect(outcome.status === 'failed' && outcome.problems.join('\n')).toContain(
          'Reference to undeclared local value',
        );
      },
      TIMEOUT_MS,
    );

    it(
      'fails on warnings too (a deprecated aws provider argument)',
      async () => {
        const outcome = await validateWithTerraform(
          stackDir({
            terraform: { required_providers: { aws: { source: 'hashicorp/aws' } } },
            provider: { aws: { region: 'us-east-1' } },
            resource: { aws_s3_bucket: { b: { bucket: 'x', acl: 'private' } } },
          }),
        );
        expect(outcome).toEqual({
          status: 'failed',
          message: 'terraform validate: 0 error(s), 1 warning(s)',
          problems: [
            'warning: aws_s3_bucket.b: Argument is deprecated — acl is deprecated. Use the aws_s3_bucket_acl resource instead.',
          ],
        });
      },
      TIMEOUT_MS,
    );

    it('skips, not fails, when a provider cannot be installed here', async () => {
      const outcome = await validateWithTerraform(
        stackDir({
          terraform: {
            required_providers: { awscc: { source: 'hashicorp/awscc', version: '~> 1.60' } },
          },
          output: { x: { value: 'ok' } },
        }),
      );
      if (outcome.status === 'skipped')
        expect(outcome.message).toMatch(
          /^skipped: cannot install providers: hashicorp\/awscc is not in the mirror /,
        );
      else expect(outcome.status).toBe('passed');
    });
  },
);
