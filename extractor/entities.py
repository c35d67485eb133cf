"""Canonical names for people and for the sides they speak for, read from a data file.

The packaged list is ``extractor/data/entities.toml``. It is extended without code changes: a user
file in the same shape, named by the ``CLAIMDIFF_ENTITIES`` environment variable (see
`default_entities`) or passed to `Entities.load`, is merged over it.

Names are compared by `match_key`: case, accents, punctuation, a possessive 's and a leading "the"
do not matter. A longer phrase ("Kremlin aide Yuri Ushakov") resolves to the longest alias it
contains as whole words, so "Macron's office" is the Élysée and not Macron.
"""

from __future__ import annotations

import functools
import os
import re
import tomllib
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from extractor.errors import ConfigError
from extractor.records import Attribution, SideKind
from extractor.textnorm import normalise_for_match

__all__ = [
    "ENV_VAR",
    "UNKNOWN_OUTLET",
    "Entities",
    "Person",
    "Side",
    "default_entities",
    "match_key",
]

ENV_VAR = "CLAIMDIFF_ENTITIES"
UNKNOWN_OUTLET = "unknown outlet"

_KINDS = {"official": SideKind.OFFICIAL, "outlet": SideKind.OUTLET, "other": SideKind.OTHER}
_KEYS = {
    "person": {"name", "side", "aliases", "exact_aliases"},
    "side": {"name", "kind", "aliases", "exact_aliases"},
}
_INNER_DOT = re.compile(r"(?<=\w)\.(?=\w)")  # "U.S." and "US" are one key
_POSSESSIVE = re.compile(r"'s\b")
_NON_WORD = re.compile(r"[\W_]+")

EntityKind = Literal["person", "side"]


@functools.lru_cache(maxsize=65536)
def match_key(text: str) -> str:
    """The form names are compared in: no accents, case, punctuation, possessive or leading 'the'."""
    folded = unicodedata.normalize("NFKD", normalise_for_match(text))
    plain = "".join(ch for ch in folded if not unicodedata.combining(ch)).casefold()
    plain = _POSSESSIVE.sub("", _INNER_DOT.sub("", plain)).replace("'", "")
    words = _NON_WORD.sub(" ", plain).split()
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(words)


@dataclass(frozen=True)
class Person:
    name: str
    side: str | None
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class Side:
    name: str
    kind: SideKind
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class _Alias:
    kind: EntityKind
    name: str
    exact_only: bool
    rank: int  # which file gave it: a later file wins a disputed alias


@dataclass
class _Draft:
    kind: EntityKind
    name: str
    setting: str | None = None  # a person's side, or a side's kind
    aliases: list[tuple[str, bool, int, str]] = field(default_factory=list)


class Entities:
    """People and sides, with the lookups the extractor and reconciler need."""

    def __init__(self, documents: Iterable[tuple[str, Mapping[str, Any]]]) -> None:
        """Build from parsed TOML documents, each with a label for errors; later ones win."""
        drafts = _merge(documents)
        self._index = _index(drafts)
        self._sides = {
            d.name: Side(d.name, _KINDS[d.setting or "other"], _names(d)) for d in drafts if d.kind == "side"
        }
        self._persons: dict[str, Person] = {}
        for d in drafts:
            if d.kind == "person":
                hit = self._index.get(match_key(d.setting)) if d.setting else None
                side = hit.name if hit is not None and hit.kind == "side" else d.setting
                self._persons[d.name] = Person(d.name, side, _names(d))
        self._memo: dict[str, _Alias | None] = {}

    @classmethod
    def load(cls, extra: Path | str | None = None) -> Entities:
        """The packaged list, with `extra` (a TOML file in the same shape) merged over it."""
        packaged = resources.files("extractor").joinpath("data/entities.toml").read_text(encoding="utf-8")
        documents = [("extractor/data/entities.toml", _parse(packaged, "extractor/data/entities.toml"))]
        if extra is not None:
            path = Path(extra).expanduser()
            try:
                text = path.read_text(encoding="utf-8")
            except OSError as exc:
                raise ConfigError(f"entities file {path}: cannot be read ({exc.strerror or exc})") from exc
            documents.append((str(path), _parse(text, str(path))))
        return cls(documents)

    @property
    def persons(self) -> Mapping[str, Person]:
        return dict(self._persons)

    @property
    def sides(self) -> Mapping[str, Side]:
        return dict(self._sides)

    @property
    def aliases(self) -> frozenset[str]:
        """Every alias, as `match_key` writes it (for telling a known name from a phrase)."""
        return frozenset(self._index)

    def mentions(self, text: str) -> list[str]:
        """Canonical names of the people `text` names by any alias, as whole words, sorted.

        A title that comes right before another person's name is that person's title, not a
        mention of whoever else held it: "U.S. President Joe Biden" names Biden only, although
        "U.S. President" alone may stand for another holder in the list.
        """
        key = f" {match_key(text)} "
        spans: list[tuple[int, int, str, bool]] = []  # start, end, person, a title (no part of the name)
        for p in self._persons.values():
            own = set(match_key(p.name).split())
            for k in {match_key(a) for a in (p.name, *p.aliases)}:
                if not k:
                    continue
                title = not own & set(k.split())
                at = key.find(f" {k} ")
                while at >= 0:
                    spans.append((at + 1, at + 1 + len(k), p.name, title))
                    at = key.find(f" {k} ", at + 1)
        found = set()
        for start, end, name, title in spans:
            inside = any(
                o != name and s <= start and end <= e and (s, e) != (start, end) for s, e, o, _ in spans
            )
            before_a_name = title and any(o != name and s == end + 1 for s, _, o, _ in spans)
            if not (inside or before_a_name):
                found.add(name)
        return sorted(found)

    def names_for(self, name: str) -> tuple[str, ...]:
        """Every alias of the person or side `name` resolves to (for checking a name is in a text)."""
        person = self.person(name)
        if person and person in self._persons:
            return (person, *self._persons[person].aliases)
        side = self.side_of(name)
        if side and side in self._sides:
            return (side, *self._sides[side].aliases)
        return (name,)

    def person(self, name: str | None) -> str | None:
        """The canonical name of the person `name` refers to, or None."""
        hit = self._resolve(name)
        return hit.name if hit is not None and hit.kind == "person" else None

    def side_of(self, name: str | None) -> str | None:
        """The side a person speaks for, or a side's (or outlet's) canonical name; None if unknown."""
        hit = self._resolve(name)
        if hit is None:
            return None
        return self._persons[hit.name].side if hit.kind == "person" else hit.name

    def kind_of(self, side: str | None) -> SideKind:
        """The kind of a side; OTHER for a side the list does not know."""
        hit = self._resolve(side)
        return self._sides[hit.name].kind if hit is not None and hit.kind == "side" else SideKind.OTHER

    def participants(self, names: Iterable[str]) -> list[str]:
        """Canonical names, de-duplicated and sorted; names the list does not know are kept as written."""
        found: dict[str, str] = {}
        for raw in names:
            written = " ".join(raw.split())
            if not written:
                continue
            canonical = self.person(written)
            key = canonical if canonical is not None else "\x00" + match_key(written)
            found.setdefault(key, canonical or written)
        return sorted(set(found.values()))

    def attribute(
        self, speaker: str | None, *, outlet: str | None, side_hint: str | None = None
    ) -> Attribution:
        """Who asserts a claim: a chain of canonical names from the speaker to the side they speak for.

        With no speaker the article's outlet speaks. `side_hint` (e.g. an import file's `side`) is
        used only when the list cannot tell whom the speaker speaks for.
        """
        spoken = " ".join((speaker or "").split())
        if not spoken:
            voice = " ".join((outlet or "").split())
            if not voice:
                return Attribution(speaker=None, chain=[], side=UNKNOWN_OUTLET, side_kind=SideKind.UNKNOWN)
            hit = self._index.get(match_key(voice))  # an outlet's name is a name, not a phrase to search
            if hit is not None and hit.kind == "side":
                return Attribution(
                    speaker=None, chain=[hit.name], side=hit.name, side_kind=self.kind_of(hit.name)
                )
            return Attribution(speaker=None, chain=[voice], side=voice, side_kind=SideKind.OUTLET)

        hint = self._hinted_side(side_hint)
        hit = self._resolve(spoken)
        if hit is not None and hit.kind == "side":
            return Attribution(
                speaker=spoken, chain=[hit.name], side=hit.name, side_kind=self.kind_of(hit.name)
            )
        if hit is not None:
            who = self._persons[hit.name]
            side = who.side or hint
            if side is None:
                return Attribution(speaker=spoken, chain=[who.name], side=who.name, side_kind=SideKind.OTHER)
            return Attribution(
                speaker=spoken, chain=[who.name, side], side=side, side_kind=self.kind_of(side)
            )
        if hint is not None:
            return Attribution(speaker=spoken, chain=[spoken, hint], side=hint, side_kind=self.kind_of(hint))
        return Attribution(speaker=spoken, chain=[spoken], side=spoken, side_kind=SideKind.OTHER)

    def _hinted_side(self, side_hint: str | None) -> str | None:
        written = " ".join((side_hint or "").split())
        return (self.side_of(written) or written) if written else None

    def _resolve(self, text: str | None) -> _Alias | None:
        key = match_key(text or "")
        if not key:
            return None
        if key not in self._memo:
            self._memo[key] = self._index.get(key) or self._longest_within(key)
        return self._memo[key]

    def _longest_within(self, key: str) -> _Alias | None:
        padded = f" {key} "
        best: tuple[int, int] | None = None  # (-length, position): longest first, then leftmost
        found: _Alias | None = None
        for alias, entry in self._index.items():
            if entry.exact_only:
                continue
            at = padded.find(f" {alias} ")
            if at >= 0 and (best is None or (-len(alias), at) < best):
                best, found = (-len(alias), at), entry
        return found


@functools.lru_cache(maxsize=8)
def _load_cached(extra: str | None) -> Entities:
    return Entities.load(Path(extra) if extra else None)


def default_entities() -> Entities:
    """The packaged list merged with the file named by CLAIMDIFF_ENTITIES, if set (cached per path)."""
    return _load_cached(os.environ.get(ENV_VAR, "").strip() or None)


def _parse(text: str, origin: str) -> dict[str, Any]:
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"entities file {origin}: not valid TOML ({exc})") from exc
    unknown = sorted(set(document) - set(_KEYS))
    if unknown:
        raise ConfigError(f"entities file {origin}: unknown tables {unknown}; use [[person]] and [[side]]")
    return document


def _entries(document: Mapping[str, Any], table: EntityKind, origin: str) -> list[dict[str, Any]]:
    raw = document.get(table, [])
    if not isinstance(raw, list) or not all(isinstance(e, dict) for e in raw):
        raise ConfigError(f"entities file {origin}: [[{table}]] must be an array of tables")
    for entry in raw:
        where = f"entities file {origin}: [[{table}]] {entry.get('name', '(no name)')!r}"
        if not isinstance(entry.get("name"), str) or not entry["name"].strip():
            raise ConfigError(f"{where}: needs a non-empty name")
        if set(entry) - _KEYS[table]:
            raise ConfigError(f"{where}: unknown keys {sorted(set(entry) - _KEYS[table])}")
        for key in ("aliases", "exact_aliases"):
            value = entry.get(key, [])
            if not isinstance(value, list) or not all(isinstance(a, str) and a.strip() for a in value):
                raise ConfigError(f"{where}: {key} must be a list of non-empty strings")
        if "side" in entry and not (isinstance(entry["side"], str) and entry["side"].strip()):
            raise ConfigError(f"{where}: side must be a non-empty string")
        if "kind" in entry and entry["kind"] not in _KINDS:
            raise ConfigError(f"{where}: kind must be one of {sorted(_KINDS)}")
    return raw


def _merge(documents: Iterable[tuple[str, Mapping[str, Any]]]) -> list[_Draft]:
    drafts: dict[tuple[EntityKind, str], _Draft] = {}
    for rank, (origin, document) in enumerate(documents):
        seen: set[tuple[EntityKind, str]] = set()
        for table in ("person", "side"):
            kind: EntityKind = "person" if table == "person" else "side"
            for entry in _entries(document, kind, origin):
                name = " ".join(entry["name"].split())
                key = (kind, match_key(name))
                if key in seen:
                    raise ConfigError(f"entities file {origin}: [[{table}]] {name!r} is given twice")
                seen.add(key)
                draft = drafts.setdefault(key, _Draft(kind, name))
                setting = entry.get("side" if kind == "person" else "kind")
                if setting is not None:
                    draft.setting = " ".join(setting.split())
                exact = [a.strip() for a in entry.get("exact_aliases", [])]
                contained = [a.strip() for a in entry.get("aliases", [])]
                if match_key(name) not in {match_key(a) for a in exact}:
                    contained.insert(0, name)
                draft.aliases += [(a, False, rank, origin) for a in contained]
                draft.aliases += [(a, True, rank, origin) for a in exact]
    return list(drafts.values())


def _index(drafts: list[_Draft]) -> dict[str, _Alias]:
    index: dict[str, _Alias] = {}
    for draft in drafts:
        for alias, exact_only, rank, origin in draft.aliases:
            key = match_key(alias)
            if not key:
                raise ConfigError(f"entities file {origin}: alias {alias!r} of {draft.name!r} is empty")
            previous = index.get(key)
            same = previous is not None and (previous.kind, previous.name) == (draft.kind, draft.name)
            if previous is not None and not same:
                if previous.rank == rank:
                    raise ConfigError(
                        f"entities file {origin}: alias {alias!r} names both {previous.name!r} "
                        f"and {draft.name!r}"
                    )
                if previous.rank > rank:
                    continue
            if previous is not None and same and previous.rank == rank:
                exact_only = exact_only and previous.exact_only
            index[key] = _Alias(draft.kind, draft.name, exact_only, rank)
    return index


def _names(draft: _Draft) -> tuple[str, ...]:
    return tuple(dict.fromkeys(alias for alias, _exact, _rank, _origin in draft.aliases))
