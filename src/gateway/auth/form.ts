import { AwsError } from '../../protocol/index.js';
import { signatureMismatch } from './errors.js';
import { sameSignature } from './signing.js';
import { sigV2Signature } from './sigv2.js';
import type { RequestVerifier } from './verify.js';

/**
 * The signature of an S3 POST upload's policy: SigV4 signs the base64 policy itself with the signing key of the
 * form's X-Amz-Credential (https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-authentication-HTTPPOST.html);
 * SigV2 forms sign it with HMAC-SHA1 (Signature, AWSAccessKeyId). The policy's expiration and conditions are
 * S3's to check (services/s3/post-object/policy.ts). Throws S3's error; a form without a signature is anonymous.
 */
export async function verifyPostPolicy(verifier: RequestVerifier, fields: ReadonlyMap<string, string>): Promise<void> {
  const policy = fields.get('policy');
  if (policy === undefined) return;
  const token = fields.get('x-amz-security-token');
  if (fields.has('x-amz-signature')) {
    const [accessKeyId = '', date = '', region = '', service = ''] = (fields.get('x-amz-credential') ?? '').split('/');
    const secret = await verifier.secretOf(accessKeyId, token, 's3');
    if (secret instanceof AwsError) throw secret;
    const expected = verifier.sign(secret.secretAccessKey, { date, region, service }, policy);
    check(expected, fields.get('x-amz-signature') ?? '', accessKeyId, policy);
    return;
  }
  if (fields.has('signature')) {
    const accessKeyId = fields.get('awsaccesskeyid') ?? '';
    const secret = await verifier.secretOf(accessKeyId, token, 's3');
    if (secret instanceof AwsError) throw secret;
    check(sigV2Signature(secret.secretAccessKey, policy), fields.get('signature') ?? '', accessKeyId, policy);
  }
}

function check(expected: string, provided: string, accessKeyId: string, policy: string): void {
  // The recording of a refused policy shows what was signed: the policy (test_post_request_malformed_policy[s3v4]).
  if (!sameSignature(expected, provided)) throw signatureMismatch('s3', { accessKeyId, provided, stringToSign: policy });
}
