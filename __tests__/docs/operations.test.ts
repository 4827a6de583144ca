/**
 * docs/operations.md stays true: its scan commands are what the AWS CLI and the stack accept, the
 * deployer permissions are generated from the current synth, and the schemas it lists are the
 * code's.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PutEventsRequestEntry$ } from '@aws-sdk/client-eventbridge';
import { CSV_COLUMNS } from '../../lambdas/csv-report/csv';
import { buildJsonReport } from '../../lambdas/json-report/report';
import { parseScanTrigger } from '../../lambdas/scanner/trigger';
import { REMEDIATION_DECISIONS } from '../../lambdas/shared/events';
import { DEPLOYER_ACTIONS } from '../../scripts/deployer-actions';
import {
  generatedFiles,
  missingTypes,
  sameContent,
  variantTypes,
} from '../../scripts/deployer-permissions';
import { IamData } from '../../scripts/iam-policies';
import type { TfJson } from '../../scripts/tf-json';
import { defaultStack, synthStack } from '../helpers/stack';

const ROOT = resolve(__dirname, '..', '..');
const operations = readFileSync(join(ROOT, 'docs', 'operations.md'), 'utf8');
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** Member names and types of PutEventsRequestEntry in the SDK's model (the CLI's is the same). */
const [, , , , MEMBERS, MEMBER_TYPES] = PutEventsRequestEntry$ as unknown as [
  number,
  string,
  string,
  number,
  string[],
  unknown[],
];
const STRING_MEMBERS = MEMBERS.filter((_, i) => MEMBER_TYPES[i] === 0);

/** Every `aws events put-events` command in a document, with its parsed --entries. */
function putEventsCommands(doc: string): { command: string; entries: unknown }[] {
  return [...doc.matchAll(/^aws events put-events --entries (.+)$/gm)].map((m) => {
    const arg = m[1].trim();
    const file = /^file:\/\/(\S+)$/.exec(arg);
    const text = file
      ? readFileSync(join(ROOT, file[1]), 'utf8')
      : (/^'(.*)'$/.exec(arg)?.[1] ?? 'not single-quoted JSON');
    return { command: m[0], entries: JSON.parse(text) as unknown };
  });
}

describe('docs/operations.md: start a scan', () => {
  const commands = putEventsCommands(operations);
  const rule = Object.values(defaultStack().tf.resource.aws_cloudwatch_event_rule).find((r) =>
    String(r.event_pattern ?? '').includes('Compliance Scan Request'),
  );
  const pattern = JSON.parse(String(rule?.event_pattern)) as Record<string, string[]>;

  it('documents the file form and the inline form, and README no shorthand form', () => {
    expect(commands.map((c) => c.command.split(' --entries ')[1].slice(0, 7))).toEqual([
      'file://',
      `'[{"Sou`,
    ]);
    expect(/put-events --entries '?Source=/.test(readme)).toBe(false);
    for (const c of putEventsCommands(readme)) expect(c.entries).toBeInstanceOf(Array);
  });

  it.each(commands.map((c) => [c.command, c.entries]))(
    '%s is a PutEvents request the API model, the stack rule and the scanner accept',
    (_, entries) => {
      expect(Array.isArray(entries)).toBe(true);
      for (const entry of entries as Record<string, unknown>[]) {
        // The API model: known members only, and Detail is a string holding JSON
        for (const key of Object.keys(entry)) expect(MEMBERS).toContain(key);
        for (const key of STRING_MEMBERS)
          if (key in entry) expect(typeof entry[key]).toBe('string');
        const detail = JSON.parse(entry.Detail as string) as unknown;
        // The stack's scan-request rule matches it
        expect(pattern.source).toContain(entry.Source);
        expect(pattern['detail-type']).toContain(entry.DetailType);
        // The scanner takes it as an on-demand request
        const trigger = parseScanTrigger({
          id: 'e-1',
          source: entry.Source,
          'detail-type': entry.DetailType,
          detail,
        });
        expect(trigger.kind).toBe('request');
      }
    },
  );
});

describe('docs/operations.md: deployer permissions', () => {
  const types = variantTypes((props) => synthStack(props).tf as unknown as TfJson);

  it('has deploy actions for every resource and data source type the stack synthesizes', () => {
    expect(types.length).toBeGreaterThan(40);
    expect(missingTypes(types)).toEqual([]);
  });

  it('is current: the policy files and the table equal what npm run deployer-policy writes', () => {
    const stale = [...generatedFiles(types)]
      .filter(([path, text]) => !sameContent(path, readFileSync(path, 'utf8'), text))
      .map(([path]) => path);
    expect(stale).toEqual([]);
  });

  it('names only IAM actions that exist', async () => {
    const iam = new IamData();
    const actions = [...new Set(Object.values(DEPLOYER_ACTIONS).flat())].sort();
    const unknown: string[] = [];
    for (const a of actions) {
      const [service, name] = a.split(':');
      if (!(await iam.action(service, name))) unknown.push(a);
    }
    expect(unknown).toEqual([]);
  });
});

describe('docs/operations.md: schemas', () => {
  it('lists the CSV columns in order', () => {
    expect(operations.replace(/\s+/g, ' ')).toContain(
      `**report.csv** columns, in order: ${CSV_COLUMNS.map((c) => `\`${c}\``).join(', ')}.`,
    );
  });

  it('lists the top-level keys of report.json and every remediation decision', () => {
    const report = buildJsonReport(
      {
        scanId: 's',
        startedAt: '2026-01-01T00:00:00Z',
        finishedAt: '2026-01-01T00:01:00Z',
        findingsKey: 'findings/x.jsonl',
        counts: { critical: 0, high: 0, medium: 0, low: 0, informational: 0, passed: 0, errors: 0 },
      },
      [],
      '2026-01-01T00:02:00Z',
    );
    const keys = operations.match(/\*\*report\.json\*\* top-level keys: (.*?)\(/s)![1];
    for (const key of Object.keys(report)) expect(keys + operations).toContain(`\`${key}\``);
    const decisions = /`decision` \(([^)]*)\)/.exec(operations)![1].replace(/\s+/g, ' ');
    expect(
      decisions
        .match(/`[a-z-]+`/g)!
        .map((d) => d.slice(1, -1))
        .sort(),
    ).toEqual([...REMEDIATION_DECISIONS].sort());
  });
});
