/** EventBridge schedule expressions, rate(N unit) and cron(...), and when each fires next. */
import { nextCronTime, parseCron, type Cron } from './cron.js';
import { invalidValue } from './errors.js';
import type { TimeZone } from './time-zone.js';

export type Schedule = { kind: 'rate'; periodMs: number } | { kind: 'cron'; cron: Cron };

const RATE = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/;
const CRON = /^cron\((.*)\)$/;
const UNIT_MS: Record<string, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

/** Throws INVALID_PARAMETER with EventBridge's message when the expression is not one it accepts. */
export function parseSchedule(expression: string): Schedule {
  const text = expression.trim();
  const rate = RATE.exec(text);
  if (rate) {
    const value = Number(rate[1]);
    const unit = rate[2]!;
    const singular = !unit.endsWith('s');
    // EventBridge wants "rate(1 minute)" and "rate(5 minutes)", nothing else.
    if (value >= 1 && (value === 1) === singular) return { kind: 'rate', periodMs: value * UNIT_MS[singular ? unit : unit.slice(0, -1)]! };
  }
  const cronBody = CRON.exec(text)?.[1];
  const cron = cronBody === undefined ? undefined : parseCron(cronBody);
  if (cron) return { kind: 'cron', cron };
  throw invalidValue('Parameter ScheduleExpression is not valid.', { expression });
}

/**
 * The first firing strictly after `after` (epoch ms). A rate counts its periods from `anchor`, the moment the
 * schedule was created, as EventBridge does; undefined when a cron has no firing left (its years are past). A cron
 * reads its fields in `zone` when one is given (EventBridge Scheduler), else in UTC; a rate is a plain duration.
 */
export function nextFire(schedule: Schedule, after: number, anchor: number, zone?: TimeZone): number | undefined {
  if (schedule.kind === 'cron') return nextCronTime(schedule.cron, after, zone);
  const periods = Math.floor((after - anchor) / schedule.periodMs) + 1;
  return anchor + Math.max(1, periods) * schedule.periodMs;
}
