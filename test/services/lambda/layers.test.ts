import {
  AddLayerVersionPermissionCommand,
  CreateFunctionCommand,
  DeleteLayerVersionCommand,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  GetLayerVersionByArnCommand,
  GetLayerVersionCommand,
  GetLayerVersionPolicyCommand,
  ListLayersCommand,
  ListLayerVersionsCommand,
  PublishLayerVersionCommand,
  RemoveLayerVersionPermissionCommand,
  UpdateFunctionConfigurationCommand,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createZip } from '../../../src/functions/index.js';
import { ACCOUNT, refusal, REGION, startClientNode, type ClientNode } from './clients.js';
import { echoZip, ROLE } from './harness.js';

/**
 * Layers through real clients. Shapes and messages are AWS's, as LocalStack's recordings of Lambda hold them
 * (tests/aws/services/lambda_/test_lambda_api.snapshot.json, TestLambdaLayer: test_layer_lifecycle,
 * test_layer_exceptions, test_layer_function_exceptions, test_layer_function_quota_exception,
 * test_layer_policy_exceptions, test_layer_policy_lifecycle).
 */

const layerArn = (name: string, version?: number): string => `arn:aws:lambda:${REGION}:${ACCOUNT}:layer:${name}${version === undefined ? '' : `:${version}`}`;
const layerZip = (text: string): Uint8Array => createZip([{ path: 'python/layer_mod.py', data: Buffer.from(`VALUE = ${JSON.stringify(text)}\n`), mode: 0o644 }]);

describe('Lambda API: layers', () => {
  let node: ClientNode;
  let lambda: LambdaClient;

  const publish = (name: string, text = 'one', extra: Record<string, unknown> = {}) =>
    lambda.send(new PublishLayerVersionCommand({ LayerName: name, Content: { ZipFile: layerZip(text) }, CompatibleRuntimes: ['python3.12'], CompatibleArchitectures: ['x86_64'], ...extra }));
  const createFunction = (name: string, layers: string[]) =>
    lambda.send(new CreateFunctionCommand({ FunctionName: name, Runtime: 'nodejs20.x', Role: ROLE, Handler: 'index.handler', Code: { ZipFile: echoZip() }, Layers: layers }));

  beforeAll(async () => {
    node = await startClientNode();
    lambda = node.lambda;
  });
  afterAll(async () => {
    await node.close();
  });

  it('publishes numbered versions with the content digest, size, download URL and creation date', async () => {
    const zip = layerZip('one');
    const first = await publish('lifecycle', 'one', { Description: 'shared code', LicenseInfo: 'MIT' });
    expect(first.$metadata.httpStatusCode).toBe(201);
    expect(first).toMatchObject({
      LayerArn: layerArn('lifecycle'),
      LayerVersionArn: layerArn('lifecycle', 1),
      Version: 1,
      Description: 'shared code',
      LicenseInfo: 'MIT',
      CompatibleRuntimes: ['python3.12'],
      CompatibleArchitectures: ['x86_64'],
      Content: { CodeSha256: createHash('sha256').update(zip).digest('base64'), CodeSize: zip.length },
    });
    expect(first.CreatedDate).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
    // Content.Location is a URL the node serves: the zip as published.
    const download = await fetch(first.Content!.Location!);
    expect(Buffer.from(await download.arrayBuffer())).toEqual(Buffer.from(zip));

    const second = await publish('lifecycle', 'two');
    expect(second.Version).toBe(2);
    const got = await lambda.send(new GetLayerVersionCommand({ LayerName: 'lifecycle', VersionNumber: 1 }));
    expect(got).toMatchObject({ LayerVersionArn: layerArn('lifecycle', 1), Description: 'shared code', Content: first.Content });
    const byArn = await lambda.send(new GetLayerVersionByArnCommand({ Arn: layerArn('lifecycle', 2) }));
    expect(byArn.Version).toBe(2);
    // LayerName may also be the layer's ARN.
    const viaArn = await lambda.send(new GetLayerVersionCommand({ LayerName: layerArn('lifecycle'), VersionNumber: 2 }));
    expect(viaArn.LayerVersionArn).toBe(layerArn('lifecycle', 2));
  });

  it('lists versions newest first and layers with their latest matching version, filtered and paged', async () => {
    await publish('listed-a', 'a1');
    await publish('listed-a', 'a2', { CompatibleRuntimes: ['nodejs20.x'], CompatibleArchitectures: ['arm64'] });
    await publish('listed-b', 'b1');
    const versions = await lambda.send(new ListLayerVersionsCommand({ LayerName: 'listed-a' }));
    expect(versions.LayerVersions?.map((v) => v.Version)).toEqual([2, 1]);
    expect(versions.LayerVersions?.[0]).not.toHaveProperty('Content');
    const python = await lambda.send(new ListLayerVersionsCommand({ LayerName: 'listed-a', CompatibleRuntime: 'python3.12' }));
    expect(python.LayerVersions?.map((v) => v.Version)).toEqual([1]);
    const arm = await lambda.send(new ListLayerVersionsCommand({ LayerName: 'listed-a', CompatibleArchitecture: 'arm64' }));
    expect(arm.LayerVersions?.map((v) => v.Version)).toEqual([2]);
    expect((await lambda.send(new ListLayerVersionsCommand({ LayerName: 'never-published' }))).LayerVersions).toEqual([]);

    const layers = await lambda.send(new ListLayersCommand({}));
    const a = layers.Layers?.find((l) => l.LayerName === 'listed-a');
    expect(a).toMatchObject({ LayerArn: layerArn('listed-a'), LatestMatchingVersion: { Version: 2, LayerVersionArn: layerArn('listed-a', 2) } });
    const forPython = await lambda.send(new ListLayersCommand({ CompatibleRuntime: 'python3.12' }));
    expect(forPython.Layers?.find((l) => l.LayerName === 'listed-a')?.LatestMatchingVersion?.Version).toBe(1);

    const names: string[] = [];
    let marker: string | undefined;
    do {
      const page = await lambda.send(new ListLayersCommand({ MaxItems: 1, Marker: marker }));
      expect(page.Layers?.length).toBeLessThanOrEqual(1);
      names.push(...(page.Layers ?? []).map((l) => l.LayerName!));
      marker = page.NextMarker;
    } while (marker);
    expect(names).toEqual(layers.Layers?.map((l) => l.LayerName));
  });

  it('deletes versions (again and again, as Lambda does) and never reuses their numbers', async () => {
    await publish('deleted');
    const deleted = await lambda.send(new DeleteLayerVersionCommand({ LayerName: 'deleted', VersionNumber: 1 }));
    expect(deleted.$metadata.httpStatusCode).toBe(204);
    await lambda.send(new DeleteLayerVersionCommand({ LayerName: 'deleted', VersionNumber: 1 }));
    await lambda.send(new DeleteLayerVersionCommand({ LayerName: 'no-such-layer', VersionNumber: 3 }));
    expect((await lambda.send(new ListLayerVersionsCommand({ LayerName: 'deleted' }))).LayerVersions).toEqual([]);
    expect((await publish('deleted')).Version).toBe(2);
  });

  it('refuses what Lambda refuses, in its words', async () => {
    await publish('refusals');
    expect(await refusal(lambda.send(new GetLayerVersionCommand({ LayerName: 'refusals-missing', VersionNumber: 1 })))).toEqual({
      name: 'ResourceNotFoundException',
      status: 404,
      message: 'The resource you requested does not exist.',
    });
    expect(await refusal(lambda.send(new GetLayerVersionCommand({ LayerName: 'refusals', VersionNumber: 2 })))).toMatchObject({ name: 'ResourceNotFoundException' });
    expect(await refusal(lambda.send(new GetLayerVersionCommand({ LayerName: 'refusals', VersionNumber: 0 })))).toEqual({
      name: 'InvalidParameterValueException',
      status: 400,
      message: 'Layer Version Cannot be less than 1',
    });
    expect(await refusal(lambda.send(new DeleteLayerVersionCommand({ LayerName: 'refusals', VersionNumber: -1 })))).toMatchObject({
      message: 'Layer Version Cannot be less than 1',
    });
    const noVersion = await refusal(lambda.send(new GetLayerVersionByArnCommand({ Arn: layerArn('refusals') })));
    expect(noVersion.name).toBe('ValidationException');
    expect(noVersion.message).toContain(`Value '${layerArn('refusals')}' at 'arn' failed to satisfy constraint: Member must satisfy regular expression pattern:`);
    const badArch = await refusal(lambda.send(new ListLayersCommand({ CompatibleArchitecture: 'archdoesnotexist' as never })));
    expect(badArch.message).toBe("1 validation error detected: Value 'archdoesnotexist' at 'compatibleArchitecture' failed to satisfy constraint: Member must satisfy enum value set: [x86_64, arm64]");
  });

  it('gives functions their layers, checked as Lambda checks them, and keeps them after the layer version is deleted', async () => {
    const v1 = await publish('fn-layer');
    await publish('fn-layer', 'two');
    const created = await createFunction('uses-layer', [layerArn('fn-layer', 1)]);
    expect(created.Layers).toEqual([{ Arn: layerArn('fn-layer', 1), CodeSize: v1.Content!.CodeSize }]);

    expect(await refusal(createFunction('two-versions', [layerArn('fn-layer', 1), layerArn('fn-layer', 2)]))).toEqual({
      name: 'InvalidParameterValueException',
      status: 400,
      message: `Two different versions of the same layer are not allowed to be referenced in the same function. ${layerArn('fn-layer', 1)} and ${layerArn('fn-layer', 2)} are versions of the same layer.`,
    });
    expect(await refusal(createFunction('missing-layer', [layerArn('fn-layer', 9)]))).toEqual({
      name: 'InvalidParameterValueException',
      status: 400,
      message: `Layer version ${layerArn('fn-layer', 9)} does not exist.`,
    });
    const six = ['a', 'b', 'c', 'd', 'e', 'f'].map((n) => layerArn(`six-${n}`, 1));
    expect((await refusal(createFunction('six-layers', six))).message).toBe('Cannot reference more than 5 layers.');
    expect((await refusal(createFunction('other-region', [`arn:aws:lambda:eu-west-1:${ACCOUNT}:layer:fn-layer:1`]))).message).toBe(
      `Layers are not in the same region as the function. Layers are expected to be in region ${REGION}.`,
    );
    const unversioned = await refusal(createFunction('unversioned', [layerArn('fn-layer')]));
    expect(unversioned.name).toBe('ValidationException');
    expect(unversioned.message).toContain(`Value '[${layerArn('fn-layer')}]' at 'layers' failed to satisfy constraint`);
    // A layer published on AWS (another account): Flint cannot fetch it and says what to do instead.
    const aws = await refusal(createFunction('aws-layer', [`arn:aws:lambda:${REGION}:580247275435:layer:LambdaInsightsExtension:38`]));
    expect(aws.name).toBe('InvalidParameterValueException');
    expect(aws.message).toContain('Flint cannot fetch layers from AWS');
    expect(aws.message).toContain('publish-layer-version --layer-name LambdaInsightsExtension');

    const updated = await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'uses-layer', Layers: [layerArn('fn-layer', 2)] }));
    expect(updated.Layers?.map((l) => l.Arn)).toEqual([layerArn('fn-layer', 2)]);
    await lambda.send(new DeleteLayerVersionCommand({ LayerName: 'fn-layer', VersionNumber: 2 }));
    const fn = await lambda.send(new GetFunctionCommand({ FunctionName: 'uses-layer' }));
    expect(fn.Configuration?.Layers?.map((l) => l.Arn)).toEqual([layerArn('fn-layer', 2)]);
    const cleared = await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'uses-layer', Layers: [] }));
    expect(cleared).not.toHaveProperty('Layers');
    expect((await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'uses-layer' }))).Layers).toBeUndefined();
  });

  it('keeps permissions per layer version, rendered as Lambda renders them', async () => {
    await publish('shared');
    const resource = layerArn('shared', 1);
    expect(await refusal(lambda.send(new GetLayerVersionPolicyCommand({ LayerName: 'shared', VersionNumber: 1 })))).toEqual({
      name: 'ResourceNotFoundException',
      status: 404,
      message: 'No policy is associated with the given resource.',
    });
    const added = await lambda.send(new AddLayerVersionPermissionCommand({ LayerName: 'shared', VersionNumber: 1, StatementId: 's1', Action: 'lambda:GetLayerVersion', Principal: '*' }));
    expect(added.$metadata.httpStatusCode).toBe(201);
    expect(JSON.parse(added.Statement!)).toEqual({ Sid: 's1', Effect: 'Allow', Principal: '*', Action: 'lambda:GetLayerVersion', Resource: resource });
    await lambda.send(new AddLayerVersionPermissionCommand({ LayerName: 'shared', VersionNumber: 1, StatementId: 's2', Action: 'lambda:GetLayerVersion', Principal: '123456789012' }));
    const policy = await lambda.send(new GetLayerVersionPolicyCommand({ LayerName: 'shared', VersionNumber: 1 }));
    expect(JSON.parse(policy.Policy!)).toEqual({
      Version: '2012-10-17',
      Id: 'default',
      Statement: [
        { Sid: 's1', Effect: 'Allow', Principal: '*', Action: 'lambda:GetLayerVersion', Resource: resource },
        { Sid: 's2', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:root' }, Action: 'lambda:GetLayerVersion', Resource: resource },
      ],
    });
    expect(await refusal(lambda.send(new AddLayerVersionPermissionCommand({ LayerName: 'shared', VersionNumber: 1, StatementId: 's1', Action: 'lambda:GetLayerVersion', Principal: '*' })))).toEqual({
      name: 'ResourceConflictException',
      status: 409,
      message: 'The statement id (s1) provided already exists. Please provide a new statement id, or remove the existing statement.',
    });
    expect(
      await refusal(lambda.send(new AddLayerVersionPermissionCommand({ LayerName: 'shared', VersionNumber: 1, StatementId: 's3', Action: 'lambda:GetLayerVersion', Principal: '*', RevisionId: 'wrong' }))),
    ).toMatchObject({ name: 'PreconditionFailedException', status: 412 });
    expect(await refusal(lambda.send(new AddLayerVersionPermissionCommand({ LayerName: 'shared', VersionNumber: 2, StatementId: 's3', Action: 'lambda:GetLayerVersion', Principal: '*' })))).toEqual({
      name: 'ResourceNotFoundException',
      status: 404,
      message: `Layer version ${layerArn('shared', 2)} does not exist.`,
    });
    expect(await refusal(lambda.send(new RemoveLayerVersionPermissionCommand({ LayerName: 'shared', VersionNumber: 1, StatementId: 'doesnotexist' })))).toEqual({
      name: 'ResourceNotFoundException',
      status: 404,
      message: 'Statement doesnotexist is not found in resource policy.',
    });
    await lambda.send(new RemoveLayerVersionPermissionCommand({ LayerName: 'shared', VersionNumber: 1, StatementId: 's1', RevisionId: policy.RevisionId }));
    const after = await lambda.send(new GetLayerVersionPolicyCommand({ LayerName: 'shared', VersionNumber: 1 }));
    expect((JSON.parse(after.Policy!) as { Statement: { Sid: string }[] }).Statement.map((s) => s.Sid)).toEqual(['s2']);
  });

  it("publishes a layer from an object in the node's S3, and refuses a missing one as Lambda does", async () => {
    const s3 = new S3Client({ ...node.test.config, forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: 'layer-artifacts' }));
    const zip = layerZip('from s3');
    await s3.send(new PutObjectCommand({ Bucket: 'layer-artifacts', Key: 'layers/tools.zip', Body: zip }));
    const published = await lambda.send(new PublishLayerVersionCommand({ LayerName: 'from-s3', Content: { S3Bucket: 'layer-artifacts', S3Key: 'layers/tools.zip' } }));
    expect(published.Content).toMatchObject({ CodeSha256: createHash('sha256').update(zip).digest('base64'), CodeSize: zip.length });
    const missing = await refusal(lambda.send(new PublishLayerVersionCommand({ LayerName: 'from-s3', Content: { S3Bucket: 'layer-artifacts', S3Key: 'nothing.zip' } })));
    expect(missing).toEqual({
      name: 'InvalidParameterValueException',
      status: 400,
      message: 'Error occurred while GetObject. S3 Error Code: NoSuchKey. S3 Error Message: The specified key does not exist.',
    });
    s3.destroy();
  });

  it('answers the AWS CLI', async () => {
    const zip = Buffer.from(layerZip('cli'));
    const file = join(node.home, 'layer.zip');
    writeFileSync(file, zip);
    const published = JSON.parse(await node.aws('publish-layer-version', '--layer-name', 'cli-layer', '--zip-file', `fileb://${file}`, '--compatible-runtimes', 'python3.12')) as Record<string, unknown>;
    expect(published).toMatchObject({ LayerVersionArn: layerArn('cli-layer', 1), Version: 1, CompatibleRuntimes: ['python3.12'] });
    const listed = JSON.parse(await node.aws('list-layer-versions', '--layer-name', 'cli-layer')) as { LayerVersions: { Version: number }[] };
    expect(listed.LayerVersions.map((v) => v.Version)).toEqual([1]);
    await node.aws('delete-layer-version', '--layer-name', 'cli-layer', '--version-number', '1');
    expect((await lambda.send(new ListLayerVersionsCommand({ LayerName: 'cli-layer' }))).LayerVersions).toEqual([]);
  });
});
