import { describe, expect, it } from 'vitest';
import { buildEvent, compileRoutes, type HttpRequest } from '../../../src/services/apigateway/index.js';
import { HTTP_API, REST_API, loadSample, parseEvent, request } from './helpers.js';

/** Records keyed by request data (header names, parameter names) are compared as maps, not key by key. */
const MAPS = new Set([
  'headers',
  'multiValueHeaders',
  'queryStringParameters',
  'multiValueQueryStringParameters',
  'pathParameters',
  'stageVariables',
]);

type Shape = Map<string, string>;

/** Flattens a value into path → JSON type ("string", "number", "null", "array<string>", "map<string>"...). */
function shapeOf(value: unknown, path = '', into: Shape = new Map()): Shape {
  if (MAPS.has(path) && value !== null && typeof value === 'object') {
    const members = Object.values(value as Record<string, unknown>).map(typeName);
    into.set(path, `map<${[...new Set(members)].join('|')}>`);
  } else if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, child] of Object.entries(value)) shapeOf(child, path === '' ? key : `${path}.${key}`, into);
  } else {
    into.set(path, typeName(value));
  }
  return into;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `array<${[...new Set(value.map(typeName))].join('|')}>`;
  return typeof value;
}

function without(shape: Shape, skipped: (path: string) => boolean): Shape {
  return new Map([...shape].filter(([path]) => !skipped(path)));
}

/** Payload 1.0 fields that are null when the request has no such data (the samples show one or the other). */
const NULLABLE_V1 = new Set(['pathParameters', 'stageVariables', 'queryStringParameters', 'multiValueQueryStringParameters', 'body', 'requestContext.resourceId']);

/** Every difference between two shapes: a key only on one side, or a type that is neither equal nor null-for-absent. */
function differences(built: Shape, sample: Shape, nullable: Set<string> = new Set()): string[] {
  const found: string[] = [];
  for (const [path, type] of sample) {
    const ours = built.get(path);
    if (ours === undefined) found.push(`missing ${path}`);
    else if (ours !== type && !(nullable.has(path) && (ours === 'null' || type === 'null'))) found.push(`${path}: ${ours} where AWS has ${type}`);
  }
  for (const path of built.keys()) if (!sample.has(path)) found.push(`extra ${path}`);
  return found;
}

/** A request that exercises every field: cookies, repeated headers and query parameters, a path parameter, a body. */
const fullRequest: HttpRequest = request({
  method: 'POST',
  rawPath: '/my/path/value1',
  rawQuery: 'parameter1=value1&parameter1=value2&parameter2=value',
  headers: [
    ['Host', 'id.execute-api.us-east-1.amazonaws.com'],
    ['Header1', 'value1'],
    ['Header2', 'value1'],
    ['Header2', 'value2'],
    ['Cookie', 'cookie1=a; cookie2=b'],
    ['Content-Type', 'application/json'],
  ],
  body: Buffer.from('{"message": "hello world", "username": "tom"}'),
  host: 'id.execute-api.us-east-1.amazonaws.com',
});
const match = compileRoutes([{ routeKey: 'POST /my/path/{parameter1}', functionName: 'fn' }]).match('POST', fullRequest.rawPath);
if (!match) throw new Error('the sample route must match');

describe('payload 2.0 against the AWS samples', () => {
  const built = shapeOf(parseEvent(buildEvent(HTTP_API, match, fullRequest)));
  // Authorizer, mutual-TLS and stage-variable fields appear only when those features are configured.
  const notEmulated = (path: string): boolean => /^requestContext\.(authentication|authorizer)\b/.test(path) || path === 'stageVariables';

  it.each(['powertools/apiGatewayProxyV2Event.json', 'sam-cli/HttpApi.json'])('has the keys and types of %s', (file) => {
    expect(differences(built, without(shapeOf(loadSample(file)), notEmulated))).toEqual([]);
  });
});

describe('payload 1.0 against the AWS samples', () => {
  const built = shapeOf(parseEvent(buildEvent(REST_API, match, fullRequest)));

  it('has the keys and types of the HTTP API 1.0 sample (powertools)', () => {
    const skipped = (path: string): boolean => /^requestContext\.(authorizer|identity\.clientCert)\b/.test(path);
    const sample = without(shapeOf(loadSample('powertools/apiGatewayProxyEvent.json')), skipped);
    expect(differences(built, sample, NULLABLE_V1)).toEqual([]);
  });

  it('has the keys and types of the REST proxy sample (SAM), apart from its template placeholders', () => {
    const sample = shapeOf(loadSample('sam-cli/AwsProxy.json'));
    // SAM's template writes "{{{querystringparameters}}}" where AWS sends an object.
    sample.set('queryStringParameters', 'map<string>');
    // Keys AWS added after SAM wrote its sample.
    const newer = new Set(['version', 'requestContext.domainName', 'requestContext.domainPrefix', 'requestContext.extendedRequestId', 'requestContext.identity.principalOrgId']);
    expect(differences(without(built, (path) => newer.has(path)), sample, NULLABLE_V1)).toEqual([]);
    expect([...newer].filter((path) => !built.has(path))).toEqual([]);
  });
});
