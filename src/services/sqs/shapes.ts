/**
 * The parts of SQS's query-protocol model that are not plain scalars: flattened lists and maps, with the element
 * names botocore's model gives them. One description serves both directions: decoding form parameters such as
 * `MessageAttribute.1.Value.StringValue` into the JSON protocol's shapes, and writing XML responses.
 */
export type Shape = { kind: 'list'; item: string; of?: Struct } | { kind: 'map'; entry: string; key: string; value: string; of?: Struct };

/** Members of a structure that are lists or maps; every member not named here is a scalar. */
export type Struct = Readonly<Record<string, Shape>>;

const list = (item: string, of?: Struct): Shape => ({ kind: 'list', item, of });
const map = (entry: string, key: string, value: string, of?: Struct): Shape => ({ kind: 'map', entry, key, value, of });

const ATTRIBUTE_VALUE: Struct = { StringListValues: list('StringListValue'), BinaryListValues: list('BinaryListValue') };
const MESSAGE_ATTRIBUTES = map('MessageAttribute', 'Name', 'Value', ATTRIBUTE_VALUE);
const SYSTEM_ATTRIBUTES = map('MessageSystemAttribute', 'Name', 'Value', ATTRIBUTE_VALUE);
const ATTRIBUTES = map('Attribute', 'Name', 'Value');
const TAGS = map('Tag', 'Key', 'Value');
const FAILED = list('BatchResultErrorEntry', {});

export const INPUT_SHAPES: Readonly<Record<string, Struct>> = {
  CreateQueue: { Attributes: ATTRIBUTES, tags: TAGS },
  GetQueueAttributes: { AttributeNames: list('AttributeName') },
  SetQueueAttributes: { Attributes: ATTRIBUTES },
  TagQueue: { Tags: TAGS },
  UntagQueue: { TagKeys: list('TagKey') },
  SendMessage: { MessageAttributes: MESSAGE_ATTRIBUTES, MessageSystemAttributes: SYSTEM_ATTRIBUTES },
  SendMessageBatch: {
    Entries: list('SendMessageBatchRequestEntry', { MessageAttributes: MESSAGE_ATTRIBUTES, MessageSystemAttributes: SYSTEM_ATTRIBUTES }),
  },
  ReceiveMessage: {
    AttributeNames: list('AttributeName'),
    MessageSystemAttributeNames: list('MessageSystemAttributeName'),
    MessageAttributeNames: list('MessageAttributeName'),
  },
  DeleteMessageBatch: { Entries: list('DeleteMessageBatchRequestEntry', {}) },
  ChangeMessageVisibilityBatch: { Entries: list('ChangeMessageVisibilityBatchRequestEntry', {}) },
};

export const OUTPUT_SHAPES: Readonly<Record<string, Struct>> = {
  ListQueues: { QueueUrls: list('QueueUrl') },
  ListDeadLetterSourceQueues: { queueUrls: list('QueueUrl') },
  GetQueueAttributes: { Attributes: ATTRIBUTES },
  ListQueueTags: { Tags: TAGS },
  SendMessageBatch: { Successful: list('SendMessageBatchResultEntry', {}), Failed: FAILED },
  ReceiveMessage: { Messages: list('Message', { Attributes: ATTRIBUTES, MessageAttributes: MESSAGE_ATTRIBUTES }) },
  DeleteMessageBatch: { Successful: list('DeleteMessageBatchResultEntry', {}), Failed: FAILED },
  ChangeMessageVisibilityBatch: { Successful: list('ChangeMessageVisibilityBatchResultEntry', {}), Failed: FAILED },
};
