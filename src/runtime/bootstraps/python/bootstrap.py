"""Entry point of Flint's built-in Python runtime: `python3 -u bootstrap.py`, channel on fd 3.

Kept to a few lines because the entry script is compiled on every start; the runtime itself lives in
flint_runtime/ and loads from bytecode caches.
"""
import sys

# The runtime's own modules are cached even where the environment says not to write bytecode
# (PYTHONDONTWRITEBYTECODE): compiling them costs more than the rest of start-up. User code still
# follows the environment's setting.
_dont_write_bytecode = sys.dont_write_bytecode
sys.dont_write_bytecode = False
from flint_runtime.runtime import main  # noqa: E402

sys.dont_write_bytecode = _dont_write_bytecode
sys.exit(main())
