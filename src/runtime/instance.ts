/**
 * One execution environment: a sandboxed runtime process serving one function version, one event at a
 * time. This is the invocation state machine shared by both drivers (private channel and Runtime API): it
 * owns timeouts, memory limits, crash handling, Lambda's START/END/REPORT lines and the log tail.
 */
import { FlintError, LIMITS, type Timer } from '../core/index.js';
import { errorTypeOf, type Driver, type DriverEvents } from './driver.js';
import { treeRssKb } from './memory.js';
import {
  billedDuration,
  endLine,
  exitErrorMessage,
  initReportLine,
  LogTail,
  reportLine,
  responseTooLargeDocument,
  startLine,
  timeoutMessage,
} from './report.js';
import { StreamedResponse, streamTooLargeDocument } from './response-stream.js';
import type { InitFailure, InstanceConfig, InvokeOutcome, InvokeRequest, InvokeStatus, RuntimeHostOptions, StartKind } from './types.js';

export type InstanceState = 'new' | 'initializing' | 'idle' | 'busy' | 'dead';

interface Running {
  request: InvokeRequest;
  startedAt: number;
  tail: LogTail;
  timer: Timer;
  memoryTimer?: Timer;
  peakRssKb: number;
  outOfMemory: boolean;
  cold: boolean;
  /** START, until it is stored: a silent invocation stores START, END and REPORT as one record. */
  startPending?: string;
  /** The response the function is streaming, once it began one. */
  stream?: StreamedResponse;
  resolve: (outcome: InvokeOutcome) => void;
}

const V8_OOM = /JavaScript heap out of memory|Reached heap limit/;

export class Instance {
  readonly createdAt: number;
  state: InstanceState = 'new';
  initDurationMs: number | undefined;
  invocations = 0;
  lastUsedAt: number;

  private starting: Promise<void> | undefined;
  private initWaiter: { resolve: () => void; reject: (failure: InitFailure) => void; startedAt: number; timer: Timer } | undefined;
  private initLog: LogTail | undefined = new LogTail(LIMITS.logTailBytes);
  private running: Running | undefined;
  private firstInvoke: { request: InvokeRequest; resolve: (outcome: InvokeOutcome) => void } | undefined;
  private coldPending = true;
  private readonly exitListeners = new Set<(instance: Instance) => void>();

  constructor(
    readonly id: string,
    readonly config: InstanceConfig,
    private readonly host: RuntimeHostOptions,
    private readonly driver: Driver,
    /** How this instance came to be: a process of its own, or a specialised stem cell. */
    readonly origin: 'cold' | 'stem-cell' = 'cold',
  ) {
    this.createdAt = host.clock.now();
    this.lastUsedAt = this.createdAt;
  }

  /**
   * Starts the process and runs the function's init. Rejects with an InitFailure. Idempotent. `first` is
   * the event this start is for: the driver may send it along with init (see Driver.start).
   */
  start(first?: InvokeRequest): Promise<void> {
    this.starting ??= new Promise<void>((resolve, reject) => {
      this.state = 'initializing';
      const startedAt = this.host.clock.monotonic();
      const timer = this.host.clock.setTimer(this.host.initTimeoutMs ?? 10_000, () => this.initTimedOut());
      this.initWaiter = { resolve, reject, startedAt, timer };
      this.driver.start(this.driverEvents(), first && !this.provisioned ? { request: first, timeoutMs: this.config.timeout * 1000 } : undefined);
    });
    return this.starting;
  }

  /** Runs one event. Starts the instance first if needed (a cold start). Never rejects. */
  async invoke(request: InvokeRequest): Promise<InvokeOutcome> {
    if (this.state === 'new') return this.startFor(request);
    if (this.state === 'initializing') {
      try {
        await this.start();
      } catch (failure) {
        return this.initFailureOutcome(request, failure as InitFailure);
      }
    }
    if (this.state !== 'idle') throw new FlintError('INSTANCE_FAILED', `instance ${this.id} is ${this.state}, not idle`);
    return new Promise<InvokeOutcome>((resolve) => this.begin(request, resolve));
  }

  /**
   * A cold start for one event. The event begins the moment init reports ready, in the same turn: a driver
   * that sent it along with init may deliver its result right behind `ready`.
   */
  private startFor(request: InvokeRequest): Promise<InvokeOutcome> {
    return new Promise<InvokeOutcome>((resolve) => {
      this.firstInvoke = { request, resolve };
      this.start(request).catch((failure: unknown) => {
        this.firstInvoke = undefined;
        resolve(this.initFailureOutcome(request, failure as InitFailure));
      });
    });
  }

  /** Stops the instance (idle reaping, redeploys, shutdown). An invocation in flight ends as a crash. */
  async stop(): Promise<void> {
    this.markDead();
    await this.driver.destroy();
  }

  onExit(listener: (instance: Instance) => void): () => void {
    this.exitListeners.add(listener);
    return () => this.exitListeners.delete(listener);
  }

  get pid(): number | undefined {
    return this.driver.pid;
  }

  /** Provisioned instances are initialised ahead of need: their init is never part of an invocation. */
  get provisioned(): boolean {
    return this.config.initType === 'provisioned-concurrency';
  }

  private startKind(cold: boolean): StartKind {
    if (this.provisioned) return 'provisioned';
    return cold ? this.origin : 'warm';
  }

  // ------------------------------------------------------------------ invocation

  private begin(request: InvokeRequest, resolve: (outcome: InvokeOutcome) => void): void {
    this.state = 'busy';
    this.invocations++;
    const clock = this.host.clock;
    const cold = this.coldPending && !this.provisioned;
    this.coldPending = false;
    const tail = cold && this.initLog ? this.initLog : new LogTail(LIMITS.logTailBytes);
    this.initLog = undefined;
    const running: Running = {
      request,
      startedAt: clock.monotonic(),
      tail,
      timer: clock.setTimer(this.config.timeout * 1000, () => this.timedOut(running)),
      peakRssKb: 0,
      outOfMemory: false,
      cold,
      resolve,
    };
    this.running = running;
    running.startPending = startLine(request.requestId, this.config.version);
    running.tail.add(running.startPending);
    this.watchMemory(running);
    this.driver.invoke(request, clock.now() + this.config.timeout * 1000);
  }

  private finish(running: Running, status: InvokeStatus, payload: Buffer, errorType?: string, maxRssKb?: number): void {
    if (this.running !== running) return;
    this.running = undefined;
    running.timer.cancel();
    running.memoryTimer?.cancel();
    const clock = this.host.clock;
    const durationMs = clock.monotonic() - running.startedAt;
    const initDurationMs = running.cold ? this.initDurationMs : undefined;
    const peakKb = Math.max(running.peakRssKb, maxRssKb ?? (this.pid ? (treeRssKb(this.pid) ?? 0) : 0));
    // An instance stopped for memory used all of it, as Lambda reports.
    const maxMemoryUsedMb = status === 'oom' ? this.config.memorySize : Math.max(1, Math.ceil(peakKb / 1024));
    const billedDurationMs = billedDuration(durationMs, initDurationMs);
    const requestId = running.request.requestId;
    const failed = status === 'timeout' ? 'timeout' : status === 'crash' || status === 'oom' ? 'error' : undefined;
    const start = this.startKind(running.cold);
    // One record for the platform's closing lines (and START, if nothing came between): fewer rows to store.
    const lines = [endLine(requestId), reportLine({ requestId, durationMs, billedDurationMs, memorySize: this.config.memorySize, maxMemoryUsedMb, initDurationMs, status: failed, errorType: failed === 'error' ? errorType : undefined, start })];
    if (status === 'timeout') lines.push(`${new Date(clock.now()).toISOString()} ${requestId} Task timed out after ${this.config.timeout.toFixed(2)} seconds`);
    for (const text of lines) running.tail.add(text);
    this.record((running.startPending ? [running.startPending, ...lines] : lines).join('\n'), requestId);
    running.startPending = undefined;
    this.lastUsedAt = clock.now();
    if (this.state === 'busy') this.state = 'idle';
    running.resolve({
      status,
      start,
      payload,
      errorType,
      durationMs,
      billedDurationMs,
      initDurationMs,
      maxMemoryUsedMb,
      logTail: running.tail.value(),
      ...(running.stream ? { streamed: running.stream.summary } : {}),
    });
  }

  private timedOut(running: Running): void {
    const requestId = running.request.requestId;
    const document = { errorType: 'Sandbox.Timedout', errorMessage: timeoutMessage(requestId, this.config.timeout) };
    this.markDead();
    this.finish(running, 'timeout', Buffer.from(JSON.stringify(document)), 'Sandbox.Timedout');
    void this.driver.destroy();
  }

  /**
   * Where the instance has a cgroup the kernel enforces its memory size: the runtime process it kills shows at its
   * exit; a process the handler started is caught here, and ends the whole instance as Lambda's environment ends.
   * Without one, samples the process tree's resident memory and stops the instance when it exceeds its memory size.
   */
  private watchMemory(running: Running): void {
    const every = this.host.memoryPollMs ?? 50;
    if (every <= 0) return;
    const limitKb = this.config.memorySize * 1024;
    const cgroup = this.driver.cgroup;
    const sample = (): void => {
      if (this.running !== running || !this.pid) return;
      const over = cgroup ? cgroup.oomKills() > 0 : this.sampleRss(running) > limitKb;
      if (over) {
        running.outOfMemory = true;
        void this.driver.destroy();
        return;
      }
      running.memoryTimer = this.host.clock.setTimer(every, sample);
    };
    running.memoryTimer = this.host.clock.setTimer(every, sample);
  }

  private sampleRss(running: Running): number {
    const rss = (this.pid && treeRssKb(this.pid)) || 0;
    running.peakRssKb = Math.max(running.peakRssKb, rss);
    return rss;
  }

  private onResult(requestId: string, kind: 'response' | 'error', body: Buffer, maxRssKb?: number): void {
    const running = this.running;
    if (!running || running.request.requestId !== requestId) return;
    // A process the handler started may have been OOM-killed since the last memory check: the answer must not
    // outrun that check, or the invocation would succeed where the instance ran out of memory.
    if (this.driver.cgroup && this.driver.cgroup.oomKills() > 0) {
      running.outOfMemory = true;
      void this.driver.destroy();
      return;
    }
    if (running.stream) {
      // A streamed response ends here: its body went to the sink (or was gathered); an error came mid-stream.
      if (kind === 'response') return this.finish(running, 'success', running.stream.body(), undefined, maxRssKb);
      return this.finish(running, 'error', body, errorTypeOf(body, 'Unhandled'), maxRssKb);
    }
    if (body.length > LIMITS.syncResponseBytes) {
      const document = responseTooLargeDocument();
      this.functionLog(`${new Date(this.host.clock.now()).toISOString()} ${requestId} ${document.toString()}`, requestId);
      return this.finish(running, 'error', document, 'Function.ResponseSizeTooLarge', maxRssKb);
    }
    if (kind === 'response') return this.finish(running, 'success', body, undefined, maxRssKb);
    this.finish(running, 'error', body, errorTypeOf(body, 'Unhandled'), maxRssKb);
  }

  private onStreamStart(requestId: string, contentType: string): void {
    const running = this.running;
    if (!running || running.request.requestId !== requestId || running.stream) return;
    running.stream = new StreamedResponse(contentType, running.request.responseStream);
  }

  private onStreamChunk(requestId: string, chunk: Buffer): void {
    const running = this.running;
    if (!running || running.request.requestId !== requestId || !running.stream) return;
    if (running.stream.write(chunk)) return;
    // Over Lambda's streaming limit: the invocation fails and the handler still writing is stopped with its instance.
    const document = streamTooLargeDocument();
    this.functionLog(`${new Date(this.host.clock.now()).toISOString()} ${requestId} ${document.toString()}`, requestId);
    this.markDead();
    this.finish(running, 'error', document, 'Function.ResponseSizeTooLarge');
    void this.driver.destroy();
  }

  private onExitEvent(code: number | null, signal: NodeJS.Signals | null): void {
    const wasInitializing = this.state === 'initializing';
    const running = this.running;
    this.markDead();
    // The kernel's OOM killer counts in the instance's cgroup: the exit is known to be for memory at once.
    const oomKilled = (this.driver.cgroup?.oomKills() ?? 0) > 0;
    if (oomKilled && code === 128 + 9) [code, signal] = [null, 'SIGKILL']; // bwrap passes its child's SIGKILL on as status 137
    if (wasInitializing) {
      const errorType = oomKilled ? 'Runtime.OutOfMemory' : 'Runtime.ExitError';
      this.failInit(oomKilled ? 'oom' : 'crash', errorType, { errorType, errorMessage: exitErrorMessage(undefined, code, signal) });
    }
    if (running) {
      const outOfMemory = running.outOfMemory || oomKilled;
      const errorType = outOfMemory ? 'Runtime.OutOfMemory' : 'Runtime.ExitError';
      const message = exitErrorMessage(running.request.requestId, code, signal);
      this.platformLine(`${message}\n${errorType}`, running.request.requestId);
      this.finish(running, outOfMemory ? 'oom' : 'crash', Buffer.from(JSON.stringify({ errorType, errorMessage: message })), errorType);
    }
    void this.driver.destroy();
  }

  private markDead(): void {
    if (this.state === 'dead') return;
    this.state = 'dead';
    for (const listener of this.exitListeners) listener(this);
  }

  // ------------------------------------------------------------------ init

  private onReady(): void {
    const waiter = this.initWaiter;
    if (!waiter) return;
    this.initWaiter = undefined;
    waiter.timer.cancel();
    this.initDurationMs = this.host.clock.monotonic() - waiter.startedAt;
    this.state = 'idle';
    this.lastUsedAt = this.host.clock.now();
    waiter.resolve();
    const first = this.firstInvoke;
    this.firstInvoke = undefined;
    if (first) this.begin(first.request, first.resolve);
  }

  private initTimedOut(): void {
    const seconds = (this.host.initTimeoutMs ?? 10_000) / 1000;
    this.failInit('timeout', 'Sandbox.Timedout', { errorType: 'Sandbox.Timedout', errorMessage: `Error: Task timed out after ${seconds.toFixed(2)} seconds` });
    this.markDead();
    void this.driver.destroy();
  }

  private failInit(status: InitFailure['status'], errorType: string, document: object | Buffer): void {
    const waiter = this.initWaiter;
    if (!waiter) return;
    this.initWaiter = undefined;
    waiter.timer.cancel();
    const initDurationMs = this.host.clock.monotonic() - waiter.startedAt;
    this.initDurationMs = initDurationMs;
    this.platformLine(initReportLine(initDurationMs, status === 'timeout' ? 'timeout' : 'error', errorType), null);
    const payload = Buffer.isBuffer(document) ? document : Buffer.from(JSON.stringify(document));
    waiter.reject({ status, errorType, payload, initDurationMs });
  }

  private initFailureOutcome(request: InvokeRequest, failure: InitFailure): InvokeOutcome {
    const requestId = request.requestId;
    const tail = this.initLog ?? new LogTail(LIMITS.logTailBytes);
    this.initLog = undefined;
    const cold = this.coldPending;
    this.coldPending = false;
    const initDurationMs = cold ? failure.initDurationMs : undefined;
    const add = (line: string): void => {
      tail.add(line);
      this.record(line, requestId);
    };
    add(startLine(requestId, this.config.version));
    add(endLine(requestId));
    const billedDurationMs = billedDuration(0, initDurationMs);
    const start = this.startKind(cold);
    add(reportLine({ requestId, durationMs: 0, billedDurationMs, memorySize: this.config.memorySize, maxMemoryUsedMb: 0, initDurationMs, status: 'error', errorType: failure.errorType, start }));
    return {
      status: failure.status === 'init-error' ? 'init-error' : failure.status,
      start,
      payload: failure.payload,
      errorType: failure.errorType,
      durationMs: 0,
      billedDurationMs,
      initDurationMs,
      maxMemoryUsedMb: 0,
      logTail: tail.value(),
    };
  }

  // ------------------------------------------------------------------ logs

  private driverEvents(): DriverEvents {
    return {
      ready: () => this.onReady(),
      initError: (document, errorType) => {
        this.failInit('init-error', errorType, document);
        this.markDead();
        void this.driver.destroy();
      },
      result: (requestId, kind, body, maxRssKb) => this.onResult(requestId, kind, body, maxRssKb),
      streamStart: (requestId, contentType) => this.onStreamStart(requestId, contentType),
      streamChunk: (requestId, chunk) => this.onStreamChunk(requestId, chunk),
      log: (text, requestId) => this.functionLog(text, requestId === undefined ? this.running?.request.requestId : requestId ?? undefined),
      exit: (code, signal) => this.onExitEvent(code, signal),
    };
  }

  /** Output of the function. */
  private functionLog(text: string, requestId: string | undefined): void {
    const message = text.endsWith('\n') ? text.slice(0, -1) : text;
    const running = this.running && this.running.request.requestId === requestId ? this.running : undefined;
    if (running && V8_OOM.test(message)) running.outOfMemory = true;
    (running ? running.tail : this.initLog)?.add(message);
    this.flushStart(running);
    this.record(message, requestId);
  }

  /** A line Flint writes as Lambda's platform would. */
  private platformLine(line: string, requestId: string | null): void {
    const running = this.running && requestId === this.running.request.requestId ? this.running : undefined;
    (running ? running.tail : this.initLog)?.add(line);
    this.flushStart(running);
    this.record(line, requestId ?? undefined);
  }

  /** Stores a pending START before anything else of its invocation, so records stay in order. */
  private flushStart(running: Running | undefined): void {
    if (!running?.startPending) return;
    this.record(running.startPending, running.request.requestId);
    running.startPending = undefined;
  }

  private record(message: string, requestId: string | undefined): void {
    this.host.logSink.write({
      time: this.host.clock.now(),
      functionName: this.config.functionName,
      version: this.config.version,
      requestId,
      instanceId: this.id,
      message,
    });
  }
}
