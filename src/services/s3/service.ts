/**
 * Amazon S3's REST-XML API (2006-03-01), the part that the AWS SDKs, the AWS CLI (`aws s3`, `aws s3api`) and boto3
 * use for buckets, objects and multipart uploads, so they work against Flint unchanged.
 *
 * Fidelity.
 * - Matches AWS: path-style and virtual-hosted addressing (bucket.localhost, bucket.s3.localhost,
 *   bucket.s3.<region>.amazonaws.com); ListBuckets, CreateBucket (LocationConstraint, naming rules, us-east-1's
 *   200 on re-creating your own bucket), HeadBucket, DeleteBucket, GetBucketLocation; PutObject, GetObject (single
 *   ranges with 206/416, If-Match/If-None-Match/If-Modified-Since/If-Unmodified-Since with 304/412, response-*
 *   overrides, partNumber), HeadObject, DeleteObject, DeleteObjects (Quiet), CopyObject (COPY/REPLACE, copy-source
 *   conditions), ListObjectsV2 and ListObjects (prefix, delimiter, paging, start-after, encoding-type=url); multipart
 *   uploads (UploadPartCopy included) with "-N" ETags, EntityTooSmall, InvalidPart/InvalidPartOrder; user metadata
 *   and the standard content headers; Content-MD5 and flexible checksums (CRC32, CRC32C, CRC64NVME, SHA1, SHA256) in
 *   headers or aws-chunked trailers, verified (BadDigest), stored and returned (x-amz-checksum-mode); composite
 *   multipart checksums; aws-chunked bodies, signed or unsigned; presigned URL expiry (SigV4 and SigV2) against the
 *   injected clock; bucket notification configurations validated as S3 validates them, with S3 event records
 *   (eventVersion 2.1) handed to a sink before the write is acknowledged. Errors carry S3's codes, statuses,
 *   messages and extra elements.
 * - Missing: versioning (every bucket is unversioned; versionId "null" is accepted), ACLs, policies, CORS, lifecycle,
 *   tagging, object lock, website hosting, SSE-C/KMS, POST (browser form) uploads, SelectObjectContent, directory
 *   buckets; such subresources answer NotImplemented. Full-object (FULL_OBJECT) checksums of multipart uploads and
 *   EventBridge delivery (the configuration is kept and returned, nothing is sent).
 * - Differs by design: signatures and x-amz-content-sha256 are not verified (any credentials work); every bucket
 *   belongs to the one account the node runs as; the owner is a fixed canonical id derived from it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createHash } from 'node:crypto';
import { isFlintError, type Clock, type Logger, type StreamContext, type StreamingService } from '../../core/index.js';
import type { ObjectStore } from '../../storage/index.js';
import { parseAddress } from './address.js';
import type { S3Call } from './call.js';
import type { S3Deps } from './context.js';
import { bucketNotEmpty, noSuchBucket, noSuchKey, noSuchUpload, preconditionFailed, toWireError } from './errors.js';
import { Notifier } from './notifications/notifier.js';
import type { S3NotificationSink } from './notifications/sink.js';
import { checkPresignedExpiry } from './presign.js';
import { route } from './routes.js';
import { sendError } from './wire.js';

export interface S3ServiceOptions {
  region: string;
  accountId: string;
  clock: Clock;
  logger: Logger;
  /** Receives the events of buckets with a notification configuration; without it, configurations are kept but nothing is sent. */
  notifications?: S3NotificationSink;
}

export class S3Service implements StreamingService {
  private readonly deps: S3Deps;

  constructor(objects: ObjectStore, options: S3ServiceOptions) {
    const digest = createHash('sha256').update(`flint:${options.accountId}`).digest();
    this.deps = {
      objects,
      region: options.region,
      accountId: options.accountId,
      clock: options.clock,
      logger: options.logger,
      ownerId: digest.toString('hex'),
      notifier: new Notifier({ sink: options.notifications, clock: options.clock, logger: options.logger, ownerPrincipal: ownerPrincipal(digest) }),
    };
  }

  async handleStream(req: IncomingMessage, res: ServerResponse, context: StreamContext): Promise<void> {
    let call: S3Call | undefined;
    try {
      call = s3Call(req, res, context, parseAddress(context.host, context.rawPath));
      checkPresignedExpiry(call.query, this.deps.clock.now());
      await route(call)(this.deps, call);
    } catch (error) {
      // An address that did not parse still gets its error in S3's format, from a path-style call.
      this.fail(call ?? s3Call(req, res, context, { virtualHost: false }), error);
    }
  }

  private fail(call: S3Call, error: unknown): void {
    if (call.res.headersSent) {
      // The body was streaming when it failed (most often: the client went away); only the socket can tell.
      this.deps.logger.debug('S3 response cut short', { method: call.method, bucket: call.address.bucket, key: call.address.key, error: String(error) });
      call.res.destroy();
      return;
    }
    if (call.req.destroyed && !call.req.complete) {
      this.deps.logger.debug('S3 request aborted by the client', { method: call.method, bucket: call.address.bucket });
      call.res.destroy();
      return;
    }
    const s3 = fromStore(call, error);
    if (toWireError(s3).status >= 500) {
      this.deps.logger.error('S3 request failed', { method: call.method, bucket: call.address.bucket, key: call.address.key, error: String(error) });
    }
    sendError(call, s3);
  }
}

/** The store reports missing buckets, keys and uploads in its own terms; S3 has a code for each. */
function fromStore(call: S3Call, error: unknown): unknown {
  if (!isFlintError(error) || error.details.s3 !== undefined) return error;
  const resource = error.details.resource;
  const name = typeof error.details.name === 'string' ? error.details.name : '';
  if (error.code === 'NOT_FOUND' && resource === 'bucket') return noSuchBucket(name);
  if (error.code === 'NOT_FOUND' && resource === 'key') return noSuchKey(name);
  if (error.code === 'NOT_FOUND' && resource === 'upload') return noSuchUpload(name);
  if (error.code === 'RESOURCE_CONFLICT' && resource === 'bucket') return bucketNotEmpty(name);
  if (error.code === 'PRECONDITION_FAILED') {
    const condition = error.details.condition;
    return preconditionFailed(typeof condition === 'string' ? condition : 'If-Match');
  }
  return error;
}

/** The short owner principal S3 puts in event records (like "A3I5XTEXAMAI3E"). */
function ownerPrincipal(digest: Buffer): string {
  return `A${digest.toString('hex').slice(0, 13).toUpperCase()}`;
}

function s3Call(req: IncomingMessage, res: ServerResponse, context: StreamContext, address: S3Call['address']): S3Call {
  return {
    req,
    res,
    method: req.method ?? 'GET',
    address,
    query: context.query,
    headers: req.headers,
    requestId: context.requestId,
    hostId: Buffer.from(context.requestId).toString('base64'),
    baseUrl: context.baseUrl,
    sourceIp: context.sourceIp,
  };
}
