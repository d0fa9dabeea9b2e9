/**
 * EventBridge schedule expressions: rate(N unit) and the six-field cron(minutes hours day-of-month month
 * day-of-week year). Checked here so a typo fails at deploy rather than never firing.
 */
const RATE = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/;
const CRON = /^cron\((.*)\)$/;
const EXPECTED = 'expected rate(N minutes|hours|days) or cron(minutes hours day-of-month month day-of-week year)';

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

interface CronField {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
  kind?: 'day-of-month' | 'day-of-week';
}

const CRON_FIELDS: readonly CronField[] = [
  { name: 'minutes', min: 0, max: 59 },
  { name: 'hours', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31, kind: 'day-of-month' },
  { name: 'month', min: 1, max: 12, names: MONTHS },
  { name: 'day-of-week', min: 1, max: 7, names: DAYS, kind: 'day-of-week' },
  { name: 'year', min: 1970, max: 2199 },
];

/** Why `expression` is not a valid schedule, or undefined when it is. */
export function scheduleProblem(expression: string): string | undefined {
  const text = expression.trim();
  const rate = RATE.exec(text);
  if (rate) return rateProblem(Number(rate[1]), rate[2] ?? '');
  const cron = CRON.exec(text);
  if (cron) return cronProblem(cron[1] ?? '');
  return `${EXPECTED}, got ${JSON.stringify(expression)}`;
}

function rateProblem(value: number, unit: string): string | undefined {
  if (value < 1) return `rate value must be at least 1, got ${value}`;
  const singular = !unit.endsWith('s');
  if (value === 1 && !singular) return `rate(1 ${unit}) must use the singular unit: rate(1 ${unit.slice(0, -1)})`;
  if (value > 1 && singular) return `rate(${value} ${unit}) must use the plural unit: rate(${value} ${unit}s)`;
  return undefined;
}

function cronProblem(body: string): string | undefined {
  const fields = body.trim().split(/\s+/).filter((f) => f !== '');
  if (fields.length !== CRON_FIELDS.length) {
    return `expected 6 cron fields (minutes hours day-of-month month day-of-week year), got ${fields.length}`;
  }
  for (const [index, spec] of CRON_FIELDS.entries()) {
    const problem = fieldProblem(fields[index] ?? '', spec);
    if (problem !== undefined) return problem;
  }
  const dayOfMonth = fields[2];
  const dayOfWeek = fields[4];
  if ((dayOfMonth === '?') === (dayOfWeek === '?')) {
    return `cron needs '?' in exactly one of day-of-month and day-of-week, got ${JSON.stringify(dayOfMonth)} and ${JSON.stringify(dayOfWeek)}`;
  }
  return undefined;
}

function fieldProblem(text: string, spec: CronField): string | undefined {
  if (text === '?' && spec.kind !== undefined) return undefined;
  const valid = text.split(',').every((part) => partIsValid(part, spec));
  return valid ? undefined : `cron ${spec.name} field ${JSON.stringify(text)} is not valid (${describeField(spec)})`;
}

function partIsValid(part: string, spec: CronField): boolean {
  if (spec.kind === 'day-of-month' && /^(L|LW|\d{1,2}W)$/.test(part)) return part.startsWith('L') || valueIsValid(part.slice(0, -1), spec);
  if (spec.kind === 'day-of-week') {
    if (part === 'L') return true;
    const last = /^(\w+)L$/.exec(part);
    if (last) return valueIsValid(last[1] ?? '', spec);
    const nth = /^(\w+)#([1-5])$/.exec(part);
    if (nth) return valueIsValid(nth[1] ?? '', spec);
  }
  const [base = '', step, ...rest] = part.split('/');
  if (rest.length > 0) return false;
  if (step !== undefined && !/^[1-9]\d*$/.test(step)) return false;
  if (base === '*') return true;
  const bounds = base.split('-');
  if (bounds.length > 2) return false;
  return bounds.every((bound) => valueIsValid(bound, spec));
}

function valueIsValid(value: string, spec: CronField): boolean {
  if (spec.names?.includes(value.toUpperCase())) return true;
  if (!/^\d+$/.test(value)) return false;
  const number = Number(value);
  return number >= spec.min && number <= spec.max;
}

function describeField(spec: CronField): string {
  const names = spec.names ? ` or ${spec.names[0]}-${spec.names[spec.names.length - 1]}` : '';
  const extras = spec.kind === 'day-of-month' ? ' ? L W' : spec.kind === 'day-of-week' ? ' ? L #' : '';
  return `values ${spec.min}-${spec.max}${names}, with , - * /${extras}`;
}
