"""floe's asset selection language: parsing one selection expression, and resolving it.

A batch job's ``selection`` is a list; each item is one expression and the job selects the
union of all items. The grammar (documented with examples in docs/selection.md)::

    expression := or_expr
    or_expr    := and_expr ("or" and_expr)*
    and_expr   := not_expr ("and" not_expr)*
    not_expr   := "not" not_expr | graph
    graph      := [DEPTH] ["+"] primary ["+" [DEPTH]]     # +x, 2+x, x+, x+1, +x+
    primary    := "(" expression ")" | atom
    atom       := "group:" NAME | "tag:" KEY ["=" VALUE] | ("asset:" | "key:") PATH
                | NAME_OR_GLOB                            # a name, or a glob: * ? [abc] {a,b}

``+x`` adds every upstream asset of x (``2+x``: two levels), ``x+`` every downstream one.
``and`` binds tighter than ``or``; ``not`` tighter than both. Keywords are lower- or
upper-case. A value may be double-quoted (``key:"a/b"``). Every node of the tree knows its
``start``/``end`` offsets in the text, so the editor can point inside the string.

Dagster's own ``AssetSelection.from_string`` swallows grammar errors, so floe parses
selections itself (here) and the runtime translates the tree into ``AssetSelection``.
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING, NamedTuple, TypeVar

from floe_core.globs import compile_glob, glob_problem, is_glob
from floe_core.suggestions import closest

if TYPE_CHECKING:
    from floe_core.universe import AssetUniverse


_Node = TypeVar("_Node", bound=tuple[object, ...])


def _compared_by_class(node_class: type[_Node]) -> type[_Node]:
    """Make a tree node equal only to a node of its own class with the same fields.

    The nodes are named tuples, cheap to define and to create, but plain tuple equality
    would make ``a and b`` equal to ``a or  b``, whose fields coincide (and memo keys hold
    nodes)."""

    def same(node: tuple[object, ...], other: object) -> bool:
        return type(node) is type(other) and tuple.__eq__(node, other)

    def other_than(node: tuple[object, ...], other: object) -> bool:
        return not same(node, other)

    node_class.__eq__ = same  # type: ignore[method-assign]
    node_class.__ne__ = other_than  # type: ignore[method-assign,assignment]
    return node_class


@_compared_by_class
class NameSel(NamedTuple):
    """An asset name, key or glob: ``orders``, ``bronze_*``, ``raw/orders``."""

    pattern: str
    start: int
    end: int


@_compared_by_class
class KeySel(NamedTuple):
    """``asset:name`` or ``key:a/b``: an exact asset key (globs allowed per component)."""

    path: tuple[str, ...]
    start: int
    end: int
    value_start: int

    @property
    def key(self) -> str:
        """The slash-joined key."""
        return "/".join(self.path)


@_compared_by_class
class GroupSel(NamedTuple):
    """``group:bronze``: every asset of a group."""

    name: str
    start: int
    end: int
    value_start: int


@_compared_by_class
class TagSel(NamedTuple):
    """``tag:key`` (any value) or ``tag:key=value``."""

    key: str
    value: str | None
    start: int
    end: int
    value_start: int


@_compared_by_class
class Upstream(NamedTuple):
    """``+x`` / ``N+x``: x and its upstream assets (all, or ``depth`` levels)."""

    expr: Expr
    depth: int | None
    start: int
    end: int


@_compared_by_class
class Downstream(NamedTuple):
    """``x+`` / ``x+N``: x and its downstream assets (all, or ``depth`` levels)."""

    expr: Expr
    depth: int | None
    start: int
    end: int


@_compared_by_class
class And(NamedTuple):
    """``a and b``: the assets both select."""

    left: Expr
    right: Expr
    start: int
    end: int


@_compared_by_class
class Or(NamedTuple):
    """``a or b``: the assets either selects."""

    left: Expr
    right: Expr
    start: int
    end: int


@_compared_by_class
class Not(NamedTuple):
    """``not a``: every asset a does not select."""

    expr: Expr
    start: int
    end: int


Expr = NameSel | KeySel | GroupSel | TagSel | Upstream | Downstream | And | Or | Not
Leaf = NameSel | KeySel | GroupSel | TagSel


class SelectionError(NamedTuple):
    """A grammar error: offsets into the text and what was expected there."""

    start: int
    end: int
    message: str


class SelectionParse(NamedTuple):
    """The tree of one selection expression (None when it does not parse) and its errors."""

    expr: Expr | None
    errors: tuple[SelectionError, ...]

    @property
    def ok(self) -> bool:
        """Whether the expression parsed without errors."""
        return self.expr is not None and not self.errors


PREFIXES = ("group:", "tag:", "asset:", "key:")
KEYWORDS = frozenset({"and", "or", "not"})
_STOP = frozenset(' \t\r\n()+"')
_EXPECTED = "an asset name, a glob, group:NAME, tag:KEY[=VALUE], key:A/B or '('"


class _Token(NamedTuple):
    kind: str  # "word", "quoted", "(", ")", "+", "digits", "end"
    text: str
    start: int
    end: int


class _ParseError(Exception):
    def __init__(self, start: int, end: int, message: str) -> None:
        super().__init__(message)
        self.error = SelectionError(start, end, message)


_SIMPLE = re.compile(r"(?:(\d*)\+)?([^\s()+\"]+)(?:\+(\d*))?\Z")


@functools.lru_cache(maxsize=8192)
def parse_selection(text: str) -> SelectionParse:
    """Parse one selection expression; never raises (errors carry offsets into ``text``)."""
    simple = _simple(text)
    if simple is not None:
        return SelectionParse(simple, ())
    try:
        tokens = _tokenize(text)
        parser = _Parser(text, tokens)
        if tokens[0].kind == "end":
            raise _ParseError(0, len(text), f"the selection is empty; expected {_EXPECTED}")
        expr = parser.expression()
        parser.expect_end()
    except _ParseError as problem:
        return SelectionParse(None, (problem.error,))
    except RecursionError:
        return SelectionParse(
            None, (SelectionError(0, len(text), "the selection nests too deeply"),)
        )
    return SelectionParse(expr, ())


def _simple(text: str) -> Expr | None:
    """The tree of a one-word selection (``x``, ``group:g``, ``+x``, ``2+x+1``) without the
    general parser; None when the text is anything else or has an error to report."""
    match = _SIMPLE.match(text)
    if match is None:
        return None
    word = match.group(2)
    if word.isdigit() or word.lower() in KEYWORDS or '"' in word:
        return None
    start, end = match.span(2)
    try:
        expr: Expr = _Parser(text, []).atom(_Token("word", word, start, end))
    except _ParseError:
        return None
    after = match.group(3)
    if after is not None:
        expr = Downstream(expr, int(after) if after else None, start, match.end())
    before = match.group(1)
    if before is not None:
        expr = Upstream(expr, int(before) if before else None, 0, expr.end)
    return expr


def _tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    index = 0
    length = len(text)
    while index < length:
        ch = text[index]
        if ch in " \t\r\n":
            index += 1
            continue
        if ch in "()+":
            tokens.append(_Token(ch, ch, index, index + 1))
            index += 1
            continue
        if ch == '"':
            close = text.find('"', index + 1)
            if close == -1:
                raise _ParseError(index, length, "this quote is never closed; add a '\"'")
            tokens.append(_Token("quoted", text[index + 1 : close], index, close + 1))
            index = close + 1
            continue
        start = index
        while index < length and text[index] not in _STOP:
            index += 1
            if text[index - 1] == ":" and index < length and text[index] == '"':
                close = text.find('"', index + 1)
                if close == -1:
                    raise _ParseError(index, length, "this quote is never closed; add a '\"'")
                index = close + 1
        word = text[start:index]
        kind = "digits" if word.isdigit() else "word"
        tokens.append(_Token(kind, word, start, index))
    tokens.append(_Token("end", "", length, length))
    return tokens


class _Parser:
    """Recursive descent over the tokens; raises _ParseError at the first problem."""

    def __init__(self, text: str, tokens: list[_Token]) -> None:
        self.text = text
        self.tokens = tokens
        self.pos = 0

    @property
    def current(self) -> _Token:
        return self.tokens[self.pos]

    def peek(self, offset: int = 1) -> _Token:
        return self.tokens[min(self.pos + offset, len(self.tokens) - 1)]

    def advance(self) -> _Token:
        token = self.tokens[self.pos]
        self.pos = min(self.pos + 1, len(self.tokens) - 1)
        return token

    def keyword(self, token: _Token) -> str | None:
        lowered = token.text.lower() if token.kind == "word" else ""
        return lowered if lowered in KEYWORDS and token.text in (lowered, lowered.upper()) else None

    def expression(self) -> Expr:
        left = self.and_expr()
        while self.keyword(self.current) == "or":
            self.advance()
            right = self.and_expr_after("or")
            left = Or(left, right, left.start, right.end)
        return left

    def and_expr_after(self, word: str) -> Expr:
        if self.current.kind in ("end", ")"):
            raise self.missing_operand(word)
        return self.and_expr()

    def and_expr(self) -> Expr:
        left = self.not_expr()
        while self.keyword(self.current) == "and":
            self.advance()
            if self.current.kind in ("end", ")"):
                raise self.missing_operand("and")
            right = self.not_expr()
            left = And(left, right, left.start, right.end)
        return left

    def not_expr(self) -> Expr:
        if self.keyword(self.current) == "not":
            token = self.advance()
            if self.current.kind in ("end", ")"):
                raise self.missing_operand("not")
            inner = self.not_expr()
            return Not(inner, token.start, inner.end)
        return self.graph()

    def graph(self) -> Expr:
        start = self.current.start
        up_depth: int | None = None
        upstream = False
        if self.current.kind == "digits" and self.peek().kind == "+":
            up_depth = int(self.advance().text)
            upstream = True
            self.advance()
        elif self.current.kind == "+":
            upstream = True
            self.advance()
        primary_start = self.current.start
        expr = self.primary()
        end = self.tokens[self.pos - 1].end
        if self.current.kind == "+":
            plus = self.advance()
            depth: int | None = None
            end = plus.end
            if self.current.kind == "digits" and self.current.start == plus.end:
                digits = self.advance()
                depth, end = int(digits.text), digits.end
            expr = Downstream(expr, depth, primary_start, end)
        if upstream:
            expr = Upstream(expr, up_depth, start, end)
        return expr

    def primary(self) -> Expr:
        token = self.current
        if token.kind == "(":
            self.advance()
            if self.current.kind == ")":
                raise _ParseError(
                    token.start, self.current.end, f"empty parentheses; expected {_EXPECTED} inside"
                )
            inner = self.expression()
            if self.current.kind != ")":
                raise _ParseError(
                    token.start,
                    token.end,
                    f"this '(' is never closed; expected ')' before {self.describe(self.current)}",
                )
            close = self.advance()
            if isinstance(inner, NameSel | KeySel | GroupSel | TagSel):
                return inner
            return _with_span(inner, token.start, close.end)
        if token.kind in ("word", "quoted", "digits"):
            if self.keyword(token) is not None:
                raise _ParseError(
                    token.start,
                    token.end,
                    f"'{token.text}' is an operator; expected {_EXPECTED} before it "
                    '(quote a name that is spelt like an operator: "and")',
                )
            self.advance()
            return self.atom(token)
        if token.kind == "+":
            raise _ParseError(token.start, token.end, f"a second '+' here; expected {_EXPECTED}")
        raise self.missing_operand(None)

    def atom(self, token: _Token) -> Leaf:
        if token.kind == "quoted":
            return NameSel(token.text, token.start, token.end)
        text = token.text
        if ":" not in text:
            return self.name(text, token.start, token.end)
        prefix, _, rest = text.partition(":")
        value_start = token.start + len(prefix) + 1
        value = _unquote(rest)
        if f"{prefix}:" not in PREFIXES:
            if prefix.lower() + ":" in PREFIXES:
                hint = f"; selectors are lower-case: '{prefix.lower()}:'"
            else:
                best = closest(prefix, [p[:-1] for p in PREFIXES])
                hint = f"; did you mean '{best}:'?" if best else f"; known: {', '.join(PREFIXES)}"
            raise _ParseError(token.start, value_start, f"unknown selector '{prefix}:'{hint}")
        if not value:
            raise _ParseError(
                token.start,
                token.end,
                f"'{prefix}:' needs a value right after it, e.g. {_EXAMPLES[prefix]}",
            )
        if rest.startswith('"'):
            value_start += 1
        if prefix == "group":
            return GroupSel(value, token.start, token.end, value_start)
        if prefix == "tag":
            key, equals, tag_value = value.partition("=")
            if not key:
                raise _ParseError(
                    value_start, token.end, "a tag selector needs a key: tag:KEY or tag:KEY=VALUE"
                )
            return TagSel(key, tag_value if equals else None, token.start, token.end, value_start)
        parts = tuple(value.split("/"))
        if any(not part for part in parts):
            raise _ParseError(
                value_start,
                token.end,
                f"'{value}' has an empty key component; write key components joined by '/', "
                "e.g. key:raw/orders",
            )
        return KeySel(parts, token.start, token.end, value_start)

    def name(self, text: str, start: int, end: int) -> NameSel:
        problem = glob_problem(text)
        if problem is not None:
            raise _ParseError(start + problem[0], start + problem[1], problem[2])
        return NameSel(text, start, end)

    def expect_end(self) -> None:
        token = self.current
        if token.kind == "end":
            return
        if token.kind == ")":
            raise _ParseError(token.start, token.end, "this ')' has no matching '('")
        raise _ParseError(
            token.start,
            token.end,
            f"expected 'and', 'or' or the end of the selection, found {self.describe(token)}; "
            "a list item is one expression: put another selection on its own list item, or "
            "join them with 'or'",
        )

    def missing_operand(self, after: str | None) -> _ParseError:
        token = self.current
        where = f"after '{after}'" if after else "here"
        found = self.describe(token)
        if token.kind == "end" and self.pos > 0:
            token = self.tokens[self.pos - 1]
        return _ParseError(token.start, token.end, f"expected {_EXPECTED} {where}, found {found}")

    @staticmethod
    def describe(token: _Token) -> str:
        if token.kind == "end":
            return "the end of the selection"
        return f"'{token.text}'"


_EXAMPLES = {
    "group": "group:bronze",
    "tag": "tag:layer=gold",
    "asset": "asset:orders",
    "key": "key:raw/orders",
}


def _unquote(value: str) -> str:
    if len(value) >= 2 and value.startswith('"') and value.endswith('"'):
        return value[1:-1]
    return value


def _with_span(expr: Expr, start: int, end: int) -> Expr:
    """The same expression, spanning its parentheses too."""
    return expr._replace(start=start, end=end)


def leaves(expr: Expr) -> list[Leaf]:
    """The names, keys, groups and tags an expression mentions, left to right."""
    if isinstance(expr, NameSel | KeySel | GroupSel | TagSel):
        return [expr]
    if isinstance(expr, And | Or):
        return leaves(expr.left) + leaves(expr.right)
    return leaves(expr.expr)


def resolve(expr: Expr, universe: AssetUniverse) -> frozenset[str]:
    """The keys of the assets an expression selects in ``universe`` (memoized on it)."""
    return universe.memo(("resolve", expr), lambda: _resolve(expr, universe))


def _resolve(expr: Expr, universe: AssetUniverse) -> frozenset[str]:
    if isinstance(expr, NameSel):
        return universe.matching(expr.pattern)
    if isinstance(expr, KeySel):
        key = expr.key
        if is_glob(key):
            match = compile_glob(key).match
            return frozenset(k for k in universe.assets if match(k))
        return frozenset({key}) if key in universe.assets else frozenset()
    if isinstance(expr, GroupSel):
        if not is_glob(expr.name):
            return frozenset(
                key for key, info in universe.assets.items() if info.group_name == expr.name
            )
        match = compile_glob(expr.name).match
        return frozenset(key for key, info in universe.assets.items() if match(info.group_name))
    if isinstance(expr, TagSel):
        return frozenset(
            key
            for key, info in universe.assets.items()
            if expr.key in info.tags and (expr.value is None or info.tags[expr.key] == expr.value)
        )
    if isinstance(expr, Upstream | Downstream):
        inner = resolve(expr.expr, universe)
        grown = universe.closure(inner, expr.depth, upstream=isinstance(expr, Upstream))
        return frozenset(universe.assets.keys() & grown)
    if isinstance(expr, And):
        return resolve(expr.left, universe) & resolve(expr.right, universe)
    if isinstance(expr, Or):
        return resolve(expr.left, universe) | resolve(expr.right, universe)
    return frozenset(universe.assets) - resolve(expr.expr, universe)


def resolve_item(text: str, universe: AssetUniverse) -> frozenset[str] | None:
    """The keys one selection item selects (None when it does not parse), memoized on the
    universe by the item's text."""
    return universe.memo(("item", text), lambda: _resolve_item(text, universe))


def _resolve_item(text: str, universe: AssetUniverse) -> frozenset[str] | None:
    expr = parse_selection(text).expr
    return None if expr is None else resolve(expr, universe)


def item_is_clean(text: str, universe: AssetUniverse) -> bool:
    """Whether a selection item parses and each name in it selects something: an item
    that needs no diagnostic (memoized on the universe by its text)."""
    return universe.memo(("clean", text), lambda: _item_is_clean(text, universe))


def _item_is_clean(text: str, universe: AssetUniverse) -> bool:
    parsed = parse_selection(text)
    if parsed.expr is None or parsed.errors:
        return False
    return all(resolve(leaf, universe) for leaf in leaves(parsed.expr))


def resolve_items(items: list[str], universe: AssetUniverse) -> tuple[frozenset[str], bool]:
    """The union of several selection items, and whether all of them parsed."""
    selected: set[str] = set()
    parsed = True
    for item in items:
        keys = resolve_item(item, universe)
        if keys is None:
            parsed = False
            continue
        selected |= keys
    return frozenset(selected), parsed
