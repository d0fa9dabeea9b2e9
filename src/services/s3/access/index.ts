/**
 * Who may do what to a bucket: requests of the owner's account always may; unsigned requests and principals of
 * other accounts get what the bucket policy, the bucket and object ACLs and the public access block give them.
 */
export { guardAll } from './guard.js';
export { accessKeyOf, canonicalIdOf, requesterOf, type Requester, type S3Principal, type S3Principals } from './requester.js';
export { isPublicStatement } from './policy-eval.js';
