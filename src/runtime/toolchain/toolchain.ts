import { AwsSdkStore } from './aws-sdk.js';
import { cacheRoot, type Progress } from './cache.js';
import { NodeBinaries, type NodeBinary } from './node-binaries.js';

export interface ToolchainOptions {
  /** Default: cacheRoot() ($FLINT_CACHE, ~/.cache/flint). */
  cacheRoot?: string;
  /** Flint's own node_modules (the SDK clients it ships). */
  bundledNodeModules: string;
}

/** What a deploy needs this machine to have before its functions run. */
export interface ToolchainNeeds {
  runtimes: readonly string[];
  /** `@aws-sdk/*` packages the functions import without shipping them. */
  sdkPackages?: readonly string[];
}

/** Why a runtime or the SDK could not be had, per runtime identifier and for the SDK. */
export interface ToolchainProblems {
  runtimes: Map<string, string>;
  sdk?: string;
}

/**
 * What Lambda's managed runtimes bring that this machine may lack, fetched once into the shared cache: the
 * Node.js major each nodejs*.x runtime names and the AWS SDK v3 packages functions import.
 */
export class RuntimeToolchain {
  readonly node: NodeBinaries;
  readonly sdk: AwsSdkStore;
  readonly cacheRoot: string;

  constructor(options: ToolchainOptions) {
    this.cacheRoot = options.cacheRoot ?? cacheRoot();
    this.node = new NodeBinaries(this.cacheRoot);
    this.sdk = new AwsSdkStore(this.cacheRoot, options.bundledNodeModules);
  }

  /** Fetches what is missing (showing progress) and says what could not be had; never throws. */
  async prepare(needs: ToolchainNeeds, progress?: Progress): Promise<ToolchainProblems> {
    const problems: ToolchainProblems = { runtimes: new Map() };
    const majors = new Map<string, string[]>();
    for (const runtime of new Set(needs.runtimes)) {
      const major = NodeBinaries.majorOf(runtime);
      if (major) majors.set(major, [...(majors.get(major) ?? []), runtime]);
    }
    for (const [major, runtimes] of majors) {
      const failure = await this.node.ensure(major, progress).then(() => undefined, (error: unknown) => errorText(error));
      if (failure) {
        const note = `runs on this machine's Node.js ${process.versions.node}: Node.js ${major} could not be fetched (${failure})`;
        for (const runtime of runtimes) problems.runtimes.set(runtime, note);
      }
    }
    if (needs.sdkPackages?.length) {
      problems.sdk = await this.sdk.ensure(needs.sdkPackages, progress).then(() => undefined, (error: unknown) => errorText(error));
    }
    return problems;
  }

  /** The Node.js an instance of this runtime runs with now: the major it names when available, else this machine's. */
  nodeFor(runtime: string): NodeBinary {
    const major = NodeBinaries.majorOf(runtime) ?? this.node.hostMajor;
    return this.node.find(major) ?? this.node.find(this.node.hostMajor)!;
  }
}

/** fetch() says only "fetch failed"; the reason (no route, DNS) is its cause. */
function errorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? error.cause.message : undefined;
  return cause ? `${error.message}: ${cause}` : error.message;
}
