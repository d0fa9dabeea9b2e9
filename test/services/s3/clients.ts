import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { AWS_CLI, DEBIAN_PYTHON } from '../../helpers/clients.js';
export { AWS_CLI, DEBIAN_PYTHON };

const execFileAsync = promisify(execFile);

/** Debian's AWS CLI v2 and Python with boto3 1.26 (see aws/README.md); a bare `aws`/`python3` is another version. */

/** Credentials and region as the tests use them, with a throwaway HOME so no user config leaks in. */
export function clientEnv(home: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: home,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_PAGER: '',
  };
}

export async function aws(endpoint: string, home: string, args: string[]): Promise<string> {
  const { stdout } = await execFileAsync(AWS_CLI, ['--endpoint-url', endpoint, ...args], { env: clientEnv(home), cwd: home, maxBuffer: 16 * 1024 * 1024 });
  return stdout;
}

/** Runs a Python script with Debian's boto3; ENDPOINT is in the environment; the script prints JSON. */
export async function boto3<T>(endpoint: string, home: string, script: string): Promise<T> {
  const { stdout } = await execFileAsync(DEBIAN_PYTHON, ['-c', script], { env: { ...clientEnv(home), ENDPOINT: endpoint }, cwd: home, maxBuffer: 16 * 1024 * 1024 });
  return JSON.parse(stdout) as T;
}
