"""The words a claim is made of: topics as the article writes them, how a side described the talks,
and who started them. Code reads these in the sentence; a model's proposal is kept only when the
sentence has its words.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from extractor.records import Channel, ClaimKind, InitiatorValue, WordsValue
from extractor.textnorm import normalise_for_match

# Labels that name no subject: a topic must say what was discussed.
_VAGUE = re.compile(
    r"^(?:the\s+|a\s+|various\s+|other\s+|several\s+|some\s+|many\s+|key\s+|important\s+|phone\s+|"
    r"telephone\s+|bilateral\s+)*"
    r"(?:situation|situations|issue|issues|matter|matters|topic|topics|question|questions|things?|"
    r"subjects?|agenda|discussion|discussions|talks?|conversation|call|meeting|relations?|"
    r"developments?|events?|problems?|areas?|aspects?|points?)$",
    re.IGNORECASE,
)
_WORD = re.compile(r"[\w’'-]+")
_STOP = frozenset("a an the of on in and or to for with about over at by from as its their his her".split())


def within(phrase: str | None, text: str) -> bool:
    return bool(phrase) and normalise_for_match(phrase or "").lower() in normalise_for_match(text).lower()


def _article_words(phrase: str, sentence: str) -> str | None:
    """`phrase` as the sentence writes it: the same words verbatim, or the shortest run of at most
    ten words of the sentence holding every content word of `phrase`; None if the sentence has none."""
    if within(phrase, sentence):
        at = normalise_for_match(sentence).lower().find(normalise_for_match(phrase).lower())
        if at >= 0 and len(normalise_for_match(sentence)) == len(sentence):
            return sentence[at : at + len(normalise_for_match(phrase))]
        return phrase.strip()
    wanted = {w.lower() for w in _WORD.findall(phrase) if w.lower() not in _STOP}
    if not wanted:
        return None
    tokens = list(_WORD.finditer(sentence))
    best: tuple[int, int] | None = None
    for i, first in enumerate(tokens):
        if first.group().lower() not in wanted:
            continue
        seen: set[str] = set()
        for j in range(i, min(len(tokens), i + 10)):
            seen.add(tokens[j].group().lower())
            if wanted <= seen:
                if best is None or j - i < best[1] - best[0]:
                    best = (i, j)
                break
    if best is None:
        return None
    start = tokens[best[0]].start()
    if best[0] > 0 and tokens[best[0] - 1].group().lower() in ("the", "a", "an"):
        start = tokens[best[0] - 1].start()  # "the war in Ukraine", as the sentence says it
    return sentence[start : tokens[best[1]].end()]


def own_words(topics: list[str], sentence: str) -> list[str]:
    """The model's topics in the article's own words; vague labels ("the situation") and topics the
    sentence does not hold are dropped, and each topic is kept once."""
    out: list[str] = []
    for topic in topics:
        topic = " ".join(topic.split()).strip(" .,;:")
        if not topic or _VAGUE.match(topic):
            continue
        words = _article_words(topic, sentence)
        if words and not _VAGUE.match(words) and words.lower() not in (o.lower() for o in out):
            out.append(words)
    return out


_QUOTED = re.compile(r"[\"“”]([^\"“”]{3,80})[\"“”]")
_AS = re.compile(
    r"\b(?:described|characteri[sz]ed|called|termed|labell?ed|assessed|rated)\s+(?:[\w’'-]+\s+){0,6}?as\s+"
    r"(?P<words>[^.,;:\"“”]{3,80}|[\"“][^\"“”]{3,80}[\"”])",
    re.IGNORECASE,
)
_ADJECTIVES = (
    r"productive|constructive|frank|candid|businesslike|business-like|substantive|substantial|useful|"
    r"positive|good|great|excellent|warm|friendly|cordial|difficult|tense|direct|straightforward|"
    r"detailed|lengthy|long|prolonged|protracted|comprehensive|informative|meaningful|open|"
    r"respectful|fruitful|successful|honest|pragmatic|specific|intense|tough|friendly|amazing|"
    r"fantastic|wonderful|terrible|unsatisfactory|concerning|in-depth|thorough|serious|important|"
    r"(?<!as )well(?! as)|excellent|great|frank|substantial"
)
_INTENSIFIER = r"(?:very|highly|extremely|deeply|quite|rather|really|most|so|truly|overall)\s+"
_DESCRIBING = re.compile(
    rf"\b(?:{_INTENSIFIER})*(?:{_ADJECTIVES})(?:(?:,\s*|,?\s+and\s+|\s+but\s+)(?:{_INTENSIFIER})*(?:{_ADJECTIVES}))*\b",
    re.IGNORECASE,
)


_TALKS = (
    r"(?:phone\s+|telephone\s+|video\s+)?(?:call|calls|conversation|talks|meeting|discussion|dialogue|"
    r"exchange|summit|negotiations|interaction|contact|communication)"
)
_TALKS_WERE = re.compile(
    rf"\b(?:{_TALKS}|it)\b[^.;:]{{0,120}}?\b(?:was|were|went|had been|has been|is|are|proved)\s+"
    rf"(?:[\w-]+\s+){{0,2}}?[“\"]?(?P<words>{_DESCRIBING.pattern})",
    re.IGNORECASE,
)
_WORDS_TALKS = re.compile(
    rf"(?P<words>{_DESCRIBING.pattern})[”\"]?\s+(?:[\w-]+\s+)?{_TALKS}\b", re.IGNORECASE
)
_CALLING_IT = re.compile(
    rf"\b(?:calling|called|describing|deeming)\s+(?:it|them|the\s+{_TALKS})\s+[“\"]?(?P<words>{_DESCRIBING.pattern})",
    re.IGNORECASE,
)
_HAS_TALKS = re.compile(rf"\b{_TALKS}\b", re.IGNORECASE)


def find_characterisation(sentence: str) -> str | None:
    """How the sentence describes talks: the words after "described ... as", describing words said
    of the talks ("the conversation was frank and constructive", "a very good phone call"), or a
    quoted describing phrase in a sentence about the talks; None when it has none."""
    m = _AS.search(sentence)
    if m:
        return m.group("words").strip(' "“”,')
    for pattern in (_CALLING_IT, _TALKS_WERE, _WORDS_TALKS):
        m = pattern.search(sentence)
        if m:
            return m.group("words")
    if _HAS_TALKS.search(sentence):
        for q in _QUOTED.finditer(sentence):
            if _DESCRIBING.search(q.group(1)) and len(q.group(1).split()) <= 8:
                return q.group(1).strip()
    return None


_PARTY = r"(?:the\s+)?(?:[A-Z][\w’'.-]*\s+){0,3}[A-Z][\w’'.-]*(?:\s+side)?|the\s+[A-Z][\w’'.-]*\s+side"
_INITIATED = re.compile(
    rf"\b(?:at|on)\s+(?:the\s+)?(?:initiative|request|suggestion|invitation)\s+of\s+(?P<a>{_PARTY})"
    rf"|\b(?:at|on)\s+(?P<b>{_PARTY})[’']s?\s+(?:initiative|request|suggestion|invitation)"
    rf"|\b(?:initiated|requested|placed|arranged|sought)(?:\s+but\s+then\s+\w+)?\s+by\s+(?P<c>{_PARTY})"
    rf"|(?P<d>{_PARTY})\s+(?:initiated|requested|placed|sought)\s+(?:the\s+)?(?:call|conversation|talks|meeting|contact)"
    rf"|(?P<e>{_PARTY})\s+(?:has\s+|had\s+|first\s+|then\s+|also\s+)?(?:called|phoned|rang|dialled|dialed)\s+"
    rf"(?:up\s+)?(?:his|her|their|[A-Z][\w’'.-]*)\b",
)


def find_initiator(sentence: str) -> str | None:
    """The words saying who started a call or meeting ("at the initiative of the German side",
    "initiated by U.S. President Donald Trump", "Macron has called his"), or None."""
    m = _INITIATED.search(sentence)
    return m.group(0).strip() if m else None


def initiator_party(phrase: str) -> str | None:
    """Who the initiator phrase names, as written ("the German side", "Trump")."""
    m = _INITIATED.search(phrase)
    if not m:
        return None
    return next((g for g in m.groups() if g), None)


DESCRIBED: dict[ClaimKind, Callable[[str], str | None]] = {
    ClaimKind.CHARACTERISATION: find_characterisation,
    ClaimKind.INITIATOR: find_initiator,
}


_CHANNELS = (
    (
        Channel.PHONE_CALL,
        re.compile(
            r"\b(?:phone|telephone|call(?:s|ed)?|video ?(?:call|link|conference)|dialled|dialed|rang)\b", re.I
        ),
    ),
    (Channel.VISIT, re.compile(r"\bvisit(?:s|ed|ing)?\b", re.I)),
    (
        Channel.MEETING,
        re.compile(r"\b(?:met|meet(?:s|ing|ings)?|summit|face-to-face|in person|sat down)\b", re.I),
    ),
)


def channel_of(sentence: str) -> Channel:
    """How the sentence says they spoke: by phone, in a visit, in a meeting; unknown if it does not."""
    for channel, words in _CHANNELS:
        if words.search(sentence):
            return channel
    return Channel.UNKNOWN


def find_characterisations(text: str, anchor: dt.date | None = None) -> list[tuple[int, int, WordsValue]]:
    """Where `text` describes talks, as (start, end, value): the first reading only."""
    words = find_characterisation(text)
    if not words:
        return []
    at = text.find(words)
    return [(at, at + len(words), WordsValue(text=words))] if at >= 0 else []


def parse_words(phrase: str, anchor: dt.date | None = None) -> WordsValue | None:
    phrase = " ".join(phrase.split()).strip(' "“”.,;')
    return WordsValue(text=phrase) if phrase else None


def find_initiators(text: str, anchor: dt.date | None = None) -> list[tuple[int, int, InitiatorValue]]:
    return [
        (
            m.start(),
            m.end(),
            InitiatorValue(text=m.group(0).strip(), party=next((g for g in m.groups() if g), None)),
        )
        for m in _INITIATED.finditer(text)
    ]


def parse_initiator(phrase: str, anchor: dt.date | None = None) -> InitiatorValue | None:
    phrase = " ".join(phrase.split()).strip(' "“”.,;')
    return InitiatorValue(text=phrase, party=initiator_party(phrase) or phrase) if phrase else None


_DISCUSSED = re.compile(
    r"\b(?:discuss(?:ed|es|ing)?|talked about|spoke about|touched (?:up)?on|focused on|focus(?:ed)? on|"
    r"(?:to |and )address|congratulated (?:[\w’'.-]+\s+){0,3}?on|"
    r"exchanged views on|covered|addressed|raised the (?:issue|question|subject) of|topics? included|"
    r"agenda included|revolved around)\s+(?P<list>[^.;:!?]{3,300})",
    re.IGNORECASE,
)
_PASSIVE = re.compile(
    r"\s+(?:was|were)\s+(?:also\s+|briefly\s+|extensively\s+)?"
    r"(?:discussed|raised|touched upon|addressed|on the agenda)\b",
    re.IGNORECASE,
)
_DISCUSSED_AT = re.compile(_DISCUSSED.pattern.split("\\s+(?P<list>")[0], re.IGNORECASE)
_LIST_END = re.compile(
    r",?\s+(?:and\s+)?(?:agreed|said|says|which|who|where|while|after|before|according|amid|but|"
    r"during|in a|in an|in the course|on (?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)|"
    r"as well as the need|with a view|stressing|noting|adding|the Kremlin|the White House|"
    r"discuss\w*|touched|focused|talked|spoke)\b",
    re.IGNORECASE,
)
# items split at commas, "as well as", and "and" before a lower-case word ("Iran and the Middle
# East"), never inside a pair of names ("between Russia and Ukraine")
_SPLIT = re.compile(r",\s*(?:and\s+|as well as\s+)?|\s+and\s+(?=[a-z])|\s+as well as\s+")


def find_topics(sentence: str) -> list[str]:
    """What the sentence says was discussed, in its own words: the items after "discussed",
    "touched upon", "focused on" ..., split at commas and "and" ("the settlement of the Ukrainian
    conflict", "the situation in the Middle East"); vague or long items are left out."""
    out: list[str] = []
    passive = _PASSIVE.search(sentence)
    if passive:
        subject = re.split(r",|\s+which\s+", sentence[: passive.start()])[0].strip(' ,"“”')
        subject = re.sub(r"^(?:also|and|but|however),?\s+", "", subject, flags=re.IGNORECASE)
        if 1 <= len(subject.split()) <= 10 and not _VAGUE.match(subject):
            out.append(subject)
    verbs = list(_DISCUSSED_AT.finditer(sentence))
    # each verb's list runs to the next such verb ("touched upon X, and discussed Y")
    for k, m in enumerate(verbs):
        stop = verbs[k + 1].start() if k + 1 < len(verbs) else len(sentence)
        listed = re.split(r"[.;:!?]", sentence[m.end() : stop], maxsplit=1)[0]
        end = _LIST_END.search(listed)
        listed = listed[: end.start()] if end else listed
        for piece in _SPLIT.split(listed):
            piece = piece.strip(" ,\"“”’'()")
            words = piece.split()
            if (
                1 <= len(words) <= 10
                and not _VAGUE.match(piece)
                and piece.lower() not in (o.lower() for o in out)
            ):
                out.append(piece)
    return out


def merge_topics(first: list[str], second: list[str]) -> list[str]:
    """Both lists, once each: a topic inside another (by words) is the same topic."""
    out: list[str] = []
    for topic in [*first, *second]:
        key = topic.lower()
        if any(key in o.lower() or o.lower() in key for o in out):
            continue
        out.append(topic)
    return out
