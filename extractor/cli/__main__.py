"""`python -m extractor.cli`: the same as the `claimdiff` command."""

from extractor.cli import main

main()
