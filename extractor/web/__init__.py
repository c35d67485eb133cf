"""`claimdiff serve`: a local review page over the same store the CLI uses."""

from extractor.web.app import create_app

__all__ = ["create_app"]
