import Database from 'better-sqlite3';
import { FlintError } from '../../core/index.js';

/** How long a writer waits for another process's write lock before failing with STORAGE_FAILED. */
const BUSY_TIMEOUT_MS = 5000;

type Statement = Database.Statement<unknown[], unknown>;

/**
 * One SQLite database: opens it in WAL mode, caches prepared statements, runs write transactions and turns
 * every SQLite failure (and any use after close) into FlintError('STORAGE_FAILED').
 *
 * synchronous=NORMAL in WAL mode means a committed transaction survives a killed process; only an OS crash or
 * power loss can lose the last commits. That is the trade the design makes for queue throughput.
 */
export class SqliteConnection {
  private db: Database.Database | undefined;
  private readonly statements = new Map<string, Statement>();
  /** One reusable wrapper: better-sqlite3 turns it into BEGIN IMMEDIATE ... COMMIT (or a savepoint if nested). */
  private readonly wrapper: Database.Transaction<(fn: () => unknown) => unknown>;

  private constructor(readonly path: string, db: Database.Database) {
    this.db = db;
    this.wrapper = db.transaction((fn: () => unknown) => fn());
  }

  static open(path: string): SqliteConnection {
    return wrapErrors(() => {
      const db = new Database(path, { timeout: BUSY_TIMEOUT_MS });
      try {
        db.pragma('journal_mode = WAL');
        db.pragma('synchronous = NORMAL');
        db.pragma('foreign_keys = ON');
        return new SqliteConnection(path, db);
      } catch (error) {
        db.close();
        throw error;
      }
    });
  }

  /**
   * Runs `fn` with the open database, outside any explicit transaction (each statement commits on its own);
   * errors come out as STORAGE_FAILED unless already FlintErrors.
   */
  run<T>(fn: (db: Database.Database) => T): T {
    const db = this.requireOpen();
    return wrapErrors(() => fn(db));
  }

  /**
   * Runs `fn` in a BEGIN IMMEDIATE transaction: the write lock is taken up front, so a read-then-write (CAS,
   * claim) cannot be interleaved with another process's write. A throw rolls everything back.
   */
  transaction<T>(fn: (db: Database.Database) => T): T {
    const db = this.requireOpen();
    return wrapErrors(() => this.wrapper.immediate(() => fn(db)) as T);
  }

  /** A prepared statement, compiled once per connection. */
  statement(sql: string): Statement {
    const db = this.requireOpen();
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = wrapErrors(() => db.prepare<unknown[], unknown>(sql));
      this.statements.set(sql, statement);
    }
    return statement;
  }

  /** Closing twice is harmless; any use afterwards throws STORAGE_FAILED. */
  close(): void {
    const db = this.db;
    if (!db) return;
    this.db = undefined;
    this.statements.clear();
    wrapErrors(() => db.close());
  }

  private requireOpen(): Database.Database {
    if (!this.db) throw new FlintError('STORAGE_FAILED', `storage is closed (${this.path})`, { path: this.path });
    return this.db;
  }
}

function wrapErrors<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof FlintError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    const sqliteCode = error instanceof Database.SqliteError ? error.code : undefined;
    throw new FlintError('STORAGE_FAILED', `sqlite: ${message}`, { sqliteCode }, { cause: error });
  }
}
