import { EventsHarness } from '../../events/harness.js';
import { callLambda, type Answer, type Call } from './harness.js';

/**
 * The Lambda API of the node the events harness runs (test/events/harness.ts): event source mappings, event invoke
 * configurations and the async queue behind real SQS and DynamoDB services, on a FakeClock.
 */
export class LambdaEventsHarness {
  private constructor(readonly events: EventsHarness) {}

  static async start(): Promise<LambdaEventsHarness> {
    return new LambdaEventsHarness(await EventsHarness.open());
  }

  call(call: Call): Promise<Answer> {
    return callLambda(this.events.node, call);
  }

  close(): Promise<void> {
    return this.events.close();
  }
}
