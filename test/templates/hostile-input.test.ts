import { describe, expect, it } from 'vitest';
import { loadApp } from '../../src/templates/index.js';
import { makeApp } from '../manifest/helpers.js';
import { problemOf, translate } from './helpers.js';

/** Regressions the app-file fuzzer (test/fuzz/manifest.test.ts) found: each failed with a crash instead of words. */
describe('templates refuse hostile input in words', () => {
  const fn = `
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties: { Runtime: nodejs20.x, Handler: index.handler }
`;

  it('names a parameter that is not a map (a stray key under Parameters) instead of crashing', () => {
    const message = problemOf(() => translate(`Parameters:\n  Stage:\n    Type: String\n    Default: dev\n  Description: stray text\n  Empty:\n${fn}`));
    expect(message).toContain('parameter Description must be a map with a Type');
    expect(message).toContain('parameter Empty must be a map with a Type');
  });

  it('refuses an AllowedPattern that is not a regular expression as a constraint the value fails', () => {
    const message = problemOf(() => translate(`Parameters:\n  Stage:\n    Type: String\n    Default: dev\n    AllowedPattern: "([a-z"\n${fn}`));
    expect(message).toContain('does not match its AllowedPattern ([a-z');
  });

  it('refuses a RedrivePolicy string that is not JSON, naming the property, instead of a SyntaxError', () => {
    const message = problemOf(() => translate(`${fn}  Queue:\n    Type: AWS::SQS::Queue\n    Properties:\n      RedrivePolicy: "deadLetterTargetArn: x"\n`));
    expect(message).toContain('RedrivePolicy');
    expect(message).toContain('is a string that is not JSON');
  });

  it('refuses an alias bomb in a SAM template without expanding it', () => {
    const levels = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i <= 9; i++) levels.push(`a${i}: &a${i} [${Array.from({ length: 10 }, () => `*a${i - 1}`).join(', ')}]`);
    const started = performance.now();
    const message = problemOf(() => translate(`Metadata:\n${levels.map((l) => `  ${l}`).join('\n')}\n${fn}`));
    expect(message).toMatch(/YAML aliases here expand past \d+ values/);
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('refuses an alias bomb in a serverless.yml with the loader error, not a crash', async () => {
    const levels = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i <= 9; i++) levels.push(`a${i}: &a${i} [${Array.from({ length: 10 }, () => `*a${i - 1}`).join(', ')}]`);
    const app = makeApp({ 'serverless.yml': `service: bomb\nprovider: { name: aws, runtime: nodejs20.x }\ncustom:\n${levels.map((l) => `  ${l}`).join('\n')}\n` });
    try {
      await expect(loadApp(app.dir)).rejects.toMatchObject({ code: 'MANIFEST_INVALID', message: expect.stringContaining('its YAML aliases expand too far') });
    } finally {
      app.cleanup();
    }
  });
});
