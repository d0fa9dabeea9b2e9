import { loadModel } from '../../protocol/index.js';
import type { ObjectAttributes, ObjectInfo } from '../../storage/index.js';
import { s3Error } from './errors.js';

export const STANDARD = 'STANDARD';

/**
 * Classes a general purpose bucket takes: the model's StorageClass enum without OUTPOSTS (S3 on Outposts only;
 * test_s3.py test_put_object_storage_class_outposts records InvalidStorageClass for it on PutObject and
 * CreateMultipartUpload) and EXPRESS_ONEZONE (directory buckets only, which Flint does not have).
 */
const CLASSES: ReadonlySet<string> = new Set((loadModel('s3').shape('StorageClass').enum ?? []).filter((name) => name !== 'OUTPOSTS' && name !== 'EXPRESS_ONEZONE'));

/** Archive classes whose objects must be restored before a GET (test_s3.py test_put_object_storage_class). */
const ARCHIVED: ReadonlySet<string> = new Set(['GLACIER', 'DEEP_ARCHIVE']);

/** test_s3.snapshot.json test_put_object_storage_class_outposts: 400 with StorageClassRequested. */
export const invalidStorageClass = (requested: string) =>
  s3Error('INVALID_PARAMETER', 400, 'InvalidStorageClass', 'The storage class you specified is not valid', { StorageClassRequested: requested });

/** test_s3.snapshot.json test_put_object_storage_class[GLACIER]: 403, the class as an element and a header. */
export const invalidObjectState = (storageClass: string) =>
  s3Error('INVALID_REQUEST', 403, 'InvalidObjectState', "The operation is not valid for the object's storage class", { StorageClass: storageClass }, {
    'x-amz-storage-class': storageClass,
  });

/** The class a write asks for (x-amz-storage-class), checked; undefined for STANDARD, which is kept as no class. */
export function requestedStorageClass(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!CLASSES.has(value)) throw invalidStorageClass(value);
  return value === STANDARD ? undefined : value;
}

/** Sets (or clears, for STANDARD) the class of attributes a write will store. */
export function withStorageClass(attributes: ObjectAttributes, storageClass: string | undefined): ObjectAttributes {
  if (storageClass) attributes.storageClass = storageClass;
  else delete attributes.storageClass;
  return attributes;
}

/** The class as listings and GetObjectAttributes name it. */
export function storageClassOf(summary: { storageClass?: string } | ObjectAttributes): string {
  return summary.storageClass ?? STANDARD;
}

/** GetObject of an archived object is refused until it is restored, which Flint cannot do (no RestoreObject). */
export function checkReadable(object: ObjectInfo): void {
  const storageClass = object.attributes.storageClass;
  if (storageClass && ARCHIVED.has(storageClass)) throw invalidObjectState(storageClass);
}

/** The codes this file sends beside errors.ts's S3_ERROR_TYPES (test/services/s3/storage-class.test.ts checks them). */
export const STORAGE_CLASS_ERROR_TYPES: readonly string[] = ['InvalidStorageClass', 'InvalidObjectState'];
