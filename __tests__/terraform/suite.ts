/**
 * One settings variant through real Terraform, offline: `terraform validate` and `terraform plan`
 * of its JSON and of its HCL (scripts/offline-terraform.ts), with assertions on
 * `terraform show -json`. Expected counts come from the synthesized JSON of the same variant, so
 * adding a resource changes the expectation with it. Skips, printing one line, only where
 * Terraform or a provider cannot run.
 */
import { readFileSync } from 'node:fs';
import {
  describeDiagnostic,
  OfflineWorkspace,
  requiredProviders,
  stackFile,
  type OfflinePlanResult,
  type PlanJson,
  type ValidateResult,
} from '../../scripts/offline-terraform';
import {
  findTerraform,
  missingProvider,
  type TerraformToolchain,
} from '../../scripts/terraform-toolchain';
import { planFolder } from '../../scripts/plan';
import { AWS_PROVIDER_VERSIONS } from '../../stacks/compliance-stack';
import { synthVariant, type SynthesizedVariant, type Variant } from './variants';

const HOOK_TIMEOUT_MS = 20 * 60 * 1000;

type JsonObject = Record<string, unknown>;
const isObject = (v: unknown): v is JsonObject =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Resources the synthesized JSON declares, per type (count meta-argument honoured when literal). */
export function declaredCounts(tf: JsonObject): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const [type, byName] of Object.entries(isObject(tf.resource) ? tf.resource : {})) {
    for (const body of Object.values(byName as Record<string, JsonObject>)) {
      const n = typeof body.count === 'number' ? body.count : 1;
      if (n > 0) counts[type] = (counts[type] ?? 0) + n;
    }
  }
  return sortKeys(counts);
}

/** Resources the plan creates, per type. */
export function createdCounts(plan: PlanJson): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const rc of plan.resource_changes ?? [])
    if (rc.mode === 'managed' && rc.change.actions.join() === 'create')
      counts[rc.type] = (counts[rc.type] ?? 0) + 1;
  return sortKeys(counts);
}

function sortKeys<T>(o: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
}

/** A value with JSON documents in strings parsed and object keys sorted: equal meaning, equal value. */
function canonical(value: unknown): unknown {
  if (typeof value === 'string' && /^\s*[{[]/.test(value)) {
    try {
      return canonical(JSON.parse(value));
    } catch {
      return value;
    }
  }
  if (Array.isArray(value)) return value.map(canonical);
  if (isObject(value))
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical(value[k])]),
    );
  return value;
}

/** Every resource change, comparable across the JSON and the HCL form. */
export function comparableChanges(plan: PlanJson): unknown[] {
  return (plan.resource_changes ?? [])
    .map((rc) => ({
      address: rc.address,
      actions: rc.change.actions,
      after: canonical(rc.change.after),
      after_unknown: rc.change.after_unknown,
    }))
    .sort((a, b) => a.address.localeCompare(b.address));
}

/** Outputs whose value Terraform knows at plan time (names, flags) vs. after apply (ids, ARNs, URLs). */
export function expectedKnown(output: string): boolean | undefined {
  if (/_(arn|id|ids|url)$/.test(output)) return false;
  if (/_(name|names|created)$/.test(output)) return true;
  return undefined;
}

interface FormResult extends OfflinePlanResult {
  readonly dir: string;
}

async function runForm(dir: string, toolchain: TerraformToolchain): Promise<FormResult> {
  const ws = OfflineWorkspace.create(dir, toolchain);
  try {
    const providers = await ws.init();
    const validate: ValidateResult = await ws.validate();
    // Plan only a valid configuration; the validate assertions report what is wrong.
    if (!validate.valid) return { dir, providers, validate, plan: {} as PlanJson, warnings: [] };
    const { plan, warnings } = await ws.plan();
    return { dir, providers, validate, plan, warnings };
  } finally {
    ws.dispose();
  }
}

export interface VariantExpectations {
  /** Whether this variant's stack creates the Config recorder. */
  readonly recorderCreated: boolean;
  /** Further assertions on the JSON plan. */
  readonly more?: (plan: PlanJson, tf: JsonObject) => void;
}

/** Why this variant cannot run here, if it cannot. */
function skipReason(synth: () => SynthesizedVariant): string | undefined {
  const found = findTerraform();
  if (!found.toolchain) return found.skip;
  const probe = synth();
  try {
    return missingProvider(found.toolchain, requiredProviders(stackFile(probe.jsonDir)));
  } finally {
    probe.dispose();
  }
}

export function describeTerraformVariant(variant: Variant, expect_: VariantExpectations): void {
  const skip = skipReason(() => synthVariant(variant));
  if (skip) {
    process.stderr.write(`terraform variant "${variant.name}" skipped: ${skip}\n`);
    it.skip(`terraform validate + offline plan: ${variant.name} (skipped: ${skip})`, () => {});
    return;
  }
  const toolchain = findTerraform().toolchain!;

  describe(`terraform (offline): ${variant.name}`, () => {
    let synth: SynthesizedVariant;
    let json: FormResult;
    let hcl: FormResult;
    let planFile: string;
    let review: string;

    beforeAll(async () => {
      synth = synthVariant(variant);
      // The JSON form goes through `npm run plan` (plan.json and review.md in the synth folder).
      const [planned] = await planFolder(synth.outdir, toolchain, () => undefined);
      json = { ...planned.result, dir: planned.dir };
      planFile = planned.planFile;
      review = readFileSync(planned.reviewFile, 'utf8');
      hcl = await runForm(synth.hclDir, toolchain);
      process.stderr.write(
        `terraform variant "${variant.name}": ${toolchain.description}; installed ${Object.entries(
          json.providers,
        )
          .map(([p, v]) => `${p} ${v}`)
          .join(', ')} (the stack admits hashicorp/aws ${AWS_PROVIDER_VERSIONS})\n`,
      );
    }, HOOK_TIMEOUT_MS);

    afterAll(() => synth?.dispose());

    it('JSON: terraform validate reports no error and no warning', () => {
      expect(json.validate.errors.map(describeDiagnostic)).toEqual([]);
      expect(json.validate.warnings.map(describeDiagnostic)).toEqual([]);
      expect(json.validate.valid).toBe(true);
    });

    it('JSON: plans offline without warnings, creating exactly what the JSON declares', () => {
      expect(json.warnings.map(describeDiagnostic)).toEqual([]);
      const others = (json.plan.resource_changes ?? []).filter(
        (rc) => rc.change.actions.join() !== 'create',
      );
      // No update, replace, destroy, or data source deferred to apply.
      expect(others.map((rc) => `${rc.address}: ${rc.change.actions.join('/')}`)).toEqual([]);
      expect(createdCounts(json.plan)).toEqual(declaredCounts(synth.tf));
    });

    it(`JSON: ${expect_.recorderCreated ? 'creates' : 'does not create'} the Config recorder, and says so in config_recorder_created`, () => {
      const created = createdCounts(json.plan);
      for (const type of [
        'aws_config_configuration_recorder',
        'aws_config_delivery_channel',
        'aws_config_configuration_recorder_status',
      ])
        expect([type, created[type] ?? 0]).toEqual([type, expect_.recorderCreated ? 1 : 0]);
      expect(json.plan.output_changes?.config_recorder_created?.after).toBe(
        expect_.recorderCreated,
      );
    });

    it('JSON: every output is planned, known or unknown as expected', () => {
      const declared = Object.keys(isObject(synth.tf.output) ? synth.tf.output : {}).sort();
      const changes = json.plan.output_changes ?? {};
      expect(Object.keys(changes).sort()).toEqual(declared);
      const wrong: string[] = [];
      for (const [name, change] of Object.entries(changes)) {
        if (change.actions.join() !== 'create') wrong.push(`${name}: ${change.actions.join('/')}`);
        const known = expectedKnown(name);
        const unknown = JSON.stringify(change.after_unknown ?? false).includes('true');
        if (known !== undefined && unknown === known)
          wrong.push(`${name}: ${unknown ? 'unknown' : 'known'} at plan time`);
      }
      expect(wrong).toEqual([]);
    });

    it('npm run plan: writes plan.json and a review.md that leads with what changes', () => {
      expect(JSON.parse(readFileSync(planFile, 'utf8'))).toEqual(json.plan);
      expect(review.indexOf('## What changes')).toBeGreaterThan(0);
      expect(review.indexOf('## What changes')).toBeLessThan(review.indexOf('## Deploy traps'));
      const creates = Object.values(createdCounts(json.plan)).reduce((n, c) => n + c, 0);
      expect(review).toContain(`**${creates} to create, 0 to update, 0 to replace, 0 to destroy**`);
      expect(review).toContain('This plan was made offline (`npm run plan`)');
      expect(review).toContain('### Dangerous changes\n\nNone: ');
      if (variant.settings.RETAIN_AUDIT_DATA === 'true')
        expect(review).toMatch(
          /`prevent_destroy` is \*\*on\*\* for [^\n]*`aws_s3_bucket\.audit-storage_bucket_/,
        );
      else expect(review).toContain('`prevent_destroy` is **off**');
    });

    if (expect_.more) {
      it('JSON: variant specifics', () => {
        expect_.more!(json.plan, synth.tf);
      });
    }

    it('HCL: terraform validate reports no error and no warning', () => {
      expect(hcl.validate.errors.map(describeDiagnostic)).toEqual([]);
      expect(hcl.validate.warnings.map(describeDiagnostic)).toEqual([]);
    });

    it('HCL: plans offline without warnings, with exactly the resource and output changes of the JSON', () => {
      expect(hcl.warnings.map(describeDiagnostic)).toEqual([]);
      expect(comparableChanges(hcl.plan)).toEqual(comparableChanges(json.plan));
      expect(canonical(hcl.plan.output_changes)).toEqual(canonical(json.plan.output_changes));
    });
  });
}

/** Availability zone of each planned subnet, by its Name tag. */
export function plannedSubnetZones(plan: PlanJson): Record<string, string> {
  return Object.fromEntries(
    (plan.resource_changes ?? [])
      .filter((rc) => rc.type === 'aws_subnet')
      .map((rc) => {
        const after = rc.change.after as { tags?: { Name?: string }; availability_zone?: string };
        return [after.tags?.Name ?? rc.address, after.availability_zone ?? '(unknown)'];
      })
      .sort(([a], [b]) => a.localeCompare(b)),
  );
}
