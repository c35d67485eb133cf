"""Republished copies: an article that is another's text with a new header, tags, captions and a
footer is a copy, not a second source.

- `shingles`: word shingles and their MinHash signatures (datasketch), so a new article is compared
  with the few stored ones an LSH index puts in its buckets, never with every article;
- `align`: a candidate is a copy when the original's shingles are nearly all in it (containment, so
  added boilerplate does not hide a copy, and two reports that quote one readout are not copies);
  the alignment of their sentences says which of the copy's passages are the original's, which are
  added around it (boilerplate) and which were edited;
- `find`: the use-case run when articles are added: signatures stored, relations recorded with the
  original (earlier publication, else first seen), the similarity and whether the copy was edited.
"""

from extractor.copies.align import CopyAlignment, align
from extractor.copies.find import find_copies
from extractor.copies.shingles import containment, minhash, shingles

__all__ = ["CopyAlignment", "align", "containment", "find_copies", "minhash", "shingles"]
