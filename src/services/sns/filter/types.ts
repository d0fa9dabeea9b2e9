import type { BlockList } from 'node:net';

export type FilterPolicyScope = 'MessageAttributes' | 'MessageBody';
export const FILTER_POLICY_SCOPES: readonly FilterPolicyScope[] = ['MessageAttributes', 'MessageBody'];

export type Scalar = string | number | boolean | null;

export interface NumericBound {
  value: number;
  inclusive: boolean;
}

/** One entry of a property's value list; a property matches when any of its conditions does. */
export type Condition =
  | { type: 'exact'; value: Scalar }
  | { type: 'prefix' | 'suffix'; value: string; ignoreCase: boolean }
  | { type: 'equals-ignore-case'; value: string }
  | { type: 'anything-but'; values: (string | number)[] }
  | { type: 'anything-but-prefix'; value: string }
  | { type: 'numeric'; equals?: number; lower?: NumericBound; upper?: NumericBound }
  | { type: 'exists'; value: boolean }
  | { type: 'cidr'; range: BlockList };

/** A property path (one name for attributes, nested names for the body) and its alternatives. */
export interface Rule {
  path: string[];
  conditions: Condition[];
}

/** `$or` expanded: the message matches when every rule of at least one alternative matches. */
export interface CompiledPolicy {
  scope: FilterPolicyScope;
  alternatives: Rule[][];
}
