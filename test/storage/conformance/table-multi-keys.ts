import { expect, it } from 'vitest';
import type { AttributeValue, Item, KeySchema, RangeQuery } from '../../../src/storage/index.js';
import type { StorageContext } from './context.js';

const S = (S: string): AttributeValue => ({ S });
const N = (N: string): AttributeValue => ({ N });
const B = (bytes: number[]): AttributeValue => ({ B: Buffer.from(bytes).toString('base64') });

/** A global index whose partition key is (a, b) and whose sort key is (c, d), as DynamoDB allows since 2025. */
const INDEX_KEY: KeySchema = {
  hash: { name: 'a', type: 'S' },
  moreHash: [{ name: 'b', type: 'N' }],
  range: { name: 'c', type: 'B' },
  moreRange: [{ name: 'd', type: 'S' }],
};

/** Sort values chosen to catch a tuple encoding that is not order-preserving: 0x00 and 0xff bytes, prefixes. */
const C_VALUES = [[0x00], [0x00, 0x00], [0x00, 0xff], [0x01], [0xff]];
const D_VALUES = ['a', 'a\u0000', 'a\u0000b', 'ab', 'b'];

export function multiKeyIndexConformance(ctx: StorageContext): void {
  const tables = () => ctx.storage.tables;
  const seed = async () => {
    await tables().createTable({ name: 'm', key: { hash: { name: 'id', type: 'S' } }, indexes: [{ name: 'multi', global: true, key: INDEX_KEY }], settings: {} });
    let i = 0;
    const items: Item[] = [];
    for (const c of C_VALUES) for (const d of D_VALUES) items.push({ id: S(`i${i++}`), a: S('x'), b: N(i % 2 ? '1' : '1.0'), c: B(c), d: S(d) });
    items.push({ id: S('other'), a: S('x'), b: N('2'), c: B([0]), d: S('a') }, { id: S('sparse'), a: S('x'), b: N('1'), c: B([0]) });
    for (const item of items) {
      await tables().write([{ table: 'm', key: { id: item.id! } }], () => ({ changes: [{ put: item, size: 10 }], result: undefined }));
    }
  };
  const read = async (extra: Partial<RangeQuery> = {}) =>
    (await tables().query({ table: 'm', index: 'multi', hash: S('x'), moreHash: [N('1')], limit: 100, ...extra })).items.map((item) => [
      [...Buffer.from((item.c as { B: string }).B, 'base64')],
      (item.d as { S: string }).S,
    ]);
  const expected = C_VALUES.flatMap((c) => D_VALUES.map((d) => [c, d]));

  it('orders a multi-attribute sort key by each attribute in turn, within a multi-attribute partition', async () => {
    await seed();
    expect(await read()).toEqual(expected);
    expect(await read({ descending: true })).toEqual([...expected].reverse());
    const page = await tables().query({ table: 'm', index: 'multi', hash: S('x'), moreHash: [N('1')], limit: 7 });
    const rest = await read({ startAfter: page.items[6] });
    expect(rest).toEqual(expected.slice(7));
  });

  it('bounds the sort key by equal leading values and a condition on the next one', async () => {
    await seed();
    expect(await read({ range: { op: 'gt', value: B([0x00]) } })).toEqual(expected.slice(5));
    expect(await read({ range: { op: 'le', value: B([0x00, 0x00]) } })).toEqual(expected.slice(0, 10));
    expect(await read({ sortPrefix: [B([0x00])] })).toEqual(expected.slice(0, 5));
    expect(await read({ sortPrefix: [B([0x00])], range: { op: 'begins_with', prefix: S('a\u0000') } })).toEqual([[[0x00], 'a\u0000'], [[0x00], 'a\u0000b']]);
    expect(await read({ sortPrefix: [B([0x01])], range: { op: 'lt', value: S('ab') } })).toEqual(expected.slice(15, 18));
    expect(await read({ sortPrefix: [B([0xff])], range: { op: 'between', low: S('a\u0000b'), high: S('b') } })).toEqual(expected.slice(22));
    expect(await read({ range: { op: 'eq', value: B([0x00, 0xff]) } })).toEqual(expected.slice(10, 15));
  });
}
