"""floe_core.env_file: the dotenv subset read by --env-file and the floe.envFile setting."""

from __future__ import annotations

import pytest

from floe_core.env_file import EnvFileError, parse_env, read_env_file


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("A=1\nB=two words\n", {"A": "1", "B": "two words"}, id="plain"),
        pytest.param("export A=1\n", {"A": "1"}, id="export"),
        pytest.param("# comment\n\n  \nA=1\n", {"A": "1"}, id="comments-and-blank-lines"),
        pytest.param("A=value # note\n", {"A": "value"}, id="inline-comment"),
        pytest.param("A=a#b\n", {"A": "a#b"}, id="hash-inside-value"),
        pytest.param("A='x # y \\n'\n", {"A": "x # y \\n"}, id="single-quotes-literal"),
        pytest.param('A="x\\ny \\"q\\""\n', {"A": 'x\ny "q"'}, id="double-quotes-escapes"),
        pytest.param(
            'A="line one\nline two"\nB=2\n',
            {"A": "line one\nline two", "B": "2"},
            id="double-quotes-multi-line",
        ),
        pytest.param("A=\n", {"A": ""}, id="empty-value"),
        pytest.param("A = spaced \n", {"A": "spaced"}, id="spaces-around"),
        pytest.param("A=1\nA=2\n", {"A": "2"}, id="last-wins"),
        pytest.param("A=${B}\n", {"A": "${B}"}, id="no-expansion"),
        pytest.param("A=1\r\nB=2\r\n", {"A": "1", "B": "2"}, id="crlf"),
    ],
)
def test_parse_env(text, expected):
    assert parse_env(text) == expected


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        pytest.param("A=1\nJUST WORDS\n", 2, "expected KEY=value", id="no-equals"),
        pytest.param("1A=x\n", 1, "expected KEY=value", id="bad-name"),
        pytest.param("A='open\n", 1, "single quote after A= is not closed", id="open-single"),
        pytest.param(
            'A="open\nB=1\n', 1, "double quote of this value is not closed", id="open-double"
        ),
    ],
)
def test_parse_env_errors_name_the_line(text, line, message):
    with pytest.raises(EnvFileError) as raised:
        parse_env(text, "prod.env")
    assert raised.value.line == line
    assert str(raised.value).startswith(f"prod.env:{line}: ")
    assert message in str(raised.value)


def test_read_env_file_tolerates_a_byte_order_mark(tmp_path):
    path = tmp_path / ".env"
    path.write_bytes(b"\xef\xbb\xbfA=1\n")
    assert read_env_file(path) == {"A": "1"}
