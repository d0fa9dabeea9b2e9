import type { OperationContext, Output } from './context.js';
import * as messages from './ops-messages.js';
import * as queues from './ops-queues.js';
import { parseInput, type Input, type OperationName } from './schemas.js';

type Operations = { [N in OperationName]: (ctx: OperationContext, input: Input<N>) => Promise<Output> };

const OPERATIONS: Operations = {
  CreateQueue: queues.createQueue,
  GetQueueUrl: queues.getQueueUrl,
  ListQueues: queues.listQueues,
  DeleteQueue: queues.deleteQueue,
  PurgeQueue: queues.purgeQueue,
  GetQueueAttributes: queues.getQueueAttributes,
  SetQueueAttributes: queues.setQueueAttributes,
  ListQueueTags: queues.listQueueTags,
  TagQueue: queues.tagQueue,
  UntagQueue: queues.untagQueue,
  ListDeadLetterSourceQueues: queues.listDeadLetterSourceQueues,
  SendMessage: messages.sendMessage,
  SendMessageBatch: messages.sendMessageBatch,
  ReceiveMessage: messages.receiveMessage,
  DeleteMessage: messages.deleteMessage,
  DeleteMessageBatch: messages.deleteMessageBatch,
  ChangeMessageVisibility: messages.changeMessageVisibility,
  ChangeMessageVisibilityBatch: messages.changeMessageVisibilityBatch,
};

/** Operations whose query-protocol response has no <…Result> element. */
export const WITHOUT_RESULT: ReadonlySet<OperationName> = new Set([
  'DeleteQueue',
  'PurgeQueue',
  'SetQueueAttributes',
  'TagQueue',
  'UntagQueue',
  'DeleteMessage',
  'ChangeMessageVisibility',
]);

export async function runOperation<N extends OperationName>(name: N, raw: unknown, ctx: OperationContext): Promise<Output> {
  const run = OPERATIONS[name] as (ctx: OperationContext, input: Input<N>) => Promise<Output>;
  return run(ctx, parseInput(name, raw));
}
