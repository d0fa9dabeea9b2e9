import type { BufferedRequest, BufferedResponse } from '../../core/index.js';
import type { FlintError } from '../../core/index.js';
import { sqsError, wireError } from './errors.js';
import type { Output } from './context.js';
import { WITHOUT_RESULT } from './operation.js';
import { decodeParams } from './query-params.js';
import { isOperation, type OperationName } from './schemas.js';
import { INPUT_SHAPES, OUTPUT_SHAPES } from './shapes.js';
import { xmlError, xmlResponse } from './xml.js';

/**
 * SQS's two wire protocols over the same operations: JSON 1.0 (`X-Amz-Target: AmazonSQS.<Op>`, what current SDKs
 * speak) and the query protocol (form-encoded `Action=<Op>`, XML answers; Debian's CLI and boto3).
 */
export type Protocol = 'json' | 'query';

export interface DecodedRequest {
  operation: OperationName;
  input: unknown;
}

const TARGET_PREFIX = 'AmazonSQS.';
const JSON_CONTENT_TYPE = 'application/x-amz-json-1.0';
/** Operations SQS has and Flint does not. */
const UNSUPPORTED = new Set(['AddPermission', 'RemovePermission', 'StartMessageMoveTask', 'CancelMessageMoveTask', 'ListMessageMoveTasks']);

export function protocolOf(req: BufferedRequest): Protocol {
  const target = req.headers['x-amz-target'];
  if (typeof target === 'string' && target.startsWith(TARGET_PREFIX)) return 'json';
  return String(req.headers['content-type'] ?? '').includes('x-amz-json') ? 'json' : 'query';
}

export function decodeJson(req: BufferedRequest): DecodedRequest {
  const target = String(req.headers['x-amz-target'] ?? '');
  const operation = operationNamed(target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : '');
  if (req.body.length === 0) return { operation, input: {} };
  let input: unknown;
  try {
    input = JSON.parse(req.body.toString('utf8'));
  } catch {
    throw sqsError('MalformedRequest', 'The request body is not valid JSON.');
  }
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw sqsError('MalformedRequest', 'The request body must be a JSON object.');
  return { operation, input };
}

export function decodeQuery(req: BufferedRequest): DecodedRequest {
  const params = new Map<string, string>(req.query);
  if (req.body.length > 0) for (const [key, value] of new URLSearchParams(req.body.toString('utf8'))) params.set(key, value);
  const operation = operationNamed(params.get('Action') ?? '');
  params.delete('Action');
  params.delete('Version');
  const input = decodeParams(params, INPUT_SHAPES[operation] ?? {});
  // Older clients post to the queue's own URL instead of sending QueueUrl.
  if (input.QueueUrl === undefined && /^\/[^/]+\/[^/]+$/.test(req.rawPath)) input.QueueUrl = `${req.baseUrl}${req.rawPath}`;
  return { operation, input };
}

function operationNamed(name: string): OperationName {
  if (isOperation(name)) return name;
  if (UNSUPPORTED.has(name)) throw sqsError('UnsupportedOperation', `Flint does not support the SQS operation ${name}.`);
  if (name === '') throw sqsError('InvalidAction', 'The request names no action.');
  throw sqsError('InvalidAction', `The action ${name} is not valid for this endpoint.`);
}

export function successResponse(protocol: Protocol, operation: OperationName, output: Output, requestId: string): BufferedResponse {
  if (protocol === 'json') {
    return { status: 200, headers: { 'content-type': JSON_CONTENT_TYPE, 'x-amzn-RequestId': requestId }, body: JSON.stringify(output ?? {}) };
  }
  const result = WITHOUT_RESULT.has(operation) ? undefined : (output ?? {});
  return { status: 200, headers: { 'content-type': 'text/xml', 'x-amzn-RequestId': requestId }, body: xmlResponse(operation, result, OUTPUT_SHAPES[operation] ?? {}, requestId) };
}

export function errorResponse(protocol: Protocol, error: FlintError, requestId: string): BufferedResponse {
  const wire = wireError(error);
  const { kind } = wire;
  if (protocol === 'json') {
    return {
      status: kind.status,
      headers: { 'content-type': JSON_CONTENT_TYPE, 'x-amzn-RequestId': requestId, 'x-amzn-query-error': `${kind.query};${kind.fault}` },
      body: JSON.stringify({ __type: kind.json, message: wire.message }),
    };
  }
  return { status: kind.status, headers: { 'content-type': 'text/xml', 'x-amzn-RequestId': requestId }, body: xmlError(kind.fault, kind.query, wire.queryMessage, requestId) };
}
