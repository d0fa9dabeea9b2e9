/**
 * Values an app got from Flint that mean nothing on AWS. A SAM template's `!Ref Queue` or `!GetAtt Table.Arn`
 * reaches the AppSpec resolved against the node (`http://127.0.0.1:4566/000000000000/jobs`,
 * `arn:aws:dynamodb:us-east-1:000000000000:table/Notes`); written back as they are, the function on AWS would call
 * the developer's laptop. A queue URL of the app becomes the queue's Ref (its URL on AWS); any ARN in Flint's
 * account becomes an Fn::Sub over the stack's partition, region and account.
 */
import type { AppSpec } from '../../manifest/index.js';
import type { LogicalIds } from './logical-ids.js';

/** The account Flint's node and its template translator use (src/platform/node.ts, src/templates/sam/translate.ts). */
const FLINT_ACCOUNT = '000000000000';
const FLINT_ARN = new RegExp(`arn:aws:([a-z0-9-]+):([a-z0-9-]*):${FLINT_ACCOUNT}:`, 'g');
const FLINT_QUEUE_URL = new RegExp(`^https?://[^/]+/${FLINT_ACCOUNT}/([A-Za-z0-9_.-]+)$`);

export function portable(value: unknown, spec: AppSpec, ids: LogicalIds): unknown {
  if (typeof value === 'string') return portableString(value, spec, ids);
  if (Array.isArray(value)) return value.map((item) => portable(item, spec, ids));
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, portable(item, spec, ids)]));
  return value;
}

function portableString(text: string, spec: AppSpec, ids: LogicalIds): unknown {
  const queueUrl = FLINT_QUEUE_URL.exec(text);
  if (queueUrl) {
    const name = queueUrl[1]!;
    if (spec.resources.queues.some((q) => q.name === name)) return { Ref: ids.queue(name) };
    return { 'Fn::Sub': `https://sqs.\${AWS::Region}.\${AWS::URLSuffix}/\${AWS::AccountId}/${name}` };
  }
  if (!text.includes(`:${FLINT_ACCOUNT}:`)) return text;
  // Fn::Sub reads `${` as a variable: a literal one is written `${!`.
  const escaped = text.replaceAll('${', '${!');
  return { 'Fn::Sub': escaped.replace(FLINT_ARN, (_arn, service: string, region: string) => `arn:\${AWS::Partition}:${service}:${region ? '${AWS::Region}' : ''}:\${AWS::AccountId}:`) };
}
