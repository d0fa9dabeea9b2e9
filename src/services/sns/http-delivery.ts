import type { Clock } from '../../core/index.js';

/**
 * One POST to an HTTP(S) subscriber. SNS counts a response from 200 to 499 as delivered; a 5xx, a network error
 * or no answer within 15 seconds is a failed attempt, retried by the subscription's delivery policy.
 */
export const HTTP_TIMEOUT_MS = 15_000;

export class HttpDeliveryError extends Error {
  override readonly name = 'HttpDeliveryError';
}

export async function postToEndpoint(url: string, headers: Record<string, string>, body: string, clock: Clock, stop: AbortSignal): Promise<void> {
  if (stop.aborted) throw new HttpDeliveryError(`POST ${url} not attempted: SNS is shutting down`);
  const controller = new AbortController();
  const abort = (): void => controller.abort();
  stop.addEventListener('abort', abort);
  const timer = clock.setTimer(HTTP_TIMEOUT_MS, abort);
  try {
    const response = await fetch(url, { method: 'POST', headers, body, signal: controller.signal, redirect: 'manual' });
    await response.arrayBuffer().catch(() => undefined);
    if (response.status < 200 || response.status >= 500) throw new HttpDeliveryError(`${url} answered HTTP ${response.status}`);
  } catch (error) {
    if (error instanceof HttpDeliveryError) throw error;
    const reason = controller.signal.aborted && !stop.aborted ? `no answer within ${HTTP_TIMEOUT_MS / 1000} s` : error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
    throw new HttpDeliveryError(`POST ${url} failed: ${reason}`);
  } finally {
    timer.cancel();
    stop.removeEventListener('abort', abort);
  }
}
