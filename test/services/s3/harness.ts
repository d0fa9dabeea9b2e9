import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client, S3ServiceException, type S3ClientConfig } from '@aws-sdk/client-s3';
import { expect } from 'vitest';
import { FakeClock, RealClock, silentLogger, type Clock } from '../../../src/core/index.js';
import { S3Service, type S3NotificationEvent, type S3NotificationSink, type S3NotificationTarget } from '../../../src/services/s3/index.js';
import { openSqliteStorage, type Storage } from '../../../src/storage/index.js';
import { startTestGateway } from '../../helpers/gateway.js';

export const REGION = 'us-east-1';
export const ACCOUNT = '000000000000';
export const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

/** Records every delivered event; `fail` makes deliveries reject, `refuse` makes validation name a reason. */
export class RecordingSink implements S3NotificationSink {
  readonly delivered: { target: S3NotificationTarget; event: S3NotificationEvent }[] = [];
  fail = false;
  refuse: string | undefined;

  async deliver(target: S3NotificationTarget, event: S3NotificationEvent): Promise<void> {
    if (this.fail) throw new Error('queue unavailable');
    this.delivered.push({ target, event });
  }

  async validate(): Promise<string | undefined> {
    return this.refuse;
  }
}

export interface S3Node {
  url: string;
  port: number;
  dir: string;
  storage: Storage;
  sink: RecordingSink;
  clock: Clock;
  client(config?: Partial<S3ClientConfig>): S3Client;
  close(): Promise<void>;
}

/** A minimal Flint node: SQLite storage, the S3 service and the gateway, on a free port. */
export async function startS3(options: { clock?: Clock; dir?: string } = {}): Promise<S3Node> {
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'flint-s3-')));
  const clock = options.clock ?? new RealClock();
  const storage = await openSqliteStorage({ dir: join(dir, 'data'), clock });
  const sink = new RecordingSink();
  const service = new S3Service(storage.objects, { region: REGION, accountId: ACCOUNT, clock, logger: silentLogger, notifications: sink });
  const gateway = await startTestGateway({ s3: service }, clock);
  const { url, port } = gateway;
  const clients: S3Client[] = [];
  return {
    url,
    port,
    dir,
    storage,
    sink,
    clock,
    client(config = {}) {
      const client = new S3Client({ endpoint: url, region: REGION, credentials: CREDENTIALS, forcePathStyle: true, maxAttempts: 1, ...config });
      clients.push(client);
      return client;
    },
    async close() {
      for (const client of clients) client.destroy();
      await gateway.close();
      await storage.close();
      if (!options.dir) await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The S3 error a call rejects with, so a test can check its name, message and status; fails the test when the
 * call succeeds or rejects with anything but an S3 service error.
 */
export async function s3Failure(promise: Promise<unknown>): Promise<S3ServiceException> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(S3ServiceException);
  return error as S3ServiceException;
}

export { FakeClock };
