import { GetFunctionCommand, LambdaClient, ListLayersCommand, ListLayerVersionsCommand } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flintUp, runFlint, type RunningFlint } from '../../test/helpers/cli.js';

describe('example: layers (Node.js, Python and a custom runtime sharing code through layers)', () => {
  let flint: RunningFlint;
  let lambda: LambdaClient;
  beforeAll(async () => {
    flint = await flintUp(import.meta.dirname, ['--no-watch']);
    lambda = new LambdaClient({ endpoint: flint.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  });
  afterAll(async () => {
    await flint?.stop();
  });

  it('publishes each layer at deploy and says so', async () => {
    expect(flint.output()).toContain('layer text-tools published as version 1');
    expect(flint.output()).toContain('layer py-tools published as version 1');
    const versions = await lambda.send(new ListLayerVersionsCommand({ LayerName: 'text-tools' }));
    expect(versions.LayerVersions?.map((v) => [v.Version, v.Description, v.CompatibleRuntimes])).toEqual([[1, 'Slugs and title case for Node.js functions', ['nodejs20.x', 'nodejs22.x']]]);
    const fn = await lambda.send(new GetFunctionCommand({ FunctionName: 'slug' }));
    expect(fn.Configuration?.Layers?.map((l) => l.Arn)).toEqual(['arn:aws:lambda:us-east-1:000000000000:layer:text-tools:1']);
  });

  it('serves a Node.js function whose library comes from its layer', async () => {
    const res = await fetch(`${flint.url}/slug/${encodeURIComponent('Hello, Layers World!')}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ slug: 'hello-layers-world', title: 'Hello, Layers World!' });
  });

  it('serves a Python function importing a package from its layer', async () => {
    const res = await fetch(`${flint.url}/stats`, { method: 'POST', body: 'the cat and the hat and the bat' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ words: 8, unique: 5, top: [['the', 3], ['and', 2], ['cat', 1]] });
  });

  it('runs a provided.al2023 function on the bootstrap and tools its layer brings', async () => {
    const res = await fetch(`${flint.url}/shout/hello`);
    expect(await res.json()).toEqual({ shout: 'HELLO!' });
    const invoked = await runFlint(['invoke', 'shout', '--endpoint', flint.url, '--data', '{"text":"direct"}']);
    expect(invoked.code).toBe(0);
    expect(JSON.parse(invoked.stdout)).toEqual({ shout: 'DIRECT!' });
  });

  it('publishes no new layer version when deployed again unchanged', async () => {
    const again = await runFlint(['deploy', import.meta.dirname, '--endpoint', flint.url]);
    expect(again.code).toBe(0);
    expect(again.stdout + again.stderr).toContain('layer text-tools unchanged (version 1)');
    const versions = await lambda.send(new ListLayerVersionsCommand({ LayerName: 'text-tools' }));
    expect(versions.LayerVersions?.map((v) => v.Version)).toEqual([1]);
  });

  it('removes the layer versions it published when the app is removed', async () => {
    const removed = await runFlint(['rm', 'layers', '--endpoint', flint.url]);
    expect(removed.code).toBe(0);
    const layers = await lambda.send(new ListLayersCommand({}));
    expect(layers.Layers).toEqual([]);
  });
});
