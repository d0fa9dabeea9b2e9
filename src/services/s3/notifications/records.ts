import type { BucketInfo } from '../../../storage/index.js';
import { principalOf, type S3Call } from '../call.js';
import { formEncode } from '../format.js';
import type { NotificationRule } from './config.js';
import type { S3EventRecord, S3TestEvent } from './sink.js';

/** What happened to which object: size and ETag only for creations, as S3 sends them. */
export interface ObjectEvent {
  /** Without the "s3:" prefix, as records carry it: "ObjectCreated:Put", "ObjectRemoved:Delete". */
  name: string;
  key: string;
  size?: number;
  etag?: string;
  /** Set for objects of a versioned bucket. */
  versionId?: string;
  sequence: number;
}

/** Fixed facts about the account the records name. */
export interface RecordScope {
  /** The short owner id S3 shows as the bucket's ownerIdentity. */
  ownerPrincipal: string;
  now: number;
}

const SEQUENCER_DIGITS = 18;

/** One record of Lambda's S3 event (eventVersion 2.1), for one matching configuration. */
export function eventRecord(bucket: BucketInfo, rule: NotificationRule, event: ObjectEvent, call: S3Call, scope: RecordScope): S3EventRecord {
  const object: S3EventRecord['s3']['object'] = {
    key: eventKey(event.key),
    ...(event.size !== undefined ? { size: event.size } : {}),
    ...(event.etag !== undefined ? { eTag: event.etag } : {}),
    ...(event.versionId !== undefined ? { versionId: event.versionId } : {}),
    sequencer: sequencer(event.sequence),
  };
  return {
    eventVersion: '2.1',
    eventSource: 'aws:s3',
    awsRegion: bucket.region,
    eventTime: new Date(scope.now).toISOString(),
    eventName: event.name,
    userIdentity: { principalId: `AWS:${principalOf(call)}` },
    requestParameters: { sourceIPAddress: call.sourceIp },
    responseElements: { 'x-amz-request-id': call.requestId, 'x-amz-id-2': call.hostId },
    s3: {
      s3SchemaVersion: '1.0',
      configurationId: rule.id,
      bucket: { name: bucket.name, ownerIdentity: { principalId: scope.ownerPrincipal }, arn: `arn:aws:s3:::${bucket.name}` },
      object,
    },
  };
}

/** S3's s3:TestEvent, sent to queue and topic destinations when a configuration is put. */
export function testEvent(bucket: string, call: S3Call, now: number): S3TestEvent {
  return { Service: 'Amazon S3', Event: 's3:TestEvent', Time: new Date(now).toISOString(), Bucket: bucket, RequestId: call.requestId, HostId: call.hostId };
}

/**
 * Keys in records are form-URL-encoded as S3 encodes them ("red flower.jpg" → "red+flower.jpg"), so handlers
 * decode them with decodeURIComponent(key.replace(/\+/g, ' ')).
 */
export function eventKey(key: string): string {
  return formEncode(key);
}

/** Hex, fixed width, so sequencers of one key compare as strings in write order. */
export function sequencer(sequence: number): string {
  return sequence.toString(16).toUpperCase().padStart(SEQUENCER_DIGITS, '0');
}
