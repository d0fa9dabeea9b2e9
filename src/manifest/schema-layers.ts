/**
 * Lambda layers in flint.yaml: the app's own layers at the top level (`layers: { <name>: { path, runtimes?,
 * description? } }`), published as layer versions at deploy, and a function's `layers: [<name> | <layer version
 * ARN>]`, mounted at /opt in the order listed.
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { LAMBDA_RUNTIME_IDS } from '../core/index.js';
import { isRecord, namePattern, strictObject } from './fields.js';

/** Lambda's layer names: letters, digits, hyphens and underscores, at most 140 (its LayerName without the ARN). */
export const LAYER_NAME = /^[A-Za-z0-9_-]{1,140}$/;
/** A layer version ARN, as Lambda's Layers take it. */
const LAYER_VERSION_ARN = /^arn:aws[a-zA-Z-]*:lambda:[a-z0-9-]+:\d{12}:layer:[A-Za-z0-9_-]+:\d+$/;
/** Lambda's limit on the layers of one function. */
const MAX_FUNCTION_LAYERS = 5;

function layerPath(baseDir: string | undefined) {
  return z.string({ error: 'expected a folder path or a .zip file' }).superRefine((path, ctx) => {
    if (baseDir === undefined) return;
    const full = resolve(baseDir, path);
    let problem: string | undefined;
    try {
      const stat = statSync(full);
      if (!stat.isDirectory() && !(stat.isFile() && full.endsWith('.zip'))) problem = `is neither a folder nor a .zip file (${full})`;
    } catch {
      problem = `does not exist (${full})`;
    }
    if (problem !== undefined) ctx.addIssue({ code: 'custom', message: `path ${JSON.stringify(path)} ${problem}` });
  });
}

export function layersSchema(baseDir: string | undefined) {
  const layer = strictObject({
    path: layerPath(baseDir).meta({
      description: "Folder (or .zip) whose contents appear at /opt: nodejs/node_modules/, python/, bin/, lib/ or a bootstrap, as on Lambda.",
    }),
    runtimes: z.array(z.enum(LAMBDA_RUNTIME_IDS, { error: `expected a runtime, one of ${LAMBDA_RUNTIME_IDS.join(', ')}` }), { error: 'expected a list of runtimes' })
      .max(15, { error: 'expected at most 15 runtimes' }).optional()
      .meta({ description: 'CompatibleRuntimes of the published layer version.' }),
    description: z.string({ error: 'expected a string' }).max(256, { error: 'expected at most 256 characters' }).optional(),
  }, { expected: 'expected a map with a path' });
  return z.record(namePattern(LAYER_NAME, 'a layer name'), layer, { error: 'expected a map of layer names to layers' })
    .meta({ description: 'Layers of this app, published as Lambda layer versions at deploy (a new version only when the content changes).' });
}

/** A function's layers: names of the app's layers or layer version ARNs, in the order they are extracted to /opt. */
export const functionLayers = z
  .array(z.string({ error: 'expected a layer name or a layer version ARN' }).min(1), { error: 'expected a list of layers' })
  .max(MAX_FUNCTION_LAYERS, { error: `expected at most ${MAX_FUNCTION_LAYERS} layers (Lambda's limit)` })
  .meta({ description: 'Layers of this function: names under the top-level layers, or layer version ARNs; later ones override earlier files in /opt.' });

/** Names must be the app's layers and ARNs layer version ARNs; checked on the raw manifest beside other problems. */
export function checkLayerReferences(manifest: Record<string, unknown>, ctx: z.RefinementCtx): void {
  if (!isRecord(manifest.functions)) return;
  const declared = isRecord(manifest.layers) ? Object.keys(manifest.layers) : [];
  for (const [functionName, fn] of Object.entries(manifest.functions)) {
    if (!isRecord(fn) || !Array.isArray(fn.layers)) continue;
    for (const [index, entry] of fn.layers.entries()) {
      if (typeof entry !== 'string') continue;
      const path = ['functions', functionName, 'layers', index];
      if (entry.startsWith('arn:')) {
        if (!LAYER_VERSION_ARN.test(entry)) ctx.addIssue({ code: 'custom', path, message: `expected a layer version ARN such as arn:aws:lambda:us-east-1:123456789012:layer:name:1, got ${JSON.stringify(entry)}` });
      } else if (!declared.includes(entry)) {
        const known = declared.length > 0 ? ` (declared: ${declared.join(', ')})` : '';
        ctx.addIssue({ code: 'custom', path, message: `no layer '${entry}' under layers${known}` });
      }
    }
  }
}
