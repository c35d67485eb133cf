"""The `claimdiff` group, and the one place that turns errors into messages and exit codes."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import click

from extractor.cli.output import err
from extractor.errors import ClaimdiffError


class Problems:
    """What went wrong in a batch, reported together at the end."""

    def __init__(self) -> None:
        self.items: list[tuple[str, str]] = []

    def add(self, where: str, what: str) -> None:
        self.items.append((where, what))

    def report(self) -> None:
        if self.items:
            err.print(f"[bold red]{len(self.items)} problem(s):[/]")
            for where, what in self.items:
                err.print(f"  - {where}: {what}", markup=False)


def fail_loudly(fn: Callable[..., Any]) -> Callable[..., Any]:
    """ClaimdiffError → one clear line and exit 2; tracebacks are kept when CLAIMDIFF_DEBUG is set."""

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except ClaimdiffError as e:
            if os.environ.get("CLAIMDIFF_DEBUG"):
                raise
            raise click.ClickException(str(e)) from None

    wrapper.__name__ = fn.__name__
    wrapper.__doc__ = fn.__doc__
    return wrapper


@click.group()
@click.version_option(package_name="claimdiff")
@click.option(
    "-v",
    "--verbose",
    count=True,
    help="Debug logging of claimdiff, openai, httpx and instructor to stderr (or $CLAIMDIFF_LOG_FILE); "
    "keys are redacted. Also CLAIMDIFF_LOG=debug.",
)
def cli(verbose: int) -> None:
    """claimdiff: extract checkable claims from news articles and flag where accounts disagree."""
    from extractor.logsetup import configure

    configure(verbose)
