"""Which of the spec's S1–S5 the reconciler flags, and which N1–N5 it wrongly flags, from a database.

    claimdiff run seeds/ --db seeds.db && python benchmarks/seed_discrepancies.py seeds.db

Prints one line per S and N item and every other high or medium conflict (possible false alarms).
"""

from __future__ import annotations

import json
from pathlib import Path

from extractor.records import Conflict, ConflictKind
from extractor.store import Store
from extractor.textnorm import normalise_for_match

GOLD = Path(__file__).resolve().parent.parent / "fixtures" / "gold"


def _overlaps(a: str, b: str) -> bool:
    x, y = normalise_for_match(a).lower(), normalise_for_match(b).lower()
    return x in y or y in x


def matches(conflict: Conflict, item: dict, ids: dict[str, str]) -> bool:
    if conflict.kind != ConflictKind(item["kind"]):
        return False
    for name in item["articles"]:
        sides = [s for s in conflict.sides if s.article_id == ids.get(name)]
        if not any(_overlaps(q, s.quote) for q in item["quotes"] for s in sides):
            return False
    return True


def main(db_path: str) -> None:
    store = Store(db_path, create=False)  # a mistyped path is an error, never a new empty database
    ids = {Path(a.source).name: a.id for a in store.articles()}
    names = {v: k[:3] for k, v in ids.items()}
    conflicts = store.conflicts()
    used: set[str] = set()
    for file, label in (("conflicts.jsonl", "must flag"), ("non_conflicts.jsonl", "must not flag")):
        for line in (GOLD / file).read_text().splitlines():
            item = json.loads(line)
            # as `claimdiff eval` does: a conflict that is a must-flag item (S2's Monday/Tuesday, which
            # quotes the sentence N3 also quotes) is not counted again against a look-alike
            pool = conflicts if label == "must flag" else [c for c in conflicts if c.id not in used]
            hits = [c for c in pool if matches(c, item, ids)]
            used |= {c.id for c in hits}
            verdict = (
                ("found" if hits else "MISSED") if label == "must flag" else ("FALSE ALARM" if hits else "ok")
            )
            print(f"{item['id']} {label:13} {item['kind']:22} {verdict}")
    others = [c for c in conflicts if c.id not in used and c.severity.value in ("high", "medium")]
    print(f"\n{len(conflicts)} conflicts in all; {len(others)} other high/medium:")
    for c in others:
        arts = sorted({names.get(s.article_id, "?") for s in c.sides})
        print(f"  {c.severity.value:6} {c.kind.value:22} {arts} {c.explanation[:150]}")


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("db", nargs="?", default="claimdiff.db", help="a database made by claimdiff run")
    main(parser.parse_args().db)
