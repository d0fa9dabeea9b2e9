/**
 * The sls-notes example at the template level: its serverless.yml, unchanged, translates into the SAM template
 * the SAM translator deploys. The deploy itself (HTTP, SQS, schedule behaviour) is sls-notes.deploy.pending.ts,
 * switched on once `flint up` reads serverless.yml.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { serverlessToSam } from '../../src/templates/serverless/index.js';

const FILE = join(import.meta.dirname, 'serverless.yml');
const translate = (stage?: string): ReturnType<typeof serverlessToSam> => serverlessToSam(readFileSync(FILE, 'utf8'), FILE, { stage, env: {} });

type Fn = { Type: string; Properties: Record<string, unknown> };

describe('example: sls-notes (a Serverless Framework app) as a SAM template', () => {
  it('translates with nothing unsupported, as stack sls-notes-dev', () => {
    const { unsupported, stackName, template } = translate();
    expect(unsupported).toEqual([]);
    expect(stackName).toBe('sls-notes-dev');
    expect(template.Transform).toBe('AWS::Serverless-2016-10-31');
  });

  it('has the six functions with the provider settings, the table name and the queue URL in their environment', () => {
    const { template } = translate();
    const functions = Object.entries(template.Resources).filter(([, r]) => r.Type === 'AWS::Serverless::Function') as [string, Fn][];
    expect(functions.map(([, f]) => f.Properties.FunctionName)).toEqual([
      'sls-notes-dev-createNote',
      'sls-notes-dev-getNote',
      'sls-notes-dev-listNotes',
      'sls-notes-dev-deleteNote',
      'sls-notes-dev-countWords',
      'sls-notes-dev-purgeOldNotes',
    ]);
    for (const [, f] of functions) {
      expect(f.Properties).toMatchObject({
        Runtime: 'python3.12',
        CodeUri: '.',
        MemorySize: 256,
        Environment: { Variables: { NOTES_TABLE: 'sls-notes-notes-dev', WORD_COUNT_QUEUE_URL: { Ref: 'WordCountQueue' }, STAGE: 'dev' } },
        Tags: { project: 'notes' },
      });
      expect((f.Properties.Policies as { Statement: unknown[] }[])[0]?.Statement).toHaveLength(2);
    }
  });

  it('routes the HTTP API, polls the queue with partial batch responses, and runs the purge hourly with its input', () => {
    const { template } = translate();
    const events = (id: string): unknown => Object.values((template.Resources[id] as Fn).Properties.Events as object);
    expect(events('CreateNoteLambdaFunction')).toEqual([{ Type: 'HttpApi', Properties: { ApiId: { Ref: 'HttpApi' }, Method: 'POST', Path: '/notes' } }]);
    expect(events('GetNoteLambdaFunction')).toEqual([{ Type: 'HttpApi', Properties: { ApiId: { Ref: 'HttpApi' }, Method: 'GET', Path: '/notes/{id}' } }]);
    expect(events('CountWordsLambdaFunction')).toEqual([
      {
        Type: 'SQS',
        Properties: { Queue: { 'Fn::GetAtt': ['WordCountQueue', 'Arn'] }, BatchSize: 5, MaximumBatchingWindowInSeconds: 1, FunctionResponseTypes: ['ReportBatchItemFailures'] },
      },
    ]);
    expect(events('PurgeOldNotesLambdaFunction')).toEqual([{ Type: 'Schedule', Properties: { Schedule: 'rate(1 hour)', Enabled: true, Input: '{"maxAgeDays":1}' } }]);
  });

  it('keeps the table, the queue and the outputs of resources:', () => {
    const { template } = translate();
    expect(template.Resources.NotesTable).toMatchObject({ Type: 'AWS::DynamoDB::Table', Properties: { TableName: 'sls-notes-notes-dev', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }] } });
    expect(template.Resources.WordCountQueue).toEqual({ Type: 'AWS::SQS::Queue', Properties: { QueueName: 'sls-notes-word-count-dev', VisibilityTimeout: 60 } });
    expect(template.Outputs).toEqual({
      NotesTableName: { Description: 'The table the notes are kept in', Value: { Ref: 'NotesTable' } },
      WordCountQueueUrl: { Value: { Ref: 'WordCountQueue' } },
    });
  });

  it('names everything after the stage given with --stage, and takes the stage-specific purge age', () => {
    const { template, stackName } = translate('prod');
    expect(stackName).toBe('sls-notes-prod');
    expect((template.Resources.NotesTable as Fn).Properties.TableName).toBe('sls-notes-notes-prod');
    expect((template.Resources.PurgeOldNotesLambdaFunction as Fn).Properties).toMatchObject({
      FunctionName: 'sls-notes-prod-purgeOldNotes',
      Events: { Schedule0: { Properties: { Input: '{"maxAgeDays":30}' } } },
    });
    // A stage without its own purge age takes the fallback in ${self:custom.maxAgeDays.${sls:stage}, 7}.
    expect((translate('qa').template.Resources.PurgeOldNotesLambdaFunction as Fn).Properties).toMatchObject({ Events: { Schedule0: { Properties: { Input: '{"maxAgeDays":7}' } } } });
  });
});
