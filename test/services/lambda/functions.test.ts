import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createZip } from '../../../src/functions/index.js';
import { arn, BASE_URL, echoZip, errorOf, LambdaHarness, ROLE, zipBase64 } from './harness.js';

describe('Lambda API: functions', () => {
  let h: LambdaHarness;
  beforeAll(async () => {
    h = await LambdaHarness.start();
  });
  afterAll(async () => {
    await h.close();
  });

  it('CreateFunction answers 201 with the FunctionConfiguration document Lambda returns', async () => {
    const zip = echoZip();
    const created = await h.createFunction('create-me', { Description: 'hello', Timeout: 10, MemorySize: 256, Environment: { Variables: { MARKER: 'm1' } } }, zip);
    const sha = createHash('sha256').update(zip).digest('base64');
    expect(created).toEqual({
      FunctionName: 'create-me',
      FunctionArn: arn('create-me'),
      Runtime: 'nodejs20.x',
      Role: ROLE,
      Handler: 'index.handler',
      CodeSize: zip.length,
      Description: 'hello',
      Timeout: 10,
      MemorySize: 256,
      LastModified: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/),
      CodeSha256: sha,
      Version: '$LATEST',
      Environment: { Variables: { MARKER: 'm1' } },
      TracingConfig: { Mode: 'PassThrough' },
      RevisionId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      State: 'Active',
      LastUpdateStatus: 'Successful',
      PackageType: 'Zip',
      Architectures: [process.arch === 'arm64' ? 'arm64' : 'x86_64'],
      EphemeralStorage: { Size: 512 },
      SnapStart: { ApplyOn: 'None', OptimizationStatus: 'Off' },
      RuntimeVersionConfig: { RuntimeVersionArn: expect.stringMatching(/^arn:aws:lambda:us-east-1::runtime:[0-9a-f]{64}$/) },
      LoggingConfig: { LogFormat: 'Text', LogGroup: '/aws/lambda/create-me' },
    });
  });

  it('leaves Environment out when the function has no variables', async () => {
    const created = await h.createFunction('no-env');
    expect(created).not.toHaveProperty('Environment');
    expect(created.Timeout).toBe(3);
    expect(created.MemorySize).toBe(128);
  });

  it('CreateFunction with Publish answers version 1 with its qualified ARN', async () => {
    const created = await h.createFunction('publish-on-create', { Publish: true });
    expect(created).toMatchObject({ Version: '1', FunctionArn: arn('publish-on-create', '1') });
  });

  it('refuses a duplicate name with ResourceConflictException', async () => {
    await h.createFunction('twice');
    const answer = await h.call({
      method: 'POST',
      path: '/2015-03-31/functions',
      body: { FunctionName: 'twice', Runtime: 'nodejs20.x', Role: ROLE, Handler: 'index.handler', Code: { ZipFile: zipBase64(echoZip()) } },
    });
    expect(errorOf(answer)).toEqual({ status: 409, type: 'ResourceConflictException', body: { Type: 'User', message: 'Function already exist: twice' } });
    expect(answer.headers['x-amzn-RequestId']).toMatch(/[0-9a-f-]{36}/);
  });

  it('refuses code from S3 as not supported yet, and a missing Role as Lambda validates it', async () => {
    const s3 = await h.call({
      method: 'POST',
      path: '/2015-03-31/functions',
      body: { FunctionName: 's3-code', Runtime: 'nodejs20.x', Role: ROLE, Handler: 'index.handler', Code: { S3Bucket: 'b', S3Key: 'k.zip' } },
    });
    expect(errorOf(s3).status).toBe(400);
    expect(errorOf(s3).type).toBe('InvalidParameterValueException');
    expect(String(errorOf(s3).body.message)).toMatch(/S3.*not supported by Flint yet/);

    const noRole = await h.call({
      method: 'POST',
      path: '/2015-03-31/functions',
      body: { FunctionName: 'no-role', Runtime: 'nodejs20.x', Handler: 'index.handler', Code: { ZipFile: zipBase64(echoZip()) } },
    });
    expect(errorOf(noRole)).toEqual({
      status: 400,
      type: 'ValidationException',
      body: { message: "1 validation error detected: Value null at 'role' failed to satisfy constraint: Member must not be null" },
    });
  });

  it('reports registry validation as Lambda does: ValidationException for constraints, InvalidParameterValueException for values', async () => {
    const base = { Runtime: 'nodejs20.x', Role: ROLE, Handler: 'index.handler', Code: { ZipFile: zipBase64(echoZip()) } };
    const badRole = await h.call({ method: 'POST', path: '/2015-03-31/functions', body: { ...base, FunctionName: 'bad-role', Role: 'r1' } });
    expect(errorOf(badRole).type).toBe('ValidationException');
    expect(errorOf(badRole).body.message).toMatch(/^1 validation error detected: Value 'r1' at 'role'/);

    const badRuntime = await h.call({ method: 'POST', path: '/2015-03-31/functions', body: { ...base, FunctionName: 'bad-runtime', Runtime: 'cobol' } });
    expect(errorOf(badRuntime).type).toBe('InvalidParameterValueException');
    expect(errorOf(badRuntime).body).toMatchObject({ Type: 'User', message: expect.stringMatching(/^Value cobol at 'runtime'/) });

    const badZip = await h.call({ method: 'POST', path: '/2015-03-31/functions', body: { ...base, FunctionName: 'bad-zip', Code: { ZipFile: Buffer.from('not a zip').toString('base64') } } });
    expect(errorOf(badZip)).toEqual({
      status: 400,
      type: 'InvalidParameterValueException',
      body: { Type: 'User', message: 'Could not unzip uploaded file. Please check your file, then try to upload again.' },
    });

    const badTimeout = await h.call({ method: 'POST', path: '/2015-03-31/functions', body: { ...base, FunctionName: 'bad-timeout', Timeout: 901 } });
    expect(errorOf(badTimeout).body.message).toBe(
      "1 validation error detected: Value '901' at 'timeout' failed to satisfy constraint: Member must have value less than or equal to 900",
    );
  });

  it('GetFunction answers Configuration and a Code location Flint serves', async () => {
    await h.createFunction('get-me');
    const answer = await h.call({ method: 'GET', path: '/2015-03-31/functions/get-me' });
    expect(answer.status).toBe(200);
    const body = answer.json() as { Configuration: Record<string, unknown>; Code: { Location: string; RepositoryType: string } };
    expect(Object.keys(body)).toEqual(['Configuration', 'Code']);
    expect(body.Configuration.FunctionArn).toBe(arn('get-me'));
    const hex = Buffer.from(String(body.Configuration.CodeSha256), 'base64').toString('hex');
    expect(body.Code).toEqual({ RepositoryType: 'S3', Location: `${BASE_URL}/_flint/code/${hex}.zip` });
  });

  it('accepts a function ARN in the path, and answers a qualified ARN when a qualifier is given', async () => {
    await h.createFunction('by-arn');
    const viaArn = await h.call({ method: 'GET', path: `/2015-03-31/functions/${encodeURIComponent(arn('by-arn'))}/configuration` });
    expect(viaArn.json().FunctionArn).toBe(arn('by-arn'));
    const qualified = await h.call({ method: 'GET', path: '/2015-03-31/functions/by-arn/configuration', query: { Qualifier: '$LATEST' } });
    expect(qualified.json()).toMatchObject({ FunctionArn: arn('by-arn', '$LATEST'), Version: '$LATEST' });
  });

  it('answers ResourceNotFoundException with "Message", as Lambda does', async () => {
    const answer = await h.call({ method: 'GET', path: '/2015-03-31/functions/missing' });
    expect(errorOf(answer)).toEqual({ status: 404, type: 'ResourceNotFoundException', body: { Type: 'User', Message: `Function not found: ${arn('missing')}` } });
    const version = await h.call({ method: 'GET', path: '/2015-03-31/functions/missing/configuration', query: { Qualifier: '7' } });
    expect(errorOf(version).body.Message).toBe(`Function not found: ${arn('missing', '7')}`);
  });

  it('UpdateFunctionCode replaces the code, checks the revision id, and can publish', async () => {
    const created = await h.createFunction('update-code');
    const stale = await h.call({
      method: 'PUT',
      path: '/2015-03-31/functions/update-code/code',
      body: { ZipFile: zipBase64(echoZip('v2')), RevisionId: '00000000-0000-0000-0000-000000000000' },
    });
    expect(errorOf(stale)).toEqual({
      status: 412,
      type: 'PreconditionFailedException',
      body: {
        Type: 'User',
        message: 'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id',
      },
    });

    const updated = await h.call({ method: 'PUT', path: '/2015-03-31/functions/update-code/code', body: { ZipFile: zipBase64(echoZip('v2')), RevisionId: created.RevisionId } });
    expect(updated.status).toBe(200);
    expect(updated.json().CodeSha256).not.toBe(created.CodeSha256);
    expect(updated.json().RevisionId).not.toBe(created.RevisionId);
    const invoked = await h.invoke('update-code', {});
    expect(invoked.json().label).toBe('v2');

    const published = await h.call({ method: 'PUT', path: '/2015-03-31/functions/update-code/code', body: { ZipFile: zipBase64(echoZip('v3')), Publish: true } });
    expect(published.json()).toMatchObject({ Version: '1', FunctionArn: arn('update-code', '1') });
  });

  it('UpdateFunctionCode with DryRun checks the zip and changes nothing', async () => {
    const created = await h.createFunction('dry-code');
    const dry = await h.call({ method: 'PUT', path: '/2015-03-31/functions/dry-code/code', body: { ZipFile: zipBase64(echoZip('other')), DryRun: true } });
    expect(dry.status).toBe(200);
    expect(dry.json().CodeSha256).toBe(created.CodeSha256);
    const broken = await h.call({ method: 'PUT', path: '/2015-03-31/functions/dry-code/code', body: { ZipFile: Buffer.from('junk').toString('base64'), DryRun: true } });
    expect(errorOf(broken).type).toBe('InvalidParameterValueException');
  });

  it('UpdateFunctionConfiguration changes the fields given and replaces the environment as a whole', async () => {
    await h.createFunction('update-config', { Environment: { Variables: { MARKER: 'a', OTHER: 'b' } } });
    const answer = await h.call({
      method: 'PUT',
      path: '/2015-03-31/functions/update-config/configuration',
      body: { Timeout: 30, Description: 'changed', Environment: { Variables: { MARKER: 'c' } } },
    });
    expect(answer.status).toBe(200);
    expect(answer.json()).toMatchObject({ Timeout: 30, Description: 'changed', MemorySize: 128, Environment: { Variables: { MARKER: 'c' } } });
    expect((await h.invoke('update-config', {})).json().marker).toBe('c');

    const cleared = await h.call({ method: 'PUT', path: '/2015-03-31/functions/update-config/configuration', body: { Environment: {} } });
    expect(cleared.json()).not.toHaveProperty('Environment');
  });

  it('refuses configuration of a version or alias, as Lambda does', async () => {
    await h.createFunction('not-qualified');
    const answer = await h.call({ method: 'PUT', path: `/2015-03-31/functions/${encodeURIComponent('not-qualified:1')}/configuration`, body: { Timeout: 5 } });
    expect(errorOf(answer).type).toBe('InvalidParameterValueException');
    expect(errorOf(answer).body.message).toMatch(/^This operation is permitted on Lambda functions only/);
  });

  it('ListFunctions pages with MaxItems and Marker and leaves out the state fields', async () => {
    const fresh = await LambdaHarness.start();
    try {
      for (const name of ['list-a', 'list-b', 'list-c']) await fresh.createFunction(name);
      const first = await fresh.call({ method: 'GET', path: '/2015-03-31/functions/', query: { MaxItems: '2' } });
      const firstBody = first.json() as { Functions: Record<string, unknown>[]; NextMarker: string };
      expect(firstBody.Functions.map((f) => f.FunctionName)).toEqual(['list-a', 'list-b']);
      expect(firstBody.Functions[0]).not.toHaveProperty('State');
      expect(firstBody.Functions[0]).not.toHaveProperty('LastUpdateStatus');
      expect(firstBody.Functions[0]).not.toHaveProperty('RuntimeVersionConfig');
      expect(firstBody.Functions[0]!.FunctionArn).toBe(arn('list-a'));
      const second = await fresh.call({ method: 'GET', path: '/2015-03-31/functions', query: { MaxItems: '2', Marker: firstBody.NextMarker } });
      expect(second.json()).toEqual({ Functions: [expect.objectContaining({ FunctionName: 'list-c' })] });

      await fresh.call({ method: 'POST', path: '/2015-03-31/functions/list-a/versions', body: {} });
      const all = await fresh.call({ method: 'GET', path: '/2015-03-31/functions/', query: { FunctionVersion: 'ALL' } });
      expect((all.json().Functions as Record<string, unknown>[]).map((f) => f.FunctionArn)).toEqual([
        arn('list-a', '$LATEST'),
        arn('list-a', '1'),
        arn('list-b', '$LATEST'),
        arn('list-c', '$LATEST'),
      ]);

      const wrong = await fresh.call({ method: 'GET', path: '/2015-03-31/functions/', query: { FunctionVersion: 'SOME' } });
      expect(errorOf(wrong)).toEqual({
        status: 400,
        type: 'ValidationException',
        body: { message: "1 validation error detected: Value 'SOME' at 'functionVersion' failed to satisfy constraint: Member must satisfy enum value set: [ALL]" },
      });
    } finally {
      await fresh.close();
    }
  });

  it('DeleteFunction answers 204, then the function is gone; deleting $LATEST alone is refused', async () => {
    await h.createFunction('delete-me');
    const latest = await h.call({ method: 'DELETE', path: '/2015-03-31/functions/delete-me', query: { Qualifier: '$LATEST' } });
    expect(errorOf(latest)).toEqual({
      status: 400,
      type: 'InvalidParameterValueException',
      body: { Type: 'User', message: '$LATEST version cannot be deleted without deleting the function.' },
    });
    const deleted = await h.call({ method: 'DELETE', path: '/2015-03-31/functions/delete-me' });
    expect(deleted.status).toBe(204);
    expect(deleted.raw.length).toBe(0);
    expect((await h.call({ method: 'GET', path: '/2015-03-31/functions/delete-me' })).status).toBe(404);
    expect((await h.call({ method: 'DELETE', path: '/2015-03-31/functions/delete-me' })).status).toBe(404);
  });

  it('refuses an uploaded zip over 50 MB with RequestEntityTooLargeException', async () => {
    const huge = Buffer.alloc(52_428_801).toString('base64');
    const answer = await h.call({
      method: 'POST',
      path: '/2015-03-31/functions',
      body: { FunctionName: 'huge', Runtime: 'nodejs20.x', Role: ROLE, Handler: 'index.handler', Code: { ZipFile: huge } },
    });
    expect(errorOf(answer)).toEqual({ status: 413, type: 'RequestEntityTooLargeException', body: { message: 'Zipped size must be smaller than 52428800 bytes' } });
  });

  it('refuses unknown Layers and container images rather than ignoring them', async () => {
    const zip = zipBase64(createZip([{ path: 'index.js', data: Buffer.from('exports.handler = async () => 1;'), mode: 0o644 }]));
    const base = { Runtime: 'nodejs20.x', Role: ROLE, Handler: 'index.handler', Code: { ZipFile: zip } };
    const layers = await h.call({ method: 'POST', path: '/2015-03-31/functions', body: { ...base, FunctionName: 'layered', Layers: ['arn:aws:lambda:us-east-1:000000000000:layer:x:1'] } });
    expect(errorOf(layers).type).toBe('InvalidParameterValueException');
    expect(errorOf(layers).body.message).toBe('Layer version arn:aws:lambda:us-east-1:000000000000:layer:x:1 does not exist.');
    const image = await h.call({ method: 'POST', path: '/2015-03-31/functions', body: { FunctionName: 'image', Role: ROLE, PackageType: 'Image', Code: { ImageUri: 'repo/img:1' } } });
    expect(errorOf(image).type).toBe('InvalidParameterValueException');
    expect(String(errorOf(image).body.message)).toMatch(/not supported by Flint yet/);
  });
});
