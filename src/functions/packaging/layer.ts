import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
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

/**
 * The Node.js packages a layer folder provides (nodejs/node_modules and nodejs/node<major>/node_modules), which a
 * bundled function that uses the layer must leave for the runtime to find, as on Lambda. A .zip layer names none.
 */
export async function layerNodePackages(path: string): Promise<string[]> {
  const nodejs = join(path, 'nodejs');
  const folders = [join(nodejs, 'node_modules')];
  for (const entry of await readdir(nodejs, { withFileTypes: true }).catch(() => [])) {
    if (entry.isDirectory() && /^node\d+$/.test(entry.name)) folders.push(join(nodejs, entry.name, 'node_modules'));
  }
  const names: string[] = [];
  for (const folder of folders) {
    for (const entry of await readdir(folder, { withFileTypes: true }).catch(() => [])) {
      if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
      if (!entry.name.startsWith('@')) names.push(entry.name);
      else for (const scoped of await readdir(join(folder, entry.name)).catch(() => [])) names.push(`${entry.name}/${scoped}`);
    }
  }
  return [...new Set(names)];
}
