/**
 * What each operation is authorized as: its IAM action and the ARN of the resource it acts on, per AWS's Service
 * Authorization Reference (https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html).
 * Most actions are `<service>:<Operation>`; the exceptions are listed per service. An operation that acts on no
 * one resource (ListTables, ListQueues) is authorized on "*".
 */
import { s3ActionOf } from '../../services/s3/index.js';

/** One permission a request needs: an action on a resource. */
export interface Target {
  action: string;
  resource: string;
}

export interface Scope {
  partition: string;
  region: string;
  accountId: string;
}

type Input = Readonly<Record<string, unknown>>;
type Mapper = (operation: string, input: Input, scope: Scope) => Target[];

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
const arn = (scope: Scope, service: string, resource: string, region = scope.region): string => `arn:${scope.partition}:${service}:${region}:${scope.accountId}:${resource}`;

/** DynamoDB: tables (and their indexes and streams); batch and transaction operations need each table they name. */
const dynamodb: Mapper = (operation, input, scope) => {
  const table = (name: string): string => (name.startsWith('arn:') ? name : arn(scope, 'dynamodb', `table/${name}`));
  if (operation === 'BatchGetItem' || operation === 'BatchWriteItem') {
    return Object.keys((input.RequestItems as Input | undefined) ?? {}).map((name) => ({ action: `dynamodb:${operation}`, resource: table(name) }));
  }
  if (operation === 'TransactWriteItems' || operation === 'TransactGetItems') {
    const items = (input.TransactItems as Input[] | undefined) ?? [];
    const ACTIONS: Record<string, string> = { Put: 'PutItem', Update: 'UpdateItem', Delete: 'DeleteItem', ConditionCheck: 'ConditionCheckItem', Get: 'GetItem' };
    return items.flatMap((item) =>
      Object.entries(item).flatMap(([kind, body]) => {
        const name = text((body as Input | undefined)?.TableName);
        return ACTIONS[kind] && name ? [{ action: `dynamodb:${ACTIONS[kind]}`, resource: table(name) }] : [];
      }),
    );
  }
  if (operation === 'ExecuteStatement') return partiql(text(input.Statement) ?? '', table);
  const name = text(input.TableName) ?? text(input.TableArn) ?? text(input.StreamArn) ?? text(input.ResourceArn);
  if (!name) return [{ action: `dynamodb:${operation}`, resource: '*' }];
  const index = text(input.IndexName);
  return [{ action: `dynamodb:${operation}`, resource: index ? `${table(name)}/index/${index}` : table(name) }];
};

/** A PartiQL statement needs PartiQLSelect/Insert/Update/Delete on its table. */
function partiql(statement: string, table: (name: string) => string): Target[] {
  const verb = /^\s*(select|insert|update|delete)/i.exec(statement)?.[1]?.toLowerCase();
  const name = /(?:from|into|update)\s+"?([A-Za-z0-9_.-]+)"?/i.exec(statement)?.[1];
  if (!verb || !name) return [{ action: 'dynamodb:PartiQLSelect', resource: '*' }];
  return [{ action: `dynamodb:PartiQL${verb[0]!.toUpperCase()}${verb.slice(1)}`, resource: table(name) }];
}

/** S3: the action S3's access check uses, on the bucket or the object. */
const s3: Mapper = (operation, input, scope) => {
  const bucket = text(input.Bucket);
  const key = typeof input.Key === 'string' ? input.Key : undefined;
  const action = s3ActionOf(operation, text(input.VersionId) !== undefined);
  if (!bucket || operation === 'ListBuckets') return [{ action, resource: '*' }];
  if (operation === 'DeleteObjects') {
    const objects = ((input.Delete as Input | undefined)?.Objects as Input[] | undefined) ?? [];
    return objects.map((o) => ({ action: s3ActionOf('DeleteObject', text(o.VersionId) !== undefined), resource: `arn:${scope.partition}:s3:::${bucket}/${String(o.Key ?? '')}` }));
  }
  return [{ action, resource: key === undefined ? `arn:${scope.partition}:s3:::${bucket}` : `arn:${scope.partition}:s3:::${bucket}/${key}` }];
};

const SQS_ACTIONS: Readonly<Record<string, string>> = { SendMessageBatch: 'SendMessage', DeleteMessageBatch: 'DeleteMessage', ChangeMessageVisibilityBatch: 'ChangeMessageVisibility' };

/** SQS: the queue a QueueUrl or QueueName names. */
const sqs: Mapper = (operation, input, scope) => {
  const action = `sqs:${SQS_ACTIONS[operation] ?? operation}`;
  const url = text(input.QueueUrl);
  const name = url ? url.slice(url.lastIndexOf('/') + 1) : text(input.QueueName);
  const account = url ? (/\/(\d{12})\/[^/]+$/.exec(url)?.[1] ?? scope.accountId) : scope.accountId;
  return [{ action, resource: name ? `arn:${scope.partition}:sqs:${scope.region}:${account}:${name}` : '*' }];
};

/** SNS: the topic (a subscription's topic; a new topic's ARN for CreateTopic). */
const sns: Mapper = (operation, input, scope) => {
  const subscription = text(input.SubscriptionArn);
  const topic = text(input.TopicArn) ?? text(input.TargetArn) ?? text(input.ResourceArn) ?? (subscription && subscription.slice(0, subscription.lastIndexOf(':')));
  const created = operation === 'CreateTopic' && text(input.Name) ? arn(scope, 'sns', String(input.Name)) : undefined;
  return [{ action: `sns:${operation}`, resource: topic ?? created ?? '*' }];
};

const LAMBDA_ACTIONS: Readonly<Record<string, string>> = { Invoke: 'InvokeFunction', InvokeWithResponseStream: 'InvokeFunction', InvokeAsync: 'InvokeAsync' };

/** Lambda: the function a FunctionName (name, partial or full ARN) names, qualified when a Qualifier is given. */
const lambda: Mapper = (operation, input, scope) => {
  const action = `lambda:${LAMBDA_ACTIONS[operation] ?? operation}`;
  const name = text(input.FunctionName);
  if (!name) return [{ action, resource: text(input.Resource) ?? '*' }];
  const parts = name.split(':');
  const base = name.startsWith('arn:') ? parts.slice(0, 7).join(':') : parts.length >= 3 ? arn(scope, 'lambda', `function:${parts[2]}`) : arn(scope, 'lambda', `function:${parts[0]}`);
  const qualifier = text(input.Qualifier) ?? (name.startsWith('arn:') ? parts[7] : parts.length === 2 ? parts[1] : parts[3]);
  return [{ action, resource: qualifier ? `${base}:${qualifier}` : base }];
};

/** IAM: the role, user, group, policy or instance profile the operation names. */
const iam: Mapper = (operation, input, scope) => {
  const global = (resource: string): string => `arn:${scope.partition}:iam::${scope.accountId}:${resource}`;
  const named = [
    ['RoleName', 'role/'],
    ['UserName', 'user/'],
    ['GroupName', 'group/'],
    ['InstanceProfileName', 'instance-profile/'],
  ] as const;
  const found = named.find(([member]) => text(input[member]) !== undefined);
  const resource = found ? global(`${found[1]}${String(input[found[0]])}`) : (text(input.PolicyArn) ?? text(input.PolicySourceArn) ?? '*');
  return [{ action: `iam:${operation}`, resource }];
};

/** SSM parameters and Secrets Manager secrets by name; the other services' operations on "*". */
const ssm: Mapper = (operation, input, scope) => {
  const name = text(input.Name);
  return [{ action: `ssm:${operation}`, resource: name ? arn(scope, 'ssm', `parameter${name.startsWith('/') ? '' : '/'}${name}`) : '*' }];
};

const secretsmanager: Mapper = (operation, input, scope) => {
  const id = text(input.SecretId) ?? text(input.Name);
  return [{ action: `secretsmanager:${operation}`, resource: id ? (id.startsWith('arn:') ? id : arn(scope, 'secretsmanager', `secret:${id}`)) : '*' }];
};

const MAPPERS: Readonly<Record<string, Mapper>> = { dynamodb, s3, sqs, sns, lambda, iam, ssm, secretsmanager };

/** The permissions an operation of a service (by its SigV4 name) needs. */
export function targetsOf(service: string, operation: string, input: Input, scope: Scope): Target[] {
  const mapper = MAPPERS[service];
  if (mapper) return mapper(operation, input, scope);
  const resource = text(input.ResourceArn) ?? text(input.Arn) ?? '*';
  return [{ action: `${service}:${operation}`, resource }];
}
