"""Command-line interface: importing this package registers every command on `cli`."""

from extractor.cli import (  # noqa: F401
    batch_cmds,
    claims_cmds,
    eval_cmds,
    extract_cmds,
    reconcile_cmds,
    review_cmds,
    serve_cmds,
    status_cmds,
)
from extractor.cli.app import cli


def main() -> None:
    cli(prog_name="claimdiff")


__all__ = ["cli", "main"]
