import { CreateAccessKeyCommand, CreateUserCommand, IAMClient, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import type { TestNode } from '../../helpers/node.js';

export const ACCOUNT = '000000000000';

export interface Keys {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** SDK settings for the node with other credentials. */
export function as(t: TestNode, credentials: Keys): { endpoint: string; region: string; credentials: Keys; forcePathStyle: true } {
  return { endpoint: t.node.url, region: 'us-east-1', credentials, forcePathStyle: true };
}

export function document(...statements: object[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

/** An IAM user with one inline policy and an access key, made by the account's root. */
export async function userWith(t: TestNode, name: string, policy: string): Promise<Keys> {
  const iam = new IAMClient(t.config);
  await iam.send(new CreateUserCommand({ UserName: name }));
  await iam.send(new PutUserPolicyCommand({ UserName: name, PolicyName: 'p', PolicyDocument: policy }));
  const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: name }));
  return { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! };
}

/** What a refused call threw: its error name, status and message. */
export async function refusal(promise: Promise<unknown>): Promise<{ name: string; status?: number; message: string }> {
  try {
    await promise;
  } catch (error) {
    const e = error as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: e.name, status: e.$metadata?.httpStatusCode, message: e.message };
  }
  throw new Error('the call was allowed');
}
