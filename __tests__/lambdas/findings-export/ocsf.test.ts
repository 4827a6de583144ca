/**
 * Every OCSF event we write is checked against the Compliance Finding class as the OCSF schema
 * defines it (fixture taken from github.com/ocsf/ocsf-schema at tag 1.8.0): every required
 * attribute present, no attribute the class or object does not define, every enum value one the
 * schema lists with its caption, types right, and the class/category/type ids consistent.
 */
import schema from '../../fixtures/ocsf-1.8.0-compliance-finding.json';
import { CLASS, OCSF_VERSION, toOcsf } from '../../../lambdas/findings-export/ocsf';
import { sampleFindings } from './fixtures';

interface AttributeSpec {
  requirement: string;
  type: string;
  is_array?: boolean;
  enum?: Record<string, string>;
  profile?: string;
  deprecated?: boolean;
}
interface ObjectSpec {
  caption: string;
  constraints?: { at_least_one?: string[] };
  attributes: Record<string, AttributeSpec>;
}
const OBJECTS = schema.objects as unknown as Record<string, ObjectSpec>;
const CLASS_ATTRIBUTES = schema.class.attributes as unknown as Record<string, AttributeSpec>;
const PRODUCT = {
  name: 'compliance-audit',
  vendorName: 'compliance-audit',
  uid: 'compliance-audit-test',
};

const SCALARS: Record<string, (v: unknown) => boolean> = {
  string_t: (v) => typeof v === 'string',
  integer_t: (v) => Number.isInteger(v),
  long_t: (v) => Number.isInteger(v),
  timestamp_t: (v) => Number.isInteger(v) && (v as number) > 1e12,
  boolean_t: (v) => typeof v === 'boolean',
  json_t: () => true,
  object: (v) => typeof v === 'object' && v !== null && !Array.isArray(v),
};
const TYPES = schema.types as Record<string, string>;
/** timestamp_t is a long_t of milliseconds; resource_uid_t a string_t, and so on. */
const scalar = (type: string) => SCALARS[type] ?? SCALARS[TYPES[type] ?? ''];

/** Problems of `value` against the attributes of a class or object (empty when valid). */
function check(
  value: Record<string, unknown>,
  attributes: Record<string, AttributeSpec>,
  path: string,
  constraints?: ObjectSpec['constraints'],
): string[] {
  const problems: string[] = [];
  for (const [name, spec] of Object.entries(attributes)) {
    if (spec.requirement === 'required' && (spec.profile === undefined || spec.profile === 'cloud'))
      if (value[name] === undefined) problems.push(`${path}.${name} is required`);
  }
  for (const group of constraints?.at_least_one ? [constraints.at_least_one] : []) {
    if (!group.some((a) => value[a] !== undefined))
      problems.push(`${path} needs at least one of ${group.join(', ')}`);
  }
  for (const [name, v] of Object.entries(value)) {
    const spec = attributes[name];
    const at = `${path}.${name}`;
    if (!spec) {
      problems.push(`${at} is not an attribute of ${path}`);
      continue;
    }
    if (spec.deprecated) problems.push(`${at} is deprecated`);
    if (Array.isArray(v) !== Boolean(spec.is_array)) {
      problems.push(`${at} must ${spec.is_array ? '' : 'not '}be an array`);
      continue;
    }
    for (const item of spec.is_array ? (v as unknown[]) : [v]) {
      if (scalar(spec.type)) {
        if (!scalar(spec.type)!(item))
          problems.push(`${at} is not ${spec.type}: ${JSON.stringify(item)}`);
      } else if (OBJECTS[spec.type]) {
        const obj = OBJECTS[spec.type]!;
        problems.push(
          ...check(item as Record<string, unknown>, obj.attributes, at, obj.constraints),
        );
      } else {
        problems.push(`${at}: type ${spec.type} is not in the fixture`);
      }
      if (spec.enum && !(String(item) in spec.enum))
        problems.push(`${at} = ${String(item)} is not one of ${Object.keys(spec.enum).join(', ')}`);
      // A sibling without `_id` carries the caption of the enum value (OCSF's convention).
      const sibling = name.endsWith('_id') ? name.slice(0, -3) : undefined;
      if (
        spec.enum?.[String(item)] &&
        sibling &&
        value[sibling] !== undefined &&
        String(item) !== '99'
      ) {
        if (value[sibling] !== spec.enum[String(item)])
          problems.push(
            `${path}.${sibling} = ${String(value[sibling])}, expected ${spec.enum[String(item)]}`,
          );
      }
    }
  }
  return problems;
}

describe('toOcsf', () => {
  const events = sampleFindings().map((f) => toOcsf(f, PRODUCT));

  it('the fixture is the OCSF Compliance Finding class', () => {
    expect(schema.class).toMatchObject({ uid: 2003, caption: 'Compliance Finding' });
    expect(schema.category).toEqual({ uid: 2, caption: 'Findings' });
    expect(schema.version).toBe(OCSF_VERSION);
  });

  it.each(sampleFindings().map((f, i) => [f.status, f.change ?? '-', i] as const))(
    'a %s finding (change %s) is a valid Compliance Finding',
    (_status, _change, i) => {
      expect(check(events[i]!, CLASS_ATTRIBUTES, 'event')).toEqual([]);
    },
  );

  it('carries every attribute the class requires and the issue names', () => {
    const required = Object.entries(CLASS_ATTRIBUTES)
      .filter(([, s]) => s.requirement === 'required')
      .map(([n]) => n)
      .sort();
    expect(required).toEqual([
      'activity_id',
      'category_uid',
      'class_uid',
      'cloud',
      'compliance',
      'finding_info',
      'metadata',
      'severity_id',
      'time',
      'type_uid',
    ]);
    for (const e of events) {
      expect(e).toMatchObject({
        class_uid: CLASS.uid,
        category_uid: 2,
        type_uid: 2003 * 100 + (e.activity_id as number),
        metadata: { version: '1.8.0', product: { name: 'compliance-audit' } },
        cloud: { provider: 'AWS', account: { uid: '123456789012' } },
      });
      expect(e.status_id).toEqual(expect.any(Number));
      expect((e.finding_info as { uid: string; title: string }).title).toBeTruthy();
      expect(e.compliance).toMatchObject({
        standards: expect.any(Array),
        control: expect.any(String),
      });
      expect(e.resources).toHaveLength(1);
    }
  });

  it('maps statuses, change states and severities to the enum values that mean the same', () => {
    const [fail, resolved, pass, suppressed, error] = events;
    expect(
      [fail, resolved, pass, suppressed, error].map((e) => [
        e!.status,
        (e!.compliance as { status: string }).status,
        e!.activity_name,
      ]),
    ).toEqual([
      ['New', 'Fail', 'Update'],
      ['Resolved', 'Pass', 'Close'],
      ['Compliant', 'Pass', 'Create'],
      ['Suppressed', 'Fail', 'Create'],
      ['New', 'Warning', 'Update'],
    ]);
    expect(error).toMatchObject({ severity_id: 5, severity: 'Critical' });
    expect(fail!.compliance).toMatchObject({
      control: 'S3.8',
      standards: [
        'AWS Foundational Security Best Practices v1.0.0',
        'CIS AWS Foundations Benchmark v5.0.0',
      ],
      requirements: ['S3.8', 'CIS AWS Foundations Benchmark v5.0.0/2.1.4'],
    });
    expect(fail!.finding_info).toMatchObject({
      first_seen_time: Date.parse('2026-05-01T12:00:00.000Z'),
      last_seen_time: Date.parse('2026-06-01T12:00:00.000Z'),
    });
    expect(suppressed!.unmapped).toMatchObject({ suppression: { owner: 'web@example.com' } });
  });

  it('the validator catches what it is there to catch', () => {
    const bad = { ...events[0]!, severity_id: 7, time: '2026-06-01', extra: 1 } as Record<
      string,
      unknown
    >;
    delete bad.finding_info;
    expect(check(bad, CLASS_ATTRIBUTES, 'event').sort()).toEqual(
      [
        'event.finding_info is required',
        'event.severity_id = 7 is not one of 0, 1, 2, 3, 4, 5, 6, 99',
        'event.time is not timestamp_t: "2026-06-01"',
        'event.extra is not an attribute of event',
      ].sort(),
    );
  });
});
