"""Split long articles into overlapping chunks under a token budget; offsets stay the article's."""

from __future__ import annotations

from dataclasses import dataclass

# A rough, conservative count for English news text; the server's usage gives the real figure.
CHARS_PER_TOKEN = 3.5


@dataclass(frozen=True)
class Chunk:
    index: int
    start: int
    end: int
    text: str


def estimate_tokens(text: str) -> int:
    return int(len(text) / CHARS_PER_TOKEN) + 1


def chunk_text(text: str, *, max_tokens: int = 1800, overlap_tokens: int = 150) -> list[Chunk]:
    """Cut at paragraph ends (else sentence ends, else spaces) so no claim is split mid-sentence."""
    max_chars = int(max_tokens * CHARS_PER_TOKEN)
    overlap = int(overlap_tokens * CHARS_PER_TOKEN)
    if len(text) <= max_chars:
        return [Chunk(0, 0, len(text), text)]
    chunks: list[Chunk] = []
    start = 0
    while start < len(text):
        end = min(len(text), start + max_chars)
        if end < len(text):
            window = text[start:end]
            for sep in ("\n\n", "\n", ". ", " "):
                cut = window.rfind(sep, max_chars // 2)
                if cut != -1:
                    end = start + cut + len(sep)
                    break
        chunks.append(Chunk(len(chunks), start, end, text[start:end]))
        if end >= len(text):
            break
        # Step back by the overlap, to the start of a line or sentence where there is one.
        back = max(start + 1, end - overlap)
        line = text.rfind("\n", back, end)
        start = line + 1 if line != -1 and line + 1 < end else back
    return chunks
