"""The environment ``${VAR}`` resolves against: the process environment, overridden by the
variables of an ``--env-file`` when one is given."""

from __future__ import annotations

import os

from floe_core import env_file


class EnvFileError(Exception):
    """The env file cannot be read or parsed; the message says which and why."""


def environment(path: str | None) -> dict[str, str]:
    """The process environment, with the env file's variables on top."""
    env = dict(os.environ)
    if path is None:
        return env
    try:
        env.update(env_file.read_env_file(path))
    except env_file.EnvFileError as exc:
        raise EnvFileError(f"invalid env file {exc}") from exc
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise EnvFileError(f"cannot read env file {path}: {reason}") from exc
    return env
