/**
 * `npm run plan -- [folder]` (folder defaults to cdktf.out): a real `terraform plan` of the
 * synthesized stack with no AWS account — scripts/offline-terraform.ts (provider mirror or
 * registry, local state, a local endpoint for the data sources) — written as `<folder>/plan.json`
 * (`terraform show -json`) with a plan-based `<folder>/review.md`. For anyone who has no
 * credentials; against a real account, plan there and run `npm run review -- --plan plan.json`.
 */
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import {
  describeDiagnostic,
  offlinePlan,
  TerraformError,
  type OfflinePlanResult,
} from './offline-terraform';
import { findTerraform, type TerraformToolchain } from './terraform-toolchain';
import { renderPlanReview, renderReview } from './review';
import { findStackFiles, loadStack } from './tf-json';

export interface PlannedStack {
  readonly name: string;
  readonly dir: string;
  readonly planFile: string;
  readonly reviewFile: string;
  readonly result: OfflinePlanResult;
}

/** Stack directories under the folder: JSON synths, else HCL ones. */
function stackDirs(folder: string): string[] {
  const json = findStackFiles(folder).map((f) => join(f, '..'));
  if (json.length) return json;
  const stacks = join(folder, 'stacks');
  if (!existsSync(stacks)) return [];
  return readdirSync(stacks)
    .map((s) => join(stacks, s))
    .filter((d) => existsSync(join(d, 'cdk.tf')));
}

const shown = (f: string): string =>
  relative(process.cwd(), f).startsWith('..') ? f : relative(process.cwd(), f);

/** Plans every stack under `folder` offline; writes plan.json and review.md beside them. */
export async function planFolder(
  folder: string,
  toolchain: TerraformToolchain,
  log: (line: string) => void = (l) => console.log(l),
): Promise<PlannedStack[]> {
  const dirs = stackDirs(folder);
  const out: PlannedStack[] = [];
  const reviews: string[] = [];
  for (const dir of dirs) {
    const name = dir.split(/[\\/]/).pop()!;
    log(`Planning ${name} offline (${toolchain.description})`);
    const result = await offlinePlan(dir, toolchain, { log: (l) => log(`  ${l}`) });
    for (const w of [...result.validate.warnings, ...result.warnings])
      log(`  warning: ${describeDiagnostic(w)}`);
    const planFile = join(folder, dirs.length > 1 ? `plan.${name}.json` : 'plan.json');
    writeFileSync(planFile, `${JSON.stringify(result.plan, null, 2)}\n`);
    const plan = { plan: result.plan, source: shown(planFile), offline: true };
    const jsonFile = join(dir, 'cdk.tf.json');
    reviews.push(
      existsSync(jsonFile)
        ? renderReview(loadStack(jsonFile), shown(jsonFile), plan)
        : renderPlanReview(
            plan,
            'us-east-1',
            `Only what the plan changes: ${shown(dir)} holds an HCL synth; run \`npx cdktf synth\` (without --hcl) for the IAM, network, encryption and cost sections.`,
          ),
    );
    out.push({ name, dir, planFile, reviewFile: join(folder, 'review.md'), result });
  }
  if (out.length) writeFileSync(join(folder, 'review.md'), reviews.join('\n---\n\n'));
  return out;
}

/** CLI entry: returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const folder = argv.find((a) => !a.startsWith('--')) ?? 'cdktf.out';
  if (stackDirs(folder).length === 0) {
    console.error(
      `No synthesized stack under ${folder}: run \`npx cdktf synth\` first, or pass the synth folder.`,
    );
    return 2;
  }
  const found = findTerraform();
  if (!found.toolchain) {
    console.error(
      `npm run plan needs terraform and the hashicorp/aws provider (the registry, or a mirror named by TF_PROVIDER_MIRROR): ${found.skip}`,
    );
    return 2;
  }
  try {
    for (const p of await planFolder(folder, found.toolchain)) {
      const changes = p.result.plan.resource_changes ?? [];
      console.log(
        `${p.name}: ${changes.filter((c) => c.change.actions.join() === 'create').length} to create, valid with ${p.result.validate.warnings.length + p.result.warnings.length} warning(s). Plan: ${shown(p.planFile)}; review: ${shown(p.reviewFile)}`,
      );
    }
    return 0;
  } catch (err) {
    if (!(err instanceof TerraformError)) throw err;
    console.error(err.message);
    return err.providerUnavailable ? 2 : 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
