// @ts-check
'use strict';
/*
 * Flint's Node.js runtime bootstrap. Behaves like Lambda's own Node.js runtime from the handler's point of
 * view (handler resolution, context, callback and async styles, error documents, console format), and talks
 * to Flint over the private channel on fd 3 (see ../PROTOCOL.md). Plain CommonJS with no dependencies so
 * that a process starts and specialises in a few milliseconds: it is spawned ahead of time as a stem cell.
 */
const net = require('node:net');
const path = require('node:path');
const fs = require('node:fs');
const streaming = require('./streaming.cjs');

const channel = new net.Socket({ fd: 3, readable: true, writable: true });
// Synchronous writes keep log frames ordered before the response and survive an immediate process.exit.
// @ts-expect-error -- _handle is internal but stable: it is how process.stdout becomes synchronous on pipes.
channel._handle.setBlocking(true);

/** @type {string | undefined} */
let currentRequestId;
/** @type {((event: unknown, context: object, callback?: Function) => unknown) | undefined} */
let handler;
let invoking = false;
/** Set by the init frame; a process that got one does not warm up (it is not a waiting stem cell). */
let initReceived = false;
/** While init runs: an invoke sent right behind init waits for it. */
/** @type {Promise<void> | undefined} */
let initializing;
/** An invoke arrived while init ran (Flint sends a cold start's event right behind init). */
let invokeWaiting = false;

// ---------------------------------------------------------------- framing

/** @param {object} header @param {Buffer | string} [body] */
function frame(header, body) {
  const json = Buffer.from(JSON.stringify(header));
  const payload = body === undefined ? Buffer.alloc(0) : Buffer.isBuffer(body) ? body : Buffer.from(body);
  const prefix = Buffer.allocUnsafe(8);
  prefix.writeUInt32BE(json.length, 0);
  prefix.writeUInt32BE(payload.length, 4);
  return Buffer.concat([prefix, json, payload]);
}

/** The request id of a stem cell's dry invocation (see warmUp), whose frames go nowhere. */
const WARM_UP = 'warm-up';

/**
 * Frames held back to leave in one write (see holdUntilTurnEnds), or undefined when frames go out at once.
 * @type {Buffer[] | undefined}
 */
let held;

/** @param {{ type: string, requestId?: string | null, [key: string]: unknown }} header @param {Buffer | string} [body] */
function send(header, body) {
  const bytes = frame(header, body);
  if (header.requestId === WARM_UP) return;
  if (held) held.push(bytes);
  else channel.write(bytes);
}

/**
 * Until this turn of the event loop ends, frames wait and then leave in one write. After an init with the
 * first event right behind it, 'ready' waits for that event's response when the handler answers at once:
 * Flint wakes once instead of twice. A slow handler delays 'ready' by one turn only.
 */
function holdUntilTurnEnds() {
  if (held) return;
  held = [];
  setImmediate(releaseHeld);
}

function releaseHeld() {
  const frames = held;
  held = undefined;
  if (frames && frames.length > 0) channel.write(Buffer.concat(frames));
}
// Whatever ends the process, held frames go first (the channel's writes are synchronous).
process.on('exit', releaseHeld);

/** @type {Buffer[]} */
let pending = [];
let pendingBytes = 0;
// Chunks are joined only once a whole frame is there: a 6 MB event arrives in ~100 chunks, and joining
// on every chunk would copy it ~100 times.
channel.on('data', (chunk) => {
  pending.push(chunk);
  pendingBytes += chunk.length;
  while (pendingBytes >= 8) {
    if (/** @type {Buffer} */ (pending[0]).length < 8) pending = [Buffer.concat(pending, pendingBytes)];
    const head = /** @type {Buffer} */ (pending[0]);
    const headerLength = head.readUInt32BE(0);
    const total = 8 + headerLength + head.readUInt32BE(4);
    if (pendingBytes < total) return;
    const all = pending.length === 1 ? head : Buffer.concat(pending, pendingBytes);
    const header = JSON.parse(all.subarray(8, 8 + headerLength).toString('utf8'));
    const body = all.subarray(8 + headerLength, total);
    const rest = all.subarray(total);
    pending = rest.length ? [rest] : [];
    pendingBytes = rest.length;
    onFrame(header, body);
  }
});
// Flint went away: nothing can reach this instance any more.
channel.on('close', () => process.exit(0));
channel.on('error', () => process.exit(0));

/** @param {any} header @param {Buffer} body */
function onFrame(header, body) {
  if (header.type === 'init') {
    initReceived = true;
    initializing = init(header).finally(() => (initializing = undefined));
  } else if (header.type === 'ping') {
    // Sent to a waiting stem cell: the first frame on a fresh socket costs about a millisecond of lazy
    // compilation on both sides, better paid now than in the first real init.
    send({ type: 'pong' });
  }
  else if (header.type === 'invoke') {
    if (initializing) {
      invokeWaiting = true;
      void initializing.then(() => invoke(header, body));
    }
    else void invoke(header, body);
  }
}

// ---------------------------------------------------------------- logging, as Lambda formats it

const util = require('node:util');

/** @param {string} text */
function log(text) {
  send({ type: 'log', requestId: currentRequestId ?? null }, text);
}

/** @param {string} level */
function consoleMethod(level) {
  return (/** @type {unknown[]} */ ...args) => {
    const message = util.format(...args);
    log(`${new Date().toISOString()}\t${currentRequestId ?? 'undefined'}\t${level}\t${message}\n`);
  };
}

function patchConsole() {
  console.log = consoleMethod('INFO');
  console.info = consoleMethod('INFO');
  console.warn = consoleMethod('WARN');
  console.error = consoleMethod('ERROR');
  console.debug = consoleMethod('DEBUG');
  console.trace = consoleMethod('TRACE');
  for (const stream of [process.stdout, process.stderr]) {
    // Direct writes go on the channel too, so they keep their order relative to the response.
    stream.write = /** @type {any} */ ((/** @type {any} */ chunk, /** @type {any} */ encoding, /** @type {any} */ callback) => {
      const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString(typeof encoding === 'string' ? /** @type {BufferEncoding} */ (encoding) : 'utf8');
      log(text);
      const done = typeof encoding === 'function' ? encoding : callback;
      if (typeof done === 'function') process.nextTick(done);
      return true;
    });
  }
}

// ---------------------------------------------------------------- errors, as Lambda's runtime renders them

/** @param {unknown} error */
function isError(error) {
  return util.types.isNativeError(error) || (typeof error === 'object' && error !== null && 'message' in error && 'name' in error && 'stack' in error);
}

/** @param {unknown} error */
function errorDocument(error) {
  try {
    if (isError(error)) {
      const e = /** @type {Error} */ (error);
      return { errorType: e.name, errorMessage: e.message, trace: String(e.stack ?? '').split('\n') };
    }
    return { errorType: typeof error, errorMessage: String(error), trace: [] };
  } catch {
    return { errorType: 'handled', errorMessage: 'callback called with Error argument, but there was a problem while retrieving one or more of its message, name, and stack' };
  }
}

/** @param {string} type @param {string} message */
function runtimeError(type, message) {
  const error = new Error(message);
  error.name = type;
  return error;
}

// ---------------------------------------------------------------- init: load the handler

/** @param {{ handler: string, taskRoot: string, env: Record<string, string> }} header */
async function init(header) {
  const started = performance.now();
  const nodePathChanged = header.env.NODE_PATH !== undefined && header.env.NODE_PATH !== process.env.NODE_PATH;
  Object.assign(process.env, header.env);
  // CommonJS resolution reads NODE_PATH at start-up; a stem cell started with another one must be told again.
  // @ts-expect-error -- Module._initPaths is internal but stable, and the documented way to re-read NODE_PATH.
  if (nodePathChanged) require('node:module')._initPaths();
  try {
    process.chdir(header.taskRoot);
  } catch {
    // A missing task root surfaces as an import error below, with Lambda's message.
  }
  patchConsole();
  streaming.install();
  try {
    handler = await loadHandler(header.taskRoot, header.handler);
    if (invokeWaiting) holdUntilTurnEnds();
    send({ type: 'ready', initMs: performance.now() - started });
  } catch (error) {
    const doc = errorDocument(error);
    console.error(`Uncaught Exception \t${JSON.stringify({ errorType: doc.errorType, errorMessage: doc.errorMessage, stack: doc.trace })}`);
    send({ type: 'initError' }, JSON.stringify(doc));
    process.exit(1);
  }
}

/** @param {string} taskRoot @param {string} handlerString */
async function loadHandler(taskRoot, handlerString) {
  const match = /^([^.]*)\.(.*)$/.exec(path.basename(handlerString));
  if (!match || !match[2]) throw runtimeError('Runtime.MalformedHandlerName', "Bad handler");
  const moduleRoot = path.join(taskRoot, path.dirname(handlerString));
  const moduleName = match[1] ?? '';
  const handlerPath = match[2];
  const exported = await loadModule(moduleRoot, moduleName);
  let target = exported;
  for (const part of handlerPath.split('.')) target = target == null ? undefined : target[part];
  if (target === undefined) throw runtimeError('Runtime.HandlerNotFound', `${path.basename(handlerString)} is undefined or not exported`);
  if (typeof target !== 'function') throw runtimeError('Runtime.HandlerNotFound', `${path.basename(handlerString)} is not a function`);
  return target;
}

/** @param {string} root @param {string} name */
async function loadModule(root, name) {
  const base = path.resolve(root, name);
  for (const extension of ['.js', '.mjs', '.cjs']) {
    const file = base + extension;
    if (!fs.existsSync(file)) continue;
    if (fs.existsSync(file + '.map')) process.setSourceMapsEnabled(true);
    if (extension === '.mjs') return importModule(file);
    if (extension === '.cjs') return requireModule(file);
    try {
      return requireModule(file);
    } catch (error) {
      if (/** @type {any} */ (error)?.code !== 'ERR_REQUIRE_ESM') throw error;
      return importModule(file);
    }
  }
  // Lambda also accepts a handler exported by a package in node_modules.
  try {
    return requireModule(require.resolve(name, { paths: [root] }));
  } catch (error) {
    if (/** @type {any} */ (error)?.code === 'MODULE_NOT_FOUND') {
      throw runtimeError('Runtime.ImportModuleError', `Error: Cannot find module '${name}'\nRequire stack:\n- ${__filename}`);
    }
    throw error;
  }
}

/** @param {string} file */
function requireModule(file) {
  try {
    return require(file);
  } catch (error) {
    throw wrapLoadError(error);
  }
}

/** @param {string} file */
async function importModule(file) {
  const url = require('node:url').pathToFileURL(file).href;
  try {
    return await import(url);
  } catch (error) {
    if (/** @type {any} */ (error)?.code !== 'ERR_MODULE_NOT_FOUND' || !process.env.NODE_PATH) throw wrapLoadError(error);
    // Maybe the AWS SDK the runtime provides: retry once with NODE_PATH resolution (see node-path-hooks.mjs).
    require('node:module').register('./node-path-hooks.mjs', require('node:url').pathToFileURL(__filename));
    try {
      return await import(url + '?node-path');
    } catch (retryError) {
      throw wrapLoadError(retryError);
    }
  }
}

/** @param {unknown} error */
function wrapLoadError(error) {
  if (error instanceof SyntaxError) return runtimeError('Runtime.UserCodeSyntaxError', `${error.name}: ${error.message}`);
  const code = /** @type {any} */ (error)?.code;
  if (code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND') {
    return runtimeError('Runtime.ImportModuleError', `Error: ${/** @type {Error} */ (error).message}`);
  }
  return error;
}

// ---------------------------------------------------------------- invoke

/** @param {any} header @param {Buffer} body */
async function invoke(header, body) {
  // An invoke sent along with init counts its timeout from now, once init is done.
  if (typeof header.timeoutMs === 'number') header.deadlineMs = Date.now() + header.timeoutMs;
  currentRequestId = header.requestId;
  invoking = true;
  if (header.traceId) process.env._X_AMZN_TRACE_ID = header.traceId;
  else delete process.env._X_AMZN_TRACE_ID;
  let event;
  try {
    event = JSON.parse(body.toString('utf8'));
  } catch (error) {
    return finish(header.requestId, 'error', JSON.stringify(errorDocument(runtimeError('Runtime.UnmarshalError', `Unable to parse event: ${String(error)}`))));
  }
  const context = makeContext(header);
  if (streaming.isStreaming(handler)) {
    const send_ = (/** @type {any} */ frameHeader, /** @type {Buffer | string | undefined} */ bytes) => send({ ...frameHeader, requestId: header.requestId }, bytes);
    return streaming.runStreaming(/** @type {Function} */ (handler), event, context, send_, (/** @type {unknown} */ error) => (error != null ? fail(header.requestId, error) : finish(header.requestId, 'response', '')));
  }
  runHandler(/** @type {Function} */ (handler), event, context, (/** @type {unknown} */ error, /** @type {unknown} */ result) => {
    if (error != null) return fail(header.requestId, error);
    succeed(header.requestId, result);
  });
}

/** @param {string} requestId @param {unknown} result */
function succeed(requestId, result) {
  let json;
  try {
    json = JSON.stringify(result === undefined ? null : result);
  } catch (error) {
    return fail(requestId, runtimeError('Runtime.MarshalError', `Unable to stringify response body: ${/** @type {Error} */ (error).message}`));
  }
  finish(requestId, 'response', json ?? 'null');
}

/** @param {string} requestId @param {unknown} error */
function fail(requestId, error) {
  const doc = errorDocument(error);
  console.error(`Invoke Error \t${JSON.stringify({ errorType: doc.errorType, errorMessage: doc.errorMessage, stack: doc.trace })}`);
  finish(requestId, 'error', JSON.stringify(doc));
}

/** @param {string} requestId @param {'response' | 'error'} type @param {string} body */
function finish(requestId, type, body) {
  if (!invoking || requestId !== currentRequestId) return; // a second callback, or a late one: Lambda ignores it
  invoking = false;
  send({ type, requestId, maxRssKb: process.resourceUsage().maxRSS }, body);
  currentRequestId = undefined;
}

/**
 * Runs the handler in whichever style it uses, as Lambda's runtime does: a returned promise settles the
 * invocation; otherwise the callback (or context.succeed/fail/done) does, and with
 * callbackWaitsForEmptyEventLoop (the default) the answer waits until the event loop is empty. A handler that
 * neither returns a promise nor calls back answers null once the event loop is empty.
 * @param {Function} fn @param {unknown} event @param {any} context @param {(error: unknown, result?: unknown) => void} done
 */
function runHandler(fn, event, context, done) {
  let settled = false;
  /** @type {{ error: unknown, result: unknown } | undefined} */
  let called;
  let waiting = false;
  const once = (/** @type {unknown} */ error, /** @type {unknown} */ result = undefined) => {
    if (settled) return;
    settled = true;
    done(error, result);
  };
  const whenLoopEmpty = () => {
    if (waiting) return;
    waiting = true;
    channel.unref();
    process.once('beforeExit', () => {
      channel.ref();
      if (called) once(called.error, called.result);
      else once(null, null);
    });
  };
  const callback = (/** @type {unknown} */ error, /** @type {unknown} */ result = undefined) => {
    if (called) return;
    called = { error, result };
    if (context.callbackWaitsForEmptyEventLoop) whenLoopEmpty();
    else once(error, result);
  };
  context.done = callback;
  context.succeed = (/** @type {unknown} */ result) => callback(null, result);
  context.fail = (/** @type {unknown} */ error) => callback(error ?? 'handled');
  let returned;
  try {
    returned = fn(event, context, callback);
  } catch (error) {
    return once(error);
  }
  if (returned && typeof (/** @type {any} */ (returned).then) === 'function') {
    /** @type {Promise<unknown>} */ (returned).then((result) => once(null, result), (error) => once(error ?? 'handled'));
  } else {
    whenLoopEmpty();
  }
}

/** @param {any} header */
function makeContext(header) {
  const env = process.env;
  const deadline = Number(header.deadlineMs);
  /** @type {any} */
  const context = {
    callbackWaitsForEmptyEventLoop: true,
    functionName: env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: env.AWS_LAMBDA_FUNCTION_VERSION,
    invokedFunctionArn: header.functionArn,
    memoryLimitInMB: env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    awsRequestId: header.requestId,
    logGroupName: env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: env.AWS_LAMBDA_LOG_STREAM_NAME,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
  if (header.clientContext) context.clientContext = parseJson(header.clientContext);
  if (header.cognitoIdentity) {
    const identity = parseJson(header.cognitoIdentity) ?? {};
    context.identity = { cognitoIdentityId: identity.cognitoIdentityId, cognitoIdentityPoolId: identity.cognitoIdentityPoolId };
  }
  return context;
}

/** @param {string} text */
function parseJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------- warm-up while waiting

/**
 * A process waiting for its init (a stem cell) runs the code paths init and invoke will take: module
 * resolution and loading, JSON, console formatting, resource usage. V8 compiles functions lazily, so the
 * first real init would otherwise pay for compiling them. Nothing observable is left behind.
 */
async function warmUp() {
  if (initReceived) return;
  const warm = await loadModule(__dirname, 'warm');
  // A dry invocation through the very functions a real one runs; send() drops its frames. Should init
  // arrive meanwhile, the real handler and request id simply replace the dry ones.
  handler = warm.handler;
  void invoke({ requestId: WARM_UP, deadlineMs: Date.now() + 1000, functionArn: 'arn:aws:lambda:::function:warm', clientContext: null, cognitoIdentity: null, traceId: null }, Buffer.from(JSON.stringify({ a: [1, 'b'] })));
  if (handler === warm.handler && !initReceived) handler = undefined;
  util.format('%s %d %j', 'x', 1, { y: 2 });
  // Node creates process.stdout and process.stderr on first use, which init's console patching would pay.
  void process.stdout;
  void process.stderr;
  void new Date().toISOString();
  delete require.cache[path.join(__dirname, 'warm.cjs')];
}

setImmediate(() => void warmUp().catch(() => {}));

// ---------------------------------------------------------------- process-level failures

/** @param {string} label @param {any} doc @param {number} code */
function die(label, doc, code) {
  console.error(`${label} \t${JSON.stringify(doc)}`);
  if (invoking && currentRequestId) finish(currentRequestId, 'error', JSON.stringify(doc));
  process.exit(code);
}

process.on('unhandledRejection', (reason) => {
  const error = isError(reason) ? /** @type {Error} */ (reason) : undefined;
  die('Unhandled Promise Rejection', {
    errorType: 'Runtime.UnhandledPromiseRejection',
    errorMessage: error ? `${error.name}: ${error.message}` : String(reason),
    reason: error ? { errorType: error.name, errorMessage: error.message, trace: String(error.stack).split('\n') } : reason,
    promise: {},
    stack: [`Runtime.UnhandledPromiseRejection: ${error ? `${error.name}: ${error.message}` : String(reason)}`],
  }, 128);
});

process.on('uncaughtException', (error) => {
  die('Uncaught Exception', errorDocument(error), 129);
});
