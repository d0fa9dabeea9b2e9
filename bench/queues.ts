/**
 * `npm run bench:queues`: SQS messages end to end — sent (SendMessageBatch over HTTP, driven by wrk), stored
 * durably, received by Flint's event source mapping, handed to a function in batches, acknowledged and
 * deleted. Reports the sustained end-to-end rate: messages sent ÷ the time until the queue is empty again.
 * Writes the "queues" section of bench/RESULTS.md. Needs wrk.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { hasWrk } from './lib/http.js';
import { sleep, spawnQuiet, stop, waitForOutput } from './lib/processes.js';
import { writeSection } from './lib/results.js';
import { requestScript } from './lib/wrk-scripts.js';

const ROOT = resolve(import.meta.dirname, '..');
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 16;
const BATCH_SIZE = Number(process.env.BENCH_BATCH_SIZE ?? 100);

function writeApp(dir: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), '{"type":"commonjs"}');
  writeFileSync(join(dir, 'worker.js'), 'exports.handler = async (event) => ({ batchItemFailures: [] });\n');
  writeFileSync(
    join(dir, 'flint.yaml'),
    `app: queue-bench
functions:
  worker:
    runtime: nodejs20.x
    handler: worker.handler
    bundle: false
    events:
      - sqs: { queue: jobs, batchSize: ${BATCH_SIZE}, batchingWindow: 1, reportBatchItemFailures: true }
resources:
  queues:
    jobs: { visibilityTimeout: 60 }
`,
  );
}

/** Runs wrk sending SendMessageBatch requests of ten messages for SECONDS; returns the number of messages sent. */
function sendBatches(work: string, url: string, queueUrl: string): number {
  const entries = Array.from({ length: 10 }, (_, i) => `{"Id":"${i}","MessageBody":"job %d-${i}"}`).join(',');
  const day = new Date().toISOString().slice(0, 10).replace(/-/g, '');
  const script = requestScript(work, 'send-batch', {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.0',
      'X-Amz-Target': 'AmazonSQS.SendMessageBatch',
      Authorization: `AWS4-HMAC-SHA256 Credential=test/${day}/us-east-1/sqs/aws4_request, SignedHeaders=host, Signature=${'0'.repeat(64)}`,
    },
    body: `{"QueueUrl":"${queueUrl}","Entries":[${entries}]}`,
  });
  const wrkOut = execFileSync('wrk', ['-t1', `-c${CONNECTIONS}`, `-d${SECONDS}s`, '-s', script, `${url}/`], { encoding: 'utf8' });
  if (/Non-2xx/.test(wrkOut)) throw new Error(`sends failed:\n${wrkOut}`);
  return Number(/(\d+) requests in/.exec(wrkOut)?.[1]) * 10;
}

/**
 * The peer: moto's server (Python, in memory, what many teams test SQS against), same requests, send path only —
 * moto runs Lambda functions only in Docker, so it has no end-to-end figure here. Undefined when moto is absent.
 */
async function motoSendRate(work: string): Promise<number | undefined> {
  const port = 5000 + Math.floor(Math.random() * 1000);
  const child = spawnQuiet('python3', ['-m', 'moto.server', '-p', String(port)]);
  try {
    await waitForOutput(child, /Running on/, 30_000);
    const url = `http://127.0.0.1:${port}`;
    const sqs = new SQSClient({ endpoint: url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'jobs' }));
    const started = performance.now();
    const sent = sendBatches(work, url, QueueUrl!);
    return sent / ((performance.now() - started) / 1000);
  } catch (error) {
    console.error(`bench: moto skipped (${String(error).split('\n')[0]})`);
    return undefined;
  } finally {
    await stop(child);
  }
}

async function main(): Promise<void> {
  if (!hasWrk()) throw new Error('bench:queues needs wrk (Debian package wrk)');
  const work = mkdtempSync(join(tmpdir(), 'flint-bench-queues-'));
  const appDir = join(work, 'app');
  writeApp(appDir);
  const child = spawnQuiet(process.execPath, [join(ROOT, 'bin/flint.js'), 'up', appDir, '--port', '0', '--data', join(work, 'data'), '--no-watch']);
  try {
    const output = await waitForOutput(child, /stop: Ctrl-C/);
    const url = /listening on (http:\/\/\S+)/.exec(output)![1]!;
    const queueUrl = `${url}/000000000000/jobs`;
    const sqs = new SQSClient({ endpoint: url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    console.error('bench: sending and consuming');
    const started = performance.now();
    const sent = sendBatches(work, url, queueUrl);
    const sendEnded = performance.now();
    let remaining = Infinity;
    while (remaining > 0) {
      const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'] }));
      remaining = Number(Attributes?.ApproximateNumberOfMessages ?? 0) + Number(Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0) + Number(Attributes?.ApproximateNumberOfMessagesDelayed ?? 0);
      if (remaining > 0) await sleep(100);
      if (performance.now() - sendEnded > 300_000) throw new Error(`queue not drained after 5 minutes: ${remaining} left`);
    }
    const drained = performance.now();
    await stop(child);
    console.error('bench: the same sends against moto');
    const moto = await motoSendRate(work);
    const endToEnd = sent / ((drained - started) / 1000);
    const sendRate = sent / ((sendEnded - started) / 1000);
    const markdown = [
      '## Queues: SQS messages end to end',
      '',
      `Latest run: ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${cpus().length} × ${cpus()[0]?.model.trim()}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB.`,
      `Reproduce: \`npm run build && npm run bench:queues\`. wrk, 1 thread, ${CONNECTIONS} connections, SendMessageBatch (10 messages, JSON protocol) for ${SECONDS} s;`,
      `one Node.js function behind an event source mapping (batch size ${BATCH_SIZE}, window 1 s, partial batch responses); every message is`,
      'committed to SQLite before the send is answered and deleted only after the function returns.',
      '',
      '| Figure | Value | Budget | Verdict |',
      '| --- | --- | --- | --- |',
      `| Messages sent (durable, while the function consumes) | ${sent} in ${((sendEnded - started) / 1000).toFixed(1)} s (${sendRate.toFixed(0)}/s) | – | – |`,
      `| Peer: moto 5 server, same sends (in memory, nothing consuming) | ${moto === undefined ? 'not run (python3 -m moto.server unavailable)' : `${moto.toFixed(0)}/s; Flint ${(sendRate / moto).toFixed(1)}×`} | – | – |`,
      `| End to end: sent ÷ time until the queue was empty | ${endToEnd.toFixed(0)} messages/s | ≥ 10,000 messages/s, durable | ${endToEnd >= 10_000 ? '**met**' : '**not met**'} |`,
      `| Drain after the last send | ${((drained - sendEnded) / 1000).toFixed(1)} s | – | – |`,
    ].join('\n');
    writeSection(join(ROOT, 'bench/RESULTS.md'), 'queues', markdown);
    console.log(markdown);
  } finally {
    await stop(child);
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
