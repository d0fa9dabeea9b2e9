import type { Duplex } from 'node:stream';
import { attachChannel, encodeFrame, type Frame } from './channel.js';
import { errorTypeOf, onLines, type Driver, type DriverEvents, type FirstInvoke } from './driver.js';
import type { InstanceCgroup } from './cgroups/index.js';
import type { SandboxedProcess } from './sandbox/sandbox.js';
import type { InvokeRequest } from './types.js';

export interface ChannelInit {
  handler: string;
  taskRoot: string;
  env: Record<string, string>;
}

/** Drives a built-in runtime bootstrap over the private channel on fd 3 (bootstraps/PROTOCOL.md). */
export class ChannelDriver implements Driver {
  private send: ((header: Frame['header'], body?: Uint8Array) => void) | undefined;
  /** The request already sent behind init, which `invoke` must not send again. */
  private sentWithInit: string | undefined;

  /**
   * `launch` provides the process and says how to specialise it: a freshly spawned one, or a stem cell
   * started earlier whose code is attached now.
   */
  constructor(private readonly launch: () => Promise<{ process: SandboxedProcess; init: ChannelInit }>) {}

  private process: SandboxedProcess | undefined;

  get pid(): number | undefined {
    return this.process?.child.pid;
  }

  get cgroup(): InstanceCgroup | undefined {
    return this.process?.cgroup;
  }

  start(events: DriverEvents, first?: FirstInvoke): void {
    this.launch().then(
      ({ process: proc, init }) => this.begin(proc, init, events, first),
      (error: unknown) => {
        const document = { errorType: 'Runtime.Unknown', errorMessage: `Error: could not start the runtime: ${String(error)}` };
        events.initError(Buffer.from(JSON.stringify(document)), document.errorType);
      },
    );
  }

  private begin(proc: SandboxedProcess, init: ChannelInit, events: DriverEvents, first: FirstInvoke | undefined): void {
    this.process = proc;
    const { child } = proc;
    onLines(child.stdout, (line) => events.log(line, undefined));
    onLines(child.stderr, (line) => events.log(line, undefined));
    child.once('exit', (code, signal) => events.exit(code, signal));
    const stream = child.stdio[3] as Duplex;
    stream.on('error', () => {}); // the exit event reports what happened
    this.send = attachChannel(stream, (frame) => this.onFrame(frame, events));
    if (child.exitCode !== null || child.signalCode !== null) return events.exit(child.exitCode, child.signalCode);
    const initFrame = encodeFrame({ type: 'init', handler: init.handler, taskRoot: init.taskRoot, env: init.env });
    if (!first) {
      stream.write(initFrame);
      return;
    }
    // One write for both: the process reads the event as soon as init is done, without waiting for us.
    const deadlineMs = Date.now() + first.timeoutMs;
    stream.write(Buffer.concat([initFrame, encodeFrame(invokeHeader(first.request, deadlineMs, first.timeoutMs), first.request.payload)]));
    this.sentWithInit = first.request.requestId;
  }

  invoke(request: InvokeRequest, deadlineMs: number): void {
    if (this.sentWithInit === request.requestId) {
      this.sentWithInit = undefined;
      return;
    }
    this.send?.(invokeHeader(request, deadlineMs), request.payload);
  }

  async destroy(): Promise<void> {
    await this.process?.destroy();
  }

  private onFrame({ header, body }: Frame, events: DriverEvents): void {
    switch (header.type) {
      case 'ready':
        return events.ready();
      case 'initError':
        return events.initError(body, errorTypeOf(body, 'Runtime.Unknown'));
      case 'response':
      case 'error':
        return events.result(String(header.requestId), header.type, body, numberOrUndefined(header.maxRssKb));
      case 'streamStart':
        return events.streamStart(String(header.requestId), typeof header.contentType === 'string' ? header.contentType : 'application/octet-stream');
      case 'chunk':
        return events.streamChunk(String(header.requestId), body);
      case 'log':
        return events.log(body.toString('utf8'), typeof header.requestId === 'string' ? header.requestId : null);
    }
  }
}

function invokeHeader(request: InvokeRequest, deadlineMs: number, timeoutMs?: number): Frame['header'] {
  return {
    type: 'invoke',
    requestId: request.requestId,
    deadlineMs,
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
    functionArn: request.invokedArn,
    clientContext: request.clientContext ?? null,
    cognitoIdentity: request.cognitoIdentity ?? null,
    traceId: request.traceId ?? null,
  };
}

function numberOrUndefined(value: unknown): number | undefined {
  return typeof value === 'number' ? value : undefined;
}
