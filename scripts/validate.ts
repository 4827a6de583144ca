/**
 * `npm run validate -- [folder] [--no-terraform]` (folder defaults to cdktf.out): offline checks
 * of every synthesized stack under the folder. Exits 1 naming each problem, 2 when there is no
 * stack to check, 0 otherwise. See docs/proofs.md.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { checkPolicies, IamData, parsePolicy, policySites } from './iam-policies';
import { parseExpression, parseTemplate } from './interpolation';
import {
  checkAlarms,
  checkDashboards,
  checkProviders,
  checkReferences,
  checkSchedulesAndEvents,
  providerOf,
  type CheckName,
  type Problem,
} from './stack-checks';
import { validateWithTerraform, type TerraformOutcome } from './terraform-cli';
import {
  blocks,
  findStackFiles,
  loadStack,
  noStackMessage,
  resources,
  stringSites,
  type TfStack,
} from './tf-json';

export interface ValidateOptions {
  /** Run `terraform init`/`validate` when a terraform binary is on PATH. @default true */
  readonly terraform?: boolean;
  /** Progress output. @default console.log */
  readonly log?: (line: string) => void;
}

export interface StackResult {
  readonly stack: string;
  readonly file: string;
  readonly problems: readonly Problem[];
  readonly terraform?: TerraformOutcome;
}

export interface ValidateResult {
  readonly stacks: readonly StackResult[];
  readonly problemCount: number;
}

interface CheckRun {
  readonly name: string;
  readonly checks: readonly CheckName[];
  readonly problems: Problem[];
  /** What was checked, for the ✓ line. */
  readonly summary: string;
}

function referenceCount(stack: TfStack): number {
  return stringSites(stack).reduce((n, site) => {
    if (!site.bareExpression && !site.value.includes('{')) return n;
    const parsed = site.bareExpression
      ? parseExpression(site.value, site.bound)
      : parseTemplate(site.value, site.bound);
    return n + parsed.references.length;
  }, 0);
}

async function runChecks(stack: TfStack, data: IamData): Promise<CheckRun[]> {
  const all = blocks(stack);
  const references = checkReferences(stack);
  const sites = policySites(stack);
  const statements = sites.reduce(
    (n, s) => n + (parsePolicy(s.raw).document?.Statement.length ?? 0),
    0,
  );
  const providers = [
    ...new Set(all.filter((b) => b.kind === 'resource' || b.kind === 'data').map(providerOf)),
  ].sort();
  const rules = resources(stack, 'aws_cloudwatch_event_rule');
  return [
    {
      name: 'references',
      checks: ['syntax', 'references'],
      problems: references,
      summary: `${referenceCount(stack)} references in ${all.length} blocks resolve`,
    },
    {
      name: 'providers',
      checks: ['providers'],
      problems: checkProviders(stack),
      summary: `${providers.join(', ')} required`,
    },
    {
      name: 'iam',
      checks: ['iam'],
      problems: await checkPolicies(stack, data),
      summary: `${sites.length} policy documents, ${statements} statements: actions exist, resources fit, no * grants`,
    },
    {
      name: 'schedules & events',
      checks: ['schedules', 'events'],
      problems: checkSchedulesAndEvents(stack),
      summary: `${rules.filter((r) => r.body.schedule_expression !== undefined).length} schedules, ${rules.filter((r) => r.body.event_pattern !== undefined).length} event patterns, Config frequencies`,
    },
    {
      name: 'dashboard',
      checks: ['dashboard'],
      problems: checkDashboards(stack),
      summary: `${resources(stack, 'aws_cloudwatch_dashboard').length} dashboard(s): valid JSON, only emitted or allow-listed metrics`,
    },
    {
      name: 'alarms',
      checks: ['alarms'],
      problems: checkAlarms(stack),
      summary: `${resources(stack, 'aws_cloudwatch_metric_alarm').length} alarms watch emitted or allow-listed metrics`,
    },
  ];
}

/** Checks every stack under `folder`; prints progress; never throws for a bad stack. */
export async function validateFolder(
  folder: string,
  options: ValidateOptions = {},
): Promise<ValidateResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  const files = findStackFiles(folder);
  const data = new IamData();
  const results: StackResult[] = [];
  log(`Validating ${files.length} stack(s) under ${folder}`);
  for (const file of files) {
    let stack: TfStack;
    try {
      stack = loadStack(file);
    } catch (err) {
      const problem: Problem = {
        check: 'syntax',
        where: file,
        message: `cannot be read as JSON: ${(err as Error).message}`,
      };
      log(`\n${file}\n  ✗ ${problem.message}`);
      results.push({ stack: file, file, problems: [problem] });
      continue;
    }
    const counts = (['resource', 'data', 'output'] as const).map(
      (k) => blocks(stack).filter((b) => b.kind === k).length,
    );
    log(
      `\n${stack.name} (${relative(process.cwd(), file).startsWith('..') ? file : relative(process.cwd(), file)}): ${counts[0]} resources, ${counts[1]} data sources, ${counts[2]} outputs`,
    );
    const runs = await runChecks(stack, data);
    const problems: Problem[] = [];
    for (const run of runs) {
      if (run.problems.length === 0) {
        log(`  ✓ ${run.name}: ${run.summary}`);
        continue;
      }
      log(`  ✗ ${run.name}: ${run.problems.length} problem(s)`);
      for (const p of run.problems) log(`      ${p.where}: ${p.message}`);
      problems.push(...run.problems);
    }
    let terraform: TerraformOutcome | undefined;
    if (options.terraform !== false) {
      terraform = await validateWithTerraform(stack.dir);
      if (terraform.status === 'failed') {
        log(`  ✗ terraform: ${terraform.message}`);
        for (const line of terraform.problems) log(`      ${line}`);
        problems.push(
          ...terraform.problems.map((message) => ({
            check: 'terraform' as const,
            where: stack.dir,
            message,
          })),
        );
      } else log(`  ${terraform.status === 'passed' ? '✓' : '-'} terraform: ${terraform.message}`);
    }
    results.push({ stack: stack.name, file, problems, terraform });
  }
  const problemCount = results.reduce((n, r) => n + r.problems.length, 0);
  const failed = results.filter((r) => r.problems.length > 0).length;
  const skipped = results.filter((r) => r.terraform?.status === 'skipped').length;
  const tf =
    options.terraform === false
      ? '; terraform not run (--no-terraform)'
      : skipped
        ? `; terraform validate skipped for ${skipped}`
        : '';
  log(
    `\nSummary: ${results.length} stack(s) checked, ${problemCount} problem(s)${failed ? ` in ${failed} stack(s) — FAILED` : ' — OK'}${tf}`,
  );
  return { stacks: results, problemCount };
}

/** Stack folders under `folder` that hold only an HCL synth (cdk.tf). */
function hclStackDirs(folder: string): string[] {
  const stacks = join(folder, 'stacks');
  if (!existsSync(stacks)) return existsSync(join(folder, 'cdk.tf')) ? [folder] : [];
  return readdirSync(stacks)
    .map((s) => join(stacks, s))
    .filter((d) => existsSync(join(d, 'cdk.tf')) && !existsSync(join(d, 'cdk.tf.json')));
}

/**
 * An HCL synth: terraform validates it (the HCL is rendered from the same stack as the JSON); the
 * offline checks need the JSON, which `cdktf synth` without --hcl brings back.
 */
async function validateHcl(folder: string, dirs: readonly string[]): Promise<number> {
  console.log(
    `${folder} holds an HCL synth (cdk.tf). The offline checks read the JSON synth: run \`npx cdktf synth\` (without --hcl) to get cdk.tf.json back. Validating the HCL with terraform:`,
  );
  let status = 0;
  for (const dir of dirs) {
    const outcome = await validateWithTerraform(dir);
    console.log(
      `  ${outcome.status === 'passed' ? '✓' : outcome.status === 'failed' ? '✗' : '-'} ${dir}: ${outcome.message}`,
    );
    if (outcome.status === 'failed') {
      for (const p of outcome.problems) console.log(`      ${p}`);
      status = 1;
    } else if (outcome.status === 'skipped' && status === 0) status = 2;
  }
  return status;
}

/** CLI entry: returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const args = argv.filter((a) => !a.startsWith('--'));
  const folder = args[0] ?? 'cdktf.out';
  if (findStackFiles(folder).length === 0) {
    const hcl = hclStackDirs(folder);
    if (hcl.length > 0 && !argv.includes('--no-terraform')) return validateHcl(folder, hcl);
    console.error(noStackMessage(folder, 'npm run validate'));
    return 2;
  }
  const result = await validateFolder(folder, { terraform: !argv.includes('--no-terraform') });
  return result.problemCount > 0 ? 1 : 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      console.error(err);
      process.exitCode = 2;
    },
  );
}
