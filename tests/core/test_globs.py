"""Globs for asset names: * ? [abc] [!abc] {a,b}, and unbalanced brackets."""

from __future__ import annotations

import pytest

from floe_core.globs import compile_glob, glob_match, glob_problem, is_glob


@pytest.mark.parametrize(
    ("pattern", "name", "expected"),
    [
        pytest.param("bronze_*", "bronze_orders", True, id="star-suffix"),
        pytest.param("bronze_*", "silver_orders", False, id="star-no-match"),
        pytest.param("stg_?rders", "stg_orders", True, id="question-mark"),
        pytest.param("stg_?rders", "stg_oorders", False, id="question-mark-one-char"),
        pytest.param("raw_[abc]", "raw_b", True, id="class"),
        pytest.param("raw_[!abc]", "raw_b", False, id="negated-class"),
        pytest.param("raw_[a-c]x", "raw_bx", True, id="class-range"),
        pytest.param("stg_{orders,customers}", "stg_customers", True, id="braces"),
        pytest.param("stg_{orders,customers}", "stg_products", False, id="braces-no-match"),
        pytest.param("{stg,customer,revenue}_*", "revenue_by_product", True, id="braces-then-star"),
        pytest.param("a{b,c{d,e}}", "ace", True, id="nested-braces"),
        pytest.param("*", "raw/orders", False, id="star-does-not-cross-slash"),
        pytest.param("raw/*", "raw/orders", True, id="key-glob"),
        pytest.param("**", "raw/orders", True, id="double-star-crosses-slash"),
        pytest.param("a.b", "axb", False, id="dot-is-literal"),
        pytest.param("x[ab", "x[ab", True, id="unbalanced-bracket-is-literal"),
        pytest.param("Orders", "orders", False, id="case-sensitive"),
    ],
)
def test_glob_match(pattern: str, name: str, expected: bool) -> None:
    assert glob_match(pattern, name) is expected


def test_compile_glob_is_cached() -> None:
    assert compile_glob("bronze_*") is compile_glob("bronze_*")


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        pytest.param("orders", False, id="plain-name"),
        pytest.param("orders_*", True, id="star"),
        pytest.param("{a,b}", True, id="braces"),
    ],
)
def test_is_glob(pattern: str, expected: bool) -> None:
    assert is_glob(pattern) is expected


@pytest.mark.parametrize(
    ("pattern", "span", "message"),
    [
        pytest.param("bronze_[ab", (7, 8), "no closing ']'", id="open-bracket"),
        pytest.param("stg_{a,b", (4, 5), "no closing '}'", id="open-brace"),
        pytest.param("stg_{a,b}_[xy]", None, None, id="balanced"),
    ],
)
def test_glob_problem(pattern: str, span: tuple[int, int] | None, message: str | None) -> None:
    problem = glob_problem(pattern)
    if span is None:
        assert problem is None
    else:
        assert problem is not None
        assert problem[:2] == span
        assert message is not None
        assert message in problem[2]
