import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buffered, RealClock, requestId, silentLogger } from '../../src/core/index.js';
import { AsyncInvocations, EventInvokeConfigs, EventSourceMappings, TableStreamSource, type AsyncTarget, type DestinationSender } from '../../src/events/index.js';
import { FunctionRegistry } from '../../src/functions/index.js';
import { Invoker } from '../../src/invoker/index.js';
import { createSandbox, RuntimeHost } from '../../src/runtime/index.js';
import { DynamoDbService, formatStreamRecord } from '../../src/services/dynamodb/index.js';
import { LambdaService, type LambdaBackend } from '../../src/services/lambda/index.js';
import { SqsService } from '../../src/services/sqs/index.js';
import { openSqliteStorage, type Storage } from '../../src/storage/index.js';
import { startTestGateway } from '../helpers/gateway.js';
import { MemoryLogSink } from '../helpers/memory-log-sink.js';

const REGION = 'us-east-1';
const ACCOUNT = '000000000000';

/**
 * A minimal node with Lambda, SQS and DynamoDB on one gateway, wired as the platform wires them: event source
 * mappings poll SQS and DynamoDB streams, async invocations honour event invoke configurations and send their
 * outcomes through SQS (or back into Lambda).
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
  const dir = await mkdtemp(join(tmpdir(), 'flint-event-sources-'));
  const clock = new RealClock();
  const scope = { region: REGION, accountId: ACCOUNT };
  const storage = await openSqliteStorage({ dir: join(dir, 'data'), clock });
  const registry = new FunctionRegistry({ storage, clock, dataDir: join(dir, 'data'), ...scope });
  const logs = new MemoryLogSink();
  const workDir = join(dir, 'instances');
  const host = new RuntimeHost({
    clock,
    logger: silentLogger,
    logSink: logs,
    sandbox: createSandbox('process', workDir, silentLogger),
    workDir,
    ...scope,
    endpointUrl: 'http://127.0.0.1:4566',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    memoryPollMs: 0,
  });
  const invoker = new Invoker(host, clock, silentLogger);
  const sqs = new SqsService(storage.messages, { ...scope, clock, logger: silentLogger });
  const dynamodb = new DynamoDbService(storage.tables, { ...scope, clock, logger: silentLogger });

  const resolve = async (name: string, qualifier: string | undefined): Promise<AsyncTarget & { version: string }> => {
    const target = await registry.resolve(name, qualifier);
    const { config } = target;
    return {
      key: target.key,
      arn: target.arn,
      version: target.version,
      config: { ...config, functionName: target.functionName, version: target.version, codeDir: await registry.codeDir(config.codeSha256) },
    };
  };
  const late: { async?: AsyncInvocations } = {};
  const destinations: DestinationSender = {
    send: async (arn, body, attributes) => {
      if (arn.includes(':sqs:')) await sqs.queues.send(arn, body, { messageAttributes: attributes });
      else await late.async!.accept({ requestId: requestId(), functionName: arn, payload: Buffer.from(body).toString('base64') });
    },
    exists: async (arn) => !arn.includes(':sqs:') || (await sqs.queues.describe(arn)) !== undefined,
  };
  const configs = new EventInvokeConfigs({ metadata: storage.metadata, registry, clock, destinations });
  const async = new AsyncInvocations({ queues: storage.queues, invoker, clock, logger: silentLogger, resolve, settings: configs, destinations });
  late.async = async;
  const backend: LambdaBackend = {
    registry,
    invokeSync: async (name, qualifier, input) => {
      const target = await resolve(name, qualifier);
      return { result: await invoker.invoke(target, { ...input, invokedArn: target.arn }), executedVersion: target.version };
    },
    invokeAsync: async (name, qualifier, input) => {
      await resolve(name, qualifier);
      await async.accept({ requestId: input.requestId, functionName: name, qualifier, payload: input.payload.toString('base64'), clientContext: input.clientContext });
    },
    provisionedReady: () => 0,
    eventInvokeConfigs: configs,
  };
  const mappings = new EventSourceMappings({
    metadata: storage.metadata,
    registry,
    invoker: backend,
    clock,
    logger: silentLogger,
    queues: sqs.queues,
    streams: new TableStreamSource({ tables: storage.tables, format: (record, table) => formatStreamRecord(record, table, scope) }),
    destinations,
  });
  const lambda = new LambdaService({ ...backend, eventSourceMappings: mappings }, scope);
  const gateway = await startTestGateway({ lambda: buffered(lambda), sqs: buffered(sqs), dynamodb }, clock);
  const { url } = gateway;
  async.start();
  await mappings.start();
  return {
    url,
    logs,
    storage,
    env: { PATH: '/usr/bin:/bin', HOME: dir, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_DEFAULT_REGION: REGION, AWS_PAGER: '' },
    async close() {
      await mappings.close();
      await async.close();
      sqs.close();
      await dynamodb.close();
      await gateway.close();
      await invoker.close();
      await storage.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
