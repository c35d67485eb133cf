"""The codebase's shape, checked: commands stay thin (parse, call, print), and the layering holds."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAX_CLI_FUNCTION = 60


def test_no_function_in_the_command_line_is_longer_than_sixty_lines() -> None:
    long = []
    for path in sorted((ROOT / "extractor" / "cli").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = (node.end_lineno or node.lineno) - node.lineno + 1
                if lines > MAX_CLI_FUNCTION:
                    long.append(f"{path.name}:{node.name} ({lines} lines)")
    assert long == [], f"move the work into extractor/jobs.py or a helper: {long}"


def test_the_layering_contracts_are_declared_for_ci() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert "[tool.importlinter]" in pyproject and 'type = "acyclic_siblings"' in pyproject
    assert "lint-imports" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
