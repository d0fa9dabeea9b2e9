import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/core/index.js';

describe('FakeClock', () => {
  it('fires timers in time order, each at its own instant', async () => {
    const clock = new FakeClock(1000);
    const fired: Array<[string, number]> = [];
    clock.setTimer(300, () => fired.push(['b', clock.now()]));
    clock.setTimer(100, () => fired.push(['a', clock.now()]));
    const cancelled = clock.setTimer(200, () => fired.push(['x', clock.now()]));
    cancelled.cancel();
    await clock.advance(250);
    expect(fired).toEqual([['a', 1100]]);
    await clock.advance(100);
    expect(fired).toEqual([['a', 1100], ['b', 1300]]);
    expect(clock.now()).toBe(1350);
  });

  it('runs timers scheduled by timers and settles awaiting code', async () => {
    const clock = new FakeClock(0);
    const seen: number[] = [];
    const loop = async () => {
      for (let i = 0; i < 3; i++) {
        await clock.sleep(10);
        seen.push(clock.now());
      }
    };
    const done = loop();
    await clock.advance(30);
    await done;
    expect(seen).toEqual([10, 20, 30]);
  });
});
