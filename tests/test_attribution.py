"""Who speaks and who took part, read from the article's words (extract/attribution.py).

The sentences below are written for these tests (no seed's or corpus report's text), each showing
one rule of the issue: reporting verbs, the outlet's own voice, metadata, continued quotations,
official sources before outlets, spokespersons, photo credits, "the two leaders" and single names.
"""

from __future__ import annotations

import pytest

from extractor.entities import default_entities
from extractor.extract.attribution import ArticleReader, blank_credits, speaker_in

E = default_entities()


def reading(text: str, needle: str) -> tuple[str | None, list[str]]:
    reader = ArticleReader(text, E)
    i = reader.index_at(text.index(needle))
    assert i is not None
    r = reader.read(i)
    return r.speaker, r.participants


@pytest.mark.parametrize(
    ("sentence", "speaker"),
    [
        ("Kremlin aide Yuri Ushakov said the call lasted an hour.", "Kremlin aide Yuri Ushakov"),
        ("According to the Élysée, the talks were long.", "the Élysée"),
        ("The talks were long, the White House said.", "the White House"),
        ("For the first time in years, Macron held a phone call with Putin.", None),  # no reporting verb
        ("date 2025-07-03 Putin and Trump held a call, aides said.", None),  # a metadata fragment
        ("Putin told Trump that talks must go on.", None),  # what was said in the call
        ("Putin agreed to talk again, the Kremlin said, per The Washington Post.", "the Kremlin"),
        ("The leaders spoke with the United States in mind.", None),  # "States" is no verb
    ],
)
def test_the_speaker_is_whoever_the_sentence_names_as_saying_it(sentence: str, speaker: str | None) -> None:
    assert speaker_in(sentence, E) == speaker


def test_a_speaker_named_elsewhere_never_speaks_a_sentence_that_does_not_name_them() -> None:
    text = "Peskov said on Monday that the call was useful.\n\nThe presidents also discussed trade in detail."
    assert reading(text, "The presidents")[0] is None


def test_a_quotation_that_goes_on_keeps_its_speaker() -> None:
    text = 'Ushakov said: "The call was long. It was also frank. It ended at nine." The sky was grey.'
    reader = ArticleReader(text, E)
    speakers = [reader.speaker(i) for i in range(len(reader.sentences))]
    assert speakers == ["Ushakov", "Ushakov", "Ushakov", None]


def test_a_line_that_opens_a_list_speaks_for_the_list() -> None:
    text = "Ushakov's briefing after the call. The main points:\nThe call lasted two hours.\nIt was frank."
    reader = ArticleReader(text, E)
    assert reader.speaker(reader.index_at(text.index("The call lasted"))) == "Ushakov's"  # type: ignore[arg-type]


def test_a_spokesperson_who_reports_a_call_is_its_speaker_not_a_participant() -> None:
    text = "Kremlin spokesman Dmitry Peskov said Putin and Trump spoke for an hour."
    speaker, people = reading(text, "Kremlin")
    assert E.person(speaker) == "Dmitry Peskov" and people == ["Donald Trump", "Vladimir Putin"]


def test_photo_credits_name_no_participant() -> None:
    text = "Putin spoke with Trump by phone (Photo: AP/Vladimir Lovetsky)."
    assert "AP/Vladimir Lovetsky" not in blank_credits(text)
    assert len(blank_credits(text)) == len(text)


def test_the_two_leaders_are_the_pair_named_before_or_no_one() -> None:
    text = "Macron and Putin spoke by phone on Tuesday.\n\nThe two leaders agreed to talk again."
    assert reading(text, "The two leaders")[1] == ["Emmanuel Macron", "Vladimir Putin"]
    assert reading("The two leaders agreed to talk again.", "The two")[1] == []


def test_one_named_person_is_one_side_of_an_event_only_when_the_text_says_so() -> None:
    text = (
        "Trump and Putin spoke on Monday.\n\n"
        "The conversation lasted two hours, during which Trump raised a ceasefire.\n\n"
        "Delegates met in Istanbul under pressure from Trump."
    )
    # a sentence about the contact itself: the person is one side of the event before
    assert reading(text, "The conversation")[1] == ["Donald Trump", "Vladimir Putin"]
    # a contact of others that names him: not his event, and no one's pair by guess
    assert reading(text, "Delegates")[1] == []
    # an official's account of one side's part: the event that side is in
    official = "Putin and Trump spoke by phone.\n\nPutin stressed, the Kremlin said, that talks must go on."
    assert reading(official, "Putin stressed")[1] == ["Donald Trump", "Vladimir Putin"]
    # an event of one person, as the sentence says
    assert reading("Scholz made a visit to Kyiv on Friday.", "Scholz")[1] == ["Olaf Scholz"]
    assert reading("Scholz held a call on Friday.", "Scholz")[1] == []


def test_a_title_before_another_name_is_that_persons_title() -> None:
    assert E.mentions("U.S. President Joe Biden met Chinese President Xi Jinping") == [
        "Joe Biden",
        "Xi Jinping",
    ]
    assert E.mentions("Putin, Trump and aides") == ["Donald Trump", "Vladimir Putin"]


def test_he_or_she_pairs_with_the_one_person_named_just_before() -> None:
    text = "Slovak Premier Robert Fico has kept in touch too. In May he met with Vladimir Putin in Moscow."
    assert reading(text, "In May")[1] == ["Robert Fico", "Vladimir Putin"]


def test_both_leaders_beside_a_third_person_are_the_events_pair() -> None:
    text = (
        "Trump and Putin spoke by phone on Monday.\n\n"
        "Trump said both leaders would meet, while he would call Zelensky next."
    )
    assert reading(text, "Trump said")[1] == ["Donald Trump", "Vladimir Putin"]


def test_the_two_leaders_after_a_side_remark_are_the_articles_pair() -> None:
    text = (
        "Trump and Putin met in Alaska on Friday. Trump and Putin spoke for three hours.\n\n"
        "Trump then had a difficult call with Zelensky.\n\n"
        "The two leaders agreed to meet again."
    )
    assert reading(text, "The two leaders")[1] == ["Donald Trump", "Vladimir Putin"]
