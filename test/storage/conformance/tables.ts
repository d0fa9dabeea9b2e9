import { describe, expect, it } from 'vitest';
import type { AttributeValue, Item, KeySchema, NewTable, TableStore } from '../../../src/storage/index.js';
import { expectFlintError, type StorageContext } from './context.js';
import { multiKeyIndexConformance } from './table-multi-keys.js';
import { tableBackupConformance } from './table-backups.js';

const S = (S: string): AttributeValue => ({ S });
const N = (N: string): AttributeValue => ({ N });
const B = (bytes: number[]): AttributeValue => ({ B: Buffer.from(bytes).toString('base64') });

const HASH_ONLY: KeySchema = { hash: { name: 'id', type: 'S' } };
const NUMBERED: KeySchema = { hash: { name: 'pk', type: 'S' }, range: { name: 'n', type: 'N' } };

function table(name: string, key: KeySchema, extra: Partial<NewTable> = {}): NewTable {
  return { name, key, indexes: [], settings: { note: name }, ...extra };
}

function keyOf(item: Item, key: KeySchema): Item {
  const out: Item = { [key.hash.name]: item[key.hash.name]! };
  if (key.range) out[key.range.name] = item[key.range.name]!;
  return out;
}

/** Puts items unconditionally, as PutItem without a condition would. */
async function put(store: TableStore, name: string, key: KeySchema, ...items: Item[]): Promise<void> {
  for (const item of items) {
    await store.write([{ table: name, key: keyOf(item, key) }], () => ({ changes: [{ put: item, size: JSON.stringify(item).length }], result: undefined }));
  }
}

async function remove(store: TableStore, name: string, key: Item): Promise<void> {
  await store.write([{ table: name, key }], () => ({ changes: [{ delete: true }], result: undefined }));
}

const values = (items: Item[], name: string) => items.map((item) => {
  const value = item[name];
  return value && ('S' in value ? value.S : 'N' in value ? value.N : 'B' in value ? value.B : undefined);
});

export function tablesConformance(ctx: StorageContext): void {
  describe('tables', () => {
    tableConformance(ctx);
    itemConformance(ctx);
    orderConformance(ctx);
    queryConformance(ctx);
    indexConformance(ctx);
    scanConformance(ctx);
    transactionConformance(ctx);
    streamConformance(ctx);
    ttlConformance(ctx);
    tableBackupConformance(ctx);
    describe('multi-attribute index keys', () => multiKeyIndexConformance(ctx));
  });
}

function tableConformance(ctx: StorageContext): void {
  const tables = () => ctx.storage.tables;

  it('creates, describes, lists, updates and deletes tables', async () => {
    const created = await tables().createTable(table('beta', NUMBERED));
    expect(created).toEqual({ name: 'beta', key: NUMBERED, indexes: [], settings: { note: 'beta' }, createdAt: ctx.clock.now() });
    await tables().createTable(table('alpha', HASH_ONLY));
    await tables().createTable(table('gamma', HASH_ONLY));
    expect(await tables().getTable('beta')).toEqual(created);
    expect(await tables().getTable('nope')).toBeUndefined();
    expect(await tables().listTables()).toEqual(['alpha', 'beta', 'gamma']);
    expect(await tables().listTables({ limit: 2 })).toEqual(['alpha', 'beta']);
    expect(await tables().listTables({ after: 'beta' })).toEqual(['gamma']);

    const updated = await tables().updateTable('beta', { settings: { billing: 'PROVISIONED' } });
    expect(updated.settings).toEqual({ billing: 'PROVISIONED' });
    expect((await tables().deleteTable('beta'))?.name).toBe('beta');
    expect(await tables().deleteTable('beta')).toBeUndefined();
    expect(await tables().listTables()).toEqual(['alpha', 'gamma']);
  });

  it('refuses a second table of the same name and item work on missing tables', async () => {
    await tables().createTable(table('t', HASH_ONLY));
    await expectFlintError(tables().createTable(table('t', NUMBERED)), 'RESOURCE_CONFLICT');
    await expectFlintError(tables().getItem('missing', { id: S('a') }), 'NOT_FOUND');
    await expectFlintError(put(tables(), 'missing', HASH_ONLY, { id: S('a') }), 'NOT_FOUND');
    await expectFlintError(tables().query({ table: 'missing', hash: S('a'), limit: 10 }), 'NOT_FOUND');
    await expectFlintError(tables().updateTable('missing', { settings: {} }), 'NOT_FOUND');
  });

  it('forgets the items of a deleted table when a table of that name is created again', async () => {
    await tables().createTable(table('t', HASH_ONLY));
    await put(tables(), 't', HASH_ONLY, { id: S('a'), v: N('1') });
    await tables().deleteTable('t');
    await tables().createTable(table('t', HASH_ONLY));
    expect(await tables().getItem('t', { id: S('a') })).toBeUndefined();
    expect((await tables().tableStats('t')).itemCount).toBe(0);
  });

  it('counts items and their sizes, per table and per index', async () => {
    await tables().createTable(table('t', HASH_ONLY, { indexes: [{ name: 'byColor', global: true, key: { hash: { name: 'color', type: 'S' } } }] }));
    const red: Item = { id: S('a'), color: S('red') };
    await tables().write([{ table: 't', key: { id: S('a') } }, { table: 't', key: { id: S('b') } }], () => ({
      changes: [{ put: red, size: 100 }, { put: { id: S('b') }, size: 50 }],
      result: undefined,
    }));
    expect(await tables().tableStats('t')).toEqual({ itemCount: 2, sizeBytes: 150, indexes: { byColor: { itemCount: 1, sizeBytes: 100 } } });
  });

  it('keeps tables, items, indexes and streams across a restart', async () => {
    await tables().createTable(table('t', NUMBERED, {
      indexes: [{ name: 'byColor', global: true, key: { hash: { name: 'color', type: 'S' } } }],
      stream: { viewType: 'KEYS_ONLY' },
    }));
    await put(tables(), 't', NUMBERED, { pk: S('p'), n: N('1'), color: S('red') });
    const reopened = (await ctx.reopen()).tables;
    expect((await reopened.getTable('t'))?.stream).toMatchObject({ viewType: 'KEYS_ONLY', enabled: true });
    expect(await reopened.getItem('t', { pk: S('p'), n: N('1') })).toEqual({ pk: S('p'), n: N('1'), color: S('red') });
    expect((await reopened.query({ table: 't', index: 'byColor', hash: S('red'), limit: 10 })).items).toHaveLength(1);
    expect(await reopened.readStream('t', { limit: 10 })).toHaveLength(1);
  });
}

function itemConformance(ctx: StorageContext): void {
  const tables = () => ctx.storage.tables;

  it('puts, replaces, reads and deletes items by key', async () => {
    await tables().createTable(table('t', NUMBERED));
    const item = { pk: S('p'), n: N('1'), nested: { M: { list: { L: [S('x'), { NULL: true }, { BOOL: false }] } } }, set: { SS: ['a', 'b'] } } satisfies Item;
    await put(tables(), 't', NUMBERED, item);
    expect(await tables().getItem('t', { pk: S('p'), n: N('1') })).toEqual(item);
    await put(tables(), 't', NUMBERED, { pk: S('p'), n: N('1'), other: S('replaced') });
    expect(await tables().getItem('t', { pk: S('p'), n: N('1') })).toEqual({ pk: S('p'), n: N('1'), other: S('replaced') });
    await remove(tables(), 't', { pk: S('p'), n: N('1') });
    expect(await tables().getItem('t', { pk: S('p'), n: N('1') })).toBeUndefined();
    await remove(tables(), 't', { pk: S('p'), n: N('1') });
  });

  it('treats numerically equal keys as the same key', async () => {
    await tables().createTable(table('t', { hash: { name: 'id', type: 'N' } }));
    await put(tables(), 't', { hash: { name: 'id', type: 'N' } }, { id: N('10'), v: S('first') });
    expect(await tables().getItem('t', { id: N('1E1') })).toEqual({ id: N('10'), v: S('first') });
    expect(await tables().getItem('t', { id: N('10.000') })).toBeDefined();
  });

  it('writes blind: unconditional puts and deletes without reading the item first', async () => {
    await tables().createTable(table('t', HASH_ONLY));
    await tables().createTable(table('indexed', HASH_ONLY, { indexes: [{ name: 'byColor', global: true, key: { hash: { name: 'color', type: 'S' } } }] }));
    for (const name of ['t', 'indexed']) {
      const blindPut = (item: Item) => tables().write([{ table: name, key: { id: item.id! }, blind: true }], () => ({ changes: [{ put: item, size: 1 }], result: undefined }));
      await blindPut({ id: S('a'), color: S('red') });
      await blindPut({ id: S('a'), color: S('blue') });
      expect(await tables().getItem(name, { id: S('a') })).toEqual({ id: S('a'), color: S('blue') });
      await tables().write([{ table: name, key: { id: S('a') }, blind: true }], () => ({ changes: [{ delete: true }], result: undefined }));
      expect(await tables().getItem(name, { id: S('a') })).toBeUndefined();
    }
    expect((await tables().query({ table: 'indexed', index: 'byColor', hash: S('blue'), limit: 10 })).items).toEqual([]);
  });

  it('reads several items of several tables in one snapshot', async () => {
    await tables().createTable(table('a', HASH_ONLY));
    await tables().createTable(table('b', HASH_ONLY));
    await put(tables(), 'a', HASH_ONLY, { id: S('1') });
    await put(tables(), 'b', HASH_ONLY, { id: S('2') });
    const items = await tables().getItems([{ table: 'a', key: { id: S('1') } }, { table: 'b', key: { id: S('1') } }, { table: 'b', key: { id: S('2') } }]);
    expect(items).toEqual([{ id: S('1') }, undefined, { id: S('2') }]);
  });
}

function orderConformance(ctx: StorageContext): void {
  const tables = () => ctx.storage.tables;

  it('orders number sort keys by value, across signs, scales and exponents', async () => {
    await tables().createTable(table('t', NUMBERED));
    const numbers = ['-1E+125', '-1000', '-10.5', '-10.25', '-10', '-1', '-0.5', '-0.05', '-1E-130', '0', '1E-130', '0.05', '0.5', '1', '9', '10', '10.25', '10.5', '1000', '99999999999999999999999999999999999999', '1E+125'];
    const shuffled = [...numbers].sort(() => Math.random() - 0.5);
    await put(tables(), 't', NUMBERED, ...shuffled.map((n) => ({ pk: S('p'), n: N(n) })));
    const page = await tables().query({ table: 't', hash: S('p'), limit: 100 });
    expect(values(page.items, 'n')).toEqual(numbers);
    const backwards = await tables().query({ table: 't', hash: S('p'), limit: 100, descending: true });
    expect(values(backwards.items, 'n')).toEqual([...numbers].reverse());
  });

  it('orders string sort keys by UTF-8 bytes and binary ones by bytes', async () => {
    const strings: KeySchema = { hash: { name: 'pk', type: 'S' }, range: { name: 's', type: 'S' } };
    await tables().createTable(table('s', strings));
    // UTF-16 code units would put U+1F600 (a surrogate pair) before U+FF5E; UTF-8 bytes put it after.
    const ordered = ['', 'A', 'B', 'a', 'aa', 'ab', 'b', '\u00e9', '\uff5e', '\u{1f600}'].filter((s) => s !== '');
    await put(tables(), 's', strings, ...[...ordered].reverse().map((s) => ({ pk: S('p'), s: S(s) })));
    expect(values((await tables().query({ table: 's', hash: S('p'), limit: 100 })).items, 's')).toEqual(ordered);

    const binary: KeySchema = { hash: { name: 'pk', type: 'S' }, range: { name: 'b', type: 'B' } };
    await tables().createTable(table('b', binary));
    const blobs = [[0], [0, 0], [0, 1], [1], [127], [128], [255], [255, 0]];
    await put(tables(), 'b', binary, ...[...blobs].reverse().map((bytes) => ({ pk: S('p'), b: B(bytes) })));
    expect(values((await tables().query({ table: 'b', hash: S('p'), limit: 100 })).items, 'b')).toEqual(blobs.map((bytes) => B(bytes)).map((v) => ('B' in v ? v.B : '')));
  });
}

function queryConformance(ctx: StorageContext): void {
  const tables = () => ctx.storage.tables;
  const seed = async () => {
    await tables().createTable(table('t', NUMBERED));
    await put(tables(), 't', NUMBERED, ...[1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((n) => ({ pk: S('p'), n: N(String(n)) })), { pk: S('q'), n: N('1') });
  };
  const query = async (range: Parameters<TableStore['query']>[0]['range'], descending = false) =>
    values((await tables().query({ table: 't', hash: S('p'), range, descending, limit: 100 })).items, 'n');

  it('reads one partition within sort key bounds, in both directions', async () => {
    await seed();
    expect(await query({ op: 'eq', value: N('3') })).toEqual(['3']);
    expect(await query({ op: 'lt', value: N('3') })).toEqual(['1', '2']);
    expect(await query({ op: 'le', value: N('3') })).toEqual(['1', '2', '3']);
    expect(await query({ op: 'gt', value: N('8') })).toEqual(['9', '10']);
    expect(await query({ op: 'ge', value: N('8') })).toEqual(['8', '9', '10']);
    expect(await query({ op: 'between', low: N('4'), high: N('6') })).toEqual(['4', '5', '6']);
    expect(await query({ op: 'between', low: N('4'), high: N('6') }, true)).toEqual(['6', '5', '4']);
    expect(await query({ op: 'gt', value: N('8') }, true)).toEqual(['10', '9']);
    expect(await query(undefined)).toHaveLength(10);
    expect(values((await tables().query({ table: 't', hash: S('none'), limit: 10 })).items, 'n')).toEqual([]);
  });

  it('matches sort key prefixes, binary ones ending in 0xff included', async () => {
    const strings: KeySchema = { hash: { name: 'pk', type: 'S' }, range: { name: 's', type: 'S' } };
    await tables().createTable(table('s', strings));
    await put(tables(), 's', strings, ...['a', 'ab', 'abc', 'abd', 'ac', 'b'].map((s) => ({ pk: S('p'), s: S(s) })));
    const prefixed = await tables().query({ table: 's', hash: S('p'), range: { op: 'begins_with', prefix: S('ab') }, limit: 10 });
    expect(values(prefixed.items, 's')).toEqual(['ab', 'abc', 'abd']);

    const binary: KeySchema = { hash: { name: 'pk', type: 'S' }, range: { name: 'b', type: 'B' } };
    await tables().createTable(table('b', binary));
    await put(tables(), 'b', binary, ...[[1, 255], [1, 255, 0], [1, 255, 255], [2], [2, 0]].map((bytes) => ({ pk: S('p'), b: B(bytes) })));
    const ff = await tables().query({ table: 'b', hash: S('p'), range: { op: 'begins_with', prefix: B([1, 255]) }, limit: 10 });
    expect(ff.items).toHaveLength(3);
    const all = await tables().query({ table: 'b', hash: S('p'), range: { op: 'begins_with', prefix: B([255]) }, limit: 10 });
    expect(all.items).toHaveLength(0);
  });

  it('pages with a limit and a start position, and says when a page was cut short', async () => {
    await seed();
    const first = await tables().query({ table: 't', hash: S('p'), limit: 4 });
    expect(values(first.items, 'n')).toEqual(['1', '2', '3', '4']);
    expect(first.truncated).toBe(true);
    const second = await tables().query({ table: 't', hash: S('p'), limit: 4, startAfter: first.items[3] });
    expect(values(second.items, 'n')).toEqual(['5', '6', '7', '8']);
    const last = await tables().query({ table: 't', hash: S('p'), limit: 4, startAfter: second.items[3] });
    expect(values(last.items, 'n')).toEqual(['9', '10']);
    expect(last.truncated).toBe(false);
    const down = await tables().query({ table: 't', hash: S('p'), limit: 3, descending: true, startAfter: { pk: S('p'), n: N('5') } });
    expect(values(down.items, 'n')).toEqual(['4', '3', '2']);
  });

  it('stops after the item that fills the byte budget', async () => {
    await tables().createTable(table('t', NUMBERED));
    for (let n = 1; n <= 5; n++) {
      const item = { pk: S('p'), n: N(String(n)) };
      await tables().write([{ table: 't', key: item }], () => ({ changes: [{ put: item, size: 400 }], result: undefined }));
    }
    const page = await tables().query({ table: 't', hash: S('p'), limit: 100, maxBytes: 1000 });
    expect(values(page.items, 'n')).toEqual(['1', '2', '3']);
    expect(page.truncated).toBe(true);
  });
}

function indexConformance(ctx: StorageContext): void {
  const tables = () => ctx.storage.tables;
  const byColor: KeySchema = { hash: { name: 'color', type: 'S' }, range: { name: 'rank', type: 'N' } };
  const seed = async () => {
    await tables().createTable(table('t', NUMBERED, {
      indexes: [
        { name: 'byColor', global: true, key: byColor },
        { name: 'byLabel', global: false, key: { hash: NUMBERED.hash, range: { name: 'label', type: 'S' } } },
      ],
    }));
  };
  const colors = async (color: string, options: { descending?: boolean; limit?: number; startAfter?: Item } = {}) =>
    (await tables().query({ table: 't', index: 'byColor', hash: S(color), limit: options.limit ?? 100, ...options })).items;

  it('keeps global index entries in step with puts, replacements and deletes', async () => {
    await seed();
    await put(tables(), 't', NUMBERED,
      { pk: S('a'), n: N('1'), color: S('red'), rank: N('2') },
      { pk: S('a'), n: N('2'), color: S('red'), rank: N('1') },
      { pk: S('b'), n: N('1'), color: S('blue'), rank: N('1') },
      { pk: S('c'), n: N('1'), color: S('red') },
    );
    expect((await colors('red')).map((i) => i.n)).toEqual([N('2'), N('1')]);
    await put(tables(), 't', NUMBERED, { pk: S('a'), n: N('1'), color: S('blue'), rank: N('0') });
    expect(await colors('red')).toEqual([{ pk: S('a'), n: N('2'), color: S('red'), rank: N('1') }]);
    expect((await colors('blue')).map((i) => i.pk)).toEqual([S('a'), S('b')]);
    await remove(tables(), 't', { pk: S('b'), n: N('1') });
    expect((await colors('blue')).map((i) => i.pk)).toEqual([S('a')]);
    expect(await colors('blue', { descending: true })).toHaveLength(1);
  });

  it('pages through index entries that share an index key, in both directions', async () => {
    await seed();
    const items = [1, 2, 3, 4, 5].map((n) => ({ pk: S(`p${n}`), n: N('1'), color: S('red'), rank: N('7') }));
    await put(tables(), 't', NUMBERED, ...items);
    const first = await colors('red', { limit: 2 });
    const rest = await colors('red', { startAfter: first[1] });
    expect([...first, ...rest].map((i) => i.pk)).toEqual(items.map((i) => i.pk));
    const down = await colors('red', { descending: true, startAfter: items[2] });
    expect(down.map((i) => i.pk)).toEqual([S('p2'), S('p1')]);
    const ranked = await tables().query({ table: 't', index: 'byColor', hash: S('red'), range: { op: 'ge', value: N('7') }, limit: 10 });
    expect(ranked.items).toHaveLength(5);
  });

  it('keeps local index entries in the partition, ordered by the index sort key', async () => {
    await seed();
    await put(tables(), 't', NUMBERED,
      { pk: S('a'), n: N('1'), label: S('zebra') },
      { pk: S('a'), n: N('2'), label: S('apple') },
      { pk: S('a'), n: N('3') },
      { pk: S('b'), n: N('1'), label: S('apple') },
    );
    const page = await tables().query({ table: 't', index: 'byLabel', hash: S('a'), limit: 10 });
    expect(values(page.items, 'label')).toEqual(['apple', 'zebra']);
    const prefixed = await tables().query({ table: 't', index: 'byLabel', hash: S('a'), range: { op: 'begins_with', prefix: S('ze') }, limit: 10 });
    expect(values(prefixed.items, 'n')).toEqual(['1']);
  });

  it('fills an added index from existing items and forgets a removed one', async () => {
    await tables().createTable(table('t', NUMBERED));
    await put(tables(), 't', NUMBERED, ...Array.from({ length: 1200 }, (_, i) => ({ pk: S(`p${i % 7}`), n: N(String(i)), color: S(i % 2 ? 'odd' : 'even') })));
    const info = await tables().updateTable('t', { addIndexes: [{ name: 'byColor', global: true, key: { hash: { name: 'color', type: 'S' } } }] });
    expect(info.indexes.map((i) => i.name)).toEqual(['byColor']);
    expect((await colors('odd', { limit: 10_000 })).length).toBe(600);
    await tables().updateTable('t', { removeIndexes: ['byColor'] });
    await expectFlintError(colors('odd'), 'NOT_FOUND');
    await tables().updateTable('t', { addIndexes: [{ name: 'byColor', global: true, key: { hash: { name: 'color', type: 'S' } } }] });
    expect((await colors('even', { limit: 10_000 })).length).toBe(600);
  });
}

function scanConformance(ctx: StorageContext): void {
  const tables = () => ctx.storage.tables;
  const seed = async () => {
    await tables().createTable(table('t', NUMBERED, { indexes: [{ name: 'byColor', global: true, key: { hash: { name: 'color', type: 'S' } } }] }));
    await put(tables(), 't', NUMBERED, ...Array.from({ length: 60 }, (_, i) => ({ pk: S(`p${i % 12}`), n: N(String(i)), color: S(`c${i % 5}`) })));
  };
  const id = (item: Item) => JSON.stringify([item.pk, item.n]);

  it('visits every item once, a partition at a time, across pages', async () => {
    await seed();
    const seen: Item[] = [];
    let startAfter: Item | undefined;
    for (;;) {
      const page = await tables().scan({ table: 't', limit: 7, startAfter });
      seen.push(...page.items);
      if (!page.truncated) break;
      startAfter = page.items[page.items.length - 1];
    }
    expect(new Set(seen.map(id)).size).toBe(60);
    expect(seen).toHaveLength(60);
    const partitions = seen.map((item) => ('S' in item.pk! ? item.pk.S : ''));
    const runs = partitions.filter((p, i) => i === 0 || p !== partitions[i - 1]);
    expect(runs).toHaveLength(12);
  });

  it('splits a table into segments that together hold every item once', async () => {
    await seed();
    const segments = await Promise.all([0, 1, 2, 3].map((segment) => tables().scan({ table: 't', segment, totalSegments: 4, limit: 1000 })));
    const all = segments.flatMap((s) => s.items.map(id));
    expect(all).toHaveLength(60);
    expect(new Set(all).size).toBe(60);
    expect(segments.filter((s) => s.items.length > 0).length).toBeGreaterThan(1);
    await expectFlintError(tables().scan({ table: 't', segment: 4, totalSegments: 4, limit: 10 }), 'INVALID_PARAMETER');
  });

  it('scans an index, paging by index and table key', async () => {
    await seed();
    await put(tables(), 't', NUMBERED, { pk: S('uncolored'), n: N('0') });
    const seen: Item[] = [];
    let startAfter: Item | undefined;
    for (;;) {
      const page = await tables().scan({ table: 't', index: 'byColor', limit: 9, startAfter });
      seen.push(...page.items);
      if (!page.truncated) break;
      startAfter = page.items[page.items.length - 1];
    }
    expect(new Set(seen.map(id)).size).toBe(60);
  });
}

function transactionConformance(ctx: StorageContext): void {
  const tables = () => ctx.storage.tables;

  it('hands the plan the current items and applies all its changes together', async () => {
    await tables().createTable(table('a', HASH_ONLY));
    await tables().createTable(table('b', HASH_ONLY));
    await put(tables(), 'a', HASH_ONLY, { id: S('1'), v: N('1') });
    const result = await tables().write([{ table: 'a', key: { id: S('1') } }, { table: 'b', key: { id: S('2') } }, { table: 'a', key: { id: S('3') } }], (current) => {
      expect(current).toEqual([{ id: S('1'), v: N('1') }, undefined, undefined]);
      return { changes: [{ delete: true }, { put: { id: S('2'), from: S('a') }, size: 5 }, undefined], result: 'done' };
    });
    expect(result).toBe('done');
    expect(await tables().getItems([{ table: 'a', key: { id: S('1') } }, { table: 'b', key: { id: S('2') } }, { table: 'a', key: { id: S('3') } }])).toEqual([undefined, { id: S('2'), from: S('a') }, undefined]);
  });

  it('changes nothing when the plan throws, and passes its error through', async () => {
    await tables().createTable(table('a', HASH_ONLY));
    await put(tables(), 'a', HASH_ONLY, { id: S('1') });
    const failure = new Error('condition failed');
    await expect(tables().write([{ table: 'a', key: { id: S('1') } }], () => {
      throw failure;
    })).rejects.toBe(failure);
    expect(await tables().getItem('a', { id: S('1') })).toEqual({ id: S('1') });
  });

  it('serialises concurrent read-check-writes on one item', async () => {
    await tables().createTable(table('a', HASH_ONLY));
    await put(tables(), 'a', HASH_ONLY, { id: S('counter'), n: N('0') });
    const increment = () => tables().write([{ table: 'a', key: { id: S('counter') } }], ([current]) => {
      const n = Number(current && 'N' in current.n! ? current.n.N : 0) + 1;
      return { changes: [{ put: { id: S('counter'), n: N(String(n)) }, size: 10 }], result: n };
    });
    const results = await Promise.all(Array.from({ length: 50 }, increment));
    expect(new Set(results).size).toBe(50);
    expect(await tables().getItem('a', { id: S('counter') })).toEqual({ id: S('counter'), n: N('50') });
  });
}

function streamConformance(ctx: StorageContext): void {
  const tables = () => ctx.storage.tables;
  const stream = async (name = 't', after?: number) => tables().readStream(name, { limit: 100, after });

  it('appends INSERT, MODIFY and REMOVE records with the images the view type asks for', async () => {
    await tables().createTable(table('t', HASH_ONLY, { stream: { viewType: 'NEW_AND_OLD_IMAGES' } }));
    const label = (await tables().getTable('t'))?.stream?.label;
    expect(label).toBe(new Date(ctx.clock.now()).toISOString().slice(0, 23));
    await put(tables(), 't', HASH_ONLY, { id: S('a'), v: N('1') });
    await ctx.clock.advance(1000);
    await put(tables(), 't', HASH_ONLY, { id: S('a'), v: N('2') });
    await put(tables(), 't', HASH_ONLY, { id: S('a'), v: N('2') });
    await remove(tables(), 't', { id: S('a') });
    await remove(tables(), 't', { id: S('never') });
    const records = await stream();
    expect(records.map((r) => r.eventName)).toEqual(['INSERT', 'MODIFY', 'REMOVE']);
    expect(records[0]).toEqual({
      sequence: expect.any(Number), eventId: expect.any(String), eventName: 'INSERT', streamLabel: label,
      createdAt: ctx.clock.now() - 1000, keys: { id: S('a') }, newImage: { id: S('a'), v: N('1') },
    });
    expect(records[1]).toMatchObject({ oldImage: { id: S('a'), v: N('1') }, newImage: { id: S('a'), v: N('2') }, createdAt: ctx.clock.now() });
    expect(records[2]).toMatchObject({ keys: { id: S('a') }, oldImage: { id: S('a'), v: N('2') } });
    expect(records[2]?.newImage).toBeUndefined();
    expect(records[0]!.sequence).toBeLessThan(records[1]!.sequence);
    expect(new Set(records.map((r) => r.eventId)).size).toBe(3);
    expect((await stream('t', records[0]!.sequence)).map((r) => r.eventName)).toEqual(['MODIFY', 'REMOVE']);
    expect(await tables().readStream('t', { limit: 1 })).toHaveLength(1);
  });

  it('keeps only keys for KEYS_ONLY, and nothing for tables without a stream', async () => {
    await tables().createTable(table('t', NUMBERED, { stream: { viewType: 'KEYS_ONLY' } }));
    await tables().createTable(table('quiet', HASH_ONLY));
    await put(tables(), 't', NUMBERED, { pk: S('p'), n: N('1'), big: S('x') });
    await put(tables(), 'quiet', HASH_ONLY, { id: S('a') });
    const [record] = await stream();
    expect(record?.keys).toEqual({ pk: S('p'), n: N('1') });
    expect(record?.newImage).toBeUndefined();
    expect(await stream('quiet')).toEqual([]);
  });

  it('stops recording when disabled and starts a new stream when enabled again', async () => {
    await tables().createTable(table('t', HASH_ONLY, { stream: { viewType: 'NEW_IMAGE' } }));
    const first = (await tables().getTable('t'))!.stream!;
    await put(tables(), 't', HASH_ONLY, { id: S('a') });
    const disabled = await tables().updateTable('t', { stream: null });
    expect(disabled.stream).toEqual({ ...first, enabled: false });
    await put(tables(), 't', HASH_ONLY, { id: S('b') });
    const enabled = await tables().updateTable('t', { stream: { viewType: 'OLD_IMAGE' } });
    expect(enabled.stream?.label).not.toBe(first.label);
    await put(tables(), 't', HASH_ONLY, { id: S('c') });
    expect((await tables().readStream('t', { label: first.label, limit: 10 })).map((r) => r.keys)).toEqual([{ id: S('a') }]);
    expect((await stream()).map((r) => r.keys)).toEqual([{ id: S('c') }]);
  });

  it('trims records older than a point in time', async () => {
    await tables().createTable(table('t', HASH_ONLY, { stream: { viewType: 'KEYS_ONLY' } }));
    await put(tables(), 't', HASH_ONLY, { id: S('old') });
    await ctx.clock.advance(60_000);
    await put(tables(), 't', HASH_ONLY, { id: S('new') });
    const latest = await tables().latestSequence();
    expect(await tables().trimStreams(ctx.clock.now() - 1000)).toBe(1);
    expect((await stream()).map((r) => r.keys)).toEqual([{ id: S('new') }]);
    expect(await tables().trimStreams(ctx.clock.now() + 1)).toBe(1);
    expect(await tables().latestSequence()).toBe(latest);
    await put(tables(), 't', HASH_ONLY, { id: S('newer') });
    expect((await stream('t', latest)).map((r) => r.keys)).toEqual([{ id: S('newer') }]);
  });
}

function ttlConformance(ctx: StorageContext): void {
  const tables = () => ctx.storage.tables;
  const seconds = () => Math.floor(ctx.clock.now() / 1000);

  it('deletes expired items with their index entries and marks their stream records', async () => {
    await tables().createTable(table('t', HASH_ONLY, {
      indexes: [{ name: 'byColor', global: true, key: { hash: { name: 'color', type: 'S' } } }],
      stream: { viewType: 'OLD_IMAGE' },
    }));
    const now = seconds();
    await put(tables(), 't', HASH_ONLY,
      { id: S('soon'), color: S('red'), expires: N(String(now + 60)) },
      { id: S('later'), color: S('red'), expires: N(String(now + 3600)) },
      { id: S('never'), color: S('red') },
      { id: S('text'), expires: S('not a number') },
    );
    expect(await tables().sweepExpired(now + 120, { limit: 100 })).toBe(0);
    await tables().updateTable('t', { ttlAttribute: 'expires' });
    expect((await tables().getTable('t'))?.ttlAttribute).toBe('expires');
    expect(await tables().sweepExpired(now + 60, { limit: 100 })).toBe(0);
    expect(await tables().sweepExpired(now + 120, { limit: 100 })).toBe(1);
    expect(await tables().getItem('t', { id: S('soon') })).toBeUndefined();
    const red = await tables().query({ table: 't', index: 'byColor', hash: S('red'), limit: 10 });
    expect(red.items.map((i) => i.id)).toEqual(expect.arrayContaining([S('later'), S('never')]));
    expect(red.items).toHaveLength(2);
    const removed = (await tables().readStream('t', { limit: 10 })).filter((r) => r.eventName === 'REMOVE');
    expect(removed).toEqual([expect.objectContaining({ expired: true, keys: { id: S('soon') } })]);

    await put(tables(), 't', HASH_ONLY, { id: S('fresh'), expires: N(String(now + 10)) });
    expect(await tables().sweepExpired(now + 100_000, { limit: 1 })).toBe(1);
    expect(await tables().sweepExpired(now + 100_000, { limit: 10 })).toBe(1);
    expect(await tables().getItem('t', { id: S('never') })).toBeDefined();
  });

  it('leaves items alone once time to live is disabled, and very old timestamps always', async () => {
    await tables().createTable(table('t', HASH_ONLY));
    await tables().updateTable('t', { ttlAttribute: 'ttl' });
    const now = seconds();
    await put(tables(), 't', HASH_ONLY, { id: S('ancient'), ttl: N('1') }, { id: S('recent'), ttl: N(String(now - 10)) });
    expect(await tables().sweepExpired(now, { limit: 10, notBeforeSeconds: now - 86_400 })).toBe(1);
    expect(await tables().getItem('t', { id: S('ancient') })).toBeDefined();
    await tables().updateTable('t', { ttlAttribute: null });
    expect(await tables().sweepExpired(now, { limit: 10 })).toBe(0);
  });
}
