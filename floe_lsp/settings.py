"""The language server's settings: one typed, fully defaulted model (section ``floe``).

Settings arrive as ``initializationOptions`` and through ``workspace/configuration``. A bad
value never stops the server: the offending key falls back to its default and the problem
is reported in words that name the key, what was wrong, and the default used instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pydantic.alias_generators import to_camel

SECTION = "floe"

LogLevel = Literal["error", "warning", "info", "debug"]

_MODEL_CONFIG = ConfigDict(
    extra="forbid", frozen=True, strict=True, alias_generator=to_camel, populate_by_name=True
)


class FeatureSettings(BaseModel):
    """Which features are on (all of them by default)."""

    model_config = _MODEL_CONFIG

    diagnostics: bool = Field(default=True, description="Publish diagnostics.")
    completion: bool = Field(default=True, description="Offer completions.")
    hover: bool = Field(default=True, description="Answer hovers.")
    inlay_hints: bool = Field(default=True, description="Show cron descriptions inline.")
    formatting: bool = Field(default=True, description="Format floe.yaml documents.")
    code_actions: bool = Field(default=True, description="Offer quick fixes.")


class Settings(BaseModel):
    """Everything a user can configure about floe-lsp."""

    model_config = _MODEL_CONFIG

    manifest_path: str | None = Field(
        default=None,
        description="dbt manifest.json to use instead of the one floe.yaml names (absolute, or "
        "relative to the workspace folder).",
    )
    env_file: str | None = Field(
        default=None,
        description="A .env file whose variables ${VAR} resolves against (on top of the "
        "server's environment); absolute or relative to the workspace folder.",
    )
    extra_python_roots: list[str] = Field(
        default_factory=list,
        description="More folders to find asset modules and functions in.",
    )
    features: FeatureSettings = Field(default_factory=FeatureSettings)
    log_level: LogLevel = Field(
        default="warning", description="How much the server writes to its log."
    )


@dataclass(frozen=True)
class ParsedSettings:
    """Settings read from a client, and the problems found (each already a sentence)."""

    settings: Settings
    problems: list[str] = field(default_factory=list)

    @property
    def message(self) -> str | None:
        """One message for the user about every problem, or None when there is none."""
        if not self.problems:
            return None
        return "floe settings: " + "; ".join(self.problems)


def section_of(raw: object) -> object:
    """The ``floe`` section of a settings payload that may or may not be wrapped in it."""
    if isinstance(raw, Mapping) and SECTION in raw:
        return raw[SECTION]
    return raw


def parse_settings(raw: object) -> ParsedSettings:
    """Validate ``raw`` (the ``floe`` section); bad keys fall back to their defaults."""
    if raw is None:
        return ParsedSettings(Settings())
    if not isinstance(raw, Mapping):
        return ParsedSettings(
            Settings(),
            [f"'{SECTION}' must be an object of settings, got {_shown(raw)}; using the defaults"],
        )
    data: dict[str, Any] = _plain(raw)
    problems: list[str] = []
    for _ in range(64):
        try:
            return ParsedSettings(Settings.model_validate(data), problems)
        except ValidationError as exc:
            removed = False
            for error in exc.errors():
                loc = tuple(str(part) for part in error["loc"])
                if _remove(data, loc):
                    removed = True
                    problems.append(_describe(error["type"], loc, error.get("input")))
            if not removed:
                break
    return ParsedSettings(Settings(), [*problems, "the settings could not be read; using defaults"])


def _plain(raw: Mapping[Any, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in raw.items():
        out[str(key)] = _plain(value) if isinstance(value, Mapping) else value
    return out


def _remove(data: dict[str, Any], loc: tuple[str, ...]) -> bool:
    """Drop the top-most key of ``loc`` that can be dropped (a list item drops its list)."""
    node: Any = data
    for depth, part in enumerate(loc):
        if not isinstance(node, dict) or part not in node:
            return False
        child = node[part]
        if depth == len(loc) - 1 or not isinstance(child, dict):
            del node[part]
            return True
        node = child
    return False


def _describe(kind: str, loc: tuple[str, ...], value: object) -> str:
    key = ".".join((SECTION, *_setting_path(loc)))
    default = _default_of(_setting_path(loc))
    if kind == "extra_forbidden":
        return f"unknown setting '{key}' (ignored)"
    expected = {
        "bool_type": "true or false",
        "string_type": "a string",
        "list_type": "a list of strings",
        "literal_error": "one of 'error', 'warning', 'info' or 'debug'",
        "model_type": "an object",
        "dict_type": "an object",
    }.get(kind, "a valid value")
    subject = f"every item of '{key}'" if any(part.isdigit() for part in loc) else f"'{key}'"
    return f"{subject} must be {expected}, got {_shown(value)}; using the default ({default})"


def _setting_path(loc: tuple[str, ...]) -> tuple[str, ...]:
    """The camelCase path of a setting (``extra_python_roots.0`` -> ``extraPythonRoots``)."""
    return tuple(to_camel(part) for part in loc if not part.isdigit())


def _default_of(path: tuple[str, ...]) -> str:
    value: Any = Settings()
    for part in path:
        snake = next(
            (name for name, info in type(value).model_fields.items() if info.alias == part),
            part,
        )
        value = getattr(value, snake, None)
        if not isinstance(value, BaseModel):
            break
    if isinstance(value, BaseModel):
        return "all on"
    if value is None:
        return "none"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, list):
        return "an empty list" if not value else str(value)
    return repr(value)


def _shown(value: object) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if value is None:
        return "null"
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
