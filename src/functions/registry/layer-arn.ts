import type { ArnScope } from './arn.js';
import { constraintViolation } from './errors.js';

/** Lambda's pattern for a layer version ARN (the model's LayerVersionArn), quoted in its validation messages. */
export const LAYER_VERSION_ARN_PATTERN =
  '(arn:(aws[a-zA-Z-]*)?:lambda:(eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:\\d{12}:layer:[a-zA-Z0-9-_]+:[0-9]+)|(arn:[a-zA-Z0-9-]+:lambda:::awslayer:[a-zA-Z0-9-_]+)';
const VERSION_ARN = /^arn:aws[a-zA-Z-]*:lambda:([a-z0-9-]+):(\d{12}):layer:([a-zA-Z0-9-_]+):([0-9]+)$/;
const LAYER_NAME = /^(?:arn:[a-zA-Z0-9-]+:lambda:[a-zA-Z0-9-]+:\d{12}:layer:)?([a-zA-Z0-9-_]+)$/;

export interface LayerVersionRef {
  region: string;
  accountId: string;
  name: string;
  version: number;
}

export function layerArn(scope: ArnScope, name: string): string {
  return `arn:aws:lambda:${scope.region}:${scope.accountId}:layer:${name}`;
}

export function layerVersionArn(scope: ArnScope, name: string, version: number): string {
  return `${layerArn(scope, name)}:${version}`;
}

/** A layer version ARN as a function's Layers name it. */
export function parseLayerVersionArn(arn: string): LayerVersionRef {
  const match = VERSION_ARN.exec(arn);
  if (!match) {
    throw constraintViolation('layers', `[${arn}]`, `Member must satisfy constraint: [Member must satisfy regular expression pattern: ${LAYER_VERSION_ARN_PATTERN}]`);
  }
  return { region: match[1]!, accountId: match[2]!, name: match[3]!, version: Number(match[4]) };
}

/** The layer name in a LayerName parameter, which may be a name or the layer's ARN. */
export function layerNameOf(given: string): string {
  return LAYER_NAME.exec(given)?.[1] ?? given;
}
