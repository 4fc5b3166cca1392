"""Parse a document again after an edit inside one entity, reusing the rest of its last parse.

An editor has the whole file analysed again on every keystroke, and most keystrokes change
characters of one line inside one entity: a job, a schedule, a sensor (an entry three
mappings deep, ``orchestration.jobs.<name>``). Then only that entity's lines are composed
again, padded with blank lines so that libyaml's marks keep their place in the document;
every other node and value of the last parse is shared as it is (never modified, so the
last analysis stays valid). The result equals a full parse of the new text.

Anything else is parsed from scratch: a line break typed or deleted, an edit outside an
entity or in the last entity of its mapping, a document with anchors, merge keys or YAML-only
line breaks, a last parse that reported problems, another environment, or an entity that
no longer composes on its own into one entry at its old column.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import yaml

from floe_core.source_lines import YAML_ONLY_BREAKS, SourceLines
from floe_core.yaml_compose import compose
from floe_core.yaml_problems import depth_problem, surrogate_problem
from floe_core.yaml_tree import ParsedDocument, Splice

# Characters whose appearance in an edit (or in the document) could change more than the
# edited entity: line breaks move every later mark, anchors and merges tie entities together.
_STRUCTURAL = ("\n", "\r", "&", *YAML_ONLY_BREAKS)


def reparse(
    text: str, env: Mapping[str, str], previous: ParsedDocument | None
) -> ParsedDocument | None:
    """``parse_document(text, env)`` computed from ``previous``'s parse, or None when the
    edit from ``previous``'s text is not one this shortcut covers."""
    source = previous.source if previous is not None else None
    if previous is None or source is None or source.env is not env:
        return None
    if text.startswith("\ufeff"):
        text = text[1:]
    old = source.text
    if "<<" in text or "&" in text or any(mark in text for mark in YAML_ONLY_BREAKS):
        return None
    if text.count("\r") != text.count("\r\n"):
        return None
    start, old_end, new_end = _changed(old, text)
    old_part, new_part = old[start:old_end], text[start:new_end]
    if any(mark in old_part or mark in new_part for mark in _STRUCTURAL):
        return None
    if surrogate_problem(new_part) is not None:
        return None
    splice = _splice(source.root, old, text, start)
    return previous.spliced(splice) if splice is not None else None


def _changed(old: str, new: str) -> tuple[int, int, int]:
    """Where ``old`` and ``new`` differ: the common prefix's length, and the ends (in each)
    of the differing middle."""
    low, high = 0, min(len(old), len(new))
    while low < high:
        middle = (low + high + 1) // 2
        if old[:middle] == new[:middle]:
            low = middle
        else:
            high = middle - 1
    start = low
    low, high = 0, min(len(old), len(new)) - start
    while low < high:
        middle = (low + high + 1) // 2
        if old[len(old) - middle :] == new[len(new) - middle :]:
            low = middle
        else:
            high = middle - 1
    return start, len(old) - low, len(new) - low


def _splice(root: yaml.MappingNode, old: str, text: str, start: int) -> Splice | None:
    """The entity holding offset ``start`` composed again from ``text``, if it composes on
    its own into one entry with its old key's column."""
    line = old.count("\n", 0, start)
    indexes: list[int] = []
    mapping: Any = root
    for _ in range(3):
        if not isinstance(mapping, yaml.MappingNode) or mapping.flow_style:
            return None
        index = _entry_at(mapping, line)
        if index is None:
            return None
        indexes.append(index)
        parent, mapping = mapping, mapping.value[index][1]
    entity = indexes[2]
    if entity + 1 >= len(parent.value):
        return None
    key, following = parent.value[entity][0], parent.value[entity + 1][0]
    first, stop = key.start_mark.line, following.start_mark.line
    if not first <= line < stop:
        return None
    # Marks' indexes are not offsets into this text (an entity composed alone, or an earlier
    # edit of another length): the entity's lines are found from the edited one.
    begin = text.rfind("\n", 0, start) + 1
    for _ in range(line - first):
        begin = text.rfind("\n", 0, begin - 1) + 1
    end = start
    for _ in range(stop - line):
        end = text.find("\n", end) + 1
        if end == 0:
            return None
    indent = " " * following.start_mark.column
    if text[end : end + len(indent)] != indent:
        return None
    # Padded so that libyaml's marks are the document's: blank lines before, and a key
    # where the next entry's key is (the entity's block collections end at the next token).
    chunk = "\n" * first + text[begin:end] + indent + "_:"
    if depth_problem(chunk, SourceLines(chunk)) is not None:
        return None
    try:
        composed = compose(chunk)
    except (yaml.YAMLError, RecursionError):
        return None
    if not isinstance(composed, yaml.MappingNode) or len(composed.value) != 2:
        return None
    (new_key, new_value), (padding, _) = composed.value
    if (padding.start_mark.line, padding.start_mark.column) != (stop, len(indent)):
        return None
    if (
        not isinstance(new_key, yaml.ScalarNode)
        or new_key.start_mark.line != first
        or new_key.start_mark.column != key.start_mark.column
        or new_key.value == "<<"
    ):
        return None
    if new_key.value != key.value and any(
        other.value == new_key.value for other, _ in parent.value
    ):
        return None
    return Splice(text, (indexes[0], indexes[1], entity), range(first, stop), new_key, new_value)


def _entry_at(mapping: yaml.MappingNode, line: int) -> int | None:
    """The index of the entry whose lines hold ``line``: the last one whose key starts on or
    before it (entries are in document order)."""
    pairs = mapping.value
    low, high = 0, len(pairs) - 1
    if high < 0 or pairs[0][0].start_mark.line > line:
        return None
    while low < high:
        middle = (low + high + 1) // 2
        if pairs[middle][0].start_mark.line <= line:
            low = middle
        else:
            high = middle - 1
    return low
