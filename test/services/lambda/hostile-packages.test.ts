import { CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestNode, type TestNode } from '../../helpers/node.js';
import { hostileZip } from '../../fuzz/zip-builder.js';

const HANDLER = Buffer.from('exports.handler = async () => "ok";\n');

/** Regressions the zip fuzzer (test/fuzz/zip-packages.test.ts) led to, as a user meets them through the SDK. */
describe('Lambda refuses hostile packages at upload', () => {
  let test: TestNode;
  let lambda: LambdaClient;
  beforeAll(async () => {
    test = await startTestNode();
    lambda = new LambdaClient(test.config);
  });
  afterAll(async () => {
    lambda.destroy();
    await test.close();
  });

  const create = (name: string, zip: Buffer) =>
    lambda.send(new CreateFunctionCommand({ FunctionName: name, Runtime: 'nodejs20.x', Role: 'arn:aws:iam::000000000000:role/r', Handler: 'index.handler', Code: { ZipFile: zip } }));

  it('refuses a symlink pointing out of the package at CreateFunction, not at the first invocation', async () => {
    for (const target of ['/etc/passwd', '../../../../etc', 'a/../../x']) {
      const zip = hostileZip([{ name: 'index.js', data: HANDLER }, { name: 'link', data: Buffer.from(target), kind: 'symlink' }]);
      const error = await create(`escape-${target.length}`, zip).then(
        () => undefined,
        (e: Error) => e,
      );
      expect(error?.name).toBe('InvalidParameterValueException');
      expect(error?.message).toBe("Zip entry 'link' is a symlink pointing outside the package folder");
    }
  });

  it('accepts a symlink that stays inside the package', async () => {
    const zip = hostileZip([{ name: 'src/index.js', data: HANDLER }, { name: 'index.js', data: Buffer.from('src/index.js'), kind: 'symlink' }]);
    const created = await create('inside', zip);
    expect(created.FunctionName).toBe('inside');
  });
});
