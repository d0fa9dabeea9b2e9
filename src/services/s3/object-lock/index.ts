/**
 * S3 Object Lock (WORM): the bucket's configuration and default retention, per-version retention and legal hold,
 * the lock headers of writes and reads, and the checks that keep locked versions from being deleted or loosened.
 */
export { enableLock, getObjectLockConfiguration, isLockEnabled, putObjectLockConfiguration, withVersioningLock } from './config.js';
export { getObjectLegalHold, getObjectRetention, putObjectLegalHold, putObjectRetention } from './retention.js';
export { bypassOf, checkDeletable, lockMembers, withLock, type LockHeaders } from './worm.js';
export { OBJECT_LOCK_ERROR_TYPES } from './errors.js';
