import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readlinkSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { shortId } from '../../core/index.js';
import { produceOnce, type Progress } from './cache.js';

const run = promisify(execFile);
/** Written last into a set: its presence says the set is complete, and lists what it was asked to hold. */
const SET_FILE = 'flint-sdk-set.json';

/**
 * The AWS SDK for JavaScript v3 as Lambda's Node.js runtimes provide it: any `@aws-sdk/*` package a function
 * imports without shipping it. Flint's own node_modules has a few clients; the rest are installed with npm into
 * a shared cache on first use. Each install is a complete, never-changed set (`<cache>/aws-sdk/sets/<hash>`)
 * holding everything asked for so far, and `current` points at the newest, so an instance that has started
 * keeps a consistent tree while a later deploy adds a client.
 */
export class AwsSdkStore {
  private readonly dir: string;
  private readonly current: string;
  private installing: Promise<void> = Promise.resolve();

  constructor(
    cacheRoot: string,
    /** Flint's own node_modules, which instances also resolve from. */
    private readonly bundled: string,
  ) {
    this.dir = join(cacheRoot, 'aws-sdk');
    this.current = join(this.dir, 'current');
  }

  /** The cached set's node_modules as a real path (stable for an instance's lifetime), if any set exists. */
  nodeModules(): string | undefined {
    try {
      return join(this.dir, readlinkSync(this.current), 'node_modules');
    } catch {
      return undefined;
    }
  }

  /** Whether instances can already import the package. */
  provides(name: string): boolean {
    if (existsSync(join(this.bundled, name, 'package.json'))) return true;
    const cached = this.nodeModules();
    return cached !== undefined && existsSync(join(cached, name, 'package.json'));
  }

  /**
   * Makes every named package importable by instances: those neither in Flint's node_modules nor in the cached
   * set are installed with npm (their latest release, as Lambda ships recent SDK versions) into a new set.
   */
  ensure(names: readonly string[], progress?: Progress): Promise<void> {
    const next = this.installing.then(() => this.install(names, progress));
    this.installing = next.catch(() => undefined);
    return next;
  }

  private async install(names: readonly string[], progress?: Progress): Promise<void> {
    const missing = (): string[] => [...new Set(names)].filter((name) => !this.provides(name)).sort();
    if (missing().length === 0) return;
    mkdirSync(join(this.dir, 'sets'), { recursive: true });
    // One install at a time on the machine: each new set is the union of the current one and what is missing,
    // so two deploys asking for different clients at once must not each build a set without the other's.
    await produceOnce(
      join(this.dir, 'install'),
      () => missing().length === 0,
      () => this.installSet(missing(), progress),
      () => progress?.('waiting for another Flint installing AWS SDK packages'),
    );
  }

  private async installSet(missing: string[], progress?: Progress): Promise<void> {
    const wanted = [...new Set([...this.cachedNames(), ...missing])].sort();
    const setName = createHash('sha256').update(wanted.join('\n')).digest('hex').slice(0, 16);
    const target = join(this.dir, 'sets', setName);
    if (!existsSync(join(target, SET_FILE))) {
      const staging = join(this.dir, 'sets', `.partial-${shortId(8)}`);
      mkdirSync(staging, { recursive: true });
      try {
        progress?.(`installing ${missing.join(', ')} (the AWS SDK Lambda provides) with npm into ${this.dir}`);
        const dependencies = Object.fromEntries(wanted.map((name) => [name, 'latest']));
        writeFileSync(join(staging, 'package.json'), JSON.stringify({ name: 'flint-aws-sdk', private: true, dependencies }, null, 2));
        await run(npmCommand(), ['install', '--omit=dev', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'], {
          cwd: staging,
          timeout: 15 * 60_000,
          maxBuffer: 16 * 1024 * 1024,
        }).catch((error: unknown) => {
          const stderr = (error as { stderr?: string }).stderr?.trim();
          throw new Error(`npm install ${missing.join(' ')} failed${stderr ? `: ${stderr.split('\n').slice(-3).join(' ')}` : ''}`);
        });
        writeFileSync(join(staging, SET_FILE), JSON.stringify(wanted));
        rmSync(target, { recursive: true, force: true });
        renameSync(staging, target);
      } finally {
        rmSync(staging, { recursive: true, force: true });
      }
    }
    this.point(setName);
    progress?.(`${missing.join(', ')} ready`);
  }

  /** The packages of the current set. */
  private cachedNames(): string[] {
    const modules = this.nodeModules();
    if (!modules) return [];
    try {
      const names: unknown = JSON.parse(readFileSync(join(dirname(modules), SET_FILE), 'utf8'));
      return Array.isArray(names) ? names.filter((n): n is string => typeof n === 'string') : [];
    } catch {
      return [];
    }
  }

  /** Swaps `current` in one rename, so a reader sees the old set or the new one, never neither. */
  private point(setName: string): void {
    const link = `${this.current}.${shortId(8)}`;
    symlinkSync(join('sets', setName), link);
    renameSync(link, this.current);
  }
}

/** npm beside the running node (where a Node install keeps it), else whatever `npm` the PATH finds. */
function npmCommand(): string {
  const beside = join(dirname(process.execPath), 'npm');
  return existsSync(beside) ? beside : 'npm';
}
