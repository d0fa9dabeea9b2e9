/**
 * Wall-clock time in an IANA time zone, computed with Intl (the zone rules Node ships), never a fixed offset: a
 * schedule at 09:00 America/New_York is 14:00 UTC in winter and 13:00 UTC in summer.
 */

/** A wall-clock reading: month 1-12, hour 0-23. */
export interface LocalTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const DAY_MS = 86_400_000;

export class TimeZone {
  private constructor(
    readonly name: string,
    private readonly format: Intl.DateTimeFormat,
  ) {}

  /** The zone of an IANA name ("Europe/Paris", "UTC"); undefined when Node's zone data does not know it. */
  static named(name: string): TimeZone | undefined {
    try {
      const format = new Intl.DateTimeFormat('en-US', {
        timeZone: name,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
      return new TimeZone(name, format);
    } catch {
      return undefined;
    }
  }

  /** What a clock in this zone shows at `instant` (epoch ms). */
  localAt(instant: number): LocalTime {
    const fields: Record<string, number> = {};
    for (const part of this.format.formatToParts(new Date(instant))) if (part.type !== 'literal') fields[part.type] = Number(part.value);
    return { year: fields.year!, month: fields.month!, day: fields.day!, hour: fields.hour!, minute: fields.minute!, second: fields.second! };
  }

  /**
   * The instants (epoch ms, earliest first) at which a clock in this zone shows `local`: none when the time falls in
   * a gap (clocks skipped it going forward), two when it falls in a repeated hour (clocks went back over it).
   */
  instantsOf(local: LocalTime): number[] {
    const naive = naiveMs(local);
    const offsets = new Set([this.offsetAt(naive - DAY_MS), this.offsetAt(naive), this.offsetAt(naive + DAY_MS)]);
    const found = new Set<number>();
    for (const offset of offsets) {
      const instant = naive - offset;
      if (naiveMs(this.localAt(instant)) === naive) found.add(instant);
    }
    return [...found].sort((a, b) => a - b);
  }

  /** How far this zone's clocks are ahead of UTC at `instant`, in ms. */
  offsetAt(instant: number): number {
    const whole = Math.floor(instant / 1000) * 1000;
    return naiveMs(this.localAt(whole)) - whole;
  }
}

/** A wall-clock reading as if it were UTC: the arithmetic of calendar fields without zone rules. */
export function naiveMs(local: LocalTime): number {
  return Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second);
}

/** The calendar fields of a naive ms value (the inverse of naiveMs). */
export function naiveFields(ms: number): LocalTime {
  const date = new Date(ms);
  return {
    year: date.getUTCFullYear(),
    month: date.getUTCMonth() + 1,
    day: date.getUTCDate(),
    hour: date.getUTCHours(),
    minute: date.getUTCMinutes(),
    second: date.getUTCSeconds(),
  };
}
