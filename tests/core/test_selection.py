"""The selection grammar: parse trees with offsets, errors with sub-ranges, and resolution."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from floe_core.selection import (
    And,
    Downstream,
    Expr,
    GroupSel,
    KeySel,
    NameSel,
    Not,
    Or,
    TagSel,
    Upstream,
    leaves,
    parse_selection,
    resolve,
    resolve_items,
)
from floe_core.universe import AssetInfo, AssetUniverse


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("orders", NameSel("orders", 0, 6), id="name"),
        pytest.param("bronze_*", NameSel("bronze_*", 0, 8), id="glob"),
        pytest.param("group:bronze", GroupSel("bronze", 0, 12, 6), id="group"),
        pytest.param("tag:tier", TagSel("tier", None, 0, 8, 4), id="tag-key"),
        pytest.param("tag:tier=gold", TagSel("tier", "gold", 0, 13, 4), id="tag-key-value"),
        pytest.param("asset:orders", KeySel(("orders",), 0, 12, 6), id="asset"),
        pytest.param("key:raw/orders", KeySel(("raw", "orders"), 0, 14, 4), id="key-path"),
        pytest.param('key:"raw/orders"', KeySel(("raw", "orders"), 0, 16, 5), id="key-quoted"),
        pytest.param("+orders", Upstream(NameSel("orders", 1, 7), None, 0, 7), id="upstream"),
        pytest.param("2+orders", Upstream(NameSel("orders", 2, 8), 2, 0, 8), id="upstream-depth"),
        pytest.param("orders+", Downstream(NameSel("orders", 0, 6), None, 0, 7), id="downstream"),
        pytest.param(
            "orders+1", Downstream(NameSel("orders", 0, 6), 1, 0, 8), id="downstream-depth"
        ),
        pytest.param(
            "a or b and c",
            Or(NameSel("a", 0, 1), And(NameSel("b", 5, 6), NameSel("c", 11, 12), 5, 12), 0, 12),
            id="and-binds-tighter",
        ),
        pytest.param(
            "not a and b",
            And(Not(NameSel("a", 4, 5), 0, 5), NameSel("b", 10, 11), 0, 11),
            id="not-binds-tightest",
        ),
        pytest.param(
            "(a or b) and c",
            And(Or(NameSel("a", 1, 2), NameSel("b", 6, 7), 0, 8), NameSel("c", 13, 14), 0, 14),
            id="parentheses",
        ),
        pytest.param(
            "+(group:gold)+",
            Upstream(Downstream(GroupSel("gold", 2, 12, 8), None, 1, 14), None, 0, 14),
            id="graph-around-parentheses-keeps-the-leaf-range",
        ),
        pytest.param(
            "(a and b)+",
            Downstream(And(NameSel("a", 1, 2), NameSel("b", 7, 8), 0, 9), None, 0, 10),
            id="downstream-of-a-group",
        ),
        pytest.param(
            "group:gold AND NOT tag:pii",
            And(GroupSel("gold", 0, 10, 6), Not(TagSel("pii", None, 19, 26, 23), 15, 26), 0, 26),
            id="upper-case-keywords",
        ),
    ],
)
def test_parse(text: str, expected: Expr) -> None:
    result = parse_selection(text)
    assert result.errors == ()
    assert result.expr == expected


@pytest.mark.parametrize(
    ("text", "span", "message"),
    [
        pytest.param("", (0, 0), "the selection is empty", id="empty"),
        pytest.param("a b", (2, 3), "expected 'and', 'or' or the end", id="two-names"),
        pytest.param("a and", (2, 5), "after 'and', found the end", id="dangling-and"),
        pytest.param("not", (0, 3), "after 'not'", id="lone-not"),
        pytest.param("(a or b", (0, 1), "this '(' is never closed", id="unclosed-paren"),
        pytest.param("a)", (1, 2), "this ')' has no matching '('", id="stray-paren"),
        pytest.param("()", (0, 2), "empty parentheses", id="empty-parens"),
        pytest.param("grup:bronze", (0, 5), "did you mean 'group:'?", id="misspelt-prefix"),
        pytest.param("Group:bronze", (0, 6), "selectors are lower-case", id="upper-prefix"),
        pytest.param("group:", (0, 6), "'group:' needs a value", id="empty-group"),
        pytest.param("tag:=x", (4, 6), "needs a key", id="tag-without-key"),
        pytest.param("key:raw//orders", (4, 15), "empty key component", id="empty-component"),
        pytest.param('key:"raw', (4, 8), "never closed", id="unclosed-quote"),
        pytest.param("bronze_[ab", (7, 8), "no closing ']'", id="unbalanced-glob"),
        pytest.param("a and or b", (6, 8), "'or' is an operator", id="operator-as-operand"),
        pytest.param("+ +a", (2, 3), "a second '+'", id="double-plus"),
    ],
)
def test_parse_errors(text: str, span: tuple[int, int], message: str) -> None:
    result = parse_selection(text)
    assert result.expr is None
    assert len(result.errors) == 1
    error = result.errors[0]
    assert (error.start, error.end) == span
    assert message in error.message


def test_parse_never_raises_on_deep_nesting() -> None:
    result = parse_selection("(" * 5000 + "a" + ")" * 5000)
    assert result.expr is None
    assert "nests too deeply" in result.errors[0].message


def _universe() -> AssetUniverse:
    universe = AssetUniverse(known=True, complete=True)
    for info in (
        AssetInfo("raw_orders", "python", group="bronze", tags={"tier": "raw"}),
        AssetInfo("raw_customers", "python", group="bronze"),
        AssetInfo("stg_orders", "dbt", "model", group="silver", deps=("raw_orders",)),
        AssetInfo(
            "customer_orders",
            "dbt",
            "model",
            group="gold",
            tags={"tier": "gold"},
            deps=("stg_orders", "raw_customers"),
        ),
        AssetInfo("reports/legacy", "dbt", "model", deps=("customer_orders",)),
    ):
        universe.add(info)
    return universe


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("group:bronze", {"raw_orders", "raw_customers"}, id="group"),
        pytest.param("group:default", {"reports/legacy"}, id="default-group"),
        pytest.param("tag:tier", {"raw_orders", "customer_orders"}, id="tag-any-value"),
        pytest.param("tag:tier=gold", {"customer_orders"}, id="tag-value"),
        pytest.param("raw_*", {"raw_orders", "raw_customers"}, id="glob"),
        pytest.param("legacy", {"reports/legacy"}, id="name-of-prefixed-key"),
        pytest.param("key:reports/legacy", {"reports/legacy"}, id="key"),
        pytest.param("key:reports/*", {"reports/legacy"}, id="key-glob"),
        pytest.param("+stg_orders", {"stg_orders", "raw_orders"}, id="upstream"),
        pytest.param(
            "stg_orders+", {"stg_orders", "customer_orders", "reports/legacy"}, id="downstream"
        ),
        pytest.param("stg_orders+1", {"stg_orders", "customer_orders"}, id="downstream-depth"),
        pytest.param(
            "1+customer_orders",
            {"customer_orders", "stg_orders", "raw_customers"},
            id="upstream-depth",
        ),
        pytest.param("group:bronze and tag:tier", {"raw_orders"}, id="and"),
        pytest.param("group:gold or group:silver", {"customer_orders", "stg_orders"}, id="or"),
        pytest.param(
            "not group:bronze and not group:default",
            {"stg_orders", "customer_orders"},
            id="not",
        ),
        pytest.param("missing", set(), id="unknown-name"),
    ],
)
def test_resolve(text: str, expected: set[str]) -> None:
    result = parse_selection(text)
    assert result.expr is not None
    assert resolve(result.expr, _universe()) == expected


def test_and_and_or_with_the_same_offsets_stay_apart() -> None:
    """``a and b`` and ``a or  b`` have trees with equal fields; they must neither compare
    equal nor share what the universe memoized for one of them."""
    both = parse_selection("group:bronze and tag:tier").expr
    either = parse_selection("group:bronze or  tag:tier").expr
    assert both is not None
    assert either is not None
    assert both != either
    universe = _universe()
    assert resolve(both, universe) == {"raw_orders"}
    assert resolve(either, universe) == {"raw_orders", "raw_customers", "customer_orders"}


def test_resolve_items_unites_and_reports_unparsed() -> None:
    keys, parsed = resolve_items(["group:silver", "group:gold", "a b"], _universe())
    assert keys == {"stg_orders", "customer_orders"}
    assert parsed is False


def test_leaves_in_order() -> None:
    result = parse_selection("+group:a and (b or not tag:c)")
    assert result.expr is not None
    assert [type(leaf).__name__ for leaf in leaves(result.expr)] == [
        "GroupSel",
        "NameSel",
        "TagSel",
    ]


@given(st.text(alphabet=st.sampled_from(list('ab_*:+()" =/2\tgrouptagkeynd')), max_size=40))
def test_parse_never_raises_and_errors_lie_inside_the_text(text: str) -> None:
    result = parse_selection(text)
    assert (result.expr is None) == bool(result.errors)
    for error in result.errors:
        assert 0 <= error.start <= error.end <= len(text)
        assert error.message
    if result.expr is not None:
        for leaf in leaves(result.expr):
            assert 0 <= leaf.start < leaf.end <= len(text)
