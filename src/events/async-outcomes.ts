/**
 * What Lambda sends when an asynchronous invocation ends: the invocation record for destinations, and the original
 * event with RequestID, ErrorCode and ErrorMessage attributes for a dead-letter queue or topic.
 */
import type { InvocationResult } from '../invoker/index.js';
import type { DestinationAttribute } from './ports.js';

export type AsyncCondition = 'Success' | 'RetriesExhausted' | 'EventAgeExceeded';

export interface InvocationRecordInput {
  requestId: string;
  /** The ARN qualified with what ran: `…:function:name:$LATEST`, a version or the alias invoked. */
  functionArn: string;
  condition: AsyncCondition;
  approximateInvokeCount: number;
  /** The event as accepted (bytes). */
  payload: Buffer;
  /** The last attempt's result; absent when the event expired before any attempt. */
  result?: InvocationResult;
  executedVersion?: string;
  /** Epoch ms. */
  now: number;
}

/** Lambda's invocation record (version 1.0), as OnSuccess and OnFailure destinations receive it. */
export function invocationRecord(input: InvocationRecordInput): Record<string, unknown> {
  const record: Record<string, unknown> = {
    version: '1.0',
    timestamp: new Date(input.now).toISOString(),
    requestContext: {
      requestId: input.requestId,
      functionArn: input.functionArn,
      condition: input.condition,
      approximateInvokeCount: input.approximateInvokeCount,
    },
    requestPayload: jsonOrText(input.payload),
  };
  if (input.result) {
    const responseContext: Record<string, unknown> = { statusCode: 200, executedVersion: input.executedVersion ?? '$LATEST' };
    if (input.result.status !== 'success') responseContext.functionError = 'Unhandled';
    record.responseContext = responseContext;
    record.responsePayload = jsonOrText(input.result.payload);
  }
  return record;
}

/** The attributes Lambda puts on a message it sends to a function's dead-letter queue or topic. */
export function deadLetterAttributes(requestId: string, result: InvocationResult | undefined): Record<string, DestinationAttribute> {
  const attributes: Record<string, DestinationAttribute> = {
    RequestID: { DataType: 'String', StringValue: requestId },
    ErrorCode: { DataType: 'Number', StringValue: '200' },
  };
  const message = result ? errorMessageOf(result.payload) : undefined;
  // SQS refuses empty attribute values, so an error without a message carries no ErrorMessage.
  if (message) attributes.ErrorMessage = { DataType: 'String', StringValue: message };
  return attributes;
}

function errorMessageOf(payload: Buffer): string | undefined {
  const document = jsonOrText(payload);
  if (typeof document === 'object' && document !== null && 'errorMessage' in document) {
    const message = (document as { errorMessage: unknown }).errorMessage;
    return typeof message === 'string' ? message : JSON.stringify(message);
  }
  return undefined;
}

/** A JSON payload as its value; anything else as its text. */
export function jsonOrText(payload: Buffer): unknown {
  const text = payload.toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
