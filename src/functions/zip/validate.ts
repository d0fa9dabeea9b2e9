import { FlintError } from '../../core/index.js';
import { checkedLinkTarget, safeRelativePath } from './extract.js';
import { INVALID_ZIP_MESSAGE, readZip } from './read.js';

/** Lambda's limit on a function's unzipped deployment package. */
export const MAX_UNZIPPED_BYTES = 262_144_000;

/**
 * Checks an uploaded zip the way Lambda does before accepting it: readable, not empty, within the unzipped size
 * limit, every entry intact (CRC) and inside the package folder, symlinks pointing inside it too (refused here, at
 * upload, rather than at the first invocation's extraction). The bytes are stored as they came.
 */
export function validateUploadedZip(zip: Uint8Array): void {
  const entries = readZip(zip);
  if (entries.length === 0) throw new FlintError('CODE_INVALID', 'Uploaded file must be a non-empty zip', { reason: 'empty' });
  const total = entries.reduce((sum, e) => sum + e.size, 0);
  if (total > MAX_UNZIPPED_BYTES) {
    throw new FlintError('INVALID_PARAMETER', `Unzipped size must be smaller than ${MAX_UNZIPPED_BYTES} bytes`, {
      kind: 'value',
      size: total,
    });
  }
  for (const entry of entries) {
    const path = safeRelativePath(entry.name);
    const data = entry.read();
    if (entry.kind === 'symlink') checkedLinkTarget(path, Buffer.from(data).toString('utf8'));
  }
}

export { INVALID_ZIP_MESSAGE };
