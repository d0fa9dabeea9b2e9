import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultWording, loadModel, QueryValueError } from '../../../src/protocol/index.js';
import { S3_ERROR_TYPES } from '../../../src/services/s3/errors.js';
import { expectErrorsInModel } from '../../protocol/error-contract.js';

const ERROR_LIST = "documented in the S3 API reference's error code list";

/**
 * S3's codes that botocore's model does not list: its model declares only the errors some operations name
 * (NoSuchKey, NoSuchBucket, NoSuchUpload, BucketAlreadyOwnedByYou, AccessDenied, InvalidRequest...); S3's API
 * reference lists the rest, with their statuses, in "Error responses" (List of error codes).
 */
const OUTSIDE_THE_MODEL: Record<string, string> = {
  AuthorizationQueryParametersError: `${ERROR_LIST}; presigned URL parameters, checked before any operation`,
  BadDigest: ERROR_LIST,
  BucketNotEmpty: ERROR_LIST,
  EntityTooLarge: ERROR_LIST,
  EntityTooSmall: ERROR_LIST,
  IncompleteBody: ERROR_LIST,
  InternalError: `${ERROR_LIST}; the kit's wording for an unexpected failure`,
  InvalidArgument: ERROR_LIST,
  InvalidBucketName: ERROR_LIST,
  InvalidDigest: ERROR_LIST,
  InvalidLocationConstraint: ERROR_LIST,
  InvalidPart: ERROR_LIST,
  InvalidPartNumber: `${ERROR_LIST} (416 for GetObject/HeadObject ?partNumber beyond the object's parts)`,
  InvalidPartOrder: ERROR_LIST,
  InvalidRange: ERROR_LIST,
  InvalidURI: `${ERROR_LIST}; the address, read before any operation`,
  KeyTooLongError: ERROR_LIST,
  MalformedXML: `${ERROR_LIST}; the kit's wording for a request document that does not parse`,
  MaxMessageLengthExceeded: ERROR_LIST,
  MetadataTooLarge: ERROR_LIST,
  MethodNotAllowed: `${ERROR_LIST}; a method no route of the resource takes`,
  MissingContentLength: ERROR_LIST,
  NotImplemented: `${ERROR_LIST}; subresources Flint does not implement (versioning, tagging, acl, cors, policy...)`,
  OperationAborted: ERROR_LIST,
  PreconditionFailed: ERROR_LIST,
  ServiceUnavailable: ERROR_LIST,
  BadRequest: `${ERROR_LIST}; more than 10 tags on an object`,
  IllegalVersioningConfigurationException: `${ERROR_LIST}; a versioning configuration without a Status`,
  InvalidTag: ERROR_LIST,
  MalformedACLError: ERROR_LIST,
  MissingSecurityHeader: `${ERROR_LIST}; PutObjectAcl with neither an x-amz-acl header, grants nor a document`,
  NoSuchVersion: ERROR_LIST,
  UnexpectedContent: `${ERROR_LIST}; PutObjectAcl with both headers and a document`,
};

describe('S3 error contract', () => {
  const model = loadModel('s3');

  it('sends only error shapes of the s3 model or codes S3 documents outside it, each with a reason', () => {
    expectErrorsInModel(model, S3_ERROR_TYPES, OUTSIDE_THE_MODEL);
  });

  it('lists every code errors.ts can raise', () => {
    const source = readFileSync(new URL('../../../src/services/s3/errors.ts', import.meta.url), 'utf8');
    const raised = [...source.matchAll(/s3Error\(\s*'[A-Z_]+',\s*\d+,\s*'([A-Za-z]+)'/g)].map((match) => match[1]!);
    expect(raised.length).toBeGreaterThan(20);
    expect([...new Set(raised)].filter((code) => !S3_ERROR_TYPES.includes(code))).toEqual([]);
  });

  it('lists the codes the kit words for S3 before an operation runs', () => {
    const wording = defaultWording('rest-xml', 'com.amazonaws.s3');
    const request = { requestId: 'r' } as Parameters<typeof wording.unknownOperation>[1];
    const types = [
      wording.unknownOperation(undefined, request),
      wording.notImplemented('PutBucketTagging'),
      wording.malformedBody(undefined, 'bad'),
      wording.badValue(new QueryValueError('x-amz-bucket-object-lock-enabled', 'boolean', 'maybe')),
      wording.tooLarge(undefined, 1, request),
      wording.internal(new Error('boom')),
    ].map((error) => error.type);
    expect(types.filter((type) => !S3_ERROR_TYPES.includes(type))).toEqual([]);
  });
});
