import type { ResponseStreamSink } from './types.js';

/**
 * One invocation's streamed response (Lambda response streaming), between the runtime that writes it (the private
 * channel's `streamStart`/`chunk` frames, or the Runtime API's `Lambda-Runtime-Function-Response-Mode: streaming`
 * POST) and the caller that reads it. Chunks go to the caller's sink as they arrive; a caller without a sink (Invoke,
 * a BUFFERED function URL) gets them gathered into the payload, as Lambda buffers a streaming function's response.
 */

/**
 * Lambda's documented limit on a streamed response: "up to a soft limit of 20 MB"
 * (https://docs.aws.amazon.com/lambda/latest/dg/configuration-response-streaming.html).
 */
export const RESPONSE_STREAM_LIMIT_BYTES = 20 * 1024 * 1024;

/** What `awslambda.HttpResponseStream.from` sets: a JSON prelude, 8 NUL bytes, then the body. */
export const HTTP_INTEGRATION_CONTENT_TYPE = 'application/vnd.awslambda.http-integration-response';

/** The error a stream over the limit ends with (Flint's wording; Lambda names the same error type). */
export function streamTooLargeDocument(): Buffer {
  return Buffer.from(
    JSON.stringify({
      errorMessage: `Response payload size exceeded maximum allowed payload streaming size (${RESPONSE_STREAM_LIMIT_BYTES} bytes).`,
      errorType: 'Function.ResponseSizeTooLarge',
    }),
  );
}

export class StreamedResponse {
  bytes = 0;
  private readonly gathered: Buffer[] = [];

  constructor(
    readonly contentType: string,
    private readonly sink: ResponseStreamSink | undefined,
  ) {
    sink?.begin(contentType);
  }

  /** Passes a chunk on; false when it would take the stream over Lambda's limit (the chunk is dropped). */
  write(chunk: Buffer): boolean {
    if (this.bytes + chunk.length > RESPONSE_STREAM_LIMIT_BYTES) return false;
    this.bytes += chunk.length;
    if (this.sink) this.sink.write(chunk);
    else this.gathered.push(chunk);
    return true;
  }

  /** The whole body, for a caller without a sink. */
  body(): Buffer {
    return Buffer.concat(this.gathered);
  }

  get summary(): { contentType: string; bytes: number } {
    return { contentType: this.contentType, bytes: this.bytes };
  }
}
