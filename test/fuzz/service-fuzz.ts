import fc from 'fast-check';
import type { FlintNode, InProcessRequest } from '../../src/platform/index.js';
import type { ServiceModel } from '../../src/protocol/index.js';
import { checkProperty, COMMON_ERRORS, expectServiceAnswer, hostileString, mutatedBytes, printStats, type WireFormat } from './fuzz.js';
import { modelRequests, type Wire } from './model-requests.js';

export interface ServiceUnderFuzz {
  model: ServiceModel;
  wire: Wire;
  /** The service name in the credential scope the gateway routes by. */
  signingName: string;
  /** The error document's format on this wire; a function when the request's content type chooses it (SQS). */
  format: WireFormat | ((headers: Record<string, string>) => WireFormat);
  /** The service's own error codes beyond its model's (its framework errors, S3's codes outside the model). */
  extraCodes?: readonly string[];
  /** Operations left out: those that legitimately wait (long polls). */
  skip?: readonly string[];
  /** Applied to each request after mutation (S3: a Content-MD5 of the mutated body, so the body's parser is reached). */
  finish?: (request: InProcessRequest) => InProcessRequest;
  /** Top-level input members with fixed values (an existing bucket). */
  fixed?: Readonly<Record<string, string>>;
}

/** Every code the service may answer with: its model's error shapes (by wire code), its own list, the common ones. */
export function serviceCodes(service: ServiceUnderFuzz): Set<string> {
  const model = service.model;
  return new Set([...model.errorShapes(), ...model.errorShapes().map((shape) => model.errorCode(shape)), ...(service.extraCodes ?? []), ...COMMON_ERRORS]);
}

function describeRequest(request: InProcessRequest): string {
  const body = request.body === undefined ? '' : Buffer.from(request.body).toString('utf8').slice(0, 300);
  return `${request.method} ${request.path.slice(0, 200)} ${JSON.stringify(request.headers ?? {}).slice(0, 300)} ${JSON.stringify(body)}`;
}

/**
 * Header mutations: a header dropped, replaced by garbage, or a content type from another protocol. The
 * Authorization header stays: without it the request is no longer the service's (the gateway offers it to the HTTP
 * APIs' routes, whose 404 is API Gateway's); the SigV4 fuzzer mutates that header itself.
 */
function mutatedHeaders(headers: Record<string, string>): fc.Arbitrary<Record<string, string>> {
  const names = Object.keys(headers).filter((name) => name !== 'authorization');
  return fc.oneof(
    fc.constant(headers),
    fc.constantFrom(...names).map((drop) => Object.fromEntries(Object.entries(headers).filter(([name]) => name !== drop))),
    fc.tuple(fc.constantFrom(...names, 'content-type', 'x-amz-target', 'content-md5', 'x-amz-content-sha256', 'content-encoding'), hostileString()).map(([name, value]) => ({
      ...headers,
      [name]: value.replace(/[^\x20-\x7e]/g, '?'),
    })),
    fc.constantFrom('application/json', 'application/x-amz-json-1.1', 'application/x-www-form-urlencoded', 'text/xml', 'application/cbor', 'multipart/form-data; boundary=x').map((type) => ({ ...headers, 'content-type': type })),
  );
}

/**
 * Two properties per service: requests generated from its model, and the same requests with their bodies, paths and
 * headers mutated. Each answer must be a success or the service's own error in its own format.
 */
export async function fuzzService(node: FlintNode, service: ServiceUnderFuzz, runs: { generated: number; mutated: number }): Promise<void> {
  const codes = serviceCodes(service);
  const requests = modelRequests(service.model, service.wire, { signingName: service.signingName, skip: service.skip, fixed: service.fixed });
  const send = async (sent: InProcessRequest): Promise<void> => {
    const request = service.finish ? service.finish(sent) : sent;
    const response = await node.request(request);
    const format = typeof service.format === 'function' ? service.format(request.headers ?? {}) : service.format;
    expectServiceAnswer(response, format, codes, describeRequest(request));
  };
  await checkProperty(fc.asyncProperty(requests, ({ request }) => send(request)), runs.generated);
  printStats(`${service.model.metadata.serviceId} generated`);
  const mutated = requests.chain(({ request }) =>
    fc.record({
      body: mutatedBytes(Buffer.from(request.body ?? '')),
      headers: mutatedHeaders(request.headers ?? {}),
      path: fc.oneof(fc.constant(request.path), mutatedBytes(Buffer.from(request.path)).map((bytes) => `/${bytes.toString('latin1').replace(/[^\x21-\x7e]/g, '%20').replace(/^\/*/, '')}`)),
    }).map((changes): InProcessRequest => ({ ...request, ...changes })),
  );
  await checkProperty(fc.asyncProperty(mutated, send), runs.mutated);
  printStats(`${service.model.metadata.serviceId} mutated`);
}
