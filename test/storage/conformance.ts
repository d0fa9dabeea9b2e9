import { describe } from 'vitest';
import { blobConformance } from './conformance/blobs.js';
import { useStorage, type OpenStorage } from './conformance/context.js';
import { lifecycleConformance } from './conformance/lifecycle.js';
import { logConformance } from './conformance/logs.js';
import { metadataConformance } from './conformance/metadata.js';
import { messagesConformance } from './conformance/messages.js';
import { objectsConformance } from './conformance/objects.js';
import { queueConformance } from './conformance/queues.js';
import { tablesConformance } from './conformance/tables.js';

export { expectFlintError, type OpenStorage } from './conformance/context.js';

/**
 * The behaviour every storage adapter must show. Each test opens a fresh storage in its own temp dir with a
 * FakeClock at a fixed time; adapters must take all time from that clock.
 */
export function describeStorageConformance(name: string, open: OpenStorage): void {
  describe(`storage conformance: ${name}`, () => {
    const ctx = useStorage(open);
    metadataConformance(ctx);
    blobConformance(ctx);
    logConformance(ctx);
    queueConformance(ctx);
    tablesConformance(ctx);
    objectsConformance(ctx);
    messagesConformance(ctx);
    lifecycleConformance(ctx);
  });
}
