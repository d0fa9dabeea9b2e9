import type { Clock } from '../../core/index.js';
import type { ObjectStore } from '../ports-objects.js';
import type { SqliteConnection } from './connection.js';

/**
 * SQLite adapter of the objects store. (Placeholder: the engineer building this store replaces this file.)
 * `dir` is the data directory, for stores that keep bytes in files beside the database.
 */
export class SqliteObjectStore implements ObjectStore {
  constructor(
    readonly connection: SqliteConnection,
    readonly clock: Clock,
    readonly dir: string,
  ) {}
}
