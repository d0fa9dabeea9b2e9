import type { ServiceRequest, ServiceResponse } from '../../core/index.js';
import type { CodecOptions } from '../codec.js';
import type { AwsError } from '../errors.js';
import type { Member } from '../model.js';
import { escapeXml, parseXml, XML_DECLARATION, XmlSyntaxError, xmlElement } from '../xml.js';
import { XmlValueError } from '../xml-values.js';
import { RestCodec } from './rest.js';

/**
 * rest-xml (S3): REST bindings with XML documents. A payload structure is the document's root element (named by
 * its member); otherwise the body members go under the operation's root. Errors are `<Error><Code/><Message/>…`
 * (bare in S3, inside `<ErrorResponse>` elsewhere), with the error shape's members beside them.
 */
export class RestXmlCodec extends RestCodec {
  readonly protocol = 'rest-xml' as const;
  protected readonly documentType = 'application/xml';

  constructor(options: CodecOptions) {
    super(options);
  }

  protected readDocument(operation: string, shape: string, body: Buffer): Record<string, unknown> {
    try {
      return this.xml.read(shape, parseXml(body.toString('utf8'))) as Record<string, unknown>;
    } catch (error) {
      if (error instanceof XmlSyntaxError || error instanceof XmlValueError) throw this.options.wording.malformedBody(operation, error.message);
      throw error;
    }
  }

  protected writeDocument(operation: string, shape: string, value: Record<string, unknown>, payload: Member | undefined): Buffer {
    const model = this.options.model;
    const root = payload
      ? (payload.ref.locationName ?? payload.shape.locationName ?? payload.shapeName)
      : (this.options.xml?.root?.(operation) ?? model.shape(shape).locationName ?? `${operation}Result`);
    const namespace = payload?.ref.xmlNamespace?.uri ?? model.shape(shape).xmlNamespace?.uri ?? model.metadata.xmlNamespace ?? this.options.xml?.namespace;
    const { attributes, content } = this.xml.writeMembers(shape, value);
    const xmlns = namespace ? ` xmlns="${escapeXml(namespace)}"` : '';
    return Buffer.from(`${XML_DECLARATION}<${root}${xmlns}${attributes}>${content}</${root}>`, 'utf8');
  }

  encodeError(error: AwsError, _operation: string | undefined, request: ServiceRequest): ServiceResponse {
    const shape = this.options.model.errorShape(error.type);
    const fields = shape ? this.xml.writeMembers(shape, error.fields as Record<string, unknown>).content : plainFields(error.fields);
    const extra = Object.entries(this.options.xml?.errorFields?.(request) ?? {})
      .map(([name, value]) => xmlElement(name, value))
      .join('');
    const inner = `${xmlElement('Code', error.awsCode)}${xmlElement('Message', error.message)}${fields}`;
    const body = this.options.xml?.bareErrors
      ? `${XML_DECLARATION}<Error>${inner}${extra}</Error>`
      : `${XML_DECLARATION}<ErrorResponse><Error>${xmlElement('Type', error.fault)}${inner}</Error>${xmlElement('RequestId', request.requestId)}${extra}</ErrorResponse>`;
    return {
      status: error.status,
      headers: { 'content-type': this.documentType, 'x-amzn-RequestId': request.requestId, ...error.headers },
      // 304 Not Modified and errors to HEAD requests carry no body.
      body: error.status === 304 || request.method === 'HEAD' ? undefined : body,
    };
  }
}

function plainFields(fields: Readonly<Record<string, unknown>>): string {
  return Object.entries(fields)
    .map(([name, value]) => (value === undefined || value === null ? '' : xmlElement(name, String(value))))
    .join('');
}
