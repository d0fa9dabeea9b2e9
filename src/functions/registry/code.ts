import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FlintError } from '../../core/index.js';
import type { BlobStore } from '../../storage/index.js';
import { extractPackage } from '../zip/extract.js';
import { validateUploadedZip } from '../zip/validate.js';

const SHA256 = /^[0-9a-f]{64}$/;

/**
 * Code packages: zips in the blob store, addressed by their SHA-256, and extracted once per node under
 * `<dataDir>/code/<sha256>/` for instances to run from.
 */
export class CodeStore {
  private readonly root: string;
  private readonly extracting = new Map<string, Promise<string>>();

  constructor(
    private readonly blobs: BlobStore,
    dataDir: string,
  ) {
    this.root = join(dataDir, 'code');
  }

  /**
   * Checks the zip as Lambda does and stores it unchanged. A package already stored passed that check when it
   * was first stored: redeploying unchanged code skips inflating it again.
   */
  async store(zip: Uint8Array): Promise<{ sha256: string; size: number }> {
    const sha256 = createHash('sha256').update(zip).digest('hex');
    if (await this.blobs.has(sha256)) return { sha256, size: zip.length };
    validateUploadedZip(zip);
    return this.blobs.put(zip);
  }

  async zip(sha256: string): Promise<Uint8Array> {
    checkSha(sha256);
    const data = await this.blobs.get(sha256);
    if (!data) throw new FlintError('CODE_INVALID', `Code package ${sha256} is not in storage`, { sha256 });
    return data;
  }

  /** The extracted package; concurrent callers share one extraction, later ones find the folder in place. */
  dir(sha256: string): Promise<string> {
    const pending = this.extracting.get(sha256);
    if (pending) return pending;
    const work = this.extract(sha256);
    this.extracting.set(sha256, work);
    work.catch(() => this.extracting.delete(sha256));
    return work;
  }

  private async extract(sha256: string): Promise<string> {
    checkSha(sha256);
    const dir = join(this.root, sha256);
    if (existsSync(dir)) return dir;
    await this.isolateModuleType();
    await extractPackage(await this.zip(sha256), dir);
    return dir;
  }

  /**
   * An empty package.json above every package stops Node from looking further up: a data folder inside a project
   * whose package.json says "type": "module" must not turn a function's CommonJS .js files into ES modules.
   * On Lambda nothing sits above /var/task either.
   */
  private async isolateModuleType(): Promise<void> {
    const marker = join(this.root, 'package.json');
    if (existsSync(marker)) return;
    await mkdir(this.root, { recursive: true });
    await writeFile(marker, '{}\n');
  }
}

function checkSha(sha256: string): void {
  if (!SHA256.test(sha256)) throw new FlintError('INVALID_PARAMETER', `Not a SHA-256 hex digest: ${sha256}`, { sha256 });
}
