import { RESERVED_ENV_KEYS } from '../core/index.js';

/** Lambda's rules for environment variable names: its key pattern, minus the names the runtime sets itself. */
export const ENV_KEY_PATTERN = /^[a-zA-Z]([a-zA-Z0-9_])+$/;

export function isReservedEnvKey(key: string): boolean {
  return RESERVED_ENV_KEYS.has(key);
}
