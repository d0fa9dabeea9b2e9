/**
 * S3's bucket subresources: tagging, CORS (configuration, preflights and response headers), policy and policy
 * status, public access block, ownership controls, ACL, lifecycle (configuration and expiry on the node's clock),
 * default encryption, website, logging, request payment, accelerate, and the answers of a bucket without
 * replication (object lock has its own folder, object-lock/). Each configuration is kept with its bucket (store.ts).
 */
export { BUCKET_CONFIG_HANDLERS, BUCKET_CONFIG_ROOTS } from './handlers.js';
export { bucketConfigOperation } from './routes.js';
export { BucketCors } from './cors-requests.js';
export { LifecycleSweeper, LIFECYCLE_INTERVAL_MS } from './lifecycle-sweep.js';
export { withBucketSettings } from './create.js';
export { withBucketEcho } from './echo.js';
export { BUCKET_CONFIG_ERROR_TYPES } from './errors.js';
