/**
 * `cdktf synth --hcl`: cdk.tf rendered from the stack's own JSON — valid, readable HCL (the
 * terraform tests validate and plan it for every settings variant against the JSON's plan).
 */
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Testing } from 'cdktf';
import { terraformVersion } from '../../scripts/terraform-toolchain';
import { renderHcl, stackShape } from '../../stacks/hcl-output';
import { buildStack } from '../helpers/stack';

const ROOT = resolve(__dirname, '../..');

function hclOf(props: Parameters<typeof buildStack>[0] = {}): string {
  const stack = buildStack(props);
  Testing.synth(stack);
  return stack.toHclTerraform().hcl;
}

describe('HCL output', () => {
  let hcl: string;
  beforeAll(() => {
    hcl = hclOf({ configRecorderMode: 'create' });
  });

  it('renders the terraform block as Terraform reads it', () => {
    expect(hcl).toMatch(
      /^terraform \{\n {2}required_version = ">= 1\.10\.0"\n {2}required_providers \{\n {4}aws = \{\n {6}version = ">= 5\.100\.0, < 7\.0\.0"\n {6}source {2}= "aws"\n {4}\}\n {2}\}\n {2}backend "local" \{/,
    );
    expect(hcl).not.toMatch(/^\s*0 = /m);
  });

  it('renders policy documents as jsonencode with readable keys and unquoted references', () => {
    expect(hcl).toContain('  policy = jsonencode({\n    Version = "2012-10-17"\n    Statement = [');
    expect(hcl).toContain('"aws:SourceAccount" = data.aws_caller_identity.');
    expect(hcl).not.toMatch(/policy\s+= "\{/);
    expect(hcl).toMatch(/^ {2}target_key_id = aws_kms_key\.keys_data_[0-9A-F]+\.key_id$/m);
  });

  it('renders depends_on, lifecycle and nested blocks as blocks and bare references', () => {
    expect(hcl).toMatch(
      /depends_on = \[\n {4}aws_cloudwatch_log_group\.fn-scanner_logs_[0-9A-F]+,\n/,
    );
    expect(hcl).not.toMatch(/depends_on = \[\n\s+"/);
    expect(hcl).toMatch(
      / {2}lifecycle \{\n {4}ignore_changes = \[\n {6}availability_zone,\n {4}\]\n {4}precondition \{/,
    );
    expect(hcl).toMatch(/ {2}tracing_config \{\n {4}mode = "Active"\n {2}\}/);
    expect(hcl).toMatch(/ {2}environment \{\n {4}variables = \{/);
  });

  it('escapes text, keeps templates, and labels each block with its construct path', () => {
    expect(hcl).toMatch(
      /^# test\/fn-scanner\/function\nresource "aws_lambda_function" "fn-scanner_function_/m,
    );
    expect(hcl).toContain('"arn:${data.aws_partition.');
    const { tf } = {
      tf: { resource: { x_y: { a: { s: 'say "hi" \\ ${var.v} $${literal}\n' } } } },
    };
    const rendered = renderHcl(tf, { blocks: new Map(), order: [] });
    expect(rendered).toContain('s = "say \\"hi\\" \\\\ ${var.v} $${literal}\\n"');
  });

  it('renders the Terraform Cloud backend with its workspaces block', () => {
    const cloud = hclOf({ cloudOrganization: 'example-org', cloudWorkspace: 'ws' });
    expect(cloud).toMatch(
      / {2}cloud \{\n(.*\n)* {4}workspaces \{\n {6}name = "ws"\n {4}\}\n {2}\}/,
    );
  });

  it('knows every nested block from the bindings (no block rendered as an attribute)', () => {
    const shape = stackShape(buildStack({ configRecorderMode: 'create' }));
    const subnet = [...shape.blocks.entries()].find(([k]) =>
      k.startsWith('resource.aws_lambda_function.'),
    )!;
    expect(Object.keys(subnet[1]).sort()).toEqual(
      expect.arrayContaining(['environment', 'logging_config', 'tracing_config']),
    );
  });

  const version = terraformVersion();
  (version ? it : it.skip)('is what terraform fmt would write', () => {
    for (const text of [
      hcl,
      hclOf({ networkEgress: 'nat', stateBucket: 'example-state', alertEmails: ['a@example.com'] }),
    ]) {
      const r = spawnSync('terraform', ['fmt', '-check', '-no-color', '-'], {
        input: text,
        encoding: 'utf8',
        env: { ...process.env, TF_CLI_CONFIG_FILE: '', CHECKPOINT_DISABLE: '1' },
      });
      expect(`${r.status} ${r.stdout}`).toBe('0 ');
    }
  });

  it('is what `cdktf synth --hcl` writes (main.ts with SYNTH_HCL_OUTPUT), with no cdk.tf.json beside it', async () => {
    const outdir = mkdtempSync(join(tmpdir(), 'compliance-audit-hcl-'));
    await new Promise<void>((done, fail) =>
      execFile(
        process.execPath,
        ['--import', 'tsx', 'main.ts'],
        {
          cwd: ROOT,
          env: {
            PATH: process.env.PATH ?? '',
            HOME: process.env.HOME ?? tmpdir(),
            CDKTF_OUTDIR: outdir,
            SYNTH_HCL_OUTPUT: 'true',
          },
          timeout: 120_000,
        },
        (error) => (error ? fail(error) : done()),
      ),
    );
    const stackDir = join(outdir, 'stacks', 'compliance-audit');
    expect(existsSync(join(stackDir, 'cdk.tf.json'))).toBe(false);
    const written = readFileSync(join(stackDir, 'cdk.tf'), 'utf8');
    expect(written).toMatch(/^terraform \{\n {2}required_version/);
    expect(written).toContain('policy = jsonencode({');
  }, 120_000);
});
