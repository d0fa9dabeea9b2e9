import type { ServiceResponse } from '../../core/index.js';
import { escapeXml, XML_DECLARATION, type AwsError } from '../../protocol/index.js';
import { hostIdOf } from './call.js';

/**
 * S3's bare <Error> answer for requests that are no operation of its model (CORS preflights, form uploads): the
 * error's code, message and fields, and the request's ids, as the kit writes the others.
 */
export function errorResponse(error: AwsError, requestId: string): ServiceResponse {
  const fields = Object.entries(error.fields)
    .map(([name, value]) => `<${name}>${escapeXml(String(value))}</${name}>`)
    .join('');
  const body = `${XML_DECLARATION}<Error><Code>${error.awsCode}</Code><Message>${escapeXml(error.message)}</Message>${fields}<RequestId>${requestId}</RequestId><HostId>${hostIdOf(requestId)}</HostId></Error>`;
  return { status: error.status, headers: { 'content-type': 'application/xml', ...requestIds(requestId) }, body };
}

/** The headers naming a request on every S3 answer. */
export function requestIds(requestId: string): Record<string, string> {
  return { 'x-amz-request-id': requestId, 'x-amz-id-2': hostIdOf(requestId), server: 'AmazonS3' };
}
