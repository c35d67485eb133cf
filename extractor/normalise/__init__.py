"""Normalisers: quoted phrases to typed values."""
