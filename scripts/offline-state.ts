/**
 * A terraform.tfstate as if a create plan had been applied, for offline destroy plans
 * (`OfflineWorkspace.plan({ state, destroy: true, refresh: false })` in scripts/offline-terraform.ts).
 */
import type { PlanJson } from './offline-terraform';

/** What `terraform providers schema -json` says (the parts stateFromPlan reads). */
export interface ProviderSchemas {
  readonly provider_schemas?: Readonly<
    Record<string, { readonly resource_schemas?: Readonly<Record<string, SchemaEntry>> }>
  >;
}

interface SchemaBlock {
  readonly attributes?: Readonly<Record<string, { readonly type?: unknown }>>;
  readonly block_types?: Readonly<Record<string, { readonly block: SchemaBlock }>>;
}

interface SchemaEntry {
  readonly version?: number;
  readonly block: SchemaBlock;
}

type Json = Record<string, unknown>;
const isJson = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A stand-in value of a cty type for an attribute known only after apply. */
function standIn(type: unknown, name: string, where: string): unknown {
  if (type === 'string')
    return /arn$/.test(name)
      ? `arn:aws:offline:us-east-1:123456789012:${where}`
      : `offline-${where}-${name}`;
  if (type === 'number') return 0;
  if (type === 'bool') return false;
  if (Array.isArray(type) && (type[0] === 'list' || type[0] === 'set')) return [];
  if (Array.isArray(type) && type[0] === 'map') return {};
  return null;
}

/**
 * `values` with a stand-in, of its schema type, for each identifier (`id`, `*_id`, `*arn`) known
 * only after apply and each such attribute the configuration refers to (`referenced`), and null
 * for the rest (a made-up value could break a provider's checks of a later plan).
 */
function fillUnknown(
  values: Json,
  unknown: unknown,
  block: SchemaBlock | undefined,
  where: string,
  referenced: (attribute: string) => boolean,
): Json {
  const out: Json = { ...values };
  if (!isJson(unknown)) return out;
  for (const [key, mask] of Object.entries(unknown)) {
    if (mask !== true) continue;
    if (block?.block_types?.[key]) {
      out[key] = [];
      continue;
    }
    out[key] =
      /(^id|_id|arn)$/.test(key) || referenced(key)
        ? standIn(block?.attributes?.[key]?.type ?? 'string', key, where)
        : null;
  }
  return out;
}

/** Every `type.name.attribute` the plan's configuration refers to. */
function configurationReferences(plan: PlanJson): Set<string> {
  const refs = new Set<string>();
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (isJson(v))
      for (const [k, x] of Object.entries(v)) {
        if (k === 'references' && Array.isArray(x))
          for (const r of x) if (typeof r === 'string') refs.add(r.replace(/\[[^\]]*\]/g, ''));
        walk(x);
      }
  };
  walk(plan.configuration);
  return refs;
}

/**
 * A terraform.tfstate (format 4) holding every resource a create plan makes, as if it had been
 * applied: the planned values, and stand-ins (of the provider schema's types) for identifiers
 * only the apply would know. Made for destroy plans — `plan({ state, destroy: true, refresh:
 * false })` shows what `cdktf destroy` would remove, and fails on `prevent_destroy` — offline.
 * (A non-destroy plan against it is not a no-op: the stand-ins are not what the apply would
 * have computed.)
 */
export function stateFromPlan(plan: PlanJson, schemas: ProviderSchemas = {}): object {
  const unknownOf = new Map(
    (plan.resource_changes ?? []).map((rc) => [rc.address, rc.change.after_unknown]),
  );
  const refs = configurationReferences(plan);
  const root = isJson(plan.planned_values) ? plan.planned_values.root_module : undefined;
  const planned = isJson(root) && Array.isArray(root.resources) ? (root.resources as Json[]) : [];
  const resources = new Map<string, Json & { instances: Json[] }>();
  for (const r of planned) {
    if (r.mode !== 'managed') continue;
    const provider = String(r.provider_name);
    const type = String(r.type);
    const schema = schemas.provider_schemas?.[provider]?.resource_schemas?.[type];
    const key = `${type}.${String(r.name)}`;
    let entry = resources.get(key);
    if (!entry) {
      entry = {
        mode: 'managed',
        type,
        name: r.name,
        ...(r.index !== undefined ? { each: typeof r.index === 'number' ? 'list' : 'map' } : {}),
        provider: `provider["${provider}"]`,
        instances: [],
      };
      resources.set(key, entry);
    }
    const address = String(r.address);
    const attributes = fillUnknown(
      isJson(r.values) ? r.values : {},
      unknownOf.get(address),
      schema?.block,
      address.replace(/[^A-Za-z0-9_.-]/g, '_'),
      (attribute) => refs.has(`${type}.${String(r.name)}.${attribute}`),
    );
    attributes.id ??= `offline-${address}`;
    entry.instances.push({
      ...(r.index !== undefined ? { index_key: r.index } : {}),
      schema_version:
        typeof r.schema_version === 'number' ? r.schema_version : (schema?.version ?? 0),
      attributes,
      sensitive_attributes: [],
    });
  }
  return {
    version: 4,
    terraform_version: plan.terraform_version,
    serial: 1,
    lineage: '6f1b0e1c-0ff1-4e00-8000-000000000000',
    outputs: {},
    resources: [...resources.values()],
    check_results: null,
  };
}
