// @ts-check
/*
 * ES modules ignore NODE_PATH, but Lambda's Node.js runtime lets ES module handlers import the AWS SDK it
 * provides. Registered only after a handler's import fails on a bare specifier (so CommonJS handlers and
 * self-contained bundles never pay for the loader thread), this resolves such specifiers from NODE_PATH.
 */
import { pathToFileURL } from 'node:url';

const roots = (process.env.NODE_PATH ?? '').split(':').filter(Boolean);

/** @type {import('node:module').ResolveHook} */
export async function resolve(specifier, context, next) {
  try {
    return await next(specifier, context);
  } catch (error) {
    const bare = !/^(\.|\/|[a-z]+:)/i.test(specifier);
    if (!bare || /** @type {any} */ (error)?.code !== 'ERR_MODULE_NOT_FOUND') throw error;
    for (const root of roots) {
      try {
        return await next(specifier, { ...context, parentURL: pathToFileURL(root + '/').href });
      } catch {
        // try the next root
      }
    }
    throw error;
  }
}
