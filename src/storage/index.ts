import { FlintError, type Clock } from '../core/index.js';
import type { Storage } from './ports.js';
import { openSqliteStorage } from './sqlite/index.js';

export * from './ports.js';
export * from './ports-queues.js';
export * from './ports-tables.js';
export * from './ports-objects.js';
export * from './ports-messages.js';
export * from './ports-logs.js';
export { openSqliteStorage };
export { isVersionId } from './version-ids.js';
export { updateDocument } from './metadata-update.js';

export interface StorageOptions {
  /** 'sqlite' (default): one database file plus blob files under `dir`. */
  adapter?: 'sqlite' | 'postgres';
  /** The data directory; created if absent. */
  dir: string;
  clock: Clock;
  /** Connection string for the postgres adapter. */
  url?: string;
}

export async function openStorage(options: StorageOptions): Promise<Storage> {
  const adapter = options.adapter ?? 'sqlite';
  switch (adapter) {
    case 'sqlite':
      return openSqliteStorage({ dir: options.dir, clock: options.clock });
    case 'postgres':
      throw new FlintError('INVALID_PARAMETER', 'the postgres adapter is not available yet', { adapter });
    default:
      throw new FlintError('INVALID_PARAMETER', `unknown storage adapter: ${String(adapter)}`, { adapter });
  }
}
