import { lowerCamel } from '../../protocol/index.js';
import type { LambdaErrors } from './errors.js';

/** Lambda's limit on a zip uploaded directly (Code.ZipFile), after base64 decoding. */
export const MAX_ZIPPED_BYTES = 52_428_800;

/** Where a function's code comes from: CreateFunction's Code, or UpdateFunctionCode's own members. */
export interface CodeSource {
  ZipFile?: Uint8Array;
  S3Bucket?: string;
  S3Key?: string;
  ImageUri?: string;
}

/** The zip a CreateFunction or UpdateFunctionCode request carries inline; other code sources are refused. */
export function inlineZip(code: CodeSource, errors: LambdaErrors): Buffer {
  if (code.ImageUri !== undefined) throw errors.notSupported('Container image code (ImageUri)');
  if (code.S3Bucket !== undefined || code.S3Key !== undefined) {
    throw errors.notSupported('Code from S3 (S3Bucket, S3Key)', 'upload the zip inline as ZipFile instead');
  }
  if (code.ZipFile === undefined) throw errors.invalidValue('Please provide the function code as a base64-encoded ZipFile.');
  const zip = Buffer.from(code.ZipFile.buffer, code.ZipFile.byteOffset, code.ZipFile.byteLength);
  if (zip.length > MAX_ZIPPED_BYTES) throw errors.tooLarge(`Zipped size must be smaller than ${MAX_ZIPPED_BYTES} bytes`);
  return zip;
}

/**
 * CreateFunction's Code as sent (the service reads it itself, see the fidelity note): an object whose ZipFile is
 * base64 and whose other members are strings.
 */
export function readFunctionCode(code: unknown, errors: LambdaErrors): CodeSource {
  if (code === null || typeof code !== 'object' || Array.isArray(code)) throw errors.wrongType('code', code, 'object');
  const given = code as Record<string, unknown>;
  const out: CodeSource = {};
  for (const member of ['S3Bucket', 'S3Key', 'ImageUri'] as const) {
    const value = given[member];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string') throw errors.wrongType(`code.${lowerCamel(member)}`, value, 'string');
    out[member] = value;
  }
  const zip = given.ZipFile;
  if (zip !== undefined && zip !== null) {
    if (typeof zip !== 'string') throw errors.wrongType('code.zipFile', zip, 'string');
    out.ZipFile = Buffer.from(zip, 'base64');
  }
  return out;
}

/** The model allows Zip and Image; Flint runs zips. */
export function checkPackageType(packageType: string | undefined, errors: LambdaErrors): void {
  if (packageType === 'Image') throw errors.notSupported('PackageType Image');
}
