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
 *   uploads (UploadPartCopy included) with "-N" ETags, EntityTooSmall, InvalidPart/InvalidPartOrder with S3's extra
 *   elements, InvalidRequest for a completion without a document, ListMultipartUploads with delimiter
 *   (CommonPrefixes) and encoding-type=url; `Expect: 100-continue` ("100 Continue" is sent when the body is read, so
 *   a request refused on its headers is answered without its body being sent; gateway/server.ts); user metadata
 *   and the standard content headers; Content-MD5 and flexible checksums (CRC32, CRC32C, CRC64NVME, SHA1, SHA256) in
 *   headers or aws-chunked trailers, verified (BadDigest; InvalidDigest and InvalidRequest for malformed ones, and
 *   PutObject's ExpectedDigest in hex as S3 gives it), stored and returned (x-amz-checksum-mode); composite
 *   multipart checksums; aws-chunked bodies, signed or unsigned; presigned URL expiry (SigV4 and SigV2) against the
 *   injected clock; bucket notification configurations validated as S3 validates them, with S3 event records
 *   (eventVersion 2.1) handed to a sink before the write is acknowledged; with EventBridgeConfiguration every object
 *   event Flint sends also goes to the account's default EventBridge bus as "Object Created" (reason PutObject,
 *   CopyObject, CompleteMultipartUpload) or "Object Deleted" (DeleteObject, Lifecycle Expiration; deletion-type),
 *   through the same outbox (notifications/bus-events.ts). Errors carry S3's codes, statuses, messages and extra
 *   elements.
 * - Matches AWS, bucket subresources (bucket-config/): Put/Get/Delete of bucket tagging (50 tags, InvalidTag),
 *   CORS, policy (JSON checked as S3 checks it, kept byte for byte) and GetBucketPolicyStatus, PublicAccessBlock,
 *   OwnershipControls (CreateBucket's x-amz-object-ownership too), bucket ACLs (canned, x-amz-grant-* headers,
 *   AccessControlPolicy; CreateBucket's x-amz-acl), lifecycle configuration, default encryption, website, logging,
 *   request payment and accelerate, each with S3's "not found" error and 204s where S3 sends them. A new bucket has
 *   AWS's post-2023 defaults: SSE-S3 default encryption, BucketOwnerEnforced (ACLs other than the owner's full
 *   control refused with AccessControlListNotSupported), all four public access blocks on (a public policy is
 *   refused while BlockPublicPolicy is on, a public ACL while BlockPublicAcls is); deleting the ownership controls or
 *   the block makes S3's "not found" answer, DeleteBucketEncryption returns to SSE-S3. GetBucketReplication answers
 *   ReplicationConfigurationNotFoundError.
 *   CreateBucket checks the LocationConstraint against the region the request is signed for
 *   (IllegalLocationConstraintException outside us-east-1, InvalidLocationConstraint for unknown regions). CORS is in
 *   effect: OPTIONS preflights are answered by the first matching rule (403 AccessForbidden "CORSResponse: ..."
 *   otherwise) and requests with an Origin, presigned ones included, get the matching rule's Access-Control-*
 *   headers. Lifecycle Expiration rules (Days, rounded up to midnight UTC, or Date; Filter Prefix, size and And)
 *   run on the node's clock every hour: expired objects are deleted through the objects store with
 *   s3:LifecycleExpiration:Delete events, and PutObject/GetObject/HeadObject answer x-amz-expiration. Object writes
 *   and reads answer x-amz-server-side-encryption (and the KMS key ARN) from the request or the bucket's default.
 *   Configurations live with the bucket and go when it is deleted. POST Object (browser form uploads,
 *   post-object/): the policy's expiration and conditions (eq, starts-with, content-length-range, simple conditions,
 *   extra fields), key ${filename}, x-amz-meta-* and content headers, success_action_status 200/201/204 and
 *   success_action_redirect, with S3's errors; the upload is stored as the PutObject it amounts to.
 * - Matches AWS (versions, object tags and ACLs): Put/GetBucketVersioning (Enabled, Suspended); version ids on
 *   PutObject, CopyObject and CompleteMultipartUpload; null versions (written before versioning or while Suspended,
 *   where a write replaces the null version); GET/HEAD/DELETE/CopyObject/UploadPartCopy by versionId; delete markers
 *   (x-amz-delete-marker, 404 NoSuchKey for a key whose latest is a marker, 405 for a marker named by id);
 *   DeleteObjects with version ids and DeleteMarkerVersionId; ListObjectVersions with key and version-id markers,
 *   prefix, delimiter and encoding-type=url (an unversioned bucket lists each object as "null"); BucketNotEmpty while
 *   any version or marker remains; records carry versionId in versioned buckets and a marker sends
 *   ObjectRemoved:DeleteMarkerCreated. Object tags (x-amz-tagging on put, copy with x-amz-tagging-directive and
 *   multipart, Put/Get/DeleteObjectTagging by version, x-amz-tagging-count, S3's limits and errors). Object ACLs
 *   (canned ACLs, x-amz-grant-* headers and AccessControlPolicy documents on PutObjectAcl, x-amz-acl and grants on
 *   PutObject, CopyObject and CreateMultipartUpload, the default owner FULL_CONTROL, GetObjectAcl by version).
 * - Matches AWS, access control (access/): unsigned requests (GET/HEAD/PUT/DELETE to an S3 host, or naming an
 *   existing bucket when no HTTP API route claims them) and principals of other accounts (sessions STS issued for a
 *   role in another account) are answered 403 AccessDenied unless the bucket policy or an ACL grants the action.
 *   Policies: Allow/Deny (explicit Deny wins), Principal "*", {"AWS": "*" | account id | root, role or principal
 *   ARN}, CanonicalUser, NotPrincipal/NotAction/NotResource, Action and Resource wildcards, and the condition
 *   operators String*, Arn*, Numeric*, Bool, IpAddress/NotIpAddress, Null, ...IfExists and ForAnyValue/ForAllValues
 *   over aws:SourceIp, aws:SecureTransport, aws:Referer, aws:UserAgent, aws:PrincipalAccount, aws:PrincipalArn,
 *   aws:CurrentTime, aws:EpochTime, s3:prefix, s3:delimiter, s3:max-keys, s3:VersionId, s3:x-amz-acl (an unknown
 *   operator matches nothing). ACLs: AllUsers, AuthenticatedUsers and canonical-id grants on buckets (READ lists,
 *   WRITE puts and deletes objects, READ_ACP/WRITE_ACP) and objects (READ gets, READ_ACP/WRITE_ACP), ignored under
 *   BucketOwnerEnforced. The public access block: IgnorePublicAcls drops public grants, RestrictPublicBuckets makes a
 *   public policy grant nobody outside the account. Get/Put/DeleteBucketPolicy answer 405 to an allowed other
 *   account. A missing bucket is NoSuchBucket to anyone; a missing key without list permission is AccessDenied.
 *   BucketOwnerEnforced refuses object ACLs (x-amz-acl other than bucket-owner-full-control, x-amz-grant-*, every
 *   PutObjectAcl) with AccessControlListNotSupported, and BlockPublicAcls refuses public object ACLs.
 * - Matches AWS: GetObjectAttributes (the attributes asked for, ETag unquoted, Checksum as stored, by version;
 *   ObjectParts of multipart objects: TotalPartsCount, and for uploads with per-part (COMPOSITE) checksums the Parts
 *   list with sizes and checksums, paged by MaxParts/PartNumberMarker; object-attributes.ts). Storage classes
 *   (storage-class.ts): x-amz-storage-class on PutObject, CopyObject (a copy takes the class it asks for, never the
 *   source's; a copy onto itself that changes only the class is allowed) and CreateMultipartUpload, checked against the
 *   model's enum (InvalidStorageClass, also for OUTPOSTS and EXPRESS_ONEZONE, which need Outposts or directory
 *   buckets), kept per version and returned on GET/HEAD (omitted for STANDARD, as S3 omits it), in ListObjects(V2),
 *   ListObjectVersions, ListParts, ListMultipartUploads and GetObjectAttributes; a GET of a GLACIER or DEEP_ARCHIVE
 *   object answers 403 InvalidObjectState as S3 does before a restore. Object lock (object-lock/): CreateBucket's
 *   x-amz-bucket-object-lock-enabled (versioning turned on with it), Put/GetObjectLockConfiguration with a default
 *   retention (Days or Years) applied to new versions, lock on an existing bucket once versioning is Enabled, no
 *   suspending versioning on a locked bucket; Put/GetObjectRetention and Put/GetObjectLegalHold per version; the lock
 *   headers on PutObject, CopyObject (the source's lock is not copied) and CreateMultipartUpload, returned on
 *   GET/HEAD. WORM: removing a version by id (DeleteObject, DeleteObjects) under legal hold or an unexpired retention
 *   is 403 AccessDenied, except GOVERNANCE with x-amz-bypass-governance-retention: true; COMPLIANCE can only be
 *   extended, GOVERNANCE shortened or removed only with the bypass; a delete without a version id still adds a delete
 *   marker, and lifecycle expiry only ever adds markers, so it never removes a locked version. Errors as LocalStack's
 *   recordings of S3 show them (MalformedXML for every bad lock configuration, Days and Years together included).
 * - Missing: replication (Put), SSE-C, SelectObjectContent, directory buckets,
 *   analytics/inventory/metrics/intelligent-tiering configurations; such subresources answer NotImplemented. MFA
 *   delete (enabling it answers NotImplemented: Flint has no MFA devices; "Disabled" is kept and returned).
 *   Full-object (FULL_OBJECT) checksums of multipart uploads. Only object creations and removals notify: tagging,
 *   ACL, restore and storage-class events (s3:ObjectTagging:*, s3:ObjectAcl:Put...; EventBridge's "Object Tags
 *   Added", "Object ACL Updated"...) are accepted in configurations but never sent. Lifecycle: Transitions,
 *   noncurrent-version rules, AbortIncompleteMultipartUpload and ExpiredObjectDeleteMarker are kept, not run. No
 *   website endpoint, access log or accelerate endpoint exists.
 * - Differs by design: signatures (SigV4, chunks, POST policies, SigV2) and x-amz-content-sha256 are verified by the
 *   gateway in server mode only (gateway/auth/); in local mode any credentials work. Every bucket
 *   belongs to the one account the node runs as, and any credentials but a session STS issued for another
 *   account's role act as that owner, who may do anything unless the node enforces IAM policies (platform/authz/:
 *   then the owner account's IAM users and role sessions get what their policies and the bucket policy allow);
 *   another account's principals need only the bucket's grant (Flint holds no IAM policies of other accounts). Another account creating a
 *   bucket creates one of the node's; its ListBuckets shows no bucket; objects it writes belong to the bucket owner.
 *   Whether a policy is public is judged simply (an Allow to "*" without Condition). DeleteObjects needs the
 *   permission for every key named, or the whole request is refused (S3 answers per key). Expired or unknown session
 *   tokens are AccessDenied rather than ExpiredToken/InvalidToken; the owner is a fixed canonical id derived from it, shown without a
 *   DisplayName as S3 now shows owners. Version ids are 32 URL-safe characters carrying their own check, so a
 *   mistyped id is InvalidArgument and a well-formed unknown one NoSuchVersion (S3's ids differ in form). A completed
 *   multipart upload is forgotten at once, so completing it again is NoSuchUpload (S3's message names completion
 *   among the reasons; no recording of S3 shows a repeat completion).
 *   Email grantees (AmazonCustomerByEmail) are kept as given rather than resolved to a canonical user. Request
 *   documents (and DeleteObjects' required Content-MD5 or checksum) are checked as the body is read, before the
 *   bucket is looked up; DeleteObjects writes its Deleted elements before its Error elements. Encryption is echoed,
 *   not done: object bodies stay unencrypted on disk, KMS keys are not checked (any key id is taken, and the
 *   AWS-managed aws/s3 key is a fixed id per account), and GetObject/HeadObject report the bucket's current default,
 *   not what the object was written with. A CORS preflight reaches S3 when it is unsigned only if no HTTP API route
 *   claims it (the gateway asks the APIs first), and so do an unsigned form upload and an anonymous request to a
 *   host without an "s3" label (path style, bucket.localhost), which must name an existing bucket (read whole, up to
 *   the gateway's 10 MB for unsigned requests); a POST policy's signature is verified in server mode only; lifecycle
 *   expiry events name the principal "anonymous". Storage classes are labels: every class is kept on the same disk,
 *   Transitions do not change them, and there is no RestoreObject, so a GLACIER or DEEP_ARCHIVE object can be read
 *   only by copying it to another class (S3 refuses such a copy before a restore). The retention and legal hold checks
 *   read a version and then delete or change it in two steps, not in one transaction with the change. A multipart
 *   upload's default retention is counted from CreateMultipartUpload, not from completion.
 */
import { FlintError, noFaults, type Clock, type Faults, type Logger, type Service, type ServiceRequest, type ServiceResponse } from '../../core/index.js';
import { defineService, loadModel, type AwsError, type AwsService, type Handlers, type RouteChoice } from '../../protocol/index.js';
import type { ObjectStore, QueueStore } from '../../storage/index.js';
import { canonicalIdOf, guardAll, requesterOf, type Requester, type S3Principals } from './access/index.js';
import { parseAddress, type Address } from './address.js';
import type { Operations } from './api.js';
import { TrackedBody } from './body.js';
import { BUCKET_CONFIG_HANDLERS, BUCKET_CONFIG_ROOTS, BucketCors, LifecycleSweeper, withBucketEcho, withBucketSettings } from './bucket-config/index.js';
import { CONFIG, readConfig } from './bucket-config/store.js';
import { createBucket, deleteBucket, getBucketLocation, headBucket, listBuckets } from './buckets.js';
import { hostIdOf, s3Call } from './call.js';
import { BucketLookups, type S3Context, type S3Deps } from './context.js';
import { fromFlintError } from './errors.js';
import { S3_NAMESPACE } from './format.js';
import { listObjects, listObjectsV2 } from './listing.js';
import { listMultipartUploads, listParts } from './multipart-list.js';
import { abortMultipartUpload, completeMultipartUpload, createMultipartUpload, uploadPart, uploadPartCopy } from './multipart.js';
import { getBucketNotification, putBucketNotification } from './notifications/api.js';
import { Notifier } from './notifications/notifier.js';
import { NotificationRelay } from './notifications/relay.js';
import type { S3NotificationSink } from './notifications/sink.js';
import { deleteObject, deleteObjects } from './objects-delete.js';
import { getObject, headObject } from './objects-read.js';
import { copyObject, putObject } from './objects-write.js';
import { FormUploads, isFormUpload } from './post-object/index.js';
import { checkPresignedExpiry } from './presign.js';
import { route } from './routes.js';
import { readSmallBody } from './small-body.js';
import { VERSION_HANDLERS, VERSION_ROOTS } from './version-handlers.js';

export interface S3ServiceOptions {
  region: string;
  accountId: string;
  clock: Clock;
  logger: Logger;
  /** Receives the events of buckets with a notification configuration; without it, configurations are kept but nothing is sent. */
  notifications?: S3NotificationSink;
  /** Where events wait between their write and the sink (the outbox); needed with `notifications`. */
  queues?: QueueStore;
  /** Crash points for tests of what survives a crash (core/faults.ts). */
  faults?: Faults;
  /** How often lifecycle expiration runs on the clock (bucket-config/lifecycle-sweep.ts); an hour unless given. */
  lifecycleIntervalMs?: number;
  /** Who temporary credentials belong to (the platform asks IAM/STS); without it every signed request is the owner's. */
  principals?: S3Principals;
}

const HANDLERS: Handlers<Operations, S3Context> = guardAll({
  ListBuckets: listBuckets,
  CreateBucket: withBucketSettings(createBucket),
  HeadBucket: headBucket,
  DeleteBucket: deleteBucket,
  GetBucketLocation: getBucketLocation,
  GetBucketNotificationConfiguration: getBucketNotification,
  PutBucketNotificationConfiguration: putBucketNotification,
  ListObjects: listObjects,
  ListObjectsV2: listObjectsV2,
  PutObject: withBucketEcho(putObject, { writes: true, expiration: true }),
  CopyObject: withBucketEcho(copyObject, { writes: true, expiration: false }),
  GetObject: withBucketEcho(getObject, { writes: false, expiration: true }),
  HeadObject: withBucketEcho(headObject, { writes: false, expiration: true }),
  DeleteObject: deleteObject,
  DeleteObjects: deleteObjects,
  CreateMultipartUpload: withBucketEcho(createMultipartUpload, { writes: true, expiration: false }),
  UploadPart: uploadPart,
  UploadPartCopy: uploadPartCopy,
  CompleteMultipartUpload: withBucketEcho(completeMultipartUpload, { writes: false, expiration: true }),
  AbortMultipartUpload: abortMultipartUpload,
  ListParts: listParts,
  ListMultipartUploads: listMultipartUploads,
  ...BUCKET_CONFIG_HANDLERS,
  ...VERSION_HANDLERS,
});

/** Response documents' root elements, which botocore's model leaves out. */
const ROOTS: Readonly<Record<string, string>> = {
  ListBuckets: 'ListAllMyBucketsResult',
  ListObjects: 'ListBucketResult',
  ListObjectsV2: 'ListBucketResult',
  ListParts: 'ListPartsResult',
  ListMultipartUploads: 'ListMultipartUploadsResult',
  CreateMultipartUpload: 'InitiateMultipartUploadResult',
  CompleteMultipartUpload: 'CompleteMultipartUploadResult',
  DeleteObjects: 'DeleteResult',
  GetBucketNotificationConfiguration: 'NotificationConfiguration',
  ...BUCKET_CONFIG_ROOTS,
  ...VERSION_ROOTS,
};

/**
 * Query and header values S3 reads itself (scripts/gen-models.ts types them unknown): it words its own errors for
 * bad numbers ("Provided max-keys not an integer or within integer range") and ignores dates it cannot read.
 */
const OPAQUE = ['PartNumber', 'MaxKeys', 'MaxParts', 'MaxUploads', 'PartNumberMarker', 'MaxBuckets', 'FetchOwner', 'IfModifiedSince', 'IfUnmodifiedSince', 'CopySourceIfModifiedSince', 'CopySourceIfUnmodifiedSince', 'ResponseExpires', 'ObjectLockEnabledForBucket', 'BypassGovernanceRetention'];

/**
 * S3 on the protocol kit: the `s3` model reads each request (labels, query, headers, XML documents, the streamed
 * body of PutObject and UploadPart) into typed input and writes outputs and errors as S3 does. What the model
 * cannot say is declared here: S3's own router (one model route is four operations; the bucket may come from the
 * Host), its body framing and digests, its root elements, namespace, bare errors and request-id headers.
 */
export class S3Service implements Service {
  private readonly deps: S3Deps;
  private readonly api: AwsService<Operations, S3Context>;
  private readonly cors: BucketCors;
  private readonly lifecycle: LifecycleSweeper;
  private readonly forms: FormUploads;

  constructor(objects: ObjectStore, options: S3ServiceOptions) {
    const ownerId = canonicalIdOf(options.accountId);
    this.deps = {
      objects,
      region: options.region,
      accountId: options.accountId,
      clock: options.clock,
      logger: options.logger,
      ownerId,
      notifier: new Notifier({ sink: options.notifications, clock: options.clock, logger: options.logger, ownerPrincipal: ownerPrincipal(ownerId), accountId: options.accountId }),
      relay: relayFor(options),
      faults: options.faults ?? noFaults,
      principals: options.principals,
    };
    this.cors = new BucketCors(objects);
    this.lifecycle = new LifecycleSweeper(this.deps, options.lifecycleIntervalMs);
    this.forms = new FormUploads(options.clock, (put) => this.handle(put));
    const model = loadModel('s3');
    this.api = defineService<Operations, S3Context>({
      name: 's3',
      model,
      handlers: HANDLERS,
      // S3 checks its input its own way and words its own errors (InvalidBucketName, InvalidArgument, ...).
      validation: false,
      opaque: OPAQUE,
      context: ({ request }) => this.context(request),
      route: (request) => this.route(request),
      readBody: (request, operation) => readSmallBody(request, operation !== undefined && model.operation(operation)?.httpChecksum?.requestChecksumRequired === true),
      idHeaders: (request) => ({ 'x-amz-request-id': request.requestId, 'x-amz-id-2': hostIdOf(request.requestId), server: 'AmazonS3' }),
      xml: {
        namespace: S3_NAMESPACE,
        root: (operation) => ROOTS[operation],
        bareErrors: true,
        errorFields: (request) => ({ RequestId: request.requestId, HostId: hostIdOf(request.requestId) }),
      },
      translate: (error) => this.translate(error),
      logger: options.logger,
    });
  }

  /** Starts handing over notification events, including those a crash left in the outbox. */
  start(): void {
    this.deps.relay?.start();
    this.lifecycle.start();
  }

  async close(): Promise<void> {
    await this.lifecycle.close();
    await this.deps.relay?.close();
  }

  /** Whether a bucket of this name exists: the gateway hands S3 unsigned path-style requests that name one. */
  /** A bucket's policy document, for IAM enforcement; undefined when it has none or does not exist. */
  async bucketPolicy(name: string): Promise<string | undefined> {
    const bucket = await this.deps.objects.getBucket(name);
    return bucket && readConfig<string>(bucket, CONFIG.policy);
  }

  async hasBucket(name: string): Promise<boolean> {
    return (await this.deps.objects.getBucket(name)) !== undefined;
  }

  async handle(request: ServiceRequest): Promise<ServiceResponse> {
    // A CORS preflight: OPTIONS is no operation of S3's model.
    if (request.method === 'OPTIONS') return this.cors.preflight(request);
    // A browser form upload (POST Object): no operation of the model either; it becomes a PutObject.
    if (isFormUpload(request)) return this.cors.decorate(request, await this.forms.handle(request));
    const body = new TrackedBody(request.body);
    const response = await this.cors.decorate(request, await this.api.handle({ ...request, body }));
    if (response.status >= 400 && body.closesOnAnswer(request.headers)) response.headers = { ...response.headers, connection: 'close' };
    return response;
  }

  private context(request: ServiceRequest): S3Context {
    const call = s3Call(request);
    let requester: Promise<Requester> | undefined;
    return {
      deps: this.deps,
      call,
      buckets: new BucketLookups(this.deps.objects),
      requester: () => (requester ??= requesterOf(call, this.deps.principals, this.deps.accountId)),
    };
  }

  /** The address (path or Host), then presigned expiry, then the operation: each may fail in S3's words. */
  private route(request: ServiceRequest): RouteChoice {
    const address = parseAddress(request.host, request.rawPath);
    checkPresignedExpiry(request.query, this.deps.clock.now());
    return { operation: route(request, address), labels: labelsOf(address) };
  }

  private translate(error: FlintError): AwsError {
    const s3 = fromFlintError(error);
    if (error.details.clientGone === true) this.deps.logger.debug('S3 request aborted by the client', { error: String(error.cause) });
    else if (s3.status >= 500) this.deps.logger.error('S3 request failed', { error: error.stack ?? error.message });
    return s3;
  }
}

function relayFor(options: S3ServiceOptions): NotificationRelay | undefined {
  const { notifications: sink, queues } = options;
  if (!sink) return undefined;
  if (!queues) throw new FlintError('INTERNAL', 'S3 notifications need a queue store for their outbox');
  return new NotificationRelay({ queues, sink, clock: options.clock, logger: options.logger });
}

function labelsOf(address: Address): Record<string, string> {
  const labels: Record<string, string> = {};
  if (address.bucket !== undefined) labels.Bucket = address.bucket;
  if (address.key !== undefined) labels.Key = address.key;
  return labels;
}

/** The short owner principal S3 puts in event records (like "A3I5XTEXAMAI3E"). */
function ownerPrincipal(ownerId: string): string {
  return `A${ownerId.slice(0, 13).toUpperCase()}`;
}
