"""The base model every floe.yaml model derives from, and shared field types."""

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field


class FloeModel(BaseModel):
    """Immutable, strict about unknown keys, and numbers are accepted where text is expected
    (``year: 2024`` in tags means the text "2024")."""

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        coerce_numbers_to_str=True,
        populate_by_name=True,
    )


def empty_dict() -> dict[Any, Any]:
    """A new empty mapping for a field's ``default_factory``: a plain function, because for
    ``dict`` itself pydantic reads the builtin's text signature with ``tokenize``, whose large
    regular expression would be compiled at import just for that."""
    return {}


def empty_list() -> list[Any]:
    """A new empty list for a field's ``default_factory`` (see :func:`empty_dict`)."""
    return []


Description = Annotated[
    str | None,
    Field(
        default=None,
        max_length=500,
        description="What this is for, in a sentence or two (at most 500 characters); "
        "shown in the Dagster UI.",
    ),
]

Tags = Annotated[
    dict[str, str] | None,
    Field(
        default=None,
        description="Metadata tags as key: value pairs, attached to every run it launches.",
    ),
]

PollInterval = Annotated[
    int,
    Field(
        default=30,
        gt=0,
        description="How often the sensor is evaluated, in seconds (a positive whole number; "
        "default 30).",
    ),
]

JobRef = Annotated[
    str,
    Field(description="The name of a job defined under orchestration.jobs."),
]

FunctionRef = Annotated[
    str,
    Field(
        pattern=r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)+$",
        description="A function as 'package.module.function': the module is found on the "
        "project's Python path (next to floe.yaml or a parent folder), never imported by "
        "the editor.",
    ),
]
