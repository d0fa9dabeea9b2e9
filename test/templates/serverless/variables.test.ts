import { describe, expect, it } from 'vitest';
import { isFlintError } from '../../../src/core/index.js';
import { fn, translate } from './helpers.js';

const withEnv = (lines: string, extra = ''): string => `service: notes
${extra}
provider:
  name: aws
  runtime: nodejs22.x
functions:
  f:
    handler: index.handler
    environment:
${lines}
`;

/** The environment variables of the one function `f` of a serverless.yml written from `text`. */
function variablesOf(text: string, options: Parameters<typeof translate>[1] = {}, files: Record<string, string> = {}): Record<string, unknown> {
  return (fn(translate(text, options, files), 'f').Environment as { Variables: Record<string, unknown> }).Variables;
}

/** The same, for `environment:` lines and top-level sections (custom:, params:) beside them. */
function env(lines: string, extra = '', options: Parameters<typeof translate>[1] = {}, files: Record<string, string> = {}): Record<string, unknown> {
  return variablesOf(withEnv(lines, extra), options, files);
}

describe('serverless.yml variables (https://www.serverless.com/framework/docs/providers/aws/guide/variables)', () => {
  it('reads ${self:...} with nested paths, and values that hold variables themselves', () => {
    const vars = env(
      '      TABLE: ${self:custom.tables.notes}\n      SERVICE: ${self:service}\n      FULL: ${self:custom.fullName}',
      'custom:\n  tables:\n    notes: ${self:service}-table\n  fullName: ${self:custom.tables.notes}-${sls:stage}',
    );
    expect(vars).toEqual({ TABLE: 'notes-table', SERVICE: 'notes', FULL: 'notes-table-dev' });
  });

  it('takes the stage from --stage, else provider.stage, else dev; ${sls:stage} and ${opt:stage, ...} follow it', () => {
    const text = withEnv("      STAGE: ${sls:stage}\n      OPT: ${opt:stage, 'none'}");
    expect(variablesOf(text)).toEqual({ STAGE: 'dev', OPT: 'none' });
    expect(variablesOf(text, { stage: 'prod' })).toEqual({ STAGE: 'prod', OPT: 'prod' });
    const withProviderStage = text.replace('  runtime: nodejs22.x', "  runtime: nodejs22.x\n  stage: ${opt:stage, 'qa'}");
    expect(variablesOf(withProviderStage)).toEqual({ STAGE: 'qa', OPT: 'none' });
    expect(translate(withProviderStage).stackName).toBe('notes-qa');
    expect(translate(withProviderStage, { stage: 'prod' }).stackName).toBe('notes-prod');
  });

  it('uses fallbacks in order: quoted text, numbers, booleans, another variable, a nested ${...}', () => {
    const vars = env(
      [
        "      A: ${opt:missing, 'fallback, with comma'}",
        '      B: ${env:NOPE, 42}',
        '      C: ${env:NOPE, opt:nope, self:custom.x}',
        '      D: ${env:NOPE, ${self:custom.x}}',
        '      E: ${env:HOME_REGION, "eu-west-1"}',
      ].join('\n'),
      'custom:\n  x: from-custom',
    );
    // Environment values are text in Lambda: numbers become strings.
    expect(vars).toEqual({ A: 'fallback, with comma', B: '42', C: 'from-custom', D: 'from-custom', E: 'eu-west-1' });
  });

  it('reads ${env:NAME} from the given environment and ${opt:name} from the given options', () => {
    const vars = env('      KEY: ${env:API_KEY}\n      LEVEL: ${opt:logLevel}', '', { env: { API_KEY: 'k-123' }, options: { logLevel: 'debug' } });
    expect(vars).toEqual({ KEY: 'k-123', LEVEL: 'debug' });
  });

  it('resolves several variables in one string, and a variable inside another variable', () => {
    const vars = env(
      '      NAME: ${self:service}-${sls:stage}-${self:custom.suffix}\n      SIZE: ${self:custom.sizes.${sls:stage}}',
      'custom:\n  suffix: v2\n  sizes:\n    dev: small\n    prod: large',
    );
    expect(vars).toEqual({ NAME: 'notes-dev-v2', SIZE: 'small' });
  });

  it('reads ${file(./x.yml):key} and whole files, with variables inside them resolved against serverless.yml', () => {
    const files = { 'config.yml': 'dev:\n  table: ${self:service}-dev-table\n  limit: 5\n', 'extra.json': '{"colour": "blue"}' };
    const lines = '      TABLE: ${file(./config.yml):${sls:stage}.table}\n      LIMIT: ${file(./config.yml):dev.limit}\n      COLOUR: ${self:custom.extra.colour}';
    const vars = env(lines, 'custom:\n  extra: ${file(./extra.json)}', {}, files);
    expect(vars).toEqual({ TABLE: 'notes-dev-table', LIMIT: '5', COLOUR: 'blue' });
  });

  it('keeps a variable that is the whole value as the value it resolves to (an object, a list)', () => {
    const result = translate(`service: notes
custom:
  memory: 512
  env: { A: one, B: two }
provider:
  name: aws
  memorySize: \${self:custom.memory}
  environment: \${self:custom.env}
functions:
  f:
    handler: index.handler
`);
    expect(fn(result, 'f').MemorySize).toBe(512);
    expect(fn(result, 'f').Environment).toEqual({ Variables: { A: 'one', B: 'two' } });
  });

  it('reads ${param:x} from params.<stage> and params.default (v3), and stages.<stage>.params (v4)', () => {
    const v3 = env('      URL: ${param:url}\n      MODE: ${param:mode}', 'params:\n  default:\n    url: http://default\n    mode: slow\n  prod:\n    url: http://prod');
    expect(v3).toEqual({ URL: 'http://default', MODE: 'slow' });
    const v4 = withEnv('      URL: ${param:url}', 'stages:\n  default:\n    params:\n      url: http://default\n  prod:\n    params:\n      url: http://prod');
    expect(variablesOf(v4, { stage: 'prod' })).toEqual({ URL: 'http://prod' });
  });

  it('gives ${aws:region} and ${aws:accountId} (as the AWS::AccountId pseudo parameter, joined where it is part of text)', () => {
    const vars = env('      REGION: ${aws:region}\n      ACCOUNT: ${aws:accountId}\n      ARN: arn:aws:sqs:${aws:region}:${aws:accountId}:jobs', '', {
      options: { region: 'eu-west-1' },
    });
    expect(vars).toEqual({
      REGION: 'eu-west-1',
      ACCOUNT: { Ref: 'AWS::AccountId' },
      ARN: { 'Fn::Join': ['', ['arn:aws:sqs:eu-west-1:', { Ref: 'AWS::AccountId' }, ':jobs']] },
    });
  });

  it('leaves CloudFormation Fn::Sub references (${AWS::Region}, ${MyQueue.Arn}) as written', () => {
    const result = translate(`${'service: notes'}
provider:
  name: aws
functions:
  f:
    handler: index.handler
    environment:
      QUEUE: !Sub 'https://sqs.\${AWS::Region}.amazonaws.com/\${AWS::AccountId}/\${JobsQueue.QueueName}-\${sls:stage}'
`);
    expect((fn(result, 'f').Environment as { Variables: unknown }).Variables).toEqual({
      QUEUE: { 'Fn::Sub': 'https://sqs.${AWS::Region}.amazonaws.com/${AWS::AccountId}/${JobsQueue.QueueName}-dev' },
    });
  });

  it('reports ${cf:...}, ${ssm:...} and plugin variable sources as unsupported, using a fallback when there is one', () => {
    const result = translate(withEnv("      A: ${cf:other-stack.TableName}\n      B: ${ssm:/notes/key, 'local-key'}\n      C: ${vault:secret/x}"));
    expect((fn(result, 'f').Environment as { Variables: unknown }).Variables).toEqual({ A: '', B: 'local-key', C: '' });
    expect(result.unsupported).toEqual([
      expect.stringMatching(/^functions\.f\.environment\.A: \$\{cf:other-stack\.TableName\} reads CloudFormation stack outputs of other stacks, which Flint cannot do/),
      expect.stringMatching(/^functions\.f\.environment\.B: \$\{ssm:\/notes\/key\} reads SSM parameters/),
      expect.stringMatching(/^functions\.f\.environment\.C: \$\{vault:secret\/x\} uses the variable source 'vault'/),
    ]);
  });

  it('refuses a variable with no value and no fallback, naming it, where it is and what to do', () => {
    const attempt = (): unknown => translate(withEnv('      KEY: ${env:API_KEY}'));
    expect(attempt).toThrow(/cannot resolve \$\{env:API_KEY\} at functions\.f\.environment\.KEY: the environment variable API_KEY is not set/);
    try {
      attempt();
    } catch (error) {
      expect(isFlintError(error, 'MANIFEST_INVALID')).toBe(true);
    }
  });

  it('refuses a ${self:...} that refers to itself instead of looping', () => {
    expect(() => translate(withEnv('      A: ${self:custom.a}', 'custom:\n  a: ${self:custom.b}\n  b: ${self:custom.a}'))).toThrow(/refers to itself/);
  });
});

describe('serverless.yml .env files (https://www.serverless.com/framework/docs/environment-variables)', () => {
  const text = (extra: string): string => `service: notes\n${extra}\nprovider:\n  name: aws\nfunctions:\n  f:\n    handler: index.handler\n    environment:\n      KEY: \${env:API_KEY}\n      MODE: \${env:MODE, 'none'}\n`;
  const files = { '.env': 'API_KEY=from-dotenv\n# a comment\nexport MODE="quoted mode"\n', '.env.prod': "API_KEY='prod-key'\n" };
  const vars = (extra: string, options: Parameters<typeof translate>[1] = {}): unknown => (fn(translate(text(extra), options, files), 'f').Environment as { Variables: unknown }).Variables;

  it('reads .env (v4), .env.<stage> when there is one, the environment winning over both', () => {
    expect(vars("frameworkVersion: '4'")).toEqual({ KEY: 'from-dotenv', MODE: 'quoted mode' });
    expect(vars("frameworkVersion: '4'", { stage: 'prod' })).toEqual({ KEY: 'prod-key', MODE: 'none' });
    expect(vars("frameworkVersion: '4'", { env: { API_KEY: 'from-env' } })).toEqual({ KEY: 'from-env', MODE: 'quoted mode' });
  });

  it('reads them in v3 only with useDotenv: true', () => {
    expect(vars("frameworkVersion: '3'\nuseDotenv: true")).toEqual({ KEY: 'from-dotenv', MODE: 'quoted mode' });
    expect(() => vars("frameworkVersion: '3'")).toThrow(/the environment variable API_KEY is not set/);
  });
});
