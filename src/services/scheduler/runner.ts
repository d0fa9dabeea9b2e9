import { isFlintError, type Clock, type Logger, type Timer } from '../../core/index.js';
import { nextInvocation, flexibleDelayMs, parseExpression, zoneNamed, type Plan } from './expressions.js';
import { INVOCATION_QUEUE, invocationItem, invocationOf } from './invocations.js';
import { scheduleKey, type SchedulerState } from './state.js';
import type { ScheduleRecord } from './types.js';

/**
 * Fires schedules on the node's clock: one timer per enabled schedule, set for its next invocation (delayed within
 * its flexible time window). When a timer fires, the invocation is stored in the invocations queue in the same write
 * that records the schedule fired (compare-and-set on the schedule), so a crash loses no invocation and an instant
 * fires once, even with several nodes on one store. A schedule with no invocation left is completed, and deleted
 * when its ActionAfterCompletion is DELETE.
 *
 * Invocations missed while the node was down: a one-time schedule that has not run runs at start; recurring
 * schedules resume from the next instant to come (missed ones are not replayed).
 */
export interface RunnerOptions {
  state: SchedulerState;
  clock: Clock;
  logger: Logger;
  /** Told that invocations were stored. */
  stored(): void;
}

/** Timers are re-armed at least daily: far-off instants would overflow a platform timer. */
const MAX_WAIT_MS = 86_400_000;
const CAS_ATTEMPTS = 8;

export class ScheduleRunner {
  private readonly timers = new Map<string, Timer>();
  private started = false;
  private closed = false;

  constructor(private readonly options: RunnerOptions) {}

  async start(): Promise<void> {
    if (this.started || this.closed) return;
    this.started = true;
    for (const schedule of await this.options.state.schedules()) {
      if (schedule.completed && schedule.actionAfterCompletion === 'DELETE') await this.options.state.deleteSchedule(schedule.group, schedule.name);
      else this.arm(schedule, this.options.clock.now());
    }
  }

  close(): void {
    this.closed = true;
    for (const timer of this.timers.values()) timer.cancel();
    this.timers.clear();
  }

  /**
   * (Re)sets the schedule's timer for its next invocation at or after `from` (default: just after its last one).
   * Called when a schedule is created or updated, at start, and after each firing.
   */
  arm(schedule: ScheduleRecord, from?: number): void {
    const key = scheduleKey(schedule.group, schedule.name);
    this.disarm(schedule.group, schedule.name);
    if (!this.started || this.closed || schedule.state !== 'ENABLED' || schedule.completed) return;
    const next = nextDue(schedule, from);
    if (next === undefined) return;
    const at = next + flexibleDelayMs(schedule.arn, next, schedule.flexibleTimeWindow.Mode === 'FLEXIBLE' ? schedule.flexibleTimeWindow.MaximumWindowInMinutes : undefined);
    const wait = (): void => {
      const left = at - this.options.clock.now();
      if (left > 0) return void this.timers.set(key, this.options.clock.setTimer(Math.min(left, MAX_WAIT_MS), wait));
      this.timers.delete(key);
      void this.fire(schedule.group, schedule.name, schedule.generation, next);
    };
    wait();
  }

  disarm(group: string, name: string): void {
    const key = scheduleKey(group, name);
    this.timers.get(key)?.cancel();
    this.timers.delete(key);
  }

  private async fire(group: string, name: string, generation: number, scheduledAt: number): Promise<void> {
    const { state, logger } = this.options;
    try {
      for (let attempt = 1; attempt <= CAS_ATTEMPTS; attempt++) {
        const doc = await state.schedule(group, name);
        const schedule = doc?.value;
        if (!doc || !schedule || schedule.generation !== generation || schedule.state !== 'ENABLED') return;
        if (schedule.lastFiredAt !== undefined && schedule.lastFiredAt >= scheduledAt) return this.arm(schedule);
        const fired: ScheduleRecord = { ...schedule, lastFiredAt: scheduledAt };
        fired.completed = nextDue(fired) === undefined;
        const item = invocationItem(invocationOf(schedule, scheduledAt));
        try {
          const revision = await state.putSchedule(fired, doc.revision, { queue: INVOCATION_QUEUE, items: () => [item] });
          this.options.stored();
          if (fired.completed && fired.actionAfterCompletion === 'DELETE') await state.deleteSchedule(group, name, revision);
          else this.arm(fired);
          return;
        } catch (error) {
          if (!isFlintError(error, 'PRECONDITION_FAILED')) throw error;
        }
      }
      logger.warn('a schedule kept changing while it fired; this invocation is skipped', { group, name, scheduledAt });
    } catch (error) {
      if (!this.closed) logger.error('a schedule could not fire', { group, name, scheduledAt, error: String(error) });
    }
  }
}

/** The schedule's next invocation at or after `from`, never one it already ran. */
export function nextDue(schedule: ScheduleRecord, from?: number): number | undefined {
  const plan = planOf(schedule);
  if (!plan) return undefined;
  if (plan.recurrence.kind === 'at') return schedule.lastFiredAt === undefined ? nextInvocation(plan, 0) : undefined;
  const after = schedule.lastFiredAt === undefined ? -Infinity : schedule.lastFiredAt + 1;
  return nextInvocation(plan, Math.max(after, from ?? -Infinity, plan.anchor));
}

export function planOf(schedule: ScheduleRecord): Plan | undefined {
  const recurrence = parseExpression(schedule.expression);
  const zone = zoneNamed(schedule.timezone);
  if (!recurrence || !zone) return undefined;
  return { recurrence, zone, startDate: schedule.startDate, endDate: schedule.endDate, anchor: schedule.anchor };
}
