import type { ServiceRequest, ServiceResponse } from '../../core/index.js';
import type { CodecOptions } from '../codec.js';
import type { AwsError } from '../errors.js';
import type { Member } from '../model.js';
import { JsonCodec } from './json.js';
import { RestCodec } from './rest.js';

/**
 * rest-json (Lambda, EventBridge Scheduler, API Gateway Management): REST bindings with JSON documents. Errors
 * name their type in `x-amzn-ErrorType` and carry the error shape's members in a JSON body.
 */
export class RestJsonCodec extends RestCodec {
  readonly protocol = 'rest-json' as const;
  protected readonly documentType = 'application/json';
  private readonly json: JsonCodec;

  constructor(options: CodecOptions) {
    super(options);
    this.json = new JsonCodec(options);
  }

  protected readDocument(operation: string, shape: string, body: Buffer): Record<string, unknown> {
    return this.json.readBody(operation, shape, body);
  }

  protected writeDocument(_operation: string, shape: string, value: Record<string, unknown>, _payload: Member | undefined): Buffer {
    return this.json.writeBody(shape, value);
  }

  encodeError(error: AwsError, _operation: string | undefined, request: ServiceRequest): ServiceResponse {
    const document = this.json.errorDocument(error);
    delete document.__type;
    return {
      status: error.status,
      headers: { 'content-type': this.documentType, 'x-amzn-RequestId': request.requestId, 'x-amzn-ErrorType': error.type, ...error.headers },
      body: JSON.stringify(document),
    };
  }
}
