import { describe, expect, it } from 'vitest';
import type { AttributeValue, Item, KeySchema, NewTable, TableStore } from '../../../src/storage/index.js';
import { expectFlintError, type StorageContext } from './context.js';

/** Backups and point-in-time recovery history of the tables store (see TableStore.createBackup and restoreTable). */

const S = (S: string): AttributeValue => ({ S });
const KEY: KeySchema = { hash: { name: 'id', type: 'S' } };
const BY_COLOR = { name: 'byColor', global: true, key: { hash: { name: 'color', type: 'S' as const } } };

function table(name: string, extra: Partial<NewTable> = {}): NewTable {
  return { name, key: KEY, indexes: [BY_COLOR], settings: { note: name }, ...extra };
}

async function put(store: TableStore, name: string, ...items: Item[]): Promise<void> {
  for (const item of items) {
    await store.write([{ table: name, key: { id: item.id! } }], () => ({ changes: [{ put: item, size: 10 }], result: undefined }));
  }
}

async function remove(store: TableStore, name: string, id: string): Promise<void> {
  await store.write([{ table: name, key: { id: S(id) } }], () => ({ changes: [{ delete: true }], result: undefined }));
}

async function ids(store: TableStore, name: string): Promise<string[]> {
  const page = await store.scan({ table: name, limit: 100 });
  return page.items.map((item) => (item.id as { S: string }).S).sort();
}

export function tableBackupConformance(ctx: StorageContext): void {
  describe('table backups and recovery history', () => {
    const tables = () => ctx.storage.tables;

    it("copies a snapshot that later writes, the table's deletion and a reopen leave alone", async () => {
      await tables().createTable(table('t'));
      await put(tables(), 't', { id: S('a'), color: S('red') }, { id: S('b'), color: S('red') });
      const backup = await tables().createBackup({ id: 'bk-1', table: 't', name: 'first' });
      expect(backup).toMatchObject({ id: 'bk-1', name: 'first', itemCount: 2, sizeBytes: 20, createdAt: ctx.clock.now(), table: { name: 't', settings: { note: 't' } } });
      await remove(tables(), 't', 'a');
      await tables().deleteTable('t');
      await ctx.reopen();
      expect(await tables().getBackup('bk-1')).toMatchObject({ id: 'bk-1', itemCount: 2 });
      const restored = await tables().restoreTable(table('t2', { settings: { note: 't2' } }), { backup: 'bk-1' });
      expect(restored.indexes).toEqual([BY_COLOR]);
      expect(await ids(tables(), 't2')).toEqual(['a', 'b']);
      expect((await tables().query({ table: 't2', index: 'byColor', hash: S('red'), limit: 10 })).items).toHaveLength(2);
      expect(await tables().tableStats('t2')).toMatchObject({ itemCount: 2, sizeBytes: 20 });
      await expectFlintError(tables().restoreTable(table('t2'), { backup: 'bk-1' }), 'RESOURCE_CONFLICT');
      await expectFlintError(tables().restoreTable(table('t3'), { backup: 'nothing' }), 'NOT_FOUND');
      await expectFlintError(tables().createBackup({ id: 'bk-2', table: 'missing', name: 'x' }), 'NOT_FOUND');
      expect(await tables().deleteBackup('bk-1')).toMatchObject({ id: 'bk-1' });
      expect(await tables().getBackup('bk-1')).toBeUndefined();
    });

    it('lists backups by table and time, after a given one', async () => {
      await tables().createTable(table('t'));
      await tables().createTable(table('u'));
      for (const [id, name] of [['b1', 't'], ['b2', 'u'], ['b3', 't']] as const) {
        await tables().createBackup({ id, table: name, name: id });
        await ctx.clock.advance(10);
      }
      const start = ctx.clock.now() - 30;
      expect((await tables().listBackups()).map((b) => b.id)).toEqual(['b1', 'b2', 'b3']);
      expect((await tables().listBackups({ table: 't' })).map((b) => b.id)).toEqual(['b1', 'b3']);
      expect((await tables().listBackups({ after: { id: 'b1', createdAt: start }, limit: 1 })).map((b) => b.id)).toEqual(['b2']);
      expect((await tables().listBackups({ from: start + 10, to: start + 20 })).map((b) => b.id)).toEqual(['b2']);
    });

    it('restores a table as it was at any time since its history started, also after trimming', async () => {
      await tables().createTable(table('t'));
      await put(tables(), 't', { id: S('a') });
      await expectFlintError(tables().restoreTable(table('never'), { table: 't', at: ctx.clock.now() }), 'INVALID_PARAMETER');
      const since = ctx.clock.now();
      expect((await tables().updateTable('t', { recovery: true })).recovery).toEqual({ since });
      await ctx.clock.advance(100);
      await put(tables(), 't', { id: S('b') });
      await ctx.clock.advance(100);
      await remove(tables(), 't', 'a');
      await put(tables(), 't', { id: S('b'), v: S('2') });
      await ctx.clock.advance(100);
      await tables().restoreTable(table('at-start'), { table: 't', at: since });
      expect(await ids(tables(), 'at-start')).toEqual(['a']);
      await tables().restoreTable(table('at-100'), { table: 't', at: since + 150 });
      expect(await ids(tables(), 'at-100')).toEqual(['a', 'b']);
      // Trimming before since + 250 keeps what a restore from then on needs: b's newest version, not a.
      expect(await tables().trimRecovery('t', since + 250)).toBe(3);
      await tables().restoreTable(table('after-trim'), { table: 't', at: since + 250 });
      expect(await tables().getItem('after-trim', { id: S('b') })).toEqual({ id: S('b'), v: S('2') });
      expect(await ids(tables(), 'after-trim')).toEqual(['b']);
      expect((await tables().updateTable('t', { recovery: false })).recovery).toBeUndefined();
      await expectFlintError(tables().restoreTable(table('off'), { table: 't', at: ctx.clock.now() }), 'INVALID_PARAMETER');
    });
  });
}
