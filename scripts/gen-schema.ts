/** Writes schema/flint.schema.json, the JSON Schema editors use for flint.yaml. Run: npx tsx scripts/gen-schema.ts */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { manifestJsonSchema } from '../src/manifest/index.js';

const target = fileURLToPath(new URL('../schema/flint.schema.json', import.meta.url));
mkdirSync(dirname(target), { recursive: true });
writeFileSync(target, `${JSON.stringify(manifestJsonSchema(), null, 2)}\n`);
console.log(`gen-schema: wrote ${relative(process.cwd(), target)}`);
