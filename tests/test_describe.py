"""Topics, characterisations and initiators in the article's own words (extract/describe.py).

The sentences are written for these tests; none is a seed's or a corpus report's.
"""

from __future__ import annotations

import pytest

from extractor.extract.describe import (
    channel_of,
    find_characterisation,
    find_initiator,
    find_topics,
    initiator_party,
    merge_topics,
    own_words,
)
from extractor.records import Channel


def test_topics_keep_the_sentences_words_and_drop_vague_labels() -> None:
    sentence = "The presidents discussed the war in Ukraine and the gas transit deal."
    assert own_words(["the situation", "Ukraine war", "gas transit", "oil prices"], sentence) == [
        "the war in Ukraine",
        "gas transit",
    ]


@pytest.mark.parametrize(
    ("sentence", "topics"),
    [
        (
            "They discussed the grain corridor and the situation in the Black Sea.",
            ["the grain corridor", "the situation in the Black Sea"],
        ),
        ("The leaders touched upon trade, and discussed a new pipeline.", ["trade", "a new pipeline"]),
        ("Talks between Norway and Chile were discussed.", ["Talks between Norway and Chile"]),
        ("He congratulated the premier on his re-election.", ["his re-election"]),
        ("The call lasted an hour.", []),
    ],
)
def test_topics_are_read_after_discussed_and_its_kin(sentence: str, topics: list[str]) -> None:
    assert find_topics(sentence) == topics


def test_merged_topics_are_kept_once() -> None:
    assert merge_topics(["Iran"], ["Iran's nuclear programme", "trade"]) == ["Iran", "trade"]


@pytest.mark.parametrize(
    ("sentence", "words"),
    [
        ("The ministry described the talks as businesslike and specific.", "businesslike and specific"),
        ("The conversation was frank and constructive.", "frank and constructive"),
        ('She said they had a "long and very useful" call.', "long and very useful"),
        ("Officials called it highly productive.", "highly productive"),
        ("The call lasted an hour.", None),
        ("Trade rose as well as talks went on.", None),
    ],
)
def test_characterisations_are_the_describing_words(sentence: str, words: str | None) -> None:
    assert find_characterisation(sentence) == words


@pytest.mark.parametrize(
    ("sentence", "party"),
    [
        ("The call was held at the initiative of the Norwegian side.", "the Norwegian side"),
        ("The talks took place at Ferrant’s request.", "Ferrant"),
        ("In talks initiated by Chancellor Osk, both sides spoke.", "Chancellor Osk"),
        ("President Ferrant has called his Vestan counterpart.", "President Ferrant"),
        ("The call lasted an hour.", None),
    ],
)
def test_initiators_name_who_started_it(sentence: str, party: str | None) -> None:
    phrase = find_initiator(sentence)
    assert (initiator_party(phrase) if phrase else None) == party


def test_the_channel_is_read_from_the_words() -> None:
    assert channel_of("They spoke by phone on Monday.") is Channel.PHONE_CALL
    assert channel_of("They met in Geneva.") is Channel.MEETING
    assert channel_of("He said trade was up.") is Channel.UNKNOWN
