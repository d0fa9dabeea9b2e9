import type { Handlers } from '../../protocol/index.js';
import type { Operations } from './api.js';
import type { S3Context } from './context.js';
import { getObjectAcl, putObjectAcl } from './object-acl.js';
import { getObjectAttributes } from './object-attributes.js';
import { deleteObjectTagging, getObjectTagging, putObjectTagging } from './object-tagging.js';
import { getObjectLegalHold, getObjectRetention, putObjectLegalHold, putObjectRetention, withVersioningLock } from './object-lock/index.js';
import { listObjectVersions } from './object-versions-list.js';
import { getBucketVersioning, putBucketVersioning } from './versioning.js';

/** What S3 keeps per object version (versioning, object tags, object ACLs, attributes, retention and legal hold): the service's handlers for them. */
export const VERSION_HANDLERS: Handlers<Operations, S3Context> = {
  GetBucketVersioning: getBucketVersioning,
  PutBucketVersioning: withVersioningLock(putBucketVersioning),
  ListObjectVersions: listObjectVersions,
  GetObjectTagging: getObjectTagging,
  PutObjectTagging: putObjectTagging,
  DeleteObjectTagging: deleteObjectTagging,
  GetObjectAcl: getObjectAcl,
  PutObjectAcl: putObjectAcl,
  GetObjectAttributes: getObjectAttributes,
  PutObjectRetention: putObjectRetention,
  GetObjectRetention: getObjectRetention,
  PutObjectLegalHold: putObjectLegalHold,
  GetObjectLegalHold: getObjectLegalHold,
};

/** Their response documents' root elements, which botocore's model leaves out. */
export const VERSION_ROOTS: Readonly<Record<string, string>> = {
  GetBucketVersioning: 'VersioningConfiguration',
  ListObjectVersions: 'ListVersionsResult',
  GetObjectTagging: 'Tagging',
  GetObjectAcl: 'AccessControlPolicy',
  GetObjectAttributes: 'GetObjectAttributesResponse',
};
