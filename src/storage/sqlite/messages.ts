import type { Clock } from '../../core/index.js';
import type { MessageStore } from '../ports-messages.js';
import type { SqliteConnection } from './connection.js';

/**
 * SQLite adapter of the messages store. (Placeholder: the engineer building this store replaces this file.)
 * `dir` is the data directory, for stores that keep bytes in files beside the database.
 */
export class SqliteMessageStore implements MessageStore {
  constructor(
    readonly connection: SqliteConnection,
    readonly clock: Clock,
    readonly dir: string,
  ) {}
}
