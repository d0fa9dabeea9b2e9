import { FlintError } from '../../core/index.js';

export interface HandlerParts {
  /** Module path without extension, relative to the code root: "src/index" for "src/index.handler". */
  modulePath: string;
  /** The exported name, possibly nested ("handlers.main"). */
  exportPath: string;
}

/**
 * Splits a handler string the way Lambda's Node.js runtime does: the module is everything up to the first dot
 * of the last path segment, the rest names the export.
 */
export function parseNodeHandler(handler: string): HandlerParts {
  const slash = handler.lastIndexOf('/');
  const dot = handler.indexOf('.', slash + 1);
  const modulePath = dot > 0 ? handler.slice(0, dot) : '';
  const exportPath = dot > 0 ? handler.slice(dot + 1) : '';
  if (!modulePath || !exportPath || modulePath.endsWith('/')) {
    throw new FlintError('BUNDLE_FAILED', `Bad handler '${handler}': expected <file>.<export>, e.g. src/index.handler`, { handler });
  }
  if (modulePath.startsWith('/') || modulePath.split('/').includes('..')) {
    throw new FlintError('BUNDLE_FAILED', `Bad handler '${handler}': the module must lie inside the code folder`, { handler });
  }
  return { modulePath, exportPath };
}

/** Python handlers name a module with dots: "pkg.app.handler" → pkg/app.py, function handler. */
export function pythonModuleFile(handler: string): string | undefined {
  const dot = handler.lastIndexOf('.');
  if (dot <= 0) return undefined;
  return handler.slice(0, dot).replaceAll('.', '/') + '.py';
}
