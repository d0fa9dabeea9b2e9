/** Amazon SQS on both wire protocols; see service.ts for what matches AWS and what does not. */
export { SqsService, type SqsServiceOptions } from './service.js';
export { SqsQueues, type QueueInfo, type QueueMessage, type QueueMessageAttribute, type ReceiveOptions, type SendOptions } from './queues-api.js';
export { ensureQueue, type QueueSpec } from './ensure.js';
export { SQS_ERROR_TYPES, SQS_FRAMEWORK_ERRORS } from './errors.js';
export type { MessageAttributeValue, MessageAttributes } from './message-attributes.js';
