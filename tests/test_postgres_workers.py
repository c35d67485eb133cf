"""Four `claimdiff extract` processes on one PostgreSQL database share the pending articles.

Runs in the suite's PostgreSQL pass (CLAIMDIFF_TEST_DATABASE_URL, set by .ci/run); the processes
talk to the FAKE server of tests/fake_server.py on loopback (no model, no recording).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from tests.conftest import PG_URL, pg_url_for
from tests.fake_server import FakeOpenAIServer
from tests.test_batch_crash import clean_run, start, write_articles

pytestmark = [
    pytest.mark.skipif(not PG_URL, reason="runs in the PostgreSQL pass (CLAIMDIFF_TEST_DATABASE_URL)"),
    pytest.mark.block_network(allowed_hosts=["127.0.0.1"]),
]


def rows(url: str, sql: str) -> list[tuple]:  # type: ignore[type-arg]
    import psycopg

    with psycopg.connect(url) as con:
        return con.execute(sql).fetchall()


def test_four_workers_on_one_postgres_database_extract_every_article_once(tmp_path: Path) -> None:
    folder = tmp_path / "batch"
    names = write_articles(folder, 16)
    _, clean_sentences = clean_run(folder, tmp_path)  # one uninterrupted run, for the call count
    url = pg_url_for(tmp_path / "shared")  # a new, empty schema: the workers also race to migrate it
    server = FakeOpenAIServer(latency=0.03)
    with server.running():
        procs = [start(folder, url, server, tmp_path, "--concurrency", "2") for _ in range(4)]  # type: ignore[arg-type]
        results = [p.communicate(timeout=300) for p in procs]
    for proc, (_, errs) in zip(procs, results, strict=True):
        assert proc.returncode == 0, errs
    extractions = rows(url, "SELECT article_id, status FROM extractions")
    assert Counter(a for a, s in extractions if s == "done") == Counter(dict.fromkeys(names, 1))
    assert len(extractions) == len(names)
    # No article was extracted by two workers: the calls are exactly one clean run's.
    assert server.calls == len(clean_sentences)
    assert rows(url, "SELECT COUNT(*) FROM calls")[0][0] == len(clean_sentences)
    per_article = dict(rows(url, "SELECT article_id, COUNT(*) FROM claims GROUP BY article_id"))
    assert set(per_article) == set(names) and all(per_article.values())
