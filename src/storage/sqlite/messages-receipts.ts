/**
 * Receipt handles name one receive of one message: the queue's internal id (a queue deleted and created again
 * gets a new one), the message's never-reused seq and the receive count after that receive. Nothing is stored per
 * handle, so any handle ever issued for a message still finds it, and FIFO queues can tell a stale one.
 */
export interface Receipt {
  queueId: number;
  seq: number;
  receiveCount: number;
}

const RECEIPT_PATTERN = /^(\d{1,15}):(\d{1,15}):(\d{1,9})$/;

export function encodeReceipt(receipt: Receipt): string {
  return Buffer.from(`${receipt.queueId}:${receipt.seq}:${receipt.receiveCount}`).toString('base64url');
}

export function decodeReceipt(handle: string): Receipt | undefined {
  if (typeof handle !== 'string' || handle.length === 0 || handle.length > 64) return undefined;
  const match = RECEIPT_PATTERN.exec(Buffer.from(handle, 'base64url').toString('latin1'));
  if (!match) return undefined;
  const receipt = { queueId: Number(match[1]), seq: Number(match[2]), receiveCount: Number(match[3]) };
  // base64url decoding skips stray characters; only the exact encoding counts as a handle.
  return encodeReceipt(receipt) === handle ? receipt : undefined;
}
