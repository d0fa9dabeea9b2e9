import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { callJson, callQuery, openHarness, sqsRequest, type RequestInit, type SqsHarness } from './node.js';
import { text } from './xml.js';

let h: SqsHarness;
beforeEach(async () => {
  h = await openHarness();
});
afterEach(async () => {
  await h.close();
});

function raw(headers: Record<string, string>, body: string, extra: Partial<RequestInit> = {}) {
  return h.service.handle(sqsRequest({ headers, body, ...extra }));
}

describe('wire protocols', () => {
  it('refuses unknown actions in both protocols, and names operations Flint lacks as unsupported', async () => {
    const viaQuery = await callQuery(h.service, { Action: 'FlyAway' });
    expect(viaQuery.status).toBe(400);
    expect(text(viaQuery.xml, 'Code')).toBe('InvalidAction');
    expect(text(viaQuery.xml, 'Message')).toBe('The action FlyAway is not valid for this endpoint.');
    const viaJson = await callJson(h.service, 'FlyAway', {});
    expect(viaJson.headers['x-amzn-query-error']).toBe('InvalidAction;Sender');
    expect(viaJson.body.__type).toBe('com.amazon.coral.service#UnknownOperationException');
    const unsupported = await callJson(h.service, 'StartMessageMoveTask', {});
    expect(unsupported.headers['x-amzn-query-error']).toBe('AWS.SimpleQueueService.UnsupportedOperation;Sender');
  });

  it('reports a missing required parameter as MissingParameter', async () => {
    const viaJson = await callJson(h.service, 'SendMessage', { MessageBody: 'x' });
    expect(viaJson.body).toEqual({ __type: 'com.amazon.coral.service#MissingRequiredParameterException', message: 'The request must contain the parameter QueueUrl.' });
    const viaQuery = await callQuery(h.service, { Action: 'GetQueueUrl' });
    expect(text(viaQuery.xml, 'Code')).toBe('MissingParameter');
    expect(text(viaQuery.xml, 'Message')).toBe('The request must contain the parameter QueueName.');
  });

  it('refuses a JSON body that does not parse', async () => {
    const answer = await raw({ 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.ListQueues' }, '{not json');
    expect(answer.status).toBe(400);
    expect(answer.headers?.['x-amzn-query-error']).toBe('MalformedQueryString;Sender');
  });

  it('words a missing queue as the query protocol does', async () => {
    const missing = await callQuery(h.service, { Action: 'GetQueueUrl', QueueName: 'absent' });
    expect(missing.xml).toBe(
      '<?xml version="1.0"?><ErrorResponse xmlns="http://queue.amazonaws.com/doc/2012-11-05/"><Error><Type>Sender</Type><Code>AWS.SimpleQueueService.NonExistentQueue</Code><Message>The specified queue does not exist for this wsdl version.</Message><Detail/></Error><RequestId>req-1</RequestId></ErrorResponse>',
    );
  });

  it('answers an oversized request with the size error of the operation', async () => {
    const batch = await raw({ 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.SendMessageBatch', 'content-length': '9000000' }, '', { bodyTooLarge: true });
    expect(batch.headers?.['x-amzn-query-error']).toBe('AWS.SimpleQueueService.BatchRequestTooLong;Sender');
    const form = await raw({ 'content-type': 'application/x-www-form-urlencoded' }, '', { bodyTooLarge: true });
    expect(String(form.body)).toContain('<Code>InvalidParameterValue</Code>');
    expect(h.service.bodyLimit()).toBeGreaterThan(3 * 1_048_576);
  });

  it('reads query parameters from the URL of a GET request', async () => {
    await callJson(h.service, 'CreateQueue', { QueueName: 'q' });
    const answer = await raw({}, '', { method: 'GET', query: new URLSearchParams({ Action: 'GetQueueUrl', QueueName: 'q', Version: '2012-11-05' }) });
    expect(String(answer.body)).toContain('<QueueUrl>http://localhost:4566/000000000000/q</QueueUrl>');
  });
});
