import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateFunctionCommand, GetLayerVersionCommand, InvokeCommand, LambdaClient, PublishLayerVersionCommand } from '@aws-sdk/client-lambda';
import { silentLogger } from '../../../src/core/index.js';
import { startNode } from '../../../src/platform/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createZip, type ZipFileInput } from '../../../src/functions/index.js';
import { startTestNode, type TestNode } from '../../helpers/node.js';
import { SANDBOXES } from '../../runtime/harness.js';
import { ROLE } from './harness.js';

/**
 * Functions run with their layers where Lambda puts them: extracted into /opt in the order the function lists them,
 * later layers over earlier ones, with /opt/nodejs/node_modules (and /opt/nodejs/node<major>/node_modules) on
 * Node's path, /opt/python (and its lib/python3.x/site-packages) on Python's, /opt/bin on PATH and /opt/bootstrap
 * for a custom runtime without its own (https://docs.aws.amazon.com/lambda/latest/dg/packaging-layers.html).
 * With bwrap the layers are mounted at /opt; the plain-process sandbox has no /opt of its own and reaches them
 * through the same variables.
 */


const file = (path: string, text: string, mode = 0o644): ZipFileInput => ({ path, data: Buffer.from(text), mode });

const SHOUT_V1 = createZip([
  file('nodejs/node_modules/shout/index.js', "module.exports = (s) => s.toUpperCase() + '!';\n"),
  file('nodejs/node_modules/whisper/index.js', 'module.exports = (s) => s.toLowerCase();\n'),
  file('nodejs/node20/node_modules/pinned/index.js', "module.exports = 'node20 folder';\n"),
]);
/** Published after SHOUT_V1 and listed after it: its shout replaces the first one's, whisper stays. */
const SHOUT_V2 = createZip([file('nodejs/node_modules/shout/index.js', "module.exports = (s) => s.toUpperCase() + '!!!';\n")]);

const NODE_FUNCTION = createZip([
  file(
    'index.js',
    `const fs = require('node:fs');
exports.handler = async (event) => ({
  shout: require('shout')(event.text),
  whisper: require('whisper')(event.text),
  pinned: require('pinned'),
  optVisible: fs.existsSync('/opt/nodejs/node_modules/shout/index.js'),
});
`,
  ),
]);

const PYTHON_LAYER = createZip([
  file('python/greeting.py', "def greet(name):\n    return 'hello ' + name\n"),
  file('python/lib/python3.12/site-packages/sitepkg.py', "WHERE = 'site-packages'\n"),
]);
const PYTHON_FUNCTION = createZip([
  file('app.py', "import greeting\nimport sitepkg\n\ndef handler(event, context):\n    return {'greeting': greeting.greet(event['name']), 'where': sitepkg.WHERE}\n"),
]);

/** A custom runtime whose bootstrap and a helper on PATH come from a layer; the function zip has only its handler. */
const RUNTIME_LAYER = createZip([
  file(
    'bootstrap',
    `#!/bin/sh
set -eu
API="http://\${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime"
while true; do
  HEADERS="$(mktemp)"
  EVENT="$(curl -sS -D "$HEADERS" "$API/invocation/next")"
  REQUEST_ID="$(grep -i '^Lambda-Runtime-Aws-Request-Id:' "$HEADERS" | tr -d '\\r' | cut -d' ' -f2)"
  rm -f "$HEADERS"
  BODY="$(. "$LAMBDA_TASK_ROOT/handler.sh"; handle "$EVENT")"
  curl -sS -X POST "$API/invocation/$REQUEST_ID/response" -d "$BODY" >/dev/null
done
`,
    0o755,
  ),
  file('bin/layer-helper', '#!/bin/sh\necho "from /opt/bin"\n', 0o755),
]);
const SHELL_FUNCTION = createZip([file('handler.sh', 'handle() { printf \'{"event":%s,"helper":"%s"}\' "$1" "$(layer-helper)"; }\n')]);

for (const sandbox of SANDBOXES) {
  describe(`Functions with layers (${sandbox} sandbox)`, () => {
    let test: TestNode;
    let lambda: LambdaClient;

    const publish = async (name: string, zip: Uint8Array): Promise<string> =>
      (await lambda.send(new PublishLayerVersionCommand({ LayerName: name, Content: { ZipFile: zip } }))).LayerVersionArn!;
    const invoke = async (name: string, event: unknown): Promise<Record<string, unknown>> => {
      const answer = await lambda.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from(JSON.stringify(event)) }));
      const text = Buffer.from(answer.Payload ?? []).toString('utf8');
      if (answer.FunctionError) throw new Error(`${name} failed: ${text}`);
      return JSON.parse(text) as Record<string, unknown>;
    };

    beforeAll(async () => {
      test = await startTestNode({ sandbox });
      lambda = new LambdaClient(test.config);
    });
    afterAll(async () => {
      await test.close();
    });

    it('gives a Node.js function the libraries only its layers provide, later layers winning', async () => {
      const layers = [await publish('shout', SHOUT_V1), await publish('shout-loud', SHOUT_V2)];
      await lambda.send(new CreateFunctionCommand({ FunctionName: 'node-layers', Runtime: 'nodejs20.x', Role: ROLE, Handler: 'index.handler', Code: { ZipFile: NODE_FUNCTION }, Layers: layers }));
      const result = await invoke('node-layers', { text: 'Hey' });
      expect(result).toMatchObject({ shout: 'HEY!!!', whisper: 'hey', pinned: 'node20 folder' });
      // Only a sandbox with a mount namespace has an /opt of the instance's own.
      expect(result.optVisible).toBe(sandbox === 'bwrap');
    });

    it('lets a Python function import modules from its layer', async () => {
      const layer = await publish('py-greeting', PYTHON_LAYER);
      await lambda.send(new CreateFunctionCommand({ FunctionName: 'py-layers', Runtime: 'python3.12', Role: ROLE, Handler: 'app.handler', Code: { ZipFile: PYTHON_FUNCTION }, Layers: [layer] }));
      expect(await invoke('py-layers', { name: 'layers' })).toEqual({ greeting: 'hello layers', where: 'site-packages' });
    });

    it("runs a provided.al2023 function on the bootstrap its layer brings, with the layer's bin on PATH", async () => {
      const layer = await publish('shell-runtime', RUNTIME_LAYER);
      await lambda.send(new CreateFunctionCommand({ FunctionName: 'custom-layers', Runtime: 'provided.al2023', Role: ROLE, Handler: 'handler.handle', Code: { ZipFile: SHELL_FUNCTION }, Layers: [layer] }));
      expect(await invoke('custom-layers', { n: 1 })).toEqual({ event: { n: 1 }, helper: 'from /opt/bin' });
    });
  });
}

describe('Layers across a restart', () => {
  it('keeps layer versions, their numbering and the functions using them when the node restarts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flint-layers-restart-'));
    const options = { dataDir: join(dir, 'data'), port: 0, logger: silentLogger, sandbox: 'process' as const, stemCells: false as const };
    const client = (url: string) => new LambdaClient({ endpoint: url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    try {
      const first = await startNode(options);
      const before = client(first.url);
      const published = await before.send(new PublishLayerVersionCommand({ LayerName: 'kept', Content: { ZipFile: PYTHON_LAYER } }));
      await before.send(new CreateFunctionCommand({ FunctionName: 'kept-fn', Runtime: 'python3.12', Role: ROLE, Handler: 'app.handler', Code: { ZipFile: PYTHON_FUNCTION }, Layers: [published.LayerVersionArn!] }));
      before.destroy();
      await first.close();

      const second = await startNode(options);
      const after = client(second.url);
      expect((await after.send(new GetLayerVersionCommand({ LayerName: 'kept', VersionNumber: 1 }))).Content?.CodeSha256).toBe(published.Content?.CodeSha256);
      const answer = await after.send(new InvokeCommand({ FunctionName: 'kept-fn', Payload: Buffer.from('{"name":"again"}') }));
      expect(JSON.parse(Buffer.from(answer.Payload ?? []).toString('utf8'))).toEqual({ greeting: 'hello again', where: 'site-packages' });
      expect((await after.send(new PublishLayerVersionCommand({ LayerName: 'kept', Content: { ZipFile: PYTHON_LAYER } }))).Version).toBe(2);
      after.destroy();
      await second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
