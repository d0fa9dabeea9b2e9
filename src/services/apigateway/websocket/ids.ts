import { randomBytes } from 'node:crypto';

/**
 * Ids as API Gateway's WebSocket APIs spell them: 11 random bytes in URL-safe base64 with one '=' of padding, such as
 * the connection id `L0SM9cOFvHcCIhw=` in AWS's documentation
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-how-to-call-websocket-api-connections.html);
 * request and message ids have the same form in AWS's sample events.
 */
export function gatewayId(): string {
  return `${randomBytes(11).toString('base64url')}=`;
}
