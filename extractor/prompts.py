"""Prompt templates: files in `prompts/` with a header (name, version, variables) and two sections.

Every rendered prompt carries `Prompt.key` (name, version and a hash of the file), which goes into
every stored record and cache key, so an edited template can never be served a stale answer.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from extractor.errors import PromptError

_PLACEHOLDER = re.compile(r"\{\{\s*([a-z_][a-z0-9_]*)\s*\}\}")
_SECTION = re.compile(r"^=== (system|user) ===$", re.MULTILINE)


def _prompt_dirs() -> list[Path]:
    """The installed copy (wheel) first, then the checkout's `prompts/` (editable installs)."""
    dirs: list[Path] = []
    packaged = resources.files("extractor").joinpath("_prompts")
    if packaged.is_dir():
        dirs.append(Path(str(packaged)))
    checkout = Path(__file__).resolve().parent.parent / "prompts"
    if checkout.is_dir():
        dirs.append(checkout)
    return dirs


@dataclass(frozen=True)
class PromptTemplate:
    name: str
    version: str
    variables: tuple[str, ...]
    system: str
    user: str
    sha: str

    @property
    def key(self) -> str:
        return f"{self.name}@v{self.version}+{self.sha[:10]}"

    def render(self, **values: str) -> list[dict[str, str]]:
        missing = [v for v in self.variables if v not in values]
        extra = [v for v in values if v not in self.variables]
        if missing or extra:
            raise PromptError(
                f"prompt {self.key}: missing variables {missing or '[]'}, unexpected {extra or '[]'}"
            )
        return [
            {"role": "system", "content": self._fill(self.system, values)},
            {"role": "user", "content": self._fill(self.user, values)},
        ]

    def _fill(self, section: str, values: dict[str, str]) -> str:
        # One pass over the template only: text inside a value is never expanded again.
        return _PLACEHOLDER.sub(lambda m: values[m.group(1)], section)


def parse_template(text: str, origin: str) -> PromptTemplate:
    if not text.startswith("---\n"):
        raise PromptError(f"{origin}: a prompt file starts with a '---' header")
    try:
        header, body = text[4:].split("\n---\n", 1)
    except ValueError:
        raise PromptError(f"{origin}: the header is not closed by '---'") from None
    meta: dict[str, str] = {}
    for line in header.splitlines():
        if ":" in line:
            k, v = line.split(":", 1)
            meta[k.strip()] = v.strip()
    for required in ("name", "version", "variables"):
        if required not in meta:
            raise PromptError(f"{origin}: header lacks '{required}'")
    variables = tuple(v.strip() for v in meta["variables"].strip("[]").split(",") if v.strip())
    parts = _SECTION.split(body)
    sections = dict(zip(parts[1::2], (p.strip("\n") for p in parts[2::2]), strict=True))
    if set(sections) != {"system", "user"}:
        raise PromptError(f"{origin}: needs '=== system ===' and '=== user ===' sections")
    used = {m.group(1) for s in sections.values() for m in _PLACEHOLDER.finditer(s)}
    if used != set(variables):
        raise PromptError(f"{origin}: placeholders {sorted(used)} differ from declared {sorted(variables)}")
    return PromptTemplate(
        name=meta["name"],
        version=meta["version"],
        variables=variables,
        system=sections["system"],
        user=sections["user"],
        sha=hashlib.sha256(text.encode("utf-8")).hexdigest(),
    )


def load_prompt(name: str) -> PromptTemplate:
    for d in _prompt_dirs():
        path = d / f"{name}.md"
        if path.is_file():
            return parse_template(path.read_text(encoding="utf-8"), str(path))
    raise PromptError(f"no prompt template named {name!r} in {[str(d) for d in _prompt_dirs()]}")


def delimiter_for(article_text: str) -> str:
    """A fence derived from the text's own hash: the article cannot contain the fence that wraps it."""
    salt = 0
    while True:
        digest = hashlib.sha256(f"{salt}:{article_text}".encode()).hexdigest()[:16].upper()
        fence = f"<<<ARTICLE-{digest}>>>"
        if fence not in article_text:
            return fence
        salt += 1
