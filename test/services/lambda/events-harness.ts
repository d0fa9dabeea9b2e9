import { bufferBody, requestId, responseBytes } from '../../../src/core/index.js';
import { LambdaService, type LambdaBackend } from '../../../src/services/lambda/index.js';
import { EventsHarness } from '../../events/harness.js';
import { BASE_URL, type Answer, type Call } from './harness.js';

/**
 * The Lambda API over a node's event machinery (test/events/harness.ts): event source mappings, event invoke
 * configurations and the async queue behind real SQS and DynamoDB services, on a FakeClock.
 */
export class LambdaEventsHarness {
  private constructor(
    readonly events: EventsHarness,
    readonly service: LambdaService,
  ) {}

  static async start(): Promise<LambdaEventsHarness> {
    const events = await EventsHarness.open();
    const backend: LambdaBackend = {
      registry: events.registry,
      invokeSync: (name, qualifier, input) => events.sync.invokeSync(name, qualifier, input),
      invokeAsync: async (name, qualifier, input) => {
        await events.registry.resolve(name, qualifier);
        await events.async.accept({ requestId: input.requestId, functionName: name, qualifier, payload: input.payload.toString('base64') });
      },
      provisionedReady: () => 0,
      eventSourceMappings: events.mappings,
      eventInvokeConfigs: events.configs,
    };
    return new LambdaEventsHarness(events, new LambdaService(backend, { region: 'us-east-1', accountId: '000000000000' }));
  }

  async call(call: Call): Promise<Answer> {
    const body = call.body === undefined ? Buffer.alloc(0) : Buffer.from(typeof call.body === 'string' ? call.body : JSON.stringify(call.body));
    const headers = Object.fromEntries(Object.entries(call.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
    const host = new URL(BASE_URL).host;
    const response = await this.service.handle({
      method: call.method,
      rawPath: call.path,
      query: new URLSearchParams(call.query ?? {}),
      headers,
      rawHeaders: Object.entries(headers).flat(),
      body: bufferBody(body),
      requestId: requestId(),
      host,
      baseUrl: BASE_URL,
      sourceIp: '127.0.0.1',
    });
    const raw = await responseBytes(response.body);
    const answerHeaders = Object.fromEntries(Object.entries(response.headers ?? {}).map(([k, v]) => [k, typeof v === 'string' ? v : v.join(', ')]));
    return { status: response.status, headers: answerHeaders, raw, json: () => JSON.parse(raw.toString('utf8')) as Record<string, unknown> };
  }

  close(): Promise<void> {
    return this.events.close();
  }
}
