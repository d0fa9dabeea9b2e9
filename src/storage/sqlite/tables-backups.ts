import type { BackupInfo, BackupListing, Item, NewBackup, TableInfo, TableStats } from '../ports-tables.js';
import type { SqliteConnection } from './connection.js';
import type { StoredTable } from './tables-catalog.js';
import type { ItemRow } from './tables-schema.js';

/**
 * Backups and point-in-time recovery history of the tables store (schema in tables-schema.ts, version 2). Every
 * method runs inside a transaction the store opened, so a backup copies one consistent snapshot.
 */

const SQL = {
  insertBackup: 'INSERT INTO ddb_backups (id, table_name, created_at, definition) VALUES (?, ?, ?, ?)',
  copyItems: `INSERT INTO ddb_backup_items (backup_id, phash, pk, sk, body, size)
              SELECT ?, phash, pk, sk, body, size FROM ddb_items WHERE table_id = ?`,
  getBackup: 'SELECT id, created_at, definition FROM ddb_backups WHERE id = ?',
  listBackups: `SELECT id, created_at, definition FROM ddb_backups
                WHERE (@table IS NULL OR table_name = @table) AND created_at >= @from AND created_at < @to
                  AND (@afterId IS NULL OR (created_at, id) > (@afterTime, @afterId))
                ORDER BY created_at, id LIMIT @limit`,
  deleteBackup: 'DELETE FROM ddb_backups WHERE id = ?',
  deleteBackupItems: 'DELETE FROM ddb_backup_items WHERE backup_id = ?',
  backupItems: 'SELECT body, size FROM ddb_backup_items WHERE backup_id = ?',
  snapshotIntoLog: `INSERT INTO ddb_recovery_log (table_id, at, phash, pk, sk, body, size)
                    SELECT table_id, ?, phash, pk, sk, body, size FROM ddb_items WHERE table_id = ? ORDER BY phash, pk, sk`,
  dropLog: 'DELETE FROM ddb_recovery_log WHERE table_id = ?',
  // The newest change per key at or before the time; a NULL body (a delete) means the item was gone.
  itemsAt: `SELECT l.body AS body, l.size AS size FROM ddb_recovery_log l
            JOIN (SELECT max(seq) AS seq FROM ddb_recovery_log WHERE table_id = ? AND at <= ? GROUP BY phash, pk, sk) newest
              ON newest.seq = l.seq
            WHERE l.body IS NOT NULL`,
  // Rows before the cutoff fold into the newest one per key (a restore at or after the cutoff sees only that)...
  foldLog: `DELETE FROM ddb_recovery_log WHERE table_id = @table AND at < @before AND seq NOT IN
              (SELECT max(seq) FROM ddb_recovery_log WHERE table_id = @table AND at < @before GROUP BY phash, pk, sk)`,
  // ...and a key whose newest row before the cutoff is a delete needs none.
  dropOldDeletes: 'DELETE FROM ddb_recovery_log WHERE table_id = @table AND at < @before AND body IS NULL',
} as const;

interface BackupRow {
  id: string;
  created_at: number;
  definition: string;
}

interface BackupDefinition {
  name: string;
  table: TableInfo;
  itemCount: number;
  sizeBytes: number;
}

export class TableBackups {
  constructor(private readonly connection: SqliteConnection) {}

  create(backup: NewBackup, table: TableInfo, stats: TableStats, tableId: number, now: number): BackupInfo {
    const definition: BackupDefinition = { name: backup.name, table, itemCount: stats.itemCount, sizeBytes: stats.sizeBytes };
    this.connection.statement(SQL.insertBackup).run(backup.id, table.name, now, JSON.stringify(definition));
    this.connection.statement(SQL.copyItems).run(backup.id, tableId);
    return { id: backup.id, createdAt: now, ...definition };
  }

  get(id: string): BackupInfo | undefined {
    const row = this.connection.statement(SQL.getBackup).get(id) as BackupRow | undefined;
    return row && backupInfo(row);
  }

  list(listing: BackupListing): BackupInfo[] {
    const after = listing.after;
    const rows = this.connection
      .statement(SQL.listBackups)
      .all({
        table: listing.table ?? null,
        from: listing.from ?? Number.MIN_SAFE_INTEGER,
        to: listing.to ?? Number.MAX_SAFE_INTEGER,
        afterId: after?.id ?? null,
        afterTime: after?.createdAt ?? 0,
        limit: listing.limit ?? -1,
      }) as BackupRow[];
    return rows.map(backupInfo);
  }

  delete(id: string): BackupInfo | undefined {
    const backup = this.get(id);
    if (!backup) return undefined;
    this.connection.statement(SQL.deleteBackup).run(id);
    this.connection.statement(SQL.deleteBackupItems).run(id);
    return backup;
  }

  /** A backup's items with their sizes; read whole, because the restore writes while it goes. */
  backupItems(id: string): { item: Item; size: number }[] {
    return (this.connection.statement(SQL.backupItems).all(id) as ItemRow[]).map(parsed);
  }

  /** Starts a table's history with a copy of every item it holds now. */
  startLog(table: StoredTable, now: number): void {
    this.connection.statement(SQL.snapshotIntoLog).run(now, table.id);
  }

  dropLog(tableId: number): void {
    this.connection.statement(SQL.dropLog).run(tableId);
  }

  itemsAt(tableId: number, at: number): { item: Item; size: number }[] {
    return (this.connection.statement(SQL.itemsAt).all(tableId, at) as ItemRow[]).map(parsed);
  }

  trimLog(tableId: number, before: number): number {
    const params = { table: tableId, before };
    return this.connection.statement(SQL.foldLog).run(params).changes + this.connection.statement(SQL.dropOldDeletes).run(params).changes;
  }
}

function backupInfo(row: BackupRow): BackupInfo {
  return { id: row.id, createdAt: row.created_at, ...(JSON.parse(row.definition) as BackupDefinition) };
}

function parsed(row: ItemRow): { item: Item; size: number } {
  return { item: JSON.parse(row.body) as Item, size: row.size };
}
