import { readdir, stat, writeFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/core/index.js';
import { openSqliteStorage, openStorage, type Storage, type StorageOptions } from '../../src/storage/index.js';
import { latestVersion, migrate, migrateModule, versionOf, type Migration } from '../../src/storage/sqlite/migrations.js';
import { OBJECTS_MIGRATIONS } from '../../src/storage/sqlite/objects-schema.js';
import { describeStorageConformance, expectFlintError } from './conformance.js';

describeStorageConformance('sqlite', (dir, clock) => openSqliteStorage({ dir, clock }));

describe('sqlite adapter', () => {
  let dir: string;
  let clock: FakeClock;
  const opened: Storage[] = [];
  const open = async (options: Partial<StorageOptions> = {}) => {
    const storage = await openStorage({ dir, clock, ...options });
    opened.push(storage);
    return storage;
  };

  beforeEach(async () => {
    dir = join(await mkdtemp(join(tmpdir(), 'flint-sqlite-')), 'data', 'nested');
    clock = new FakeClock();
  });
  afterEach(async () => {
    for (const storage of opened.splice(0)) await storage.close();
    await rm(join(dir, '..', '..'), { recursive: true, force: true });
  });

  it('is the default adapter and keeps its database in <dir>/flint.db, in WAL mode', async () => {
    const storage = await open();
    expect(storage.description).toBe(`sqlite ${join(dir, 'flint.db')}`);
    const db = new Database(join(dir, 'flint.db'), { readonly: true });
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(versionOf(db)).toBe(latestVersion());
    } finally {
      db.close();
    }
  });

  it('refuses the postgres adapter for now, and unknown adapters', async () => {
    await expectFlintError(openStorage({ adapter: 'postgres', dir, clock, url: 'postgres://x' }), 'INVALID_PARAMETER');
    await expectFlintError(openStorage({ adapter: 'mysql' as 'sqlite', dir, clock }), 'INVALID_PARAMETER');
  });

  it('refuses a database written by a newer Flint', async () => {
    await (await open()).close();
    const db = new Database(join(dir, 'flint.db'));
    db.pragma(`user_version = ${latestVersion() + 1}`);
    db.close();
    await expectFlintError(open(), 'STORAGE_FAILED');
  });

  it('fails with STORAGE_FAILED when the data directory cannot be created', async () => {
    await mkdir(join(dir, '..'), { recursive: true });
    await writeFile(dir, 'not a directory');
    await expectFlintError(open(), 'STORAGE_FAILED');
  });

  it('stores blobs as <dir>/blobs/<two hex>/<sha256> and leaves no temp files', async () => {
    const storage = await open();
    const { sha256 } = await storage.blobs.put(new TextEncoder().encode('package'));
    const shard = join(dir, 'blobs', sha256.slice(0, 2));
    expect(await readdir(shard)).toEqual([sha256]);
    const before = await stat(join(shard, sha256));
    await clock.advance(1000);
    await storage.blobs.put(new TextEncoder().encode('package'));
    const after = await stat(join(shard, sha256));
    expect([after.ino, after.mtimeMs]).toEqual([before.ino, before.mtimeMs]);
  });

  it('does not mistake a partial write left by a crash for a blob', async () => {
    const storage = await open();
    const data = new TextEncoder().encode('complete package');
    const { sha256 } = await storage.blobs.put(data);
    await storage.blobs.delete(sha256);
    await writeFile(join(dir, 'blobs', sha256.slice(0, 2), '.tmp-crashed'), data.subarray(0, 4));
    expect(await storage.blobs.has(sha256)).toBe(false);
    await storage.blobs.put(data);
    expect(new TextDecoder().decode(await storage.blobs.get(sha256))).toBe('complete package');
  });

  it('lets two storages on one directory share data without double claims', async () => {
    const first = await open();
    const second = await open();
    const ids = await first.queues.enqueue('q', Array.from({ length: 50 }, (_, i) => ({ body: String(i) })));
    await second.metadata.put('c', 'k', 'from second');
    const claims = await Promise.all([first, second, first, second].map((s) => s.queues.claim('q', { max: 20, leaseMs: 1000 })));
    const claimed = claims.flat().map((l) => l.item.id);
    expect(claimed.sort()).toEqual([...ids].sort());
    expect((await first.metadata.get('c', 'k'))?.value).toBe('from second');
    expect(await first.metadata.nextSequence('s')).toBe(1);
    expect(await second.metadata.nextSequence('s')).toBe(2);
  });
});

describe('sqlite migrations', () => {
  let db: Database.Database;
  beforeEach(() => {
    db = new Database(':memory:');
  });
  afterEach(() => db.close());

  const createTable = (name: string): Migration['up'] => `CREATE TABLE ${name} (x INTEGER)`;
  const tables = () => (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all() as string[]);

  it('applies pending migrations in version order, each once', () => {
    const migrations: Migration[] = [
      { version: 2, name: 'second', up: (d) => d.exec('INSERT INTO one VALUES (2)') },
      { version: 1, name: 'first', up: createTable('one') },
    ];
    expect(migrate(db, migrations)).toBe(2);
    expect(migrate(db, migrations)).toBe(2);
    expect(db.prepare('SELECT x FROM one').pluck().all()).toEqual([2]);
    expect(migrate(db, [...migrations, { version: 3, name: 'third', up: createTable('three') }])).toBe(3);
    expect(tables()).toEqual(['one', 'three']);
  });

  it('rolls back a failing migration and keeps the version before it', () => {
    const failing: Migration[] = [
      { version: 1, name: 'ok', up: createTable('one') },
      { version: 2, name: 'broken', up: 'CREATE TABLE two (x INTEGER); INSERT INTO nowhere VALUES (1)' },
    ];
    expect(() => migrate(db, failing)).toThrow();
    expect(versionOf(db)).toBe(1);
    expect(tables()).toEqual(['one']);
  });
});

describe('sqlite objects schema upgrade', () => {
  it('reads objects written before versions existed as null versions, and versions them once enabled', async () => {
    const root = await mkdtemp(join(tmpdir(), 'flint-objects-upgrade-'));
    const clock = new FakeClock();
    try {
      // A database as the objects store left it at its schema version 2: one bucket, one inline object.
      const db = new Database(join(root, 'flint.db'));
      migrate(db);
      migrateModule(db, 'objects', OBJECTS_MIGRATIONS.filter((m) => m.version <= 2));
      db.prepare("INSERT INTO object_buckets (name, region, created_at) VALUES ('b', 'us-east-1', 1)").run();
      db.prepare('INSERT INTO object_inline (id, data) VALUES (7, ?)').run(Buffer.from('old'));
      db.prepare(
        "INSERT INTO object_entries (bucket, key, size, etag, last_modified, attributes, body) VALUES ('b', 'k', 3, 'e-old', 1000, '{\"metadata\":{}}', 'i7')",
      ).run();
      db.prepare('UPDATE object_sequence SET value = 7').run();
      db.close();

      const storage = await openSqliteStorage({ dir: root, clock });
      try {
        const old = await storage.objects.getObject('b', 'k');
        expect(old).toMatchObject({ key: 'k', etag: 'e-old', size: 3 });
        expect(old?.versionId).toBeUndefined();
        expect((await storage.objects.readBody(old!))?.toString()).toBe('old');
        expect((await storage.objects.listVersions('b', { limit: 10 })).versions).toMatchObject([{ key: 'k', isLatest: true, deleteMarker: false }]);
        await storage.objects.setBucketVersioning('b', 'Enabled');
        const body = await storage.objects.writeBody((async function* () {
          yield Buffer.from('new');
        })());
        await storage.objects.putObject({ bucket: 'b', key: 'k', body, etag: 'e-new', attributes: { metadata: {} } });
        const versions = (await storage.objects.listVersions('b', { limit: 10 })).versions;
        expect(versions.map((v) => [v.etag, v.versionId === undefined, v.isLatest])).toEqual([
          ['e-new', false, true],
          ['e-old', true, false],
        ]);
        expect((await storage.objects.readBody((await storage.objects.getVersion('b', 'k', 'null'))!))?.toString()).toBe('old');
      } finally {
        await storage.close();
      }
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
