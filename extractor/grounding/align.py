"""Find a model's quote in the article and compute its offsets in code.

A model's offsets are never trusted: it miscounts characters and it "tidies" quotes (straight for curly
quotes, one space for a line break, a dropped middle replaced by "..."). So the article is compared in
the same normalised form as ids use (extractor.textnorm), through a view that remembers, for every
normalised character, which original characters it came from. A VERIFIED span therefore satisfies
``normalise_for_match(text[start:end]) == normalise_for_match(quote)``; anything looser is FUZZY (kept for
review, never trusted) or NOT_FOUND.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

from extractor.records import Evidence, GroundingStatus
from extractor.textnorm import fold_char, normalise_for_match

# Below this similarity a fuzzy window is NOT_FOUND: a different sentence, not a sloppy copy of this one.
FUZZY_THRESHOLD = 0.85
# A quote equal to the text but for letter case: close, but the model did not copy it.
CASE_ONLY_SCORE = 0.99
# A quote whose parts around an ellipsis are each found, in order: the words are real, the whole is not.
ELLIPSIS_SCORE = 0.95
# Parts of an elided quote further apart than this (normalised characters) are not one quotation.
ELLIPSIS_MAX_GAP = 2000
# How many coarse candidate windows are refined character by character; keeps long articles fast.
FUZZY_CANDIDATES = 6
# A candidate window this far from the quote is not refined: moving its edges cannot reach the threshold.
HOPELESS = 0.6
# Longer quotes are compared word by word: character diffs grow quadratically with the length.
CHAR_LEVEL_MAX = 600

_ELLIPSIS = re.compile(r"\s*\[?\.{3,}\]?\s*")
_TOKEN = re.compile(r"\S+")
_WORD_KEY = re.compile(r"\W+")


@dataclass(frozen=True)
class NormalisedView:
    """The article in normalised form, with each normalised character's original [start, end)."""

    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def original_span(self, a: int, b: int) -> tuple[int, int]:
        """Original offsets of the normalised range [a, b) (b > a)."""
        return self.starts[a], self.ends[b - 1]


def _clusters(text: str) -> list[tuple[int, int]]:
    """Split text into a base character plus its combining marks, so NFKC can compose them as a whole."""
    bounds: list[tuple[int, int]] = []
    start = 0
    for i in range(1, len(text) + 1):
        if i == len(text) or not unicodedata.combining(text[i]):
            bounds.append((start, i))
            start = i
    return bounds if text else []


@lru_cache(maxsize=16)
def normalised_view(text: str) -> NormalisedView:
    """The same rules as normalise_for_match (NFKC, folded quotes and dashes, one space for any run of
    whitespace, stripped at the start), computed piecewise so each output character maps back."""
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for a, b in _clusters(text):
        for ch in fold_char(text[a:b]):
            if ch.isspace():
                if not out or out[-1] == " ":
                    continue
                ch = " "
            out.append(ch)
            starts.append(a)
            ends.append(b)
    return NormalisedView("".join(out), tuple(starts), tuple(ends))


def _occurrences(haystack: str, needle: str) -> list[int]:
    found: list[int] = []
    i = haystack.find(needle)
    while i != -1:
        found.append(i)
        i = haystack.find(needle, i + 1)
    return found


def _nearest(starts: list[int], hint: int | None) -> list[int]:
    """Candidates ordered by distance from the hint (original offsets), else in text order."""
    if hint is None:
        return starts
    return sorted(starts, key=lambda s: (abs(s - hint), s))


def _lower_view(s: str) -> str:
    """Lower-case letter by letter, keeping the length (a letter whose lower case is longer is kept)."""
    return "".join(low if len(low := ch.lower()) == 1 else ch for ch in s)


def _exact(text: str, view: NormalisedView, nq: str, hint: int | None) -> tuple[int, int] | None:
    hits = [view.original_span(a, a + len(nq)) for a in _occurrences(view.text, nq)]
    by_start: dict[int, tuple[int, int]] = {}
    for s, e in hits:
        by_start.setdefault(s, (s, e))
    for s in _nearest(list(by_start), hint):
        span = by_start[s]
        # A hit may begin or end inside a character that folds to several ("ﬁ" -> "fi"); then the
        # original span does not normalise to the quote and is not a verified match.
        if normalise_for_match(text[span[0] : span[1]]) == nq:
            return span
    return None


def _case_insensitive(view: NormalisedView, nq: str, hint: int | None) -> tuple[int, int] | None:
    low_q = _lower_view(nq)
    hits = [view.original_span(a, a + len(nq)) for a in _occurrences(_lower_view(view.text), low_q)]
    if not hits:
        return None
    best = _nearest([s for s, _ in hits], hint)[0]
    return next(span for span in hits if span[0] == best)


def _elided(view: NormalisedView, nq: str, hint: int | None) -> tuple[int, int] | None:
    """Each part around an ellipsis found in order, close together: the span from first to last part.

    A leading or trailing ellipsis ("...and Iran") leaves one part, found the same way.
    """
    parts = [p for p in _ELLIPSIS.split(nq) if p]
    if not parts or "..." not in nq:
        return None
    for hay, pieces in ((view.text, parts), (_lower_view(view.text), [_lower_view(p) for p in parts])):
        firsts = _occurrences(hay, pieces[0])
        for a in _nearest(firsts, None if hint is None else _norm_index(view, hint)):
            pos = a + len(pieces[0])
            for piece in pieces[1:]:
                nxt = hay.find(piece, pos)
                if nxt == -1 or nxt - pos > ELLIPSIS_MAX_GAP:
                    break
                pos = nxt + len(piece)
            else:
                return view.original_span(a, pos)
    return None


def _norm_index(view: NormalisedView, original: int) -> int:
    """The normalised index whose original start is nearest an original offset (for hints)."""
    lo, hi = 0, len(view.starts)
    while lo < hi:
        mid = (lo + hi) // 2
        if view.starts[mid] < original:
            lo = mid + 1
        else:
            hi = mid
    return lo


def _coarse_candidates(keys: list[str], want: Counter[str], n: int) -> list[int]:
    """Start indexes of the few n-word windows sharing the most words with the quote (O(words))."""
    have: Counter[str] = Counter()
    shared = 0
    scores: list[tuple[int, int]] = []
    for i, key in enumerate(keys):
        if have[key] < want[key]:
            shared += 1
        have[key] += 1
        if i >= n:
            old = keys[i - n]
            have[old] -= 1
            if have[old] < want[old]:
                shared -= 1
        if i >= n - 1:
            scores.append((shared, i - n + 1))
    floor = max(1, math.ceil(0.4 * sum(want.values())))
    scores.sort(key=lambda t: (-t[0], t[1]))
    candidates: list[int] = []
    for count, start in scores:
        if count < floor or len(candidates) >= FUZZY_CANDIDATES:
            break
        if all(abs(start - c) > max(1, n // 2) for c in candidates):
            candidates.append(start)
    return candidates


def _fuzzy(view: NormalisedView, nq: str, hint: int | None) -> tuple[float, int, int] | None:
    """Best window by similarity, searched in two steps so a 20k-character article stays fast.

    Coarse: slide a window of the quote's word count over the article's words and count shared words.
    Fine: for the few best windows, move the start then the end word by word, keeping the
    SequenceMatcher ratio that is highest (quick upper bounds skip most windows). Similarity is by
    character for quotes up to CHAR_LEVEL_MAX characters and by word beyond, where character diffs
    become quadratic.
    """
    words = [(m.start(), m.end()) for m in _TOKEN.finditer(view.text)]
    q_words = _TOKEN.findall(nq)
    if not words or not q_words:
        return None
    lowered = [view.text[a:b].lower() for a, b in words]
    keys = [_WORD_KEY.sub("", w) for w in lowered]
    n = min(len(q_words), len(words))
    candidates = _coarse_candidates(keys, Counter(_WORD_KEY.sub("", w.lower()) for w in q_words), n)

    by_char = len(nq) <= CHAR_LEVEL_MAX
    matcher: SequenceMatcher[str] = SequenceMatcher(None, autojunk=False)
    if by_char:
        matcher.set_seq2(nq.lower())
    else:
        matcher.set_seq2([w.lower() for w in q_words])

    def ratio(i: int, j: int, beat: float) -> float:
        """The window's similarity, or 0.0 when a quick upper bound shows it cannot beat ``beat``."""
        if by_char:
            matcher.set_seq1(view.text[words[i][0] : words[j][1]].lower())
        else:
            matcher.set_seq1(lowered[i : j + 1])
        if matcher.real_quick_ratio() <= beat or matcher.quick_ratio() <= beat:
            return 0.0
        return matcher.ratio()

    reach = min(8, max(2, n // 4))
    best: tuple[float, int, int] | None = None
    for start in candidates:
        i, j = start, start + n - 1
        score = ratio(i, j, 0.0)
        if score < HOPELESS:
            continue
        for lo in range(max(0, start - reach), min(j, start + reach) + 1):
            if (r := ratio(lo, j, score)) > score:
                score, i = r, lo
        for hi in range(max(i, j - reach), min(len(words) - 1, j + reach) + 1):
            if (r := ratio(i, hi, score)) > score:
                score, j = r, hi
        closer = (
            hint is not None and best is not None and abs(words[i][0] - hint) < abs(words[best[1]][0] - hint)
        )
        if best is None or score > best[0] or (score == best[0] and closer):
            best = (score, i, j)
        if score >= 0.98:
            break
    if best is None or best[0] < FUZZY_THRESHOLD:
        return None
    score, i, j = best
    a, b = words[i][0], words[j][1]
    # Punctuation glued to the edge words ("hour,") is not part of the match unless the quote has it.
    while b - a > 1 and _is_punct(view.text[b - 1]) and not _is_punct(nq[-1]):
        b -= 1
    while b - a > 1 and _is_punct(view.text[a]) and not _is_punct(nq[0]):
        a += 1
    start, end = view.original_span(a, b)
    return score, start, end


def _is_punct(ch: str) -> bool:
    return unicodedata.category(ch).startswith("P")


def ground(quote: str, text: str, *, hint: int | None = None) -> Evidence:
    """Locate ``quote`` in ``text``; ``hint`` (an original offset) picks among repeated occurrences."""
    nq = normalise_for_match(quote)
    if not nq:
        return Evidence(quote=quote, status=GroundingStatus.NOT_FOUND)
    view = normalised_view(text)
    span = _exact(text, view, nq, hint)
    if span is not None:
        return Evidence(quote=quote, start=span[0], end=span[1], status=GroundingStatus.VERIFIED, score=1.0)
    span = _case_insensitive(view, nq, hint)
    if span is not None:
        return Evidence(
            quote=quote, start=span[0], end=span[1], status=GroundingStatus.FUZZY, score=CASE_ONLY_SCORE
        )
    span = _elided(view, nq, hint)
    if span is not None:
        return Evidence(
            quote=quote, start=span[0], end=span[1], status=GroundingStatus.FUZZY, score=ELLIPSIS_SCORE
        )
    found = _fuzzy(view, nq, hint)
    if found is not None:
        score, a, b = found
        return Evidence(quote=quote, start=a, end=b, status=GroundingStatus.FUZZY, score=round(score, 4))
    return Evidence(quote=quote, status=GroundingStatus.NOT_FOUND)


# A sentence ends at . ! ? or … (with any closing quotes or brackets) before whitespace, or at a line end.
_SENTENCE_END = re.compile(r"""[.!?\u2026]+["'\u201d\u2019)\]]*(?=\s)|\n""")
# "U.S." or "Mr." is not the end of a sentence: a lone capital or a short title before the full stop.
_NOT_AN_END = re.compile(
    r"(?:\b[A-Z]|\b(?:Mr|Mrs|Ms|Dr|Prof|St|Jr|Sr|Gen|Col|Lt|Sgt|Gov|Sen|Rep|Pres|No|vs|etc|approx|e\.g|i\.e))\.$"
)


def _ends(text: str) -> list[int]:
    """Offsets just past each sentence end, skipping abbreviations followed by a lower-case word."""
    ends: list[int] = []
    for m in _SENTENCE_END.finditer(text):
        if m.group() != "\n" and _NOT_AN_END.search(text, max(0, m.start() - 8), m.start() + 1):
            continue
        if m.group() != "\n":
            rest = text[m.end() : m.end() + 3].lstrip()
            if rest[:1].islower():
                continue
        ends.append(m.end())
    return ends


def sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    """Bounds of the sentence(s) containing text[start:end], trimmed of surrounding whitespace.

    The review UI shows a quote inside its sentence; a span across sentences gets all of them.
    Offsets are clamped to the text, so a stale span still gives a sensible window.
    """
    start = max(0, min(start, len(text)))
    end = max(start, min(end, len(text)))
    ends = _ends(text)
    lo = max((e for e in ends if e <= start), default=0)
    hi = min((e for e in ends if e >= max(end, start + 1)), default=len(text))
    while lo < start and text[lo].isspace():
        lo += 1
    while hi > end and text[hi - 1].isspace():
        hi -= 1
    return lo, hi
