import { FakeClock, requestId, silentLogger } from '../../core/index.js';
import { Invoker } from '../invoker.js';
import type { KeepAlivePolicy } from '../keep-alive.js';
import type { InvokeTarget } from '../types.js';
import { SimulatedFactory, type SimulatedFunction } from './simulated-instance.js';
import type { Trace } from './trace.js';

export interface ReplayReport {
  policy: string;
  functions: number;
  invocations: number;
  coldStarts: number;
  coldStartRate: number;
  instanceStarts: number;
  /** Memory-time of warm but idle instances, in GB-seconds. */
  idleGbSeconds: number;
  /** Wall-clock time the replay took. */
  elapsedMs: number;
  /** Cold starts per function id. */
  coldStartsByFunction: Record<string, number>;
  /** Idle GB-seconds per function id. */
  idleGbSecondsByFunction: Record<string, number>;
}

const MINUTE = 60_000;
const START = Date.UTC(2019, 6, 15);

/**
 * Replays a trace through the real Invoker on a simulated clock: each minute's invocations are spread
 * evenly over the minute, each runs for the function's average duration, instances take `initMs` to
 * start. Reports cold starts (invocations that waited for an instance to start), instance starts and the
 * idle memory-time the policy paid for.
 */
export async function replayTrace(trace: Trace, policy: KeepAlivePolicy, options: { initMs?: number } = {}): Promise<ReplayReport> {
  const began = performance.now();
  const clock = new FakeClock(START, 1);
  const functions = new Map<string, SimulatedFunction>(trace.functions.map((f) => [f.id, { durationMs: f.averageDurationMs, memoryMb: f.memoryMb }]));
  const factory = new SimulatedFactory(clock, functions, options.initMs);
  const invoker = new Invoker(factory, clock, silentLogger, { keepAlive: policy, stemCells: false, nodeConcurrency: Number.MAX_SAFE_INTEGER });
  const targets = new Map<string, InvokeTarget>(trace.functions.map((f) => [f.id, target(f.id, f.memoryMb)]));
  let invocations = 0;
  let coldStarts = 0;
  const coldStartsByFunction: Record<string, number> = {};
  for (let minute = 0; minute < trace.minutes; minute++) {
    for (const fn of trace.functions) {
      const count = fn.perMinute[minute] ?? 0;
      for (let i = 0; i < count; i++) {
        const at = minute * MINUTE + Math.floor(((i + 0.5) * MINUTE) / count);
        clock.setTimer(at, () => {
          invocations++;
          void invoker.invoke(targets.get(fn.id)!, { requestId: requestId(), payload: Buffer.alloc(0), invokedArn: fn.id }).then((result) => {
            if (result.start !== 'cold') return;
            coldStarts++;
            coldStartsByFunction[fn.id] = (coldStartsByFunction[fn.id] ?? 0) + 1;
          });
        });
      }
    }
  }
  const longest = Math.max(0, ...trace.functions.map((f) => f.averageDurationMs));
  await clock.advance(trace.minutes * MINUTE + longest + MINUTE);
  factory.settle();
  await invoker.close();
  return {
    policy: policy.name,
    functions: trace.functions.length,
    invocations,
    coldStarts,
    coldStartRate: invocations ? coldStarts / invocations : 0,
    instanceStarts: factory.meters.instanceStarts,
    idleGbSeconds: factory.meters.idleMbMs / 1024 / 1000,
    elapsedMs: performance.now() - began,
    coldStartsByFunction,
    idleGbSecondsByFunction: Object.fromEntries([...factory.meters.idleMbMsByFunction].map(([id, mbMs]) => [id, mbMs / 1024 / 1000])),
  };
}

function target(functionName: string, memoryMb: number): InvokeTarget {
  return {
    key: functionName,
    config: { functionName, version: '$LATEST', runtime: 'nodejs20.x', handler: 'index.handler', memorySize: Math.max(128, Math.round(memoryMb)), timeout: 900, ephemeralStorage: 512, environment: {}, codeDir: '/nonexistent' },
  };
}
