import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadManifest, parseManifest } from '../../src/manifest/index.js';
import { makeApp, yaml } from './helpers.js';

const FULL = yaml(
  '# yaml-language-server: $schema=../../schema/flint.schema.json',
  'functions:',
  '  hello:',
  '    runtime: nodejs20.x',
  '    handler: src/index.handler',
  '    code: ./api',
  '    environment:',
  '      PORT: 80',
  '      DEBUG: true',
  '      ZIP: 01234',
  '      RATIO: 0.50',
  '      NAME: flint',
  '    events:',
  '      - http: GET /users/{id}',
  '      - http: { method: POST, path: /users/, api: public }',
  '      - http: $default',
  '      - schedule: rate(5 minutes)',
  '  resize:',
  '    runtime: python3.12',
  '    handler: workers/resize.handler',
  '    memory: 1024',
  '    timeout: 60',
  '    ephemeralStorage: 2048',
  '    reservedConcurrency: 5',
  '    provisionedConcurrency: 2',
  '    description: Resizes uploads',
  '    events:',
  '      - schedule: cron(0 12 ? * MON-FRI *)',
  '  native:',
  '    runtime: provided.al2023',
  '    code: bin',
  '    events:',
  '      - http: { path: $default, api: public }',
  '  raw:',
  '    runtime: nodejs22.x',
  '    handler: index.handler',
  '    bundle: false',
  '    external: [sharp]',
  'apis:',
  '  public:',
  '    payload: "1.0"',
  '    cors: true',
  '  admin:',
  '    cors:',
  '      allowOrigins: ["https://example.com"]',
  '      allowMethods: [GET, POST]',
  '      maxAge: 600',
  'resources:',
  '  tables:   { Users: { hashKey: { name: id, type: S }, rangeKey: { name: sk, type: N } } }',
  '  buckets:  { raw-images: {} }',
  '  queues:',
  '    jobs: { visibilityTimeout: 60, deadLetter: { queue: jobs-dlq, maxReceiveCount: 3 } }',
  '    jobs-dlq:',
  '    orders.fifo: {}',
  '  topics:',
  '    user-events:',
);

describe('a valid manifest', () => {
  let cleanup = (): void => {};
  afterEach(() => cleanup());

  async function load(text: string) {
    const app = makeApp({ 'flint.yaml': text, 'api/': '', 'bin/': '' });
    cleanup = app.cleanup;
    return { spec: await loadManifest(app.dir), dir: app.dir };
  }

  it('names the app after its folder and applies function defaults', async () => {
    const { spec, dir } = await load(FULL);
    expect(spec.name).toBe('photo-service');
    expect(spec.dir).toBe(dir);
    expect(spec.file).toBe(join(dir, 'flint.yaml'));
    expect(spec.functions.map((f) => f.name)).toEqual(['hello', 'resize', 'native', 'raw']);
    expect(spec.functions[0]).toEqual({
      name: 'hello',
      runtime: 'nodejs20.x',
      handler: 'src/index.handler',
      codeDir: join(dir, 'api'),
      memorySize: 128,
      timeout: 3,
      ephemeralStorage: 512,
      environment: { PORT: '80', DEBUG: 'true', ZIP: '01234', RATIO: '0.50', NAME: 'flint' },
      description: '',
      bundle: true,
      external: [],
    });
  });

  it('keeps explicit settings and gives non-nodejs runtimes their own defaults', async () => {
    const { spec, dir } = await load(FULL);
    const [, resize, native, raw] = spec.functions;
    expect(resize).toMatchObject({ memorySize: 1024, timeout: 60, ephemeralStorage: 2048, reservedConcurrency: 5, provisionedConcurrency: 2, description: 'Resizes uploads', bundle: false, codeDir: dir });
    expect(native).toMatchObject({ handler: 'handler', codeDir: join(dir, 'bin'), bundle: false });
    expect(native).not.toHaveProperty('reservedConcurrency');
    expect(raw).toMatchObject({ bundle: false, external: ['sharp'] });
  });

  it('parses routes into APIs, creating the default API and applying API settings', async () => {
    const { spec } = await load(FULL);
    expect(spec.apis).toEqual([
      {
        name: 'public',
        payloadVersion: '1.0',
        cors: { allowOrigins: ['*'], allowMethods: ['*'], allowHeaders: ['*'], exposeHeaders: [], allowCredentials: false },
        routes: [
          { routeKey: 'POST /users', method: 'POST', path: '/users', functionName: 'hello' },
          { routeKey: '$default', method: 'ANY', path: '', functionName: 'native' },
        ],
      },
      {
        name: 'admin',
        payloadVersion: '2.0',
        cors: { allowOrigins: ['https://example.com'], allowMethods: ['GET', 'POST'], allowHeaders: [], exposeHeaders: [], maxAge: 600, allowCredentials: false },
        routes: [],
      },
      {
        name: 'default',
        payloadVersion: '2.0',
        routes: [
          { routeKey: 'GET /users/{id}', method: 'GET', path: '/users/{id}', functionName: 'hello' },
          { routeKey: '$default', method: 'ANY', path: '', functionName: 'hello' },
        ],
      },
    ]);
  });

  it('lists schedules and resources', async () => {
    const { spec } = await load(FULL);
    expect(spec.schedules).toEqual([
      { functionName: 'hello', expression: 'rate(5 minutes)' },
      { functionName: 'resize', expression: 'cron(0 12 ? * MON-FRI *)' },
    ]);
    expect(spec.resources).toEqual({
      tables: [{ name: 'Users', hashKey: { name: 'id', type: 'S' }, rangeKey: { name: 'sk', type: 'N' } }],
      buckets: [{ name: 'raw-images' }],
      queues: [
        { name: 'jobs', fifo: false, visibilityTimeout: 60, deadLetter: { queue: 'jobs-dlq', maxReceiveCount: 3 } },
        { name: 'jobs-dlq', fifo: false, visibilityTimeout: 30 },
        { name: 'orders.fifo', fifo: true, visibilityTimeout: 30 },
      ],
      topics: [{ name: 'user-events' }],
      parameters: [],
      secrets: [],
    });
  });

  it('takes the app name from app: and resolves code folders from the manifest folder', () => {
    const app = makeApp({ 'svc/code/': '' });
    cleanup = app.cleanup;
    const text = yaml('app: billing', 'functions:', '  f:', '    runtime: nodejs20.x', '    handler: index.handler', '    code: code');
    const spec = parseManifest(text, join(app.dir, 'svc', 'flint.yaml'));
    expect(spec.name).toBe('billing');
    expect(spec.dir).toBe(join(app.dir, 'svc'));
    expect(spec.functions[0]?.codeDir).toBe(join(app.dir, 'svc', 'code'));
    expect(spec.apis).toEqual([]);
    expect(spec.resources).toEqual({ tables: [], buckets: [], queues: [], topics: [], parameters: [], secrets: [] });
  });

  it('lowercases the folder name for the default app name', () => {
    const app = makeApp({}, 'Photo-Service');
    cleanup = app.cleanup;
    const spec = parseManifest(yaml('functions:', '  f:', '    runtime: provided'), join(app.dir, 'flint.yaml'));
    expect(spec.name).toBe('photo-service');
  });

  it('accepts payload written as a YAML number and the API name in object routes', () => {
    const app = makeApp();
    cleanup = app.cleanup;
    const text = yaml(
      'functions:',
      '  f:',
      '    runtime: nodejs20.x',
      '    handler: index.handler',
      '    events:',
      '      - http: { method: ANY, path: "/files/{key+}", api: files }',
      'apis:',
      '  files:',
      '    payload: 1.0',
    );
    const spec = parseManifest(text, join(app.dir, 'flint.yaml'));
    expect(spec.apis).toEqual([{ name: 'files', payloadVersion: '1.0', routes: [{ routeKey: 'ANY /files/{key+}', method: 'ANY', path: '/files/{key+}', functionName: 'f' }] }]);
  });
});
