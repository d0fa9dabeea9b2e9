import { closeSync, existsSync, openSync, readdirSync, readSync, type Dirent } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Duplex } from 'node:stream';
import { runtimeInfo, shortId } from '../core/index.js';
import { encodeFrame } from './channel.js';
import { ChannelDriver, type ChannelInit } from './channel-driver.js';
import type { Driver, DriverEvents } from './driver.js';
import { baseEnvironment, lambdaEnvironment, logStreamName } from './env.js';
import { Instance } from './instance.js';
import { withLayerPaths } from './layers.js';
import { RuntimeApiDriver } from './runtime-api.js';
import { LAMBDA_PATHS, type SandboxedProcess, type SandboxPaths, type SandboxSpec } from './sandbox/sandbox.js';
import { hostPaths } from './sandbox/host-paths.js';
import { RuntimeToolchain, SYSTEM_PYTHON, type NodeBinary } from './toolchain/index.js';
import type { InstanceConfig, InstanceCredentials, RuntimeHostOptions } from './types.js';
import { CredentialedDriver } from './credentialed-driver.js';

/** Stem cells get Lambda's default /tmp size; functions with more start their own process. */
const STEM_EPHEMERAL_MB = 512;
/**
 * A stem cell in a sandbox that links code file by file pays ~14 µs per file (measured: 2000 files, 27-33 ms,
 * as long as a whole fresh process). Beyond this many entries a fresh process starts as fast or faster.
 */
const STEM_MAX_CODE_ENTRIES = 1000;
/** Variables read when a process starts, which a pre-started process can no longer honour. */
const STARTUP_VARIABLES = /^(NODE_|PYTHON|LD_|UV_|MALLOC_|AWS_LAMBDA_EXEC_WRAPPER$)/;

export type StemFamily = 'nodejs' | 'python';
/**
 * Which pre-started processes can become a function: 'python', or `nodejs:<binary>` for the Node.js binary its
 * runtime runs on (nodejs20.x and nodejs22.x functions need different processes).
 */
export type StemKind = string;

export function stemFamilyOf(kind: StemKind): StemFamily {
  return kind.startsWith('nodejs') ? 'nodejs' : 'python';
}

export interface StemCell {
  readonly id: string;
  readonly kind: StemKind;
  readonly family: StemFamily;
  readonly ephemeralMb: number;
  readonly process: SandboxedProcess;
  readonly createdAt: number;
  alive(): boolean;
  destroy(): Promise<void>;
}

/**
 * Builds instances for any runtime family: a built-in bootstrap on the private channel for Node.js and
 * Python, the user's `bootstrap` behind the Runtime API for `provided*`.
 */
export class RuntimeHost {
  readonly python: string;
  readonly toolchain: RuntimeToolchain;
  /** Node.js majors already warned about running on this machine's Node instead (once each). */
  private readonly warnedMajors = new Set<string>();
  /** Per code folder: whether it is small enough to link into a stem cell (packages never change in place). */
  private readonly smallCode = new Map<string, boolean>();

  constructor(readonly options: RuntimeHostOptions) {
    this.python = existsSync(SYSTEM_PYTHON) ? SYSTEM_PYTHON : 'python3';
    this.toolchain = options.toolchain ?? new RuntimeToolchain({ bundledNodeModules: hostPaths().nodeModules });
  }

  /**
   * An instance of a function version. With a stem cell (from `spawnStemCell`, of the same family), the
   * pre-started process is specialised instead of spawning one: its code is attached and init runs.
   */
  createInstance(config: InstanceConfig, stemCell?: StemCell): Instance {
    const id = stemCell?.id ?? shortId(16);
    const issue = this.options.roleCredentials;
    const driver = issue && config.role ? new CredentialedDriver(issue(config.role, config.functionName), (credentials) => this.driverFor(id, config, stemCell, credentials)) : this.driverFor(id, config, stemCell, undefined);
    return new Instance(id, config, this.options, driver, stemCell ? 'stem-cell' : 'cold');
  }

  /** The driver of one instance: a stem cell specialised, a built-in runtime spawned, or a custom runtime's bootstrap. */
  private driverFor(id: string, config: InstanceConfig, stemCell: StemCell | undefined, credentials: InstanceCredentials | undefined): Driver {
    const family = runtimeInfo(config.runtime)?.family;
    const node = family === 'nodejs' ? this.nodeBinary(config.runtime) : undefined;
    const sandbox = this.options.sandbox;
    const spec = (command: SandboxSpec['command']): SandboxSpec => ({ instanceId: id, codeDir: config.codeDir, optDir: config.optDir, ephemeralMb: config.ephemeralStorage, memoryMb: config.memorySize, command });
    const env = (taskRoot: string, runtimeApi?: string): Record<string, string> =>
      lambdaEnvironment(config, this.options, { taskRoot, runtimeApi, logStreamName: logStreamName(this.options.clock.now(), config.version, id), credentials });
    const layered = (vars: Record<string, string>, opt: string | undefined): Record<string, string> => (opt ? withLayerPaths(config.runtime, vars, opt) : vars);
    const bootstrap = customBootstrap(config);

    let driver: Driver;
    if (stemCell) {
      driver = new ChannelDriver(async () => {
        // The cell ran only Flint's bootstrap so far: its limits become the function's before any of its code loads.
        stemCell.process.cgroup?.setMemory(config.memorySize);
        const taskRoot = await stemCell.process.attachCode(config.codeDir);
        return { process: stemCell.process, init: { handler: config.handler, taskRoot, env: this.withRuntimePaths(node, env(taskRoot), stemCell.process.paths, taskRoot) } };
      });
    } else if (family === 'nodejs' || family === 'python') {
      driver = new ChannelDriver(async () => {
        let init: ChannelInit = { handler: config.handler, taskRoot: '', env: {} };
        const process = sandbox.spawn(
          spec((paths) => {
            const fullEnv = layered(this.withRuntimePaths(node, env(paths.taskRoot), paths, paths.taskRoot), paths.opt);
            init = { handler: config.handler, taskRoot: paths.taskRoot, env: fullEnv };
            return this.command(node, paths, fullEnv);
          }),
        );
        return { process, init };
      });
    } else if (family === undefined) {
      driver = unsupportedRuntimeDriver(config.runtime);
    } else if (bootstrap === undefined) {
      driver = missingBootstrapDriver();
    } else {
      // Amazon Linux's /bin/sh is bash; a sandbox that cannot make it so runs a `#!/bin/sh` bootstrap with bash.
      const shArgs = sandbox.shIsBash ? undefined : shShebang(join(bootstrap === 'task' ? config.codeDir : (config.optDir ?? config.codeDir), 'bootstrap'));
      driver = new RuntimeApiDriver((runtimeApi) =>
        sandbox.spawn(
          spec((paths) => {
            const file = bootstrap === 'task' ? `${paths.taskRoot}/bootstrap` : `${paths.opt}/bootstrap`;
            const vars = layered(env(paths.taskRoot, runtimeApi), paths.opt);
            return shArgs ? { file: BASH, args: ['--posix', ...shArgs, file], env: vars } : { file, args: [], env: vars };
          }),
        ),
      );
    }
    return driver;
  }

  /**
   * A generic, pre-started runtime process of one family that can become any function of that family:
   * the bootstrap runs and waits for its `init` frame, so a cold start skips process start-up.
   */
  spawnStemCell(kind: StemKind, ephemeralMb = STEM_EPHEMERAL_MB): StemCell {
    const id = shortId(16);
    const family = stemFamilyOf(kind);
    const node = family === 'nodejs' ? this.stemNode(kind) : undefined;
    const process = this.options.sandbox.spawn({
      instanceId: id,
      ephemeralMb,
      command: (paths) => this.command(node, paths, this.withRuntimePaths(node, baseEnvironment(), paths, paths.taskRoot)),
    });
    // Nothing reads a stem cell's output until it becomes an instance; keep the pipes from filling.
    process.child.stdout?.resume();
    process.child.stderr?.resume();
    // Exercise the channel once while nobody waits (see the bootstrap's 'ping'); the driver ignores the pong.
    const channel = process.child.stdio[3] as Duplex;
    channel.on('error', () => {});
    channel.write(encodeFrame({ type: 'ping' }));
    return {
      id,
      kind,
      family,
      ephemeralMb,
      process,
      createdAt: this.options.clock.now(),
      alive: () => process.child.exitCode === null && process.child.signalCode === null,
      destroy: () => process.destroy(),
    };
  }

  private isSmallCode(codeDir: string): boolean {
    let small = this.smallCode.get(codeDir);
    if (small === undefined) {
      small = countEntries(codeDir, STEM_MAX_CODE_ENTRIES) <= STEM_MAX_CODE_ENTRIES;
      this.smallCode.set(codeDir, small);
    }
    return small;
  }

  /** Which stem cells can become this function: same runtime binary and /tmp size, nothing that acts at process start. */
  canUseStemCell(config: InstanceConfig): StemKind | undefined {
    const family = runtimeInfo(config.runtime)?.family;
    if (family !== 'nodejs' && family !== 'python') return undefined;
    // Layers are mounted and put on NODE_PATH/PYTHONPATH when a process starts: a pre-started one has neither.
    if (config.optDir !== undefined) return undefined;
    if (config.ephemeralStorage !== STEM_EPHEMERAL_MB) return undefined;
    if (Object.keys(config.environment).some((key) => STARTUP_VARIABLES.test(key))) return undefined;
    if (this.options.sandbox.attachLinksFiles && !this.isSmallCode(config.codeDir)) return undefined;
    return family === 'nodejs' ? `nodejs:${this.nodeBinary(config.runtime).path}` : family;
  }

  /**
   * The Node.js a function runs on: the major its runtime names (fetched at deploy into the shared cache), or
   * this machine's when that could not be had, said once per major.
   */
  private nodeBinary(runtime: string): NodeBinary {
    const binary = this.toolchain.nodeFor(runtime);
    const wanted = runtimeInfo(runtime)?.version;
    if (binary.host && wanted && wanted !== this.toolchain.node.hostMajor && !this.warnedMajors.has(wanted)) {
      this.warnedMajors.add(wanted);
      this.options.logger.warn(`${runtime} functions run on this machine's Node.js ${binary.version}: Node.js ${wanted} is not in ${this.toolchain.cacheRoot}; a deploy of the function fetches it`);
    }
    return binary;
  }

  private stemNode(kind: StemKind): NodeBinary {
    const path = kind.slice('nodejs:'.length) || process.execPath;
    return { path, version: '', host: path === process.execPath };
  }

  /**
   * With AWS_LAMBDA_EXEC_WRAPPER, Lambda starts the wrapper script with the runtime's command line as its
   * arguments; the script ends with `exec "$@"` (and may change the environment or the arguments first).
   */
  private command(node: NodeBinary | undefined, paths: SandboxPaths, env: Record<string, string>): { file: string; args: string[]; env: Record<string, string> } {
    const runtime = node ? this.nodeCommand(node, paths, env) : this.pythonCommand(paths, env);
    const wrapper = env.AWS_LAMBDA_EXEC_WRAPPER;
    if (!wrapper) return runtime;
    return { file: insideTaskRoot(wrapper, paths.taskRoot), args: [runtime.file, ...runtime.args], env };
  }

  /**
   * NODE_PATH lets bundles require the AWS SDK that Lambda's Node.js runtime provides: Flint's own clients, then
   * those the deploy installed into the shared cache. The runtime's node comes first on PATH, as on Lambda.
   */
  private withRuntimePaths(node: NodeBinary | undefined, env: Record<string, string>, paths: SandboxPaths, taskRoot: string): Record<string, string> {
    if (!node) return env;
    const sdk = this.toolchain.sdk.nodeModules();
    const PATH = node.host ? env.PATH : `${dirname(node.path)}:${env.PATH ?? ''}`;
    return { ...env, ...(PATH ? { PATH } : {}), NODE_PATH: [taskRoot, paths.nodeModules, ...(sdk ? [sdk] : [])].join(':') };
  }

  /**
   * No V8 flags: any non-default flag makes V8 refuse Node's built-in code cache, which costs about 6 ms
   * per start here (Lambda sizes the heap with --max-old-space-size; Flint enforces memory with the instance's cgroup, or by sampling).
   */
  private nodeCommand(node: NodeBinary, paths: SandboxPaths, env: Record<string, string>) {
    return { file: node.path, args: [`${paths.runtimeDir}/node/bootstrap.cjs`], env };
  }

  private pythonCommand(paths: SandboxPaths, env: Record<string, string>) {
    return { file: this.python, args: ['-u', `${paths.runtimeDir}/python/bootstrap.py`], env };
  }
}

const BASH = '/bin/bash';

/** The arguments of a `#!/bin/sh` (or /usr/bin/sh) line, which Amazon Linux runs with bash; undefined for other scripts. */
function shShebang(file: string): string[] | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const head = Buffer.alloc(64);
    const line = head.toString('latin1', 0, readSync(fd, head, 0, head.length, 0)).split('\n')[0] ?? '';
    const match = /^#!\s*(?:\/usr)?\/bin\/sh(?:\s+(.*))?$/.exec(line.trimEnd());
    return match ? (match[1]?.trim().split(/\s+/) ?? []).filter(Boolean) : undefined;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** A path under Lambda's /var/task, where a sandbox without namespaces has the code elsewhere. */
function insideTaskRoot(path: string, taskRoot: string): string {
  const lambdaRoot = `${LAMBDA_PATHS.taskRoot}/`;
  return path.startsWith(lambdaRoot) && taskRoot !== LAMBDA_PATHS.taskRoot ? join(taskRoot, path.slice(lambdaRoot.length)) : path;
}

/** Files, links and folders under `dir`, counting no further than `limit + 1`. */
function countEntries(dir: string, limit: number): number {
  let count = 0;
  const pending = [dir];
  for (let next = pending.pop(); next !== undefined && count <= limit; next = pending.pop()) {
    let entries: Dirent[];
    try {
      entries = readdirSync(next, { withFileTypes: true });
    } catch {
      continue; // a folder that cannot be read is the instance's problem to report, not this estimate's
    }
    count += entries.length;
    for (const entry of entries) if (entry.isDirectory()) pending.push(join(next, entry.name));
  }
  return count;
}

/** Lambda runs /var/task/bootstrap, or else /opt/bootstrap from a layer; undefined when neither is there. */
function customBootstrap(config: InstanceConfig): 'task' | 'opt' | undefined {
  if (existsSync(join(config.codeDir, 'bootstrap'))) return 'task';
  if (config.optDir !== undefined && existsSync(join(config.optDir, 'bootstrap'))) return 'opt';
  return undefined;
}

/** Lambda's answer when a custom runtime has no bootstrap: an init error, no process. */
function missingBootstrapDriver(): Driver {
  return initErrorDriver({ errorType: 'Runtime.InvalidEntrypoint', errorMessage: "Error: Couldn't find valid bootstrap(s): [/var/task/bootstrap /opt/bootstrap]" });
}

/** A driver that starts no process and reports an init error. */
function initErrorDriver(document: { errorType: string; errorMessage: string }): Driver {
  return {
    pid: undefined,
    cgroup: undefined,
    start(events: DriverEvents) {
      queueMicrotask(() => events.initError(Buffer.from(JSON.stringify(document)), document.errorType));
    },
    invoke() {},
    destroy: () => Promise.resolve(),
  };
}

/**
 * A runtime Lambda accepts that Flint has no launcher for (java, dotnet, ruby): the function was created as Lambda
 * would create it, and each invocation fails at init with what to do instead.
 */
function unsupportedRuntimeDriver(runtime: string): Driver {
  return initErrorDriver({
    errorType: 'Runtime.Unsupported',
    errorMessage:
      `Flint cannot run the ${runtime} runtime: it runs Node.js (nodejs*), Python (python3.*) and custom runtimes (provided.al2023, provided.al2). ` +
      `Package the function with an executable bootstrap that serves the Lambda Runtime API and set its runtime to provided.al2023.`,
  });
}
