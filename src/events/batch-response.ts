/**
 * Partial batch responses (FunctionResponseTypes: ReportBatchItemFailures): the function answers
 * `{"batchItemFailures": [{"itemIdentifier": "…"}]}` naming the records that failed. As AWS documents, an empty
 * or null answer, or an empty or null list, is complete success; invalid JSON, an item without an identifier, an
 * empty identifier or one that is not in the batch fails the whole batch.
 */

/** The identifiers that failed, or 'invalid' when the answer fails the whole batch. */
export function failedItems(payload: Buffer, batchIds: ReadonlySet<string>): string[] | 'invalid' {
  const text = payload.toString('utf8').trim();
  if (text === '') return [];
  let answer: unknown;
  try {
    answer = JSON.parse(text);
  } catch {
    return 'invalid';
  }
  if (typeof answer !== 'object' || answer === null || Array.isArray(answer)) return [];
  const list = (answer as { batchItemFailures?: unknown }).batchItemFailures;
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) return 'invalid';
  const failed: string[] = [];
  for (const item of list) {
    const id = typeof item === 'object' && item !== null ? (item as { itemIdentifier?: unknown }).itemIdentifier : undefined;
    if (typeof id !== 'string' || id === '' || !batchIds.has(id)) return 'invalid';
    failed.push(id);
  }
  return failed;
}
