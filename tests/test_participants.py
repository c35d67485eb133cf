"""Who a claim is about, read from its sentence by the pipeline's last step (participants.read_from_text)."""

from __future__ import annotations

from extractor.entities import default_entities
from extractor.extract.participants import is_generic, read_from_text
from extractor.records import Article, Attribution, Claim, ClaimKind, EventRef, Evidence, Origin

TEXT = (
    "French President Emmanuel Macron held a phone call with Vladimir Putin.\n"
    "Following his election victory, Donald Trump has spoken with Vladimir Putin multiple times by phone.\n"
    "June 14, 2025 - Another call took place to address the escalation in the Middle East.\n"
    "May 19, 2025 - The conversation lasted over two hours, during which Trump initiated a discussion.\n"
    "Kremlin aide Yuri Ushakov said the presidents agreed to talk again."
)
ARTICLE = Article.from_text(TEXT, source="a.txt")


def claim(quote: str, participants: list[str], speaker: str | None = None) -> Claim:
    start = TEXT.find(quote)
    return Claim(
        id=quote[:8],
        article_id=ARTICLE.id,
        kind=ClaimKind.EVENT,
        attribution=Attribution(speaker=speaker, side=speaker or "x"),
        event=EventRef(participants=participants),
        evidence=Evidence(quote=quote, start=start, end=start + len(quote)),
        origin=Origin(source="model"),
    )


def read(quote: str, participants: list[str], speaker: str | None = None) -> Claim:
    return read_from_text([claim(quote, participants, speaker)], ARTICLE, default_entities())[0]


def test_generic_phrases() -> None:
    assert is_generic("the two leaders") and is_generic("the heads of state")
    assert not is_generic("Donald Trump")


def test_a_contact_sentence_that_names_nobody_is_about_the_pair_named_last() -> None:
    out = read("June 14, 2025 - Another call took place to address the escalation in the Middle East.", [])
    assert out.event.participants == ["Donald Trump", "Vladimir Putin"]


def test_the_models_guess_gives_way_to_the_sentence_with_a_note() -> None:
    quote = (
        "May 19, 2025 - The conversation lasted over two hours, during which Trump initiated a discussion."
    )
    out = read(quote, ["Emmanuel Macron", "Vladimir Putin"])
    assert out.event.participants == ["Donald Trump", "Vladimir Putin"]
    assert any("read as" in n for n in out.notes)


def test_a_speaker_the_sentence_names_replaces_the_models_and_an_aide_is_no_participant() -> None:
    out = read("Kremlin aide Yuri Ushakov said the presidents agreed to talk again.", [], speaker="Politico")
    assert out.attribution.chain == ["Yuri Ushakov", "Kremlin"]
    assert "Yuri Ushakov" not in out.event.participants


def test_a_sentence_with_no_source_is_the_outlets() -> None:
    out = read(
        "French President Emmanuel Macron held a phone call with Vladimir Putin.", [], speaker="Kremlin"
    )
    assert out.attribution.speaker is None
    assert out.event.participants == ["Emmanuel Macron", "Vladimir Putin"]


def test_a_governments_own_release_speaks_for_its_side_throughout() -> None:
    release = Article.from_text(TEXT, source="readout.txt", outlet="Kremlin")
    c = claim("Kremlin aide Yuri Ushakov said the presidents agreed to talk again.", [])
    c = c.model_copy(update={"article_id": release.id})
    out = read_from_text([c], release, default_entities())[0]
    assert (out.attribution.speaker, out.attribution.side) == (None, "Kremlin")
