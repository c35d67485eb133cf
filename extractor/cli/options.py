"""Options every command spells the same way."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])
FORMATS = ("table", "json", "jsonl", "csv")


def db_option(fn: F) -> F:
    return click.option(
        "--db",
        "db_path",
        type=click.Path(dir_okay=False, path_type=Path),
        default=lambda: os.environ.get("CLAIMDIFF_DB", "claimdiff.db"),
        show_default="claimdiff.db or $CLAIMDIFF_DB",
        help="SQLite database file.",
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


def format_option(fn: F) -> F:
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(FORMATS),
        default="table",
        show_default=True,
        help="Output format; machine formats go to stdout, messages to stderr.",
    )(fn)
