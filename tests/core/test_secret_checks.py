"""Secrets and infrastructure: credentials are errors, endpoints warnings, ${VAR} is fine."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from helpers import at

from floe_core import Analysis, Diagnostic, Severity
from floe_core.checks.secrets import is_secret_key

Analyzer = Callable[..., Analysis]


def findings(analysis: Analysis) -> list[Diagnostic]:
    codes = {"secret-in-config", "infrastructure-endpoint"}
    return [d for d in analysis.diagnostics if d.code in codes]


def document(args: str, top: str = "") -> str:
    return f"""name: t
{top}orchestration:
  jobs:
    vacuum:
      type: ops
      target_function: pkg.mod.fn
      description: "Reads from https://docs.example.com, password: see wiki"
      args:
{args}"""


@pytest.mark.parametrize(
    ("args", "top", "code", "needle", "message"),
    [
        pytest.param(
            "        db_password: hunter2\n",
            "",
            "secret-in-config",
            "hunter2",
            "'db_password' holds a credential written into floe.yaml",
            id="password-key",
        ),
        pytest.param(
            "        apiKey: 'abc123'\n",
            "",
            "secret-in-config",
            "abc123",
            "reference it as ${APIKEY}",
            id="camel-case-key",
        ),
        pytest.param(
            "        secret_key: '${SECRET_KEY:abc123}'\n",
            "",
            "secret-in-config",
            "abc123",
            "the default of ${SECRET_KEY} is a credential",
            id="default-of-variable",
        ),
        pytest.param(
            "        token: '${TOKEN:-abc}'\n",
            "",
            "secret-in-config",
            "abc",
            "the default of ${TOKEN} is a credential",
            id="shell-form-default",
        ),
        pytest.param(
            "        collector: '${OTLP:http://otel.example.com:4318}'\n",
            "",
            "infrastructure-endpoint",
            "http://otel",
            "'http://otel.example.com:4318' is an endpoint (http://)",
            id="endpoint-in-default",
        ),
        pytest.param(
            "        dsn: 'postgresql://admin:pw@db.example.com:5432/shop'\n",
            "",
            "secret-in-config",
            "admin:pw",
            "this URL carries a user name and password",
            id="userinfo-in-url",
        ),
        pytest.param(
            "        conn: 'Server=db;Password=abc;'\n",
            "",
            "secret-in-config",
            "Password=abc",
            "the value contains a password",
            id="password-pair",
        ),
        pytest.param(
            "        target: s3://bucket/raw\n",
            "",
            "infrastructure-endpoint",
            "s3://bucket/raw",
            "is an endpoint (s3://); floe.yaml names logical things only",
            id="s3-url",
        ),
        pytest.param(
            "        collector: localhost:4317\n",
            "",
            "infrastructure-endpoint",
            "localhost:4317",
            "a host:port endpoint",
            id="host-port",
        ),
        pytest.param(
            "        url: jdbc:postgresql://db/x\n",
            "",
            "infrastructure-endpoint",
            "jdbc:postgresql",
            "endpoint",
            id="jdbc",
        ),
        pytest.param(
            "        retention_days: 7\n",
            "storage: gs://lake/warehouse\n",
            "infrastructure-endpoint",
            "gs://lake/warehouse",
            "storage: 'gs://lake/warehouse'",
            id="top-level-storage",
        ),
    ],
)
def test_invalid(
    analyze_text: Analyzer, args: str, top: str, code: str, needle: str, message: str
) -> None:
    text = document(args, top)
    (diagnostic,) = findings(analyze_text(text))
    assert diagnostic.code == code
    assert diagnostic.severity is (
        Severity.ERROR if code == "secret-in-config" else Severity.WARNING
    )
    assert diagnostic.range.start == at(text, needle)
    assert message in diagnostic.message


@pytest.mark.parametrize(
    "args",
    [
        pytest.param("        db_password: '${DB_PASSWORD}'\n", id="variable-reference"),
        pytest.param("        token_path: ./secrets/token.txt\n", id="path-to-a-secret"),
        pytest.param("        max_tokens: 100\n        dry_run: false\n", id="numbers"),
        pytest.param("        selection: 'group:bronze'\n        at: '06:30'\n", id="colons"),
        pytest.param("        local: file:///tmp/x\n", id="file-url"),
        pytest.param("        password_enabled: true\n", id="flag"),
    ],
)
def test_valid(analyze_text: Analyzer, args: str) -> None:
    assert findings(analyze_text(document(args), env={"DB_PASSWORD": "x"})) == []


def test_credential_fix_references_a_variable(analyze_text: Analyzer) -> None:
    text = document("        api-token: t0ps3cret\n")
    (diagnostic,) = findings(analyze_text(text))
    assert diagnostic.fixes[0].edits[0].new_text == "${API_TOKEN}"


@pytest.mark.parametrize(
    ("key", "secret"),
    [
        pytest.param("password", True, id="password"),
        pytest.param("aws_secret_access_key", True, id="aws"),
        pytest.param("AccessKey", True, id="camel-pair"),
        pytest.param("client_secret", True, id="client-secret"),
        pytest.param("secret_name", False, id="name-suffix"),
        pytest.param("tokenizer", False, id="word-inside-word"),
        pytest.param("keys", False, id="plain"),
    ],
)
def test_secret_keys(key: str, secret: bool) -> None:
    assert is_secret_key(key) is secret
