import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseManifest } from '../../src/manifest/index.js';
import { decodePreparedApp, encodePreparedApp } from '../../src/services/admin/index.js';
import { failureOf, makeApp, yaml } from './helpers.js';

const FUNCTIONS = ['functions:', '  chat:', '    runtime: nodejs22.x', '    handler: index.handler', '  hello:', '    runtime: nodejs22.x', '    handler: index.handler'];

describe('flint.yaml websockets:', () => {
  let app: { dir: string; cleanup: () => void };
  beforeAll(() => {
    app = makeApp({ 'index.js': 'exports.handler = async () => ({});' });
  });
  afterAll(() => app.cleanup());

  it('normalises routes, with the default selection expression and stage', () => {
    const spec = parseManifest(
      yaml(...FUNCTIONS, 'websockets:', '  live:', '    routes:', '      $connect: hello', '      $default: chat', '      sendmessage: { function: chat, routeResponse: true }', '  rooms:', '    routeSelection: $request.body.message.type', '    stage: dev', '    routes:', '      join: chat'),
      join(app.dir, 'flint.yaml'),
    );
    expect(spec.websockets).toEqual([
      {
        name: 'live',
        stage: 'production',
        routeSelection: '$request.body.action',
        routes: [
          { routeKey: '$connect', functionName: 'hello', routeResponse: false },
          { routeKey: '$default', functionName: 'chat', routeResponse: false },
          { routeKey: 'sendmessage', functionName: 'chat', routeResponse: true },
        ],
      },
      { name: 'rooms', stage: 'dev', routeSelection: '$request.body.message.type', routes: [{ routeKey: 'join', functionName: 'chat', routeResponse: false }] },
    ]);
  });

  it('travels to a node with `flint deploy` unchanged (the admin API\'s wire form)', () => {
    const spec = parseManifest(yaml(...FUNCTIONS, 'websockets:', '  live:', '    routes:', '      $default: { function: chat, routeResponse: true }'), join(app.dir, 'flint.yaml'));
    const decoded = decodePreparedApp(encodePreparedApp({ spec, packages: {} }));
    expect('app' in decoded && decoded.app.spec.websockets).toEqual(spec.websockets);
  });

  it('has no websockets in the spec when the manifest declares none', () => {
    expect(parseManifest(yaml(...FUNCTIONS), join(app.dir, 'flint.yaml')).websockets).toBeUndefined();
  });

  it('reports a route naming no function, a selection expression API Gateway does not take, a reserved route key and no routes', () => {
    const { problems } = failureOf(
      yaml(...FUNCTIONS, 'websockets:', '  live:', '    routeSelection: $request.header.x', '    routes:', '      $connect: missing', '      $ping: chat', '      send: { function: gone }', '  empty:', '    routes: {}'),
      app.dir,
    );
    const byField = Object.fromEntries(problems.map((p) => [p.field, p.message]));
    expect(byField['websockets.live.routeSelection']).toMatch(/^expected a route selection expression/);
    expect(byField['websockets.live.routes.$connect']).toBe("no function 'missing' in this manifest (declared: chat, hello)");
    expect(byField['websockets.live.routes.send.function']).toBe("no function 'gone' in this manifest (declared: chat, hello)");
    expect(byField['websockets.live.routes.$ping']).toMatch(/^expected a route key/);
    expect(byField['websockets.empty.routes']).toMatch(/^expected at least one route/);
  });
});
