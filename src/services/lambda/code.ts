import { invalidValue, notSupported, requestTooLarge, validationFailed } from './errors.js';
import type { CodeSource } from './schemas.js';

/** Lambda's limit on a zip uploaded directly (Code.ZipFile), after base64 decoding. */
export const MAX_ZIPPED_BYTES = 52_428_800;

const ARCHITECTURES = ['x86_64', 'arm64'];

/** The zip a CreateFunction or UpdateFunctionCode request carries inline; other code sources are refused. */
export function inlineZip(code: CodeSource): Buffer {
  if (code.ImageUri !== undefined) throw notSupported('Container image code (ImageUri)');
  if (code.S3Bucket !== undefined || code.S3Key !== undefined) {
    throw notSupported('Code from S3 (S3Bucket, S3Key)', 'upload the zip inline as ZipFile instead');
  }
  if (code.ZipFile === undefined) throw invalidValue('Please provide the function code as a base64-encoded ZipFile.');
  const zip = Buffer.from(code.ZipFile, 'base64');
  if (zip.length > MAX_ZIPPED_BYTES) throw requestTooLarge(`Zipped size must be smaller than ${MAX_ZIPPED_BYTES} bytes`, { size: zip.length });
  return zip;
}

/** Lambda accepts exactly one of x86_64 and arm64; Flint runs code on the host's CPU either way. */
export function checkArchitectures(architectures: string[] | undefined): void {
  if (architectures === undefined) return;
  const shown = `[${architectures.join(', ')}]`;
  if (architectures.length > 1) {
    throw validationFailed([`Value '${shown}' at 'architectures' failed to satisfy constraint: Member must have length less than or equal to 1`]);
  }
  if (architectures.length === 0 || !ARCHITECTURES.includes(architectures[0]!)) {
    throw validationFailed([
      `Value '${shown}' at 'architectures' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [${ARCHITECTURES.join(', ')}], Member must not be null]`,
    ]);
  }
}

export function checkLayers(layers: string[] | undefined): void {
  if (layers !== undefined && layers.length > 0) throw notSupported('Layers', 'put the layer files into the function zip instead');
}

export function checkPackageType(packageType: string | undefined): void {
  if (packageType === undefined || packageType === 'Zip') return;
  if (packageType === 'Image') throw notSupported('PackageType Image');
  throw validationFailed([`Value '${packageType}' at 'packageType' failed to satisfy constraint: Member must satisfy enum value set: [Zip, Image]`]);
}
