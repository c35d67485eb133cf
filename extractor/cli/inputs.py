"""Loading a command's inputs, and saying what was found among them (copies) as it goes."""

from __future__ import annotations

from pathlib import Path

from extractor.cli.app import Problems
from extractor.cli.output import err
from extractor.jobs import load_inputs as load_articles
from extractor.records import Article
from extractor.store import Store


def load_inputs(paths: tuple[str, ...], store: Store, problems: Problems, max_bytes: int) -> list[Article]:
    """The articles of `paths`, stored; what a folder holds but is not read is named, and a folder
    with no article at all is a problem; copies found among the articles are said."""
    from extractor.ingest import iter_paths

    _say_skipped(paths, list(iter_paths([x for x in paths if x != "-"])), problems)
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


def _say_skipped(paths: tuple[str, ...], found: list[Path], problems: Problems) -> None:
    """Files a folder holds that are not read, named with why; a folder with no article is a problem."""
    from extractor.ingest import skipped_in_folder

    for folder in (Path(p) for p in paths if p != "-" and Path(p).is_dir()):
        skipped = skipped_in_folder(folder)
        named = ", ".join(f"{p.relative_to(folder)} ({why})" for p, why in skipped[:5])
        named += f" and {len(skipped) - 5} more" if len(skipped) > 5 else ""
        if any(f == folder or folder in f.parents for f in found):
            if skipped:
                err.print(f"{folder}: skipped {len(skipped)} file(s): {named}", markup=False)
        elif skipped:
            problems.add(str(folder), f"no article in it: skipped {len(skipped)} file(s): {named}")
        else:
            problems.add(
                str(folder), "no article in it: the folder is empty (articles: .txt, .md, .html, .htm)"
            )
