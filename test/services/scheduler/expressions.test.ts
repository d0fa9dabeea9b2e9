import { describe, expect, it } from 'vitest';
import { flexibleDelayMs, nextInvocation, parseExpression, zoneNamed, type Plan } from '../../../src/services/scheduler/index.js';

const utc = (iso: string): number => Date.parse(iso);

function plan(expression: string, timezone?: string, extra: Partial<Plan> = {}): Plan {
  const recurrence = parseExpression(expression);
  const zone = zoneNamed(timezone);
  if (!recurrence || !zone) throw new Error(`bad test plan ${expression} ${timezone}`);
  return { recurrence, zone, anchor: 0, ...extra };
}

/** The next `count` invocations from `fromIso`, as ISO strings. */
function series(p: Plan, fromIso: string, count: number): string[] {
  const out: string[] = [];
  let from = utc(fromIso);
  for (let i = 0; i < count; i++) {
    const next = nextInvocation(p, from);
    if (next === undefined) break;
    out.push(new Date(next).toISOString());
    from = next + 1;
  }
  return out;
}

describe('Scheduler schedule expressions', () => {
  // Recorded from AWS: LocalStack's tests/aws/services/scheduler/test_scheduler.snapshot.json
  // (tests_create_schedule_with_invalid_schedule_expression and test_create_schedule_with_valid_cron_expressions).
  it.each([
    'cron(0 1 * * * *)',
    'cron(7 20 * * NOT *)',
    'cron(INVALID)',
    'cron(0 dummy ? * MON-FRI *)',
    'cron(71 8 1 * ? *)',
    'cron()',
    'rate(10 seconds)',
    'rate(10 years)',
    'rate()',
    'rate(10)',
    'rate(10 minutess)',
    'rate(foo minutes)',
    'rate(-10 minutes)',
    'rate( 10 minutes )',
    ' rate(10 minutes)',
    'at(2021-12-31T23:59:59Z)',
    'at(2021-12-31)',
  ])('refuses %s as AWS does', (expression) => {
    expect(parseExpression(expression)).toBeUndefined();
  });

  it.each([
    'cron(0-15/1 8-8 ? * 2,3,4,5,6,7 *)',
    'cron(30-30 13-13 ? * 2,4,6 *)',
    'cron(1-31/30 1-1 ? * 1,7 *)',
    'cron(0 18 ? * MON-FRI *)',
    'cron(*/15 * * * ? *)',
    'cron(0-59/10 0-23/2 ? * * *)',
    'at(2022-12-31T23:59:59)',
    'rate(1 minute)',
    'rate(5 days)',
  ])('accepts %s as AWS does', (expression) => {
    expect(parseExpression(expression)).toBeDefined();
  });

  it('refuses an at() that is not a real date and a time zone Node does not know', () => {
    expect(parseExpression('at(2026-02-30T10:00:00)')).toBeUndefined();
    expect(parseExpression('at(2026-01-01T24:00:00)')).toBeUndefined();
    expect(zoneNamed('Mars/Olympus_Mons')).toBeUndefined();
    expect(zoneNamed(undefined)?.name).toBe('UTC');
  });

  it('reads a cron in its time zone, following daylight saving time (New York, spring 2026)', () => {
    // 09:30 in New York is 14:30 UTC under EST and 13:30 UTC under EDT, which starts on 8 March 2026.
    expect(series(plan('cron(30 9 * * ? *)', 'America/New_York'), '2026-03-06T00:00:00Z', 4)).toEqual([
      '2026-03-06T14:30:00.000Z',
      '2026-03-07T14:30:00.000Z',
      '2026-03-08T13:30:00.000Z',
      '2026-03-09T13:30:00.000Z',
    ]);
  });

  it('skips a time the spring-forward gap removes', () => {
    // https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html: "your schedule invocation is skipped".
    expect(series(plan('cron(30 2 * * ? *)', 'America/New_York'), '2026-03-07T00:00:00Z', 2)).toEqual(['2026-03-07T07:30:00.000Z', '2026-03-09T06:30:00.000Z']);
  });

  it('runs a time the fall-back hour repeats once, at its first occurrence', () => {
    // Same page: "your schedule runs only once and doesn't repeat its invocation". EDT ends on 1 November 2026.
    expect(series(plan('cron(30 1 * * ? *)', 'America/New_York'), '2026-10-31T00:00:00Z', 3)).toEqual([
      '2026-10-31T05:30:00.000Z',
      '2026-11-01T05:30:00.000Z',
      '2026-11-02T06:30:00.000Z',
    ]);
    // Every 20 minutes: 01:00-01:40 run in the first pass of the hour and not again in the second.
    expect(series(plan('cron(0/20 * * * ? *)', 'America/New_York'), '2026-11-01T05:00:00Z', 5)).toEqual([
      '2026-11-01T05:00:00.000Z',
      '2026-11-01T05:20:00.000Z',
      '2026-11-01T05:40:00.000Z',
      '2026-11-01T07:00:00.000Z',
      '2026-11-01T07:20:00.000Z',
    ]);
  });

  it('reads cron days on the local calendar, not the UTC one', () => {
    // Monday 08:00 in Tokyo (UTC+9) is Sunday 23:00 UTC; 5 January 2026 is a Monday.
    expect(series(plan('cron(0 8 ? * MON *)', 'Asia/Tokyo'), '2026-01-01T00:00:00Z', 1)).toEqual(['2026-01-04T23:00:00.000Z']);
  });

  it('keeps a rate a plain duration across daylight saving time', () => {
    // "days represents a 24-hour duration on the clock" (same page).
    const p = plan('rate(1 day)', 'America/New_York', { anchor: utc('2026-03-07T14:30:00Z') });
    expect(series(p, '2026-03-07T14:30:00Z', 3)).toEqual(['2026-03-07T14:30:00.000Z', '2026-03-08T14:30:00.000Z', '2026-03-09T14:30:00.000Z']);
  });

  it('runs a rate from its anchor, within StartDate and EndDate', () => {
    const anchor = utc('2026-01-01T00:00:00Z');
    const p = plan('rate(2 hours)', undefined, { anchor, startDate: utc('2026-01-01T03:00:00Z'), endDate: utc('2026-01-01T08:00:00Z') });
    expect(series(p, '2026-01-01T00:00:00Z', 10)).toEqual(['2026-01-01T04:00:00.000Z', '2026-01-01T06:00:00.000Z', '2026-01-01T08:00:00.000Z']);
  });

  it('places a one-time schedule in its time zone, StartDate and EndDate aside', () => {
    expect(nextInvocation(plan('at(2026-07-01T09:00:00)', 'Europe/Paris'), 0)).toBe(utc('2026-07-01T07:00:00Z'));
    expect(nextInvocation(plan('at(2026-01-15T09:00:00)', 'Asia/Kolkata', { endDate: 0 }), 0)).toBe(utc('2026-01-15T03:30:00Z'));
    // 02:30 does not exist in New York on 8 March 2026: it runs as the clocks read before the jump (03:30 EDT).
    expect(nextInvocation(plan('at(2026-03-08T02:30:00)', 'America/New_York'), 0)).toBe(utc('2026-03-08T07:30:00Z'));
  });

  it('puts a flexible invocation at a whole second within its window, the same every time', () => {
    const arn = 'arn:aws:scheduler:us-east-1:000000000000:schedule/default/flex';
    const delays = Array.from({ length: 50 }, (_, i) => flexibleDelayMs(arn, i * 60_000, 15));
    for (const delay of delays) {
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThan(15 * 60_000);
      expect(delay % 1000).toBe(0);
    }
    expect(new Set(delays).size).toBeGreaterThan(1);
    expect(flexibleDelayMs(arn, 60_000, 15)).toBe(delays[1]);
    expect(flexibleDelayMs(arn, 60_000, undefined)).toBe(0);
  });
});
