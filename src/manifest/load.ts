/** Reading flint.yaml: YAML text → validated, normalised AppSpec, or one FlintError listing every problem. */
import { readFile, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { LineCounter, isMap, isScalar, parseDocument, type Document } from 'yaml';
import { FlintError } from '../core/index.js';
import { isRecord } from './fields.js';
import { locate } from './locate.js';
import { normalise } from './normalise.js';
import { expectationMessages, formatProblems, problemsFromIssues, sortProblems, type ProblemSource } from './problems.js';
import { manifestSchema } from './schema.js';
import type { AppSpec, ManifestProblem } from './types.js';

export const MANIFEST_FILE_NAMES = ['flint.yaml', 'flint.yml'] as const;

/** Reads `<dir>/flint.yaml` (or flint.yml). */
export async function loadManifest(dir: string): Promise<AppSpec> {
  const folder = resolve(dir);
  const file = await findManifest(folder);
  return parseManifest(await readFile(file, 'utf8'), file);
}

async function findManifest(folder: string): Promise<string> {
  for (const name of MANIFEST_FILE_NAMES) {
    const candidate = join(folder, name);
    const info = await stat(candidate).catch(() => undefined);
    if (info?.isFile() === true) return candidate;
  }
  throw new FlintError('MANIFEST_NOT_FOUND', `no flint.yaml or flint.yml in ${folder}`, { dir: folder });
}

/** Validates manifest text; `file` names it in messages and anchors relative code folders. */
export function parseManifest(text: string, file: string): AppSpec {
  const path = resolve(file);
  const dir = dirname(path);
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) throw invalid(syntaxProblems(doc, lineCounter, path));

  const data = withEnvironmentAsWritten(doc, plainData(doc, path));
  const result = manifestSchema({ baseDir: dir }).safeParse(data, { error: expectationMessages });
  if (!result.success) {
    throw invalid(problemsFromIssues(result.error.issues, { file: path, data, locate: (at) => locate(doc, lineCounter, at) }));
  }
  return normalise(result.data, path, dir);
}

/**
 * Validates a flint.yaml-shaped document made from another format (a SAM template): problems name `file` and are
 * placed by `locate`, which maps a path in the document to where its source is written.
 */
export function validateManifest(data: unknown, source: Omit<ProblemSource, 'data'> & { dir: string }): AppSpec {
  const file = resolve(source.file);
  const result = manifestSchema({ baseDir: source.dir }).safeParse(data, { error: expectationMessages });
  if (!result.success) throw invalid(problemsFromIssues(result.error.issues, { ...source, file, data }));
  return normalise(result.data, file, source.dir);
}

/**
 * The document as plain data. The yaml package refuses aliases that expand past its budget (an alias bomb: a few
 * lines that would expand to a billion nodes); that is the file's problem, said as one.
 */
function plainData(doc: Document, path: string): unknown {
  try {
    return doc.toJS();
  } catch (error) {
    throw new FlintError('MANIFEST_INVALID', `${path}: its YAML aliases expand too far (${(error as Error).message}); write the values out instead`, { file: path });
  }
}

function invalid(problems: ManifestProblem[]): FlintError {
  const sorted = sortProblems(problems);
  return new FlintError('MANIFEST_INVALID', formatProblems(sorted), { problems: sorted });
}

function syntaxProblems(doc: Document, lineCounter: LineCounter, file: string): ManifestProblem[] {
  return doc.errors.map((error) => {
    const position = error.linePos?.[0] ?? lineCounter.linePos(error.pos[0]);
    // yaml appends " at line L, column C:" and a source excerpt; the position is reported separately.
    const headline = (error.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
    return { file, line: position.line, column: position.col, field: '', message: `invalid YAML: ${headline}` };
  });
}

/**
 * Environment values keep the text the user wrote: `ZIP: 01234` stays "01234" and `RATIO: 0.50` stays "0.50",
 * where YAML alone would turn them into the numbers 1234 and 0.5.
 */
function withEnvironmentAsWritten(doc: Document, data: unknown): unknown {
  const functions = doc.get('functions', true);
  if (!isMap(functions) || !isRecord(data) || !isRecord(data.functions)) return data;
  for (const pair of functions.items) {
    const fnData = isScalar(pair.key) && isRecord(data.functions) ? data.functions[String(pair.key.value)] : undefined;
    const environment = isMap(pair.value) ? pair.value.get('environment', true) : undefined;
    if (!isRecord(fnData) || !isRecord(fnData.environment) || !isMap(environment)) continue;
    for (const entry of environment.items) {
      const value = entry.value;
      if (!isScalar(entry.key) || !isScalar(value) || typeof value.source !== 'string') continue;
      if (typeof value.value === 'number' || typeof value.value === 'boolean') fnData.environment[String(entry.key.value)] = value.source;
    }
  }
  return data;
}
