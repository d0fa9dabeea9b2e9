"""A module the layer puts on every Python function's path (/opt/python)."""


def greet(name: str) -> str:
    return f"Hello, {name}!"
