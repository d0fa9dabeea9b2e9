import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { arn, echoZip, errorOf, LambdaHarness, zipBase64 } from './harness.js';

describe('Lambda API: versions and aliases', () => {
  let h: LambdaHarness;
  beforeAll(async () => {
    h = await LambdaHarness.start();
  });
  afterAll(async () => {
    await h.close();
  });

  const publish = (name: string, body: Record<string, unknown> = {}) => h.call({ method: 'POST', path: `/2015-03-31/functions/${name}/versions`, body });

  it('PublishVersion answers 201 with the version and its qualified ARN; nothing changed means the same version', async () => {
    const created = await h.createFunction('pub');
    const first = await publish('pub', { Description: 'first' });
    expect(first.status).toBe(201);
    expect(first.json()).toMatchObject({ Version: '1', FunctionArn: arn('pub', '1'), Description: 'first', State: 'Active', CodeSha256: created.CodeSha256 });
    const again = await publish('pub');
    expect(again.json()).toMatchObject({ Version: '1', RevisionId: first.json().RevisionId });
    await h.call({ method: 'PUT', path: '/2015-03-31/functions/pub/code', body: { ZipFile: zipBase64(echoZip('v2')) } });
    expect((await publish('pub')).json().Version).toBe('2');
  });

  it('PublishVersion checks CodeSha256 in base64, as Lambda shows it', async () => {
    const created = await h.createFunction('pub-sha');
    const ok = await publish('pub-sha', { CodeSha256: created.CodeSha256 });
    expect(ok.status).toBe(201);
    await h.call({ method: 'PUT', path: '/2015-03-31/functions/pub-sha/code', body: { ZipFile: zipBase64(echoZip('v2')) } });
    const current = (await h.call({ method: 'GET', path: '/2015-03-31/functions/pub-sha/configuration' })).json().CodeSha256;
    const stale = await publish('pub-sha', { CodeSha256: created.CodeSha256 });
    expect(errorOf(stale)).toEqual({
      status: 400,
      type: 'InvalidParameterValueException',
      body: {
        Type: 'User',
        message: `CodeSHA256 (${String(created.CodeSha256)}) is different from current CodeSHA256 in $LATEST (${String(current)}). Please try again with the CodeSHA256 in $LATEST.`,
      },
    });
    const nonsense = await publish('pub-sha', { CodeSha256: 'somenonexistentsha256' });
    expect(errorOf(nonsense).body.message).toMatch(/^CodeSHA256 \(somenonexistentsha256\) is different from current CodeSHA256 in \$LATEST \(/);
    const revision = await publish('pub-sha', { RevisionId: 'wrong' });
    expect(errorOf(revision).type).toBe('PreconditionFailedException');
  });

  it('ListVersionsByFunction lists $LATEST then each version, all with qualified ARNs, and pages', async () => {
    await h.createFunction('versions');
    await publish('versions');
    await h.call({ method: 'PUT', path: '/2015-03-31/functions/versions/configuration', body: { Description: 'second' } });
    await publish('versions');
    const all = await h.call({ method: 'GET', path: '/2015-03-31/functions/versions/versions' });
    const versions = all.json().Versions as Record<string, unknown>[];
    expect(versions.map((v) => [v.Version, v.FunctionArn])).toEqual([
      ['$LATEST', arn('versions', '$LATEST')],
      ['1', arn('versions', '1')],
      ['2', arn('versions', '2')],
    ]);
    expect(versions[0]).not.toHaveProperty('State');
    const first = await h.call({ method: 'GET', path: '/2015-03-31/functions/versions/versions', query: { MaxItems: '1' } });
    expect((first.json().Versions as unknown[]).length).toBe(1);
    expect(typeof first.json().NextMarker).toBe('string');
    expect(errorOf(await h.call({ method: 'GET', path: '/2015-03-31/functions/nope/versions' })).status).toBe(404);
  });

  it('deletes one version with DeleteFunction and a Qualifier, unless an alias uses it', async () => {
    await h.createFunction('drop-version');
    await publish('drop-version');
    await h.call({ method: 'POST', path: '/2015-03-31/functions/drop-version/aliases', body: { Name: 'keep', FunctionVersion: '1' } });
    const blocked = await h.call({ method: 'DELETE', path: '/2015-03-31/functions/drop-version', query: { Qualifier: '1' } });
    expect(errorOf(blocked)).toEqual({
      status: 409,
      type: 'ResourceConflictException',
      body: { Type: 'User', message: 'Unable to delete version because the following aliases reference it: [keep]' },
    });
    await h.call({ method: 'DELETE', path: '/2015-03-31/functions/drop-version/aliases/keep' });
    expect((await h.call({ method: 'DELETE', path: '/2015-03-31/functions/drop-version', query: { Qualifier: '1' } })).status).toBe(204);
    expect((await h.call({ method: 'GET', path: '/2015-03-31/functions/drop-version', query: { Qualifier: '1' } })).status).toBe(404);
  });

  it('CreateAlias, GetAlias, UpdateAlias, ListAliases and DeleteAlias with AliasConfiguration documents', async () => {
    await h.createFunction('alias-fn');
    await publish('alias-fn');
    await h.call({ method: 'PUT', path: '/2015-03-31/functions/alias-fn/configuration', body: { Description: 'v2' } });
    await publish('alias-fn');

    const created = await h.call({ method: 'POST', path: '/2015-03-31/functions/alias-fn/aliases', body: { Name: 'prod', FunctionVersion: '1', Description: 'production' } });
    expect(created.status).toBe(201);
    expect(created.json()).toEqual({
      AliasArn: arn('alias-fn', 'prod'),
      Name: 'prod',
      FunctionVersion: '1',
      Description: 'production',
      RevisionId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });

    const got = await h.call({ method: 'GET', path: '/2015-03-31/functions/alias-fn/aliases/prod' });
    expect(got.json()).toEqual(created.json());

    const routed = await h.call({
      method: 'PUT',
      path: '/2015-03-31/functions/alias-fn/aliases/prod',
      body: { FunctionVersion: '2', RoutingConfig: { AdditionalVersionWeights: { '1': 0.25 } }, RevisionId: created.json().RevisionId },
    });
    expect(routed.status).toBe(200);
    expect(routed.json()).toMatchObject({ FunctionVersion: '2', Description: 'production', RoutingConfig: { AdditionalVersionWeights: { '1': 0.25 } } });

    const stale = await h.call({ method: 'PUT', path: '/2015-03-31/functions/alias-fn/aliases/prod', body: { Description: 'x', RevisionId: created.json().RevisionId } });
    expect(errorOf(stale).type).toBe('PreconditionFailedException');

    const unrouted = await h.call({ method: 'PUT', path: '/2015-03-31/functions/alias-fn/aliases/prod', body: { RoutingConfig: { AdditionalVersionWeights: {} } } });
    expect(unrouted.json()).not.toHaveProperty('RoutingConfig');

    await h.call({ method: 'POST', path: '/2015-03-31/functions/alias-fn/aliases', body: { Name: 'beta', FunctionVersion: '$LATEST' } });
    const listed = await h.call({ method: 'GET', path: '/2015-03-31/functions/alias-fn/aliases' });
    expect((listed.json().Aliases as Record<string, unknown>[]).map((a) => a.Name)).toEqual(['beta', 'prod']);
    const byVersion = await h.call({ method: 'GET', path: '/2015-03-31/functions/alias-fn/aliases', query: { FunctionVersion: '2' } });
    expect((byVersion.json().Aliases as Record<string, unknown>[]).map((a) => a.Name)).toEqual(['prod']);

    const deleted = await h.call({ method: 'DELETE', path: '/2015-03-31/functions/alias-fn/aliases/beta' });
    expect(deleted.status).toBe(204);
    // Deleting an alias that does not exist succeeds, as on Lambda.
    expect((await h.call({ method: 'DELETE', path: '/2015-03-31/functions/alias-fn/aliases/beta' })).status).toBe(204);
    expect(errorOf(await h.call({ method: 'GET', path: '/2015-03-31/functions/alias-fn/aliases/beta' }))).toEqual({
      status: 404,
      type: 'ResourceNotFoundException',
      body: { Type: 'User', Message: `Cannot find alias arn: ${arn('alias-fn', 'beta')}` },
    });
  });

  it('reports alias errors as Lambda does', async () => {
    await h.createFunction('alias-errors');
    await publish('alias-errors');
    await h.call({ method: 'POST', path: '/2015-03-31/functions/alias-errors/aliases', body: { Name: 'one', FunctionVersion: '1' } });
    const duplicate = await h.call({ method: 'POST', path: '/2015-03-31/functions/alias-errors/aliases', body: { Name: 'one', FunctionVersion: '1' } });
    expect(errorOf(duplicate)).toEqual({ status: 409, type: 'ResourceConflictException', body: { Type: 'User', message: `Alias already exists: ${arn('alias-errors', 'one')}` } });

    const numeric = await h.call({ method: 'POST', path: '/2015-03-31/functions/alias-errors/aliases', body: { Name: '2024', FunctionVersion: '1' } });
    expect(errorOf(numeric)).toEqual({
      status: 400,
      type: 'ValidationException',
      body: {
        message: "1 validation error detected: Value '2024' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: (?!^[0-9]+$)([a-zA-Z0-9-_]+)",
      },
    });

    const missingVersion = await h.call({ method: 'POST', path: '/2015-03-31/functions/alias-errors/aliases', body: { Name: 'two', FunctionVersion: '9' } });
    expect(errorOf(missingVersion)).toMatchObject({ status: 404, type: 'ResourceNotFoundException' });

    const noVersion = await h.call({ method: 'POST', path: '/2015-03-31/functions/alias-errors/aliases', body: { Name: 'three' } });
    expect(errorOf(noVersion).body.message).toBe("1 validation error detected: Value null at 'functionVersion' failed to satisfy constraint: Member must not be null");

    const tooHeavy = await h.call({
      method: 'POST',
      path: '/2015-03-31/functions/alias-errors/aliases',
      body: { Name: 'heavy', FunctionVersion: '1', RoutingConfig: { AdditionalVersionWeights: { '2': 2 } } },
    });
    expect(errorOf(tooHeavy).type).toBe('ValidationException');
  });
});
