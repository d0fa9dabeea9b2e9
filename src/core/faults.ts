/**
 * Named points on paths whose crash safety Flint promises, where a test may stop the process abruptly to prove
 * what survives a crash exactly there. In production nothing happens at them.
 */
export type FaultPoint =
  /** An S3 write and its notification events are committed; the events have not been handed over yet. */
  's3.events-committed';

export interface Faults {
  reached(point: FaultPoint): void;
}

export const noFaults: Faults = { reached: () => undefined };

/**
 * `FLINT_FAULT=<point>` kills the process with SIGKILL (no cleanup, no flush) when it reaches that point; read once
 * where the process starts (the CLI), never by the subsystems themselves.
 */
export function faultsFromEnv(env: NodeJS.ProcessEnv): Faults {
  const armed = env.FLINT_FAULT;
  if (!armed) return noFaults;
  return {
    reached: (point) => {
      if (point === armed) process.kill(process.pid, 'SIGKILL');
    },
  };
}
