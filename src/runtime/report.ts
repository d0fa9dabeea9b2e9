/**
 * The platform lines Lambda writes around every invocation, byte for byte in Lambda's text format, and the
 * messages of its platform errors.
 */
export function startLine(requestId: string, version: string): string {
  return `START RequestId: ${requestId} Version: ${version}`;
}

export function endLine(requestId: string): string {
  return `END RequestId: ${requestId}`;
}

export interface ReportFields {
  requestId: string;
  durationMs: number;
  billedDurationMs: number;
  memorySize: number;
  maxMemoryUsedMb: number;
  initDurationMs?: number;
  status?: 'timeout' | 'error';
  errorType?: string;
  /** Flint's addition: how the serving instance was started (cold, stem-cell, warm, provisioned). */
  start?: string;
}

export function reportLine(f: ReportFields): string {
  let line = `REPORT RequestId: ${f.requestId}\tDuration: ${f.durationMs.toFixed(2)} ms\tBilled Duration: ${f.billedDurationMs} ms\tMemory Size: ${f.memorySize} MB\tMax Memory Used: ${f.maxMemoryUsedMb} MB\t`;
  if (f.initDurationMs !== undefined) line += `Init Duration: ${f.initDurationMs.toFixed(2)} ms\t`;
  if (f.status) line += `Status: ${f.status}\t`;
  if (f.errorType) line += `Error Type: ${f.errorType}\t`;
  if (f.start) line += `Start: ${f.start}\t`;
  return line;
}

export function initReportLine(initDurationMs: number, status: 'error' | 'timeout', errorType?: string): string {
  return `INIT_REPORT Init Duration: ${initDurationMs.toFixed(2)} ms\tPhase: init\tStatus: ${status}${errorType ? `\tError Type: ${errorType}` : ''}`;
}

/** Since August 2025 Lambda bills the init phase of on-demand functions together with the first invoke. */
export function billedDuration(durationMs: number, initDurationMs = 0): number {
  return Math.max(1, Math.ceil(durationMs + initDurationMs));
}

export function timeoutMessage(requestId: string, seconds: number): string {
  return `RequestId: ${requestId} Error: Task timed out after ${seconds.toFixed(2)} seconds`;
}

/** Go-style exit descriptions, as Lambda's "Runtime exited with error: …" uses them. */
export function exitDescription(code: number | null, signal: NodeJS.Signals | null): string {
  if (signal) return `signal: ${SIGNAL_NAMES[signal] ?? signal.toLowerCase()}`;
  return `exit status ${code ?? 0}`;
}

const SIGNAL_NAMES: Partial<Record<NodeJS.Signals, string>> = {
  SIGKILL: 'killed',
  SIGABRT: 'aborted',
  SIGSEGV: 'segmentation fault',
  SIGTERM: 'terminated',
  SIGBUS: 'bus error',
  SIGILL: 'illegal instruction',
  SIGFPE: 'floating point exception',
};

/** During init there is no request yet, and Lambda's message starts at "Error:". */
export function exitErrorMessage(requestId: string | undefined, code: number | null, signal: NodeJS.Signals | null): string {
  const prefix = requestId ? `RequestId: ${requestId} ` : '';
  return `${prefix}Error: Runtime exited with error: ${exitDescription(code, signal)}`;
}

/** Keeps the last `limit` bytes of an invocation's log for X-Amz-Log-Result. */
export class LogTail {
  private text = '';

  constructor(private readonly limit: number) {}

  add(line: string): void {
    this.text += line.endsWith('\n') ? line : line + '\n';
    if (this.text.length > this.limit * 2) this.text = this.text.slice(-this.limit * 2);
  }

  value(): string {
    const bytes = Buffer.from(this.text);
    return bytes.length <= this.limit ? this.text : bytes.subarray(bytes.length - this.limit).toString('utf8');
  }
}

/** What Lambda returns when a function's response exceeds the synchronous limit. */
export function responseTooLargeDocument(): Buffer {
  return Buffer.from(
    JSON.stringify({ errorMessage: 'Response payload size exceeded maximum allowed payload size (6291556 bytes).', errorType: 'Function.ResponseSizeTooLarge' }),
  );
}
