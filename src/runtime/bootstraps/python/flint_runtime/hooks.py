"""Run code right after a user's import of a given module, so that the runtime configures `logging` and
patches `botocore` only for functions that use them instead of importing both up front."""

import sys


class PostImportHooks(object):
    """A meta-path finder: it finds nothing itself, it wraps the loader the other finders return."""

    def __init__(self):
        self._callbacks = {}

    def watch(self, name, callback):
        module = sys.modules.get(name)
        if module is not None:
            callback(module)
        else:
            self._callbacks[name] = callback

    def find_spec(self, name, path=None, target=None):
        callback = self._callbacks.get(name)
        if callback is None:
            return None
        spec = self._find_with_other_finders(name, path, target)
        loader = getattr(spec, "loader", None)
        # Loader classes (built-in, frozen) are shared by many modules: only patch per-module instances.
        if loader is None or isinstance(loader, type) or not hasattr(loader, "exec_module"):
            return spec
        del self._callbacks[name]
        loader.exec_module = run_after(loader.exec_module, name, callback)
        return spec

    def _find_with_other_finders(self, name, path, target):
        for finder in sys.meta_path:
            find_spec = getattr(finder, "find_spec", None)
            if finder is self or find_spec is None:
                continue
            spec = find_spec(name, path, target)
            if spec is not None:
                return spec
        return None


def run_after(exec_module, name, callback):
    def exec_module_then_callback(module):
        exec_module(module)
        try:
            callback(module)
        except Exception as e:
            # The user's import must not fail because of the runtime's convenience.
            sys.stderr.write("flint: post-import hook for {} failed: {!r}\n".format(name, e))

    return exec_module_then_callback
