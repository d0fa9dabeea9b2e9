import { dynamoError, validation } from '../errors.js';

/** PartiQL's own errors, worded as DynamoDB words them. */

/** A statement the parser cannot read. */
export function malformed(detail: string) {
  return validation(`Statement wasn't well formed, can't be processed: ${detail}`);
}

/** An INSERT whose key is taken. */
export function duplicateItem() {
  return dynamoError('DuplicateItemException', 'Duplicate primary key exists in table');
}

/** UPDATE and DELETE name exactly one item. */
export function missingKeyEquality() {
  return validation('Where clause does not contain a mandatory equality on all key attributes');
}
