"""Ingest: files, folders and JSONL turned into Article records, or BadInputErrors that say why not."""

from extractor.ingest.metadata import Metadata
from extractor.ingest.read import (
    DEFAULT_MAX_BYTES,
    decode,
    iter_paths,
    read_article,
    read_jsonl,
    skipped_in_folder,
)

__all__ = [
    "DEFAULT_MAX_BYTES",
    "Metadata",
    "decode",
    "iter_paths",
    "read_article",
    "read_jsonl",
    "skipped_in_folder",
]
