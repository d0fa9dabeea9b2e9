import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flintUp, ROOT, runFlint, type RunningFlint } from '../../helpers/cli.js';
import { checkTemplate } from './spec-check/index.js';

const HTTP_API = join(ROOT, 'examples/http-api');

/** The template without its header comment, which names where it came from. */
const body = (text: string): string => text.replace(/^(#.*\n)+/, '');

describe('flint export sam (the real CLI)', () => {
  let flint: RunningFlint;
  beforeAll(async () => {
    flint = await flintUp(HTTP_API, ['--no-watch']);
  });
  afterAll(async () => {
    await flint?.stop();
  });

  it("prints a folder's app as a SAM template on stdout, progress kept off it", async () => {
    const run = await runFlint(['export', 'sam', HTTP_API]);
    expect(run.code).toBe(0);
    const template = parse(run.stdout) as { Transform: string; Resources: Record<string, { Type: string }> };
    expect(template.Transform).toBe('AWS::Serverless-2016-10-31');
    expect(Object.keys(template.Resources)).toEqual(['DefaultHttpApi', 'HelloFunction', 'UsersFunction']);
    expect(run.stdout).toMatch(/^# SAM template written by `flint export sam` from examples\/http-api\/flint.yaml/);
    // What the binary prints passes the check against AWS's resource spec (spec-check.test.ts covers every example).
    expect(checkTemplate(template, { dir: HTTP_API })).toEqual([]);
  });

  it('writes the template to a file with -o and says how to deploy it', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'flint-export-cli-')), 'template.yaml');
    const run = await runFlint(['export', 'sam', HTTP_API, '-o', file]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`wrote ${file}: 2 function(s) of http-api as a SAM template`);
    expect(run.stderr).toContain('sam build --template-file');
    expect((parse(readFileSync(file, 'utf8')) as { Resources: object }).Resources).toHaveProperty('HelloFunction');
  });

  it('exports the app running on the node with --app, the same as its folder', async () => {
    const running = await runFlint(['export', 'sam', '--app', 'http-api', '--endpoint', flint.url]);
    expect(running.code).toBe(0);
    expect(running.stdout).toContain(`from app http-api on ${flint.url}`);
    const folder = await runFlint(['export', 'sam', HTTP_API]);
    expect(body(running.stdout)).toBe(body(folder.stdout));
  });

  it('says what is wrong: an unknown app, a missing format, a folder and --app together', async () => {
    const missing = await runFlint(['export', 'sam', '--app', 'nope', '--endpoint', flint.url]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("no app named 'nope'");
    const noFormat = await runFlint(['export']);
    expect(noFormat.code).toBe(2);
    expect(noFormat.stderr).toContain('say which format: flint export sam');
    const both = await runFlint(['export', 'sam', HTTP_API, '--app', 'http-api']);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('give either a folder or --app <name>, not both');
  });
});
