/**
 * `npm run review -- [folder] [--plan plan.json]` (folder defaults to cdktf.out): writes
 * `<folder>/review.md` for platform teams reviewing a change — with a plan (`terraform show -json`
 * of it) first what changes and the dangerous changes (scripts/plan-review.ts), then deploy traps,
 * resources by type, IAM per role, network exposure, the encryption map and a monthly cost
 * estimate from the synthesized JSON. See docs/proofs.md.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { costMarkdown, estimateCost, layoutComparison } from './cost';
import { asList, parsePolicy, POLICY_ATTRIBUTES } from './iam-policies';
import { soleTraversal } from './interpolation';
import type { PlanJson } from './offline-terraform';
import { conditionText, rolePermissions } from './permissions';
import { destroyTrap, remediationTrap } from './review-operations';
import { changesSection, quotaCheck, UNRESERVED_MINIMUM } from './plan-review';
import { stackFacts, type StackFacts } from './stack-facts';
import {
  blocks,
  constructPath,
  findResource,
  findStackFiles,
  isObject,
  loadStack,
  nested,
  noStackMessage,
  readable,
  resources,
  str,
  stringSites,
  type Block,
  type JsonObject,
  type TfStack,
} from './tf-json';

export { UNRESERVED_MINIMUM };

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const code = (s: string): string => `\`${s.replace(/`/g, "'")}\``;

/** A short label for a template: a resource's name or construct path, or the readable value. */
function label(stack: TfStack, template: unknown): string {
  if (typeof template !== 'string') return JSON.stringify(template);
  const ref = soleTraversal(template);
  if (ref && ref.parts[0] !== 'data' && ref.parts.length >= 3) {
    const body = findResource(stack, ref.parts[0], ref.parts[1]);
    if (body) {
      const name =
        str(body, 'name') ?? str(body, 'function_name') ?? constructPath(body) ?? ref.parts[1];
      if (ref.parts[0] === 'aws_vpc_endpoint' && ref.parts[2] === 'prefix_list_id') {
        return `prefix list of the ${(str(body, 'service_name') ?? '').split('.').pop()} gateway endpoint`;
      }
      if (ref.parts[0] === 'aws_security_group') return `security group ${name}`;
      if (ref.parts[0] === 'aws_lambda_function') return name;
      if (ref.parts[0] === 'aws_cloudwatch_event_rule') return `rule ${name}`;
      return `${ref.parts[0].replace(/^aws_/, '')} ${name}`;
    }
  }
  return readable(stack, template);
}

function trapsSection(stack: TfStack, facts: StackFacts): string[] {
  const reserved = facts.functions.reduce((n, f) => n + (f.reservedConcurrency ?? 0), 0);
  const out = ['## Deploy traps', ''];
  out.push(
    `1. **Lambda reserved concurrency.** The functions reserve ${reserved} concurrent executions in total (${facts.functions
      .filter((f) => f.reservedConcurrency !== undefined)
      .map((f) => `${f.name} ${f.reservedConcurrency}`)
      .join(
        ', ',
      )}). AWS keeps ${UNRESERVED_MINIMUM} executions unreserved, so on a first deploy the account's Lambda concurrency quota in ${facts.region} must be at least ${reserved + UNRESERVED_MINIMUM} (more if other functions already reserve some). New accounts may start at 10, where *every* reservation fails (\`InvalidParameterValueException: … decreases account's UnreservedConcurrentExecution below its minimum value of [${UNRESERVED_MINIMUM}]\`).`,
    '',
    ...quotaCheck(facts.region, reserved).map((l) => (l ? `   ${l}` : l)),
    '',
  );
  if (facts.buckets.length > 0) out.push(destroyTrap(stack));
  const enforce = remediationTrap(stack, facts.region);
  if (enforce) out.push(enforce);
  const recorderName = str(
    resources(stack, 'aws_config_configuration_recorder')[0]?.body ?? {},
    'name',
  );
  const recorder: Record<typeof facts.recorderMode, string> = {
    auto: `1. **AWS Config recorder: decided at plan time (CONFIG_RECORDER_MODE=auto).** The plan asks Cloud Control (awscc provider) which recorders exist and creates ${code(recorderName ?? 'the recorder')}, its delivery channel and status only when no other customer-managed recorder exists (service-linked \`AWSConfigurationRecorderFor*\` recorders do not count). Read \`config_recorder_created\` in the plan outputs: \`false\` means the rules use the existing recorder, which must record S3 buckets, EC2 security groups/volumes/VPCs, IAM users and Lambda functions for them to evaluate. The plan needs Cloud Control read access (\`cloudformation:ListResources\` — Cloud Control's IAM prefix —, \`config:ListConfigurationRecorders\`, \`config:DescribeConfigurationRecorders\`).`,
    create: `1. **AWS Config recorder: always created (CONFIG_RECORDER_MODE=create).** Apply fails with \`MaxNumberOfConfigurationRecordersExceededException\` if the account already has any customer-managed recorder in ${facts.region} (\`aws configservice describe-configuration-recorders --region ${facts.region}\`); use \`auto\` or \`existing\` there.`,
    existing: `1. **AWS Config recorder: not managed (CONFIG_RECORDER_MODE=existing).** The stack creates no recorder; its rules evaluate only if the account's recorder in ${facts.region} is on and records the resource types they cover.`,
  };
  out.push(recorder[facts.recorderMode]);
  if (facts.recorderMode !== 'existing')
    out.push(
      `1. **A delivery channel left without a recorder** (a recorder deleted by hand leaves its channel) makes creating this stack's channel fail with \`MaxNumberOfDeliveryChannelsExceededException\`: AWS allows one channel per region, and ${facts.recorderMode === 'auto' ? 'auto mode sees recorders, not channels' : 'create mode does not look'}. Before deploying, \`aws configservice describe-delivery-channels --region ${facts.region}\` must list none (or the recorder that owns it must exist); delete an orphan with \`aws configservice delete-delivery-channel --delivery-channel-name <name> --region ${facts.region}\`, or use CONFIG_RECORDER_MODE=existing.`,
    );
  out.push(
    `1. **Global names.** IAM role and policy names carry the region (\`compliance-<name>-${facts.region}-${facts.suffix ?? '<suffix>'}\`), so the same suffix can run in several regions; the audit bucket's name (\`compliance-audit-<suffix>-<account>\`) is global, so a second region needs another ENVIRONMENT_SUFFIX.`,
  );
  if (facts.emailSubscriptions > 0) {
    out.push(
      `1. **Alert e-mails need confirmation.** ${facts.emailSubscriptions} e-mail subscription(s) stay "pending confirmation" until each recipient clicks the link AWS sends; until then no alert reaches them.`,
    );
  }
  const keys = resources(stack, 'aws_kms_key');
  if (keys.length > 0) {
    const aliasOf = (key: Block): string => {
      const alias = resources(stack, 'aws_kms_alias').find((a) =>
        String(a.body.target_key_id ?? '').includes(`aws_kms_key.${key.name}.`),
      );
      return (
        (alias ? str(alias.body, 'name') : undefined)?.replace(/^alias\//, '') ??
        constructPath(key.body) ??
        key.name
      );
    };
    const windows = keys
      .map((k) => `${aliasOf(k)} ${k.body.deletion_window_in_days ?? 30} days`)
      .join(', ');
    out.push(
      `1. **KMS keys are scheduled for deletion, not deleted, on destroy** (${windows}; with RETAIN_AUDIT_DATA=true the data key is kept instead, see above): deletion can be cancelled within the window, after which whatever they encrypted is unreadable; a redeploy with the same suffix creates new keys. Buckets that remediation encrypted with the stack's remediation key depend on it after a destroy: with \`enforce\`, set \`REMEDIATION_KMS_KEY_ARN\` to a long-lived key of your own.`,
    );
  }
  return [...out, ''];
}

function resourcesSection(stack: TfStack): string[] {
  const counts = new Map<string, number>();
  for (const b of blocks(stack)) {
    if (b.kind !== 'resource' && b.kind !== 'data') continue;
    const key = b.kind === 'data' ? `data.${b.type}` : b.type!;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const rows = [...counts.entries()].sort(([a], [b]) => a.localeCompare(b));
  const total = rows.filter(([t]) => !t.startsWith('data.')).reduce((n, [, c]) => n + c, 0);
  return [
    '## Resources',
    '',
    `${total} resources, ${rows.length} types (data sources listed as \`data.*\`).`,
    '',
    '| Type | Count |',
    '|---|---:|',
    ...rows.map(([t, c]) => `| ${t} | ${c} |`),
    '',
  ];
}

function iamSection(stack: TfStack): string[] {
  const out = ['## IAM', ''];
  const roles = rolePermissions(stack);
  out.push(
    `${roles.length} roles. Every permission below is a managed policy (AWS managed, or the role's own customer-managed policy); inline policies: ${roles.reduce((n, r) => n + r.inlinePolicies, 0)}.`,
    '',
  );
  for (const role of roles) {
    out.push(`### ${role.roleName}`, '');
    out.push(
      `- Assumed by: ${role.trustedServices.map(code).join(', ')}${role.trustConditions.length ? ` when ${role.trustConditions.map(code).join(' and ')}` : ''}`,
    );
    out.push(
      `- AWS managed policies: ${role.managedPolicies.length ? role.managedPolicies.map(code).join(', ') : 'none'}`,
    );
    out.push(
      `- Own policy: ${role.ownPolicies.map(code).join(', ') || 'none'}${role.inlinePolicies ? ` · **${role.inlinePolicies} inline polic(ies)**` : ''}`,
      '',
    );
    out.push('| Sid | Effect | Actions | Resources | Condition |', '|---|---|---|---|---|');
    for (const s of role.statements) {
      const conditions = conditionText(
        s.conditions as Record<string, Record<string, unknown>> | undefined,
      );
      out.push(
        `| ${s.sid ?? ''} | ${s.effect} | ${s.actions.map(code).join('<br>')} | ${s.resources.map((r) => code(r)).join('<br>')} | ${cell(conditions.join('; '))} |`,
      );
    }
    out.push('');
  }
  out.push(
    '### Resource policies',
    '',
    "Who else may act on this stack's resources (Allow statements; Deny statements listed by Sid).",
    '',
  );
  out.push('| Resource | Sid | Principal | Actions | Condition |', '|---|---|---|---|---|');
  for (const [type, { attribute, kind }] of Object.entries(POLICY_ATTRIBUTES)) {
    if (kind === 'identity' || kind === 'trust') continue;
    for (const block of resources(stack, type)) {
      const doc = parsePolicy(str(block.body, attribute) ?? '').document;
      for (const s of doc?.Statement ?? []) {
        const principal = isObject(s.Principal)
          ? Object.entries(s.Principal)
              .map(
                ([k, v]) =>
                  `${k}: ${asList(v as string | string[])
                    .map((p) => readable(stack, p))
                    .join(', ')}`,
              )
              .join('; ')
          : String(s.Principal);
        const actions =
          s.Effect === 'Deny'
            ? `**Deny** ${asList(s.Action).join(', ')}`
            : asList(s.Action).join(', ');
        const cond = conditionText(s.Condition).map((c) => readable(stack, c));
        out.push(
          `| ${type.replace(/^aws_/, '')} ${constructPath(block.body) ?? block.name} | ${s.Sid ?? ''} | ${cell(principal)} | ${cell(actions)} | ${cell(cond.join('; '))} |`,
        );
      }
    }
  }
  out.push('', '### Invoke permissions', '', '| Function | Principal | Source |', '|---|---|---|');
  for (const p of resources(stack, 'aws_lambda_permission')) {
    const source =
      p.body.source_arn !== undefined
        ? label(stack, p.body.source_arn)
        : p.body.source_account !== undefined
          ? `account ${readable(stack, String(p.body.source_account))}`
          : 'any (no source condition)';
    out.push(
      `| ${label(stack, p.body.function_name)} | ${str(p.body, 'principal') ?? ''} | ${source} |`,
    );
  }
  return [...out, ''];
}

function ruleRows(stack: TfStack): string[] {
  const rows: string[] = [];
  const peer = (b: JsonObject): string =>
    b.cidr_ipv4 !== undefined
      ? String(b.cidr_ipv4)
      : b.cidr_ipv6 !== undefined
        ? String(b.cidr_ipv6)
        : b.prefix_list_id !== undefined
          ? label(stack, b.prefix_list_id)
          : b.referenced_security_group_id !== undefined
            ? label(stack, b.referenced_security_group_id)
            : asList(b.cidr_blocks as string[]).join(', ') ||
              asList(b.security_groups as string[])
                .map((g) => label(stack, g))
                .join(', ') ||
              (b.self ? 'itself' : '?');
  const ports = (b: JsonObject): string => {
    const proto = String(b.ip_protocol ?? b.protocol ?? '');
    if (proto === '-1') return 'all traffic';
    return b.from_port === b.to_port
      ? `${proto} ${b.from_port}`
      : `${proto} ${b.from_port}-${b.to_port}`;
  };
  const add = (group: string, direction: string, b: JsonObject): void => {
    rows.push(
      `| ${group} | ${direction} | ${ports(b)} | ${cell(peer(b))} | ${cell(str(b, 'description') ?? '')} |`,
    );
  };
  for (const sg of resources(stack, 'aws_security_group')) {
    const name = str(sg.body, 'name') ?? sg.name;
    for (const r of nested(sg.body, 'ingress')) add(name, 'in', r);
    for (const r of nested(sg.body, 'egress')) add(name, 'out', r);
  }
  for (const [type, direction] of [
    ['aws_vpc_security_group_ingress_rule', 'in'],
    ['aws_vpc_security_group_egress_rule', 'out'],
  ] as const) {
    for (const r of resources(stack, type))
      add(
        label(stack, r.body.security_group_id).replace(/^security group /, ''),
        direction,
        r.body,
      );
  }
  for (const r of resources(stack, 'aws_security_group_rule')) {
    add(
      label(stack, r.body.security_group_id).replace(/^security group /, ''),
      r.body.type === 'ingress' ? 'in' : 'out',
      r.body,
    );
  }
  return rows;
}

function networkSection(stack: TfStack, facts: StackFacts): string[] {
  const out = ['## Network', ''];
  for (const vpc of resources(stack, 'aws_vpc'))
    out.push(
      `- VPC ${code(readable(stack, str(vpc.body, 'cidr_block') ?? '?'))} (${constructPath(vpc.body) ?? vpc.name}), DNS support ${vpc.body.enable_dns_support === true ? 'on' : 'off'}`,
    );
  for (const subnet of resources(stack, 'aws_subnet')) {
    const tags = isObject(subnet.body.tags) ? subnet.body.tags : {};
    out.push(
      `- Subnet ${tags.Name ?? subnet.name}: ${str(subnet.body, 'cidr_block')}, AZ ${readable(stack, String(subnet.body.availability_zone ?? '?'))}, public IPs on launch: ${subnet.body.map_public_ip_on_launch === true ? '**yes**' : 'no'}`,
    );
  }
  const routes = resources(stack, 'aws_route');
  const igws = resources(stack, 'aws_internet_gateway');
  out.push(
    facts.natGateways > 0
      ? `- Egress: **NAT gateway** (${facts.natGateways}) in a public subnet behind an internet gateway; private subnets route 0.0.0.0/0 to it. Functions can reach any HTTPS endpoint, including other regions' APIs.`
      : `- Egress: **no route to the internet** (${igws.length} internet gateways, ${routes.length} extra routes); AWS APIs through VPC endpoints only.`,
  );
  for (const r of routes)
    out.push(
      `  - route ${str(r.body, 'destination_cidr_block') ?? '?'} → ${label(stack, r.body.nat_gateway_id ?? r.body.gateway_id ?? '?')} (table ${label(stack, r.body.route_table_id)})`,
    );
  out.push('', '### Security groups', '');
  for (const d of resources(stack, 'aws_default_security_group')) {
    const rules = nested(d.body, 'ingress').length + nested(d.body, 'egress').length;
    out.push(
      `- Default security group of the VPC: managed with ${rules === 0 ? '**no rules (closed)**' : `${rules} rule(s)`}.`,
    );
  }
  for (const sg of resources(stack, 'aws_security_group'))
    out.push(`- ${str(sg.body, 'name') ?? sg.name}: ${str(sg.body, 'description') ?? ''}`);
  const rows = ruleRows(stack);
  out.push(
    '',
    '| Group | Direction | Protocol / ports | Peer | Description |',
    '|---|---|---|---|---|',
    ...(rows.length ? rows : ['| — | | | | no rules |']),
  );
  const ingressFromInternet = rows.filter((r) => / in \|/.test(r) && /0\.0\.0\.0\/0|::\/0/.test(r));
  out.push(
    '',
    ingressFromInternet.length
      ? `**${ingressFromInternet.length} rule(s) admit traffic from the internet.**`
      : 'No rule admits traffic from the internet.',
  );
  out.push(
    '',
    '### VPC endpoints',
    '',
    '| Service | Type | Private DNS | Subnets | Security groups |',
    '|---|---|---|---|---|',
  );
  for (const e of resources(stack, 'aws_vpc_endpoint')) {
    out.push(
      `| ${(str(e.body, 'service_name') ?? '').split('.').pop()} | ${str(e.body, 'vpc_endpoint_type')} | ${e.body.private_dns_enabled === true ? 'yes' : '—'} | ${asList(e.body.subnet_ids as string[]).length || '— (route tables)'} | ${
        asList(e.body.security_group_ids as string[])
          .map((g) => label(stack, g).replace(/^security group /, ''))
          .join(', ') || '—'
      } |`,
    );
  }
  out.push(
    '',
    '### Functions',
    '',
    '| Function | In the VPC | Reserved concurrency | Memory (MB) | Timeout (s) | Tracing | Architecture |',
    '|---|---|---:|---:|---:|---|---|',
  );
  for (const f of facts.functions) {
    out.push(
      `| ${f.functionName} | ${f.inVpc ? 'yes' : '**no** (needs the internet: global IAM API / other regions)'} | ${f.reservedConcurrency ?? '—'} | ${f.memoryMb} | ${f.timeoutSeconds} | ${f.tracing ?? 'off'} | ${f.architecture} |`,
    );
  }
  out.push('', '### Flow logs', '');
  for (const fl of resources(stack, 'aws_flow_log')) {
    out.push(
      `- ${str(fl.body, 'traffic_type')} traffic of ${label(stack, fl.body.vpc_id)} → ${str(fl.body, 'log_destination_type') ?? 'cloud-watch-logs'} ${label(stack, fl.body.log_destination ?? '')}, aggregation ${fl.body.max_aggregation_interval ?? 600} s`,
    );
  }
  return [...out, ''];
}

function encryptionSection(stack: TfStack): string[] {
  const out = [
    '## Encryption',
    '',
    '| Key | Protects (key description) | Rotation | Deletion window | Encrypts | Use granted to |',
    '|---|---|---|---|---|---|',
  ];
  const sites = stringSites(stack);
  const policyOwner = new Map<string, string>();
  for (const role of rolePermissions(stack))
    for (const p of role.ownPolicies) policyOwner.set(p, role.roleName);
  for (const key of resources(stack, 'aws_kms_key')) {
    const refersToKey = (value: string): boolean => value.includes(`aws_kms_key.${key.name}.`);
    const alias = resources(stack, 'aws_kms_alias').find((a) =>
      refersToKey(String(a.body.target_key_id ?? '')),
    );
    const encrypts = new Set<string>();
    const granted = new Set<string>();
    for (const site of sites) {
      if (
        !refersToKey(site.value) ||
        site.block.kind !== 'resource' ||
        [key.address, alias?.address].includes(site.block.address)
      )
        continue;
      if (site.block.type === 'aws_iam_policy')
        granted.add(
          policyOwner.get(str(site.block.body, 'name') ?? '') ??
            str(site.block.body, 'name') ??
            site.block.name,
        );
      else if (
        !(site.block.type! in POLICY_ATTRIBUTES) ||
        site.path[0] !== POLICY_ATTRIBUTES[site.block.type!].attribute
      ) {
        encrypts.add(
          `${site.block.type!.replace(/^aws_/, '')} ${resourceLabel(stack, site.block)} (${site.path.filter((p) => !/^\d+$/.test(p)).join('.')})`,
        );
      }
    }
    const description = (str(key.body, 'description') ?? '').replace(/^[^:]*:\s*/, '');
    out.push(
      `| ${code(alias ? (str(alias.body, 'name') ?? key.name) : (constructPath(key.body) ?? key.name))} | ${cell(description)} | ${key.body.enable_key_rotation === true ? `yes, ${key.body.rotation_period_in_days ?? 365} days` : '**no**'} | ${key.body.deletion_window_in_days ?? 30} days | ${[...encrypts].sort().join('<br>') || '—'} | ${[...granted].sort().join(', ') || '—'} |`,
    );
  }
  out.push(
    '',
    'Key policies grant `kms:*` to the account root only (IAM decides who uses each key) plus the service principals listed under IAM › Resource policies.',
    '',
  );
  return out;
}

function resourceLabel(stack: TfStack, block: Block): string {
  const name = str(block.body, 'name') ?? str(block.body, 'function_name');
  if (name) return readable(stack, name);
  const bucket = block.body.bucket;
  return bucket !== undefined ? label(stack, bucket) : (constructPath(block.body) ?? block.name);
}

export interface PlanInput {
  readonly plan: PlanJson;
  /** Where the plan came from (file name). */
  readonly source: string;
  /** Made offline by `npm run plan`. */
  readonly offline?: boolean;
}

/** review.md for one stack; with a plan, what changes comes first. */
export function renderReview(stack: TfStack, source: string, plan?: PlanInput): string {
  const facts = stackFacts(stack);
  const remediation = facts.functions.find((f) => f.name === 'remediation');
  const remediationMode = (() => {
    const fn = resources(stack, 'aws_lambda_function').find(
      (f) => str(f.body, 'function_name') === remediation?.functionName,
    );
    const env = nested(fn?.body ?? {}, 'environment')[0];
    const vars = isObject(env?.variables) ? env.variables : {};
    return typeof vars.REMEDIATION_MODE === 'string' ? vars.REMEDIATION_MODE : undefined;
  })();
  const settings = [
    `region ${facts.region}`,
    facts.suffix ? `suffix ${facts.suffix}` : undefined,
    `network egress ${facts.natGateways > 0 ? 'nat' : `endpoints (${facts.interfaceEndpoints.length} interface endpoints × ${facts.interfaceEndpoints[0]?.azs ?? 0} AZs)`}`,
    facts.scanSchedule ? `scan schedule ${facts.scanSchedule}` : undefined,
    `Config recorder mode ${facts.recorderMode}`,
    remediationMode ? `remediation ${remediationMode}` : undefined,
    `audit data ${facts.buckets.some((b) => b.forceDestroy) ? 'deleted on destroy' : 'retained on destroy'}`,
  ].filter(Boolean);
  const lines = [
    `# Plan review: ${stack.name}`,
    '',
    plan
      ? `Generated from the plan \`${plan.source}\` and the synthesized \`${source}\`: what changes first, then the configuration as synthesized.`
      : `Generated by \`npm run review\` from \`${source}\`. It describes the synthesized configuration (what \`terraform plan\` will propose), not what exists in the account; \`npm run review -- --plan plan.json\` adds what a real plan changes.`,
    '',
    `**Settings as synthesized:** ${settings.join(' · ')}`,
    '',
    ...(plan
      ? changesSection(plan.plan, {
          source: plan.source,
          stack,
          region: facts.region,
          offline: plan.offline,
        })
      : []),
    ...trapsSection(stack, facts),
    ...resourcesSection(stack),
    ...iamSection(stack),
    ...networkSection(stack, facts),
    ...encryptionSection(stack),
    '## Cost',
    '',
    ...costMarkdown(facts, estimateCost(facts)),
    '',
    ...layoutComparison(facts),
    '',
  ];
  return lines.join('\n');
}

/** review.md from a plan alone (no JSON synth at hand): what changes. */
export function renderPlanReview(plan: PlanInput, region: string, note: string): string {
  return [
    `# Plan review`,
    '',
    note,
    '',
    ...changesSection(plan.plan, { source: plan.source, region, offline: plan.offline }),
  ].join('\n');
}

/** Stack folders under `folder` holding an HCL synth only (cdk.tf). */
function hclStacks(folder: string): string[] {
  const stacks = join(folder, 'stacks');
  if (!existsSync(stacks)) return [];
  return readdirSync(stacks).filter(
    (s) => existsSync(join(stacks, s, 'cdk.tf')) && !existsSync(join(stacks, s, 'cdk.tf.json')),
  );
}

const GET_JSON_BACK =
  'run `npx cdktf synth` (without --hcl) to get cdk.tf.json back: the review reads the JSON synth (the HCL is rendered from the same stack)';

/** The region of a plan's aws provider configuration, if it says. */
function planRegion(plan: PlanJson): string | undefined {
  const config = plan.configuration as
    | {
        provider_config?: Record<
          string,
          { expressions?: { region?: { constant_value?: unknown } } }
        >;
      }
    | undefined;
  const region = config?.provider_config?.aws?.expressions?.region?.constant_value;
  return typeof region === 'string' ? region : undefined;
}

/** Reads `terraform show -json` output, or says what is wrong with the file. */
export function loadPlan(file: string): PlanJson {
  let plan: PlanJson;
  try {
    plan = JSON.parse(readFileSync(file, 'utf8')) as PlanJson;
  } catch (err) {
    throw new Error(`${file} is not a plan in JSON: ${(err as Error).message}`, { cause: err });
  }
  if (!plan.format_version || !Array.isArray(plan.resource_changes ?? []))
    throw new Error(
      `${file} is not \`terraform show -json\` output of a plan (terraform plan -out=plan.bin && terraform show -json plan.bin > plan.json)`,
    );
  return plan;
}

/**
 * Writes `<folder>/review.md` (every stack under the folder, one after the other; with a plan,
 * what it changes first); returns its path.
 */
export function writeReview(folder: string, plan?: PlanInput): string {
  const files = findStackFiles(folder);
  const shown = (f: string): string =>
    relative(process.cwd(), f).startsWith('..') ? f : relative(process.cwd(), f);
  let body: string;
  if (files.length > 0) {
    body = files
      .map((f, i) => renderReview(loadStack(f), shown(f), i === 0 ? plan : undefined))
      .join('\n---\n\n');
  } else if (plan) {
    const hcl = hclStacks(folder);
    const note = hcl.length
      ? `Only what the plan changes: ${folder} holds an HCL synth; ${GET_JSON_BACK}, for the IAM, network, encryption and cost sections.`
      : `Only what the plan changes: no synthesized stack under ${folder} (run \`npx cdktf synth\` for the IAM, network, encryption and cost sections).`;
    body = renderPlanReview(plan, planRegion(plan.plan) ?? 'us-east-1', note);
  } else {
    throw new Error(noStackMessage(folder, 'npm run review'));
  }
  const out = existsSync(folder)
    ? join(folder, 'review.md')
    : join(dirname(plan?.source ?? '.'), 'review.md');
  writeFileSync(out, body);
  return out;
}

/** CLI arguments: `[folder] [--plan <file>]`. */
export function parseArgs(argv: readonly string[]): { folder: string; plan?: string } {
  let plan: string | undefined;
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--plan') plan = argv[++i];
    else if (a.startsWith('--plan=')) plan = a.slice('--plan='.length);
    else if (!a.startsWith('--')) rest.push(a);
  }
  if (argv.includes('--plan') && !plan) throw new Error('--plan needs a file: --plan plan.json');
  return { folder: rest[0] ?? 'cdktf.out', plan };
}

if (require.main === module) {
  try {
    const { folder, plan } = parseArgs(process.argv.slice(2));
    const out = writeReview(folder, plan ? { plan: loadPlan(plan), source: plan } : undefined);
    console.log(`Plan review written to ${out}`);
  } catch (err) {
    console.error((err as Error).message);
    process.exitCode = 2;
  }
}
