"""floe's composer gives every node the tag PyYAML's safe loader gives it (YAML 1.1 rules)."""

from __future__ import annotations

import yaml
from hypothesis import given
from hypothesis import strategies as st

from floe_core.yaml_compose import compose

_PLAIN = st.from_regex(r"[-+.~=<0-9a-zA-Z_:][-+.0-9a-zA-Z_: ]{0,12}", fullmatch=True)
_SPECIAL = st.sampled_from(
    [
        "yes",
        "No",
        "on",
        "OFF",
        "y",
        "~",
        "null",
        "1_000",
        "0x1F",
        "0o17",
        "017",
        "1:30",
        "3.5e3",
        ".inf",
        "-.Inf",
        ".NaN",
        "2024-01-01",
        "2024-01-01 10:00:00",
        "=",
        "0b101",
        "1.",
        "+12",
    ]
)


def _tags(node: yaml.Node) -> list[str]:
    if isinstance(node, yaml.ScalarNode):
        return [node.tag]
    children = (
        node.value
        if isinstance(node, yaml.SequenceNode)
        else [part for pair in node.value for part in pair]
    )
    return [node.tag, *(tag for child in children for tag in _tags(child))]


@given(st.lists(_PLAIN | _SPECIAL, min_size=1, max_size=6), st.booleans())
def test_tags_equal_the_safe_loaders(values: list[str], quoted: bool) -> None:
    items = [f"'{v}'" if quoted and i % 2 else v for i, v in enumerate(values)]
    text = (
        "\n".join(f"k{i}: {item}" for i, item in enumerate(items))
        + "\nlist: ["
        + ", ".join(items)
        + "]\n"
    )
    try:
        expected = yaml.compose(text, Loader=yaml.CSafeLoader)
    except yaml.YAMLError:
        return
    composed = compose(text)
    assert expected is not None
    assert composed is not None
    assert _tags(composed) == _tags(expected)


def test_explicit_tags_are_kept() -> None:
    composed = compose("a: !!str 12\nb: !!int '7'\n")
    assert isinstance(composed, yaml.MappingNode)
    assert [value.tag for _, value in composed.value] == [
        "tag:yaml.org,2002:str",
        "tag:yaml.org,2002:int",
    ]
