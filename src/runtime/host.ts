import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { runtimeInfo, shortId } from '../core/index.js';
import { ChannelDriver, type ChannelInit } from './channel-driver.js';
import type { Driver, DriverEvents } from './driver.js';
import { lambdaEnvironment, logStreamName } from './env.js';
import { Instance } from './instance.js';
import { RuntimeApiDriver } from './runtime-api.js';
import type { SandboxPaths, SandboxSpec } from './sandbox/sandbox.js';
import type { InstanceConfig, RuntimeHostOptions } from './types.js';

const SYSTEM_PYTHON = '/usr/bin/python3';

/**
 * Builds instances for any runtime family: a built-in bootstrap on the private channel for Node.js and
 * Python, the user's `bootstrap` behind the Runtime API for `provided*`.
 */
export class RuntimeHost {
  readonly python: string;

  constructor(readonly options: RuntimeHostOptions) {
    this.python = existsSync(SYSTEM_PYTHON) ? SYSTEM_PYTHON : 'python3';
  }

  createInstance(config: InstanceConfig): Instance {
    const id = shortId(16);
    const family = runtimeInfo(config.runtime)?.family;
    const sandbox = this.options.sandbox;
    const spec = (command: SandboxSpec['command']): SandboxSpec => ({ instanceId: id, codeDir: config.codeDir, ephemeralMb: config.ephemeralStorage, command });
    const env = (paths: SandboxPaths, runtimeApi?: string): Record<string, string> =>
      lambdaEnvironment(config, this.options, { taskRoot: paths.taskRoot, runtimeApi, logStreamName: logStreamName(this.options.clock.now(), config.version, id) });

    let driver: Driver;
    if (family === 'nodejs' || family === 'python') {
      driver = new ChannelDriver(() => {
        let init: ChannelInit = { handler: config.handler, env: {} };
        const process = sandbox.spawn(
          spec((paths) => {
            const command = family === 'nodejs' ? this.nodeCommand(paths, env(paths)) : this.pythonCommand(paths, env(paths));
            init = { handler: config.handler, env: command.env };
            return command;
          }),
        );
        return { process, init };
      });
    } else if (!existsSync(join(config.codeDir, 'bootstrap'))) {
      driver = missingBootstrapDriver();
    } else {
      driver = new RuntimeApiDriver((runtimeApi) =>
        sandbox.spawn(spec((paths) => ({ file: `${paths.taskRoot}/bootstrap`, args: [], env: env(paths, runtimeApi) }))),
      );
    }
    return new Instance(id, config, this.options, driver);
  }

  /**
   * No V8 flags: any non-default flag makes V8 refuse Node's built-in code cache, which costs about 6 ms
   * per start here (Lambda sizes the heap with --max-old-space-size; Flint enforces memory by sampling).
   */
  private nodeCommand(paths: SandboxPaths, env: Record<string, string>) {
    // NODE_PATH lets bundles require the AWS SDK that Lambda's Node.js runtime provides.
    const withSdk = { ...env, NODE_PATH: `${paths.taskRoot}:${paths.nodeModules}` };
    return { file: process.execPath, args: [`${paths.runtimeDir}/node/bootstrap.cjs`], env: withSdk };
  }

  private pythonCommand(paths: SandboxPaths, env: Record<string, string>) {
    return { file: this.python, args: ['-u', `${paths.runtimeDir}/python/bootstrap.py`], env };
  }
}

/** Lambda's answer when a custom runtime has no bootstrap: an init error, no process. */
function missingBootstrapDriver(): Driver {
  return {
    pid: undefined,
    start(events: DriverEvents) {
      const document = { errorType: 'Runtime.InvalidEntrypoint', errorMessage: "Error: Couldn't find valid bootstrap(s): [/var/task/bootstrap /opt/bootstrap]" };
      queueMicrotask(() => events.initError(Buffer.from(JSON.stringify(document)), document.errorType));
    },
    invoke() {},
    destroy: () => Promise.resolve(),
  };
}
