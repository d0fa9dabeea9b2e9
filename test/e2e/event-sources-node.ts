import type { Storage } from '../../src/storage/index.js';
import { MemoryLogSink } from '../helpers/memory-log-sink.js';
import { startTestNode } from '../helpers/node.js';

/**
 * The node the product assembles (test/helpers/node.ts), for the event source tests' clients: event source mappings
 * poll SQS and DynamoDB streams, async invocations honour event invoke configurations and send their outcomes through
 * SQS (or back into Lambda), all as `flint up` wires them. Function output is mirrored into `logs` as it is written.
 */
export interface EventSourcesNode {
  url: string;
  logs: MemoryLogSink;
  storage: Storage;
  /** Environment for Debian's AWS CLI: test credentials, us-east-1, a private HOME. */
  env: NodeJS.ProcessEnv;
  close(): Promise<void>;
}

export async function startEventSourcesNode(): Promise<EventSourcesNode> {
  const test = await startTestNode();
  const logs = new MemoryLogSink();
  const stop = test.node.logSink.listen((record) => logs.records.push(record));
  return {
    url: test.node.url,
    logs,
    storage: test.node.storage,
    env: { PATH: '/usr/bin:/bin', HOME: test.dir, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_DEFAULT_REGION: 'us-east-1', AWS_PAGER: '' },
    async close() {
      stop();
      await test.close();
    },
  };
}
