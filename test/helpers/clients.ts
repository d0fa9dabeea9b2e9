/**
 * The real AWS clients the tests drive, as Debian installs them (npm test installs them: scripts/test-tools.sh).
 * Debian's AWS CLI 2.9 and boto3 1.26 ignore AWS_ENDPOINT_URL, so tests pass `--endpoint-url` / `endpoint_url=`. A
 * bare `aws` or `python3` on this image is another version (pip's CLI v1, pyenv's Python).
 */
export const AWS_CLI = '/usr/bin/aws';
export const DEBIAN_PYTHON = '/usr/bin/python3';
