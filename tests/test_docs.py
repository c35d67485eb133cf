"""Docs that are tests: every command is in the README and has help; the published schema is current."""

from __future__ import annotations

import json

from click.testing import CliRunner

from extractor.cli import cli
from extractor.importer import import_schema
from tests.conftest import ROOT


def test_every_command_is_documented_with_help() -> None:
    readme = (ROOT / "README.md").read_text()
    for name, command in cli.commands.items():
        if name == "schema":
            continue
        assert f"claimdiff {name}" in readme, f"README does not mention `claimdiff {name}`"
        assert command.help and len(command.help) > 20, name
        result = CliRunner().invoke(cli, [name, "--help"])
        assert result.exit_code == 0 and "Usage:" in result.output


def test_published_import_schema_is_current() -> None:
    published = json.loads((ROOT / "docs" / "import.schema.json").read_text())
    assert published == import_schema(), "regenerate with: claimdiff schema import > docs/import.schema.json"


def test_ci_runs_the_readme_test_command() -> None:
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci" / "run").read_text()
    assert "python -m pytest" in readme and "python -m pytest" in ci
