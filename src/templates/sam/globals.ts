/**
 * SAM's Globals section: properties every resource of a type inherits. As the SAM specification says
 * (https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-specification-template-anatomy-globals.html):
 * a scalar on the resource replaces the global one, maps are merged key by key (the resource's entry wins), and
 * lists are added to (global items first). An intrinsic function is a value, not a map to merge.
 */
import { intrinsicName } from '../cloudformation/intrinsics.js';

/** Globals section name → the resource type it applies to. */
export const GLOBAL_TYPES: Record<string, string> = {
  Function: 'AWS::Serverless::Function',
  Api: 'AWS::Serverless::Api',
  HttpApi: 'AWS::Serverless::HttpApi',
  SimpleTable: 'AWS::Serverless::SimpleTable',
  LayerVersion: 'AWS::Serverless::LayerVersion',
};

/** The resource's Properties with the globals of its type merged in. */
export function withGlobals(globals: unknown, type: string, properties: Record<string, unknown>): Record<string, unknown> {
  const section = Object.entries(GLOBAL_TYPES).find(([, t]) => t === type)?.[0];
  const defaults = section === undefined ? undefined : (globals as Record<string, unknown> | undefined)?.[section];
  if (!isPlainMap(defaults)) return properties;
  return merge(defaults, properties) as Record<string, unknown>;
}

function merge(global: unknown, local: unknown): unknown {
  if (local === undefined) return global;
  if (Array.isArray(global) && Array.isArray(local)) return [...global, ...local];
  if (isPlainMap(global) && isPlainMap(local)) {
    const out: Record<string, unknown> = { ...global };
    for (const [key, value] of Object.entries(local)) out[key] = merge(global[key], value);
    return out;
  }
  return local;
}

function isPlainMap(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && intrinsicName(value) === undefined;
}
