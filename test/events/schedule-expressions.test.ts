import { describe, expect, it } from 'vitest';
import { isFlintError } from '../../src/core/index.js';
import { nextFire, parseSchedule } from '../../src/events/index.js';

const at = (iso: string): number => Date.parse(iso);
const iso = (ms: number | undefined): string | undefined => (ms === undefined ? undefined : new Date(ms).toISOString());

/** The next `count` firings after `from`. */
function firings(expression: string, from: string, count = 1, anchor = at(from)): (string | undefined)[] {
  const schedule = parseSchedule(expression);
  const out: (string | undefined)[] = [];
  let after = at(from);
  for (let i = 0; i < count; i++) {
    const next = nextFire(schedule, after, anchor);
    out.push(iso(next));
    if (next === undefined) break;
    after = next;
  }
  return out;
}

describe('rate expressions', () => {
  it('fire every period from the moment the schedule was created', () => {
    expect(firings('rate(5 minutes)', '2026-01-01T10:02:30Z', 3)).toEqual(['2026-01-01T10:07:30.000Z', '2026-01-01T10:12:30.000Z', '2026-01-01T10:17:30.000Z']);
    expect(firings('rate(1 hour)', '2026-01-01T10:00:00Z', 2)).toEqual(['2026-01-01T11:00:00.000Z', '2026-01-01T12:00:00.000Z']);
    expect(firings('rate(2 days)', '2026-01-01T00:00:00Z')).toEqual(['2026-01-03T00:00:00.000Z']);
  });

  it('keep their phase across a gap: missed firings are skipped, not replayed', () => {
    const schedule = parseSchedule('rate(10 minutes)');
    const anchor = at('2026-01-01T00:00:00Z');
    expect(iso(nextFire(schedule, at('2026-01-01T01:03:00Z'), anchor))).toBe('2026-01-01T01:10:00.000Z');
    expect(iso(nextFire(schedule, at('2026-01-01T01:10:00Z'), anchor))).toBe('2026-01-01T01:20:00.000Z');
  });
});

describe('cron expressions (UTC)', () => {
  it.each([
    ['cron(0 12 * * ? *)', '2026-01-01T00:00:00Z', ['2026-01-01T12:00:00.000Z', '2026-01-02T12:00:00.000Z']],
    ['cron(0/15 * * * ? *)', '2026-01-01T10:07:00Z', ['2026-01-01T10:15:00.000Z', '2026-01-01T10:30:00.000Z', '2026-01-01T10:45:00.000Z', '2026-01-01T11:00:00.000Z']],
    ['cron(5,35 14 * * ? *)', '2026-01-01T14:05:00Z', ['2026-01-01T14:35:00.000Z', '2026-01-02T14:05:00.000Z']],
    ['cron(0 18 ? * MON-FRI *)', '2026-01-02T19:00:00Z', ['2026-01-05T18:00:00.000Z', '2026-01-06T18:00:00.000Z']],
    ['cron(0 8 1 * ? *)', '2026-01-15T00:00:00Z', ['2026-02-01T08:00:00.000Z', '2026-03-01T08:00:00.000Z']],
    ['cron(15 10 ? * 6L 2026)', '2026-01-01T00:00:00Z', ['2026-01-30T10:15:00.000Z', '2026-02-27T10:15:00.000Z']],
    ['cron(0 10 ? * 2#1 *)', '2026-01-01T00:00:00Z', ['2026-01-05T10:00:00.000Z', '2026-02-02T10:00:00.000Z']],
    ['cron(0 0 L * ? *)', '2028-02-01T00:00:00Z', ['2028-02-29T00:00:00.000Z', '2028-03-31T00:00:00.000Z']],
    ['cron(0 0 LW * ? *)', '2026-01-01T00:00:00Z', ['2026-01-30T00:00:00.000Z', '2026-02-27T00:00:00.000Z']],
    ['cron(0 9 15W * ? *)', '2026-02-01T00:00:00Z', ['2026-02-16T09:00:00.000Z', '2026-03-16T09:00:00.000Z']],
    ['cron(0 9 1W * ? *)', '2026-07-15T00:00:00Z', ['2026-08-03T09:00:00.000Z', '2026-09-01T09:00:00.000Z']],
    ['cron(0 12 ? * L *)', '2026-01-01T00:00:00Z', ['2026-01-03T12:00:00.000Z', '2026-01-10T12:00:00.000Z']],
    ['cron(0 0 ? * FRI-MON *)', '2026-01-01T00:00:00Z', ['2026-01-02T00:00:00.000Z', '2026-01-03T00:00:00.000Z', '2026-01-04T00:00:00.000Z', '2026-01-05T00:00:00.000Z', '2026-01-09T00:00:00.000Z']],
    ['cron(30 6 1 NOV-FEB ? *)', '2026-03-01T00:00:00Z', ['2026-11-01T06:30:00.000Z', '2026-12-01T06:30:00.000Z', '2027-01-01T06:30:00.000Z', '2027-02-01T06:30:00.000Z', '2027-11-01T06:30:00.000Z']],
    ['cron(0 0 1 JAN ? 2030)', '2026-06-01T00:00:00Z', ['2030-01-01T00:00:00.000Z', undefined]],
    ['cron(0 12 * * ? 1999)', '2026-01-01T00:00:00Z', [undefined]],
    ['cron(10-50/20 1 ? * sun *)', '2026-01-01T00:00:00Z', ['2026-01-04T01:10:00.000Z', '2026-01-04T01:30:00.000Z', '2026-01-04T01:50:00.000Z', '2026-01-11T01:10:00.000Z']],
  ])('%s after %s', (expression, from, expected) => {
    expect(firings(expression, from, expected.length)).toEqual(expected);
  });

  it('fires strictly after the given instant, at whole minutes', () => {
    expect(firings('cron(0 12 * * ? *)', '2026-01-01T12:00:00Z')).toEqual(['2026-01-02T12:00:00.000Z']);
    expect(firings('cron(* * * * ? *)', '2026-01-01T12:00:30.500Z')).toEqual(['2026-01-01T12:01:00.000Z']);
  });
});

describe('invalid expressions', () => {
  it.each([
    'rate(1 minutes)',
    'rate(5 minute)',
    'rate(0 minutes)',
    'rate(5 weeks)',
    'cron(0 12 * * * *)',
    'cron(0 12 ? * ? *)',
    'cron(60 * * * ? *)',
    'cron(0 24 * * ? *)',
    'cron(0 12 32 * ? *)',
    'cron(0 12 ? * 8 *)',
    'cron(0 12 ? * MON#6 *)',
    'cron(0 12 * * ?)',
    'cron(0 12 * FOO ? *)',
    'every day',
  ])('%s is refused as EventBridge refuses it', (expression) => {
    let error: unknown;
    try {
      parseSchedule(expression);
    } catch (caught) {
      error = caught;
    }
    expect(isFlintError(error, 'INVALID_PARAMETER')).toBe(true);
    expect((error as Error).message).toBe('Parameter ScheduleExpression is not valid.');
  });
});
