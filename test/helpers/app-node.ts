import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../src/core/index.js';
import { startNode, type FlintNode, type NodeOptions } from '../../src/platform/index.js';

export interface AppNode {
  node: FlintNode;
  appDir: string;
  dataDir: string;
  /** Closes the node and removes both folders. */
  close(): Promise<void>;
}

/**
 * A node the product assembles (port 0, plain-process sandbox, temp data folder) with one app deployed from `files`
 * (relative path → content, flint.yaml among them).
 */
export async function startAppNode(files: Record<string, string>, options: Partial<NodeOptions> = {}): Promise<AppNode> {
  const appDir = mkdtempSync(join(tmpdir(), 'flint-app-'));
  const dataDir = mkdtempSync(join(tmpdir(), 'flint-data-'));
  for (const [path, content] of Object.entries(files)) writeFileSync(join(appDir, path), content);
  const node = await startNode({ dataDir, port: 0, logger: silentLogger, sandbox: 'process', ...options });
  await node.deployDir(appDir);
  return {
    node,
    appDir,
    dataDir,
    async close() {
      await node.close();
      rmSync(appDir, { recursive: true, force: true });
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
