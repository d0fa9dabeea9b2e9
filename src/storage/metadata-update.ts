import { isFlintError } from '../core/index.js';
import type { MetadataStore } from './ports.js';

/** Writers that lose a compare-and-set race retry this often before the store's PRECONDITION_FAILED goes up. */
const CAS_ATTEMPTS = 8;

/**
 * Reads, changes and writes one document with compare-and-set, retrying when another writer got there first, so no
 * write is lost. `change` gets undefined for a document that does not exist (the write then creates it) and may
 * throw to refuse; it may run more than once.
 */
export async function updateDocument<T>(metadata: MetadataStore, collection: string, key: string, change: (current: T | undefined) => T): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const doc = await metadata.get<T>(collection, key);
    const next = change(doc?.value);
    try {
      await metadata.put(collection, key, next, { ifRevision: doc?.revision ?? 0 });
      return next;
    } catch (error) {
      if (!isFlintError(error, 'PRECONDITION_FAILED') || attempt >= CAS_ATTEMPTS) throw error;
    }
  }
}
