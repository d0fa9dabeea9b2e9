import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { runtimeInfo, shortId } from '../../core/index.js';
import { produceOnce, type Progress } from './cache.js';
import { compareVersions, downloadTarball, isRelease, publishedVersions } from './npm-registry.js';

const run = promisify(execFile);

/** The Node.js an instance runs with: this machine's own, or an official binary from the cache. */
export interface NodeBinary {
  path: string;
  /** "22.23.5" */
  version: string;
  /** The binary is the one Flint itself runs on. */
  host: boolean;
}

/**
 * Official Node.js binaries, one per major that functions name (nodejs22.x → Node 22), kept in
 * `<cache>/node/<version>/bin/node`. They come from the npm registry's `node-linux-<arch>` packages, which
 * carry the binaries nodejs.org builds. The major Flint itself runs on needs nothing fetched.
 */
export class NodeBinaries {
  private readonly dir: string;
  private readonly fetching = new Map<string, Promise<NodeBinary>>();

  constructor(
    cacheRoot: string,
    private readonly hostVersion = process.versions.node,
    private readonly hostPath = process.execPath,
  ) {
    this.dir = join(cacheRoot, 'node');
  }

  /** The major a runtime identifier promises ("22" for nodejs22.x); undefined for other families. */
  static majorOf(runtime: string): string | undefined {
    const info = runtimeInfo(runtime);
    return info?.family === 'nodejs' ? info.version : undefined;
  }

  get hostMajor(): string {
    return this.hostVersion.split('.')[0]!;
  }

  /** The binary for a major, if this machine has it now (its own Node, or one fetched before). Never fetches. */
  find(major: string): NodeBinary | undefined {
    if (major === this.hostMajor) return { path: this.hostPath, version: this.hostVersion, host: true };
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch {
      return undefined;
    }
    const versions = names.filter((name) => isRelease(name) && name.split('.')[0] === major && existsSync(this.binaryOf(name)));
    const newest = versions.sort(compareVersions).at(-1);
    return newest ? { path: this.binaryOf(newest), version: newest, host: false } : undefined;
  }

  /**
   * The binary for a major, fetched into the cache first if need be (the newest release of that major).
   * Concurrent calls, in this process or another Flint's, share one download.
   */
  ensure(major: string, progress?: Progress): Promise<NodeBinary> {
    const found = this.find(major);
    if (found) return Promise.resolve(found);
    let pending = this.fetching.get(major);
    if (!pending) {
      pending = this.fetch(major, progress).finally(() => this.fetching.delete(major));
      this.fetching.set(major, pending);
    }
    return pending;
  }

  private async fetch(major: string, progress?: Progress): Promise<NodeBinary> {
    const name = `node-${process.platform}-${process.arch}`;
    const releases = (await publishedVersions(name)).filter((v) => isRelease(v.version) && v.version.split('.')[0] === major);
    const newest = releases.sort((a, b) => compareVersions(a.version, b.version)).at(-1);
    if (!newest) throw new Error(`the npm registry has no ${name} release of Node.js ${major}`);
    const target = join(this.dir, newest.version);
    mkdirSync(this.dir, { recursive: true });
    await produceOnce(
      target,
      () => existsSync(this.binaryOf(newest.version)),
      async () => {
        const staging = join(this.dir, `.partial-${shortId(8)}`);
        mkdirSync(staging);
        try {
          const tarball = join(staging, 'node.tgz');
          await downloadTarball(newest, tarball, `Node.js ${newest.version}`, progress);
          // Only the binary and its licence: the headers and docs are of no use to a function.
          await run('tar', ['-xzf', tarball, '-C', staging, '--strip-components=1', 'package/bin/node', 'package/LICENSE']);
          rmSync(tarball);
          renameSync(staging, target);
          progress?.(`Node.js ${newest.version} is ready in ${target}`);
        } finally {
          rmSync(staging, { recursive: true, force: true });
        }
      },
      () => progress?.(`waiting for another Flint's download of Node.js ${newest.version}`),
    );
    return { path: this.binaryOf(newest.version), version: newest.version, host: false };
  }

  private binaryOf(version: string): string {
    return join(this.dir, version, 'bin', 'node');
  }
}
