/**
 * PENDING (issue 13 integration): the end-to-end test of sls-notes, deployed by `flint up` from its
 * serverless.yml as it is. It needs `flint up`/`flint deploy` to find serverless.yml in the app folder and run it
 * through serverlessToSam (src/templates/serverless/) and the SAM translator, which are merged separately.
 * Switch it on by renaming this file to `sls-notes.deploy.test.ts` (vitest runs examples/** /*.test.ts).
 */
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flintUp, type RunningFlint } from '../../test/helpers/cli.js';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

describe('example: sls-notes deployed from serverless.yml, unchanged', () => {
  let flint: RunningFlint;
  beforeAll(async () => {
    flint = await flintUp(import.meta.dirname, ['--no-watch']);
  });
  afterAll(async () => {
    await flint?.stop();
  });

  const api = (path: string, init?: RequestInit): Promise<Response> => fetch(`${flint.url}${path}`, init);

  it('creates the table and queue of resources: under their stage names', async () => {
    expect(flint.output()).toContain('sls-notes-notes-dev');
    expect(flint.output()).toContain('sls-notes-word-count-dev');
  });

  it('stores a note over the HTTP API and counts its words through the SQS queue', async () => {
    const created = await api('/notes', { method: 'POST', body: JSON.stringify({ text: 'the quick brown fox' }) });
    expect(created.status).toBe(201);
    const note = (await created.json()) as { id: string; text: string };
    expect(note.text).toBe('the quick brown fox');
    await expect
      .poll(async () => ((await (await api(`/notes/${note.id}`)).json()) as { words?: number }).words)
      .toBe(4);
  });

  it('lists notes with the stage, answers 404 for a missing note and 400 without text', async () => {
    const list = (await (await api('/notes')).json()) as { notes: unknown[]; stage: string };
    expect(list.stage).toBe('dev');
    expect(list.notes.length).toBeGreaterThanOrEqual(1);
    expect((await api('/notes/nope')).status).toBe(404);
    expect((await api('/notes', { method: 'POST', body: '{}' })).status).toBe(400);
  });

  it('deletes a note', async () => {
    const note = (await (await api('/notes', { method: 'POST', body: JSON.stringify({ text: 'short lived' }) })).json()) as { id: string };
    expect((await api(`/notes/${note.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await api(`/notes/${note.id}`)).status).toBe(404);
  });

  it('purges old notes when the scheduled function runs (invoked here with the input its schedule sends)', async () => {
    const note = (await (await api('/notes', { method: 'POST', body: JSON.stringify({ text: 'old news' }) })).json()) as { id: string };
    const lambda = new LambdaClient({ endpoint: flint.url, region: 'us-east-1', credentials });
    // maxAgeDays -1 puts the cutoff a day ahead, so every note counts as old.
    const result = await lambda.send(new InvokeCommand({ FunctionName: 'sls-notes-dev-purgeOldNotes', Payload: JSON.stringify({ maxAgeDays: -1 }) }));
    expect(JSON.parse(Buffer.from(result.Payload!).toString()).purged).toBeGreaterThanOrEqual(1);
    const db = new DynamoDBClient({ endpoint: flint.url, region: 'us-east-1', credentials });
    expect((await db.send(new GetItemCommand({ TableName: 'sls-notes-notes-dev', Key: { id: { S: note.id } } }))).Item).toBeUndefined();
  });
});
