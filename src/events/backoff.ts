/**
 * Capped exponential backoff: `first` before the first retry, doubling with each one after, never more than `max`.
 * `retry` counts from 1. Shared by the stream and queue pollers, EventBridge deliveries and Scheduler invocations.
 */
export function cappedBackoff(retry: number, first: number, max: number): number {
  return Math.min(first * 2 ** (retry - 1), max);
}
