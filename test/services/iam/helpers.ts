import { IAMClient } from '@aws-sdk/client-iam';
import { startTestNode, type TestNode } from '../../helpers/node.js';

/** A node and an SDK v3 IAM client for it (no retries, so refusals show at once). */
export interface IamNode {
  node: TestNode;
  iam: IAMClient;
  close(): Promise<void>;
}

export async function startIamNode(): Promise<IamNode> {
  const node = await startTestNode();
  const iam = new IAMClient({ ...node.config, maxAttempts: 1 });
  return {
    node,
    iam,
    close: async () => {
      iam.destroy();
      await node.close();
    },
  };
}

/** A trust policy letting Lambda assume a role, as SAM and CDK write it. */
export const LAMBDA_TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] });

/** An identity policy granting one action on everything. */
export function allow(action: string, resource = '*'): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: resource }] });
}

/** IAM answers policy documents percent-encoded; the SDK v3 hands them over as they came. */
export function decoded(document: string | undefined): unknown {
  return JSON.parse(decodeURIComponent(document ?? ''));
}
