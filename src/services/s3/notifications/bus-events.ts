import { randomUUID } from 'node:crypto';
import type { BucketInfo } from '../../../storage/index.js';
import type { S3Call } from '../call.js';
import { sequencer, type ObjectEvent, type RecordScope } from './records.js';
import type { S3BusEvent, S3BusEventDetail, S3NotificationTarget } from './sink.js';

/**
 * S3's events on EventBridge (EventBridgeConfiguration): every object event of the bucket goes to the account's
 * default bus, whatever the bucket's other configurations say; rules on the bus pick what they want. The shape is
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/ev-events.html, as LocalStack's recordings of AWS show it
 * (tests/aws/services/s3/test_s3_notifications_eventbridge.snapshot.json, test_object_created_put: "Object Created"
 * carries size, etag and sequencer, "Object Deleted" only key and sequencer with deletion-type; keys are given as
 * they are, not URL-encoded as in records).
 */

/** The account's default bus, which S3 sends to. */
export function defaultBusTarget(region: string, accountId: string): S3NotificationTarget {
  return { kind: 'eventbridge', arn: `arn:aws:events:${region}:${accountId}:event-bus/default` };
}

/** Who S3 names as the requester of what its lifecycle rules do (ev-events.html, "Object Deleted" by expiration). */
const S3_PRINCIPAL = 's3.amazonaws.com';

/** The event for an object event Flint sends (ObjectCreated:*, ObjectRemoved:*, LifecycleExpiration:*); undefined for others. */
export function busEvent(bucket: BucketInfo, event: ObjectEvent, call: S3Call, scope: RecordScope & { accountId: string }): S3BusEvent | undefined {
  const kind = kindOf(event.name);
  if (!kind) return undefined;
  const lifecycle = event.name.startsWith('LifecycleExpiration:');
  const object: S3BusEventDetail['object'] = { key: event.key };
  if (kind.detailType === 'Object Created') {
    if (event.size !== undefined) object.size = event.size;
    if (event.etag !== undefined) object.etag = event.etag;
  }
  // ev-events.html: "version-id" is given for objects of versioned buckets; a null version has no id to give.
  if (event.versionId !== undefined && event.versionId !== 'null') object['version-id'] = event.versionId;
  object.sequencer = sequencer(event.sequence);
  const detail: S3BusEventDetail = {
    version: '0',
    bucket: { name: bucket.name },
    object,
    'request-id': call.requestId,
    requester: lifecycle ? S3_PRINCIPAL : scope.accountId,
  };
  if (!lifecycle) detail['source-ip-address'] = call.sourceIp;
  detail.reason = kind.reason;
  if (kind.deletionType) detail['deletion-type'] = kind.deletionType;
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': kind.detailType,
    source: 'aws.s3',
    account: scope.accountId,
    time: new Date(scope.now).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: bucket.region,
    resources: [`arn:aws:s3:::${bucket.name}`],
    detail,
  };
}

/** Whether events of this name go to the bus (the ones Flint sends: ObjectCreated, ObjectRemoved, LifecycleExpiration). */
export function reachesBus(name: string): boolean {
  return kindOf(name) !== undefined;
}

interface BusKind {
  detailType: string;
  reason: string;
  deletionType?: string;
}

/** The detail-type, reason and deletion-type of a notification event name, as ev-events.html lists them. */
function kindOf(name: string): BusKind | undefined {
  switch (name) {
    case 'ObjectCreated:Put':
      return { detailType: 'Object Created', reason: 'PutObject' };
    case 'ObjectCreated:Post':
      return { detailType: 'Object Created', reason: 'POST Object' };
    case 'ObjectCreated:Copy':
      return { detailType: 'Object Created', reason: 'CopyObject' };
    case 'ObjectCreated:CompleteMultipartUpload':
      return { detailType: 'Object Created', reason: 'CompleteMultipartUpload' };
    case 'ObjectRemoved:Delete':
      return { detailType: 'Object Deleted', reason: 'DeleteObject', deletionType: 'Permanently Deleted' };
    case 'ObjectRemoved:DeleteMarkerCreated':
      return { detailType: 'Object Deleted', reason: 'DeleteObject', deletionType: 'Delete Marker Created' };
    case 'LifecycleExpiration:Delete':
      return { detailType: 'Object Deleted', reason: 'Lifecycle Expiration', deletionType: 'Permanently Deleted' };
    case 'LifecycleExpiration:DeleteMarkerCreated':
      return { detailType: 'Object Deleted', reason: 'Lifecycle Expiration', deletionType: 'Delete Marker Created' };
    default:
      return undefined;
  }
}
