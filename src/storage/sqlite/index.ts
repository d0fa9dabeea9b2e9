import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { FlintError, type Clock } from '../../core/index.js';
import { FileBlobStore } from '../file-blobs.js';
import type { LogStore, MetadataStore, Storage } from '../ports.js';
import type { QueueStore } from '../ports-queues.js';
import { SqliteMessageStore } from './messages.js';
import { SqliteObjectStore } from './objects.js';
import { SqliteTableStore } from './tables.js';
import { SqliteConnection } from './connection.js';
import { SqliteLogStore } from './logs.js';
import { SqliteMetadataStore } from './metadata.js';
import { migrate } from './migrations.js';
import { SqliteQueueStore } from './queues.js';

const DATABASE_FILE = 'flint.db';
const BLOBS_FOLDER = 'blobs';

class SqliteStorage implements Storage {
  readonly metadata: MetadataStore;
  readonly logs: LogStore;
  readonly queues: QueueStore;
  readonly tables: SqliteTableStore;
  readonly objects: SqliteObjectStore;
  readonly messages: SqliteMessageStore;
  readonly description: string;

  constructor(
    private readonly connection: SqliteConnection,
    readonly blobs: FileBlobStore,
    clock: Clock,
    dir: string,
    options: SqliteStorageOptions,
  ) {
    this.metadata = new SqliteMetadataStore(connection, clock);
    this.logs = new SqliteLogStore(connection);
    this.queues = new SqliteQueueStore(connection, clock);
    this.tables = new SqliteTableStore(connection, clock, dir);
    this.objects = new SqliteObjectStore(connection, clock, dir, options.inlineBodyBytes);
    this.messages = new SqliteMessageStore(connection, clock, dir);
    this.description = `sqlite ${connection.path}`;
  }

  async close(): Promise<void> {
    this.blobs.close();
    this.connection.close();
  }
}

export interface SqliteStorageOptions {
  dir: string;
  clock: Clock;
  /** Object bodies up to this many bytes live in the database (default 64 KiB); 0 keeps every body in a file. */
  inlineBodyBytes?: number;
}

/** The embedded adapter: `<dir>/flint.db` (WAL) for records and queues, `<dir>/blobs/` for code packages. */
export async function openSqliteStorage(options: SqliteStorageOptions): Promise<Storage> {
  await createDir(options.dir);
  const connection = SqliteConnection.open(join(options.dir, DATABASE_FILE));
  try {
    connection.run((db) => migrate(db));
  } catch (error) {
    connection.close();
    throw error;
  }
  return new SqliteStorage(connection, new FileBlobStore(join(options.dir, BLOBS_FOLDER)), options.clock, options.dir, options);
}

async function createDir(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new FlintError('STORAGE_FAILED', `cannot create the data directory ${dir}: ${message}`, { dir }, { cause: error });
  }
}
