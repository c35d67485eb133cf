"""The gold annotations of the seed articles are well formed and grounded in the articles' own words."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from extractor.entities import Entities
from extractor.records import Channel, ClaimKind, ConflictKind, ImportedClaim, Severity

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
GOLD = ROOT / "fixtures" / "gold"

# The outlet each seed names in its own text (004 names none); see fixtures/gold/README.md.
OUTLETS: dict[str, str | None] = {
    "000_8d948d0d75002828.txt": "RBC-Ukraine",
    "001_9c5fcfdce62e093a.txt": "The Week",
    "002_a9cd37bf453c0c8e.txt": "The National Interest",
    "003_d399de622995a746.txt": "TASS",
    "004_a44e26b8cb7867dd.txt": None,
}
TYPED = {ClaimKind.DURATION, ClaimKind.COUNT, ClaimKind.ORDINAL}
TOPICAL = {ClaimKind.TOPIC_DISCUSSED, ClaimKind.TOPIC_NOT_DISCUSSED}
CONFLICT_KEYS = {"id", "kind", "severity", "articles", "quotes", "event", "description"}


def read_jsonl(name: str) -> list[tuple[int, str]]:
    lines = (GOLD / name).read_text(encoding="utf-8").splitlines()
    return [(number, line) for number, line in enumerate(lines, start=1) if line.strip()]


def article_text(name: str) -> str:
    return (SEEDS / name).read_text(encoding="utf-8")


def load_claims() -> tuple[list[tuple[int, ImportedClaim]], list[str]]:
    """Every valid line, and a message for each invalid one (reported by a test, not at collection)."""
    claims, problems = [], []
    for number, line in read_jsonl("claims.jsonl"):
        try:
            claims.append((number, ImportedClaim.model_validate_json(line)))
        except ValidationError as exc:
            problems.append(f"claims.jsonl line {number}: {exc}")
    return claims, problems


NUMBERED, PROBLEMS = load_claims()
CLAIMS = [claim for _number, claim in NUMBERED]
IDS = [f"line{number}" for number, _claim in NUMBERED]
CONFLICTS = [json.loads(line) for _number, line in read_jsonl("conflicts.jsonl")]
NON_CONFLICTS = [json.loads(line) for _number, line in read_jsonl("non_conflicts.jsonl")]


def spans(text: str, quote: str) -> list[tuple[int, int]]:
    found, at = [], text.find(quote)
    while at >= 0:
        found.append((at, at + len(quote)))
        at = text.find(quote, at + 1)
    return found


@pytest.fixture(scope="module")
def entities() -> Entities:
    return Entities.load()


# --- claims --------------------------------------------------------------------------------------


def test_every_line_is_an_imported_claim() -> None:
    # ImportedClaim forbids extra keys, so a misspelt field fails here too
    assert PROBLEMS == []
    assert len(NUMBERED) == len(read_jsonl("claims.jsonl"))


def test_there_are_claims_for_every_seed() -> None:
    per_article = Counter(claim.article for claim in CLAIMS)
    assert set(per_article) == set(OUTLETS)
    assert 120 <= len(CLAIMS) <= 240


@pytest.mark.parametrize("claim", CLAIMS, ids=IDS)
def test_claim_is_grounded_in_its_article(claim: ImportedClaim) -> None:
    path = SEEDS / claim.article
    assert path.is_file(), f"no seed named {claim.article}"
    text = article_text(claim.article)
    assert claim.quote in text, "quote is not verbatim in the article"
    assert "\n" not in claim.quote, "a quote is a sentence or clause, never several paragraphs"
    assert claim.quote == claim.quote.strip()
    if claim.value_text is not None:
        assert claim.value_text in claim.quote, "value_text must be a phrase of the quote"
    if claim.event_date is not None:
        assert claim.event_date in claim.quote or claim.event_date in text


@pytest.mark.parametrize("claim", CLAIMS, ids=IDS)
def test_claim_carries_what_its_kind_needs(claim: ImportedClaim) -> None:
    if claim.kind in TYPED:
        assert claim.value_text, f"a {claim.kind.value} claim names the phrase that carries its value"
    if claim.kind in TOPICAL:
        assert claim.topic, "a topic claim names its topic"
    assert claim.summary


def test_no_two_claims_share_an_id() -> None:
    # claim_id_for hashes article, kind, quote and topic: two gold claims must differ in one of them
    keys = Counter(
        (claim.article, claim.kind, " ".join(claim.quote.split()).lower(), claim.topic or "")
        for claim in CLAIMS
    )
    assert [key for key, count in keys.items() if count > 1] == []


def test_participants_are_known_to_the_entity_list(entities: Entities) -> None:
    unknown = {name for claim in CLAIMS for name in claim.participants if entities.person(name) is None}
    assert unknown == set()


def test_sides_agree_with_the_entity_list(entities: Entities) -> None:
    for claim in CLAIMS:
        attribution = entities.attribute(claim.speaker, outlet=OUTLETS[claim.article], side_hint=claim.side)
        if claim.side is not None:
            assert attribution.side == claim.side, (claim.speaker, claim.quote)
        elif claim.speaker is None:
            assert OUTLETS[claim.article] is None, "own-voice claims name the outlet as their side"


def test_the_weapons_pause_is_a_kremlin_topic_not_discussed() -> None:
    hits = [
        claim
        for claim in CLAIMS
        if claim.kind is ClaimKind.TOPIC_NOT_DISCUSSED and "weapons deliveries" in claim.quote
    ]
    assert [(claim.article, claim.side) for claim in hits] == [("004_a44e26b8cb7867dd.txt", "Kremlin")]


def test_the_fourteenth_of_june_topics_are_annotated_in_both_articles() -> None:
    topics = Counter(
        claim.article
        for claim in CLAIMS
        if claim.kind is ClaimKind.TOPIC_DISCUSSED and claim.event_date in {"June 14, 2025", "On June 14"}
    )
    assert topics["000_8d948d0d75002828.txt"] >= 3
    assert topics["004_a44e26b8cb7867dd.txt"] >= 2


# --- conflicts and non-conflicts -----------------------------------------------------------------


def check_conflict_shape(item: dict[str, Any]) -> None:
    assert set(item) == CONFLICT_KEYS
    ConflictKind(item["kind"])
    Severity(item["severity"])
    assert item["articles"] and item["quotes"] and item["description"]
    event = item["event"]
    assert set(event) == {"participants", "channel", "date"}
    Channel(event["channel"])
    if event["date"] is not None:
        dt.date.fromisoformat(event["date"])
    texts = {name: article_text(name) for name in item["articles"]}
    for quote in item["quotes"]:
        assert any(quote in text for text in texts.values()), (
            f"{item['id']}: {quote!r} is in none of its articles"
        )
    for name, text in texts.items():
        assert any(quote in text for quote in item["quotes"]), f"{item['id']}: no quote from {name}"


@pytest.mark.parametrize("item", CONFLICTS + NON_CONFLICTS, ids=lambda item: item["id"])
def test_conflict_lines_are_well_formed_and_quoted_verbatim(item: dict[str, Any]) -> None:
    check_conflict_shape(item)


@pytest.mark.parametrize("item", CONFLICTS + NON_CONFLICTS, ids=lambda item: item["id"])
def test_every_conflict_is_backed_by_gold_claims_in_each_article(item: dict[str, Any]) -> None:
    for name in item["articles"]:
        text = article_text(name)
        wanted = [span for quote in item["quotes"] for span in spans(text, quote)]
        claimed = [span for claim in CLAIMS if claim.article == name for span in spans(text, claim.quote)]
        assert any(a < d and c < b for a, b in wanted for c, d in claimed), f"{item['id']}: nothing in {name}"


def test_the_spec_ids_are_all_present() -> None:
    assert [item["id"] for item in CONFLICTS] == ["S1", "S2", "S3", "S4", "S5"]
    assert [item["id"] for item in NON_CONFLICTS] == ["N1", "N2", "N3", "N4", "N5"]


def test_conflict_kinds_and_severities_follow_the_spec() -> None:
    got = {item["id"]: (item["kind"], item["severity"]) for item in CONFLICTS}
    assert got == {
        "S1": ("date", "high"),
        "S2": ("internal_inconsistency", "medium"),
        "S3": ("count", "medium"),
        "S4": ("competing_accounts", "low"),
        "S5": ("different_emphasis", "low"),
    }
    kinds = {item["id"]: item["kind"] for item in NON_CONFLICTS}
    assert kinds == {
        "N1": "ordinal",
        "N2": "count",
        "N3": "internal_inconsistency",
        "N4": "date",
        "N5": "topic_polarity",
    }
