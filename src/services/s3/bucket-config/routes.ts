import type { ServiceRequest } from '../../../core/index.js';
import type { Address } from '../address.js';
import type { Operations } from '../api.js';

type OperationName = keyof Operations & string;

/** Bucket subresources by query parameter: the operation each method calls on it. */
const SUBRESOURCES: Readonly<Record<string, Partial<Record<'GET' | 'PUT' | 'DELETE', OperationName>>>> = {
  tagging: { GET: 'GetBucketTagging', PUT: 'PutBucketTagging', DELETE: 'DeleteBucketTagging' },
  cors: { GET: 'GetBucketCors', PUT: 'PutBucketCors', DELETE: 'DeleteBucketCors' },
  policy: { GET: 'GetBucketPolicy', PUT: 'PutBucketPolicy', DELETE: 'DeleteBucketPolicy' },
  policyStatus: { GET: 'GetBucketPolicyStatus' },
  publicAccessBlock: { GET: 'GetPublicAccessBlock', PUT: 'PutPublicAccessBlock', DELETE: 'DeletePublicAccessBlock' },
  ownershipControls: { GET: 'GetBucketOwnershipControls', PUT: 'PutBucketOwnershipControls', DELETE: 'DeleteBucketOwnershipControls' },
  acl: { GET: 'GetBucketAcl', PUT: 'PutBucketAcl' },
  lifecycle: { GET: 'GetBucketLifecycleConfiguration', PUT: 'PutBucketLifecycleConfiguration', DELETE: 'DeleteBucketLifecycle' },
  encryption: { GET: 'GetBucketEncryption', PUT: 'PutBucketEncryption', DELETE: 'DeleteBucketEncryption' },
  website: { GET: 'GetBucketWebsite', PUT: 'PutBucketWebsite', DELETE: 'DeleteBucketWebsite' },
  logging: { GET: 'GetBucketLogging', PUT: 'PutBucketLogging' },
  requestPayment: { GET: 'GetBucketRequestPayment', PUT: 'PutBucketRequestPayment' },
  accelerate: { GET: 'GetBucketAccelerateConfiguration', PUT: 'PutBucketAccelerateConfiguration' },
  replication: { GET: 'GetBucketReplication', DELETE: 'DeleteBucketReplication' },
  'object-lock': { GET: 'GetObjectLockConfiguration', PUT: 'PutObjectLockConfiguration' },
};

/**
 * The bucket configuration operation a request calls (`GET /bucket?tagging`), or undefined when it calls none of
 * them (object requests, and methods a subresource does not take, which S3's router answers as before).
 */
export function bucketConfigOperation(request: ServiceRequest, address: Address): OperationName | undefined {
  if (address.bucket === undefined || address.key !== undefined) return undefined;
  const method = request.method as 'GET' | 'PUT' | 'DELETE';
  for (const name of request.query.keys()) {
    const operation = SUBRESOURCES[name]?.[method];
    if (operation) return operation;
  }
  return undefined;
}
