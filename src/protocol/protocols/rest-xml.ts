import type { ServiceRequest, ServiceResponse } from '../../core/index.js';
import type { CodecOptions } from '../codec.js';
import type { AwsError } from '../errors.js';
import type { Member } from '../model.js';
import { escapeXml, parseXml, XML_DECLARATION, XmlSyntaxError, xmlElement } from '../xml.js';
import { XmlValueError } from '../xml-values.js';
import { idHeaders } from './common.js';
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

  protected readDocument(operation: string, shape: string, body: Buffer, payload: Member | undefined): Record<string, unknown> {
    try {
      const root = parseXml(body.toString('utf8'));
      // A payload document is one element of a fixed name (S3 refuses <Delete> sent as CompleteMultipartUpload).
      if (payload && root.name !== (payload.ref.locationName ?? payload.shape.locationName ?? payload.shapeName)) throw new XmlValueError(root.name);
      return this.xml.read(shape, root) as Record<string, unknown>;
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
    // Members the error shape declares are written by the model; others as plain elements (S3's Key, BucketName...).
    const fields = shape ? this.xml.writeMembers(shape, error.fields as Record<string, unknown>).content + this.plainFields(error.fields, shape) : this.plainFields(error.fields);
    const extra = Object.entries(this.options.xml?.errorFields?.(request) ?? {})
      .map(([name, value]) => xmlElement(name, value))
      .join('');
    const inner = `${xmlElement('Code', error.awsCode)}${xmlElement('Message', error.message)}${fields}`;
    const body = this.options.xml?.bareErrors
      ? `${XML_DECLARATION}<Error>${inner}${extra}</Error>`
      : `${XML_DECLARATION}<ErrorResponse><Error>${xmlElement('Type', error.fault)}${inner}</Error>${xmlElement('RequestId', request.requestId)}${extra}</ErrorResponse>`;
    return {
      status: error.status,
      headers: { 'content-type': this.documentType, ...idHeaders(request, this.options), ...error.headers },
      // 304 Not Modified and errors to HEAD requests carry no body.
      body: error.status === 304 || request.method === 'HEAD' ? undefined : body,
    };
  }

  private plainFields(fields: Readonly<Record<string, unknown>>, shape?: string): string {
    let xml = '';
    for (const [name, value] of Object.entries(fields)) {
      if (value === undefined || value === null || (shape && this.declares(shape, name))) continue;
      xml += xmlElement(name, String(value));
    }
    return xml;
  }

  private declares(shape: string, member: string): boolean {
    return this.options.model.members(shape).some((m) => m.name === member);
  }
}
