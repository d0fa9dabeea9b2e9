import type { ServiceRequest, ServiceResponse } from '../../core/index.js';
import type { Codec, CodecOptions, Decoded, ReplyExtras } from '../codec.js';
import type { AwsError } from '../errors.js';
import { QueryValueError, QueryValues, type QueryDialect } from '../query-values.js';
import { escapeXml, xmlElement, xmlEscaper } from '../xml.js';
import { XmlValues } from '../xml-values.js';
import { readWhole } from './common.js';

/**
 * The query protocol (SNS, STS, IAM; SQS for older clients) and its EC2 dialect: `Action=<Operation>` and the
 * input as form parameters (in the body, or the query string of a GET), XML answers:
 * `<OpResponse xmlns=…><OpResult>…</OpResult><ResponseMetadata><RequestId/></ResponseMetadata></OpResponse>`
 * (EC2: the members straight under `<OpResponse>`, beside `<requestId>`). Errors are
 * `<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>`
 * (EC2: `<Response><Errors><Error><Code/><Message/></Error></Errors><RequestID/></Response>`).
 */
export class QueryCodec implements Codec {
  readonly protocol: 'query' | 'ec2';
  private readonly params: QueryValues;
  private readonly xml: XmlValues;
  private readonly namespace: string;
  private readonly escape: (value: string) => string;

  constructor(
    private readonly options: CodecOptions,
    dialect: QueryDialect = 'query',
  ) {
    this.protocol = dialect;
    // A service that moved to JSON keeps its older clients' names in `query` traits.
    const legacy = options.model.metadata.protocol !== dialect;
    this.params = new QueryValues(options.model, dialect, legacy);
    this.escape = options.xml?.carriageReturn === undefined ? escapeXml : xmlEscaper(options.xml.carriageReturn);
    this.xml = new XmlValues(options.model, legacy, { escape: this.escape, memberOrder: options.xml?.memberOrder });
    this.namespace = options.model.metadata.xmlNamespace ?? options.xml?.namespace ?? '';
  }

  async decode(request: ServiceRequest): Promise<Decoded> {
    const params = new Map<string, string>(request.query);
    const contentType = String(request.headers['content-type'] ?? '');
    if (request.method === 'POST' && (contentType === '' || contentType.includes('x-www-form-urlencoded'))) {
      const body = await readWhole(request, this.options, undefined);
      for (const [key, value] of new URLSearchParams(body.toString('utf8'))) params.set(key, value);
    }
    const action = params.get('Action');
    if (action === undefined || !this.options.model.operation(action)) throw this.options.wording.unknownOperation(action, request);
    params.delete('Action');
    params.delete('Version');
    const shape = this.options.model.operation(action)!.input?.shape;
    if (!shape) return { operation: action, input: {} };
    try {
      return { operation: action, input: this.params.read(shape, params) };
    } catch (error) {
      if (error instanceof QueryValueError) throw this.options.wording.badValue(error);
      throw error;
    }
  }

  encode(operation: string, output: Record<string, unknown> | undefined, request: ServiceRequest, extras?: ReplyExtras): ServiceResponse {
    const ref = this.options.model.operation(operation)?.output;
    const members = ref && output ? this.xml.writeMembers(ref.shape, output).content : '';
    const xmlns = this.namespace ? ` xmlns="${escapeXml(this.namespace)}"` : '';
    let body: string;
    if (this.protocol === 'ec2') {
      body = `<${operation}Response${xmlns}>${xmlElement('requestId', request.requestId)}${members}</${operation}Response>`;
    } else {
      const wrapper = ref ? (ref.resultWrapper ?? `${operation}Result`) : undefined;
      const result = wrapper ? `<${wrapper}>${members}</${wrapper}>` : '';
      body = `<${operation}Response${xmlns}>${result}<ResponseMetadata>${xmlElement('RequestId', request.requestId)}</ResponseMetadata></${operation}Response>`;
    }
    return {
      status: extras?.status ?? 200,
      headers: { 'content-type': 'text/xml', 'x-amzn-RequestId': request.requestId, ...extras?.headers },
      body: this.declare(body),
    };
  }

  encodeError(error: AwsError, _operation: string | undefined, request: ServiceRequest): ServiceResponse {
    const shape = this.options.model.errorShape(error.type);
    const fields = shape ? this.xml.writeMembers(shape, error.fields as Record<string, unknown>).content : '';
    let body: string;
    if (this.protocol === 'ec2') {
      body = `<Response><Errors><Error>${xmlElement('Code', error.awsCode, this.escape)}${xmlElement('Message', error.message, this.escape)}${fields}</Error></Errors>${xmlElement('RequestID', request.requestId)}</Response>`;
    } else {
      const xmlns = this.namespace ? ` xmlns="${escapeXml(this.namespace)}"` : '';
      const detail = this.options.xml?.errorDetail ? '<Detail/>' : '';
      body = `<ErrorResponse${xmlns}><Error>${xmlElement('Type', error.fault)}${xmlElement('Code', error.awsCode, this.escape)}${xmlElement('Message', error.message, this.escape)}${fields}${detail}</Error>${xmlElement('RequestId', request.requestId)}</ErrorResponse>`;
    }
    return {
      status: error.status,
      headers: { 'content-type': 'text/xml', 'x-amzn-RequestId': request.requestId, ...error.headers },
      body: this.declare(body),
    };
  }

  private declare(body: string): string {
    return this.options.xml?.declaration ? `<?xml version="1.0"?>${body}` : body;
  }
}
