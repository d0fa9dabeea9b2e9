import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flintUp, runFlint, type RunningFlint } from '../../test/helpers/cli.js';

describe('example: sam-toolbox (a SAM template with a layer, a shell custom runtime, Python and SNS → SQS)', () => {
  let flint: RunningFlint;
  beforeAll(async () => {
    flint = await flintUp(import.meta.dirname, ['--no-watch']);
  });
  afterAll(async () => {
    await flint?.stop();
  });

  it('deploys from template.yaml and prints its Outputs', () => {
    expect(flint.output()).toContain('layer toolbox-tools');
    expect(flint.output()).toContain('GreetingsLogUrl');
  });

  it("runs the shell bootstrap with bash's pipefail and the layer's command on PATH", async () => {
    const res = await fetch(`${flint.url}/shout/hello`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ shouted: 'HELLO' });
  });

  it("greets with the layer's Python module and copies the greeting through the topic to the queue", async () => {
    const res = await fetch(`${flint.url}/greet/ada`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ greeting: 'Hello, ada!' });
    const sqs = new SQSClient({ endpoint: flint.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    const QueueUrl = `${flint.url}/000000000000/sam-toolbox-GreetingsLog`;
    const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 10 }));
    expect(received.Messages?.[0]?.Body).toBe('Hello, ada!');
  });

  it('exports back to a SAM template with the layer, both functions and the subscription', async () => {
    const exported = await runFlint(['export', 'sam', import.meta.dirname]);
    expect(exported.code).toBe(0);
    expect(exported.stdout).toContain('AWS::Serverless::LayerVersion');
    expect(exported.stdout).toContain('provided.al2023');
    expect(exported.stdout).toContain('python3.12');
    expect(exported.stdout).toContain('AWS::SNS::Topic');
  });
});
