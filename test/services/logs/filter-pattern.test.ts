import { describe, expect, it } from 'vitest';
import { compileFilterPattern, FilterPatternError } from '../../../src/services/logs/filter-pattern.js';

/** Which of `messages` the pattern keeps. Examples follow AWS's FilterAndPatternSyntax page. */
function kept(pattern: string, messages: string[]): string[] {
  const match = compileFilterPattern(pattern);
  return messages.filter((m) => match(m));
}

describe('filter patterns: unstructured terms', () => {
  const lines = ['[ERROR] disk full', '[WARN] disk at 90%', 'INFO all good', 'ERROR: Exiting after failure', 'Failed to process request'];

  it('matches everything when empty', () => {
    expect(kept('', lines)).toEqual(lines);
    expect(kept('   ', lines)).toEqual(lines);
  });

  it('needs every term, case-sensitively', () => {
    expect(kept('ERROR', lines)).toEqual(['[ERROR] disk full', 'ERROR: Exiting after failure']);
    expect(kept('ERROR disk', lines)).toEqual(['[ERROR] disk full']);
    expect(kept('error', lines)).toEqual([]);
  });

  it('reads a quoted phrase as one term', () => {
    expect(kept('"Failed to process"', lines)).toEqual(['Failed to process request']);
    expect(kept('"to Failed"', lines)).toEqual([]);
  });

  it('excludes -terms and takes any of ?terms', () => {
    expect(kept('ERROR -Exiting', lines)).toEqual(['[ERROR] disk full']);
    expect(kept('?ERROR ?WARN', lines)).toEqual(['[ERROR] disk full', '[WARN] disk at 90%', 'ERROR: Exiting after failure']);
    expect(kept('?"all good" ?Failed', lines)).toEqual(['INFO all good', 'Failed to process request']);
  });

  it('takes a %regular expression%', () => {
    expect(kept('%disk (full|at)%', lines)).toEqual(['[ERROR] disk full', '[WARN] disk at 90%']);
  });
});

describe('filter patterns: JSON', () => {
  const events = [
    { eventType: 'UpdateTrail', sourceIPAddress: '123.123.0.1', latency: 700, user: { id: 1, name: 'ana' }, flag: true, tags: ['a', 'b'], nothing: null },
    { eventType: 'CreateTrail', sourceIPAddress: '10.0.0.1', latency: 20, user: { id: 2, name: 'bo' }, flag: false, tags: ['c'] },
  ].map((e) => JSON.stringify(e));
  const all = [...events, 'not json at all', '"a string"'];
  const names = (pattern: string) => kept(pattern, all).map((m) => (JSON.parse(m) as { user: { name: string } }).user.name);

  it('compares strings, with * as a wildcard', () => {
    expect(names('{ $.eventType = "UpdateTrail" }')).toEqual(['ana']);
    expect(names('{ $.eventType = UpdateTrail }')).toEqual(['ana']);
    expect(names('{ $.sourceIPAddress != 123.123.* }')).toEqual(['bo']);
    expect(names('{ $.eventType = *Trail }')).toEqual(['ana', 'bo']);
  });

  it('compares numbers', () => {
    expect(names('{ $.latency >= 500 }')).toEqual(['ana']);
    expect(names('{ $.latency < 500 }')).toEqual(['bo']);
    expect(names('{ $.user.id = 2 }')).toEqual(['bo']);
    expect(names('{ $.latency > 1e2 }')).toEqual(['ana']);
  });

  it('walks nested fields and array indexes', () => {
    expect(names('{ $.user.name = "bo" }')).toEqual(['bo']);
    expect(names('{ $.tags[1] = "b" }')).toEqual(['ana']);
  });

  it('checks TRUE, FALSE, NULL and existence', () => {
    expect(names('{ $.flag IS TRUE }')).toEqual(['ana']);
    expect(names('{ $.flag IS FALSE }')).toEqual(['bo']);
    expect(names('{ $.nothing IS NULL }')).toEqual(['ana']);
    expect(names('{ $.nothing NOT EXISTS }')).toEqual(['bo']);
    expect(names('{ $.missing = "x" }')).toEqual([]);
  });

  it('combines conditions with && and ||, && first, and parentheses', () => {
    expect(names('{ $.latency > 10 && $.user.name = "bo" }')).toEqual(['bo']);
    expect(names('{ $.user.id = 1 || $.user.id = 2 && $.flag IS TRUE }')).toEqual(['ana']);
    expect(names('{ ($.user.id = 1 || $.user.id = 2) && $.flag IS FALSE }')).toEqual(['bo']);
  });

  it('rejects patterns that do not parse', () => {
    for (const bad of ['{ $.a = ', '{ eventType = "x" }', '{ $.a ~ 1 }', '{ ($.a = 1 }', '"unclosed', '{ $.a = 1']) {
      expect(() => compileFilterPattern(bad), bad).toThrow(FilterPatternError);
    }
  });
});

describe('filter patterns: space-delimited', () => {
  const access = ['127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /apache_pb.gif HTTP/1.0" 404 2326', '127.0.0.1 - ana [10/Oct/2000:13:35:22 -0700] "GET /index.html HTTP/1.0" 200 1000'];

  it('names fields and compares them', () => {
    expect(kept('[ip, id, user, timestamp, request, status_code = 404, bytes]', access)).toEqual([access[0]]);
    expect(kept('[ip, id, user = a*, ...]', access)).toEqual([access[1]]);
    expect(kept('[..., status, bytes > 2000]', access)).toEqual([access[0]]);
  });
});
