import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SNS_ERROR_TYPES, SNS_FRAMEWORK_ERRORS, SNS_MODEL } from '../../../src/services/sns/index.js';
import { expectErrorsInModel } from '../../protocol/error-contract.js';
import { SnsHarness, mapParams, textOf, topicArnOf } from './harness.js';

describe('SNS error contract', () => {
  it('sends only error shapes of its model, or the framework errors it names', () => {
    expectErrorsInModel(SNS_MODEL, SNS_ERROR_TYPES, SNS_FRAMEWORK_ERRORS);
  });

  describe('on the wire', () => {
    let h: SnsHarness;
    let disabledEndpoint = '';
    beforeAll(async () => {
      h = await SnsHarness.start();
      await h.createTopic('contract');
      const app = textOf(await h.ok('CreatePlatformApplication', { Name: 'app', Platform: 'GCM', ...mapParams('Attributes', { PlatformCredential: 'key', PlatformPrincipal: 'p' }) }), 'PlatformApplicationArn')!;
      disabledEndpoint = textOf(await h.ok('CreatePlatformEndpoint', { PlatformApplicationArn: app, Token: 't', ...mapParams('Attributes', { Enabled: 'false' }) }), 'EndpointArn')!;
    });
    afterAll(async () => {
      await h.close();
    });

    const entries = (count: number, id = (i: number) => String(i), message = 'm'): Record<string, string> =>
      Object.assign({}, ...Array.from({ length: count }, (_, i) => ({ [`PublishBatchRequestEntries.member.${i + 1}.Id`]: id(i + 1), [`PublishBatchRequestEntries.member.${i + 1}.Message`]: message })));
    const tags = (count: number): Record<string, string> =>
      Object.assign({}, ...Array.from({ length: count }, (_, i) => ({ [`Tags.member.${i + 1}.Key`]: `k${i}`, [`Tags.member.${i + 1}.Value`]: 'v' })));

    /** One call per code SNS sends before or while running an operation, with the status the model gives it. */
    const CASES: [string, number, string, Record<string, string>?][] = [
      ['NotFound', 404, 'GetTopicAttributes', { TopicArn: topicArnOf('none') }],
      ['ResourceNotFound', 404, 'ListTagsForResource', { ResourceArn: topicArnOf('none') }],
      ['InvalidParameter', 400, 'GetTopicAttributes', { TopicArn: 'nope' }],
      ['ParameterValueInvalid', 400, 'Publish', { TopicArn: topicArnOf('contract'), Message: 'm', 'MessageAttributes.entry.1.Name': 'a', 'MessageAttributes.entry.1.Value.DataType': 'Other', 'MessageAttributes.entry.1.Value.StringValue': 'x' }],
      ['EmptyBatchRequest', 400, 'PublishBatch', { TopicArn: topicArnOf('contract'), PublishBatchRequestEntries: '' }],
      ['TooManyEntriesInBatchRequest', 400, 'PublishBatch', { TopicArn: topicArnOf('contract'), ...entries(11) }],
      ['BatchEntryIdsNotDistinct', 400, 'PublishBatch', { TopicArn: topicArnOf('contract'), ...entries(2, () => 'same') }],
      ['InvalidBatchEntryId', 400, 'PublishBatch', { TopicArn: topicArnOf('contract'), ...entries(1, () => 'a.b') }],
      ['BatchRequestTooLong', 400, 'PublishBatch', { TopicArn: topicArnOf('contract'), ...entries(2, undefined, 'x'.repeat(200_000)) }],
      ['TagLimitExceeded', 400, 'TagResource', { ResourceArn: topicArnOf('contract'), ...tags(51) }],
      ['ValidationError', 400, 'CreateTopic', mapParams('Attributes', {})],
      ['InvalidAction', 400, 'ListOriginationNumbers'],
      ['EndpointDisabled', 400, 'Publish', { TargetArn: 'DISABLED_ENDPOINT', Message: 'm' }],
    ];

    it.each(CASES)('%s (%i)', async (code, status, action, params) => {
      const resolved = Object.fromEntries(Object.entries(params ?? {}).map(([name, value]) => [name, value === 'DISABLED_ENDPOINT' ? disabledEndpoint : value]));
      const reply = await h.call(action, resolved);
      expect([reply.status, reply.error?.code]).toEqual([status, code]);
      const type = SNS_MODEL.errorShape(code) ?? code;
      expect([...SNS_ERROR_TYPES, ...Object.keys(SNS_FRAMEWORK_ERRORS)]).toContain(type);
    });

    it('MissingAction (400) for an empty Action', async () => {
      const reply = await h.call('', {});
      expect([reply.status, reply.error?.code, reply.error?.message]).toEqual([400, 'MissingAction', 'Missing Action']);
    });
  });
});
