/**
 * The cgroup an instance runs in (issue 14): the kernel enforces its memory size from its first instruction, a stem
 * cell takes on the function's limits before the function's code loads, and a node's subtree goes when it closes.
 * As root on cgroup v1 or v2 (see cgroups/hierarchy.ts for how the tree is found); elsewhere the fallback is tested.
 */
import { existsSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Cgroups, findHierarchy } from '../../src/runtime/cgroups/index.js';
import { createHarness, describeContained, json, request, SANDBOXES } from './harness.js';

describeContained('cgroups', () => {
  describe.each(SANDBOXES)('cgroups in the %s sandbox', (kind) => {
    it('kill an instance over its memory size at once and report Runtime.OutOfMemory, the stem cell it came from included', async () => {
      const h = createHarness(kind, { cgroups: true });
      expect(h.cgroups).toBe(true);
      expect(h.host.options.sandbox.isolation).toMatch(/cgroup v[12] per instance: memory hard limit at the memory size \(no swap\), pids\.max 1024/);
      const cell = h.host.spawnStemCell(`nodejs:${process.execPath}`);
      const fromCell = h.host.createInstance(h.config({ fixture: 'hostile', handler: 'index.hog', memorySize: 128 }), cell);
      const fresh = h.host.createInstance(h.config({ fixture: 'hostile', handler: 'index.hog', memorySize: 128 }));
      for (const fn of [fromCell, fresh]) {
        const outcome = await fn.invoke(request({}));
        expect(outcome.status).toBe('oom');
        expect(json(outcome.payload)).toEqual({ errorType: 'Runtime.OutOfMemory', errorMessage: expect.stringMatching(/Error: Runtime exited with error: signal: killed$/) });
        expect(outcome.maxMemoryUsedMb).toBe(128);
      }
      await Promise.all([fromCell.stop(), fresh.stop()]);
      await h.cleanup();
    }, 30_000);
  });

  describe('a node\'s cgroup subtree', () => {
    it('is created at start and removed, with what is left in it, at close', async () => {
      const hierarchy = findHierarchy();
      if (typeof hierarchy === 'string') throw new Error(hierarchy);
      const parent = hierarchy.version === 2 ? hierarchy.dir : hierarchy.dirs.memory!;
      const cgroups = new Cgroups('flint-test-subtree');
      expect(cgroups.start()).toBeUndefined();
      cgroups.create('instance', 256);
      expect(readdirSync(`${parent}/flint-test-subtree`)).toContain('instance');
      await cgroups.close();
      expect(existsSync(`${parent}/flint-test-subtree`)).toBe(false);
    });

    it('says why instances get none where cgroups are unavailable', () => {
      const cgroups = new Cgroups('flint-test-none', 'no /proc/self/cgroup (not Linux, or /proc is not mounted)');
      expect(cgroups.start()).toBe('no /proc/self/cgroup (not Linux, or /proc is not mounted)');
    });
  });
});
