import { readFile, stat } from 'node:fs/promises';
import { FlintError } from '../../core/index.js';
import type { LayerSpec } from '../../manifest/index.js';
import { validateUploadedZip } from '../zip/validate.js';
import { createZip } from '../zip/write.js';
import { collectFolder } from './files.js';

/**
 * A layer of the app as the zip PublishLayerVersion takes: its folder zipped as it is (deterministically, so the
 * same folder gives the same digest and deploy publishes a new version only when the content changes), or a
 * ready .zip byte for byte.
 */
export async function packageLayer(spec: Pick<LayerSpec, 'name' | 'path'>): Promise<{ zip: Uint8Array; warnings: string[] }> {
  const info = await stat(spec.path).catch(() => undefined);
  if (info?.isFile() && spec.path.endsWith('.zip')) {
    const zip = new Uint8Array(await readFile(spec.path));
    validateUploadedZip(zip);
    return { zip, warnings: [] };
  }
  if (!info?.isDirectory()) throw new FlintError('CODE_INVALID', `The path of layer ${spec.name} is neither a folder nor a .zip file: ${spec.path}`, { path: spec.path });
  const collected = await collectFolder(spec.path);
  if (collected.files.length === 0) throw new FlintError('CODE_INVALID', `The folder of layer ${spec.name} is empty: ${spec.path}`, { path: spec.path });
  return { zip: createZip(collected.files), warnings: collected.warnings };
}
