import {
  CreateFunctionCommand,
  DeleteFunctionCommand,
  GetFunctionCommand,
  type LambdaClient,
  ListTagsCommand,
  PublishVersionCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNT, fnArn, refusal, REGION, startClientNode, type ClientNode } from './clients.js';
import { echoZip, ROLE } from './harness.js';

/**
 * Function tags through real clients. Expected answers and messages are AWS's, as LocalStack's recordings of Lambda
 * hold them (tests/aws/services/lambda_/test_lambda_api.snapshot.json): TestLambdaTags::test_tag_exceptions,
 * test_tag_limits, test_tag_versions, test_tag_lifecycle; TestLambdaTag::test_create_tag_on_fn_create,
 * test_tag_exceptions, test_tag_nonexisting_resource.
 */

describe('Lambda API: tags', () => {
  let node: ClientNode;
  let lambda: LambdaClient;

  const create = (name: string, tags?: Record<string, string>): Promise<unknown> =>
    lambda.send(new CreateFunctionCommand({ FunctionName: name, Runtime: 'nodejs20.x', Role: ROLE, Handler: 'index.handler', Code: { ZipFile: echoZip() }, Tags: tags }));
  const tagsOf = async (arn: string): Promise<Record<string, string> | undefined> => (await lambda.send(new ListTagsCommand({ Resource: arn }))).Tags;

  beforeAll(async () => {
    node = await startClientNode();
    lambda = node.lambda;
  });
  afterAll(async () => {
    await node.close();
  });

  it('keeps the Tags given to CreateFunction and shows them in GetFunction and ListTags', async () => {
    await create('tagged-on-create', { testtag: 'custom' });
    expect((await lambda.send(new GetFunctionCommand({ FunctionName: 'tagged-on-create' }))).Tags).toEqual({ testtag: 'custom' });
    expect(await tagsOf(fnArn('tagged-on-create'))).toEqual({ testtag: 'custom' });
  });

  it('adds, overwrites and removes tags; GetFunction leaves Tags out once none are left', async () => {
    await create('tag-lifecycle', { key_a: 'value_a' });
    const arn = fnArn('tag-lifecycle');
    const tagged = await lambda.send(new TagResourceCommand({ Resource: arn, Tags: { key_b: 'value_b', key_c: 'value_c', key_d: 'value_d', key_e: 'value_e' } }));
    expect(tagged.$metadata.httpStatusCode).toBe(204);
    await lambda.send(new TagResourceCommand({ Resource: arn, Tags: { key_b: 'value_b', key_c: 'value_x' } }));
    expect(await tagsOf(arn)).toEqual({ key_a: 'value_a', key_b: 'value_b', key_c: 'value_x', key_d: 'value_d', key_e: 'value_e' });
    const untagged = await lambda.send(new UntagResourceCommand({ Resource: arn, TagKeys: ['key_c', 'key_d', 'not-there'] }));
    expect(untagged.$metadata.httpStatusCode).toBe(204);
    expect((await lambda.send(new GetFunctionCommand({ FunctionName: arn }))).Tags).toEqual({ key_a: 'value_a', key_b: 'value_b', key_e: 'value_e' });
    await lambda.send(new UntagResourceCommand({ Resource: arn, TagKeys: ['key_a', 'key_b', 'key_e'] }));
    expect(await tagsOf(arn)).toEqual({});
    expect((await lambda.send(new GetFunctionCommand({ FunctionName: arn }))).Tags).toBeUndefined();

    await lambda.send(new DeleteFunctionCommand({ FunctionName: 'tag-lifecycle' }));
    expect(await refusal(tagsOf(arn))).toEqual({ name: 'ResourceNotFoundException', status: 404, message: `Function not found: ${arn}` });
    await create('tag-lifecycle');
    expect(await tagsOf(arn)).toEqual({});
  });

  it('lists tags by key', async () => {
    await create('tag-order');
    await lambda.send(new TagResourceCommand({ Resource: fnArn('tag-order'), Tags: { b: '2', '10_key': 'x', a: '1', '1_key': 'y' } }));
    expect(Object.keys((await tagsOf(fnArn('tag-order'))) ?? {})).toEqual(['10_key', '1_key', 'a', 'b']);
  });

  it('refuses what Lambda refuses, in its words', async () => {
    await create('tag-errors');
    const arn = fnArn('tag-errors');
    expect(await refusal(lambda.send(new TagResourceCommand({ Resource: 'arn:aws:something', Tags: { a: 'b' } })))).toMatchObject({
      name: 'ValidationException', status: 400, message: expect.stringMatching(/^1 validation error detected: Value 'arn:aws:something' at 'resource' failed to satisfy constraint: Member must satisfy regular expression pattern: /),
    });
    expect(await refusal(lambda.send(new TagResourceCommand({ Resource: fnArn('doesnotexist'), Tags: { a: 'b' } })))).toEqual({
      name: 'ResourceNotFoundException', status: 404, message: `Function not found: ${fnArn('doesnotexist')}`,
    });
    const qualified = 'Tags on function aliases and versions are not supported. Please specify a function ARN.';
    expect(await refusal(lambda.send(new TagResourceCommand({ Resource: `${arn}:v1`, Tags: { a: 'b' } })))).toEqual({ name: 'InvalidParameterValueException', status: 400, message: qualified });
    const version = (await lambda.send(new PublishVersionCommand({ FunctionName: 'tag-errors' }))).Version ?? '';
    expect(await refusal(lambda.send(new TagResourceCommand({ Resource: fnArn('tag-errors', version), Tags: { a: 'b' } })))).toMatchObject({ message: qualified });
    expect(await refusal(lambda.send(new TagResourceCommand({ Resource: fnArn('tag-errors', '$LATEST'), Tags: { a: 'b' } })))).toMatchObject({ message: qualified });
    expect(await refusal(lambda.send(new ListTagsCommand({ Resource: `${arn}:alias` })))).toMatchObject({ name: 'InvalidParameterValueException', message: qualified });
    expect(await refusal(lambda.send(new TagResourceCommand({ Resource: arn, Tags: {} })))).toEqual({
      name: 'InvalidParameterValueException', status: 400, message: 'An error occurred and the request cannot be processed.',
    });
    expect(await refusal(lambda.send(new UntagResourceCommand({ Resource: arn, TagKeys: [] })))).toEqual({
      name: 'ValidationException', status: 400, message: "1 validation error detected: Value null at 'tagKeys' failed to satisfy constraint: Member must not be null",
    });
    const mapping = `arn:aws:lambda:${REGION}:${ACCOUNT}:event-source-mapping:a2ac2b5f-6e0f-4a85-a1f4-7f5a1c1f3a11`;
    expect(await refusal(lambda.send(new ListTagsCommand({ Resource: mapping })))).toEqual({
      name: 'ResourceNotFoundException', status: 404, message: `Event source mapping not found: ${mapping}`,
    });
  });

  it('allows 50 tags on a function and no more', async () => {
    const many = (count: number, from = 0): Record<string, string> => Object.fromEntries(Array.from({ length: count }, (_, i) => [`${i + from}_key`, `${i + from}_value`]));
    const limit = { name: 'InvalidParameterValueException', status: 400, message: 'Number of tags exceeds resource tag limit.' };
    expect(await refusal(create('tag-limits-create', many(51)))).toEqual(limit);
    await create('tag-limits');
    expect(await refusal(lambda.send(new TagResourceCommand({ Resource: fnArn('tag-limits'), Tags: many(51) })))).toEqual(limit);
    await lambda.send(new TagResourceCommand({ Resource: fnArn('tag-limits'), Tags: many(50) }));
    expect(Object.keys((await tagsOf(fnArn('tag-limits'))) ?? {})).toHaveLength(50);
    expect(await refusal(lambda.send(new TagResourceCommand({ Resource: fnArn('tag-limits'), Tags: { a_key: 'a_value' } })))).toEqual(limit);
  });

  it("drives tag-resource, list-tags and untag-resource with Debian's aws CLI, and list_tags with boto3", async () => {
    await create('tag-clients');
    const arn = fnArn('tag-clients');
    const aws = (...args: string[]): Promise<string> => node.aws(...args);
    expect(await aws('tag-resource', '--resource', arn, '--tags', 'team=core,stage=dev')).toBe('');
    expect(JSON.parse(await aws('list-tags', '--resource', arn))).toEqual({ Tags: { stage: 'dev', team: 'core' } });
    await aws('untag-resource', '--resource', arn, '--tag-keys', 'stage');

    const script = `
import boto3, json, sys
client = boto3.client('lambda', endpoint_url=sys.argv[1], region_name='${REGION}', aws_access_key_id='test', aws_secret_access_key='test')
print(json.dumps(client.list_tags(Resource=sys.argv[2])['Tags']))
`;
    expect(JSON.parse(await node.boto(script, arn))).toEqual({ team: 'core' });
  });
});
