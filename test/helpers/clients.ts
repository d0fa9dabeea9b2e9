import { toolPath } from './tools.js';

/**
 * The real AWS clients the tests drive, as Debian packages them (npm test installs them, or provides them unpacked
 * without root: scripts/test-tools.sh). Debian's AWS CLI 2.9 and boto3 1.26 ignore AWS_ENDPOINT_URL, so tests pass
 * `--endpoint-url` / `endpoint_url=`. A bare `aws` or `python3` on this image is another version (pip's CLI v1,
 * pyenv's Python).
 */
export const AWS_CLI = toolPath('aws', '/usr/bin/aws');
export const DEBIAN_PYTHON = toolPath('python3', '/usr/bin/python3');
