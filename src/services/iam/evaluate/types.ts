/**
 * The vocabulary of IAM policy evaluation
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html).
 */

/** One statement of a policy, as written (elements absent when the statement leaves them out). */
export interface Statement {
  sid?: string;
  effect: 'Allow' | 'Deny' | string;
  action?: string[];
  notAction?: string[];
  resource?: string[];
  notResource?: string[];
  principal?: PrincipalElement;
  notPrincipal?: PrincipalElement;
  condition?: Record<string, Record<string, unknown>>;
}

/** "*" or { AWS: [...], Service: [...], Federated: [...], CanonicalUser: [...] }. */
export type PrincipalElement = '*' | Record<string, string[]>;

/** A parsed policy: its statements and whether policy variables apply (Version 2012-10-17 only). */
export interface Policy {
  statements: Statement[];
  variables: boolean;
}

/** Where a policy came from: what kind it is and its name (inline policy name, managed policy ARN, ...). */
export interface PolicySource {
  kind: 'identity' | 'boundary' | 'session' | 'resource';
  id: string;
  /** The simulator's SourcePolicyType: user, group, role, aws-managed, user-managed, resource, IAM Policy. */
  type?: string;
}

export interface SourcedPolicy {
  source: PolicySource;
  policy: Policy;
}

/**
 * Who makes the request. `arn` is the caller's own ARN (a role session's arn:aws:sts::A:assumed-role/R/s);
 * `roleArn` the role of a session; absent principal = an anonymous request.
 */
export interface RequestPrincipal {
  arn: string;
  accountId: string;
  userId: string;
  roleArn?: string;
  /** S3's canonical user id of the account, for CanonicalUser principals. */
  canonicalId?: string;
}

/** Condition key values by lower-cased name; a list is a multivalued key. */
export type ContextValues = ReadonlyMap<string, string | readonly string[]>;

export interface AuthzRequest {
  principal?: RequestPrincipal;
  /** service:Action, e.g. dynamodb:PutItem. */
  action: string;
  /** The resource ARN, or "*" for actions without one. */
  resource: string;
  /** The account that owns the resource (S3 ARNs name none); undefined = the principal's own. */
  resourceAccount?: string;
  context: ContextValues;
}

/** The policies that bear on one request; undefined boundary/session = none set (they do not limit). */
export interface PolicySet {
  identity: readonly SourcedPolicy[];
  boundary?: SourcedPolicy;
  session?: readonly SourcedPolicy[];
  resource?: SourcedPolicy;
}

/** The simulator's words for decisions (IAM's PolicyEvaluationDecisionType). */
export type Decision = 'allowed' | 'explicitDeny' | 'implicitDeny';

/** A statement that decided (or helped decide) the request. */
export interface MatchedStatement {
  source: PolicySource;
  index: number;
  statement: Statement;
}

export interface Evaluation {
  decision: Decision;
  /** The statements that denied (explicit deny) or allowed; empty for an implicit deny. */
  matched: MatchedStatement[];
  /** For a denial: the kind of policy that denied explicitly, or that did not allow. */
  deniedBy?: PolicySource['kind'];
}
