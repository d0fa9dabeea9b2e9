import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../src/core/index.js';
import { startNode, type FlintNode, type NodeOptions } from '../../src/platform/index.js';

/**
 * A node as the product assembles it (FlintNode.start, the same composition `flint up` runs), on a free loopback
 * port with its data in a temp folder. Tests reach it as clients do, over HTTP at `node.url`, or in process with
 * `node.request()`. Function instances run as plain processes and no stem cells wait, unless a test asks.
 */
export interface TestNode {
  node: FlintNode;
  dir: string;
  /** SDK v3 client settings for this node. */
  config: { endpoint: string; region: string; credentials: { accessKeyId: string; secretAccessKey: string } };
  close(): Promise<void>;
}

export async function startTestNode(options: Partial<NodeOptions> = {}): Promise<TestNode> {
  const dir = mkdtempSync(join(tmpdir(), 'flint-node-'));
  const node = await startNode({ dataDir: join(dir, 'data'), port: 0, logger: silentLogger, sandbox: 'process', stemCells: false, ...options });
  return {
    node,
    dir,
    // A node in server mode (auth, or a host beyond loopback) takes only keys it issued: its root key.
    config: { endpoint: node.url, region: 'us-east-1', credentials: credentialsFor(node) },
    close: async () => {
      await node.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Credentials the node accepts: any in local mode ("test"), its root key in server mode. */
export function credentialsFor(node: FlintNode): { accessKeyId: string; secretAccessKey: string } {
  const root = node.auth.rootKey;
  return root ? { accessKeyId: root.accessKeyId, secretAccessKey: root.secretAccessKey } : { accessKeyId: 'test', secretAccessKey: 'test' };
}

/** The environment for a CLI or boto3 child process that talks to the node. */
export function clientEnv(node: FlintNode): NodeJS.ProcessEnv {
  const { accessKeyId, secretAccessKey } = credentialsFor(node);
  return { ...process.env, AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey, AWS_DEFAULT_REGION: 'us-east-1', AWS_ENDPOINT_URL: node.url, AWS_PAGER: '' };
}
