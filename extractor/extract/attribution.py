"""Who says a sentence and who took part in what it reports, read from the article's own words.

A model's speaker and participants are proposals at most; this module decides:

- **Speaker**: whoever the sentence names as saying it ("Ushakov said", "according to the
  Élysée", "…, Biden said", "a Kremlin readout"), or, for a quotation that goes on past its
  sentence, the previous sentence's speaker. A sentence with no reporting verb and no named
  source is the outlet's, and so is a metadata fragment (a dateline, "date 2025-07-03 …"). A
  speaker named elsewhere in the article never speaks a sentence that does not name them.
- **Participants**: the people the sentence names, with photo credits blanked first ("AP/Dmitri
  Lovetsky" names nobody who took part). A spokesperson or aide who reports a call is its speaker,
  not a participant. "The two leaders", "his Russian counterpart" or "the call" resolve to the pair
  of the event the sentence belongs to (the last pair named together a few sentences before, else
  the pair the article names together most often), or to no one. A single person is kept alone
  only when the sentence is not about a contact between two sides.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from extractor.entities import Entities, match_key
from extractor.ingest.sentences import Sentence, split_sentences

_REPORTING = (
    r"said|says|say|told|tells|stated|states|noted|notes|added|adds|stressed|stresses|"
    r"emphasi[sz]ed|emphasi[sz]es|underlined|underscored|claimed|claims|announced|announces|"
    r"reported|reports|wrote|writes|posted|confirmed|confirms|described|describes|"
    r"characteri[sz]ed|insisted|explained|recalled|acknowledged|asserted|declared|indicated|"
    r"revealed|denied|informed|briefed|highlighted|admitted|argued|commented|remarked|tweeted|"
    r"specified|clarified|warned|assured|pointed out|made clear|quoted"
)
_VERB_AFTER = re.compile(rf"^\s*(?:also\s+|later\s+|then\s+|has\s+|had\s+|have\s+)?(?:{_REPORTING})\b", re.I)
_VERB = re.compile(rf"\b(?:{_REPORTING})\b", re.I)
_ACCORDING = re.compile(r"\b(?:according to|per|citing|in the words of)\s+(?P<who>[^,.;:“”\"()]{2,80})", re.I)
_SOURCE_NOUN = re.compile(
    r"(?P<who>(?:the\s+|a\s+)?[\w’'.-]+(?:\s+[\w’'.-]+){0,3}?)[’']s?\s+"
    r"(?:readout|statement|press service|press office|communiqu[eé]|account|summary|post on)\b"
    r"|\b(?:readout|statement|communiqu[eé])\s+(?:from|by|of)\s+(?P<by>(?:the\s+)?[\w’'.-]+(?:\s+[\w’'.-]+){0,3})",
    re.I,
)
_INVERTED = re.compile(
    rf"[,”\"]\s*(?:{_REPORTING})\s+(?P<who>(?:the\s+)?[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*){{0,3}})"
)
_PRONOUN = re.compile(
    r"^(?:he|she|they|it|the\s+(?:president|leader|spokesman|spokesperson|aide|official))$", re.I
)
_BOUNDARY = re.compile(r"[,;:“”\"()—–]|\b(?:that|and|but|while|as|when|which|who|after|before|also)\b", re.I)
_METADATA = re.compile(
    r"^\s*(?:date|published|updated|posted|by|photo|image|source|credit|filed)\b[\s:]"
    r"|^\s*\d{4}-\d{2}-\d{2}\b"
    r"|^\s*[A-Z][A-Z .'-]{2,40}(?:,\s*[A-Z][a-z]+\.?\s+\d{1,2})?\s*(?:\([A-Za-z ]+\))?\s*[-–—]\s",
)
_STAFF = re.compile(
    r"\b(?:spokes(?:man|woman|person)|press secretary|aide|adviser|advisor|press service|"
    r"spokesman for|envoy|official|minister|secretary)\b",
    re.I,
)
_STAFF_ALIAS = re.compile(r"\b(?:spokes\w*|press secretary|aide|advis[eo]r)\b", re.I)
# a staff title right before a name ("Kremlin aide Yuri Ushakov", "spokesman Dmitry Peskov")
_STAFF_TITLE = re.compile(r"\b(?:spokes\w*|press secretary|aide|advis[eo]r)\s+(?:\w+\s+){0,2}$", re.I)
_CREDIT = re.compile(
    r"\((?:photo|image|picture)[^)]{0,80}\)"
    r"|\b(?:photo|image|picture|credit|pictured)s?\s*(?:by|:)\s*[^.\n]{0,60}"
    r"|\b[A-Z][\w&.-]*(?:\s[A-Z][\w&.-]*)?\s?/\s?[A-Z][\w.-]*(?:\s[A-Z][\w.-]*){0,3}"
    r"|\b(?:Getty Images|via Reuters|via AP|Shutterstock)\b",
    re.I,
)
_GENERIC = re.compile(
    r"\b(?:the two leaders|both leaders|the two presidents|both presidents|the presidents|"
    r"the two heads of state|the heads of state|the leaders|the two men|both men|the two sides|"
    r"both sides|(?:his|her|their)\s+(?:[A-Z][\w-]*\s+)?counterparts?)\b",
    re.I,
)
_CONTACT = re.compile(
    r"\b(?:call\w*|phone\w*|telephone|spoke|speak\w*|talk\w*|conversation|meeting|met|meet\w*|summit|"
    r"visit\w*|discuss\w*|exchange|contact|negotiat\w*|agreed|dialogue)\b",
    re.I,
)
_DEFINITE = re.compile(
    r"\b(?:the|this|that|their|today’s|today's)\s+(?:phone\s+|telephone\s+)?"
    r"(?:call|conversation|talks|meeting|summit|discussion|exchange|contact)\b",
    re.I,
)


@dataclass(frozen=True)
class Reading:
    speaker: str | None  # as the sentence writes it; None: the outlet speaks
    participants: list[str]  # canonical names, sorted; [] when the sentence says no one
    how: str  # why, in a few words (goes into the claim's notes)


def blank_credits(text: str) -> str:
    """`text` with photo credits and captions blanked (same length, same offsets)."""
    return _CREDIT.sub(lambda m: " " * len(m.group(0)), text)


def _subject_before(text: str, end: int) -> str:
    """The phrase just before a reporting verb: back to the last clause boundary."""
    head = text[:end]
    cut = 0
    for m in _BOUNDARY.finditer(head):
        cut = m.end()
    return " ".join(head[cut:].split()).strip(" ’'")


def _is_name(phrase: str, entities: Entities) -> bool:
    if not phrase or len(phrase.split()) > 8:
        return False
    if entities.side_of(phrase) is not None or entities.person(phrase) is not None:
        return True
    words = phrase.removeprefix("the ").removeprefix("The ").split()
    return bool(words) and words[-1][:1].isupper() and not _PRONOUN.match(phrase)


def speaker_in(sentence: str, entities: Entities) -> str | None:
    """Whoever `sentence` names as saying it; None when it names no source."""
    if _METADATA.match(sentence):
        return None
    m = _ACCORDING.search(sentence)
    if m and _is_name(m.group("who").strip(), entities):
        return m.group("who").strip()
    for m in _VERB.finditer(sentence):
        who = _subject_before(sentence, m.start())
        if _is_name(who, entities):
            return who
    m = _INVERTED.search(sentence)
    if m and _is_name(m.group("who"), entities):
        return m.group("who")
    m = _SOURCE_NOUN.search(sentence)
    if m:
        who = (m.group("who") or m.group("by") or "").strip()
        who = re.sub(r"^(?:a|an|in a|in the)\s+", "", who, flags=re.I)
        if entities.side_of(who) is not None or entities.person(who) is not None:
            return who
    return None


def _pronoun_speaker(sentence: str) -> bool:
    """Does the sentence attribute itself to a pronoun ("he said", "she told reporters")?"""
    return any(_PRONOUN.match(_subject_before(sentence, m.start()) or "-") for m in _VERB.finditer(sentence))


def _continues_quote(sentence: str, previous: str) -> bool:
    """A quotation that goes on past the previous sentence: this one opens inside it."""
    opens = previous.count("“") - previous.count("”")
    straight = previous.count('"') % 2 == 1
    return opens > 0 or straight or (sentence.lstrip().startswith(("“", '"')) and not _VERB.search(sentence))


def _staff(name: str, sentence: str, entities: Entities) -> bool:
    if any(_STAFF_ALIAS.search(a) for a in entities.names_for(name)):
        return True
    keys = [match_key(a) for a in entities.names_for(name) if match_key(a)]
    text = match_key(sentence)
    for k in keys:
        at = f" {text} ".find(f" {k} ")
        if at >= 0 and _STAFF_TITLE.search(f" {text} "[: at + 1]):
            return True
    return False


class ArticleReader:
    """Speakers and participants for the sentences of one article."""

    def __init__(self, text: str, entities: Entities) -> None:
        self.entities = entities
        self.sentences = split_sentences(text)
        clean = blank_credits(text)
        self._named = [entities.mentions(clean[s.start : s.end]) for s in self.sentences]
        self._speakers: list[str | None] = []
        for i, s in enumerate(self.sentences):
            own = speaker_in(s.text, entities)
            if own is None and i and self._speakers[i - 1] is not None:
                prev = self.sentences[i - 1].text
                if _continues_quote(s.text, prev) or _pronoun_speaker(s.text):
                    own = self._speakers[i - 1]
            self._speakers.append(own)
        pairs: Counter[tuple[str, ...]] = Counter()
        for i in range(len(self._named)):
            people = self._people(i)
            if len(people) == 2:
                pairs[tuple(people)] += 1
        self.main_pair = list(pairs.most_common(1)[0][0]) if pairs else []

    def index_at(self, offset: int) -> int | None:
        for i, s in enumerate(self.sentences):
            if s.start <= offset < s.end:
                return i
        return None

    def speaker(self, i: int) -> str | None:
        return self._speakers[i]

    def _people(self, i: int) -> list[str]:
        """The people sentence i names who can take part (not its reporting staff)."""
        sentence = self.sentences[i].text
        speaker = self._speakers[i]
        speaker_person = self.entities.person(speaker) if speaker else None
        named = self._named[i]
        out = []
        for name in named:
            if name == speaker_person and (_staff(name, sentence, self.entities) or len(named) > 2):
                continue  # who reports a call is its speaker, not a participant
            if _staff(name, sentence, self.entities) and len([n for n in named if n != name]) >= 2:
                continue
            out.append(name)
        return sorted(out)

    def _event_pair(self, i: int) -> list[str]:
        """The pair of the event sentence i belongs to: the last pair named together within three
        sentences before it, else the article's main pair."""
        for j in range(i - 1, max(-1, i - 4), -1):
            people = self._people(j)
            if len(people) == 2:
                return people
        return list(self.main_pair)

    def read(self, i: int) -> Reading:
        sentence = self.sentences[i].text
        people = self._people(i)
        speaker = self._speakers[i]
        if len(people) >= 2:
            return Reading(speaker, people, "named in the sentence")
        generic = bool(_GENERIC.search(sentence) or _DEFINITE.search(sentence))
        contact = bool(_CONTACT.search(sentence))
        pair = self._event_pair(i) if (generic or contact) else []
        if len(people) == 1:
            if pair and people[0] in pair and contact:
                return Reading(speaker, pair, f"{people[0]} and the other side of the event before")
            if contact and pair and not generic:
                return Reading(speaker, [], "one side named, the other not said")
            if not contact:
                return Reading(speaker, people, "named in the sentence")
            return Reading(speaker, [], "one side named, the other not said")
        if generic and pair:
            return Reading(speaker, pair, "the event's pair, which the sentence refers to")
        return Reading(speaker, [], "no one named")


def sentence_of(sentences: Iterable[Sentence], offset: int) -> Sentence | None:
    return next((s for s in sentences if s.start <= offset < s.end), None)
