import type { MetadataStore } from '../../../storage/index.js';
import { validation } from '../errors.js';

/**
 * NextToken for ListExports and ListImports: the last ARN of the page in hex, padded with zeros to DynamoDB's
 * ImportNextToken shape (112 or more hex digits, in groups of 16).
 */
export function encodeToken(lastArn: string): string {
  const hex = Buffer.from(lastArn).toString('hex');
  const length = Math.max(112, Math.ceil(hex.length / 16) * 16);
  return hex.padEnd(length, '0');
}

export function decodeToken(token: string): string {
  const hex = token.replace(/(00)+$/, '');
  if (!/^([0-9a-f]{2})+$/.test(hex)) throw validation('Invalid NextToken');
  return Buffer.from(hex, 'hex').toString('utf8');
}

/**
 * One page of export or import records in ARN order (table, then start time), `limit` at a time, with the NextToken
 * that continues it; `tableArn` keeps only that table's jobs (`kind` is "export" or "import", as in their ARNs).
 */
export async function jobPage<T extends { arn: string }>(
  metadata: MetadataStore,
  collection: string,
  request: { tableArn?: string; kind: 'export' | 'import'; limit: number; nextToken?: string },
): Promise<{ page: T[]; nextToken?: string }> {
  const after = request.nextToken === undefined ? undefined : decodeToken(request.nextToken);
  const prefix = request.tableArn ? `${request.tableArn}/${request.kind}/` : undefined;
  const docs = await metadata.list<T>(collection, { prefix, after, limit: request.limit + 1 });
  const page = docs.slice(0, request.limit).map((doc) => doc.value);
  return docs.length > request.limit ? { page, nextToken: encodeToken(page[page.length - 1]!.arn) } : { page };
}
