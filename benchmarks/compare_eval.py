"""The statement comparer on an annotated corpus: what it found, missed and flagged wrongly, and cost.

    claimdiff run fixtures/corpus/articles --db corpus.db      # replays extraction and comparisons
    python benchmarks/compare_eval.py --db corpus.db
    python benchmarks/compare_eval.py --db seeds.db --gold fixtures/gold --articles seeds

Statement-level gold items are the corpus's `competing_accounts` discrepancies: what each side says
was agreed, who announced what, terms, reasons. One is found when a conflict the comparer raised
(statement_contradiction or wording_difference) sets two quotes of that item against each other (each
matched with rapidfuzz's partial ratio >= 85). Any other comparer conflict is a false alarm; one that
matches a look-alike (non_conflicts.jsonl) is named as such. Medium and high false alarms are the
ones that matter; low ones are listed too.

Cost comes from the store (calls and tokens of each judged pair, as the recorded server reported
them) and from the recordings' own metadata (seconds the recording model took per pair).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from rapidfuzz import fuzz

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractor.compare.model import PROMPT, pair_key  # noqa: E402
from extractor.providers.recordings import read_metadata  # noqa: E402
from extractor.store import Store  # noqa: E402

COMPARER_KINDS = {"statement_contradiction", "wording_difference"}
STATEMENT_GOLD = {"competing_accounts"}
MATCH = 85.0


def _load(path: Path) -> list[dict]:  # type: ignore[type-arg]
    if not path.is_file():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _matches(quote: str, gold_quotes: list[str]) -> bool:
    return any(fuzz.partial_ratio(quote.lower(), g.lower()) >= MATCH for g in gold_quotes)


def _item_for(quotes: tuple[str, str], items: list[dict]) -> dict | None:  # type: ignore[type-arg]
    for item in items:
        if all(_matches(q, item["quotes"]) for q in quotes):
            return item
    return None


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--db", required=True, help="a store reconciled with the comparer (claimdiff run)")
    p.add_argument("--gold", type=Path, default=ROOT / "fixtures" / "corpus" / "gold")
    p.add_argument("--recordings", type=Path, default=ROOT / "fixtures" / "cassettes")
    args = p.parse_args()
    gold = [g for g in _load(args.gold / "conflicts.jsonl") if g["kind"] in STATEMENT_GOLD]
    alike = _load(args.gold / "non_conflicts.jsonl")
    store = Store(args.db, create=False)
    conflicts = [c for c in store.conflicts() if c.kind.value in COMPARER_KINDS]
    judged = store.comparisons()
    reports = len(store.articles())
    events = len({j.event_id for j in judged})
    model = next((j.comparison.model for j in judged if j.comparison.model), "no model")

    found: dict[str, list[str]] = {g["id"]: [] for g in gold}
    false_alarms: list[tuple[str, str, str]] = []
    for c in conflicts:
        quotes = (c.sides[0].quote, c.sides[1].quote)
        hit = _item_for(quotes, gold)
        if hit is not None:
            found[hit["id"]].append(c.id)
            continue
        look = _item_for(quotes, alike)
        why = f"look-alike {look['id']}" if look else "matches no gold item"
        false_alarms.append((c.id, c.severity.value, why))

    where = args.gold.resolve()
    shown = where.relative_to(ROOT) if where.is_relative_to(ROOT) else where.name
    print(f"## Statement comparer on {shown} ({model})\n")
    print("| gold item | result | comparer conflicts |")
    print("|---|---|---|")
    for g in gold:
        print(
            f"| {g['id']} | {'found' if found[g['id']] else 'missed'} | {', '.join(found[g['id']]) or '-'} |"
        )
    serious = [f for f in false_alarms if f[1] in ("high", "medium")]
    print(
        f"\nFound {sum(bool(v) for v in found.values())} of {len(gold)} statement-level items. "
        f"False alarms: {len(serious)} high or medium, {len(false_alarms) - len(serious)} low "
        f"({len(serious) / reports * 10:.2f} high/medium per 10 reports; {reports} reports)."
    )
    for cid, severity, why in false_alarms:
        print(f"- false alarm {cid} ({severity}): {why}")

    verdicts = Counter(j.comparison.verdict.value for j in judged)
    calls = sum(j.comparison.calls for j in judged)
    prompt_tokens = sum(j.comparison.prompt_tokens for j in judged)
    completion_tokens = sum(j.comparison.completion_tokens for j in judged)
    seconds = 0.0
    for j in judged:
        key = pair_key(j.aspect.value, j.side_a, j.quote_a, j.side_b, j.quote_b)
        meta = read_metadata(args.recordings / PROMPT / f"{key}.json")
        seconds += float(meta.get("seconds", 0.0) or 0.0)
    print(f"\nPairs judged: {len(judged)} over {events} events; verdicts: {dict(sorted(verdicts.items()))}.")
    if judged:
        per_event = max(events, 1)
        print(
            f"Cost: {calls} calls, {prompt_tokens} prompt and {completion_tokens} completion tokens; "
            f"per event {calls / per_event:.1f} calls and "
            f"{(prompt_tokens + completion_tokens) / per_event:.0f} "
            f"tokens; per 100 articles {calls / reports * 100:.0f} calls. Recording-model time: "
            f"{seconds:.0f} s in all, {seconds / per_event:.1f} s per event."
        )


if __name__ == "__main__":
    main()
