import { runtimeInfo } from '../core/index.js';

/**
 * Where Lambda's runtimes look inside /opt, the folder a function's layers are extracted to
 * (https://docs.aws.amazon.com/lambda/latest/dg/packaging-layers.html#packaging-layers-paths): Node.js's NODE_PATH
 * starts with /opt/nodejs/node<major>/node_modules and /opt/nodejs/node_modules, Python's sys.path has
 * /opt/python/lib/python3.<minor>/site-packages and /opt/python right after the task root, PATH ends with
 * /opt/bin and LD_LIBRARY_PATH with /opt/lib. `opt` is where the layers appear to the process: /opt in a sandbox
 * that can mount it, the merged folder's host path in one that cannot (the plain-process sandbox), so code that
 * names /opt literally only finds its files in the first.
 */
export function withLayerPaths(runtime: string, env: Record<string, string>, opt: string): Record<string, string> {
  const out = { ...env };
  out.PATH = appendPath(env.PATH, `${opt}/bin`);
  out.LD_LIBRARY_PATH = appendPath(env.LD_LIBRARY_PATH, `${opt}/lib`);
  const family = runtimeInfo(runtime)?.family;
  if (family === 'nodejs') {
    const major = /^nodejs(\d+)/.exec(runtime)?.[1];
    const own = [...(major ? [`${opt}/nodejs/node${major}/node_modules`] : []), `${opt}/nodejs/node_modules`];
    out.NODE_PATH = [...own, ...(env.NODE_PATH ? [env.NODE_PATH] : [])].join(':');
  }
  if (family === 'python') {
    const version = /^python(\d+\.\d+)/.exec(runtime)?.[1];
    const own = [...(version ? [`${opt}/python/lib/python${version}/site-packages`] : []), `${opt}/python`];
    out.PYTHONPATH = [...own, ...(env.PYTHONPATH ? [env.PYTHONPATH] : [])].join(':');
  }
  return out;
}

function appendPath(current: string | undefined, entry: string): string {
  return current ? `${current}:${entry}` : entry;
}
