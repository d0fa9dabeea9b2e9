import type { AttributeValue, Item } from '../../../storage/index.js';

/**
 * The two formats DynamoDB writes an export in, one item per line
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/S3DataExport.Output.html):
 * DynamoDB JSON, `{"Item":{"Id":{"N":"101"},...}}`, and Amazon Ion text, `$ion_1_0 {Item:{Id:101.,...}}`, where
 * numbers are Ion decimals, binary values Ion blobs and sets lists annotated $dynamodb_SS, $dynamodb_NS or
 * $dynamodb_BS.
 */
export type ExportFormat = 'DYNAMODB_JSON' | 'ION';

export function itemLine(item: Item, format: ExportFormat): string {
  return format === 'ION' ? `$ion_1_0 {Item:${ionStruct(item)}}` : JSON.stringify({ Item: item });
}

/** The file name ending of a data file in each format (before ".gz"). */
export function dataExtension(format: ExportFormat): string {
  return format === 'ION' ? 'ion' : 'json';
}

function ionStruct(map: Item): string {
  return `{${Object.entries(map).map(([name, value]) => `${ionSymbol(name)}:${ionValue(value)}`).join(',')}}`;
}

function ionValue(value: AttributeValue): string {
  if ('S' in value) return ionString(value.S);
  if ('N' in value) return ionDecimal(value.N);
  if ('B' in value) return ionBlob(value.B);
  if ('BOOL' in value) return value.BOOL ? 'true' : 'false';
  if ('NULL' in value) return 'null';
  if ('M' in value) return ionStruct(value.M);
  if ('L' in value) return `[${value.L.map(ionValue).join(',')}]`;
  if ('SS' in value) return `$dynamodb_SS::[${value.SS.map(ionString).join(',')}]`;
  if ('NS' in value) return `$dynamodb_NS::[${value.NS.map(ionDecimal).join(',')}]`;
  return `$dynamodb_BS::[${value.BS.map(ionBlob).join(',')}]`;
}

/** JSON's string escapes are all valid Ion escapes, and JSON never writes the ones Ion lacks. */
function ionString(text: string): string {
  return JSON.stringify(text);
}

/**
 * A DynamoDB number as an Ion decimal: Ion reads digits without a point or exponent as an integer, so "101"
 * becomes "101." and an exponent is written with "d" ("1.5E+3" → "1.5d+3").
 */
export function ionDecimal(number: string): string {
  const exponent = number.search(/[eE]/);
  if (exponent >= 0) return `${number.slice(0, exponent)}d${number.slice(exponent + 1)}`;
  return number.includes('.') ? number : `${number}.`;
}

function ionBlob(base64: string): string {
  return `{{${base64}}}`;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const KEYWORDS = new Set(['null', 'true', 'false', 'nan']);

/** A field name: bare when Ion allows it, else a quoted symbol. */
function ionSymbol(name: string): string {
  if (IDENTIFIER.test(name) && !KEYWORDS.has(name) && !name.startsWith('$')) return name;
  return `'${JSON.stringify(name).slice(1, -1).replace(/'/g, "\\'").replace(/\\"/g, '"')}'`;
}
