import type { CallResult, FunctionCall, FunctionCalls } from '../../events/index.js';
import type { ResponseStreamSink } from '../../runtime/index.js';

/**
 * A RequestResponse call whose response may stream: InvokeWithResponseStream and RESPONSE_STREAM function URLs answer
 * as soon as the function begins its stream, and pass each chunk on as the function writes it. Errors before that
 * (no such function, a throttle) still reject, so they are answered as errors, not as a stream.
 */
export interface StreamedCall {
  /** Set when the function streamed: its content type and the chunks, live, ending when the invocation ends. */
  stream?: { contentType: string; chunks: AsyncIterable<Buffer> };
  /** The invocation's result (for a stream, once it ended). */
  done: Promise<CallResult>;
}

/** Starts the call; resolves when its stream begins or, for a function that does not stream, when it ends. */
export function startStreamedCall(calls: FunctionCalls, call: FunctionCall): Promise<StreamedCall> {
  const queue = new ChunkQueue();
  let began: ((contentType: string) => void) | undefined;
  const beginning = new Promise<string>((resolve) => (began = resolve));
  const sink: ResponseStreamSink = { begin: (contentType) => began?.(contentType), write: (chunk) => queue.push(chunk) };
  const done = calls.invoke({ ...call, responseStream: sink });
  void done.then(
    () => queue.end(),
    () => queue.end(),
  );
  return Promise.race([beginning.then((contentType) => ({ stream: { contentType, chunks: queue }, done })), done.then(() => ({ done }))]);
}

/** Chunks handed over by the runtime, read by one consumer; a consumer that stops reading drops the rest. */
class ChunkQueue implements AsyncIterable<Buffer> {
  private readonly chunks: Buffer[] = [];
  private ended = false;
  private abandoned = false;
  private wake: (() => void) | undefined;

  push(chunk: Buffer): void {
    if (this.abandoned) return;
    this.chunks.push(chunk);
    this.signal();
  }

  end(): void {
    this.ended = true;
    this.signal();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Buffer> {
    try {
      for (;;) {
        const chunk = this.chunks.shift();
        if (chunk !== undefined) {
          yield chunk;
          continue;
        }
        if (this.ended) return;
        await new Promise<void>((resolve) => (this.wake = resolve));
      }
    } finally {
      this.abandoned = true;
      this.chunks.length = 0;
    }
  }

  private signal(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}
