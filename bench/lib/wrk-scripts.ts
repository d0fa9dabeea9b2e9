import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * wrk Lua scripts that send prepared AWS requests, so the load generator (C, not an SDK) is never the
 * bottleneck. `%d` in a body is replaced by a per-thread counter, so puts write different keys.
 */
export function requestScript(dir: string, name: string, request: { method: string; path?: string; headers: Record<string, string>; body?: string; keys?: number }): string {
  const file = join(dir, `${name}.lua`);
  const headers = Object.entries(request.headers)
    .map(([k, v]) => `wrk.headers[${JSON.stringify(k)}] = ${JSON.stringify(v)}`)
    .join('\n');
  const body = request.body ?? '';
  const path = request.path ?? '/';
  const varying = body.includes('%d') || path.includes('%d');
  writeFileSync(
    file,
    `wrk.method = ${JSON.stringify(request.method)}
${headers}
local counter = 0
local keys = ${request.keys ?? 0}
request = function()
  ${varying ? `counter = counter + 1
  local n = keys > 0 and (counter % keys) or counter
  local body = string.gsub(${JSON.stringify(body)}, "%%d", tostring(n))
  local path = string.gsub(${JSON.stringify(path)}, "%%d", tostring(n))
  return wrk.format(nil, path, nil, body)` : `return wrk.format(nil, ${JSON.stringify(path)}, nil, ${JSON.stringify(body)})`}
end
`,
  );
  return file;
}
