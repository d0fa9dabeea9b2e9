// @ts-check
'use strict';
/*
 * Lambda response streaming for Flint's Node.js bootstrap: the `awslambda` global Lambda's Node.js runtime gives
 * handlers (`awslambda.streamifyResponse`, `awslambda.HttpResponseStream.from`), and running a streaming handler with
 * its chunks sent to Flint as they are written (`streamStart` then `chunk` frames, see ../PROTOCOL.md). The behaviour
 * follows AWS's documentation (https://docs.aws.amazon.com/lambda/latest/dg/configuration-response-streaming.html and
 * response-streaming-tutorial.html): the handler gets (event, responseStream, context); responseStream is a Writable
 * with setContentType(); HttpResponseStream.from(stream, { statusCode, headers, cookies }) makes an HTTP response for
 * function URLs (a JSON prelude and 8 NUL bytes before the body, content type
 * application/vnd.awslambda.http-integration-response).
 */
const { Writable } = require('node:stream');

/** How Lambda's runtime marks a streaming handler; code may test for it. */
const STREAMING = Symbol.for('aws.lambda.runtime.handler.streaming');
const HIGH_WATER_MARK = Symbol.for('aws.lambda.runtime.handler.streaming.highWaterMark');
const HTTP_INTEGRATION = 'application/vnd.awslambda.http-integration-response';
const DELIMITER = Buffer.alloc(8);

/**
 * @typedef {(header: { type: string, [key: string]: unknown }, body?: Buffer | string) => void} Send
 * @typedef {Writable & { setContentType(type: string): void, _onBeforeFirstWrite?: (write: (bytes: Buffer | string) => void) => void }} ResponseStream
 */

/** @param {Function} handler @param {{ highWaterMark?: number }} [options] */
function streamifyResponse(handler, options) {
  /** @type {any} */ (handler)[STREAMING] = 'response';
  if (options?.highWaterMark !== undefined) /** @type {any} */ (handler)[HIGH_WATER_MARK] = options.highWaterMark;
  return handler;
}

const HttpResponseStream = {
  /** @param {ResponseStream} stream @param {{ statusCode?: number, headers?: Record<string, string>, cookies?: string[] }} prelude */
  from(stream, prelude) {
    stream.setContentType(HTTP_INTEGRATION);
    const json = JSON.stringify(prelude ?? {});
    stream._onBeforeFirstWrite = (write) => {
      write(json);
      write(DELIMITER);
    };
    return stream;
  },
};

/** Makes `awslambda` global before the handler module loads, as Lambda's runtime does. */
function install() {
  const existing = /** @type {any} */ (globalThis).awslambda;
  /** @type {any} */ (globalThis).awslambda = { ...existing, streamifyResponse, HttpResponseStream };
}

/** @param {unknown} handler */
function isStreaming(handler) {
  return typeof handler === 'function' && /** @type {any} */ (handler)[STREAMING] === 'response';
}

/**
 * Runs a streaming handler. `send` carries frames for this request; `done(null)` ends the stream, `done(error)` ends
 * it with an error (before the stream began: an ordinary error result; after: an error mid-stream).
 * @param {Function} handler @param {unknown} event @param {object} context @param {Send} send
 * @param {(error: unknown) => void} done
 */
function runStreaming(handler, event, context, send, done) {
  let contentType = 'application/octet-stream';
  let started = false;
  let settled = false;
  const begin = () => {
    if (started) return;
    started = true;
    send({ type: 'streamStart', contentType });
    const before = stream._onBeforeFirstWrite;
    stream._onBeforeFirstWrite = undefined;
    before?.((bytes) => send({ type: 'chunk' }, Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes)));
  };
  const settle = (/** @type {unknown} */ error) => {
    if (settled) return;
    settled = true;
    if (error == null) begin();
    done(error);
  };
  const stream = /** @type {ResponseStream} */ (
    new Writable({
      highWaterMark: /** @type {any} */ (handler)[HIGH_WATER_MARK],
      write(chunk, _encoding, callback) {
        begin();
        if (chunk.length > 0) send({ type: 'chunk' }, chunk);
        callback();
      },
      final(callback) {
        callback();
        settle(null);
      },
    })
  );
  stream.setContentType = (type) => {
    if (started) throw new Error('Tried to set content type after the stream started.');
    contentType = type;
  };
  stream.on('error', (error) => settle(error));
  let returned;
  try {
    returned = handler(event, stream, context);
  } catch (error) {
    return settle(error);
  }
  Promise.resolve(returned).then(
    () => {
      // A handler that returns without ending its stream has said all it will say.
      if (!stream.writableEnded) stream.end();
    },
    (error) => settle(error ?? 'handled'),
  );
}

module.exports = { install, isStreaming, runStreaming };
