import { describe, it } from 'vitest';
import type { StorageContext } from './context.js';

/** Conformance of the objects store. (Placeholder: the engineer building this store replaces this file.) */
export function objectsConformance(ctx: StorageContext): void {
  describe('objects', () => {
    it.todo('every ObjectStore method, against every adapter');
    void ctx;
  });
}
