import { bufferBody, type Clock, type ServiceRequest, type ServiceResponse } from '../../../core/index.js';
import { AwsError, escapeXml, XML_DECLARATION } from '../../../protocol/index.js';
import { errorResponse, requestIds } from '../error-response.js';
import { parseAddress, type Address } from '../address.js';
import { accessDenied, entityTooLarge, invalidArgument, malformedXml } from '../errors.js';
import { boundaryOf, parseForm, type FormPart } from './form.js';
import { checkPolicy } from './policy.js';

/**
 * POST Object: browser form uploads (https://docs.aws.amazon.com/AmazonS3/latest/API/RESTObjectPOST.html). The form's
 * fields are checked as S3 checks them (the signature fields present, the policy's expiration and conditions), then
 * the file is written as the PutObject it amounts to, so it gets everything PutObject does (metadata, checksums,
 * notifications, encryption), and the answer is S3's: success_action_redirect, or success_action_status 200, 201
 * (with a PostResponse document) or 204. The policy's signature is verified by the gateway in server mode (verifyForm).
 */

/** Codes form uploads send beside errors.ts's (checked by test/services/s3/bucket-config-errors.test.ts). */
export const POST_OBJECT_ERROR_TYPES: readonly string[] = ['InvalidPolicyDocument'];

/** Form uploads are read whole; larger files go through PutObject or multipart uploads. */
const MAX_FORM_BYTES = 256 * 1024 * 1024;
/** Header fields a form may set on the object, as PutObject takes them. */
const OBJECT_HEADERS = ['cache-control', 'content-type', 'content-disposition', 'content-encoding', 'expires', 'x-amz-server-side-encryption', 'x-amz-website-redirect-location', 'x-amz-tagging'];

/** A POST to a bucket with a form body: what this answers. */
export function isFormUpload(request: ServiceRequest): boolean {
  if (request.method !== 'POST' || request.query.has('delete') || request.query.has('uploads')) return false;
  const contentType = request.headers['content-type'];
  return typeof contentType === 'string' && contentType.toLowerCase().startsWith('multipart/form-data');
}

export class FormUploads {
  constructor(
    private readonly clock: Clock,
    /** S3 itself, for the PutObject the upload amounts to. */
    private readonly s3: (request: ServiceRequest) => Promise<ServiceResponse>,
  ) {}

  async handle(request: ServiceRequest): Promise<ServiceResponse> {
    try {
      return await this.upload(request);
    } catch (error) {
      if (!(error instanceof AwsError)) throw error;
      return errorResponse(error, request.requestId);
    }
  }

  private async upload(request: ServiceRequest): Promise<ServiceResponse> {
    const address = parseAddress(request.host, request.rawPath);
    const boundary = boundaryOf(String(request.headers['content-type']));
    const body = await request.body.read(MAX_FORM_BYTES);
    if (!body) throw entityTooLarge(Number(request.headers['content-length'] ?? 0), MAX_FORM_BYTES);
    const parts = boundary === undefined ? undefined : parseForm(body, boundary);
    if (!parts || address.bucket === undefined || address.key !== undefined) throw malformedXml();
    const { fields, file } = fieldsOf(parts);
    checkFields(fields, file);
    // The policy's signature first: a policy that was changed fails it before its conditions are read.
    await request.verifyForm?.(fields);
    checkPolicy(fields.get('policy')!, { fields, bucket: address.bucket, size: file!.value.length }, this.clock.now());
    const key = fields.get('key')!.replaceAll('${filename}', file!.filename ?? '');
    const put = await this.s3(putRequest(request, address, key, fields, file!));
    if (put.status !== 200) return put;
    return answer(request, fields, address.bucket, key, put);
  }
}

/** The fields before the file (S3 ignores what follows it), by lowercase name, and the file. */
function fieldsOf(parts: readonly FormPart[]): { fields: Map<string, string>; file: FormPart | undefined } {
  const fields = new Map<string, string>();
  for (const part of parts) {
    if (part.name.toLowerCase() === 'file') return { fields, file: part };
    fields.set(part.name.toLowerCase(), part.value.toString('utf8'));
  }
  return { fields, file: undefined };
}

/** The fields S3 requires, in the order it asks for them (test_post_request_missing_fields, _missing_signature). */
function checkFields(fields: ReadonlyMap<string, string>, file: FormPart | undefined): void {
  const missing = (name: string) => invalidArgument(`Bucket POST must contain a field named '${name}'.  If it is specified, please check the order of the fields.`, name, undefined);
  if (!fields.has('key')) throw missing('key');
  const v4 = ['x-amz-algorithm', 'x-amz-credential', 'x-amz-date', 'x-amz-signature'].some((name) => fields.has(name));
  const v2 = fields.has('awsaccesskeyid') || fields.has('signature');
  // Without a policy or signature the upload is anonymous, which a bucket without public write access refuses.
  if (!fields.has('policy') && !v4 && !v2) throw accessDenied();
  const required = v4 || !v2 ? ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Date', 'X-Amz-Signature'] : ['AWSAccessKeyId', 'Signature'];
  for (const name of required) if (!fields.has(name.toLowerCase())) throw missing(name);
  if (!fields.has('policy')) throw missing('Policy');
  if (!file) throw invalidArgument('POST requires exactly one file upload per request.', 'file', 0);
}

/** The PutObject a form upload amounts to, signed with the form's credential scope. */
function putRequest(request: ServiceRequest, address: Address, key: string, fields: ReadonlyMap<string, string>, file: FormPart): ServiceRequest {
  const credential = fields.get('x-amz-credential') ?? `${fields.get('awsaccesskeyid') ?? 'anonymous'}/19700101/us-east-1/s3/aws4_request`;
  const headers: Record<string, string> = { host: request.host, authorization: `AWS4-HMAC-SHA256 Credential=${credential}, SignedHeaders=host, Signature=0`, 'content-length': String(file.value.length) };
  for (const name of OBJECT_HEADERS) {
    const value = fields.get(name);
    if (value !== undefined) headers[name] = value;
  }
  if (headers['content-type'] === undefined && file.contentType !== undefined) headers['content-type'] = file.contentType;
  for (const [name, value] of fields) if (name.startsWith('x-amz-meta-')) headers[name] = value;
  const encodedKey = key.split('/').map(encodeURIComponent).join('/');
  const path = address.virtualHost ? `/${encodedKey}` : `/${encodeURIComponent(address.bucket ?? '')}/${encodedKey}`;
  return {
    ...request,
    method: 'PUT',
    rawPath: path,
    query: new URLSearchParams(),
    headers,
    rawHeaders: Object.entries(headers).flat(),
    body: bufferBody(file.value),
  };
}

/** S3's answer to a successful upload: a redirect, or the status the form asks for (204 unless it says 200 or 201). */
function answer(request: ServiceRequest, fields: ReadonlyMap<string, string>, bucket: string, key: string, put: ServiceResponse): ServiceResponse {
  const etag = String(put.headers?.etag ?? put.headers?.ETag ?? '');
  const location = `${request.baseUrl}/${encodeURIComponent(bucket)}/${key.split('/').map(encodeURIComponent).join('/')}`;
  const ids = requestIds(request.requestId);
  const echoed: Record<string, string> = {};
  for (const name of ['x-amz-server-side-encryption', 'x-amz-version-id', 'x-amz-expiration']) {
    const value = put.headers?.[name];
    if (typeof value === 'string') echoed[name] = value;
  }
  const redirect = fields.get('success_action_redirect') ?? fields.get('redirect');
  if (redirect !== undefined && URL.canParse(redirect)) {
    const target = new URL(redirect);
    target.searchParams.set('bucket', bucket);
    target.searchParams.set('key', key);
    target.searchParams.set('etag', etag);
    return { status: 303, headers: { ...ids, ...echoed, location: target.toString(), etag }, body: undefined };
  }
  const status = Number(fields.get('success_action_status'));
  if (status === 201) {
    const document = `${XML_DECLARATION}<PostResponse><Location>${escapeXml(location)}</Location><Bucket>${escapeXml(bucket)}</Bucket><Key>${escapeXml(key)}</Key><ETag>${escapeXml(etag)}</ETag></PostResponse>`;
    return { status: 201, headers: { ...ids, ...echoed, 'content-type': 'application/xml', location, etag }, body: document };
  }
  return { status: status === 200 ? 200 : 204, headers: { ...ids, ...echoed, location, etag }, body: undefined };
}
