import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where a node keeps its root key, in its data folder. */
export const ROOT_KEY_FILE = 'root-key.json';

const KEY_ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/**
 * The root key of a node in server mode: generated at first start, kept in the data folder readable only by its
 * owner (0600), and shown once, when it is made. It answers as the node account's root, as an account's root
 * access key does on AWS.
 */
export class RootKey {
  private constructor(
    readonly accessKeyId: string,
    readonly secretAccessKey: string,
    /** Whether this start made the key (and should show it). */
    readonly created: boolean,
  ) {}

  static open(dataDir: string): RootKey {
    const file = join(dataDir, ROOT_KEY_FILE);
    if (existsSync(file)) {
      const stored = JSON.parse(readFileSync(file, 'utf8')) as { accessKeyId: string; secretAccessKey: string };
      return new RootKey(stored.accessKeyId, stored.secretAccessKey, false);
    }
    const bytes = randomBytes(16);
    const id = `AKIA${[...bytes].map((b) => KEY_ID_ALPHABET[b % 32]).join('')}`;
    const secret = randomBytes(30).toString('base64').replace(/[+/]/g, (c) => (c === '+' ? 'A' : 'B'));
    writeFileSync(file, `${JSON.stringify({ accessKeyId: id, secretAccessKey: secret }, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
    // The mode given at creation is filtered by the umask; set it outright.
    chmodSync(file, 0o600);
    return new RootKey(id, secret, true);
  }

  /** Writes the key back after the data folder was emptied (a reset), so the CLI on this machine still finds it. */
  restore(dataDir: string): void {
    const file = join(dataDir, ROOT_KEY_FILE);
    if (existsSync(file)) return;
    writeFileSync(file, `${JSON.stringify({ accessKeyId: this.accessKeyId, secretAccessKey: this.secretAccessKey }, null, 2)}\n`, { mode: 0o600 });
    chmodSync(file, 0o600);
  }

  /** Reads a node's root key without making one: for the CLI on the node's machine. */
  static read(dataDir: string): { accessKeyId: string; secretAccessKey: string } | undefined {
    const file = join(dataDir, ROOT_KEY_FILE);
    if (!existsSync(file)) return undefined;
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as { accessKeyId: string; secretAccessKey: string };
    } catch {
      return undefined;
    }
  }
}
