import { describe, it } from 'vitest';
import type { StorageContext } from './context.js';

/** Conformance of the messages store. (Placeholder: the engineer building this store replaces this file.) */
export function messagesConformance(ctx: StorageContext): void {
  describe('messages', () => {
    it.todo('every MessageStore method, against every adapter');
    void ctx;
  });
}
