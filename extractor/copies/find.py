"""Finding the copies among newly added articles (run when articles are added, before extraction).

Each new article's signature is looked up in an LSH index of the stored ones (`LSH_THRESHOLD` on the
estimated Jaccard similarity, so a copy with added boilerplate is still a candidate), and every
candidate is checked exactly (`align`: the original's shingles nearly all in the copy). Which of the
two is the original: the one published earlier when both state a date, else the one seen first. A
copy of a copy is recorded against the first original.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from datasketch import MinHashLSH

from extractor.copies.align import CopyAlignment, align
from extractor.copies.shingles import NUM_PERM, decode, encode, minhash, shingles
from extractor.records import Article, CopyRelation
from extractor.store import Store

LSH_THRESHOLD = 0.4


def _original_first(new: Article, old: Article) -> tuple[Article, Article, str]:
    """(original, copy, why): the earlier publication, else the article seen first (`old`)."""
    if new.published and old.published and new.published < old.published:
        return new, old, f"published earlier ({new.published} before {old.published})"
    if new.published and old.published and old.published < new.published:
        return old, new, f"published earlier ({old.published} before {new.published})"
    return old, new, "seen first"


class CopyIndex:
    """An LSH index over signatures, with the exact check on its candidates."""

    def __init__(self, load: Callable[[str], Article | None]) -> None:
        self.lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
        self.load = load
        self.known: dict[str, Article] = {}

    def add_signature(self, article_id: str, data: str) -> None:
        self.lsh.insert(article_id, decode(data))

    def check(self, article: Article) -> tuple[str, list[CopyRelation]]:
        """Index the article; its signature, and the copy relations it takes part in."""
        sig = minhash(shingles(article.text))
        found: list[tuple[CopyAlignment, CopyRelation]] = []
        for other_id in self.lsh.query(sig):
            if other_id == article.id:
                continue
            other = self.known.get(other_id) or self.load(other_id)
            if other is None:
                continue
            original, copy, why = _original_first(article, other)
            result = align(original.text, copy.text)
            if result.is_copy:
                found.append((result, _relation(copy, original, result, why)))
        if article.id not in self.lsh:  # the same text twice is one article
            self.lsh.insert(article.id, sig)
        self.known[article.id] = article
        # the new article is a copy of at most one original: the one it holds most of
        mine = sorted((f for f in found if f[1].article_id == article.id), key=lambda f: -f[0].containment)
        theirs = [f[1] for f in found if f[1].article_id != article.id]
        return encode(sig), [m[1] for m in mine[:1]] + theirs


def _relation(copy: Article, original: Article, result: CopyAlignment, why: str) -> CopyRelation:
    return CopyRelation(
        article_id=copy.id,
        original_id=original.id,
        similarity=round(result.similarity, 4),
        containment=round(result.containment, 4),
        edited=result.edited,
        basis=why,
    )


def find_copies(store: Store, articles: Iterable[Article]) -> list[CopyRelation]:
    """Sign the articles not signed yet, and record which are copies of which."""
    signed = store.signed()
    new = [a for a in articles if a.id not in signed]
    if not new:
        return []
    index = CopyIndex(store.article)
    for article_id, data in store.signatures():
        index.add_signature(article_id, data)
    rows: list[tuple[str, str]] = []
    relations: dict[str, CopyRelation] = {}
    for a in new:
        data, found = index.check(a)
        rows.append((a.id, data))
        for r in found:
            relations[r.article_id] = r
    known = store.copies()
    # a copy of a copy is a copy of the first original
    for cid, r in list(relations.items()):
        seen = {cid}
        original = r.original_id
        while original in relations or original in known:
            nxt = (relations.get(original) or known[original]).original_id
            if nxt in seen:
                break
            seen.add(original)
            original = nxt
        if original != r.original_id:
            relations[cid] = r.model_copy(update={"original_id": original, "basis": r.basis + "; via a copy"})
    store.save_signatures(rows)
    store.save_copies(list(relations.values()))
    return list(relations.values())
