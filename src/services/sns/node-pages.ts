import type { ServiceRequest, ServiceResponse } from '../../core/index.js';
import type { SnsContext } from './context.js';
import type { RecordedDelivery } from './delivery-items.js';
import { CERTIFICATE_PATH } from './signing.js';
import { optOut } from './sms.js';

/**
 * SNS's pages on the node, under /_flint/sns/ (the gateway routes them here, unsigned), in the admin API's style
 * (JSON, errors as {"error": {"code", "message"}}):
 * - GET  /_flint/sns/SimpleNotificationService-flint.pem: the signing certificate, the SigningCertURL of every
 *   signed message.
 * - GET  /_flint/sns/deliveries[?protocol=sms|email|email-json|application&endpoint=…&topicArn=…]: what SNS
 *   "sent" to phones, mailboxes and mobile endpoints, oldest first: {"deliveries": [...]}.
 * - POST /_flint/sns/opted-out {"phoneNumber": "+1…"}: opts a number out, as a "STOP" reply does on AWS.
 */
export const NODE_PAGES = '/_flint/sns/';

export async function nodePage(ctx: SnsContext, request: ServiceRequest): Promise<ServiceResponse> {
  const { method, rawPath } = request;
  if (rawPath === CERTIFICATE_PATH && (method === 'GET' || method === 'HEAD')) {
    const certificate = (await ctx.signer()).certificate;
    return { status: 200, headers: { 'content-type': 'application/x-pem-file' }, body: method === 'HEAD' ? '' : certificate };
  }
  if (rawPath === `${NODE_PAGES}deliveries` && method === 'GET') return json(200, { deliveries: filtered(await ctx.state.recordedDeliveries(), request.query) });
  if (rawPath === `${NODE_PAGES}opted-out` && method === 'POST') return optOutPage(ctx, request);
  return json(404, { error: { code: 'NOT_FOUND', message: `no SNS page ${method} ${rawPath}` } });
}

function filtered(deliveries: RecordedDelivery[], query: URLSearchParams): RecordedDelivery[] {
  const wanted = (['protocol', 'endpoint', 'topicArn', 'subscriptionArn', 'messageId'] as const).flatMap((field) => {
    const value = query.get(field);
    return value === null ? [] : [[field, value] as const];
  });
  return deliveries.filter((delivery) => wanted.every(([field, value]) => delivery[field] === value));
}

async function optOutPage(ctx: SnsContext, request: ServiceRequest): Promise<ServiceResponse> {
  const body = await request.body.read(64 * 1024);
  let phoneNumber: unknown;
  try {
    phoneNumber = (JSON.parse(body?.toString('utf8') ?? '') as { phoneNumber?: unknown }).phoneNumber;
  } catch {
    phoneNumber = undefined;
  }
  if (typeof phoneNumber !== 'string') return json(400, { error: { code: 'INVALID_REQUEST', message: 'expected a JSON body {"phoneNumber": "+…"}' } });
  await optOut(ctx, phoneNumber);
  return json(200, { optedOut: phoneNumber });
}

function json(status: number, body: unknown): ServiceResponse {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}
