import { describe, expect, it } from 'vitest';
import { isFlintError } from '../../../src/core/index.js';
import { compileRoutes, type Route } from '../../../src/services/apigateway/index.js';

const routes = (...keys: string[]): Route[] => keys.map((routeKey, i) => ({ routeKey, functionName: `fn${i}` }));

function matched(table: ReturnType<typeof compileRoutes>, method: string, path: string): string | undefined {
  return table.match(method, path)?.route.routeKey;
}

function thrownCode(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return isFlintError(error) ? error.code : 'not a FlintError';
  }
  return undefined;
}

describe('route precedence', () => {
  // The example table of the API Gateway developer guide ("Routing API requests"), plus $default.
  const table = compileRoutes(routes('$default', 'ANY /{proxy+}', 'GET /pets/{proxy+}', 'GET /pets/dog/{id}', 'GET /pets/dog/1'));

  it.each([
    ['GET', '/pets/dog/1', 'GET /pets/dog/1'],
    ['GET', '/pets/dog/2', 'GET /pets/dog/{id}'],
    ['GET', '/pets/cat/1', 'GET /pets/{proxy+}'],
    ['POST', '/test/5', 'ANY /{proxy+}'],
    ['POST', '/pets/dog/1', 'ANY /{proxy+}'],
  ])('%s %s → %s', (method, path, expected) => {
    expect(matched(table, method, path)).toBe(expected);
  });

  it('prefers a method-specific route over ANY on the same path, whatever the declaration order', () => {
    const t = compileRoutes(routes('ANY /items', 'GET /items', 'ANY /items/{id}', 'DELETE /items/{id}'));
    expect(matched(t, 'GET', '/items')).toBe('GET /items');
    expect(matched(t, 'POST', '/items')).toBe('ANY /items');
    expect(matched(t, 'DELETE', '/items/7')).toBe('DELETE /items/{id}');
    expect(matched(t, 'PUT', '/items/7')).toBe('ANY /items/{id}');
  });

  it('prefers a literal segment over a variable, segment by segment from the left', () => {
    const t = compileRoutes(routes('GET /{kind}/{id}', 'GET /users/{id}', 'GET /users/me', 'GET /{kind}/me'));
    expect(matched(t, 'GET', '/users/me')).toBe('GET /users/me');
    expect(matched(t, 'GET', '/users/42')).toBe('GET /users/{id}');
    expect(matched(t, 'GET', '/teams/me')).toBe('GET /{kind}/me');
    expect(matched(t, 'GET', '/teams/42')).toBe('GET /{kind}/{id}');
  });

  it('prefers any full match over a greedy variable, and the longer literal prefix among greedy routes', () => {
    const t = compileRoutes(routes('ANY /api/{proxy+}', 'GET /{a}/{b}', 'ANY /api/v1/{proxy+}'));
    expect(matched(t, 'GET', '/api/x')).toBe('GET /{a}/{b}');
    expect(matched(t, 'GET', '/api/x/y')).toBe('ANY /api/{proxy+}');
    expect(matched(t, 'GET', '/api/v1/x/y')).toBe('ANY /api/v1/{proxy+}');
    expect(matched(t, 'GET', '/api/v2/x')).toBe('ANY /api/{proxy+}');
  });

  it('uses $default only when no other route matches, and matches nothing without it', () => {
    const t = compileRoutes(routes('GET /health', '$default'));
    expect(matched(t, 'GET', '/health')).toBe('GET /health');
    expect(matched(t, 'POST', '/health')).toBe('$default');
    expect(matched(t, 'GET', '/elsewhere')).toBe('$default');
    const withoutDefault = compileRoutes(routes('GET /health'));
    expect(withoutDefault.match('POST', '/health')).toBeUndefined();
    expect(withoutDefault.match('GET', '/other')).toBeUndefined();
  });

  it('matches the root route only at /', () => {
    const t = compileRoutes(routes('GET /', 'GET /a'));
    expect(matched(t, 'GET', '/')).toBe('GET /');
    expect(matched(t, 'GET', '/a')).toBe('GET /a');
    expect(t.match('GET', '/b')).toBeUndefined();
  });
});

describe('route matching rules', () => {
  it('is case-sensitive for paths and case-insensitive for methods', () => {
    const t = compileRoutes(routes('GET /Users', 'post /orders'));
    expect(matched(t, 'get', '/Users')).toBe('GET /Users');
    expect(t.match('GET', '/users')).toBeUndefined();
    expect(matched(t, 'POST', '/orders')).toBe('post /orders');
  });

  it('treats a trailing slash as significant, as HTTP APIs do', () => {
    const t = compileRoutes(routes('GET /pets/dog', 'GET /pets/{id}', 'ANY /files/{proxy+}'));
    expect(t.match('GET', '/pets/dog/')).toBeUndefined();
    expect(t.match('GET', '/pets/')).toBeUndefined();
    expect(t.match('GET', '/files')).toBeUndefined();
    expect(t.match('GET', '/files/')?.pathParameters).toEqual({ proxy: '' });
  });

  it('URL-decodes path parameters and literal segments', () => {
    const t = compileRoutes(routes('GET /users/{id}/files/{name}', 'GET /caf\u00e9'));
    expect(t.match('GET', '/users/j%C3%B6rg/files/a%20b%2Bc.txt')?.pathParameters).toEqual({ id: 'jörg', name: 'a b+c.txt' });
    expect(matched(t, 'GET', '/caf%C3%A9')).toBe('GET /caf\u00e9');
    // A malformed escape is passed on as sent rather than failing the request.
    expect(t.match('GET', '/users/100%/files/x')?.pathParameters).toEqual({ id: '100%', name: 'x' });
  });

  it('lets a greedy variable capture the rest of the path, slashes included', () => {
    const t = compileRoutes(routes('ANY /static/{path+}', 'ANY /{proxy+}'));
    expect(t.match('GET', '/static/css/site%20main.css')).toEqual({
      route: { routeKey: 'ANY /static/{path+}', functionName: 'fn0' },
      pathParameters: { path: 'css/site main.css' },
    });
    expect(t.match('DELETE', '/a/b/c')?.pathParameters).toEqual({ proxy: 'a/b/c' });
  });

  it('does not match an empty path variable', () => {
    const t = compileRoutes(routes('GET /a/{x}/b'));
    expect(t.match('GET', '/a//b')).toBeUndefined();
    expect(t.match('GET', '/a/1/b')?.pathParameters).toEqual({ x: '1' });
  });

  it('returns the function of the matched route', () => {
    const t = compileRoutes([
      { routeKey: 'GET /a', functionName: 'alpha' },
      { routeKey: 'GET /b', functionName: 'beta' },
    ]);
    expect(t.match('GET', '/b')?.route.functionName).toBe('beta');
  });
});

describe('route validation', () => {
  it('rejects two routes that match the same requests with ROUTE_CONFLICT', () => {
    expect(thrownCode(() => compileRoutes(routes('GET /a', 'GET /a')))).toBe('ROUTE_CONFLICT');
    expect(thrownCode(() => compileRoutes(routes('get /a', 'GET /a')))).toBe('ROUTE_CONFLICT');
    expect(thrownCode(() => compileRoutes(routes('GET /u/{id}', 'GET /u/{userId}')))).toBe('ROUTE_CONFLICT');
    expect(thrownCode(() => compileRoutes(routes('$default', '$default')))).toBe('ROUTE_CONFLICT');
  });

  it('accepts routes that differ by method or shape', () => {
    expect(thrownCode(() => compileRoutes(routes('GET /a', 'POST /a', 'ANY /a', 'GET /a/{id}', 'GET /a/{p+}', '$default')))).toBeUndefined();
  });

  it.each(['GET', 'GET users', 'FETCH /a', 'GET /a/{proxy+}/b', 'GET /a//b', 'GET /a/', 'GET /{id}/{id}', 'GET /a{b}', 'GET /a /b'])(
    'rejects the malformed route key %j with INVALID_PARAMETER',
    (routeKey) => {
      expect(thrownCode(() => compileRoutes(routes(routeKey)))).toBe('INVALID_PARAMETER');
    },
  );
});
