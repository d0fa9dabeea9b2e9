/**
 * Lambda's execution environments are Amazon Linux, whose /bin/sh is bash, and custom runtimes' shell bootstraps
 * rely on it (`set -o pipefail`, which Debian's dash refuses: "set: Illegal option -o pipefail").
 * The provided.al2023 runtime is Amazon Linux 2023 (https://docs.aws.amazon.com/lambda/latest/dg/runtimes-provided.html),
 * where /bin/sh is a link to bash, as on Amazon Linux 2.
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createHarness, json, request, SANDBOXES } from './harness.js';


/** A custom runtime in POSIX-looking shell that uses bash's pipefail, answering with what its shells are. */
const BOOTSTRAP = `#!/bin/sh
set -euo pipefail
API="http://\${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime"
while true; do
  HEADERS="$(mktemp)"
  curl -sS -D "$HEADERS" "$API/invocation/next" -o /dev/null
  REQUEST_ID="$(grep -i '^Lambda-Runtime-Aws-Request-Id:' "$HEADERS" | tr -d '\\r' | cut -d' ' -f2)"
  rm -f "$HEADERS"
  PIPE_FAILS="$( (false | true) && echo no || echo yes)"
  SUBSHELL="$(/bin/sh -c 'echo \${BASH_VERSION:+bash}')"
  curl -sS -X POST "$API/invocation/$REQUEST_ID/response" -d "{\\"bash\\":\\"\${BASH_VERSION:+yes}\\",\\"pipefail\\":\\"$PIPE_FAILS\\",\\"shDashC\\":\\"$SUBSHELL\\"}" >/dev/null
done
`;

const dir = mkdtempSync(join(tmpdir(), 'flint-sh-bootstrap-'));
writeFileSync(join(dir, 'bootstrap'), BOOTSTRAP);
chmodSync(join(dir, 'bootstrap'), 0o755);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each(SANDBOXES)('/bin/sh in the %s sandbox', (kind) => {
  it('runs a provided.al2023 #!/bin/sh bootstrap that uses set -o pipefail, with bash as on Amazon Linux', async () => {
    const h = createHarness(kind);
    const fn = h.host.createInstance(h.config({ fixture: 'node-cjs', codeDir: dir, runtime: 'provided.al2023', handler: 'function.handler' }));
    try {
      const outcome = await fn.invoke(request({}));
      expect(outcome.status).toBe('success');
      const body = json(outcome.payload) as { bash: string; pipefail: string; shDashC: string };
      expect(body).toMatchObject({ bash: 'yes', pipefail: 'yes' });
      // Inside bwrap, bash is mounted where /bin/sh leads, so commands the bootstrap runs with `sh -c` get bash
      // too; a plain process sees this machine's /bin/sh, which the sandbox's isolation line says.
      if (kind === 'bwrap' || h.host.options.sandbox.shIsBash) expect(body.shDashC).toBe('bash');
      else expect(h.host.options.sandbox.isolation).toContain("/bin/sh is this machine's sh, not bash");
    } finally {
      await fn.stop();
      h.cleanup();
    }
  });
});
