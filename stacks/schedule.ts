/**
 * EventBridge schedule expressions: validation with a message that says what is wrong, and the
 * longest gap between runs (the missed-scan alarm waits two of them).
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html
 */
import awsCronParser from 'aws-cron-parser';

const RATE = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/;
const CRON = /^cron\((.+)\)$/;
const UNIT_SECONDS: Record<string, number> = { minute: 60, hour: 3600, day: 86400 };

const MONTHS = 'JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC';
const DAYS = 'SUN|MON|TUE|WED|THU|FRI|SAT';

interface Field {
  name: string;
  min: number;
  max: number;
  names?: string;
  extra?: RegExp;
}

const FIELDS: Field[] = [
  { name: 'minutes', min: 0, max: 59 },
  { name: 'hours', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31, extra: /^(\?|L|LW|\d{1,2}W)$/ },
  { name: 'month', min: 1, max: 12, names: MONTHS },
  { name: 'day-of-week', min: 1, max: 7, names: DAYS, extra: /^(\?|L|[1-7]L|[1-7]#[1-5])$/ },
  { name: 'year', min: 1970, max: 2199 },
];

function validValue(token: string, field: Field): boolean {
  if (/^\d+$/.test(token)) return Number(token) >= field.min && Number(token) <= field.max;
  return field.names !== undefined && new RegExp(`^(${field.names})$`, 'i').test(token);
}

/** One field of a cron expression: `*`, values, ranges, lists and steps within the field's range. */
function validField(expr: string, field: Field): boolean {
  if (field.extra?.test(expr)) return true;
  return expr.split(',').every((part) => {
    const [base, step, ...rest] = part.split('/');
    if (rest.length > 0) return false;
    if (step !== undefined && !(/^\d+$/.test(step) && Number(step) > 0)) return false;
    if (base === '*') return true;
    const bounds = base.split('-');
    if (bounds.length > 2) return false;
    return bounds.every((b) => validValue(b, field));
  });
}

/** Problem with a schedule expression, or undefined when EventBridge would accept it. */
export function scheduleProblem(expression: string): string | undefined {
  const rate = RATE.exec(expression);
  if (rate) {
    const value = Number(rate[1]);
    if (value < 1) return 'the rate value must be a positive whole number';
    if (value === 1 && rate[2].endsWith('s'))
      return `use the singular unit with 1 (rate(1 ${rate[2].slice(0, -1)}))`;
    if (value > 1 && !rate[2].endsWith('s'))
      return `use the plural unit with ${value} (rate(${value} ${rate[2]}s))`;
    return undefined;
  }
  const cron = CRON.exec(expression);
  if (!cron) return 'expected rate(<value> <unit>) or cron(<6 fields>)';
  const fields = cron[1].trim().split(/\s+/);
  if (fields.length !== 6) return `a cron expression has 6 fields, found ${fields.length}`;
  for (let i = 0; i < 6; i++) {
    if (!validField(fields[i], FIELDS[i]))
      return `cron field ${FIELDS[i].name} "${fields[i]}" is not valid`;
  }
  if ((fields[2] === '?') === (fields[4] === '?')) {
    return 'exactly one of day-of-month and day-of-week must be ?';
  }
  return undefined;
}

/** Longest interval between two runs, in seconds (over the next 50 runs for cron). */
export function maxIntervalSeconds(
  expression: string,
  from = new Date('2026-01-01T00:00:00Z'),
): number {
  const rate = RATE.exec(expression);
  if (rate) return Number(rate[1]) * UNIT_SECONDS[rate[2].replace(/s$/, '')];
  const cron = CRON.exec(expression);
  if (!cron) throw new Error(`Not a schedule expression: ${expression}`);
  const parsed = awsCronParser.parse(cron[1].trim());
  let previous = awsCronParser.next(parsed, from);
  let longest = 0;
  for (let i = 0; i < 50 && previous; i++) {
    const next = awsCronParser.next(parsed, new Date(previous.getTime() + 1000));
    if (!next) break;
    longest = Math.max(longest, (next.getTime() - previous.getTime()) / 1000);
    previous = next;
  }
  if (longest === 0) throw new Error(`Schedule ${expression} does not repeat`);
  return longest;
}
