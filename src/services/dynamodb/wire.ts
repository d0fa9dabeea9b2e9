import { crc32 } from 'node:zlib';
import type { BufferedRequest, BufferedResponse } from '../../core/index.js';
import { dynamoError, serialization } from './errors.js';

/**
 * DynamoDB's JSON 1.0 protocol: POST /, the operation in X-Amz-Target ("DynamoDB_20120810.PutItem" or
 * "DynamoDBStreams_20120810.GetRecords"), a JSON body, and answers with the body's CRC32 in x-amz-crc32 (botocore
 * checks it when present).
 */
export const DYNAMODB_PREFIX = 'DynamoDB_20120810.';
export const STREAMS_PREFIX = 'DynamoDBStreams_20120810.';

export function targetOf(req: BufferedRequest): string {
  const target = req.headers['x-amz-target'];
  if (typeof target !== 'string' || target.length === 0) throw dynamoError('UnknownOperationException', 'Missing X-Amz-Target');
  return target;
}

export function parseBody(req: BufferedRequest): unknown {
  if (req.body.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(req.body.toString('utf8'));
  } catch {
    throw serialization('Start of structure or map found where not expected');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw serialization('Start of structure or map found where not expected');
  return parsed;
}

export function jsonResponse(output: unknown, requestId: string): BufferedResponse {
  const body = Buffer.from(JSON.stringify(output), 'utf8');
  return {
    status: 200,
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amzn-RequestId': requestId,
      'x-amz-crc32': String(crc32(body)),
    },
    body,
  };
}
