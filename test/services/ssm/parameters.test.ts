import {
  AddTagsToResourceCommand,
  DeleteParameterCommand,
  DeleteParametersCommand,
  DescribeParametersCommand,
  GetParameterCommand,
  GetParameterHistoryCommand,
  GetParametersByPathCommand,
  GetParametersCommand,
  LabelParameterVersionCommand,
  ListTagsForResourceCommand,
  PutParameterCommand,
  RemoveTagsFromResourceCommand,
  SSMClient,
  UnlabelParameterVersionCommand,
} from '@aws-sdk/client-ssm';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestNode, type TestNode } from '../../helpers/node.js';
import { failure } from './support.js';

let test: TestNode;
let ssm: SSMClient;

beforeAll(async () => {
  test = await startTestNode();
  ssm = new SSMClient(test.config);
});

afterAll(async () => {
  ssm.destroy();
  await test.close();
});

describe('PutParameter and GetParameter', () => {
  it('stores a String parameter and reads it back with its ARN, version and data type', async () => {
    const put = await ssm.send(new PutParameterCommand({ Name: '/app/db/host', Value: 'db.local', Type: 'String' }));
    expect(put).toMatchObject({ Version: 1, Tier: 'Standard' });
    const { Parameter } = await ssm.send(new GetParameterCommand({ Name: '/app/db/host' }));
    // The ARN drops the name's leading slash (LocalStack's recording, test_ssm.snapshot.json test_parameters_with_path).
    expect(Parameter).toMatchObject({ Name: '/app/db/host', Type: 'String', Value: 'db.local', Version: 1, DataType: 'text', ARN: 'arn:aws:ssm:us-east-1:000000000000:parameter/app/db/host' });
    expect(Parameter?.LastModifiedDate).toBeInstanceOf(Date);
    const byArn = await ssm.send(new GetParameterCommand({ Name: Parameter!.ARN }));
    expect(byArn.Parameter?.Value).toBe('db.local');
  });

  it('refuses to replace a parameter without Overwrite, and counts versions with it', async () => {
    await ssm.send(new PutParameterCommand({ Name: 'plain-name', Value: 'one', Type: 'String', Description: 'kept' }));
    const refused = await failure(ssm.send(new PutParameterCommand({ Name: 'plain-name', Value: 'two', Type: 'String' })));
    expect(refused).toEqual({ name: 'ParameterAlreadyExists', message: 'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.' });
    const second = await ssm.send(new PutParameterCommand({ Name: 'plain-name', Value: 'two', Overwrite: true }));
    expect(second.Version).toBe(2);
    const history = await ssm.send(new GetParameterHistoryCommand({ Name: 'plain-name' }));
    expect(history.Parameters?.map((p) => [p.Version, p.Value, p.Description])).toEqual([
      [1, 'one', 'kept'],
      [2, 'two', 'kept'],
    ]);
    expect((await ssm.send(new GetParameterCommand({ Name: 'plain-name:1' }))).Parameter).toMatchObject({ Value: 'one', Selector: ':1', Version: 1 });
  });

  it('shows a SecureString encrypted without WithDecryption, in plain with it, under alias/aws/ssm', async () => {
    await ssm.send(new PutParameterCommand({ Name: '/app/db/password', Value: 's3cret!', Type: 'SecureString' }));
    const hidden = (await ssm.send(new GetParameterCommand({ Name: '/app/db/password' }))).Parameter!;
    expect(hidden.Type).toBe('SecureString');
    expect(hidden.Value).not.toContain('s3cret');
    expect(hidden.Value).toMatch(/^[A-Za-z0-9+/]+=*$/);
    const shown = (await ssm.send(new GetParameterCommand({ Name: '/app/db/password', WithDecryption: true }))).Parameter!;
    expect(shown.Value).toBe('s3cret!');
    const described = await ssm.send(new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Name', Values: ['/app/db/password'] }] }));
    expect(described.Parameters?.[0]).toMatchObject({ Name: '/app/db/password', Type: 'SecureString', KeyId: 'alias/aws/ssm' });
  });

  it('stores a StringList as its comma-separated value', async () => {
    await ssm.send(new PutParameterCommand({ Name: '/app/hosts', Value: 'a,b,c', Type: 'StringList' }));
    expect((await ssm.send(new GetParameterCommand({ Name: '/app/hosts' }))).Parameter).toMatchObject({ Type: 'StringList', Value: 'a,b,c' });
  });

  it('answers ParameterNotFound for a missing parameter and ParameterVersionNotFound for a missing version', async () => {
    expect((await failure(ssm.send(new GetParameterCommand({ Name: '/nope' })))).name).toBe('ParameterNotFound');
    const version = await failure(ssm.send(new GetParameterCommand({ Name: '/app/db/host:9' })));
    expect(version).toEqual({ name: 'ParameterVersionNotFound', message: 'Systems Manager could not find version 9 of /app/db/host. Verify the version and try again.' });
  });

  it('refuses names as SSM does: relative paths, empty levels, the aws prefix, more than 15 levels', async () => {
    // LocalStack's test_hierarchical_parameter: "<p>/b/c" and "/<p>//b//c" fail with this wording on AWS.
    for (const Name of ['rel/b/c', '/x//b//c', '/aws/mine', 'ssm-thing', '/a b']) {
      const refused = await failure(ssm.send(new PutParameterCommand({ Name, Value: 'v', Type: 'String' })));
      expect(refused.name, Name).toBe('ValidationException');
      expect(refused.message).toContain('sub-paths divided by slash symbol');
    }
    const deep = `/${Array.from({ length: 16 }, (_, i) => `l${i}`).join('/')}`;
    expect((await failure(ssm.send(new PutParameterCommand({ Name: deep, Value: 'v', Type: 'String' })))).name).toBe('HierarchyLevelLimitExceededException');
    const fifteen = `/${Array.from({ length: 15 }, (_, i) => `l${i}`).join('/')}`;
    expect((await ssm.send(new PutParameterCommand({ Name: fifteen, Value: 'v', Type: 'String' }))).Version).toBe(1);
  });

  it('checks AllowedPattern, the type of a new parameter, tags with Overwrite, and the standard tier size', async () => {
    const mismatch = await failure(ssm.send(new PutParameterCommand({ Name: '/app/port', Value: 'abc', Type: 'String', AllowedPattern: '^\\d+$' })));
    expect(mismatch).toEqual({ name: 'ParameterPatternMismatchException', message: 'Parameter value, cannot be validated against allowedPattern: ^\\d+$' });
    expect((await failure(ssm.send(new PutParameterCommand({ Name: '/app/untyped', Value: 'x' })))).message).toBe('A parameter type is required when you create a parameter.');
    const tagged = await failure(ssm.send(new PutParameterCommand({ Name: '/app/db/host', Value: 'x', Overwrite: true, Tags: [{ Key: 'a', Value: 'b' }] })));
    expect(tagged.message).toContain("tags and overwrite can't be used together");
    const big = 'x'.repeat(5000);
    expect((await failure(ssm.send(new PutParameterCommand({ Name: '/app/big', Value: big, Type: 'String' })))).message).toMatch(/^Standard tier parameters support a maximum parameter value of 4096 characters/);
    expect(await ssm.send(new PutParameterCommand({ Name: '/app/big', Value: big, Type: 'String', Tier: 'Intelligent-Tiering' }))).toMatchObject({ Tier: 'Advanced' });
    expect(await ssm.send(new PutParameterCommand({ Name: '/app/ami', Value: 'ami-0123456789abcdef0', Type: 'String', DataType: 'aws:ec2:image' }))).toMatchObject({ Version: 1 });
    expect((await failure(ssm.send(new PutParameterCommand({ Name: '/app/ami2', Value: 'not-an-ami', Type: 'String', DataType: 'aws:ec2:image' })))).name).toBe('ValidationException');
  });
});

describe('paths, queries and deletes', () => {
  beforeAll(async () => {
    for (const [Name, Value] of [['/svc/a', '1'], ['/svc/b', '2'], ['/svc/deep/c', '3'], ['/svc/deep/er/d', '4'], ['/svcx/e', '5']] as const) {
      await ssm.send(new PutParameterCommand({ Name, Value, Type: 'String', Tags: [{ Key: 'team', Value: Name.includes('deep') ? 'core' : 'edge' }] }));
    }
  });

  it('lists one level, or every level with Recursive, paging by MaxResults', async () => {
    const one = await ssm.send(new GetParametersByPathCommand({ Path: '/svc' }));
    expect(one.Parameters?.map((p) => p.Name)).toEqual(['/svc/a', '/svc/b']);
    const names: string[] = [];
    let NextToken: string | undefined;
    let pages = 0;
    do {
      const page = await ssm.send(new GetParametersByPathCommand({ Path: '/svc/', Recursive: true, MaxResults: 3, NextToken }));
      names.push(...(page.Parameters ?? []).map((p) => p.Name!));
      NextToken = page.NextToken;
      pages++;
    } while (NextToken);
    expect(names).toEqual(['/svc/a', '/svc/b', '/svc/deep/c', '/svc/deep/er/d']);
    expect(pages).toBe(2);
    const tagged = await ssm.send(new GetParametersByPathCommand({ Path: '/svc', Recursive: true, ParameterFilters: [{ Key: 'tag:team', Values: ['core'] }] }));
    expect(tagged.Parameters?.map((p) => p.Name)).toEqual(['/svc/deep/c', '/svc/deep/er/d']);
    expect((await failure(ssm.send(new GetParametersByPathCommand({ Path: 'svc' })))).name).toBe('ValidationException');
  });

  it('describes parameters by filters, with paging', async () => {
    const begins = await ssm.send(new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Name', Option: 'BeginsWith', Values: ['/svc/deep'] }] }));
    expect(begins.Parameters?.map((p) => p.Name)).toEqual(['/svc/deep/c', '/svc/deep/er/d']);
    const onePath = await ssm.send(new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Path', Option: 'OneLevel', Values: ['/svc/deep'] }] }));
    expect(onePath.Parameters?.map((p) => p.Name)).toEqual(['/svc/deep/c']);
    const legacy = await ssm.send(new DescribeParametersCommand({ Filters: [{ Key: 'Type', Values: ['StringList'] }] }));
    expect(legacy.Parameters?.map((p) => p.Name)).toEqual(['/app/hosts']);
    const first = await ssm.send(new DescribeParametersCommand({ MaxResults: 2 }));
    expect(first.Parameters).toHaveLength(2);
    expect(first.NextToken).toBeDefined();
    // The model's pattern refuses unknown keys first; Name and Path are DescribeParameters' keys, not GetParametersByPath's.
    expect((await failure(ssm.send(new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Colour', Values: ['x'] }] })))).name).toBe('ValidationException');
    expect((await failure(ssm.send(new GetParametersByPathCommand({ Path: '/svc', ParameterFilters: [{ Key: 'Name', Values: ['x'] }] })))).name).toBe('InvalidFilterKey');
  });

  it('gets several at once, naming the missing ones', async () => {
    const got = await ssm.send(new GetParametersCommand({ Names: ['/svc/a', '/missing', '/svc/b:1', '/svc/b:7'] }));
    expect(got.Parameters?.map((p) => [p.Name, p.Value])).toEqual([
      ['/svc/a', '1'],
      ['/svc/b', '2'],
    ]);
    expect(got.InvalidParameters).toEqual(['/missing', '/svc/b:7']);
  });

  it('deletes one or several parameters', async () => {
    await ssm.send(new DeleteParameterCommand({ Name: '/svcx/e' }));
    expect((await failure(ssm.send(new DeleteParameterCommand({ Name: '/svcx/e' })))).name).toBe('ParameterNotFound');
    const deleted = await ssm.send(new DeleteParametersCommand({ Names: ['/svc/a', '/gone'] }));
    expect(deleted).toMatchObject({ DeletedParameters: ['/svc/a'], InvalidParameters: ['/gone'] });
  });
});

describe('labels and tags', () => {
  it('labels versions, moves a label, reads by label and removes it', async () => {
    await ssm.send(new PutParameterCommand({ Name: '/lab/flag', Value: 'v1', Type: 'String' }));
    await ssm.send(new PutParameterCommand({ Name: '/lab/flag', Value: 'v2', Type: 'String', Overwrite: true }));
    const labelled = await ssm.send(new LabelParameterVersionCommand({ Name: '/lab/flag', ParameterVersion: 1, Labels: ['prod', 'aws-bad', '1bad'] }));
    expect(labelled).toMatchObject({ ParameterVersion: 1, InvalidLabels: ['aws-bad', '1bad'] });
    expect((await ssm.send(new GetParameterCommand({ Name: '/lab/flag:prod' }))).Parameter).toMatchObject({ Value: 'v1', Selector: ':prod' });
    await ssm.send(new LabelParameterVersionCommand({ Name: '/lab/flag', Labels: ['prod'] }));
    expect((await ssm.send(new GetParameterCommand({ Name: '/lab/flag:prod' }))).Parameter?.Value).toBe('v2');
    const history = await ssm.send(new GetParameterHistoryCommand({ Name: '/lab/flag' }));
    expect(history.Parameters?.map((p) => p.Labels)).toEqual([[], ['prod']]);
    const byLabel = await ssm.send(new GetParametersByPathCommand({ Path: '/lab', ParameterFilters: [{ Key: 'Label', Values: ['prod'] }] }));
    expect(byLabel.Parameters?.map((p) => p.Value)).toEqual(['v2']);
    const unlabelled = await ssm.send(new UnlabelParameterVersionCommand({ Name: '/lab/flag', ParameterVersion: 2, Labels: ['prod', 'other'] }));
    expect(unlabelled).toMatchObject({ RemovedLabels: ['prod'], InvalidLabels: ['other'] });
  });

  it('keeps 100 versions, dropping the oldest, and refuses when the oldest carries a label', async () => {
    await ssm.send(new PutParameterCommand({ Name: '/lab/many', Value: '1', Type: 'String' }));
    await ssm.send(new LabelParameterVersionCommand({ Name: '/lab/many', ParameterVersion: 1, Labels: ['first'] }));
    for (let i = 2; i <= 100; i++) await ssm.send(new PutParameterCommand({ Name: '/lab/many', Value: String(i), Overwrite: true }));
    const refused = await failure(ssm.send(new PutParameterCommand({ Name: '/lab/many', Value: '101', Overwrite: true })));
    expect(refused.name).toBe('ParameterMaxVersionLimitExceeded');
    expect(refused.message).toContain("Version 1, the oldest version, can't be deleted because it has a label associated with it.");
    await ssm.send(new UnlabelParameterVersionCommand({ Name: '/lab/many', ParameterVersion: 1, Labels: ['first'] }));
    expect((await ssm.send(new PutParameterCommand({ Name: '/lab/many', Value: '101', Overwrite: true }))).Version).toBe(101);
    const history = await ssm.send(new GetParameterHistoryCommand({ Name: '/lab/many', MaxResults: 50 }));
    expect(history.Parameters?.[0]?.Version).toBe(2);
    expect(history.NextToken).toBeDefined();
  });

  it('adds, lists and removes tags of a parameter', async () => {
    await ssm.send(new AddTagsToResourceCommand({ ResourceType: 'Parameter', ResourceId: '/lab/flag', Tags: [{ Key: 'env', Value: 'dev' }, { Key: 'owner', Value: 'me' }] }));
    await ssm.send(new RemoveTagsFromResourceCommand({ ResourceType: 'Parameter', ResourceId: '/lab/flag', TagKeys: ['owner'] }));
    expect((await ssm.send(new ListTagsForResourceCommand({ ResourceType: 'Parameter', ResourceId: '/lab/flag' }))).TagList).toEqual([{ Key: 'env', Value: 'dev' }]);
    expect((await failure(ssm.send(new ListTagsForResourceCommand({ ResourceType: 'Parameter', ResourceId: '/lab/none' })))).name).toBe('InvalidResourceId');
  });
});

describe('Secrets Manager references', () => {
  it('reads a secret through /aws/reference/secretsmanager/ with WithDecryption, as AWS does', async () => {
    const sm = new SecretsManagerClient(test.config);
    const secret = await sm.send(new CreateSecretCommand({ Name: 'ref/db', SecretString: 'my_secret', Description: 'referenced' }));
    sm.destroy();
    // LocalStack's test_ssm.py test_get_secret_parameter (validated against AWS): Name, Value and SourceResult.
    const { Parameter } = await ssm.send(new GetParameterCommand({ Name: '/aws/reference/secretsmanager/ref/db', WithDecryption: true }));
    expect(Parameter).toMatchObject({ Name: '/aws/reference/secretsmanager/ref/db', Type: 'SecureString', Value: 'my_secret', ARN: secret.ARN });
    expect(JSON.parse(Parameter!.SourceResult!)).toMatchObject({ Name: 'ref/db', ARN: secret.ARN, Description: 'referenced' });
    // test_get_inexistent_secret.
    const missing = await failure(ssm.send(new GetParameterCommand({ Name: '/aws/reference/secretsmanager/inexistent', WithDecryption: true })));
    expect(missing).toEqual({ name: 'ParameterNotFound', message: 'Secret /aws/reference/secretsmanager/inexistent not found.' });
    expect((await failure(ssm.send(new GetParameterCommand({ Name: '/aws/reference/secretsmanager/ref/db' })))).name).toBe('ValidationException');
    // test_get_parameters_and_secrets.
    const both = await ssm.send(new GetParametersCommand({ Names: ['/app/hosts', '/aws/reference/secretsmanager/ref/db', '/aws/reference/secretsmanager/none'], WithDecryption: true }));
    expect(both.Parameters?.map((p) => p.Name)).toEqual(['/app/hosts', '/aws/reference/secretsmanager/ref/db']);
    expect(both.InvalidParameters).toEqual(['/aws/reference/secretsmanager/none']);
  });
});
