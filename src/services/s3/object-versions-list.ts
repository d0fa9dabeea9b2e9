import { isFlintError } from '../../core/index.js';
import type { VersionPage, VersionSummary } from '../../storage/index.js';
import type { DeleteMarkerEntry, ListObjectVersionsOutput, ListObjectVersionsRequest, ObjectVersion } from './api.js';
import { requireBucket } from './buckets.js';
import type { S3Context } from './context.js';
import { invalidArgument } from './errors.js';
import { storageClassOf } from './storage-class.js';
import { quoted, seconds } from './format.js';
import { common, listRequest, prefixes, type ListRequest } from './listing.js';
import { checkVersionId } from './versioning.js';

/**
 * ListObjectVersions (GET /bucket?versions): every version and delete marker, key by key and newest first, paged by
 * key and version-id markers. An unversioned bucket lists each object as its "null" version
 * (test_s3_api.py test_list_object_versions_order_unversioned); markers echo as "" when absent, as S3 sends them.
 */
export async function listObjectVersions(input: ListObjectVersionsRequest, { deps }: S3Context): Promise<ListObjectVersionsOutput> {
  const request = listRequest(input);
  const bucket = await requireBucket(deps, input.Bucket);
  const keyMarker = input.KeyMarker || undefined;
  const versionIdMarker = input.VersionIdMarker || undefined;
  if (versionIdMarker !== undefined && keyMarker === undefined) {
    throw invalidArgument('A version-id marker cannot be specified without a key marker.', 'version-id-marker', versionIdMarker);
  }
  if (versionIdMarker !== undefined) checkVersionId(bucket, versionIdMarker, 'version-id-marker');
  const page = await listPage(deps, request, keyMarker, versionIdMarker);
  const versions = page.versions.filter((version) => !version.deleteMarker);
  const markers = page.versions.filter((version) => version.deleteMarker);
  const output: ListObjectVersionsOutput = {
    ...common(request),
    KeyMarker: request.encode(keyMarker ?? ''),
    VersionIdMarker: versionIdMarker ?? '',
    IsTruncated: page.truncated,
    Versions: versions.length > 0 ? versions.map((version) => toVersion(version, request, deps.ownerId)) : undefined,
    DeleteMarkers: markers.length > 0 ? markers.map((marker) => toMarker(marker, request, deps.ownerId)) : undefined,
    CommonPrefixes: page.commonPrefixes.length > 0 ? prefixes(page, request) : undefined,
  };
  if (page.truncated) Object.assign(output, nextMarkers(page, request));
  return output;
}

async function listPage(deps: S3Context['deps'], request: ListRequest, keyMarker: string | undefined, versionIdMarker: string | undefined): Promise<VersionPage> {
  try {
    return await deps.objects.listVersions(request.bucket, { prefix: request.prefix, delimiter: request.delimiter, keyMarker, versionIdMarker, limit: request.maxKeys });
  } catch (error) {
    // A well-formed version-id marker that names no version of the key marker.
    if (versionIdMarker !== undefined && isFlintError(error) && error.code === 'NOT_FOUND') {
      throw invalidArgument('Invalid version id specified', 'version-id-marker', versionIdMarker);
    }
    throw error;
  }
}

function toVersion(version: VersionSummary, request: ListRequest, ownerId: string): ObjectVersion {
  return {
    ETag: quoted(version.etag),
    ChecksumAlgorithm: version.checksumAlgorithm === undefined ? undefined : [version.checksumAlgorithm],
    ChecksumType: version.checksumType,
    Size: version.size,
    StorageClass: storageClassOf(version),
    Key: request.encode(version.key),
    VersionId: version.versionId ?? 'null',
    IsLatest: version.isLatest,
    LastModified: seconds(version.lastModified),
    Owner: { ID: ownerId },
  };
}

function toMarker(marker: VersionSummary, request: ListRequest, ownerId: string): DeleteMarkerEntry {
  return { Owner: { ID: ownerId }, Key: request.encode(marker.key), VersionId: marker.versionId ?? 'null', IsLatest: marker.isLatest, LastModified: seconds(marker.lastModified) };
}

/** Where the next page starts: the last version listed, or the last common prefix when that comes after it. */
function nextMarkers(page: VersionPage, request: ListRequest): Pick<ListObjectVersionsOutput, 'NextKeyMarker' | 'NextVersionIdMarker'> {
  const last = page.versions.at(-1);
  const prefix = page.commonPrefixes.at(-1);
  if (prefix !== undefined && (last === undefined || Buffer.compare(Buffer.from(prefix), Buffer.from(last.key)) > 0)) return { NextKeyMarker: request.encode(prefix) };
  if (last === undefined) return {};
  return { NextKeyMarker: request.encode(last.key), NextVersionIdMarker: last.versionId ?? 'null' };
}
