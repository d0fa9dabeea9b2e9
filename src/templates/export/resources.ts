/**
 * An app's resources as CloudFormation resources, with the settings the app declared: a table's TTL, stream and
 * global secondary indexes; a queue's retention, delay and message size; a FIFO topic; SNS→SQS subscriptions with
 * the queue policy that lets the topic deliver; custom EventBridge buses; SSM parameters and Secrets Manager
 * secrets. Property names are CloudFormation's (test/templates/export/spec-check checks them against AWS's spec).
 */
import type { AppSpec, ParameterSpec, QueueSpec, SecretSpec, TableSpec, TopicSpec } from '../../manifest/index.js';
import type { LogicalIds } from './logical-ids.js';

export type Resource = { Type: string; Properties: Record<string, unknown>; Metadata?: Record<string, unknown> };

export function tableResource(table: TableSpec, spec: AppSpec): Resource {
  const keys = [table.hashKey, ...(table.rangeKey ? [table.rangeKey] : [])];
  const indexKeys = (table.indexes ?? []).flatMap((i) => [i.hashKey, ...(i.rangeKey ? [i.rangeKey] : [])]);
  const attributes = [...keys, ...indexKeys].filter((key, i, all) => all.findIndex((k) => k.name === key.name) === i);
  const properties: Record<string, unknown> = {
    TableName: table.name,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: attributes.map((key) => ({ AttributeName: key.name, AttributeType: key.type })),
    KeySchema: keySchema(table.hashKey, table.rangeKey),
  };
  if (table.indexes?.length) {
    properties.GlobalSecondaryIndexes = table.indexes.map((index) => ({
      IndexName: index.name,
      KeySchema: keySchema(index.hashKey, index.rangeKey),
      Projection: Array.isArray(index.projection) ? { ProjectionType: 'INCLUDE', NonKeyAttributes: index.projection } : { ProjectionType: index.projection },
    }));
  }
  // A table a function reads the stream of needs one on AWS; Flint's tables always have it.
  const readByFunction = (spec.eventSources ?? []).some((s) => s.type === 'dynamodb' && s.table === table.name);
  const stream = table.stream ?? (readByFunction ? 'NEW_AND_OLD_IMAGES' : undefined);
  if (stream) properties.StreamSpecification = { StreamViewType: stream };
  if (table.ttl) properties.TimeToLiveSpecification = { AttributeName: table.ttl, Enabled: true };
  return { Type: 'AWS::DynamoDB::Table', Properties: properties };
}

function keySchema(hash: { name: string }, range: { name: string } | undefined): Array<Record<string, string>> {
  return [{ AttributeName: hash.name, KeyType: 'HASH' }, ...(range ? [{ AttributeName: range.name, KeyType: 'RANGE' }] : [])];
}

export function queueResource(queue: QueueSpec, ids: LogicalIds): Resource {
  const properties: Record<string, unknown> = { QueueName: queue.name, VisibilityTimeout: queue.visibilityTimeout };
  if (queue.fifo) properties.FifoQueue = true;
  if (queue.retention !== undefined) properties.MessageRetentionPeriod = queue.retention;
  if (queue.delay !== undefined) properties.DelaySeconds = queue.delay;
  if (queue.maxMessageSize !== undefined) properties.MaximumMessageSize = queue.maxMessageSize;
  if (queue.deadLetter) {
    properties.RedrivePolicy = { deadLetterTargetArn: { 'Fn::GetAtt': [ids.queue(queue.deadLetter.queue), 'Arn'] }, maxReceiveCount: queue.deadLetter.maxReceiveCount };
  }
  return { Type: 'AWS::SQS::Queue', Properties: properties };
}

export function topicResource(topic: TopicSpec): Resource {
  return { Type: 'AWS::SNS::Topic', Properties: { TopicName: topic.name, ...(topic.fifo ? { FifoTopic: true } : {}) } };
}

/**
 * A topic's SNS→SQS subscriptions, and for each queue the policy that lets its topics send to it: on AWS a queue
 * refuses SNS's deliveries without one (https://docs.aws.amazon.com/sns/latest/dg/subscribe-sqs-queue-to-sns-topic.html).
 */
export function subscriptionResources(spec: AppSpec, ids: LogicalIds): Record<string, Resource> {
  const out: Record<string, Resource> = {};
  const topicsOfQueue = new Map<string, string[]>();
  for (const topic of spec.resources.topics) {
    for (const sub of topic.subscriptions ?? []) {
      const properties: Record<string, unknown> = { TopicArn: { Ref: ids.topic(topic.name) }, Protocol: 'sqs', Endpoint: { 'Fn::GetAtt': [ids.queue(sub.queue), 'Arn'] } };
      if (sub.filterPolicy) properties.FilterPolicy = sub.filterPolicy;
      if (sub.filterPolicyScope) properties.FilterPolicyScope = sub.filterPolicyScope;
      if (sub.rawMessageDelivery) properties.RawMessageDelivery = true;
      out[ids.subscription(`${topic.name}-${sub.queue}`)] = { Type: 'AWS::SNS::Subscription', Properties: properties };
      topicsOfQueue.set(sub.queue, [...(topicsOfQueue.get(sub.queue) ?? []), topic.name]);
    }
  }
  for (const [queue, topics] of topicsOfQueue) {
    const statement = topics.map((topic) => ({
      Effect: 'Allow',
      Principal: { Service: 'sns.amazonaws.com' },
      Action: 'sqs:SendMessage',
      Resource: { 'Fn::GetAtt': [ids.queue(queue), 'Arn'] },
      Condition: { ArnEquals: { 'aws:SourceArn': { Ref: ids.topic(topic) } } },
    }));
    out[ids.queuePolicy(queue)] = { Type: 'AWS::SQS::QueuePolicy', Properties: { Queues: [{ Ref: ids.queue(queue) }], PolicyDocument: { Version: '2012-10-17', Statement: statement } } };
  }
  return out;
}

export function busResource(bus: { name: string }): Resource {
  return { Type: 'AWS::Events::EventBus', Properties: { Name: bus.name } };
}

/**
 * An SSM parameter. CloudFormation creates String and StringList parameters only
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ssm-parameter.html), so a
 * SecureString's value is not written out: the caller reports it for the user to create with `aws ssm put-parameter`.
 */
export function parameterResource(parameter: ParameterSpec): Resource | undefined {
  if (parameter.type === 'SecureString') return undefined;
  const properties: Record<string, unknown> = { Name: parameter.name, Type: parameter.type, Value: parameter.value };
  if (parameter.description) properties.Description = parameter.description;
  return { Type: 'AWS::SSM::Parameter', Properties: properties };
}

/** A secret: a generated password as GenerateSecretString (32 characters, as Flint generates), a value as SecretString. */
export function secretResource(secret: SecretSpec): Resource {
  const properties: Record<string, unknown> = { Name: secret.name };
  if (secret.description) properties.Description = secret.description;
  if (secret.generate) properties.GenerateSecretString = { PasswordLength: 32 };
  else if (secret.value !== undefined) properties.SecretString = secret.value;
  return { Type: 'AWS::SecretsManager::Secret', Properties: properties };
}
