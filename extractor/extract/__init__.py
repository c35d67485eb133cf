"""Extraction: what to ask the model about an article (strategies), how a proposal becomes a grounded,
normalised Claim (build), and the batch pipeline with its leases and recordings (pipeline)."""
