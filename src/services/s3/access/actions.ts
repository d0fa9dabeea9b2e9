/**
 * The IAM action each S3 operation is authorized as
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-with-s3-policy-actions.html), and the ACL permission
 * that grants it (https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html#permissions), per bucket
 * and per object.
 */

/** Operations whose action is not s3:<operation name>. */
const RENAMED: Readonly<Record<string, string>> = {
  ListObjects: 'ListBucket',
  ListObjectsV2: 'ListBucket',
  HeadBucket: 'ListBucket',
  ListObjectVersions: 'ListBucketVersions',
  ListMultipartUploads: 'ListBucketMultipartUploads',
  ListParts: 'ListMultipartUploadParts',
  HeadObject: 'GetObject',
  CopyObject: 'PutObject',
  UploadPart: 'PutObject',
  UploadPartCopy: 'PutObject',
  CreateMultipartUpload: 'PutObject',
  CompleteMultipartUpload: 'PutObject',
  DeleteObjects: 'DeleteObject',
  DeleteBucketTagging: 'PutBucketTagging',
  GetBucketCors: 'GetBucketCORS',
  PutBucketCors: 'PutBucketCORS',
  DeleteBucketCors: 'PutBucketCORS',
  GetPublicAccessBlock: 'GetBucketPublicAccessBlock',
  PutPublicAccessBlock: 'PutBucketPublicAccessBlock',
  DeletePublicAccessBlock: 'PutBucketPublicAccessBlock',
  DeleteBucketOwnershipControls: 'PutBucketOwnershipControls',
  GetBucketLifecycleConfiguration: 'GetLifecycleConfiguration',
  PutBucketLifecycleConfiguration: 'PutLifecycleConfiguration',
  DeleteBucketLifecycle: 'PutLifecycleConfiguration',
  GetBucketEncryption: 'GetEncryptionConfiguration',
  PutBucketEncryption: 'PutEncryptionConfiguration',
  DeleteBucketEncryption: 'PutEncryptionConfiguration',
  GetBucketAccelerateConfiguration: 'GetAccelerateConfiguration',
  PutBucketAccelerateConfiguration: 'PutAccelerateConfiguration',
  GetBucketNotificationConfiguration: 'GetBucketNotification',
  PutBucketNotificationConfiguration: 'PutBucketNotification',
  GetBucketReplication: 'GetReplicationConfiguration',
  DeleteBucketReplication: 'PutReplicationConfiguration',
  GetObjectLockConfiguration: 'GetBucketObjectLockConfiguration',
};

/** Object actions that become their Version form when the request names a version. */
const VERSIONED: Readonly<Record<string, string>> = {
  GetObject: 'GetObjectVersion',
  GetObjectAcl: 'GetObjectVersionAcl',
  PutObjectAcl: 'PutObjectVersionAcl',
  GetObjectTagging: 'GetObjectVersionTagging',
  PutObjectTagging: 'PutObjectVersionTagging',
  DeleteObjectTagging: 'DeleteObjectVersionTagging',
  DeleteObject: 'DeleteObjectVersion',
  GetObjectAttributes: 'GetObjectVersionAttributes',
};

/** The action of an operation ("s3:GetObject"), in its Version form when a version is named. */
export function actionOf(operation: string, versioned: boolean): string {
  const base = RENAMED[operation] ?? operation;
  return `s3:${versioned ? (VERSIONED[base] ?? base) : base}`;
}

/** What the bucket's ACL grants, by permission (FULL_CONTROL grants them all). */
const BUCKET_ACL: Readonly<Record<string, readonly string[]>> = {
  READ: ['s3:ListBucket', 's3:ListBucketVersions', 's3:ListBucketMultipartUploads'],
  WRITE: ['s3:PutObject', 's3:DeleteObject', 's3:DeleteObjectVersion', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
  READ_ACP: ['s3:GetBucketAcl'],
  WRITE_ACP: ['s3:PutBucketAcl'],
};

/** What an object's ACL grants. */
const OBJECT_ACL: Readonly<Record<string, readonly string[]>> = {
  READ: ['s3:GetObject', 's3:GetObjectVersion', 's3:GetObjectAttributes', 's3:GetObjectVersionAttributes'],
  READ_ACP: ['s3:GetObjectAcl', 's3:GetObjectVersionAcl'],
  WRITE_ACP: ['s3:PutObjectAcl', 's3:PutObjectVersionAcl'],
};

/** The permissions of a bucket ACL that grant the action, or undefined when the bucket's ACL cannot grant it. */
export function bucketAclPermissions(action: string): string[] | undefined {
  return permissionsFor(BUCKET_ACL, action);
}

/** The permissions of an object ACL that grant the action, or undefined when an object's ACL cannot grant it. */
export function objectAclPermissions(action: string): string[] | undefined {
  return permissionsFor(OBJECT_ACL, action);
}

function permissionsFor(table: Readonly<Record<string, readonly string[]>>, action: string): string[] | undefined {
  const granting = Object.keys(table).filter((permission) => table[permission]!.includes(action));
  return granting.length === 0 ? undefined : [...granting, 'FULL_CONTROL'];
}
