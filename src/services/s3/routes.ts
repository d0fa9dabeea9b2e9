import type { ServiceRequest } from '../../core/index.js';
import type { Address } from './address.js';
import type { Operations } from './api.js';
import { bucketConfigOperation } from './bucket-config/index.js';
import { methodNotAllowed, notImplemented } from './errors.js';

/** An operation of S3's model. */
export type OperationName = keyof Operations & string;

/** S3 subresources Flint does not implement: answered NotImplemented rather than mistaken for another operation. */
const UNSUPPORTED_SUBRESOURCES: ReadonlySet<string> = new Set([
  'accelerate',
  'acl',
  'analytics',
  'cors',
  'encryption',
  'intelligent-tiering',
  'inventory',
  'lifecycle',
  'logging',
  'metadataConfiguration',
  'metadataTable',
  'metrics',
  'ownershipControls',
  'policy',
  'policyStatus',
  'publicAccessBlock',
  'replication',
  'requestPayment',
  'restore',
  'select',
  'session',
  'tagging',
  'torrent',
  'versions',
  'website',
]);

/**
 * Picks the operation from the method, the address (service, bucket or object), the subresource and, for PUT on
 * an object, whether x-amz-copy-source is present: one model route (PUT /{Bucket}/{Key+}) is PutObject, CopyObject,
 * UploadPart or UploadPartCopy, which the model cannot tell apart.
 */
export function route(request: ServiceRequest, address: Address): OperationName {
  const { bucket, key } = address;
  if (bucket === undefined) {
    if (request.method === 'GET') return 'ListBuckets';
    throw methodNotAllowed(request.method, 'SERVICE');
  }
  const configuration = bucketConfigOperation(request, address);
  if (configuration) return configuration;
  const versioned = versionOperation(request, key !== undefined);
  if (versioned) return versioned;
  for (const name of request.query.keys()) {
    if (UNSUPPORTED_SUBRESOURCES.has(name)) throw notImplemented(name);
  }
  return key === undefined ? bucketOperation(request) : objectOperation(request);
}

function bucketOperation(request: ServiceRequest): OperationName {
  const query = request.query;
  switch (request.method) {
    case 'GET':
      if (query.has('location')) return 'GetBucketLocation';
      if (query.has('notification')) return 'GetBucketNotificationConfiguration';
      if (query.has('uploads')) return 'ListMultipartUploads';
      if (query.has('versioning')) return 'GetBucketVersioning';
      return query.get('list-type') === '2' ? 'ListObjectsV2' : 'ListObjects';
    case 'PUT':
      if (query.has('notification')) return 'PutBucketNotificationConfiguration';
      if (query.has('versioning')) throw notImplemented('versioning');
      return 'CreateBucket';
    case 'HEAD':
      return 'HeadBucket';
    case 'DELETE':
      return 'DeleteBucket';
    case 'POST':
      if (query.has('delete')) return 'DeleteObjects';
      throw methodNotAllowed(request.method, 'BUCKET');
    default:
      throw methodNotAllowed(request.method, 'BUCKET');
  }
}

function objectOperation(request: ServiceRequest): OperationName {
  const query = request.query;
  switch (request.method) {
    case 'GET':
      return query.has('uploadId') ? 'ListParts' : 'GetObject';
    case 'HEAD':
      return 'HeadObject';
    case 'PUT': {
      const copy = request.headers['x-amz-copy-source'] !== undefined;
      if (query.has('uploadId') || query.has('partNumber')) return copy ? 'UploadPartCopy' : 'UploadPart';
      return copy ? 'CopyObject' : 'PutObject';
    }
    case 'DELETE':
      return query.has('uploadId') ? 'AbortMultipartUpload' : 'DeleteObject';
    case 'POST':
      if (query.has('uploads')) return 'CreateMultipartUpload';
      if (query.has('uploadId')) return 'CompleteMultipartUpload';
      throw methodNotAllowed(request.method, 'OBJECT');
    default:
      throw methodNotAllowed(request.method, 'OBJECT');
  }
}

/** Versioning, object tagging, object ACL, attributes, retention and legal hold subresources (version-handlers.ts); undefined for anything else. */
function versionOperation(request: ServiceRequest, onObject: boolean): OperationName | undefined {
  const { method, query } = request;
  if (!onObject) {
    if (method === 'GET' && query.has('versions')) return 'ListObjectVersions';
    if (method === 'PUT' && query.has('versioning')) return 'PutBucketVersioning';
    return undefined;
  }
  if (query.has('tagging')) {
    if (method === 'GET') return 'GetObjectTagging';
    if (method === 'PUT') return 'PutObjectTagging';
    if (method === 'DELETE') return 'DeleteObjectTagging';
  }
  if (query.has('acl')) {
    if (method === 'GET') return 'GetObjectAcl';
    if (method === 'PUT') return 'PutObjectAcl';
  }
  if (query.has('attributes') && method === 'GET') return 'GetObjectAttributes';
  if (query.has('retention')) {
    if (method === 'GET') return 'GetObjectRetention';
    if (method === 'PUT') return 'PutObjectRetention';
  }
  if (query.has('legal-hold')) {
    if (method === 'GET') return 'GetObjectLegalHold';
    if (method === 'PUT') return 'PutObjectLegalHold';
  }
  return undefined;
}
