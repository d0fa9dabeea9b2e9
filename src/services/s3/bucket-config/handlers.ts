import type { Handlers } from '../../../protocol/index.js';
import type { Operations } from '../api.js';
import type { S3Context } from '../context.js';
import { getBucketAcl, putBucketAcl } from './acl.js';
import { deleteBucketCors, getBucketCors, putBucketCors } from './cors.js';
import { deleteBucketEncryption, getBucketEncryption, putBucketEncryption } from './encryption.js';
import { deleteBucketLifecycle, getBucketLifecycle, putBucketLifecycle } from './lifecycle.js';
import {
  deleteBucketOwnershipControls,
  deletePublicAccessBlock,
  getBucketOwnershipControls,
  getPublicAccessBlock,
  putBucketOwnershipControls,
  putPublicAccessBlock,
} from './ownership.js';
import { deleteBucketPolicy, getBucketPolicy, getBucketPolicyStatus, putBucketPolicy } from './policy.js';
import {
  deleteBucketReplication,
  getBucketAccelerate,
  getBucketLogging,
  getBucketReplication,
  getBucketRequestPayment,
  putBucketAccelerate,
  putBucketLogging,
  putBucketRequestPayment,
} from './settings.js';
import { getObjectLockConfiguration, putObjectLockConfiguration } from '../object-lock/index.js';
import { deleteBucketTagging, getBucketTagging, putBucketTagging } from './tagging.js';
import { deleteBucketWebsite, getBucketWebsite, putBucketWebsite } from './website.js';

/** The bucket subresource operations, for S3's handler table. */
export const BUCKET_CONFIG_HANDLERS: Handlers<Operations, S3Context> = {
  PutBucketTagging: putBucketTagging,
  GetBucketTagging: getBucketTagging,
  DeleteBucketTagging: deleteBucketTagging,
  PutBucketCors: putBucketCors,
  GetBucketCors: getBucketCors,
  DeleteBucketCors: deleteBucketCors,
  PutBucketPolicy: putBucketPolicy,
  GetBucketPolicy: getBucketPolicy,
  DeleteBucketPolicy: deleteBucketPolicy,
  GetBucketPolicyStatus: getBucketPolicyStatus,
  PutPublicAccessBlock: putPublicAccessBlock,
  GetPublicAccessBlock: getPublicAccessBlock,
  DeletePublicAccessBlock: deletePublicAccessBlock,
  PutBucketOwnershipControls: putBucketOwnershipControls,
  GetBucketOwnershipControls: getBucketOwnershipControls,
  DeleteBucketOwnershipControls: deleteBucketOwnershipControls,
  PutBucketAcl: putBucketAcl,
  GetBucketAcl: getBucketAcl,
  PutBucketLifecycleConfiguration: putBucketLifecycle,
  GetBucketLifecycleConfiguration: getBucketLifecycle,
  DeleteBucketLifecycle: deleteBucketLifecycle,
  PutBucketEncryption: putBucketEncryption,
  GetBucketEncryption: getBucketEncryption,
  DeleteBucketEncryption: deleteBucketEncryption,
  PutBucketWebsite: putBucketWebsite,
  GetBucketWebsite: getBucketWebsite,
  DeleteBucketWebsite: deleteBucketWebsite,
  PutBucketLogging: putBucketLogging,
  GetBucketLogging: getBucketLogging,
  PutBucketRequestPayment: putBucketRequestPayment,
  GetBucketRequestPayment: getBucketRequestPayment,
  PutBucketAccelerateConfiguration: putBucketAccelerate,
  GetBucketAccelerateConfiguration: getBucketAccelerate,
  GetBucketReplication: getBucketReplication,
  DeleteBucketReplication: deleteBucketReplication,
  GetObjectLockConfiguration: getObjectLockConfiguration,
  PutObjectLockConfiguration: putObjectLockConfiguration,
};

/** Root elements of their response documents, which botocore's model leaves out. */
export const BUCKET_CONFIG_ROOTS: Readonly<Record<string, string>> = {
  GetBucketTagging: 'Tagging',
  GetBucketCors: 'CORSConfiguration',
  GetBucketAcl: 'AccessControlPolicy',
  GetBucketLifecycleConfiguration: 'LifecycleConfiguration',
  GetBucketWebsite: 'WebsiteConfiguration',
  GetBucketLogging: 'BucketLoggingStatus',
  GetBucketRequestPayment: 'RequestPaymentConfiguration',
  GetBucketAccelerateConfiguration: 'AccelerateConfiguration',
};
