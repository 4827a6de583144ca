import { maxIntervalSeconds, scheduleProblem } from '../../stacks/schedule';
import { resolveSettings, SettingsError } from '../../stacks/settings';

describe('scheduleProblem', () => {
  it.each([
    'rate(1 hour)',
    'rate(6 hours)',
    'rate(1 day)',
    'rate(30 minutes)',
    'cron(0 */6 * * ? *)',
    'cron(0 8 ? * MON-FRI *)',
    'cron(0/15 * * * ? *)',
    'cron(0 0 L * ? *)',
    'cron(0 0 ? * 2#1 *)',
  ])('accepts %s', (expression) => {
    expect(scheduleProblem(expression)).toBeUndefined();
  });

  it.each([
    ['rate(1 hours)', 'use the singular unit with 1 (rate(1 hour))'],
    ['rate(2 hour)', 'use the plural unit with 2 (rate(2 hours))'],
    ['rate(0 hours)', 'the rate value must be a positive whole number'],
    ['rate(6 weeks)', 'expected rate(<value> <unit>) or cron(<6 fields>)'],
    ['6h', 'expected rate(<value> <unit>) or cron(<6 fields>)'],
    ['cron(0 8 * * ?)', 'a cron expression has 6 fields, found 5'],
    ['cron(0 12 * * * *)', 'exactly one of day-of-month and day-of-week must be ?'],
    ['cron(0 12 ? * ? *)', 'exactly one of day-of-month and day-of-week must be ?'],
    ['cron(61 8 * * ? *)', 'cron field minutes "61" is not valid'],
    ['cron(0 24 * * ? *)', 'cron field hours "24" is not valid'],
    ['cron(0 0 ? * 8 *)', 'cron field day-of-week "8" is not valid'],
    ['cron(0 0 ? FOO * *)', 'cron field month "FOO" is not valid'],
  ])('refuses %s', (expression, problem) => {
    expect(scheduleProblem(expression)).toBe(problem);
  });
});

describe('maxIntervalSeconds', () => {
  it.each([
    ['rate(1 hour)', 3600],
    ['rate(15 minutes)', 900],
    ['rate(6 hours)', 21600],
    ['rate(2 days)', 172800],
    ['cron(0 */6 * * ? *)', 21600],
    ['cron(0/15 * * * ? *)', 900],
    // Friday to Monday is the longest gap of a weekday schedule.
    ['cron(0 8 ? * MON-FRI *)', 3 * 86400],
    // 31-day months give the longest gap of a monthly schedule.
    ['cron(0 8 1 * ? *)', 31 * 86400],
  ])('%s runs at most %i seconds apart', (expression, seconds) => {
    expect(maxIntervalSeconds(expression)).toBe(seconds);
  });

  it('refuses a schedule that runs only once', () => {
    expect(() => maxIntervalSeconds('cron(0 0 1 1 ? 2030)')).toThrow(
      'Schedule cron(0 0 1 1 ? 2030) does not repeat',
    );
  });

  it('turns a schedule that runs only once into a settings problem, not a crash', () => {
    expect(() =>
      resolveSettings({ environmentSuffix: 'ok', scanSchedule: 'cron(0 0 1 1 ? 2030)' }),
    ).toThrow(
      new SettingsError([
        'SCAN_SCHEDULE "cron(0 0 1 1 ? 2030)": runs must be between 15 minutes and 3 days apart',
      ]),
    );
  });
});
