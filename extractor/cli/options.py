"""Options every command spells the same way."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])
FORMATS = ("table", "json", "jsonl", "csv")


class DatabaseTarget(click.ParamType):
    """A SQLite file path, or a postgresql:// URL kept as it is written."""

    name = "path|url"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, str) and value.startswith(("postgresql://", "postgres://")):
            return DatabaseURL(value)
        return click.Path(dir_okay=False, path_type=Path).convert(value, param, ctx)


class DatabaseURL(str):
    """A database URL where commands expect a path: exists() asks nothing of the file system, and
    printing it never shows a password."""

    def exists(self) -> bool:
        return True

    def __str__(self) -> str:
        from extractor.store.db import redact

        return redact(str.__str__(self))

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)

    @property
    def name(self) -> str:
        return str(self).rsplit("/", 1)[-1].split("?", 1)[0]


def db_option(fn: F) -> F:
    return click.option(
        "--db",
        "db_path",
        type=DatabaseTarget(),
        default=lambda: os.environ.get("CLAIMDIFF_DB", "claimdiff.db"),
        show_default="claimdiff.db or $CLAIMDIFF_DB",
        help="SQLite database file, or a postgresql://user@host/db URL for a shared store.",
    )(fn)


def provider_options(fn: F) -> F:
    for opt in reversed(
        [
            click.option(
                "--model", help="Model name (default: $CLAIMDIFF_MODEL, the config file, or the recordings')."
            ),
            click.option("--base-url", help="OpenAI-compatible endpoint (default: $OPENAI_BASE_URL)."),
            click.option(
                "--mode",
                type=click.Choice(["tools", "json", "md_json", "json_schema"]),
                help="instructor mode: tools (forced tool call) or a JSON mode, as the server supports.",
            ),
            click.option(
                "--config",
                "config_file",
                type=click.Path(dir_okay=False, path_type=Path),
                help="TOML config file with a [provider] table (default: ./claimdiff.toml).",
            ),
            click.option(
                "--recordings",
                "recordings_dir",
                type=click.Path(file_okay=False, path_type=Path),
                help="Folder of recorded responses to replay (default: fixtures/cassettes).",
            ),
        ]
    ):
        fn = opt(fn)
    return fn


def compare_option(fn: F) -> F:
    return click.option(
        "--no-compare",
        is_flag=True,
        help="Do not ask the statement comparer (recorded or live model): deterministic detectors only.",
    )(fn)


def format_option(fn: F) -> F:
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(FORMATS),
        default="table",
        show_default=True,
        help="Output format; machine formats go to stdout, messages to stderr.",
    )(fn)
