"""Tests cannot reach the network: a real openai client call fails before any byte leaves."""

from __future__ import annotations

import gc
import socket

import pytest

from extractor.errors import TransportError
from extractor.providers.client import LLMClient
from extractor.providers.config import ProviderConfig
from extractor.records import ProposedClaim

# The guard refuses connect() on a socket it then leaves to the garbage collector.
pytestmark = pytest.mark.filterwarnings(
    "ignore::pytest.PytestUnraisableExceptionWarning", "ignore::ResourceWarning"
)


def test_sockets_are_blocked() -> None:
    s = socket.socket()
    try:
        with pytest.raises(Exception, match=r"[Nn]etwork"):
            s.connect(("127.0.0.1", 9))
    finally:
        s.close()


def test_a_live_call_cannot_escape() -> None:
    config = ProviderConfig(base_url="http://127.0.0.1:9/v1", model="m", transport_retries=0)
    with pytest.raises(TransportError) as info:
        LLMClient(config).structured([{"role": "user", "content": "x"}], ProposedClaim)
    chain: list[str] = []
    e: BaseException | None = info.value.original
    while e is not None and len(chain) < 10:
        chain.append(repr(e))
        e = e.__cause__ or e.__context__
    assert any("Network is disabled" in r for r in chain), chain
    gc.collect()
