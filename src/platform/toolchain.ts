/**
 * What Lambda's managed runtimes bring and this machine may lack, at the node's edges: the Node.js major and the
 * AWS SDK packages a deploy needs are fetched before its functions run (with progress where a person waits),
 * functions created through the Lambda API get theirs fetched in the background, and a missing boto3 is said
 * at start and at each deploy of a Python function.
 */
import { runtimeInfo, type Logger } from '../core/index.js';
import { sdkImportsOfFolder, type FunctionRegistry, type RegistryEvent } from '../functions/index.js';
import type { AppSpec } from '../manifest/index.js';
import { hostPaths, missingBoto3Message, RuntimeToolchain, type HostPython, type Progress } from '../runtime/index.js';

export function createToolchain(cacheDir?: string): RuntimeToolchain {
  return new RuntimeToolchain({ cacheRoot: cacheDir, bundledNodeModules: hostPaths().nodeModules });
}

/** Fetches what an app's functions need; what cannot be had is left for the node's deploy to report. */
export async function fetchForApp(toolchain: RuntimeToolchain, spec: AppSpec, sdkPackages: readonly string[], progress?: Progress): Promise<void> {
  const problems = await toolchain.prepare({ runtimes: spec.functions.map((f) => f.runtime), sdkPackages }, progress);
  for (const note of new Set(problems.runtimes.values())) progress?.(`could not fetch a Node.js binary: ${note}`);
  if (problems.sdk) progress?.(`could not install AWS SDK packages: ${problems.sdk}`);
}

/**
 * The deploy's runtime warnings, once per function: a Node.js major that could not be fetched, a Python version
 * other than the one named, a missing boto3, AWS SDK packages that could not be provided.
 */
export async function runtimeWarnings(toolchain: RuntimeToolchain, python: HostPython, spec: AppSpec, sdkPackages: readonly string[]): Promise<string[]> {
  const problems = await toolchain.prepare({ runtimes: spec.functions.map((f) => f.runtime), sdkPackages });
  const out: string[] = [];
  for (const fn of spec.functions) {
    const info = runtimeInfo(fn.runtime);
    const nodeProblem = problems.runtimes.get(fn.runtime);
    if (nodeProblem) out.push(`${fn.name}: ${fn.runtime} ${nodeProblem}`);
    if (info?.family === 'python' && info.version !== python.version) out.push(`${fn.name}: ${fn.runtime} runs on this machine's Python ${python.version} (${python.path})`);
  }
  const pythonFunctions = spec.functions.filter((fn) => runtimeInfo(fn.runtime)?.family === 'python').map((fn) => fn.name);
  if (pythonFunctions.length && !python.boto3) out.push(`${pythonFunctions.join(', ')}: ${missingBoto3Message(python)}`);
  if (problems.sdk) out.push(`AWS SDK packages the functions import are not provided: ${problems.sdk}`);
  return out;
}

/**
 * Functions created or updated through the Lambda API (a zip upload, no deploy of Flint's) get the Node.js major
 * they name and the AWS SDK packages their scripts import fetched in the background; a deploy has done so already.
 * An instance started before the fetch lands runs on this machine's Node.js until it stops (one that could not
 * import a client failed its init and is gone); instances are not retired for it, as that would add cold starts.
 */
export function fetchOnRegistryChange(registry: FunctionRegistry, toolchain: RuntimeToolchain, logger: Logger): (event: RegistryEvent) => void {
  return (event) => {
    if (event.type !== 'updated') return;
    const check = async (): Promise<void> => {
      const config = await registry.get(event.functionName, event.version);
      if (runtimeInfo(config.runtime)?.family !== 'nodejs') return;
      const sdkPackages = await sdkImportsOfFolder(await registry.codeDir(config.codeSha256));
      const problems = await toolchain.prepare({ runtimes: [config.runtime], sdkPackages });
      const note = problems.runtimes.get(config.runtime);
      if (note) logger.warn(`${event.functionName}: ${config.runtime} ${note}`);
      if (problems.sdk) logger.warn(`${event.functionName}: AWS SDK packages it imports are not provided: ${problems.sdk}`);
    };
    // A function deleted meanwhile, or a node closing: nothing to prepare.
    check().catch((error: unknown) => logger.debug('no toolchain check for a changed function', { function: event.functionName, error: String(error) }));
  };
}
