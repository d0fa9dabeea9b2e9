import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serverlessToSam, type ServerlessOptions, type ServerlessResult } from '../../../src/templates/serverless/index.js';

/** Translates serverless.yml text written into a fresh folder (with any side files, for `${file(...)}`). */
export function translate(text: string, options: ServerlessOptions = {}, files: Record<string, string> = {}): ServerlessResult {
  const dir = mkdtempSync(join(tmpdir(), 'flint-sls-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  const file = join(dir, 'serverless.yml');
  writeFileSync(file, text);
  return serverlessToSam(text, file, { env: {}, ...options });
}

type Resource = { Type: string; Properties: Record<string, unknown> };

export function resource(result: ServerlessResult, id: string): Resource {
  const found = result.template.Resources[id] as Resource | undefined;
  if (!found) throw new Error(`no resource ${id}; have ${Object.keys(result.template.Resources).join(', ')}`);
  return found;
}

/** The Properties of the function `key` (logical id `<Key>LambdaFunction`, as the Framework names it). */
export function fn(result: ServerlessResult, key: string): Record<string, unknown> {
  return resource(result, `${key.charAt(0).toUpperCase()}${key.slice(1)}LambdaFunction`).Properties;
}

/** The function's SAM events, in order. */
export function eventsOf(result: ServerlessResult, key: string): { Type: string; Properties: Record<string, unknown> }[] {
  return Object.values(fn(result, key).Events as Record<string, { Type: string; Properties: Record<string, unknown> }>);
}

export const SERVICE = `service: notes
provider:
  name: aws
  runtime: nodejs22.x
`;
