"""Who a claim is about, when the model's participants are generic or guessed from the wrong place."""

from __future__ import annotations

from extractor.entities import default_entities
from extractor.extract.participants import fill_from_context, fill_generic_participants, is_generic
from extractor.records import Attribution, Claim, ClaimKind, EventRef, Evidence, Origin

TEXT = (
    "French President Emmanuel Macron held a phone call with Vladimir Putin.\n"
    "Following his election victory, Donald Trump has spoken with Vladimir Putin multiple times by phone.\n"
    "June 14, 2025 - Another call took place to address the escalation in the Middle East.\n"
    "May 19, 2025 - The conversation lasted over two hours, during which Trump initiated a discussion."
)


def claim(quote: str, participants: list[str], kind: ClaimKind = ClaimKind.EVENT, n: int = 0) -> Claim:
    start = TEXT.find(quote)
    return Claim(
        id=f"c{n}",
        article_id="a",
        kind=kind,
        attribution=Attribution(side="x"),
        event=EventRef(participants=participants),
        evidence=Evidence(quote=quote, start=start if start >= 0 else None, end=start + len(quote)),
        origin=Origin(source="model"),
    )


def test_generic_phrases() -> None:
    assert is_generic("the two leaders") and is_generic("the heads of state")
    assert not is_generic("Donald Trump")


def test_a_sentence_that_names_nobody_takes_the_people_named_just_before() -> None:
    quote = "June 14, 2025 - Another call took place to address the escalation in the Middle East."
    out = fill_from_context([claim(quote, ["Emmanuel Macron", "Vladimir Putin"])], TEXT, default_entities())
    assert out[0].event.participants == ["Donald Trump", "Vladimir Putin"]
    assert "at and before the claim" in out[0].notes[-1]


def test_a_sentence_naming_someone_the_model_left_out_is_about_them() -> None:
    quote = (
        "May 19, 2025 - The conversation lasted over two hours, during which Trump initiated a discussion."
    )
    out = fill_from_context([claim(quote, ["Emmanuel Macron", "Vladimir Putin"])], TEXT, default_entities())
    assert out[0].event.participants == ["Donald Trump", "Vladimir Putin"]


def test_a_sentence_that_names_people_keeps_them() -> None:
    quote = "French President Emmanuel Macron held a phone call with Vladimir Putin."
    c = claim(quote, ["Emmanuel Macron", "Vladimir Putin"])
    assert fill_from_context([c], TEXT, default_entities()) == [c]


def test_generic_participants_become_the_articles_main_pair() -> None:
    e = default_entities()
    named = [claim("x", ["Donald Trump", "Vladimir Putin"], n=i) for i in range(3)]
    vague = claim("The two leaders agreed to keep talking.", ["the two leaders"], ClaimKind.OUTCOME, n=9)
    half = claim("Trump called.", ["Donald Trump"], ClaimKind.EVENT, n=8)
    out = {c.id: c for c in fill_generic_participants([*named, vague, half], e)}
    assert out["c9"].event.participants == ["Donald Trump", "Vladimir Putin"]
    assert out["c8"].event.participants == ["Donald Trump", "Vladimir Putin"]
    assert out["c0"] == named[0]
