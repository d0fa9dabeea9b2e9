import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import type { Duplex } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeFrame, FrameDecoder, type Frame } from '../../src/runtime/channel.js';
import { DEBIAN_PYTHON } from '../helpers/clients.js';

const here = dirname(fileURLToPath(import.meta.url));
const PYTHON = DEBIAN_PYTHON;
const BOOTSTRAP = resolve(here, '../../src/runtime/bootstraps/python/bootstrap.py');
const TASK_ROOT = resolve(here, '../fixtures/python');
const NBSP = '\u00a0';
const LOG_LINE = /^\[(\w+)\]\t\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\t([^\t]*)\t(.*)\n$/s;

const FUNCTION_ENV = {
  AWS_LAMBDA_FUNCTION_NAME: 'orders',
  AWS_LAMBDA_FUNCTION_VERSION: '7',
  AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
  AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/orders',
  AWS_LAMBDA_LOG_STREAM_NAME: '2026/01/01/[7]abc',
  GREETING: 'hello from init',
};

/** One bootstrap process driven over its fd-3 channel, frame by frame. */
class BootstrapProcess {
  readonly exited: Promise<number | null>;
  stdout = '';
  private readonly child: ChildProcess;
  private readonly channel: Duplex;
  private readonly frames: Frame[] = [];
  private waiting: ((frame: Frame | undefined) => void) | undefined;
  private closed = false;
  private sequence = 0;

  constructor() {
    // A minimal environment: the bootstrap must get everything it needs from `init`.
    this.child = spawn(PYTHON, ['-u', BOOTSTRAP], {
      stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', PYTHONDONTWRITEBYTECODE: '1' },
    });
    this.channel = this.child.stdio[3] as Duplex;
    const decoder = new FrameDecoder();
    this.channel.on('data', (chunk: Buffer) => {
      for (const frame of decoder.push(chunk)) this.deliver(frame);
    });
    this.channel.on('close', () => this.close());
    this.channel.on('error', () => this.close());
    this.child.stdout?.on('data', (chunk: Buffer) => (this.stdout += chunk.toString()));
    this.child.stderr?.on('data', (chunk: Buffer) => (this.stdout += chunk.toString()));
    this.exited = new Promise((done) => this.child.on('exit', (code) => done(code)));
  }

  send(header: Frame['header'], body?: Uint8Array): void {
    this.channel.write(encodeFrame(header, body));
  }

  init(handler: string, env: Record<string, string> = {}): void {
    this.send({ type: 'init', handler, taskRoot: TASK_ROOT, env: { ...FUNCTION_ENV, ...env } });
  }

  invoke(event: unknown, extra: Record<string, unknown> = {}): string {
    const requestId = `req-${++this.sequence}`;
    const header = {
      type: 'invoke',
      requestId,
      deadlineMs: Date.now() + 30_000,
      functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:orders',
      clientContext: null,
      cognitoIdentity: null,
      traceId: 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1',
      ...extra,
    };
    this.send(header, Buffer.from(JSON.stringify(event)));
    return requestId;
  }

  /** Frames up to and including the next ready / initError / response / error. */
  async untilAnswer(): Promise<{ logs: Frame[]; answer: Frame }> {
    const logs: Frame[] = [];
    for (;;) {
      const frame = await this.next();
      if (!frame) throw new Error(`channel closed before an answer; output: ${this.stdout}`);
      if (frame.header.type === 'log') logs.push(frame);
      else return { logs, answer: frame };
    }
  }

  async ready(handler: string, env: Record<string, string> = {}): Promise<Frame> {
    this.init(handler, env);
    const { answer } = await this.untilAnswer();
    expect(answer.header, answer.body.toString()).toMatchObject({ type: 'ready' });
    return answer;
  }

  async call(event: unknown, extra: Record<string, unknown> = {}): Promise<{ logs: Frame[]; answer: Frame; requestId: string }> {
    const requestId = this.invoke(event, extra);
    return { ...(await this.untilAnswer()), requestId };
  }

  /** The frames left before the process closed the channel. */
  async rest(): Promise<Frame[]> {
    const frames: Frame[] = [];
    for (let frame = await this.next(); frame; frame = await this.next()) frames.push(frame);
    return frames;
  }

  stop(): void {
    this.channel.end();
    this.child.kill();
  }

  private next(): Promise<Frame | undefined> {
    const frame = this.frames.shift();
    if (frame || this.closed) return Promise.resolve(frame);
    return new Promise((done) => (this.waiting = done));
  }

  private deliver(frame: Frame): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    if (waiting) waiting(frame);
    else this.frames.push(frame);
  }

  private close(): void {
    this.closed = true;
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.(undefined);
  }
}

const started: BootstrapProcess[] = [];

function start(): BootstrapProcess {
  const bootstrap = new BootstrapProcess();
  started.push(bootstrap);
  return bootstrap;
}

afterEach(async () => {
  for (const bootstrap of started.splice(0)) {
    bootstrap.stop();
    await bootstrap.exited;
  }
});

function json(frame: Frame): unknown {
  return JSON.parse(frame.body.toString('utf8'));
}

function logText(logs: Frame[]): string {
  return logs.map((frame) => frame.body.toString('utf8')).join('');
}

describe('python bootstrap: init', () => {
  it('answers ready with the time spent importing the handler', async () => {
    const bootstrap = start();
    const ready = await bootstrap.ready('counter.handler');
    expect(typeof ready.header.initMs).toBe('number');
    expect(ready.header.initMs as number).toBeGreaterThanOrEqual(0);
  });

  it('loads a handler from a sub-folder written as dir/app.handler', async () => {
    const bootstrap = start();
    await bootstrap.ready('dir/app.handler');
    const { answer } = await bootstrap.call({ hello: 'folder' });
    expect(answer.header.type).toBe('response');
    expect(json(answer)).toEqual({ module: 'dir.app', event: { hello: 'folder' } });
  });

  const initErrors: Array<[string, string, string]> = [
    ['counter', 'Runtime.MalformedHandlerName', "Bad handler 'counter': not enough values to unpack (expected 2, got 1)"],
    ['app.handler', 'Runtime.ImportModuleError', "Unable to import module 'app': No module named 'app'"],
    ['imports_missing.handler', 'Runtime.ImportModuleError', "Unable to import module 'imports_missing': No module named 'flint_no_such_module'"],
    ['counter.missing', 'Runtime.HandlerNotFound', "Handler 'missing' missing on module 'counter'"],
  ];
  it.each(initErrors)('reports %s as %s and exits 1', async (handler, errorType, errorMessage) => {
    const bootstrap = start();
    bootstrap.init(handler);
    const { logs, answer } = await bootstrap.untilAnswer();
    expect(answer.header).toEqual({ type: 'initError' });
    expect(json(answer)).toEqual({ errorMessage, errorType, requestId: '', stackTrace: [] });
    expect(logText(logs)).toContain(`[ERROR] ${errorType}: ${errorMessage}\nTraceback (most recent call last):\n`);
    expect(await bootstrap.exited).toBe(1);
  });

  it('reports a syntax error with the offending line', async () => {
    const bootstrap = start();
    bootstrap.init('syntax_error.handler');
    const { answer } = await bootstrap.untilAnswer();
    const error = json(answer) as { errorType: string; errorMessage: string; stackTrace: string[] };
    expect(error.errorType).toBe('Runtime.UserCodeSyntaxError');
    expect(error.errorMessage).toMatch(/^Syntax error in module 'syntax_error': .*\(syntax_error\.py, line 1\)$/);
    expect(error.stackTrace).toEqual([`  File "${join(TASK_ROOT, 'syntax_error.py')}" Line 1\n    def handler(event, context)\n`]);
    expect(await bootstrap.exited).toBe(1);
  });

  it('reports an exception raised while importing with its own type and traceback', async () => {
    const bootstrap = start();
    bootstrap.init('raises_at_import.handler');
    const { logs, answer } = await bootstrap.untilAnswer();
    const error = json(answer) as { errorType: string; errorMessage: string; stackTrace: string[] };
    expect(error).toMatchObject({ errorType: 'RuntimeError', errorMessage: 'cannot start', requestId: '' });
    expect(error.stackTrace.at(-1)).toBe(
      `  File "${join(TASK_ROOT, 'raises_at_import.py')}", line 1, in <module>\n    raise RuntimeError("cannot start")\n`,
    );
    expect(logText(logs)).toContain('LAMBDA_WARNING: Unhandled exception.');
    expect(await bootstrap.exited).toBe(1);
  });
});

describe('python bootstrap: results', () => {
  it('serialises dicts, strings, None, Decimals and bytes like Lambda', async () => {
    const bootstrap = start();
    await bootstrap.ready('results.handler');
    const bodies: string[] = [];
    for (const kind of ['dict', 'str', 'none', 'decimal', 'bytes']) {
      const { answer, requestId } = await bootstrap.call({ return: kind });
      expect(answer.header).toMatchObject({ type: 'response', requestId });
      expect(answer.header.maxRssKb as number).toBeGreaterThan(1000);
      bodies.push(answer.body.toString('utf8'));
    }
    expect(bodies).toEqual([
      '{"ok": true, "nested": {"list": [1, 2.5, "x"]}}',
      '"plain text"',
      'null',
      '{"int": 42, "float": 1.25, "big": 12345678901234567890}',
      'raw \u0000 bytes',
    ]);
  });

  it('reports an unserialisable result as Runtime.MarshalError', async () => {
    const bootstrap = start();
    await bootstrap.ready('results.handler');
    const { answer, requestId, logs } = await bootstrap.call({ return: 'set' });
    expect(answer.header).toMatchObject({ type: 'error', requestId });
    expect(json(answer)).toEqual({
      errorMessage: 'Unable to marshal response: Object of type set is not JSON serializable',
      errorType: 'Runtime.MarshalError',
      requestId,
      stackTrace: [],
    });
    expect(logText(logs)).toBe(
      '[ERROR] Runtime.MarshalError: Unable to marshal response: Object of type set is not JSON serializable\n' +
        'Traceback (most recent call last):\n',
    );
    const next = await bootstrap.call({ return: 'object' });
    expect((json(next.answer) as { errorMessage: string }).errorMessage).toBe(
      'Unable to marshal response: Object of type Unserialisable is not JSON serializable',
    );
  });

  it('reports an event that is not JSON as Runtime.UnmarshalError', async () => {
    const bootstrap = start();
    await bootstrap.ready('results.handler');
    bootstrap.send({ type: 'invoke', requestId: 'bad-event', deadlineMs: Date.now() + 30_000, functionArn: 'arn', clientContext: null, cognitoIdentity: null, traceId: null }, Buffer.from('not json'));
    const { answer } = await bootstrap.untilAnswer();
    expect(answer.header).toMatchObject({ type: 'error', requestId: 'bad-event' });
    expect(json(answer)).toEqual({
      errorMessage: 'Unable to unmarshal input: Expecting value: line 1 column 1 (char 0)',
      errorType: 'Runtime.UnmarshalError',
      requestId: 'bad-event',
      stackTrace: [],
    });
  });

  it('round-trips a 1 MB event with non-ASCII text', async () => {
    const bootstrap = start();
    await bootstrap.ready('results.handler', { AWS_EXECUTION_ENV: 'AWS_Lambda_python3.12' });
    const payload = { text: 'héllo wörld ✓ 日本語 🚀 '.repeat(40_000).slice(0, 1_000_000), n: 1 };
    const { answer } = await bootstrap.call({ return: 'echo', payload });
    expect(answer.header.type).toBe('response');
    expect(answer.body.length).toBeGreaterThan(1_000_000);
    expect(json(answer)).toEqual(payload);
    // python3.12+ runtimes write non-ASCII characters unescaped, as awslambdaric does.
    expect(answer.body.toString('utf8')).toContain('日本語');
  });

  it('escapes non-ASCII characters on runtimes before python3.12', async () => {
    const bootstrap = start();
    await bootstrap.ready('results.handler', { AWS_EXECUTION_ENV: 'AWS_Lambda_python3.11' });
    const { answer } = await bootstrap.call({ return: 'echo', payload: 'é' });
    expect(answer.body.toString('utf8')).toBe('"\\u00e9"');
  });
});

describe('python bootstrap: context and environment', () => {
  it('builds the context object and sets the environment per invoke', async () => {
    const bootstrap = start();
    await bootstrap.ready('context_info.handler');
    const deadlineMs = Date.now() + 5_000;
    const { answer, requestId } = await bootstrap.call(
      {},
      {
        deadlineMs,
        clientContext: JSON.stringify({ client: { installation_id: 'install-1' }, custom: { tier: 'gold' }, env: { locale: 'fr' } }),
        cognitoIdentity: JSON.stringify({ cognitoIdentityId: 'id-1', cognitoIdentityPoolId: 'pool-1' }),
      },
    );
    const info = json(answer) as Record<string, unknown>;
    expect(info).toMatchObject({
      function_name: 'orders',
      function_version: '7',
      invoked_function_arn: 'arn:aws:lambda:us-east-1:000000000000:function:orders',
      memory_limit_in_mb: '256',
      aws_request_id: requestId,
      log_group_name: '/aws/lambda/orders',
      log_stream_name: '2026/01/01/[7]abc',
      cognito_identity_id: 'id-1',
      cognito_identity_pool_id: 'pool-1',
      client_installation_id: 'install-1',
      client_custom: { tier: 'gold' },
      client_env: { locale: 'fr' },
      trace_id: 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1',
      greeting: 'hello from init',
      cwd: TASK_ROOT,
    });
    expect(info.remaining as number).toBeGreaterThan(0);
    expect(info.remaining as number).toBeLessThanOrEqual(5_000);
  });

  it('runs an event sent right behind init once init is done, counting its timeout from then', async () => {
    const bootstrap = start();
    bootstrap.init('slow_init.handler', { INIT_MS: '500' });
    bootstrap.invoke({}, { deadlineMs: Date.now() + 1_000, timeoutMs: 1_000 });
    expect((await bootstrap.untilAnswer()).answer.header.type).toBe('ready');
    const { answer } = await bootstrap.untilAnswer();
    expect(answer.header.type).toBe('response');
    // Counted from the deadline sent with it, at most 500 ms would remain.
    expect((JSON.parse(answer.body.toString()) as { remaining: number }).remaining).toBeGreaterThan(800);
  });

  it('leaves identity fields empty, reports no time left past the deadline and clears the trace id', async () => {
    const bootstrap = start();
    await bootstrap.ready('context_info.handler');
    const { answer } = await bootstrap.call({}, { deadlineMs: Date.now() - 1_000, traceId: null });
    expect(json(answer)).toMatchObject({
      remaining: 0,
      cognito_identity_id: null,
      cognito_identity_pool_id: null,
      client_installation_id: null,
      trace_id: null,
    });
  });

  it('keeps module state between invokes and loads botocore only when the function does', async () => {
    const bootstrap = start();
    await bootstrap.ready('counter.handler');
    const first = await bootstrap.call({});
    const second = await bootstrap.call({});
    expect(json(first.answer)).toEqual({ invocations: 1, botocore_loaded: false });
    expect(json(second.answer)).toEqual({ invocations: 2, botocore_loaded: false });
  });
});

describe('python bootstrap: logs and errors', () => {
  it('sends print, stderr and logging output as log frames before the response', async () => {
    const bootstrap = start();
    await bootstrap.ready('logs.handler', { AWS_LAMBDA_LOG_LEVEL: 'INFO' });
    const { logs, answer, requestId } = await bootstrap.call({});
    expect(answer.header.type).toBe('response');
    expect(logs.every((frame) => frame.header.requestId === requestId)).toBe(true);
    const bodies = logs.map((frame) => frame.body.toString('utf8'));
    expect(bodies[0]).toBe('printed line\n');
    expect(bodies[1]).toBe('to stderr\n');
    expect(bodies[2]).toMatch(LOG_LINE);
    expect(LOG_LINE.exec(bodies[2]!)?.slice(1)).toEqual(['INFO', requestId, 'info line']);
    expect(LOG_LINE.exec(bodies[3]!)?.slice(1)).toEqual(['WARNING', requestId, 'warning line']);
    expect(bodies.slice(4)).toEqual(['partial']);
    expect(bootstrap.stdout).toBe('');
  });

  it('leaves the root logger at WARNING when no log level is configured', async () => {
    const bootstrap = start();
    await bootstrap.ready('logs.handler');
    const { logs } = await bootstrap.call({});
    const text = logText(logs);
    expect(text).not.toContain('info line');
    expect(text).toContain('\twarning line\n');
  });

  it('writes JSON log lines when the log format is JSON', async () => {
    const bootstrap = start();
    await bootstrap.ready('logs.handler', { AWS_LAMBDA_LOG_FORMAT: 'JSON', AWS_LAMBDA_LOG_LEVEL: 'INFO' });
    const { logs, requestId } = await bootstrap.call({});
    const info = logs.map((frame) => frame.body.toString('utf8')).find((body) => body.includes('info line'));
    expect(JSON.parse(info!)).toMatchObject({ level: 'INFO', message: 'info line', logger: 'app', requestId });
  });

  it('turns an exception into an error document and an [ERROR] log record', async () => {
    const bootstrap = start();
    await bootstrap.ready('failing.handler');
    const { logs, answer, requestId } = await bootstrap.call({ why: 'bad input' });
    const file = join(TASK_ROOT, 'failing.py');
    expect(answer.header).toMatchObject({ type: 'error', requestId });
    expect(json(answer)).toEqual({
      errorMessage: 'boom: bad input',
      errorType: 'ValueError',
      requestId,
      stackTrace: [
        `  File "${file}", line 2, in handler\n    return check(event)\n`,
        `  File "${file}", line 6, in check\n    raise ValueError("boom: " + event["why"])\n`,
      ],
    });
    const indent = (n: number): string => NBSP.repeat(n);
    expect(logText(logs)).toBe(
      '[ERROR] ValueError: boom: bad input\nTraceback (most recent call last):\n' +
        `${indent(2)}File "${file}", line 2, in handler\n${indent(4)}return check(event)\n` +
        `${indent(2)}File "${file}", line 6, in check\n${indent(4)}raise ValueError("boom: " + event["why"])\n`,
    );
    const again = await bootstrap.call({ why: 'still bad' });
    expect(again.answer.header.type).toBe('error');
  });

  it('exits when the handler calls sys.exit, after sending what it printed', async () => {
    const bootstrap = start();
    await bootstrap.ready('exits.handler');
    bootstrap.invoke({});
    const frames = await bootstrap.rest();
    expect(frames.map((frame) => frame.header.type)).toEqual(['log']);
    expect(frames[0]!.body.toString()).toBe('last words\n');
    expect(await bootstrap.exited).toBe(3);
  });
});

// Debian's python3-boto3 is installed by npm test (scripts/test-tools.sh).
describe('python bootstrap: boto3 endpoints', () => {
  it('points boto3 clients created without endpoint_url at AWS_ENDPOINT_URL', async () => {
    const bootstrap = start();
    await bootstrap.ready('boto_client.handler', {
      AWS_ENDPOINT_URL: 'http://127.0.0.1:4566',
      AWS_ENDPOINT_URL_SQS: 'http://127.0.0.1:4577',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
    });
    const { answer } = await bootstrap.call({});
    expect(json(answer)).toEqual({
      s3: 'http://127.0.0.1:4566',
      sqs: 'http://127.0.0.1:4577',
      explicit: 'http://explicit:1',
    });
  });
});
