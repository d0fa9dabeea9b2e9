/**
 * Reads the Amazon Ion text that DynamoDB's exports write and its imports take, one item per line:
 * `$ion_1_0 {Item:{Id:101.,Tags:$dynamodb_SS::["a"],Data:{{AAE=}}}}`
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/S3DataImport.Format.html). It understands
 * the Ion text that can stand for a DynamoDB value: structs, lists, strings and symbols, integers, decimals and
 * floats, blobs, booleans, nulls, annotations and comments. S-expressions, clobs, timestamps and long strings have
 * no DynamoDB type and make the line an error.
 */

type IonValue =
  | { kind: 'string'; value: string }
  | { kind: 'number'; text: string }
  | { kind: 'blob'; base64: string }
  | { kind: 'bool'; value: boolean }
  | { kind: 'null' }
  | { kind: 'list'; items: Annotated[] }
  | { kind: 'struct'; fields: [string, Annotated][] };

interface Annotated {
  value: IonValue;
  annotations: string[];
}

class IonError extends Error {}

const IDENTIFIER_START = /[A-Za-z_$]/;
const IDENTIFIER_PART = /[A-Za-z0-9_$]/;
const NUMBER_PART = /[0-9A-Za-z_.+-]/;
const ESCAPES: Record<string, string> = { a: '\x07', b: '\b', t: '\t', n: '\n', f: '\f', r: '\r', v: '\v', '?': '?', '0': '\0', "'": "'", '"': '"', '/': '/', '\\': '\\' };

class Reader {
  private pos = 0;

  constructor(private readonly text: string) {}

  /** Every top-level value, without Ion version markers. */
  values(): Annotated[] {
    const out: Annotated[] = [];
    for (this.skipSpace(); this.pos < this.text.length; this.skipSpace()) {
      const value = this.annotated();
      const marker = value.value.kind === 'string' && value.annotations.length === 0 && /^\$ion_1_\d+$/.test(value.value.value);
      if (!marker) out.push(value);
    }
    return out;
  }

  private annotated(): Annotated {
    const annotations: string[] = [];
    for (;;) {
      this.skipSpace();
      const start = this.pos;
      const symbol = this.peekSymbol();
      if (symbol === undefined) break;
      this.skipSpace();
      if (!this.text.startsWith('::', this.pos)) {
        this.pos = start;
        break;
      }
      this.pos += 2;
      annotations.push(symbol);
    }
    return { value: this.value(), annotations };
  }

  private value(): IonValue {
    this.skipSpace();
    const char = this.text[this.pos];
    if (char === '{') return this.text[this.pos + 1] === '{' ? this.blob() : this.struct();
    if (char === '[') return this.list();
    if (char === '"') return { kind: 'string', value: this.quoted('"') };
    if (char === "'") {
      if (this.text.startsWith("'''", this.pos)) throw new IonError('long strings are not read');
      return { kind: 'string', value: this.quoted("'") };
    }
    if (char !== undefined && /[0-9+-]/.test(char)) return { kind: 'number', text: this.take(NUMBER_PART) };
    if (char !== undefined && IDENTIFIER_START.test(char)) return this.keyword(this.take(IDENTIFIER_PART));
    throw new IonError(`unexpected ${char ?? 'end of line'}`);
  }

  private keyword(word: string): IonValue {
    if (word === 'true' || word === 'false') return { kind: 'bool', value: word === 'true' };
    if (word === 'null') {
      if (this.text[this.pos] === '.') {
        this.pos += 1;
        this.take(IDENTIFIER_PART);
      }
      return { kind: 'null' };
    }
    if (word === 'nan') return { kind: 'number', text: 'nan' };
    return { kind: 'string', value: word };
  }

  private struct(): IonValue {
    this.pos += 1;
    const fields: [string, Annotated][] = [];
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] === '}') break;
      const name = this.text[this.pos] === '"' ? this.quoted('"') : this.peekSymbol();
      if (name === undefined) throw new IonError('expected a field name');
      this.skipSpace();
      this.expect(':');
      fields.push([name, this.annotated()]);
      if (!this.separator('}')) break;
    }
    this.expect('}');
    return { kind: 'struct', fields };
  }

  private list(): IonValue {
    this.pos += 1;
    const items: Annotated[] = [];
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] === ']') break;
      items.push(this.annotated());
      if (!this.separator(']')) break;
    }
    this.expect(']');
    return { kind: 'list', items };
  }

  /** After a member: true if a comma follows (and another member may), false at the closing character. */
  private separator(close: string): boolean {
    this.skipSpace();
    if (this.text[this.pos] === ',') {
      this.pos += 1;
      return true;
    }
    if (this.text[this.pos] !== close) throw new IonError(`expected , or ${close}`);
    return false;
  }

  private blob(): IonValue {
    const end = this.text.indexOf('}}', this.pos + 2);
    if (end < 0) throw new IonError('unterminated blob');
    const base64 = this.text.slice(this.pos + 2, end).replace(/\s+/g, '');
    if (base64.startsWith('"') || base64.startsWith("'")) throw new IonError('clobs are not read');
    this.pos = end + 2;
    return { kind: 'blob', base64 };
  }

  /** A symbol (bare or quoted) at the current position, or undefined without moving. */
  private peekSymbol(): string | undefined {
    const char = this.text[this.pos];
    if (char === "'" && !this.text.startsWith("'''", this.pos)) return this.quoted("'");
    if (char === undefined || !IDENTIFIER_START.test(char)) return undefined;
    return this.take(IDENTIFIER_PART);
  }

  private quoted(quote: string): string {
    let out = '';
    for (this.pos += 1; this.pos < this.text.length; this.pos += 1) {
      const char = this.text[this.pos]!;
      if (char === quote) {
        this.pos += 1;
        return out;
      }
      if (char !== '\\') {
        out += char;
        continue;
      }
      out += this.escape();
    }
    throw new IonError('unterminated string');
  }

  private escape(): string {
    const code = this.text[++this.pos] ?? '';
    if (code in ESCAPES) return ESCAPES[code]!;
    const width = code === 'x' ? 2 : code === 'u' ? 4 : code === 'U' ? 8 : 0;
    if (width === 0) throw new IonError(`bad escape \\${code}`);
    const hex = this.text.slice(this.pos + 1, this.pos + 1 + width);
    if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== width) throw new IonError('bad escape');
    this.pos += width;
    return String.fromCodePoint(parseInt(hex, 16));
  }

  private take(pattern: RegExp): string {
    const start = this.pos;
    while (this.pos < this.text.length && pattern.test(this.text[this.pos]!)) this.pos += 1;
    return this.text.slice(start, this.pos);
  }

  private expect(char: string): void {
    this.skipSpace();
    if (this.text[this.pos] !== char) throw new IonError(`expected ${char}`);
    this.pos += 1;
  }

  private skipSpace(): void {
    for (;;) {
      while (this.pos < this.text.length && /\s/.test(this.text[this.pos]!)) this.pos += 1;
      if (this.text.startsWith('//', this.pos)) {
        const end = this.text.indexOf('\n', this.pos);
        this.pos = end < 0 ? this.text.length : end;
      } else if (this.text.startsWith('/*', this.pos)) {
        const end = this.text.indexOf('*/', this.pos + 2);
        if (end < 0) throw new IonError('unterminated comment');
        this.pos = end + 2;
      } else return;
    }
  }
}

/** An Ion number as DynamoDB number text: "103." → "103", "1.5d3" → "1.5e3", "0x1F" → "31". */
function numberText(text: string): string {
  const plain = text.replace(/_/g, '');
  if (/^-?0[xX][0-9a-fA-F]+$/.test(plain)) return BigInt(plain).toString();
  if (/^-?0[bB][01]+$/.test(plain)) return BigInt(plain).toString();
  if (!/^[+-]?\d+(\.\d*)?([dDeE][+-]?\d+)?$/.test(plain) || plain.startsWith('+')) throw new IonError(`not a DynamoDB number: ${text}`);
  return plain.replace(/[dD]/, 'e').replace(/\.(?=[eE]|$)/, '');
}

function scalarOf(value: IonValue, wanted: 'string' | 'number' | 'blob'): string {
  if (value.kind !== wanted) throw new IonError(`a set member is not a ${wanted}`);
  return value.kind === 'string' ? value.value : value.kind === 'number' ? numberText(value.text) : (value as { base64: string }).base64;
}

const SETS: Record<string, ['SS' | 'NS' | 'BS', 'string' | 'number' | 'blob']> = {
  $dynamodb_SS: ['SS', 'string'],
  $dynamodb_NS: ['NS', 'number'],
  $dynamodb_BS: ['BS', 'blob'],
};

/** A DynamoDB attribute value, as wire JSON (the caller checks it as it checks a request's). */
function attributeOf({ value, annotations }: Annotated): unknown {
  const set = annotations.map((a) => SETS[a]).find(Boolean);
  if (set) {
    if (value.kind !== 'list') throw new IonError('a set annotation on a value that is not a list');
    return { [set[0]]: value.items.map((item) => scalarOf(item.value, set[1])) };
  }
  switch (value.kind) {
    case 'string':
      return { S: value.value };
    case 'number':
      return { N: numberText(value.text) };
    case 'blob':
      return { B: value.base64 };
    case 'bool':
      return { BOOL: value.value };
    case 'null':
      return { NULL: true };
    case 'list':
      return { L: value.items.map(attributeOf) };
    case 'struct':
      return { M: mapOf(value.fields) };
  }
}

function mapOf(fields: [string, Annotated][]): Record<string, unknown> {
  return Object.fromEntries(fields.map(([name, field]) => [name, attributeOf(field)]));
}

/** The item of one line, `{Item:{...}}`, as wire JSON for the caller to check; throws if the line is not one. */
export function ionItem(line: string): Record<string, unknown> {
  const values = new Reader(line).values();
  const top = values[0]?.value;
  if (values.length !== 1 || top?.kind !== 'struct') throw new IonError('a line holds one struct');
  const item = top.fields.find(([name]) => name === 'Item')?.[1].value;
  if (item?.kind !== 'struct') throw new IonError('no Item struct');
  return mapOf(item.fields);
}
