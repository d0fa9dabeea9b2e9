import type { Clock } from '../../core/index.js';
import type { TableStore } from '../ports-tables.js';
import type { SqliteConnection } from './connection.js';

/**
 * SQLite adapter of the tables store. (Placeholder: the engineer building this store replaces this file.)
 * `dir` is the data directory, for stores that keep bytes in files beside the database.
 */
export class SqliteTableStore implements TableStore {
  constructor(
    readonly connection: SqliteConnection,
    readonly clock: Clock,
    readonly dir: string,
  ) {}
}
