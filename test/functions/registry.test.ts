import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock, isFlintError } from '../../src/core/index.js';
import {
  createZip,
  FunctionRegistry,
  sha256Hex,
  type CreateFunctionInput,
  type RegistryEvent,
} from '../../src/functions/index.js';
import { openSqliteStorage, type Storage } from '../../src/storage/index.js';
import { runHandler, tempDirs, writeTree } from './helpers.js';

const REGION = 'us-east-1';
const ACCOUNT = '123456789012';
const ARN = `arn:aws:lambda:${REGION}:${ACCOUNT}:function`;

const dirs = tempDirs();
let clock: FakeClock;
let storage: Storage;
let dataDir: string;
let randoms: number[];
let registry: FunctionRegistry;
let blobReads: number;

function code(body: string): Uint8Array {
  return createZip([{ path: 'index.js', data: new TextEncoder().encode(body), mode: 0o644 }]);
}

function input(overrides: Partial<CreateFunctionInput> = {}): CreateFunctionInput {
  return { name: 'hello', runtime: 'nodejs20.x', handler: 'index.handler', zip: code('exports.handler = async () => 1;'), ...overrides };
}

/** Wraps the real storage to count blob reads (the adapter's methods are bound explicitly, not spread). */
function countingStorage(real: Storage): Storage {
  return {
    metadata: real.metadata,
    logs: real.logs,
    queues: real.queues,
    tables: real.tables,
    objects: real.objects,
    messages: real.messages,
    description: real.description,
    close: () => real.close(),
    blobs: {
      put: (data) => real.blobs.put(data),
      has: (sha) => real.blobs.has(sha),
      delete: (sha) => real.blobs.delete(sha),
      get: (sha) => {
        blobReads++;
        return real.blobs.get(sha);
      },
    },
  };
}

function makeRegistry(): FunctionRegistry {
  const random = (): number => randoms.shift() ?? 0.99;
  return new FunctionRegistry({ storage: countingStorage(storage), clock, dataDir, region: REGION, accountId: ACCOUNT, random });
}

async function failure(promise: Promise<unknown>): Promise<Error & { code: string; details: Record<string, unknown> }> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isFlintError(error)) throw new Error(`expected a FlintError, got ${String(error)}`);
  return error as Error & { code: string; details: Record<string, unknown> };
}

beforeEach(async () => {
  clock = new FakeClock();
  dataDir = await dirs.make('flint-registry-');
  storage = await openSqliteStorage({ dir: join(dataDir, 'state'), clock });
  randoms = [];
  blobReads = 0;
  registry = makeRegistry();
});

afterEach(async () => {
  await storage.close();
  await dirs.cleanup();
});

describe('creating and reading functions', () => {
  it("stores $LATEST with Lambda's defaults and the code's hash", async () => {
    const zip = code('exports.handler = async () => "hi";');
    const config = await registry.create(input({ zip, environment: { STAGE: 'dev' } }));

    expect(config).toEqual({
      name: 'hello',
      runtime: 'nodejs20.x',
      handler: 'index.handler',
      memorySize: 128,
      timeout: 3,
      ephemeralStorage: 512,
      environment: { STAGE: 'dev' },
      description: '',
      role: `arn:aws:iam::${ACCOUNT}:role/service-role/hello-role`,
      codeSha256: sha256Hex(zip),
      codeSize: zip.length,
      lastModified: clock.now(),
      revisionId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      version: '$LATEST',
    });
    expect(Buffer.from(await registry.codeZip(config.codeSha256)).equals(Buffer.from(zip))).toBe(true);
  });

  it('accepts names, partial ARNs and full ARNs wherever a function is named', async () => {
    await registry.create(input());
    const forms = ['hello', `${ACCOUNT}:function:hello`, `${ARN}:hello`, `${ARN}:hello:$LATEST`, 'hello:$LATEST'];

    for (const form of forms) expect((await registry.get(form)).name).toBe('hello');
    await registry.updateConfiguration(`${ARN}:hello`, { timeout: 10 });
    expect((await registry.get(`${ACCOUNT}:function:hello`)).timeout).toBe(10);
  });

  it('refuses a second function with the same name', async () => {
    await registry.create(input());
    const error = await failure(registry.create(input()));

    expect(error.code).toBe('FUNCTION_EXISTS');
    expect(error.message).toBe('Function already exist: hello');
  });

  it("reports missing functions and versions with the ARN Lambda's message names", async () => {
    await registry.create(input());

    const missing = await failure(registry.get('nope'));
    expect(missing.code).toBe('FUNCTION_NOT_FOUND');
    expect(missing.message).toBe(`Function not found: ${ARN}:nope`);
    expect(missing.details.resource).toBe(`${ARN}:nope`);
    expect((await failure(registry.get('hello', '7'))).message).toBe(`Function not found: ${ARN}:hello:7`);
    expect((await failure(registry.get('hello', 'live'))).message).toBe(`Function not found: ${ARN}:hello:live`);
  });

  it('validates names, ranges, runtimes and environment as Lambda does', async () => {
    const cases: [Partial<CreateFunctionInput>, string][] = [
      [{ name: 'bad name!' }, "Value 'bad name!' at 'functionName' failed to satisfy constraint"],
      [{ name: 'x'.repeat(65) }, 'Member must have length less than or equal to 64'],
      [{ memorySize: 64 }, "1 validation error detected: Value '64' at 'memorySize' failed to satisfy constraint: Member must have value greater than or equal to 128"],
      [{ memorySize: 10241 }, 'Member must have value less than or equal to 10240'],
      [{ timeout: 901 }, "Value '901' at 'timeout' failed to satisfy constraint: Member must have value less than or equal to 900"],
      [{ ephemeralStorage: 100 }, "at 'ephemeralStorage.size'"],
      [{ runtime: 'nodejs4.3' }, "Value nodejs4.3 at 'runtime' failed to satisfy constraint"],
      [{ environment: { AWS_REGION: 'x' } }, 'Reserved keys used in this request: AWS_REGION'],
      [{ environment: { BIG: 'x'.repeat(5000) } }, 'exceeded the 4KB limit'],
      [{ environment: { A: 'single letter keys are refused' } }, "Value at 'environment.variables' failed to satisfy constraint"],
      [{ environment: { 'MY-VAR': 'x' } }, 'Map keys must satisfy constraint'],
      [{ handler: '' }, 'A handler is required'],
      [{ name: `${ARN}:hello:1` }, 'Aliases and versions do not support this operation'],
    ];
    for (const [overrides, message] of cases) {
      const error = await failure(registry.create(input(overrides)));
      expect(error.code).toBe('INVALID_PARAMETER');
      expect(error.message).toContain(message);
    }
    expect((await registry.list()).items).toEqual([]);
  });

  it("rejects a corrupt zip with Lambda's message and creates nothing", async () => {
    const error = await failure(registry.create(input({ zip: new TextEncoder().encode('not a zip') })));

    expect(error.code).toBe('CODE_INVALID');
    expect(error.message).toBe('Could not unzip uploaded file. Please check your file, then try to upload again.');
    expect(isFlintError(await failure(registry.get('hello')), 'FUNCTION_NOT_FOUND')).toBe(true);
  });

  it('lets custom runtimes go without a handler', async () => {
    const config = await registry.create(input({ runtime: 'provided.al2023', handler: undefined }));
    expect(config.handler).toBe('');
  });
});

describe('updating code and configuration', () => {
  it('changes the revision id and time on every update and refuses stale revision ids', async () => {
    const created = await registry.create(input());
    await clock.advance(1000);
    const newCode = code('exports.handler = async () => 2;');
    const updated = await registry.updateCode('hello', newCode, { revisionId: created.revisionId });

    expect(updated.codeSha256).toBe(sha256Hex(newCode));
    expect(updated.revisionId).not.toBe(created.revisionId);
    expect(updated.lastModified).toBe(created.lastModified + 1000);

    const stale = await failure(registry.updateConfiguration('hello', { timeout: 5 }, { revisionId: created.revisionId }));
    expect(stale.code).toBe('PRECONDITION_FAILED');
    expect(stale.message).toContain('The Revision Id provided does not match the latest Revision Id');
    const staleCode = await failure(registry.updateCode('hello', newCode, { revisionId: created.revisionId }));
    expect(staleCode.code).toBe('PRECONDITION_FAILED');
  });

  it('replaces only the fields given, the environment as a whole', async () => {
    await registry.create(input({ memorySize: 256, environment: { AA: '1', BB: '2' } }));
    const updated = await registry.updateConfiguration('hello', { timeout: 30, environment: { CC: '3' }, description: 'api' });

    expect(updated).toMatchObject({ memorySize: 256, timeout: 30, environment: { CC: '3' }, description: 'api', handler: 'index.handler' });
    expect(await registry.get('hello')).toEqual(updated);
    expect((await failure(registry.updateConfiguration('hello', { memorySize: 1 }))).code).toBe('INVALID_PARAMETER');
    expect((await failure(registry.updateConfiguration('nope', { timeout: 5 }))).code).toBe('FUNCTION_NOT_FOUND');
  });
});

describe('publishing versions', () => {
  it('numbers immutable snapshots and returns the last one when nothing changed', async () => {
    await registry.create(input({ environment: { VV: 'one' } }));
    const v1 = await registry.publishVersion('hello', { description: 'first' });
    const again = await registry.publishVersion('hello');

    expect(v1).toMatchObject({ version: '1', description: 'first', environment: { VV: 'one' } });
    expect(again).toEqual(v1);

    await registry.updateConfiguration('hello', { environment: { VV: 'two' } });
    const v2 = await registry.publishVersion('hello');

    expect(v2).toMatchObject({ version: '2', environment: { VV: 'two' }, description: '' });
    expect(await registry.get('hello', '1')).toEqual(v1);
    expect((await registry.listVersions('hello')).items.map((c) => c.version)).toEqual(['$LATEST', '1', '2']);
  });

  it('publishes from create and updateCode when asked', async () => {
    const created = await registry.create(input({ publish: true }));
    const updated = await registry.updateCode('hello', code('exports.handler = async () => 3;'), { publish: true });

    expect([created.version, updated.version]).toEqual(['1', '2']);
    expect(updated.codeSha256).toBe((await registry.get('hello')).codeSha256);
  });

  it('checks the expected code hash and revision id', async () => {
    const latest = await registry.create(input());
    const wrongSha = await failure(registry.publishVersion('hello', { codeSha256: 'ab'.repeat(32) }));

    expect(wrongSha.code).toBe('INVALID_PARAMETER');
    expect(wrongSha.message).toContain(`is different from current CodeSHA256 in $LATEST (${latest.codeSha256})`);
    expect((await failure(registry.publishVersion('hello', { revisionId: 'stale' }))).code).toBe('PRECONDITION_FAILED');
    expect((await registry.publishVersion('hello', { codeSha256: latest.codeSha256, revisionId: latest.revisionId })).version).toBe('1');
  });
});

describe('aliases', () => {
  async function twoVersions(): Promise<void> {
    await registry.create(input({ description: 'one' }));
    await registry.publishVersion('hello');
    await registry.updateConfiguration('hello', { description: 'two' });
    await registry.publishVersion('hello');
  }

  it('routes the additional version its weight of calls, using the injected random numbers', async () => {
    await twoVersions();
    const alias = await registry.createAlias('hello', { name: 'live', functionVersion: '1', routingConfig: { additionalVersionWeights: { '2': 0.25 } } });
    randoms = [0.1, 0.5, 0.2499, 0.25];
    const versions: string[] = [];
    for (let i = 0; i < 4; i++) versions.push((await registry.resolve('hello', 'live')).version);

    expect(alias).toMatchObject({ name: 'live', functionName: 'hello', functionVersion: '1', description: '' });
    expect(versions).toEqual(['2', '1', '2', '1']);
    const target = await registry.resolve(`${ARN}:hello:live`);
    expect(target).toMatchObject({ functionName: 'hello', qualifier: 'live', arn: `${ARN}:hello:live` });
    expect((await registry.get('hello', 'live')).version).toBe('1');
  });

  it('updates with revision checks, and removes routing when asked', async () => {
    await twoVersions();
    const created = await registry.createAlias('hello', { name: 'live', functionVersion: '1', routingConfig: { additionalVersionWeights: { '2': 0.5 } } });

    const stale = await failure(registry.updateAlias('hello', 'live', { functionVersion: '2', revisionId: 'nope' }));
    expect(stale.code).toBe('PRECONDITION_FAILED');
    const moved = await registry.updateAlias('hello', 'live', { description: 'prod', revisionId: created.revisionId });
    expect(moved).toMatchObject({ functionVersion: '1', description: 'prod', routingConfig: { additionalVersionWeights: { '2': 0.5 } } });
    expect(moved.revisionId).not.toBe(created.revisionId);
    const plain = await registry.updateAlias('hello', 'live', { functionVersion: '2', routingConfig: null });
    expect(plain.routingConfig).toBeUndefined();
    expect(await registry.getAlias('hello', 'live')).toEqual(plain);
    expect((await registry.resolve('hello', 'live')).version).toBe('2');
  });

  it('refuses routing Lambda refuses', async () => {
    await twoVersions();
    const bad: [Parameters<FunctionRegistry['createAlias']>[1], string, string][] = [
      [{ name: 'a', functionVersion: '$LATEST', routingConfig: { additionalVersionWeights: { '1': 0.5 } } }, 'INVALID_PARAMETER', '$LATEST is not supported'],
      [{ name: 'a', functionVersion: '1', routingConfig: { additionalVersionWeights: { '2': 1.5 } } }, 'INVALID_PARAMETER', 'less than or equal to 1.0'],
      [{ name: 'a', functionVersion: '1', routingConfig: { additionalVersionWeights: { '1': 0.5 } } }, 'INVALID_PARAMETER', 'already included'],
      [{ name: 'a', functionVersion: '1', routingConfig: { additionalVersionWeights: { '2': 0.1, '3': 0.1 } } }, 'INVALID_PARAMETER', 'cannot be greater than 1'],
      [{ name: 'a', functionVersion: '1', routingConfig: { additionalVersionWeights: { '9': 0.5 } } }, 'FUNCTION_NOT_FOUND', `${ARN}:hello:9`],
      [{ name: 'a', functionVersion: '5' }, 'FUNCTION_NOT_FOUND', `Function not found: ${ARN}:hello:5`],
      [{ name: '42', functionVersion: '1' }, 'INVALID_PARAMETER', "at 'name'"],
    ];
    for (const [aliasInput, code, message] of bad) {
      const error = await failure(registry.createAlias('hello', aliasInput));
      expect([error.code, error.message]).toEqual([code, expect.stringContaining(message)]);
    }
    await registry.createAlias('hello', { name: 'live', functionVersion: '1' });
    const exists = await failure(registry.createAlias('hello', { name: 'live', functionVersion: '2' }));
    expect([exists.code, exists.message]).toEqual(['ALIAS_EXISTS', `Alias already exists: ${ARN}:hello:live`]);
    expect((await failure(registry.getAlias('hello', 'nope'))).message).toBe(`Cannot find alias arn: ${ARN}:hello:nope`);
  });

  it('lists aliases by name, filtered by version and paged', async () => {
    await twoVersions();
    for (const [name, version] of [['c', '2'], ['a', '1'], ['b', '1']] as const) {
      await registry.createAlias('hello', { name, functionVersion: version });
    }
    const first = await registry.listAliases('hello', { maxItems: 2 });
    const second = await registry.listAliases('hello', { maxItems: 2, marker: first.nextMarker });

    expect(first.items.map((a) => a.name)).toEqual(['a', 'b']);
    expect(second).toEqual({ items: [expect.objectContaining({ name: 'c' })] });
    expect((await registry.listAliases('hello', { functionVersion: '1' })).items.map((a) => a.name)).toEqual(['a', 'b']);
  });
});

describe('deleting', () => {
  it('refuses to delete a version an alias routes to, then deletes it once the alias is gone', async () => {
    await registry.create(input());
    await registry.publishVersion('hello');
    await registry.updateConfiguration('hello', { timeout: 9 });
    await registry.publishVersion('hello');
    await registry.createAlias('hello', { name: 'live', functionVersion: '2' });
    await registry.createAlias('hello', { name: 'canary', functionVersion: '2', routingConfig: { additionalVersionWeights: { '1': 0.1 } } });

    const conflict = await failure(registry.delete('hello', '1'));
    expect([conflict.code, conflict.message]).toEqual(['RESOURCE_CONFLICT', 'Unable to delete version because the following aliases reference it: [canary]']);
    await registry.deleteAlias('hello', 'canary');
    await registry.delete(`${ARN}:hello:1`);
    await registry.delete('hello', '77');

    expect((await registry.listVersions('hello')).items.map((c) => c.version)).toEqual(['$LATEST', '2']);
    expect((await failure(registry.delete('hello', '$LATEST'))).code).toBe('INVALID_PARAMETER');
    expect((await failure(registry.delete('hello', 'live'))).code).toBe('INVALID_PARAMETER');
  });

  it('deletes a function with its versions, aliases and reservation; a new one numbers from 1 again', async () => {
    await registry.create(input({ publish: true }));
    await registry.createAlias('hello', { name: 'live', functionVersion: '1' });
    await registry.putReservedConcurrency('hello', 5);
    await registry.delete('hello');

    expect((await failure(registry.get('hello'))).code).toBe('FUNCTION_NOT_FOUND');
    expect((await failure(registry.resolve('hello', 'live'))).code).toBe('FUNCTION_NOT_FOUND');
    expect((await failure(registry.delete('hello'))).message).toBe(`Function not found: ${ARN}:hello`);
    expect(await registry.unreservedConcurrency()).toBe(1000);

    await registry.create(input());
    expect((await registry.publishVersion('hello')).version).toBe('1');
    expect((await registry.listAliases('hello')).items).toEqual([]);
  });
});

describe('listing', () => {
  it('pages through functions, and through every version with allVersions', async () => {
    for (const name of ['delta', 'alpha', 'charlie', 'bravo', 'alpha-2']) await registry.create(input({ name }));
    await registry.publishVersion('alpha');
    await registry.publishVersion('bravo');

    const names: string[] = [];
    let marker: string | undefined;
    do {
      const page = await registry.list({ maxItems: 2, marker });
      names.push(...page.items.map((c) => c.name));
      marker = page.nextMarker;
    } while (marker);
    expect(names).toEqual(['alpha', 'alpha-2', 'bravo', 'charlie', 'delta']);

    const all: string[] = [];
    marker = undefined;
    do {
      const page = await registry.list({ allVersions: true, maxItems: 3, marker });
      all.push(...page.items.map((c) => `${c.name}:${c.version}`));
      marker = page.nextMarker;
    } while (marker);
    expect(all).toEqual(['alpha:$LATEST', 'alpha:1', 'alpha-2:$LATEST', 'bravo:$LATEST', 'bravo:1', 'charlie:$LATEST', 'delta:$LATEST']);
    expect((await failure(registry.list({ maxItems: 0 }))).code).toBe('INVALID_PARAMETER');
  });
});

describe('resolving invocation targets', () => {
  it('names the invoked ARN as given and changes its key whenever what it serves changes', async () => {
    await registry.create(input());
    const plain = await registry.resolve('hello');
    const latest = await registry.resolve('hello', '$LATEST');

    expect(plain).toMatchObject({ functionName: 'hello', version: '$LATEST', qualifier: '$LATEST', arn: `${ARN}:hello` });
    expect(plain.key).toBe(`hello:$LATEST:${plain.config.revisionId}`);
    expect(latest.arn).toBe(`${ARN}:hello:$LATEST`);

    await registry.updateConfiguration('hello', { timeout: 10 });
    const afterConfig = await registry.resolve('hello');
    await registry.updateCode('hello', code('exports.handler = async () => 2;'));
    const afterCode = await registry.resolve(`${ACCOUNT}:function:hello`);
    expect(new Set([plain.key, afterConfig.key, afterCode.key]).size).toBe(3);

    const v1 = await registry.publishVersion('hello');
    await registry.updateConfiguration('hello', { timeout: 20 });
    const pinned = await registry.resolve('hello:1');
    expect(pinned).toMatchObject({ version: '1', qualifier: '1', arn: `${ARN}:hello:1`, key: `hello:1:${v1.revisionId}` });
    expect(pinned.config.timeout).toBe(10);
  });

  it('refuses a qualifier that contradicts the one in the ARN', async () => {
    await registry.create(input());
    const error = await failure(registry.resolve(`${ARN}:hello:1`, '2'));
    expect([error.code, error.message]).toEqual(['INVALID_PARAMETER', 'The derived qualifier from the function name does not match the specified qualifier.']);
  });
});

describe('change events', () => {
  it('tells listeners about updates and deletions until they unsubscribe', async () => {
    const events: RegistryEvent[] = [];
    const unsubscribe = registry.onChange((event) => events.push(event));
    await registry.create(input({ publish: true }));
    await registry.updateCode('hello', code('exports.handler = async () => 2;'));
    await registry.updateConfiguration('hello', { timeout: 4 });
    await registry.publishVersion('hello');
    await registry.createAlias('hello', { name: 'live', functionVersion: '1' });
    await registry.updateAlias('hello', 'live', { functionVersion: '2' });
    await registry.putReservedConcurrency('hello', 3);
    await registry.delete('hello', '1');
    await registry.delete('hello');
    unsubscribe();
    await registry.create(input());

    expect(events).toEqual([
      { type: 'updated', functionName: 'hello', version: '$LATEST' },
      { type: 'updated', functionName: 'hello', version: '$LATEST' },
      { type: 'updated', functionName: 'hello', version: 'live' },
      { type: 'concurrency', functionName: 'hello', version: '$LATEST' },
      { type: 'deleted', functionName: 'hello', version: '1' },
      { type: 'deleted', functionName: 'hello', version: 'live' },
      { type: 'deleted', functionName: 'hello', version: '2' },
      { type: 'concurrency', functionName: 'hello', version: '$LATEST' },
      { type: 'deleted', functionName: 'hello', version: '$LATEST' },
    ]);
  });
});

describe('deploying from a manifest', () => {
  it('creates, then does nothing when nothing changed, then updates', async () => {
    const events: RegistryEvent[] = [];
    registry.onChange((event) => events.push(event));
    const first = await registry.deploy({ ...input({ app: 'shop', environment: { AA: '1' } }), reservedConcurrency: 10 });
    const same = await registry.deploy({ ...input({ app: 'shop', environment: { AA: '1' } }), reservedConcurrency: 10 });

    expect(first.changed).toBe(true);
    expect(same).toEqual({ config: first.config, changed: false });
    expect(events).toEqual([{ type: 'concurrency', functionName: 'hello', version: '$LATEST' }]);

    const changed = await registry.deploy(input({ app: 'shop', environment: { AA: '2' } }));
    expect(changed.changed).toBe(true);
    expect(changed.config).toMatchObject({ app: 'shop', environment: { AA: '2' } });
    expect(changed.config.revisionId).not.toBe(first.config.revisionId);
    expect(await registry.getReservedConcurrency('hello')).toBeUndefined();
  });

  it('refuses a reservation that does not fit before changing anything', async () => {
    const first = await registry.deploy(input({ app: 'shop' }));
    const error = await failure(registry.deploy({ ...input({ app: 'shop', timeout: 60 }), reservedConcurrency: 950 }));

    expect(error.code).toBe('INVALID_PARAMETER');
    expect(await registry.get('hello')).toEqual(first.config);
  });

  it("does not take over another app's function", async () => {
    await registry.deploy(input({ app: 'shop' }));
    const error = await failure(registry.deploy(input({ app: 'blog' })));

    expect(error.code).toBe('FUNCTION_EXISTS');
    expect(error.message).toContain("belongs to app 'shop'");
  });
});

describe('reserved concurrency', () => {
  it('sets, reads and removes a reservation, keeping 100 unreserved', async () => {
    await registry.create(input());
    await registry.create(input({ name: 'other' }));

    expect(await registry.getReservedConcurrency('hello')).toBeUndefined();
    expect(await registry.putReservedConcurrency('hello', 850)).toBe(850);
    expect(await registry.getReservedConcurrency(`${ARN}:hello`)).toBe(850);
    expect(await registry.unreservedConcurrency()).toBe(150);

    const tooMuch = await failure(registry.putReservedConcurrency('other', 51));
    expect(tooMuch.message).toContain('below its minimum value of [100]');
    expect(await registry.putReservedConcurrency('hello', 900)).toBe(900);
    expect((await failure(registry.putReservedConcurrency('hello:1', 1))).code).toBe('INVALID_PARAMETER');
    expect((await failure(registry.putReservedConcurrency('hello', -1))).code).toBe('INVALID_PARAMETER');
    expect((await failure(registry.putReservedConcurrency('ghost', 1))).code).toBe('FUNCTION_NOT_FOUND');

    await registry.deleteReservedConcurrency('hello');
    expect(await registry.getReservedConcurrency('hello')).toBeUndefined();
  });
});

describe('code on disk', () => {
  it('extracts a package once, even for concurrent callers, and reuses it after a restart', async () => {
    const zip = createZip([
      { path: 'index.js', data: new TextEncoder().encode('exports.handler = async () => "ran";'), mode: 0o644 },
      { path: 'bin/tool', data: new TextEncoder().encode('#!/bin/sh'), mode: 0o755 },
    ]);
    const { codeSha256 } = await registry.create(input({ zip }));
    const dirsSeen = await Promise.all([registry.codeDir(codeSha256), registry.codeDir(codeSha256), registry.codeDir(codeSha256)]);

    expect(new Set(dirsSeen)).toEqual(new Set([join(dataDir, 'code', codeSha256)]));
    expect(blobReads).toBe(1);
    expect((await stat(join(dirsSeen[0] ?? '', 'bin/tool'))).mode & 0o777).toBe(0o755);

    const restarted = makeRegistry();
    expect(await restarted.codeDir(codeSha256)).toBe(dirsSeen[0]);
    expect(blobReads).toBe(1);
  });

  it('runs CommonJS code even when the data folder sits inside an ES module project', async () => {
    const project = await writeTree(await dirs.make(), { 'package.json': JSON.stringify({ type: 'module' }) });
    const inner = new FunctionRegistry({ storage, clock, dataDir: join(project, '.flint'), region: REGION, accountId: ACCOUNT });
    const { codeSha256 } = await inner.create(input({ zip: code('exports.handler = async (e) => ({ echo: e.n });') }));
    const dir = await inner.codeDir(codeSha256);

    expect(await readFile(join(project, '.flint', 'code', 'package.json'), 'utf8')).toBe('{}\n');
    expect(await runHandler(dir, 'index.js', { n: 7 })).toEqual({ result: { echo: 7 } });
  });

  it('rejects addresses that are not SHA-256 digests', async () => {
    expect((await failure(registry.codeDir('../../etc'))).code).toBe('INVALID_PARAMETER');
    expect((await failure(registry.codeZip('ab'.repeat(32)))).code).toBe('CODE_INVALID');
  });
});
