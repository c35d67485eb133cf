"""Articles that talk to the model instead of the reader: found, flagged for review, and kept from it.

An article is data. Some articles carry text aimed at an LLM ("ignore previous instructions"), a copy
of a chat template's role markers, a JSON blob naming the fields claimdiff fills, the prompt's own
fence, or HTML/JS. Such an article is not refused (a story about prompt injection is still news):
it is flagged, its extraction is marked for review, and the offending passages are blanked with
spaces (same length, so every offset still refers to the stored text) before anything is sent to
the model or read for speakers and participants.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from extractor.ingest.sentences import split_sentences

# flag -> patterns. A "sentence" finding blanks the whole sentence(s) it touches; a "span" finding
# blanks only the markup itself, so "<b>Putin</b> spoke" keeps its words.
_INSTRUCTIONS = re.compile(
    r"\b(?:ignore|disregard|forget|override)\s+(?:all\s+|any\s+|the\s+|your\s+)*"
    r"(?:previous|prior|above|earlier|preceding|former|original|system)\s+"
    r"(?:instructions?|prompts?|rules|directions|guidelines|messages?)"
    r"|\bnew\s+instructions\s*:"
    r"|\byou\s+are\s+now\s+(?:an?\s+)?(?:ai|assistant|language\s+model|chatbot|dan)\b"
    r"|\b(?:as\s+an?\s+)?(?:ai|llm|language\s+model|assistant)\s*,?\s+(?:you\s+)?must\s+(?:now\s+)?"
    r"(?:label|set|output|answer|return|mark)\b",
    re.IGNORECASE,
)
_PARAGRAPH_END = r"(?=\n[ \t]*\n|\Z)"
_ROLE_MARKERS = re.compile(
    r"<\|\s*im_start\s*\|>.*?(?:<\|\s*im_end\s*\|>|" + _PARAGRAPH_END + ")"
    r"|<\|\s*(?:im_end|system|user|assistant|endoftext|eot_id|start_header_id)\s*\|>"
    r"|\[/?INST\]|<</?SYS>>"
    r"|^[ \t>#*]*(?:SYSTEM|System|ASSISTANT|Assistant|DEVELOPER|Developer)\s*(?:PROMPT|prompt)?\s*:.*?"
    + _PARAGRAPH_END
    + r"|^[ \t]*===\s*(?:system|user|assistant)\s*===[^\n]*",
    re.MULTILINE | re.DOTALL,
)
_END = re.compile(_PARAGRAPH_END)
# The fence claimdiff wraps an article in; text between two copies is "outside" the article.
_DELIMITER = re.compile(r"<<<\s*ARTICLE\b[^\n>]*(?:>>>)?", re.IGNORECASE)
_FIELDS = (
    "speaker|participants|status|severity|kind|channel|topics?|quote|start|end|grounding|verified"
    "|needs_review|side|attribution|event_date|value_text|summary|decision|reviewer"
)
_FIELD_INJECTION = re.compile(
    r"\{[^{}]{0,400}?[\"'](?:" + _FIELDS + r")[\"']\s*:[^{}]{0,600}\}"
    r"|\b(?:set|change|mark|label|record)\s+(?:the\s+)?(?:field\s+)?[\"']?(?:" + _FIELDS + r")[\"']?\s+"
    r"(?:field\s+)?(?:to|as|=)\s",
    re.IGNORECASE,
)
_MARKUP = re.compile(
    r"<\s*(script|style|iframe|object|embed|svg|template)\b[^>]*>.*?<\s*/\s*\1\s*>"
    r"|<\s*/?\s*(?:script|iframe|object|embed|svg|img|image|video|audio|link|meta|base|form|input|body"
    r"|html|style|a)\b[^<>]*>"
    r"|\bjavascript\s*:"
    r"|\bon(?:error|load|click|mouseover|focus|blur|submit|change)\s*=",
    re.IGNORECASE | re.DOTALL,
)


@dataclass(frozen=True)
class Finding:
    flag: str
    start: int
    end: int
    text: str
    whole_sentence: bool = True


@lru_cache(maxsize=1)
def _prompt_lines() -> tuple[str, ...]:
    """Long lines of claimdiff's own system prompts: an article quoting them imitates the prompt."""
    from extractor.errors import PromptError
    from extractor.prompts import load_prompt

    lines: list[str] = []
    for name in ("label_sentences", "extract_claims"):
        try:
            template = load_prompt(name)
        except PromptError:  # a missing template is reported where prompts are used, not here
            template = None
        for line in template.system.splitlines() if template else []:
            line = " ".join(line.split())
            if len(line) >= 40 and "{{" not in line:
                lines.append(line[:60].lower())
    return tuple(lines)


def scan(text: str) -> list[Finding]:
    """Every passage of `text` that addresses a model rather than a reader, in order."""
    found: list[Finding] = []
    for flag, pattern, whole in (
        ("instructions", _INSTRUCTIONS, True),
        ("role_markers", _ROLE_MARKERS, True),
        ("field_injection", _FIELD_INJECTION, True),
        ("markup", _MARKUP, False),
    ):
        for m in pattern.finditer(text):
            found.append(Finding(flag, m.start(), m.end(), m.group(0), whole))
    fences = list(_DELIMITER.finditer(text))
    if fences:
        # Between the first and the last copy of the fence, or to the end of the paragraph.
        if len(fences) > 1:
            stop = fences[-1].end()
        else:
            para = _END.search(text, fences[0].end())
            stop = para.start() if para else len(text)
        found.append(Finding("delimiter", fences[0].start(), stop, text[fences[0].start() : stop]))
    squeezed = " ".join(text.split()).lower()
    if any(line in squeezed for line in _prompt_lines()):
        for line in _prompt_lines():
            head = line[:30]
            at = text.lower().find(head)
            if at >= 0:
                found.append(Finding("prompt_imitation", at, at + len(head), text[at : at + len(head)]))
    return sorted(found, key=lambda f: (f.start, f.end, f.flag))


def flags_for(text: str) -> tuple[str, ...]:
    return tuple(sorted({f.flag for f in scan(text)}))


def neutralise(text: str, findings: list[Finding] | None = None) -> str:
    """`text` with every finding blanked by spaces (newlines kept): same length, same offsets.

    A finding in words (an instruction, a role marker, a field blob, the fence) blanks every
    sentence it touches; markup blanks only the tag or the script element.
    """
    findings = scan(text) if findings is None else findings
    if not findings:
        return text
    chars = list(text)

    def blank(start: int, end: int) -> None:
        for i in range(start, end):
            if chars[i] not in "\n\r":
                chars[i] = " "

    # Markup first, so that sentences are found in the text as it reads without it.
    for f in findings:
        if not f.whole_sentence:
            blank(f.start, f.end)
    sentences = split_sentences("".join(chars))
    for f in findings:
        if f.whole_sentence:
            blank(f.start, f.end)
            for s in sentences:
                if s.start < f.end and f.start < s.end:
                    blank(s.start, s.end)
    return "".join(chars)
