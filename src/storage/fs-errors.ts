import { FlintError } from '../core/index.js';

/** File-system failures of a store, as STORAGE_FAILED errors naming what failed: "blob read failed: …". */
export function fsErrors(subject: string): {
  failed(action: string, error: unknown): FlintError;
  call<T>(action: string, fn: () => Promise<T>): Promise<T>;
} {
  const failed = (action: string, error: unknown): FlintError => {
    const message = error instanceof Error ? error.message : String(error);
    return new FlintError('STORAGE_FAILED', `${subject} ${action} failed: ${message}`, {}, { cause: error });
  };
  return {
    failed,
    async call(action, fn) {
      try {
        return await fn();
      } catch (error) {
        throw failed(action, error);
      }
    },
  };
}

export function isNotFound(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}
