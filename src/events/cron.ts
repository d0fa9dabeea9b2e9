/**
 * EventBridge's six-field cron: minutes hours day-of-month month day-of-week year, in UTC or on a
 * time zone's wall clock. Fields take values,
 * names (JAN-DEC, SUN-SAT), `*`, ranges `a-b`, lists `a,b`, steps `a/n` `*\/n` `a-b/n`; day-of-month also `L` (last
 * day), `LW` (last weekday) and `nW` (the weekday nearest day n); day-of-week also `L` (Saturday, the last day of
 * the week), `nL` (the last day n of the month) and `n#k` (the k-th day n). Exactly one of the two day fields is `?`.
 * Day-of-week counts from 1 = Sunday.
 */
import { naiveFields, naiveMs, type LocalTime, type TimeZone } from './time-zone.js';

export interface Cron {
  minutes: readonly number[];
  hours: readonly number[];
  months: ReadonlySet<number>;
  years: ReadonlySet<number>;
  /** Absent when day-of-month is `?`. */
  dayOfMonth?: DayOfMonth;
  /** Absent when day-of-week is `?`. */
  dayOfWeek?: DayOfWeek;
}

interface DayOfMonth {
  days: ReadonlySet<number>;
  last: boolean;
  lastWeekday: boolean;
  nearestWeekday: readonly number[];
}

interface DayOfWeek {
  days: ReadonlySet<number>;
  /** `nL`: the last such day of the month. */
  lastOf: readonly number[];
  /** `n#k`: [day, k]. */
  nth: readonly (readonly [number, number])[];
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
const FIRST_YEAR = 1970;
const LAST_YEAR = 2199;

interface Range {
  min: number;
  max: number;
  names?: readonly string[];
  /** Ranges such as FRI-MON or NOV-FEB wrap around. */
  wraps?: boolean;
}

const MINUTE: Range = { min: 0, max: 59 };
const HOUR: Range = { min: 0, max: 23 };
const DOM: Range = { min: 1, max: 31 };
const MONTH: Range = { min: 1, max: 12, names: MONTHS, wraps: true };
const DOW: Range = { min: 1, max: 7, names: DAYS, wraps: true };
const YEAR: Range = { min: FIRST_YEAR, max: LAST_YEAR };

/** Parses the six fields; undefined when they are not a valid EventBridge cron. */
export function parseCron(body: string): Cron | undefined {
  const fields = body.trim().split(/\s+/);
  if (fields.length !== 6) return undefined;
  const [minute, hour, dom, month, dow, year] = fields as [string, string, string, string, string, string];
  if ((dom === '?') === (dow === '?')) return undefined;
  const minutes = parseField(minute, MINUTE);
  const hours = parseField(hour, HOUR);
  const months = parseField(month, MONTH);
  const years = parseField(year, YEAR);
  if (!minutes || !hours || !months || !years) return undefined;
  const cron: Cron = { minutes: sorted(minutes), hours: sorted(hours), months, years };
  if (dom !== '?') {
    const dayOfMonth = parseDayOfMonth(dom);
    if (!dayOfMonth) return undefined;
    cron.dayOfMonth = dayOfMonth;
  } else {
    const dayOfWeek = parseDayOfWeek(dow);
    if (!dayOfWeek) return undefined;
    cron.dayOfWeek = dayOfWeek;
  }
  return cron;
}

/**
 * The first minute strictly after `after` (epoch ms) that the expression names, or undefined if none is left. Without
 * a zone the fields are read in UTC (EventBridge rules). In a zone they are read on its wall clock, as EventBridge
 * Scheduler does: a time that a spring-forward gap skips does not fire, and a time that the fall-back hour repeats
 * fires once, at its first occurrence.
 */
export function nextCronTime(cron: Cron, after: number, zone?: TimeZone): number | undefined {
  if (!zone) {
    const found = nextMatch(cron, naiveFields(Math.floor(after / 60_000) * 60_000 + 60_000));
    return found && naiveMs(found);
  }
  let cursor = zone.localAt(after);
  for (let step = 0; step < MAX_ZONE_STEPS; step++) {
    const local = nextMatch(cron, naiveFields(Math.floor(naiveMs(cursor) / 60_000) * 60_000 + 60_000));
    if (!local) return undefined;
    const first = zone.instantsOf(local)[0];
    if (first !== undefined && first > after) return first;
    cursor = local;
  }
  return undefined;
}

/** Wall-clock minutes a zoned search steps over at most (a repeated hour of a once-a-minute cron is 60). */
const MAX_ZONE_STEPS = 10_000;

/** The first minute at or after `from` (calendar fields, seconds ignored) that the expression names. */
function nextMatch(cron: Cron, from: LocalTime): LocalTime | undefined {
  for (let year = from.year; year <= LAST_YEAR; year++) {
    if (!cron.years.has(year)) continue;
    const sameYear = year === from.year;
    for (let month = sameYear ? from.month : 1; month <= 12; month++) {
      if (!cron.months.has(month)) continue;
      const sameMonth = sameYear && month === from.month;
      const last = lastDay(year, month);
      for (let day = sameMonth ? from.day : 1; day <= last; day++) {
        if (!dayMatches(cron, year, month, day)) continue;
        const sameDay = sameMonth && day === from.day;
        const time = firstTime(cron, sameDay ? from.hour : 0, sameDay ? from.minute : 0);
        if (time) return { year, month, day, hour: time.hour, minute: time.minute, second: 0 };
      }
    }
  }
  return undefined;
}

function firstTime(cron: Cron, fromHour: number, fromMinute: number): { hour: number; minute: number } | undefined {
  for (const hour of cron.hours) {
    if (hour < fromHour) continue;
    const minute = cron.minutes.find((m) => hour > fromHour || m >= fromMinute);
    if (minute !== undefined) return { hour, minute };
  }
  return undefined;
}

function dayMatches(cron: Cron, year: number, month: number, day: number): boolean {
  if (cron.dayOfMonth) return dayOfMonthMatches(cron.dayOfMonth, year, month, day);
  if (cron.dayOfWeek) return dayOfWeekMatches(cron.dayOfWeek, year, month, day);
  return false;
}

function dayOfMonthMatches(spec: DayOfMonth, year: number, month: number, day: number): boolean {
  if (spec.days.has(day)) return true;
  const last = lastDay(year, month);
  if (spec.last && day === last) return true;
  if (spec.lastWeekday && day === nearestWeekday(year, month, last)) return true;
  return spec.nearestWeekday.some((n) => n <= last && day === nearestWeekday(year, month, n));
}

function dayOfWeekMatches(spec: DayOfWeek, year: number, month: number, day: number): boolean {
  const weekday = weekdayOf(year, month, day);
  if (spec.days.has(weekday)) return true;
  if (spec.lastOf.some((w) => w === weekday && day + 7 > lastDay(year, month))) return true;
  return spec.nth.some(([w, k]) => w === weekday && Math.ceil(day / 7) === k);
}

/** The weekday (Monday to Friday) nearest day `n`, staying within the month. */
function nearestWeekday(year: number, month: number, n: number): number {
  const weekday = weekdayOf(year, month, n);
  if (weekday === 7) return n === 1 ? n + 2 : n - 1;
  if (weekday === 1) return n === lastDay(year, month) ? n - 2 : n + 1;
  return n;
}

/** 1 = Sunday ... 7 = Saturday. */
function weekdayOf(year: number, month: number, day: number): number {
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 1;
}

function lastDay(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function parseDayOfMonth(text: string): DayOfMonth | undefined {
  const days = new Set<number>();
  const spec = { days, last: false, lastWeekday: false, nearestWeekday: [] as number[] };
  for (const part of text.split(',')) {
    if (part === 'L') spec.last = true;
    else if (part === 'LW') spec.lastWeekday = true;
    else if (/^\d{1,2}W$/.test(part)) {
      const n = Number(part.slice(0, -1));
      if (n < DOM.min || n > DOM.max) return undefined;
      spec.nearestWeekday.push(n);
    } else {
      const values = parsePart(part, DOM);
      if (!values) return undefined;
      for (const value of values) days.add(value);
    }
  }
  return spec;
}

function parseDayOfWeek(text: string): DayOfWeek | undefined {
  const days = new Set<number>();
  const lastOf: number[] = [];
  const nth: [number, number][] = [];
  for (const part of text.split(',')) {
    const lastMatch = /^(\w+)L$/.exec(part);
    const nthMatch = /^(\w+)#([1-5])$/.exec(part);
    if (part === 'L') days.add(DOW.max);
    else if (lastMatch) {
      const day = valueOf(lastMatch[1]!, DOW);
      if (day === undefined) return undefined;
      lastOf.push(day);
    } else if (nthMatch) {
      const day = valueOf(nthMatch[1]!, DOW);
      if (day === undefined) return undefined;
      nth.push([day, Number(nthMatch[2])]);
    } else {
      const values = parsePart(part, DOW);
      if (!values) return undefined;
      for (const value of values) days.add(value);
    }
  }
  return { days, lastOf, nth };
}

function parseField(text: string, range: Range): Set<number> | undefined {
  const values = new Set<number>();
  for (const part of text.split(',')) {
    const parsed = parsePart(part, range);
    if (!parsed) return undefined;
    for (const value of parsed) values.add(value);
  }
  return values;
}

/** `*`, `a`, `a-b`, each optionally with `/step`. */
function parsePart(part: string, range: Range): number[] | undefined {
  const [base = '', stepText, ...rest] = part.split('/');
  if (rest.length > 0) return undefined;
  if (stepText !== undefined && !/^[1-9]\d*$/.test(stepText)) return undefined;
  const step = stepText === undefined ? 1 : Number(stepText);
  let from: number | undefined;
  let to: number | undefined;
  if (base === '*') [from, to] = [range.min, range.max];
  else {
    const bounds = base.split('-');
    if (bounds.length > 2) return undefined;
    from = valueOf(bounds[0] ?? '', range);
    // A single value with a step runs to the end of the range ("5/15" is 5, 20, 35, 50).
    to = bounds.length === 2 ? valueOf(bounds[1] ?? '', range) : stepText === undefined ? from : range.max;
  }
  if (from === undefined || to === undefined) return undefined;
  if (from > to && !range.wraps) return undefined;
  const span = from <= to ? to - from : range.max - from + (to - range.min) + 1;
  const values: number[] = [];
  for (let offset = 0; offset <= span; offset += step) {
    const value = from + offset;
    values.push(value > range.max ? value - range.max + range.min - 1 : value);
  }
  return values;
}

function valueOf(text: string, range: Range): number | undefined {
  const named = range.names?.indexOf(text.toUpperCase()) ?? -1;
  if (named >= 0) return range.min + named;
  if (!/^\d+$/.test(text)) return undefined;
  const value = Number(text);
  return value >= range.min && value <= range.max ? value : undefined;
}

function sorted(values: Set<number>): number[] {
  return [...values].sort((a, b) => a - b);
}
