/**
 * Serverless Framework variables (https://www.serverless.com/framework/docs/providers/aws/guide/variables):
 * `${self:path}`, `${sls:stage}`, `${opt:name}`, `${env:NAME}`, `${file(./x.yml):path}`, `${param:name}`,
 * `${aws:region}`, `${strToBool(...)}`, fallbacks `${a, b, 'literal'}`, nested `${self:custom.${sls:stage}}`,
 * several in one string, and values that themselves hold variables. A string that is only one variable takes
 * the variable's value as it is (an object, a number); inside a longer string values are joined as text.
 * `${AWS::Region}` and `${MyResource}` are CloudFormation `Fn::Sub` references and are left as written.
 */
import { existsSync, readFileSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { FlintError } from '../../core/index.js';
import { parseCfnYaml } from './cfn-yaml.js';
import { isIntrinsic, isRecord } from './shapes.js';

export interface VariableSettings {
  /** The serverless.yml as parsed, before any variable is resolved. */
  config: Record<string, unknown>;
  file: string;
  dir: string;
  /** CLI options (`--stage`, `--region`, any `--name value`) for `${opt:...}`. */
  options: Record<string, string>;
  env: NodeJS.ProcessEnv;
  /** One line per construct that cannot be honoured; appended to. */
  unsupported: string[];
  /** The stage when already known (from an earlier resolver); else worked out as the Framework does. */
  stage?: string;
}

/** A value not found: the next fallback is tried, and without one the variable is an error. */
const MISSING = Symbol('missing');
type Found = unknown;

/** Sources the Framework resolves from outside the app; Flint reports them instead of guessing. */
const REMOTE_SOURCES: Record<string, string> = {
  cf: 'CloudFormation stack outputs of other stacks',
  s3: 'S3 objects read at deploy',
  ssm: 'SSM parameters read at deploy',
};

/** A bare variable inside `${ }` starts with a source name and ':' or '(' (but `AWS::Region` is CloudFormation's). */
const VARIABLE_START = /^\s*[A-Za-z][\w-]*(\(|:(?!:))/;

export class VariableResolver {
  private readonly inProgress = new Set<string>();
  private stageValue: string | undefined;

  constructor(private readonly settings: VariableSettings) {
    this.stageValue = settings.stage;
  }

  /** The stage: `--stage`, else provider.stage, else "dev" (the Framework's default). */
  get stage(): string {
    if (this.stageValue !== undefined) return this.stageValue;
    const given = this.settings.options.stage;
    if (given) return (this.stageValue = given);
    const provider = this.settings.config.provider;
    const written = isRecord(provider) ? provider.stage : undefined;
    this.stageValue = 'dev'; // while provider.stage itself resolves, `${sls:stage}` means the default
    const resolved = written === undefined ? 'dev' : this.resolveDeep(written, 'provider.stage');
    this.stageValue = typeof resolved === 'string' && resolved !== '' ? resolved : 'dev';
    return this.stageValue;
  }

  get region(): string {
    const provider = this.settings.config.provider;
    const written = this.settings.options.region ?? (isRecord(provider) ? provider.region : undefined);
    const resolved = written === undefined ? undefined : this.resolveDeep(written, 'provider.region');
    return typeof resolved === 'string' && resolved !== '' ? resolved : 'us-east-1';
  }

  /** Resolves every string inside `value` (keys stay as written). `where` is the dotted path, for messages. */
  resolveDeep(value: unknown, where: string): unknown {
    if (typeof value === 'string') return this.resolveString(value, where);
    if (Array.isArray(value)) return value.map((item, i) => this.resolveDeep(item, `${where}[${i}]`));
    if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.resolveDeep(v, where ? `${where}.${k}` : k)]));
    return value;
  }

  private resolveString(text: string, where: string): unknown {
    const parts = splitVariables(text);
    if (parts.length === 1 && typeof parts[0] !== 'string') return this.resolveVariable(parts[0]!.inner, where);
    const values = parts.map((part) => (typeof part === 'string' ? part : this.resolveVariable(part.inner, where)));
    return joinParts(values, text, where);
  }

  /** The text between `${` and `}`: fallbacks separated by top-level commas, each tried in turn. */
  private resolveVariable(inner: string, where: string): unknown {
    const choices = splitTopLevel(inner, ',').map((c) => c.trim());
    for (const choice of choices) {
      const value = this.resolveChoice(choice, where);
      if (value !== MISSING && value !== undefined && value !== null) return value;
    }
    const first = choices[0] ?? inner;
    if (REMOTE_SOURCES[sourceOf(first)] !== undefined) return '';
    if (customSource(first)) return '';
    throw new FlintError('MANIFEST_INVALID', `${this.settings.file}: cannot resolve \${${inner}} at ${where || 'the top level'}: ${missingReason(first)}`, {
      file: this.settings.file,
      field: where,
    });
  }

  private resolveChoice(choice: string, where: string): Found {
    const literal = literalOf(choice);
    if (literal !== MISSING) return literal;
    if (choice.startsWith('${')) return this.resolveString(choice, where);
    if (!VARIABLE_START.test(choice)) return choice; // an unquoted word: the Framework wants quotes, Flint takes it as text
    const address = this.resolveString(choice, where);
    if (typeof address !== 'string') return MISSING;
    return this.lookup(address.trim(), where);
  }

  private lookup(variable: string, where: string): Found {
    const source = sourceOf(variable);
    const address = variable.slice(variable.indexOf(':') + 1).trim();
    switch (source) {
      case 'self':
        return this.self(address, where);
      case 'sls':
        return address === 'stage' ? this.stage : address === 'instanceId' ? 'flint' : MISSING;
      case 'opt':
        return address === 'stage' && this.settings.options.stage === undefined ? MISSING : (this.settings.options[address] ?? MISSING);
      case 'env':
        return this.settings.env[address] ?? MISSING;
      case 'aws':
        return address === 'region' ? this.region : address === 'accountId' ? { Ref: 'AWS::AccountId' } : address === 'partition' ? 'aws' : MISSING;
      case 'param':
        return this.param(address);
      case 'file':
        return this.file(variable, where);
      case 'strToBool':
        return strToBool(variable);
    }
    const remote = REMOTE_SOURCES[source];
    if (remote !== undefined) this.report(`${where}: \${${variable}} reads ${remote}, which Flint cannot do: give a fallback (\${${variable}, 'value'}) or the value itself`);
    else this.report(`${where}: \${${variable}} uses the variable source '${source}', which a plugin or the Serverless Dashboard provides: Flint resolves it to ''`);
    return MISSING;
  }

  private report(line: string): void {
    if (!this.settings.unsupported.includes(line)) this.settings.unsupported.push(line);
  }

  /** `${self:a.b.c}`: walks the config, resolving what it passes through, then the value found. */
  private self(address: string, where: string): Found {
    if (this.inProgress.has(address)) {
      throw new FlintError('MANIFEST_INVALID', `${this.settings.file}: \${self:${address}} at ${where} refers to itself`, { file: this.settings.file, field: where });
    }
    this.inProgress.add(address);
    try {
      const segments = address === '' ? [] : address.split('.');
      let node: unknown = this.settings.config;
      const walked: string[] = [];
      for (const segment of segments) {
        if (typeof node === 'string') node = this.resolveString(node, walked.join('.'));
        if (Array.isArray(node) && /^\d+$/.test(segment)) node = node[Number(segment)];
        else if (isRecord(node)) node = node[segment];
        else return MISSING;
        walked.push(segment);
        // `service: { name: x }` is the Framework v1 form of `service: x`.
        if (walked.length === 1 && segment === 'service' && isRecord(node)) node = node.name;
      }
      return node === undefined ? MISSING : this.resolveDeep(node, address);
    } finally {
      this.inProgress.delete(address);
    }
  }

  /** `${param:x}`: `params.<stage>.x` or v4's `stages.<stage>.params.x`, else the `default` stage's. */
  private param(name: string): Found {
    const { params, stages } = this.settings.config;
    for (const group of [this.stage, 'default']) {
      const v3 = isRecord(params) ? params[group] : undefined;
      if (isRecord(v3) && v3[name] !== undefined) return this.resolveDeep(v3[name], `params.${group}.${name}`);
      const v4 = isRecord(stages) && isRecord(stages[group]) ? stages[group].params : undefined;
      if (isRecord(v4) && v4[name] !== undefined) return this.resolveDeep(v4[name], `stages.${group}.params.${name}`);
    }
    return MISSING;
  }

  /** `${file(./x.yml):a.b}`: YAML or JSON read relative to serverless.yml; its own variables resolve too. */
  private file(variable: string, where: string): Found {
    const match = /^file\((.*?)\)\s*(?::\s*(.*))?$/.exec(variable);
    if (!match) return MISSING;
    const path = resolve(this.settings.dir, (match[1] ?? '').trim().replace(/^['"]|['"]$/g, ''));
    const extension = extname(path).toLowerCase();
    if (!['.yml', '.yaml', '.json'].includes(extension)) {
      this.report(`${where}: \${${variable}} runs ${extension || 'a'} file to compute values, which Flint does not do: use a .yml or .json file`);
      return MISSING;
    }
    if (!existsSync(path)) return MISSING;
    let node: unknown = parseCfnYaml(readFileSync(path, 'utf8'), path);
    for (const segment of (match[2] ?? '').split('.').filter(Boolean)) {
      node = isRecord(node) ? node[segment] : undefined;
    }
    return node === undefined ? MISSING : this.resolveDeep(node, where);
  }
}

function sourceOf(variable: string): string {
  return /^\s*([A-Za-z][\w-]*)/.exec(variable)?.[1] ?? '';
}

function customSource(variable: string): boolean {
  return !['self', 'sls', 'opt', 'env', 'aws', 'param', 'file', 'strToBool'].includes(sourceOf(variable));
}

function missingReason(variable: string): string {
  const source = sourceOf(variable);
  const address = variable.slice(variable.indexOf(':') + 1).trim();
  if (source === 'env') return `the environment variable ${address} is not set (set it, or give a fallback: \${env:${address}, 'value'})`;
  if (source === 'opt') return `no --${address} option was given (give it, or a fallback: \${opt:${address}, 'value'})`;
  if (source === 'self') return `serverless.yml has no value at ${address}`;
  if (source === 'file') return 'the file or the key in it does not exist';
  if (source === 'param') return `no params.<stage>.${address} or params.default.${address}`;
  return 'no value was found';
}

/** `'text'`, `"text"`, a number or true/false written as a fallback. */
function literalOf(choice: string): Found {
  const quoted = /^(['"])(.*)\1$/s.exec(choice);
  if (quoted) return quoted[2];
  if (/^-?\d+(\.\d+)?$/.test(choice)) return Number(choice);
  if (choice === 'true' || choice === 'false') return choice === 'true';
  if (choice === 'null') return null;
  return MISSING;
}

function strToBool(variable: string): Found {
  const arg = /^strToBool\((.*)\)$/.exec(variable.trim())?.[1]?.trim().replace(/^['"]|['"]$/g, '');
  if (arg === 'true' || arg === '1') return true;
  if (arg === 'false' || arg === '0') return false;
  return MISSING;
}

type Part = string | { inner: string };

/** "a-${x}-${y, 'z'}" → ["a-", {inner: "x"}, "-", {inner: "y, 'z'"}]; `${AWS::Region}` stays text. */
export function splitVariables(text: string): Part[] {
  const parts: Part[] = [];
  let literal = '';
  let i = 0;
  while (i < text.length) {
    const start = text.indexOf('${', i);
    if (start < 0) break;
    const end = matchingBrace(text, start + 2);
    if (end < 0) break;
    const inner = text.slice(start + 2, end);
    literal += text.slice(i, start);
    if (VARIABLE_START.test(inner)) {
      if (literal) parts.push(literal);
      literal = '';
      parts.push({ inner });
    } else {
      literal += text.slice(start, end + 1);
    }
    i = end + 1;
  }
  literal += text.slice(i);
  if (literal || parts.length === 0) parts.push(literal);
  return parts;
}

/** Index of the `}` closing a `${` whose content starts at `from`, skipping nested `${...}` and quotes. */
function matchingBrace(text: string, from: number): number {
  let depth = 0;
  let quote = '';
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '{') depth++;
    else if (c === '}') {
      if (depth === 0) return i;
      depth--;
    }
  }
  return -1;
}

function splitTopLevel(text: string, separator: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote = '';
  let current = '';
  for (const c of text) {
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '{' || c === '(') depth++;
    else if (c === '}' || c === ')') depth--;
    else if (c === separator && depth === 0) {
      out.push(current);
      current = '';
      continue;
    }
    current += c;
  }
  out.push(current);
  return out;
}

/** Text and values joined; a CloudFormation function among them (`${aws:accountId}`) makes an `Fn::Join`. */
function joinParts(values: unknown[], text: string, where: string): unknown {
  if (values.every((v) => !isRecord(v) && !Array.isArray(v))) return values.map((v) => (v === undefined || v === null ? '' : String(v))).join('');
  if (values.some((v) => Array.isArray(v) || (isRecord(v) && !isIntrinsic(v)))) {
    throw new FlintError('MANIFEST_INVALID', `"${text}" at ${where} puts an object or list inside text: a variable that resolves to one must be the whole value`, { field: where });
  }
  const joined: unknown[] = [];
  for (const value of values) {
    const text = isRecord(value) ? undefined : value === undefined || value === null ? '' : String(value);
    const last = joined.length - 1;
    if (text === undefined) joined.push(value);
    else if (typeof joined[last] === 'string') joined[last] = `${joined[last] as string}${text}`;
    else if (text !== '') joined.push(text);
  }
  return { 'Fn::Join': ['', joined] };
}
