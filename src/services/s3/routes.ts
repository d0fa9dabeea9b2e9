import { createBucket, deleteBucket, getBucketLocation, getBucketVersioning, headBucket, listBuckets } from './buckets.js';
import { header, type Operation, type S3Call } from './context.js';
import { methodNotAllowed, notImplemented } from './errors.js';
import { listObjectsV1, listObjectsV2 } from './listing.js';
import { listMultipartUploads, listParts } from './multipart-list.js';
import { abortMultipartUpload, completeMultipartUpload, createMultipartUpload, uploadPart, uploadPartCopy } from './multipart.js';
import { getBucketNotification, putBucketNotification } from './notifications/api.js';
import { deleteObject, deleteObjects } from './objects-delete.js';
import { getObject, headObject } from './objects-read.js';
import { copyObject, putObject } from './objects-write.js';

/** S3 subresources Flint does not implement: answered NotImplemented rather than mistaken for another operation. */
const UNSUPPORTED_SUBRESOURCES: ReadonlySet<string> = new Set([
  'accelerate',
  'acl',
  'analytics',
  'attributes',
  'cors',
  'encryption',
  'intelligent-tiering',
  'inventory',
  'legal-hold',
  'lifecycle',
  'logging',
  'metadataConfiguration',
  'metadataTable',
  'metrics',
  'object-lock',
  'ownershipControls',
  'policy',
  'policyStatus',
  'publicAccessBlock',
  'replication',
  'requestPayment',
  'restore',
  'retention',
  'select',
  'session',
  'tagging',
  'torrent',
  'versions',
  'website',
]);

/** Picks the operation from the method, the address (service, bucket or object) and the subresource. */
export function route(call: S3Call): Operation {
  const { bucket, key } = call.address;
  if (bucket === undefined) {
    if (call.method === 'GET') return listBuckets;
    throw methodNotAllowed(call.method, 'SERVICE');
  }
  for (const name of call.query.keys()) {
    if (UNSUPPORTED_SUBRESOURCES.has(name)) throw notImplemented(name);
  }
  return key === undefined ? bucketOperation(call) : objectOperation(call);
}

function bucketOperation(call: S3Call): Operation {
  const query = call.query;
  switch (call.method) {
    case 'GET':
      if (query.has('location')) return getBucketLocation;
      if (query.has('notification')) return getBucketNotification;
      if (query.has('uploads')) return listMultipartUploads;
      if (query.has('versioning')) return getBucketVersioning;
      return query.get('list-type') === '2' ? listObjectsV2 : listObjectsV1;
    case 'PUT':
      if (query.has('notification')) return putBucketNotification;
      if (query.has('versioning')) throw notImplemented('versioning');
      return createBucket;
    case 'HEAD':
      return headBucket;
    case 'DELETE':
      return deleteBucket;
    case 'POST':
      if (query.has('delete')) return deleteObjects;
      throw methodNotAllowed(call.method, 'BUCKET');
    default:
      throw methodNotAllowed(call.method, 'BUCKET');
  }
}

function objectOperation(call: S3Call): Operation {
  const query = call.query;
  switch (call.method) {
    case 'GET':
      return query.has('uploadId') ? listParts : getObject;
    case 'HEAD':
      return headObject;
    case 'PUT': {
      const copy = header(call, 'x-amz-copy-source') !== undefined;
      if (query.has('uploadId') || query.has('partNumber')) return copy ? uploadPartCopy : uploadPart;
      return copy ? copyObject : putObject;
    }
    case 'DELETE':
      return query.has('uploadId') ? abortMultipartUpload : deleteObject;
    case 'POST':
      if (query.has('uploads')) return createMultipartUpload;
      if (query.has('uploadId')) return completeMultipartUpload;
      throw methodNotAllowed(call.method, 'OBJECT');
    default:
      throw methodNotAllowed(call.method, 'OBJECT');
  }
}
