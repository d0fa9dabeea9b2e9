"""Flint's built-in Python runtime (entered through ../bootstrap.py).

Modules are kept apart for reading, and imported from bytecode caches: the entry script itself is
compiled on every start, so it stays a few lines long.
"""
