"""Loading a command's inputs, and saying what was found among them (copies) as it goes."""

from __future__ import annotations

from pathlib import Path

from extractor.cli.app import Problems
from extractor.cli.output import err
from extractor.jobs import load_inputs as load_articles
from extractor.records import Article
from extractor.store import Store


def load_inputs(paths: tuple[str, ...], store: Store, problems: Problems, max_bytes: int) -> list[Article]:
    articles, copies = load_articles(paths, store, problems, max_bytes)
    names = {a.id: Path(a.source).name for a in articles}
    for r in copies:
        what = "an edited copy" if r.edited else "a copy"
        err.print(
            f"{names.get(r.article_id, r.article_id)} is {what} of "
            f"{names.get(r.original_id, r.original_id)} (similarity {r.similarity:.2f}; "
            "its claims are carried over, not extracted again)",
            markup=False,
        )
    return articles
