/**
 * What a real plan changes, for the head of review.md: every resource to create, update, replace
 * or destroy (with the attributes that force a replacement), and on top the changes a reviewer
 * must not miss — destroy or replace of the audit bucket, a KMS key, the Config recorder or its
 * delivery channel; IAM documents that grant more than before (new actions, new resources, Deny
 * statements or conditions removed, managed policies attached); the state of `prevent_destroy`;
 * and the change in reserved Lambda concurrency against the account's quota. Input is
 * `terraform show -json <planfile>` (from a real account, or scripts/offline-terraform.ts).
 */
import type { PlanJson, ResourceChange } from './offline-terraform';
import { asList, parsePolicy, POLICY_ATTRIBUTES, type Statement } from './iam-policies';
import { isObject, resources, type JsonObject, type TfStack } from './tf-json';

export type Action = 'create' | 'update' | 'replace' | 'destroy' | 'read' | 'forget';

/** Resource types whose destroy or replacement loses audit evidence or breaks recording. */
export const PROTECTED_TYPES: Readonly<Record<string, string>> = {
  aws_s3_bucket: 'the audit bucket (findings, reports, remediation records, Config history)',
  aws_kms_key:
    'a KMS key (scheduled for deletion; what it encrypted is unreadable once the window ends)',
  aws_config_configuration_recorder: 'the AWS Config recorder (recording stops)',
  aws_config_delivery_channel: 'the AWS Config delivery channel (history stops being delivered)',
};
/** Concurrent executions AWS keeps unreserved in every account and region. */
export const UNRESERVED_MINIMUM = 100;
/** Service Quotas code of Lambda "Concurrent executions". */
export const CONCURRENCY_QUOTA_CODE = 'L-B99A9384';

export interface PlannedChange {
  readonly address: string;
  readonly type: string;
  readonly action: Action;
  /** Attributes whose change forces the replacement. */
  readonly replacedBy: readonly string[];
  /** Top-level attributes that change (update/replace). */
  readonly changed: readonly string[];
}

/** The action a `change.actions` list means, or undefined for no-op. */
export function actionOf(actions: readonly string[]): Action | undefined {
  const a = actions.join(',');
  if (a === 'create') return 'create';
  if (a === 'update') return 'update';
  if (a === 'delete') return 'destroy';
  if (a === 'delete,create' || a === 'create,delete') return 'replace';
  if (a === 'read') return 'read';
  if (a === 'forget') return 'forget';
  return undefined;
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

function changedAttributes(rc: ResourceChange): string[] {
  const before = isObject(rc.change.before) ? rc.change.before : {};
  const after = isObject(rc.change.after) ? rc.change.after : {};
  const unknown = isObject(rc.change.after_unknown) ? rc.change.after_unknown : {};
  const keys = new Set([...Object.keys(before), ...Object.keys(after), ...Object.keys(unknown)]);
  return [...keys]
    .filter((k) => !same(before[k], after[k]) || unknown[k] === true)
    .filter((k) => !(before[k] === undefined && after[k] === null && unknown[k] !== true))
    .sort();
}

/** Every change of the plan (no-ops left out), in address order. */
export function plannedChanges(plan: PlanJson): PlannedChange[] {
  const out: PlannedChange[] = [];
  for (const rc of plan.resource_changes ?? []) {
    const action = actionOf(rc.change.actions);
    if (!action) continue;
    out.push({
      address: rc.address,
      type: rc.type,
      action,
      replacedBy: (rc.change.replace_paths ?? []).map((p) => p.join('.')),
      changed: action === 'update' || action === 'replace' ? changedAttributes(rc) : [],
    });
  }
  return out.sort((a, b) => a.address.localeCompare(b.address));
}

// ---------------------------------------------------------------------------------------------
// IAM: does the new document grant more?

interface Grant {
  readonly principal: string;
  readonly action: string;
  readonly resource: string;
}

function principals(s: Statement): string[] {
  if (s.Principal === undefined) return [''];
  if (!isObject(s.Principal)) return [String(s.Principal)];
  return Object.entries(s.Principal).flatMap(([k, v]) =>
    asList(v as string | string[]).map((p) => `${k}:${p}`),
  );
}

function grantsOf(statements: readonly Statement[]): Grant[] {
  return statements
    .filter((s) => s.Effect === 'Allow')
    .flatMap((s) =>
      principals(s).flatMap((principal) =>
        [...asList(s.Action), ...asList(s.NotAction).map((a) => `NOT ${a}`)].flatMap((action) =>
          [...asList(s.Resource), ...asList(s.NotResource).map((r) => `NOT ${r}`)].map(
            (resource) => ({ principal, action, resource }),
          ),
        ),
      ),
    );
}

/** How the `after` document grants more than the `before` one (empty when it does not). */
export function policyWidening(before: string, after: string): string[] {
  const b = parsePolicy(before).document;
  const a = parsePolicy(after).document;
  if (!b || !a) return [];
  const out: string[] = [];
  const beforeGrants = grantsOf(b.Statement);
  const key = (g: Grant): string => `${g.principal}|${g.action}|${g.resource}`;
  const had = new Set(beforeGrants.map(key));
  const hadActions = new Set(beforeGrants.map((g) => `${g.principal}|${g.action}`));
  const newActions = new Set<string>();
  const newResources = new Map<string, Set<string>>();
  for (const g of grantsOf(a.Statement)) {
    if (had.has(key(g))) continue;
    const who = g.principal ? ` to ${g.principal}` : '';
    if (!hadActions.has(`${g.principal}|${g.action}`)) newActions.add(`${g.action}${who}`);
    else {
      const label = `${g.action}${who}`;
      if (!newResources.has(label)) newResources.set(label, new Set());
      newResources.get(label)!.add(g.resource);
    }
  }
  if (newActions.size) out.push(`new actions: ${[...newActions].sort().join(', ')}`);
  for (const [action, rs] of newResources)
    out.push(`${action} on new resources: ${[...rs].sort().join(', ')}`);
  const sid = (s: Statement, i: number): string => s.Sid ?? `#${i + 1}`;
  const afterDenies = a.Statement.filter((s) => s.Effect === 'Deny');
  b.Statement.forEach((s, i) => {
    if (s.Effect === 'Deny' && !afterDenies.some((d) => same(d, s)))
      out.push(`Deny statement ${sid(s, i)} removed or changed`);
    if (s.Effect === 'Allow' && s.Condition && s.Sid) {
      const now = a.Statement.find((x) => x.Sid === s.Sid && x.Effect === 'Allow');
      if (now && !same(now.Condition, s.Condition))
        out.push(`conditions of ${s.Sid} changed or removed`);
    }
  });
  return out;
}

export interface Danger {
  readonly address: string;
  readonly why: string;
}

function policyAttribute(type: string): string | undefined {
  return POLICY_ATTRIBUTES[type]?.attribute;
}

/** The changes a reviewer must not miss. */
export function dangerousChanges(plan: PlanJson): Danger[] {
  const out: Danger[] = [];
  for (const rc of plan.resource_changes ?? []) {
    const action = actionOf(rc.change.actions);
    if (!action || action === 'create' || action === 'read') continue;
    if ((action === 'destroy' || action === 'replace') && PROTECTED_TYPES[rc.type]) {
      const forced = (rc.change.replace_paths ?? []).map((p) => p.join('.'));
      out.push({
        address: rc.address,
        why: `**${action}** of ${PROTECTED_TYPES[rc.type]}${forced.length ? ` — forced by ${forced.map((f) => `\`${f}\``).join(', ')}` : ''}`,
      });
    }
    const attribute = policyAttribute(rc.type);
    if (attribute && (action === 'update' || action === 'replace')) {
      const before = isObject(rc.change.before) ? rc.change.before[attribute] : undefined;
      const after = isObject(rc.change.after) ? rc.change.after[attribute] : undefined;
      const unknown = isObject(rc.change.after_unknown) && rc.change.after_unknown[attribute];
      if (typeof before === 'string' && unknown === true)
        out.push({
          address: rc.address,
          why: `IAM: \`${attribute}\` is known only after apply; compare it by hand`,
        });
      else if (typeof before === 'string' && typeof after === 'string')
        for (const w of policyWidening(before, after))
          out.push({ address: rc.address, why: `IAM widened: ${w}` });
    }
    if (rc.type === 'aws_iam_role_policy_attachments_exclusive' && action === 'update') {
      const before = new Set(asList((rc.change.before as JsonObject)?.policy_arns as string[]));
      const added = asList((rc.change.after as JsonObject)?.policy_arns as string[]).filter(
        (a) => !before.has(a),
      );
      if (added.length)
        out.push({ address: rc.address, why: `IAM widened: attaches ${added.join(', ')}` });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Reserved concurrency

export interface ConcurrencyChange {
  /** Reservations after apply, all functions of the plan. */
  readonly total: number;
  /** What this apply adds to the account's reservations (negative when it frees some). */
  readonly delta: number;
}

/** Reserved concurrency before and after, from the plan's Lambda functions. */
export function concurrencyChange(plan: PlanJson): ConcurrencyChange {
  let total = 0;
  let delta = 0;
  for (const rc of plan.resource_changes ?? []) {
    if (rc.type !== 'aws_lambda_function' || rc.mode !== 'managed') continue;
    const value = (v: unknown): number =>
      isObject(v) && typeof v.reserved_concurrent_executions === 'number'
        ? Math.max(0, v.reserved_concurrent_executions)
        : 0;
    const action = actionOf(rc.change.actions);
    const after = action === 'destroy' ? 0 : value(rc.change.after);
    total += after;
    delta += after - value(rc.change.before);
  }
  return { total, delta };
}

/** The commands that show whether the account can take `delta` more reserved executions. */
export function quotaCheck(region: string, delta: number): string[] {
  return [
    `Reserving ${delta} more concurrent executions needs \`UnreservedConcurrentExecutions - ${delta} >= ${UNRESERVED_MINIMUM}\` in ${region}. Check it with:`,
    '',
    '```sh',
    `aws lambda get-account-settings --region ${region} \\`,
    `  --query 'AccountLimit.[ConcurrentExecutions,UnreservedConcurrentExecutions]' --output text`,
    `# the second number minus ${delta} must be at least ${UNRESERVED_MINIMUM}; if not, raise the quota:`,
    `aws service-quotas request-service-quota-increase --region ${region} --service-code lambda \\`,
    `  --quota-code ${CONCURRENCY_QUOTA_CODE} --desired-value <current quota + ${delta}>`,
    '```',
  ];
}

// ---------------------------------------------------------------------------------------------
// The section

const ORDER: readonly Action[] = ['destroy', 'replace', 'update', 'create', 'read', 'forget'];
const code = (s: string): string => `\`${s.replace(/`/g, "'")}\``;

/** Addresses with `lifecycle.prevent_destroy` in the synthesized stack. */
function preventDestroy(stack: TfStack): string[] {
  return resources(stack)
    .filter(
      (b) =>
        isObject(b.body.lifecycle) && (b.body.lifecycle as JsonObject).prevent_destroy === true,
    )
    .map((b) => b.address);
}

export interface ChangesOptions {
  /** Where the plan came from, for the heading line. */
  readonly source: string;
  /** The synthesized stack of the plan (for prevent_destroy), when at hand. */
  readonly stack?: TfStack;
  readonly region: string;
  /** The plan was made offline (stand-in account, no state). */
  readonly offline?: boolean;
}

/** `## What changes` for review.md. */
export function changesSection(plan: PlanJson, options: ChangesOptions): string[] {
  const changes = plannedChanges(plan);
  const count = (a: Action): number => changes.filter((c) => c.action === a).length;
  const out = ['## What changes', ''];
  out.push(
    `From ${code(options.source)} (terraform ${plan.terraform_version ?? '?'}): **${count('create')} to create, ${count('update')} to update, ${count('replace')} to replace, ${count('destroy')} to destroy**${count('read') ? `, ${count('read')} data sources read at apply` : ''}.${
      options.offline
        ? ' This plan was made offline (`npm run plan`): no state, so everything is new; the account (123456789012) and the availability zones are stand-ins. Plan against your account for the real changes and review it with `npm run review -- --plan plan.json`.'
        : ''
    }`,
    '',
  );

  out.push('### Dangerous changes', '');
  const dangers = dangerousChanges(plan);
  if (dangers.length === 0)
    out.push(
      'None: no destroy or replacement of the audit bucket, a KMS key, the Config recorder or its delivery channel, and no IAM document or attachment that grants more than before.',
    );
  for (const d of dangers) out.push(`- ${code(d.address)}: ${d.why}`);
  if (options.stack) {
    const guarded = preventDestroy(options.stack);
    out.push(
      '',
      guarded.length
        ? `\`prevent_destroy\` is **on** for ${guarded.map(code).join(', ')} (RETAIN_AUDIT_DATA=true): Terraform refuses any plan that destroys ${guarded.length > 1 ? 'them' : 'it'}.`
        : '`prevent_destroy` is **off** (RETAIN_AUDIT_DATA=false): nothing stops a plan from destroying the audit bucket, and `force_destroy` deletes its objects with it.',
    );
  }
  const concurrency = concurrencyChange(plan);
  if (concurrency.delta > 0) out.push('', ...quotaCheck(options.region, concurrency.delta));
  out.push('');

  const individual = changes.filter((c) => c.action !== 'create');
  if (individual.length) {
    out.push(
      '### Changes to existing resources',
      '',
      '| Action | Resource | Forces replacement | Attributes that change |',
      '|---|---|---|---|',
    );
    for (const a of ORDER)
      for (const c of individual.filter((x) => x.action === a))
        out.push(
          `| ${c.action === 'destroy' || c.action === 'replace' ? `**${c.action}**` : c.action} | ${code(c.address)} | ${c.replacedBy.map(code).join(', ') || '—'} | ${c.changed.map(code).join(', ') || '—'} |`,
        );
    out.push('');
  }
  const created = changes.filter((c) => c.action === 'create');
  if (created.length) {
    const byType = new Map<string, string[]>();
    for (const c of created) byType.set(c.type, [...(byType.get(c.type) ?? []), c.address]);
    out.push('### New resources', '', '| Type | Count | Addresses |', '|---|---:|---|');
    for (const [type, addresses] of [...byType].sort(([x], [y]) => x.localeCompare(y)))
      out.push(
        `| ${type} | ${addresses.length} | ${addresses.map((a) => code(a.slice(type.length + 1))).join('<br>')} |`,
      );
    out.push('');
  }
  return out;
}
