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
  of the event the sentence belongs to (the last pair named together before it, else the pair the
  article names together most often), or to no one. A single person is kept alone
  only when the sentence is not about a contact between two sides.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from extractor.entities import Entities, match_key
from extractor.ingest.sentences import Sentence, split_sentences
from extractor.records import SideKind

_REPORTING = (
    r"said|says|say|told|tells|stated|states|noted|notes|added|adds|stressed|stresses|"
    r"emphasi[sz]ed|emphasi[sz]es|underlined|underscored|claimed|claims|announced|announces|"
    r"reported|reports|wrote|writes|posted|confirmed|confirms|described|describes|"
    r"characteri[sz]ed|insisted|explained|recalled|acknowledged|asserted|declared|indicated|"
    r"revealed|denied|informed|briefed|highlighted|admitted|argued|commented|remarked|tweeted|"
    r"specified|clarified|warned|assured|pointed out|made clear|quoted|urged|urges|expressed|"
    r"reiterated|reiterates|proposed|suggested|promised|pledged|vowed|reads|saying|stating|noting|"
    r"adding|stressing|calling it|describing it|accused|condemned|insisted|called for|demanded"
)
# Lower case only: "the United States" holds no reporting verb.
_VERB = re.compile(rf"\b(?:{_REPORTING}|called(?=[^.“\"]{{0,60}}[“\"]))\b")
# "Putin told Trump that ...", "Biden informed Putin": what was said in the call, not who reports it.
_TOLD_PARTICIPANT = re.compile(r"\b(?:told|tells|informed|assured|urged|briefed)\s+(?:his|her|the|[A-Z])")
_ACCORDING = re.compile(r"\b(?:according to|per|citing|in the words of)\s+(?P<who>[^,.;:“”\"()]{2,80})", re.I)
_SOURCE_NOUN = re.compile(
    r"(?P<who>(?:the\s+|a\s+)?[\w’'.-]+(?:\s+[\w’'.-]+){0,3}?)(?:[’']s?)?\s+"
    r"(?:readout|statement|press service|press office|communiqu[eé]|account|summary|post on|briefing)\b"
    r"|\b(?:readout|statement|communiqu[eé])\s+(?:from|by|of)\s+(?P<by>(?:the\s+)?[\w’'.-]+(?:\s+[\w’'.-]+){0,3})",
    re.I,
)
_QUOTATION = re.compile(r"“[^”]{2,}”|\"[^\"]{2,}\"")
_INVERTED = re.compile(
    rf"[,”\"]\s*(?:{_REPORTING})\s+(?P<who>(?:the\s+)?[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*){{0,3}})"
)
_PRONOUN = re.compile(r"^(?:he|she|they|it|we|i)$", re.I)
# "the communique reads", "the readout said": the source the previous sentence named
_ANAPHOR = re.compile(
    r"^(?:the|this|that|its|his|her|their)\s+(?:communiqu[eé]|statement|readout|report|release|"
    r"press release|spokes(?:man|woman|person)|aide|official|ministry|office|source|document|post)$",
    re.I,
)
_BOUNDARY = re.compile(r"[,;:“”\"()—–]|\b(?:that|and|but|while|as|when|which|who|after|before|with)\b", re.I)
# words between a subject and its verb: "Putin also emphasised", "Putin, in turn, emphasized"
_ADVERBS = re.compile(
    r"(?:\s+(?:also|then|later|again|once again|reportedly|in turn|further|recently|earlier|previously|"
    r"first|once|had|has|have|\w+ly))+$",
    re.I,
)
_METADATA = re.compile(
    r"^\s*(?:date|published|updated|posted|by|photo|image|source|credit|filed)\b[\s:]"
    r"|^\s*\d{4}-\d{2}-\d{2}\b"
    r"|^\s*[A-Z][A-Z .'-]{2,40}(?:,\s*[A-Z][a-z]+\.?\s+\d{1,2})?\s*(?:\([A-Za-z ]+\))?\s*[-–—]\s",
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
    head = _ADVERBS.sub("", text[:end].rstrip(" ,“”\"'"))
    head = re.sub(r",\s*in turn\s*$", "", head)
    cut = 0
    for m in _BOUNDARY.finditer(head):
        cut = m.end()
    return " ".join(head[cut:].split()).strip(" ’'")


def _is_name(phrase: str, entities: Entities) -> bool:
    """Is `phrase` a source: a person or side the list knows, or a proper name ("Politico", "Brigid
    Kennedy"), never a clause ("Scholz condemned Russia's war against Ukraine")?"""
    words = phrase.split()
    if not phrase or len(words) > 8 or _PRONOUN.match(phrase):
        return False
    if match_key(phrase) in entities.aliases:
        return True
    if entities.side_of(phrase) is not None or entities.person(phrase) is not None:
        last = words[-1].strip(",’'")
        return last[:1].isupper() or bool(_SOURCE_WORD.match(last))
    proper = [w for w in words if w.lower() not in _PARTICLES]
    return 0 < len(proper) <= 5 and all(w[:1].isupper() for w in proper)


_PARTICLES = frozenset({"the", "of", "de", "da", "von", "van", "al", "bin", "la", "le", "du"})
_SOURCE_WORD = re.compile(
    r"^(?:officials?|spokes(?:man|woman|person)|aide|adviser|advisor|sources?|readout|statement|service|"
    r"office|ministry|secretary|president|leader|chancellor|minister|premier|government|side|media)$",
    re.I,
)


def speaker_in(sentence: str, entities: Entities) -> str | None:
    """Whoever `sentence` names as saying it; None when it names no source.

    A named source ("according to the Kremlin", "..., Ushakov said", "a White House readout") comes
    before a participant's own words ("Putin stressed"): the source reports what the participant
    said. "Putin told Trump that ..." is what was said in the call, not who reports it.
    """
    if _METADATA.match(sentence):
        return None
    # words inside a quotation are what is said, not who says it ("according to Moscow's plan")
    sentence = _QUOTATION.sub(
        lambda m: m.group(0)[0] + " " * (len(m.group(0)) - 2) + m.group(0)[-1], sentence
    )
    found: list[str] = []
    m = _ACCORDING.search(sentence)
    if m and _is_name(m.group("who").strip(), entities):
        found.append(m.group("who").strip())
    for m in _VERB.finditer(sentence):
        if _TOLD_PARTICIPANT.match(sentence, m.start()) and entities.mentions(
            " ".join(sentence[m.end() :].split()[:4])
        ):
            continue  # "Putin told Trump that ...": said in the call, not who reports it
        who = _subject_before(sentence, m.start())
        if _is_name(who, entities):
            found.append(who)
    m = _INVERTED.search(sentence)
    if m and _is_name(m.group("who"), entities):
        found.append(m.group("who"))
    m = _SOURCE_NOUN.search(sentence)
    if m:
        who = (m.group("who") or m.group("by") or "").strip()
        who = re.sub(r"^(?:a|an|in a|in the)\s+", "", who, flags=re.I)
        if entities.side_of(who) is not None or entities.person(who) is not None:
            found.append(who)
    if not found:
        return None
    # An official source (a government side, an aide, a spokesperson) reports for its side, even
    # through an outlet ("..., the Kremlin said, per The Washington Post"); then a leader speaking
    # for themselves; then anyone else the sentence names (an outlet, a person the list does not know).
    return min(found, key=lambda w: _rank(w, entities))


def _rank(who: str, entities: Entities) -> int:
    side = entities.side_of(who)
    official = side is not None and entities.kind_of(side) is SideKind.OFFICIAL
    if official and (not _leader(who, entities) or _staff_title(who)):
        return 0
    if official:
        return 1
    return 2


def _leader(phrase: str, entities: Entities) -> bool:
    person = entities.person(phrase)
    return person is not None and not any(_STAFF_ALIAS.search(a) for a in entities.names_for(person))


def _staff_title(phrase: str) -> bool:
    return bool(_STAFF_ALIAS.search(phrase))


def _refers_back(sentence: str) -> bool:
    """Is the sentence attributed to "he", "she", "the communique", "the readout" ...?"""
    for m in _VERB.finditer(sentence):
        who = _subject_before(sentence, m.start()) or "-"
        if _PRONOUN.match(who) or _ANAPHOR.match(who):
            return True
    return False


def _heading(sentence: str) -> bool:
    """A heading or a line that opens a list ("Ushakov's briefing ... The main points:")."""
    text = sentence.rstrip()
    return text.endswith(":") or (len(text.split()) <= 12 and not text.endswith((".", "!", "?", "”", '"')))


def _inside_quotes(text: str, sentences: list[Sentence]) -> list[bool]:
    """For each sentence, whether it starts inside a quotation opened before it in its paragraph (a
    quotation that goes on in a new paragraph opens it again with a quotation mark)."""
    out = []
    depth, straight, at = 0, 0, 0
    for s in sentences:
        chunk = text[at : s.start]
        if "\n" in chunk:
            depth, straight = 0, 0
            chunk = chunk[chunk.rindex("\n") :]
        depth = max(0, depth + chunk.count("“") - chunk.count("”"))
        straight += chunk.count('"')
        out.append(depth > 0 or straight % 2 == 1)
        at = s.start
    return out


def _continues_quote(sentence: str, previous: str) -> bool:
    """A quotation that goes on past the previous sentence: this one opens inside it."""
    opens = previous.count("“") - previous.count("”")
    straight = previous.count('"') % 2 == 1
    return opens > 0 or straight or (sentence.lstrip().startswith(("“", '"')) and not _VERB.search(sentence))


# the speaker as one of those who met: "Trump said he held a call with ...", "we had a good talk"
# an event one person holds alone: "Putin's press conference", "Trump's address to the nation"
_SOLO = re.compile(
    r"\b(?:press conference|news conference|address(?:ed)? (?:to )?the nation|speech|interview|rally|"
    r"briefing|statement to the press|(?:visit|trip|journey) to (?:the )?[A-Z]\w+|visited [A-Z]\w+)\b",
    re.I,
)
# a sentence whose subject is the contact itself: "the conversation lasted", "the call took place"
_SUBJECT_OF_CONTACT = re.compile(
    r"\b(?:conversation|call|talks|meeting|summit)\b[^.;]{0,80}?\b(?:lasted|took place|was held|began|ended|"
    r"focused|included|continued)\b",
    re.I,
)
_HE_SHE = re.compile(r"\b(?:[Hh]e|[Ss]he)\b")
_SELF = re.compile(
    r"\b(?:[Hh]e|[Ss]he|I|[Ww]e)\s+(?:had|has|have|held|holds|spoke|speaks|was|were|would|will|did|talked|"
    r"met|meets|called|phoned|discussed|just)\b"
)
_SPEAKER_HEADING = re.compile(
    r"^(?:what|how)\s+(?:[\w’'.-]+\s+){1,4}(?:said|says|told|stated)$"
    r"|^(?:[\w’'.-]+\s+){1,4}(?:statement|briefing|readout|remarks|comments|account|version)$",
    re.I,
)


def _first_named(sentence: str, named: list[str], entities: Entities) -> str | None:
    """The person `sentence` names first (by where any alias of theirs first appears)."""
    key = f" {match_key(sentence)} "
    best: tuple[int, str] | None = None
    for name in named:
        for alias in entities.names_for(name):
            k = match_key(alias)
            at = key.find(f" {k} ") if k else -1
            if at >= 0 and (best is None or at < best[0]):
                best = (at, name)
    return best[1] if best else None


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
        inside = _inside_quotes(text, self.sentences)
        block: str | None = None  # who speaks under a heading or a line that opens a list
        for i, s in enumerate(self.sentences):
            own = speaker_in(s.text, entities)
            if _heading(s.text):
                # A line that opens a list ("Ushakov's briefing. The main points:") or a heading that
                # only names a speaker ("What Putin said") speaks for the lines under it; any other
                # heading ends such a block (a headline is not who speaks its section).
                if s.text.rstrip().endswith(":"):
                    block = own or (self._speakers[i - 1] if i else None)
                else:
                    block = own if _SPEAKER_HEADING.match(s.text.strip()) else None
            elif own is None and i:
                prev = self.sentences[i - 1].text
                if self._speakers[i - 1] is not None and (
                    inside[i] or _continues_quote(s.text, prev) or _refers_back(s.text)
                ):
                    own = self._speakers[i - 1]
                elif _refers_back(s.text):
                    # "He said ...": the person the previous sentence names first
                    own = _first_named(prev, self._named[i - 1], entities) or block
                else:
                    own = block
            self._speakers.append(own)
        # "“Our president also said ... confrontation. (...)” Ushakov said.": a quotation whose
        # speaker is named where it closes, a sentence or two later in the same paragraph
        for i in range(len(self.sentences) - 2, -1, -1):
            if self._speakers[i] is None and self.sentences[i].text.lstrip().startswith(("“", '"')):
                nxt = i + 1
                same_paragraph = "\n" not in text[self.sentences[i].end : self.sentences[nxt].start]
                if same_paragraph and inside[nxt] and self._speakers[nxt] is not None:
                    self._speakers[i] = self._speakers[nxt]
        pairs: Counter[tuple[str, ...]] = Counter()
        for i in range(len(self._named)):
            people = self._people(i)
            if len(people) == 2:
                pairs[tuple(people)] += 1
        self._pairs = pairs
        self._paragraph = [0]
        for before, cur in zip(self.sentences, self.sentences[1:], strict=False):
            self._paragraph.append(self._paragraph[-1] + ("\n" in text[before.end : cur.start]))
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
        own_source = speaker is not None and speaker_in(sentence, self.entities) == speaker
        named = self._named[i]
        out = []
        for name in named:
            if name == speaker_person and (
                _staff(name, sentence, self.entities)
                or (own_source and len(named) > 2 and not _SELF.search(sentence))
            ):
                # An aide or spokesperson who reports a call is its speaker, not a participant; so is
                # anyone reporting on two others ("..., Rubio said"), unless they speak of themselves.
                continue
            if _staff(name, sentence, self.entities) and len([n for n in named if n != name]) >= 2:
                continue
            out.append(name)
        return sorted(out)

    def _pair_of(self, j: int) -> list[str]:
        """The pair sentence j names: two people, or one and "he"/"she" for the one person the
        sentence before names ("Fico ... On 22 December he visited Moscow and met Putin")."""
        people = self._people(j)
        if len(people) == 2:
            return people
        if len(people) == 1 and j and _HE_SHE.search(self.sentences[j].text):
            before = self._people(j - 1)
            if len(before) == 1 and before[0] != people[0]:
                return sorted(before + people)
        return []

    def _pair_before_at(self, i: int) -> tuple[list[str], int | None]:
        """The last pair named together before sentence i, and where; ([], None) if none."""
        for j in range(i - 1, -1, -1):
            pair = self._pair_of(j)
            if pair:
                return pair, j
        return [], None

    def _pair_before(self, i: int) -> list[str]:
        return self._pair_before_at(i)[0]

    def _event_pair(self, i: int) -> list[str]:
        """The pair of the event sentence i is about: the pair the article last named, unless that
        pair was named in an earlier paragraph (a side remark: "Trump then had a difficult call
        with Zelensky") no more often than the article's main pair (the pair it names together
        most, or first); else the main pair."""
        pair, at = self._pair_before_at(i)
        aside = at is not None and self._paragraph[at] != self._paragraph[i]
        if pair and aside and self._pairs[tuple(pair)] <= self._pairs[tuple(self.main_pair)]:
            return list(self.main_pair)
        return pair or list(self.main_pair)

    def read(self, i: int) -> Reading:
        sentence = self.sentences[i].text
        people = self._people(i)
        speaker = self._speakers[i]
        generic = bool(_GENERIC.search(sentence))
        if len(people) == 2:
            pair = self._event_pair(i) if generic else []
            if len(set(pair) & set(people)) == 1:
                # "Trump said both leaders agreed ..., while he would call Zelensky": "both leaders"
                # are the event's pair; the other person named is in another clause
                return Reading(speaker, pair, "the pair 'both leaders' stands for")
            return Reading(speaker, people, "named in the sentence")
        if len(people) > 2:
            # "Trump will speak to Zelensky after his call with Putin": the pair of the event the
            # article is on, when the sentence names it; else everyone it names
            for pair in (self._pair_before(i), self.main_pair):
                if len(pair) == 2 and set(pair) <= set(people):
                    return Reading(speaker, list(pair), "the event's pair among the people named")
            return Reading(speaker, people, "named in the sentence")
        contact = bool(_CONTACT.search(sentence) or _DEFINITE.search(sentence))
        if len(people) == 1:
            own = self._pair_of(i)
            if own:
                return Reading(speaker, own, f"{people[0]} and the person 'he' or 'she' stands for")
            if generic:
                # "Putin spoke with his US counterpart": the event's pair the person belongs to
                for pair in (self._event_pair(i), self._pair_before(i), self.main_pair):
                    if people[0] in pair:
                        return Reading(
                            speaker, list(pair), f"{people[0]} and the counterpart the sentence names"
                        )
            if _SOLO.search(sentence):
                return Reading(speaker, people, "an event of one person, as the sentence says")
            side = self.entities.side_of(speaker) if speaker else None
            official = side is not None and self.entities.kind_of(side) is SideKind.OFFICIAL
            if official or (contact and _SUBJECT_OF_CONTACT.search(sentence)):
                # an official account of one side's part ("the Élysée stated that the French
                # president reaffirmed ...", "Putin emphasized ..."), or a sentence that is about
                # the contact itself ("May 19 - The conversation lasted two hours, during which
                # Trump initiated ..."): the event that person is in
                for pair in (self._event_pair(i), self._pair_before(i), self.main_pair):
                    if people[0] in pair:
                        return Reading(speaker, list(pair), f"{people[0]} and the other side of the event")
            # one side named, the other not said: no one (an event with one participant only when
            # the text says so; "delegates met under pressure from Trump" is not Trump's contact)
            return Reading(speaker, [], "one side named, the other not said")
        if generic:
            # "the two leaders": the event's pair
            pair = self._event_pair(i)
            if pair:
                return Reading(speaker, pair, "the pair the sentence refers to")
        if contact:
            # "was also discussed", "another call took place": the event of the pair named last
            pair = self._pair_before(i)
            if pair:
                return Reading(speaker, pair, "the pair named last before the sentence")
        return Reading(speaker, [], "no one named")
