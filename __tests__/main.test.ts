/**
 * main.ts as `cdktf synth` runs it: a child process with a clean environment and its own
 * CDKTF_OUTDIR. The three runs start together (each costs a second or two).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SettingsError } from '../stacks/settings';
import { resourceWith, type TerraformJson } from './helpers/stack';

const ROOT = resolve(__dirname, '..');
const STACK_DIR = join('stacks', 'compliance-audit');
const MEMBERS_DIR = join('stacks', 'compliance-audit-members');
/** Cold, main.ts bundles the eight functions before synthesizing. */
const TIMEOUT_MS = 120_000;

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly outdir: string;
}

const outdirs: string[] = [];

/** Runs `node --import tsx main.ts` with only these variables (plus PATH and HOME). */
function runMain(vars: Record<string, string>, prepare?: (outdir: string) => void): Promise<Run> {
  const outdir = mkdtempSync(join(tmpdir(), 'compliance-audit-main-'));
  outdirs.push(outdir);
  prepare?.(outdir);
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? tmpdir(),
    CDKTF_OUTDIR: outdir,
    ...vars,
  };
  return new Promise((done) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'main.ts'],
      { cwd: ROOT, env, timeout: TIMEOUT_MS },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        done({ code, stdout, stderr, outdir });
      },
    );
  });
}

const stackJson = (run: Run): TerraformJson =>
  JSON.parse(readFileSync(join(run.outdir, STACK_DIR, 'cdk.tf.json'), 'utf8')) as TerraformJson;

describe('main.ts', () => {
  let defaults: Run;
  let badSuffix: Run;
  let s3: Run;
  let organization: Run;
  beforeAll(async () => {
    [defaults, badSuffix, s3, organization] = await Promise.all([
      // A members stack from an earlier organization-mode synth must not survive account mode.
      runMain({}, (outdir) => {
        mkdirSync(join(outdir, MEMBERS_DIR), { recursive: true });
        writeFileSync(join(outdir, MEMBERS_DIR, 'cdk.tf.json'), '{}');
      }),
      // A stack from an earlier, valid synth is in the outdir: it must not survive.
      runMain({ ENVIRONMENT_SUFFIX: 'Bad_Suffix' }, (outdir) => {
        mkdirSync(join(outdir, STACK_DIR), { recursive: true });
        writeFileSync(join(outdir, STACK_DIR, 'cdk.tf.json'), '{}');
      }),
      runMain({ TF_STATE_BUCKET: 'my-state', ENVIRONMENT_SUFFIX: 'qa' }),
      runMain({
        SCAN_SCOPE: 'organization',
        ORG_AUDIT_ACCOUNT_ID: '111111111111',
        TF_STATE_BUCKET: 'my-state',
      }),
    ]);
  }, TIMEOUT_MS);

  afterAll(() => {
    for (const dir of outdirs) rmSync(dir, { recursive: true, force: true });
  });

  it('synthesizes the defaults with local state and says so', () => {
    expect(defaults.stderr).toContain(
      'State: local file (set TF_STATE_BUCKET for S3, or TF_CLOUD_ORGANIZATION + TF_CLOUD_WORKSPACE for Terraform Cloud)',
    );
    expect(defaults.code).toBe(0);
    const tf = stackJson(defaults);
    expect(tf.terraform.backend).toEqual({
      local: { path: '../../../terraform.compliance-audit.tfstate' },
    });
    expect(resourceWith(tf, 'aws_lambda_function', 'function_name', 'scanner-dev')).toBeDefined();
  });

  it('stops on a bad suffix with one message naming ENVIRONMENT_SUFFIX, writing no stack', () => {
    expect(badSuffix.code).not.toBe(0);
    expect(badSuffix.stderr.trim()).toBe(
      new SettingsError([
        'ENVIRONMENT_SUFFIX "Bad_Suffix": use lower-case letters, digits and hyphens, starting and ending with a letter or digit',
      ]).message,
    );
    expect(badSuffix.stderr.match(/ENVIRONMENT_SUFFIX/g)).toHaveLength(1);
    expect(existsSync(join(badSuffix.outdir, STACK_DIR))).toBe(false);
  });

  it('synthesizes an S3 backend and qa names from TF_STATE_BUCKET and ENVIRONMENT_SUFFIX', () => {
    expect(s3.code).toBe(0);
    expect(s3.stderr).toContain(
      'State: s3://my-state/compliance-audit/qa/terraform.tfstate (us-east-1, encrypted, S3 lock file)',
    );
    const tf = stackJson(s3);
    expect(tf.terraform.backend).toEqual({
      s3: {
        bucket: 'my-state',
        key: 'compliance-audit/qa/terraform.tfstate',
        region: 'us-east-1',
        encrypt: true,
        use_lockfile: true,
      },
    });
    expect(resourceWith(tf, 'aws_lambda_function', 'function_name', 'scanner-qa')).toBeDefined();
    expect(Object.values(tf.resource.aws_s3_bucket).map((b) => b.bucket as string)).toEqual([
      expect.stringMatching(/^compliance-audit-qa-/),
    ]);
    expect(tf.provider.aws[0]).toMatchObject({
      default_tags: [{ tags: expect.objectContaining({ Environment: 'qa' }) }],
    });
  });

  it('synthesizes no members stack in account mode, and removes a stale one', () => {
    expect(existsSync(join(defaults.outdir, MEMBERS_DIR))).toBe(false);
  });

  it('synthesizes the members stack beside the audit stack in organization mode, each with its own state', () => {
    expect(organization.code).toBe(0);
    expect(organization.stderr).toContain(
      'compliance-audit-members: State: s3://my-state/compliance-audit/dev/terraform-members.tfstate',
    );
    const members = JSON.parse(
      readFileSync(join(organization.outdir, MEMBERS_DIR, 'cdk.tf.json'), 'utf8'),
    ) as TerraformJson;
    expect(Object.keys(members.resource.aws_cloudformation_stack_set)).toHaveLength(1);
    expect(members.terraform.backend).toMatchObject({
      s3: { key: 'compliance-audit/dev/terraform-members.tfstate' },
    });
    const audit = stackJson(organization);
    expect(audit.terraform.backend).toMatchObject({
      s3: { key: 'compliance-audit/dev/terraform.tfstate' },
    });
    expect(Object.keys(audit.resource.aws_sfn_state_machine)).toHaveLength(1);
  });
});
