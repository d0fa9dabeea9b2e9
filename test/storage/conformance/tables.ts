import { describe, it } from 'vitest';
import type { StorageContext } from './context.js';

/** Conformance of the tables store. (Placeholder: the engineer building this store replaces this file.) */
export function tablesConformance(ctx: StorageContext): void {
  describe('tables', () => {
    it.todo('every TableStore method, against every adapter');
    void ctx;
  });
}
