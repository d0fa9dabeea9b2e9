import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ApiConfig, HttpRequest } from '../../../src/services/apigateway/index.js';

export const HTTP_API: ApiConfig = { id: 'abc123defg', name: 'shop', payloadVersion: '2.0', stage: '$default', accountId: '123456789012' };
export const REST_API: ApiConfig = { ...HTTP_API, payloadVersion: '1.0' };

/** 2020-03-04T19:03:58.390Z, the timeEpoch of the AWS v2 sample event. */
export const SAMPLE_EPOCH_MS = 1583348638390;

export function request(overrides: Partial<HttpRequest> = {}): HttpRequest {
  return {
    method: 'GET',
    rawPath: '/',
    rawQuery: '',
    headers: [['Host', 'abc123defg.execute-api.localhost:3000']],
    body: Buffer.alloc(0),
    sourceIp: '192.0.2.10',
    protocol: 'HTTP/1.1',
    userAgent: 'curl/8.5.0',
    timeEpochMs: SAMPLE_EPOCH_MS,
    requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
    host: 'abc123defg.execute-api.localhost:3000',
    ...overrides,
  };
}

export function loadSample(relative: string): Record<string, unknown> {
  const path = fileURLToPath(new URL(`../../fixtures/events/${relative}`, import.meta.url));
  return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
}

export function header(headers: [string, string][], name: string): string | undefined {
  return headers.find(([n]) => n.toLowerCase() === name.toLowerCase())?.[1];
}

export function headerValues(headers: [string, string][], name: string): string[] {
  return headers.filter(([n]) => n.toLowerCase() === name.toLowerCase()).map(([, v]) => v);
}

export function jsonBody(body: Buffer): unknown {
  return JSON.parse(body.toString('utf8'));
}

export function parseEvent(bytes: Buffer): Record<string, unknown> {
  return JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
}
