/**
 * What IAM stores, one JSON document per entity in the metadata store. Names are unique in an account without
 * regard to case (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html#reference_iam-quotas-names),
 * so documents are keyed by the lowercased name and keep the name as created. Times are epoch ms.
 */
export interface TagRecord {
  Key: string;
  Value: string;
}

/** What roles, users and groups share: inline policies by name and attached managed policies by ARN. */
export interface PrincipalRecord {
  name: string;
  path: string;
  id: string;
  arn: string;
  createDate: number;
  /** Inline policy documents as sent, by policy name. */
  inline: Record<string, string>;
  /** Managed policy ARNs in the order they were attached. */
  attached: string[];
}

export interface RoleRecord extends PrincipalRecord {
  trustPolicy: string;
  description?: string;
  maxSessionDuration: number;
  permissionsBoundary?: string;
  tags: TagRecord[];
  lastUsed?: { date: number; region: string };
}

export interface UserRecord extends PrincipalRecord {
  permissionsBoundary?: string;
  tags: TagRecord[];
}

export interface GroupRecord extends PrincipalRecord {
  /** Member user names as created. */
  members: string[];
}

export interface PolicyVersionRecord {
  id: string;
  document: string;
  createDate: number;
}

export interface PolicyRecord {
  name: string;
  path: string;
  id: string;
  arn: string;
  createDate: number;
  updateDate: number;
  description?: string;
  tags: TagRecord[];
  defaultVersion: string;
  versions: PolicyVersionRecord[];
  /** The number the next version gets (v1, v2... are never reused). */
  nextVersion: number;
}

export interface InstanceProfileRecord {
  name: string;
  path: string;
  id: string;
  arn: string;
  createDate: number;
  tags: TagRecord[];
  /** Role names as created (at most one, as IAM allows). */
  roles: string[];
}

export interface AccessKeyRecord {
  accessKeyId: string;
  secretAccessKey: string;
  userName: string;
  status: 'Active' | 'Inactive';
  createDate: number;
  lastUsed?: { date: number; service: string; region: string };
  /** The account of the key's user when it is not the node's. */
  accountId?: string;
}

/** Temporary credentials issued by STS, and who they answer as. */
export interface SessionRecord {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: number;
  accountId: string;
  arn: string;
  userId: string;
  kind: 'assumed-role' | 'user-session' | 'federated-user' | 'root-session';
  /** The role's ARN, for an assumed role (role chaining limits the next session to an hour). */
  roleArn?: string;
  /** Session tags marked transitive, passed on when this session assumes another role. */
  transitiveTags?: TagRecord[];
  /** Session policies given to AssumeRole (Policy, and the ARNs of PolicyArns): they limit what the session may do. */
  sessionPolicies?: { document?: string; arns?: string[] };
}

export type EntityCollection = 'roles' | 'users' | 'groups' | 'policies' | 'instance-profiles';
