/** Amazon S3's REST-XML API on the objects store; see service.ts for what matches AWS and what does not. */
export { S3Service, type S3ServiceOptions } from './service.js';
export { isS3Host, parseAddress } from './address.js';
export { actionOf as s3ActionOf } from './access/actions.js';
export { AwsChunkedDecoder, type ChunkObserver } from './chunked.js';
export type { S3Principal, S3Principals } from './access/index.js';
export { ensureBucket, isValidBucketName } from './buckets.js';
export { setAppNotifications, type FunctionNotification } from './notifications/owned.js';
export type { S3BusEvent, S3EventRecord, S3NotificationEvent, S3NotificationSink, S3NotificationTarget, S3TestEvent } from './notifications/sink.js';
