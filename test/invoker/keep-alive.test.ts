import { describe, expect, it } from 'vitest';
import { FixedKeepAlive, HybridHistogramKeepAlive } from '../../src/invoker/index.js';

const MINUTE = 60_000;

describe('keep-alive policies', () => {
  it('fixed keeps every idle instance for the same time', () => {
    const policy = new FixedKeepAlive(7 * MINUTE);
    policy.observe('f', 1, 3 * MINUTE);
    expect(policy.decide('f', 1)).toEqual({ keepAliveMs: 7 * MINUTE });
  });

  it('adaptive falls back to fixed until the histogram is representative', () => {
    const policy = new HybridHistogramKeepAlive({ fallback: new FixedKeepAlive(10 * MINUTE) });
    for (let i = 0; i < 5; i++) policy.observe('f', 1, 3 * MINUTE);
    expect(policy.decide('f', 1)).toEqual({ keepAliveMs: 10 * MINUTE });
    expect(policy.describe('f').representative).toBe(false);
  });

  it('adaptive keeps an instance just past a regular idle time, and no longer', () => {
    const policy = new HybridHistogramKeepAlive();
    // A function called every 3.5 minutes: idle times all in the 3-4 minute bin.
    for (let i = 0; i < 40; i++) policy.observe('f', 1, 3.5 * MINUTE);
    expect(policy.decide('f', 1)).toEqual({ keepAliveMs: 4 * MINUTE });
    expect(policy.describe('f').representative).toBe(true);
  });

  it('adaptive does not keep instances for idle times that are rarely worth waiting for', () => {
    // Mostly back-to-back calls, occasionally a 3-hour pause: waiting 3 hours for those is not worth it.
    const policy = new HybridHistogramKeepAlive({ breakEvenMs: 20 * MINUTE });
    for (let i = 0; i < 95; i++) policy.observe('f', 1, 20_000);
    for (let i = 0; i < 5; i++) policy.observe('f', 1, 180 * MINUTE);
    expect(policy.decide('f', 1)).toEqual({ keepAliveMs: 1 * MINUTE });
  });

  it('adaptive keeps one histogram per concurrency level', () => {
    const policy = new HybridHistogramKeepAlive();
    for (let i = 0; i < 40; i++) policy.observe('f', 1, 30_000);
    for (let i = 0; i < 40; i++) policy.observe('f', 5, 12.5 * MINUTE);
    expect(policy.decide('f', 1)).toEqual({ keepAliveMs: 1 * MINUTE });
    expect(policy.decide('f', 5)).toEqual({ keepAliveMs: 13 * MINUTE });
  });

  it("the paper's percentile strategy pre-warms before a long regular gap", () => {
    const policy = new HybridHistogramKeepAlive({ strategy: 'percentile' });
    for (let i = 0; i < 40; i++) policy.observe('f', 1, (30 + (i % 3)) * MINUTE);
    const decision = policy.decide('f', 1);
    expect(decision.preWarmAfterMs).toBe(Math.floor(30 * MINUTE * 0.9));
    expect(decision.preWarmAfterMs! + decision.keepAliveMs).toBe(Math.ceil(33 * MINUTE * 1.1));
  });
});
