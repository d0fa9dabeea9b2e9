import { existsSync, realpathSync } from 'node:fs';
import { basename } from 'node:path';

const BASH = '/bin/bash';

/** Whether this machine's /bin/sh is bash already (Amazon Linux, Fedora), so nothing needs to change. */
export function shIsAlreadyBash(): boolean {
  try {
    return basename(realpathSync('/bin/sh')) === 'bash';
  } catch {
    return false;
  }
}

/**
 * bwrap arguments that put bash where /bin/sh leads inside an instance's mount namespace: Lambda's images are
 * Amazon Linux, whose /bin/sh is bash, and bootstraps rely on it (`set -o pipefail`, `[[ ]]`). A mount follows
 * the /bin/sh symlink, so the mount goes over its target (Debian's dash, which Amazon Linux does not have either).
 * Bash started as `sh` runs in POSIX mode, as it does there. Empty when sh is bash already or bash is missing.
 */
export function bashOverSh(): string[] {
  if (shIsAlreadyBash() || !existsSync(BASH)) return [];
  try {
    return ['--ro-bind', realpathSync(BASH), realpathSync('/bin/sh')];
  } catch {
    return [];
  }
}
