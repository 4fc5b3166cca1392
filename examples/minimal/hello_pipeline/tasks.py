"""The function the minimal example's ops job runs."""


def say_hello(name: str = "world") -> str:
    """Greet ``name``."""
    return f"hello, {name}"
