import { posix } from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createZip } from '../../src/functions/index.js';
import { loadModel } from '../../src/protocol/index.js';
import { ERROR_TYPES, FRAMEWORK_ERRORS } from '../../src/services/lambda/index.js';
import { startTestNode, type TestNode } from '../helpers/node.js';
import { checkProperty, expectServiceAnswer, mutatedBytes, printStats } from './fuzz.js';
import { serviceCodes } from './service-fuzz.js';
import { hostileZip, type HostileEntry } from './zip-builder.js';

const HANDLER = Buffer.from('exports.handler = async () => "ok";\n');
const ROLE = 'arn:aws:iam::000000000000:role/fuzz';

/** Names an archive may hold: ordinary ones and those that try to leave the package folder. */
const entryName = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('index.js', 'lib/a.js', 'bootstrap', 'dir/', 'node_modules/x/index.js') },
  { weight: 2, arbitrary: fc.constantFrom('../evil.js', '../../../../tmp/evil', '/etc/passwd', 'a/../../b', 'C:/x', 'a\\..\\..\\b', 'nul\0byte', './././x', '', '.', '..', 'a//b') },
  { weight: 1, arbitrary: fc.string({ maxLength: 20 }) },
);

const entry: fc.Arbitrary<HostileEntry> = fc.record({
  name: entryName,
  data: fc.oneof(fc.constant(HANDLER), fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b)), fc.constantFrom(Buffer.from('../../../../etc'), Buffer.from('/etc/passwd'), Buffer.from('index.js'))),
  kind: fc.constantFrom('file' as const, 'file' as const, 'directory' as const, 'symlink' as const),
  deflate: fc.boolean(),
  declaredSize: fc.oneof({ weight: 12, arbitrary: fc.constant(undefined) }, { weight: 2, arbitrary: fc.nat(100) }, { weight: 1, arbitrary: fc.constantFrom(0xffffffff, 0xfffffffe, 262_144_001) }),
  crc: fc.oneof({ weight: 12, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 0xffffffff }) }),
});

/** A symlink whose target leaves the package folder (absolute, or up past its root); a name ending in / is a folder. */
function linkEscapes(entry: HostileEntry): boolean {
  const target = entry.data.toString('utf8');
  const resolved = posix.normalize(posix.join(posix.dirname(entry.name.replaceAll('\\', '/')), target));
  return target.startsWith('/') || resolved === '..' || resolved.startsWith('../');
}

describe('fuzz: zip packages (Lambda CreateFunction)', () => {
  let test: TestNode;
  let n = 0;
  const codes = serviceCodes({ model: loadModel('lambda'), wire: 'rest-json', signingName: 'lambda', format: 'json', extraCodes: [...ERROR_TYPES, ...Object.keys(FRAMEWORK_ERRORS)] });
  const create = async (zip: Buffer) => {
    const response = await test.node.request({
      method: 'POST',
      path: '/2015-03-31/functions',
      headers: { 'content-type': 'application/json', authorization: 'AWS4-HMAC-SHA256 Credential=AKIAFUZZ/20261207/us-east-1/lambda/aws4_request, SignedHeaders=host, Signature=00' },
      body: JSON.stringify({ FunctionName: `fuzz-${++n}`, Runtime: 'nodejs20.x', Role: ROLE, Handler: 'index.handler', Code: { ZipFile: zip.toString('base64') } }),
    });
    expectServiceAnswer(response, 'json', codes, `zip of ${zip.length} bytes: ${zip.subarray(0, 200).toString('base64')}`);
    return response;
  };

  beforeAll(async () => {
    test = await startTestNode();
  });
  afterAll(async () => {
    await test.close();
  });

  it('answers generated archives (escaping paths, symlinks, lying sizes and CRCs) with a function or a Lambda error', async () => {
    await checkProperty(
      fc.asyncProperty(fc.array(entry, { minLength: 0, maxLength: 5 }), async (entries) => {
        const answer = await create(hostileZip(entries));
        // Lambda refuses an archive with an entry outside the package folder; Flint does too, at upload.
        const escapes = entries.some((e) => e.name.startsWith('/') || e.name.split(/[/\\]/).includes('..') || (e.kind === 'symlink' && !e.name.endsWith('/') && linkEscapes(e)));
        if (escapes) expect(answer.status, answer.text()).toBe(400);
      }),
      200,
    );
    printStats('generated zips');
  });

  it('answers byte-mutated and truncated archives (central directory included) with a function or a Lambda error', async () => {
    const good = Buffer.from(createZip([{ path: 'index.js', data: HANDLER, mode: 0o644 }, { path: 'lib/util.js', data: Buffer.alloc(300, 'x'), mode: 0o644 }]));
    await checkProperty(
      fc.asyncProperty(fc.oneof(mutatedBytes(good), fc.nat(good.length).map((at) => good.subarray(0, at)), fc.nat(good.length).map((at) => good.subarray(at))), async (zip) => {
        await create(zip);
      }),
      200,
    );
    printStats('mutated zips');
  });

  it('refuses zip bombs by declared size and by actual size without inflating them whole', async () => {
    const before = process.memoryUsage().rss;
    const zeros = Buffer.alloc(16 * 1024 * 1024);
    const compressed = deflateRawSync(zeros);
    const crc = crc32(zeros);
    // Declared honestly: 16 MiB inflates from about 16 KiB, seventeen of them pass Lambda's 250 MB unzipped limit.
    const declared = hostileZip(Array.from({ length: 17 }, (_, i) => ({ name: `bomb-${i}`, data: zeros, deflate: true, compressed, crc })));
    const overLimit = await create(declared);
    expect(overLimit.status).toBe(400);
    expect(overLimit.json<{ Type?: string; message?: string }>().message).toMatch(/Unzipped size must be smaller than 262144000 bytes/);
    // Declared as 1 KiB but inflating to 16 MiB: refused once the output passes the declared size.
    const liar = await create(hostileZip([{ name: 'index.js', data: zeros, deflate: true, compressed, crc, declaredSize: 1024 }]));
    expect(liar.status).toBe(400);
    expect(liar.json<{ message?: string }>().message).toMatch(/Could not unzip uploaded file/);
    // Neither was inflated whole: well under the 272 MiB the first would take.
    expect(process.memoryUsage().rss - before).toBeLessThan(150 * 1024 * 1024);
  });
});
