import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseManifest } from '../../src/manifest/index.js';
import { failureOf, makeApp, problemLines, yaml } from './helpers.js';

/** A valid function on lines 1-4; tests append fields (from line 5) or events (from line 6). */
const HEAD = ['functions:', '  hello:', '    runtime: nodejs20.x', '    handler: src/index.handler'];
const withFields = (...lines: string[]): string => yaml(...HEAD, ...lines);
const withEvents = (...events: string[]): string => yaml(...HEAD, '    events:', ...events.map((e) => `      - ${e}`));

describe('manifest problems', () => {
  let dir = '';
  let cleanup = (): void => {};
  beforeEach(() => ({ dir, cleanup } = makeApp({ 'api/': '', 'README.md': 'not a folder' })));
  afterEach(() => cleanup());

  const lines = (text: string): string[] => problemLines(text, dir);

  it('reports a value out of range with file:line:column, field, expectation and the value found', () => {
    expect(lines(withFields('    memory: 64'))).toEqual(['flint.yaml:5:5: functions.hello.memory: expected an integer from 128 to 10240, got 64']);
    expect(lines(withFields('    timeout: 901'))).toEqual(['flint.yaml:5:5: functions.hello.timeout: expected an integer from 1 to 900, got 901']);
    expect(lines(withFields('    ephemeralStorage: 256'))).toEqual(['flint.yaml:5:5: functions.hello.ephemeralStorage: expected an integer from 512 to 10240, got 256']);
    expect(lines(withFields('    description: "' + 'x'.repeat(257) + '"'))[0]).toMatch(/^flint\.yaml:5:5: functions\.hello\.description: expected at most 256 characters, got "x+…"$/);
  });

  it('reports a value of the wrong type', () => {
    expect(lines(withFields('    memory: lots'))).toEqual(['flint.yaml:5:5: functions.hello.memory: expected an integer from 128 to 10240, got "lots"']);
    expect(lines(withFields('    timeout: 1.5'))).toEqual(['flint.yaml:5:5: functions.hello.timeout: expected an integer from 1 to 900, got 1.5']);
    expect(lines(withFields('    environment: [A]'))).toEqual(['flint.yaml:5:5: functions.hello.environment: expected a map of variable names to values, got a list']);
    expect(lines(withFields('    bundle: "no"'))).toEqual(['flint.yaml:5:5: functions.hello.bundle: expected true or false, got "no"']);
  });

  it('reports a missing required field at its parent', () => {
    expect(lines(yaml('functions:', '  hello:', '    handler: index.handler'))).toEqual(["flint.yaml:2:3: functions.hello: missing required field 'runtime'"]);
    expect(lines(yaml('functions:', '  hello:', '    runtime: python3.12'))).toEqual(["flint.yaml:2:3: functions.hello: missing required field 'handler'"]);
    expect(lines(yaml('app: x'))).toEqual(["flint.yaml:1:1: missing required field 'functions'"]);
  });

  it('accepts a provided runtime without a handler', () => {
    const spec = parseManifest(yaml('functions:', '  hello:', '    runtime: provided.al2'), join(dir, 'flint.yaml'));
    expect(spec.functions[0]?.handler).toBe('handler');
  });

  it('reports an unknown field, suggesting the field meant', () => {
    expect(lines(withFields('    memroy: 256'))).toEqual(["flint.yaml:5:5: functions.hello.memroy: unknown field 'memroy' (did you mean 'memory'?)"]);
    expect(lines(yaml('function:', '  hello: {}'))).toEqual([
      "flint.yaml:1:1: missing required field 'functions'",
      "flint.yaml:1:1: function: unknown field 'function' (did you mean 'functions'?)",
    ]);
    expect(lines(withFields('    colour: blue'))).toEqual([
      "flint.yaml:5:5: functions.hello.colour: unknown field 'colour' (expected one of: runtime, handler, code, memory, timeout, ephemeralStorage, environment, reservedConcurrency, provisionedConcurrency, description, bundle, external, events, url, async, layers, role, policies)",
    ]);
  });

  it('reports a bad runtime, listing the valid ones', () => {
    const text = yaml('functions:', '  hello:', '    runtime: nodejs20', '    handler: index.handler');
    expect(lines(text)).toEqual([
      'flint.yaml:3:5: functions.hello.runtime: expected a runtime, one of nodejs18.x, nodejs20.x, nodejs22.x, nodejs24.x, python3.9, python3.10, python3.11, python3.12, python3.13, python3.14, provided, provided.al2, provided.al2023, got "nodejs20" (did you mean \'nodejs20.x\'?)',
    ]);
  });

  it('suggests the nearest supported version of a runtime, not the first one listed', () => {
    const hint = (runtime: string) => lines(yaml('functions:', '  hello:', `    runtime: ${runtime}`, '    handler: index.handler'))[0]?.replace(/.*got /, 'got ');
    expect(hint('python3.15')).toBe(`got "python3.15" (did you mean 'python3.14'?)`);
    expect(hint('nodejs26.x')).toBe(`got "nodejs26.x" (did you mean 'nodejs24.x'?)`);
    expect(hint('nodejs21.x')).toBe(`got "nodejs21.x" (did you mean 'nodejs22.x'?)`);
    expect(hint('python3.7')).toBe(`got "python3.7" (did you mean 'python3.9'?)`);
    expect(hint('provided.al2024')).toBe(`got "provided.al2024" (did you mean 'provided.al2023'?)`);
    expect(hint('pyhton3.12')).toBe(`got "pyhton3.12" (did you mean 'python3.12'?)`);
  });

  it('reports a badly formed handler for the runtime', () => {
    const text = yaml('functions:', '  hello:', '    runtime: nodejs20.x', '    handler: index');
    expect(lines(text)).toEqual(['flint.yaml:4:5: functions.hello.handler: expected "file.export" such as "src/index.handler", got "index"']);
  });

  it('reports bad route syntax at the event', () => {
    expect(lines(withEvents('http: FETCH /users'))).toEqual([
      'flint.yaml:6:9: functions.hello.events[0].http: expected a method, one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS, ANY, got "FETCH"',
    ]);
    expect(lines(withEvents('http: GET users'))).toEqual(['flint.yaml:6:9: functions.hello.events[0].http: expected a path starting with "/", got "users"']);
    expect(lines(withEvents('http: GET'))).toEqual([
      'flint.yaml:6:9: functions.hello.events[0].http: expected "METHOD /path" (METHOD one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS, ANY) or "$default", got "GET"',
    ]);
    expect(lines(withEvents('http: GET /a/{id}/b/{id}'))).toEqual(['flint.yaml:6:9: functions.hello.events[0].http: path "/a/{id}/b/{id}" uses parameter {id} twice']);
    expect(lines(withEvents('http: GET /files/{key+}/meta'))).toEqual([
      'flint.yaml:6:9: functions.hello.events[0].http: greedy parameter {key+} must be the last segment of "/files/{key+}/meta"',
    ]);
    expect(lines(withEvents('http: { method: GET }'))).toEqual(["flint.yaml:6:9: functions.hello.events[0].http: missing required field 'path'"]);
    expect(lines(withEvents('http: { method: GET, path: "/x/{a.b}/y{z}" }'))).toEqual([
      'flint.yaml:6:30: functions.hello.events[0].http.path: path segment "y{z}" is not valid: a parameter must be a whole segment, {name} or a final {name+}',
    ]);
    expect(lines(withEvents('http: 42'))).toEqual([
      'flint.yaml:6:9: functions.hello.events[0].http: expected "METHOD /path", "$default" or a map with method, path and api, got 42',
    ]);
  });

  it('reports an unknown event type, listing the known ones', () => {
    expect(lines(withEvents('kinesis: clicks'))).toEqual([
      "flint.yaml:6:9: functions.hello.events[0].kinesis: unknown event type 'kinesis' (expected one of: http, schedule, sqs, sns, s3, dynamodb, eventBridge)",
    ]);
    expect(lines(withEvents('{ http: GET /, schedule: rate(1 day) }'))).toEqual([
      'flint.yaml:6:9: functions.hello.events[0]: an event has one type; put http and schedule in separate list items',
    ]);
  });

  it('reports the same route claimed by two functions, naming both', () => {
    const text = yaml(
      'functions:',
      '  users:',
      '    runtime: nodejs20.x',
      '    handler: users.handler',
      '    events: [ { http: "GET /users/{id}" } ]',
      '  profiles:',
      '    runtime: nodejs20.x',
      '    handler: profiles.handler',
      '    events:',
      '      - http: { method: GET, path: "/users/{userId}/" }',
      '      - http: { method: GET, path: "/users/{userId}", api: other }',
    );
    expect(lines(text)).toEqual([
      `flint.yaml:10:9: functions.profiles.events[0].http: route "GET /users/{userId}" in API 'default' is claimed by both functions 'users' and 'profiles'`,
    ]);
  });

  it('reports a code folder that does not exist or is not a folder, on the code line', () => {
    expect(lines(withFields('    code: ./missing'))).toEqual([`flint.yaml:5:5: functions.hello.code: code "./missing" does not exist (${join(dir, 'missing')})`]);
    expect(lines(withFields('    code: README.md'))).toEqual([`flint.yaml:5:5: functions.hello.code: code "README.md" is neither a folder nor a .zip file (${join(dir, 'README.md')})`]);
  });

  it('reports YAML syntax errors with line and column', () => {
    const [line] = lines(yaml('functions:', '  hello:', '    runtime: nodejs20.x', '   handler: [index.handler'));
    expect(line).toMatch(/^flint\.yaml:4:\d+: invalid YAML: /);
    expect(lines(yaml('functions:', '  hello: {}', '  hello: {}'))).toEqual(['flint.yaml:3:3: invalid YAML: Map keys must be unique']);
  });

  it('reports bad schedule expressions', () => {
    const cases: [string, string][] = [
      ['rate(5 minute)', 'rate(5 minute) must use the plural unit: rate(5 minutes)'],
      ['rate(1 hours)', 'rate(1 hours) must use the singular unit: rate(1 hour)'],
      ['rate(0 days)', 'rate value must be at least 1, got 0'],
      ['rate(5 weeks)', 'expected rate(N minutes|hours|days) or cron(minutes hours day-of-month month day-of-week year), got "rate(5 weeks)"'],
      ['every day', 'expected rate(N minutes|hours|days) or cron(minutes hours day-of-month month day-of-week year), got "every day"'],
      ['cron(0 12 * * ?)', 'expected 6 cron fields (minutes hours day-of-month month day-of-week year), got 5'],
      ['cron(0 24 * * ? *)', 'cron hours field "24" is not valid (values 0-23, with , - * /)'],
      ['cron(0 12 * * * *)', `cron needs '?' in exactly one of day-of-month and day-of-week, got "*" and "*"`],
      ['cron(0 12 ? FOO ? *)', 'cron month field "FOO" is not valid (values 1-12 or JAN-DEC, with , - * /)'],
    ];
    for (const [expression, message] of cases) {
      expect(lines(withEvents(`schedule: ${expression}`)), expression).toEqual([`flint.yaml:6:9: functions.hello.events[0].schedule: ${message}`]);
    }
  });

  it('accepts the schedule expressions EventBridge accepts', () => {
    const valid = ['rate(1 minute)', 'rate(5 minutes)', 'rate(1 hour)', 'rate(12 hours)', 'rate(1 day)', 'rate(7 days)', 'cron(0 12 * * ? *)', 'cron(0/15 8-17 ? * MON-FRI *)', 'cron(0 18 L * ? *)', 'cron(0 9 ? * 6L 2026)', 'cron(30 6 ? * 2#1 *)', 'cron(0 0 15W JAN,JUL ? *)'];
    for (const expression of valid) {
      const spec = parseManifest(withEvents(`schedule: ${expression}`), join(dir, 'flint.yaml'));
      expect(spec.schedules, expression).toEqual([{ functionName: 'hello', expression }]);
    }
  });

  it('reports environment variable names that Lambda rejects or reserves', () => {
    expect(lines(withFields('    environment:', '      AWS_REGION: eu-west-1', '      AWS_LAMBDA_FUNCTION_NAME: x', '      1BAD: y', '      OK: { a: 1 }'))).toEqual([
      'flint.yaml:6:7: functions.hello.environment.AWS_REGION: AWS_REGION is reserved by Lambda and cannot be set',
      'flint.yaml:7:7: functions.hello.environment.AWS_LAMBDA_FUNCTION_NAME: AWS_LAMBDA_FUNCTION_NAME is reserved by Lambda and cannot be set',
      'flint.yaml:8:7: functions.hello.environment.1BAD: expected a variable name matching ^[a-zA-Z]([a-zA-Z0-9_])+$, got "1BAD"',
      'flint.yaml:9:7: functions.hello.environment.OK: expected a string, number or boolean, got a map',
    ]);
  });

  it('accepts the AWS_LAMBDA_ variables Lambda leaves to users, such as AWS_LAMBDA_EXEC_WRAPPER', () => {
    const spec = parseManifest(withFields('    environment:', '      AWS_LAMBDA_EXEC_WRAPPER: /opt/wrapper'), join(dir, 'flint.yaml'));
    expect(spec.functions[0]?.environment).toEqual({ AWS_LAMBDA_EXEC_WRAPPER: '/opt/wrapper' });
  });

  it('reports resource problems, including a dead-letter queue that is not declared', () => {
    const text = yaml(
      ...HEAD,
      'resources:',
      '  tables: { Users: { hashKey: { name: id, type: X } } }',
      '  queues:',
      '    jobs: { deadLetter: { queue: jobs-dlq } }',
      '  buckets: { Raw_Images: {} }',
    );
    expect(lines(text)).toEqual([
      'flint.yaml:6:43: resources.tables.Users.hashKey.type: expected S (string), N (number) or B (binary), got "X"',
      "flint.yaml:8:27: resources.queues.jobs.deadLetter.queue: no queue 'jobs-dlq' under resources.queues (declared: jobs)",
      'flint.yaml:9:14: resources.buckets.Raw_Images: expected a bucket name matching ^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$, got "Raw_Images"',
    ]);
  });

  it('reports every problem at once, in file order, with structured details', () => {
    const text = yaml(
      'functions:',
      '  hello:',
      '    runtime: nodejs20.x',
      '    handler: src/index.handler',
      '    timeout: 0',
      '    memroy: 256',
      '    code: ./nowhere',
      '    events:',
      '      - http: GET /a',
      '      - schedule: rate(2 hour)',
      '  other:',
      '    runtime: java21',
      '    events: [ { http: GET /a } ]',
    );
    const failure = failureOf(text, dir);
    expect(failure.message.split('\n')).toEqual([
      'flint.yaml:5:5: functions.hello.timeout: expected an integer from 1 to 900, got 0',
      "flint.yaml:6:5: functions.hello.memroy: unknown field 'memroy' (did you mean 'memory'?)",
      `flint.yaml:7:5: functions.hello.code: code "./nowhere" does not exist (${join(dir, 'nowhere')})`,
      'flint.yaml:10:9: functions.hello.events[1].schedule: rate(2 hour) must use the plural unit: rate(2 hours)',
      expect.stringMatching(/^flint\.yaml:12:5: functions\.other\.runtime: expected a runtime, one of nodejs18\.x, .*, got "java21"$/),
      `flint.yaml:13:17: functions.other.events[0].http: route "GET /a" in API 'default' is claimed by both functions 'hello' and 'other'`,
    ]);
    expect(failure.problems[0]).toEqual({
      file: join(dir, 'flint.yaml'),
      line: 5,
      column: 5,
      field: 'functions.hello.timeout',
      message: 'expected an integer from 1 to 900, got 0',
    });
    expect(failure.problems).toHaveLength(6);
  });

  it('names the file relative to the working directory, or absolutely when that is shorter', () => {
    const text = withFields('    memory: 64');
    const problem = 'functions.hello.memory: expected an integer from 128 to 10240, got 64';
    expect(failureOf(text, dir, join(dir, 'api')).message).toBe(`../flint.yaml:5:5: ${problem}`);
    expect(failureOf(text, dir, '/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p').message).toBe(`${join(dir, 'flint.yaml')}:5:5: ${problem}`);
  });
});
