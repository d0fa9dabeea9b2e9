/** Records Scheduler keeps, and the hooks the platform implements to reach targets. */
import type { FlexibleTimeWindow, Tag, Target } from './api.js';

export const DEFAULT_GROUP = 'default';

export interface GroupRecord {
  name: string;
  arn: string;
  /** Epoch ms. */
  createdAt: number;
  modifiedAt: number;
  tags: Tag[];
}

export type ScheduleState = 'ENABLED' | 'DISABLED';
export type CompletionAction = 'NONE' | 'DELETE';

/** A schedule as stored: what the user gave (the Target as given, defaults added on read) and its firing state. */
export interface ScheduleRecord {
  name: string;
  group: string;
  arn: string;
  createdAt: number;
  modifiedAt: number;
  expression: string;
  /** As given; absent means UTC. */
  timezone?: string;
  startDate?: number;
  endDate?: number;
  description?: string;
  state: ScheduleState;
  flexibleTimeWindow: FlexibleTimeWindow;
  target: Target;
  actionAfterCompletion: CompletionAction;
  kmsKeyArn?: string;
  clientToken?: string;
  /** Epoch ms from which a rate counts its periods: StartDate, or when the schedule got its expression. */
  anchor: number;
  /** Changes on every update, so a timer armed for an older version of the schedule does nothing. */
  generation: number;
  /** The scheduled instant of the last invocation stored for delivery. */
  lastFiredAt?: number;
  /** No invocation is left (a one-time schedule fired, or the next one falls after EndDate). */
  completed?: boolean;
}

/** An SQS message attribute as Scheduler sets it on dead-letter messages. */
export interface StringAttribute {
  DataType: 'String' | 'Number';
  StringValue: string;
}

/**
 * Where invocations go; the platform implements it. A rejection with a FlintError whose code is NOT_FOUND,
 * FUNCTION_NOT_FOUND or INVALID_PARAMETER is a client-side error (the target is gone or refuses the message):
 * Scheduler does not retry it. Anything else is retried under the target's RetryPolicy.
 */
export interface SchedulerTargets {
  /** Invokes the function asynchronously (Lambda's Event invocation); resolves once the event is accepted. */
  invokeFunction(functionArn: string, payload: string, requestId: string): Promise<void>;
  sendToQueue(queueArn: string, body: string, options?: { messageGroupId?: string; deduplicationId?: string; attributes?: Record<string, StringAttribute> }): Promise<void>;
  publish(topicArn: string, message: string): Promise<void>;
}
