import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadModel } from '../../../src/protocol/index.js';
import { BUCKET_CONFIG_ERROR_TYPES } from '../../../src/services/s3/bucket-config/index.js';
import { POST_OBJECT_ERROR_TYPES } from '../../../src/services/s3/post-object/index.js';
import { expectErrorsInModel } from '../../protocol/error-contract.js';

const ERROR_LIST = "documented in the S3 API reference's error code list";

/** The bucket subresources' codes that botocore's model does not list, with where S3 documents or records them. */
const OUTSIDE_THE_MODEL: Record<string, string> = {
  AccessControlListNotSupported: `${ERROR_LIST}; ACLs on a bucket whose ObjectOwnership is BucketOwnerEnforced`,
  AccessForbidden: 'a refused CORS preflight (LocalStack test_s3_cors.snapshot.json, recorded against AWS)',
  BadRequest: 'a preflight without Origin (LocalStack test_s3_cors.snapshot.json, recorded against AWS)',
  CrossLocationLoggingProhibitted: ERROR_LIST,
  IllegalLocationConstraintException: ERROR_LIST,
  InvalidBucketAclWithObjectOwnership: ERROR_LIST,
  InvalidPolicyDocument: `${ERROR_LIST}; a POST Object policy that does not parse (test_post_object_policy_conditions_validation_eq)`,
  InvalidTag: ERROR_LIST,
  InvalidTargetBucketForLogging: ERROR_LIST,
  MalformedACLError: ERROR_LIST,
  MalformedPolicy: ERROR_LIST,
  MissingSecurityHeader: ERROR_LIST,
  NoSuchBucketPolicy: ERROR_LIST,
  NoSuchCORSConfiguration: ERROR_LIST,
  NoSuchLifecycleConfiguration: ERROR_LIST,
  NoSuchPublicAccessBlockConfiguration: 'GetPublicAccessBlock API reference',
  NoSuchTagSet: ERROR_LIST,
  NoSuchWebsiteConfiguration: ERROR_LIST,
  ObjectLockConfigurationNotFoundError: 'GetObjectLockConfiguration (LocalStack test_s3_api.snapshot.json, recorded against AWS)',
  OwnershipControlsNotFoundError: 'GetBucketOwnershipControls (LocalStack test_s3_api.snapshot.json, recorded against AWS)',
  ReplicationConfigurationNotFoundError: ERROR_LIST,
  UnexpectedContent: ERROR_LIST,
};

describe('S3 bucket configuration and POST Object error contract', () => {
  it('sends only error shapes of the s3 model or codes S3 documents outside it, each with a reason', () => {
    expectErrorsInModel(loadModel('s3'), [...BUCKET_CONFIG_ERROR_TYPES, ...POST_OBJECT_ERROR_TYPES], OUTSIDE_THE_MODEL);
  });

  it('lists every code bucket-config/errors.ts can raise', () => {
    const source = readFileSync(new URL('../../../src/services/s3/bucket-config/errors.ts', import.meta.url), 'utf8');
    const raised = [...source.matchAll(/(?:s3Error\(\s*'[A-Z_]+',\s*\d+,\s*|missing\()'([A-Za-z]+)'/g)].map((match) => match[1]!);
    expect(raised.length).toBeGreaterThan(15);
    expect([...new Set(raised)].filter((code) => !BUCKET_CONFIG_ERROR_TYPES.includes(code))).toEqual([]);
  });
});
