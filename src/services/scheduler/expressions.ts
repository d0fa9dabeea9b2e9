/**
 * EventBridge Scheduler's schedule expressions and when each invokes: `at(yyyy-mm-ddThh:mm:ss)` once, `rate(n unit)`
 * and `cron(...)` recurring, evaluated in ScheduleExpressionTimezone (an IANA name; UTC when absent) with Node's zone
 * rules, between StartDate and EndDate.
 *
 * As AWS documents it (https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html): a rate without a
 * StartDate starts invoking at once, then every period; a rate is a plain duration ("days" are 24 hours, whatever
 * daylight saving does); a cron time that a spring-forward gap skips does not run, and one the fall-back hour repeats
 * runs once. StartDate and EndDate do not apply to one-time schedules.
 */
import { createHash } from 'node:crypto';
import { naiveMs, nextFire, parseSchedule, TimeZone, type LocalTime, type Schedule } from '../../events/index.js';

export type Recurrence = { kind: 'at'; local: LocalTime } | Schedule;

/** What decides a schedule's invocations. */
export interface Plan {
  recurrence: Recurrence;
  zone: TimeZone;
  startDate?: number;
  endDate?: number;
  /** Rates count their periods from here. */
  anchor: number;
}

const AT = /^at\((\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\)$/;

/** The recurrence of an expression, or undefined when Scheduler would refuse it ("Invalid Schedule Expression"). */
export function parseExpression(expression: string): Recurrence | undefined {
  const at = AT.exec(expression);
  if (at) return atTime(at.slice(1).map(Number));
  // Scheduler takes the expression as written: " rate(10 minutes)" is refused (recorded from AWS), where EventBridge
  // rules trim it.
  if (expression !== expression.trim()) return undefined;
  try {
    return parseSchedule(expression);
  } catch {
    return undefined;
  }
}

function atTime([year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0]: number[]): Recurrence | undefined {
  const local = { year, month, day, hour, minute, second };
  const date = new Date(naiveMs(local));
  const real = date.getUTCFullYear() === year && date.getUTCMonth() + 1 === month && date.getUTCDate() === day && hour < 24 && minute < 60 && second < 60;
  return real ? { kind: 'at', local } : undefined;
}

/** The zone of ScheduleExpressionTimezone; undefined for a name Node's zone data does not know. */
export function zoneNamed(name: string | undefined): TimeZone | undefined {
  return TimeZone.named(name ?? 'UTC');
}

/** The instant of a one-time schedule; a time skipped by a spring-forward gap runs as the clocks read before it. */
export function atInstant(local: LocalTime, zone: TimeZone): number {
  const instants = zone.instantsOf(local);
  if (instants[0] !== undefined) return instants[0];
  const naive = naiveMs(local);
  return naive - zone.offsetAt(naive - 86_400_000);
}

/**
 * The first invocation at or after `from` (epoch ms), or undefined when none is left. A one-time schedule's instant
 * is returned whatever `from` is: the caller knows whether it already ran.
 */
export function nextInvocation(plan: Plan, from: number): number | undefined {
  const { recurrence, zone, startDate, endDate } = plan;
  if (recurrence.kind === 'at') return atInstant(recurrence.local, zone);
  const earliest = Math.max(from, startDate ?? from);
  const next = recurrence.kind === 'rate' ? nextRate(recurrence.periodMs, plan.anchor, earliest) : nextFire(recurrence, earliest - 1, plan.anchor, zone);
  return next === undefined || (endDate !== undefined && next > endDate) ? undefined : next;
}

function nextRate(periodMs: number, anchor: number, earliest: number): number {
  if (earliest <= anchor) return anchor;
  return anchor + Math.ceil((earliest - anchor) / periodMs) * periodMs;
}

/**
 * Where in its flexible time window an invocation happens: a whole number of seconds in [0, window), the same
 * wherever and however often it is worked out for one schedule and instant, so tests that own the clock know it.
 */
export function flexibleDelayMs(scheduleArn: string, scheduledAt: number, windowMinutes: number | undefined): number {
  if (!windowMinutes) return 0;
  const hash = createHash('sha256').update(`${scheduleArn}|${scheduledAt}`).digest();
  return (hash.readUIntBE(0, 6) % (windowMinutes * 60)) * 1000;
}
