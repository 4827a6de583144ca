/**
 * main.ts as `cdktf synth` runs it: a child process with a clean environment and its own
 * CDKTF_OUTDIR, and cdktf.json's "context" in CDKTF_CONTEXT_JSON as the cdktf CLI passes it.
 * The runs start together (each costs a second or two).
 */
import { execFile, execFileSync } from 'node:child_process';
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
  let fromContext: Run;
  let typos: Run;
  let organization: Run;
  beforeAll(async () => {
    [defaults, badSuffix, s3, fromContext, typos, organization] = await Promise.all([
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
        CDKTF_CONTEXT_JSON: JSON.stringify({
          RETAIN_AUDIT_DATA: true,
          REMEDIATION_MODE: 'Enforce',
          cdktfRelativeModules: [],
        }),
        AWS_DEFAULT_REGION: 'eu-west-1',
      }),
      runMain({
        REMEDIATON_MODE: 'enforce',
        CDKTF_CONTEXT_JSON: JSON.stringify({ RETAIN_AUDIT_DAT: 'true' }),
      }),
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

  it('synthesizes the defaults with local state and says so on stdout, nothing on stderr', () => {
    expect(defaults.stderr).toBe('');
    expect(defaults.stdout.trim()).toBe(
      'Notice: State: local file (set TF_STATE_BUCKET for S3, or TF_CLOUD_ORGANIZATION + TF_CLOUD_WORKSPACE for Terraform Cloud)',
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
    expect(s3.stdout).toContain(
      'Notice: State: s3://my-state/compliance-audit/qa/terraform.tfstate (us-east-1, encrypted, S3 lock file)',
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

  it('reads cdktf.json context (any case), AWS_DEFAULT_REGION, and warns once about enforce', () => {
    expect(fromContext.code).toBe(0);
    const tf = stackJson(fromContext);
    expect(tf.provider.aws[0]).toMatchObject({ region: 'eu-west-1' });
    expect(
      Object.values(tf.resource.aws_s3_bucket).map((b) => [b.force_destroy, b.lifecycle]),
    ).toEqual([[false, { prevent_destroy: true }]]);
    const warnings = fromContext.stdout.split('\n').filter((l) => l.startsWith('Warning:'));
    expect(warnings).toEqual([
      expect.stringContaining('REMEDIATION_MODE=enforce changes up to 10 buckets per run'),
      expect.stringContaining('REMEDIATION_KMS_KEY_ARN is unset'),
    ]);
    expect(fromContext.stderr).toBe('');
  });

  it('stops on a mistyped variable or context key, suggesting the setting meant', () => {
    expect(typos.code).not.toBe(0);
    expect(typos.stderr.trim()).toBe(
      new SettingsError([
        'REMEDIATON_MODE: not a setting (ignored); did you mean REMEDIATION_MODE?',
        'cdktf context key RETAIN_AUDIT_DAT: not a setting; did you mean RETAIN_AUDIT_DATA?',
      ]).message,
    );
    expect(existsSync(join(typos.outdir, STACK_DIR))).toBe(false);
  });

  it('synthesizes no members stack in account mode, and removes a stale one', () => {
    expect(existsSync(join(defaults.outdir, MEMBERS_DIR))).toBe(false);
  });

  it('synthesizes the members stack beside the audit stack in organization mode, each with its own state', () => {
    expect(organization.code).toBe(0);
    expect(organization.stdout).toContain(
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

describe('cdktf 0.21 CLI', () => {
  it('has no --context option on synth, and neither README nor help offers one', () => {
    // The CLI passes cdktf.json "context" to the app as CDKTF_CONTEXT_JSON; an unknown option
    // such as --context is silently ignored, so the docs must not suggest it.
    const usage = execFileSync(
      process.execPath,
      [join(ROOT, 'node_modules/cdktf-cli/bundle/bin/cdktf.js'), 'synth', '--help'],
      { cwd: ROOT, env: { ...process.env, CHECKPOINT_DISABLE: '1' }, encoding: 'utf8' },
    );
    expect(usage).toContain('--hcl');
    expect(usage).not.toMatch(/--context\b/);
    for (const doc of ['README.md', 'help'])
      expect([doc, readFileSync(join(ROOT, doc), 'utf8').match(/.*--context\b.*/g)]).toEqual([
        doc,
        null,
      ]);
  });
});
