"""``${VAR}`` interpolation: resolution, defaults, the shell form, escapes and mistakes."""

from __future__ import annotations

import pytest

from floe_core.interpolation import interpolate


@pytest.mark.parametrize(
    ("raw", "env", "value", "sources"),
    [
        pytest.param("${A}", {"A": "1"}, "1", ["environment"], id="plain-set"),
        pytest.param("${A:x}", {}, "x", ["default"], id="default-used"),
        pytest.param("${A:x}", {"A": "y"}, "y", ["environment"], id="env-wins"),
        pytest.param("${A:-x}", {}, "x", ["default"], id="shell-form"),
        pytest.param("${A:}", {}, "", ["default"], id="empty-default"),
        pytest.param("${A:0 6 * * *}", {}, "0 6 * * *", ["default"], id="default-with-spaces"),
        pytest.param("s3://${B:b}/${C:c}", {}, "s3://b/c", ["default", "default"], id="two"),
        pytest.param("$${A}", {"A": "1"}, "${A}", [], id="escape"),
        pytest.param("${A:http://x:1}", {}, "http://x:1", ["default"], id="colon-in-default"),
    ],
)
def test_resolution(raw: str, env: dict[str, str], value: str, sources: list[str]) -> None:
    result = interpolate(raw, env)
    assert result.value == value
    assert [ref.source for ref in result.refs] == sources
    assert result.problems == []


def test_unset_without_default_is_unresolved() -> None:
    result = interpolate("${MISSING}", {})
    assert result.unresolved
    assert result.refs[0].source == "unset"


def test_whole_expression_is_typed_but_embedded_is_not() -> None:
    assert interpolate("${A:true}", {}).is_whole
    assert not interpolate("x${A:true}", {}).is_whole
    assert not interpolate("${A:true}x", {}).is_whole


@pytest.mark.parametrize(
    ("raw", "start", "end", "fragment"),
    [
        pytest.param("${1A}", 0, 5, "not a valid environment variable name", id="bad-name"),
        pytest.param("x ${}", 2, 5, "(empty)", id="empty"),
        pytest.param("a ${B", 2, 5, "not closed", id="unclosed"),
    ],
)
def test_mistakes_have_offsets(raw: str, start: int, end: int, fragment: str) -> None:
    [problem] = interpolate(raw, {}).problems
    assert (problem.start, problem.end) == (start, end)
    assert fragment in problem.message
