"""`claimdiff serve` as its own process on a PostgreSQL store: pages, a decision, a stale decision.

Runs in the suite's PostgreSQL pass (CLAIMDIFF_TEST_DATABASE_URL, set by .ci/run). The server
listens on a free loopback port and is stopped whatever the test does.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import lxml.html
import pytest

from tests.conftest import PG_URL, pg_url_for
from tests.review_data import ReviewData, build_review_db
from tests.serving import serving

pytestmark = [
    pytest.mark.skipif(not PG_URL, reason="runs in the PostgreSQL pass (CLAIMDIFF_TEST_DATABASE_URL)"),
    pytest.mark.block_network(allowed_hosts=["127.0.0.1"]),
]


@dataclass
class Served:
    base: str
    url: str  # the store's PostgreSQL URL (its own schema)
    data: ReviewData


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    data = build_review_db(tmp_path / "data")  # in this pass: the schema pg_url_for(data.db)
    url = pg_url_for(data.db)
    with serving(url, tmp_path / "serve.log", "ana") as base:
        yield Served(base, url, data)


def decisions(url: str, conflict_id: str) -> list[tuple[int, str, str, str | None]]:
    import psycopg

    with psycopg.connect(url) as con:
        return con.execute(
            "SELECT id, status, reviewer, note FROM decisions WHERE conflict_id = %s ORDER BY id",
            (conflict_id,),
        ).fetchall()


def hidden_inputs(html: str) -> dict[str, str]:
    form = lxml.html.fromstring(html).xpath("//form[@class='decide']")[0]
    return {i.get("name"): i.get("value") for i in form.xpath(".//input[@type='hidden']")}


def test_the_served_postgres_store_lists_shows_records_a_decision_and_refuses_a_stale_one(
    served: Served,
) -> None:
    s1 = served.data.s1
    with httpx.Client(base_url=served.base, timeout=60) as client:
        listing = client.get("/")
        assert listing.status_code == 200
        links = lxml.html.fromstring(listing.text).xpath("//a/@href")
        assert f"/conflicts/{s1}" in links

        page = client.get(f"/conflicts/{s1}")
        assert page.status_code == 200
        form = hidden_inputs(page.text)
        assert form["version"] == "0" and form["csrf"]

        decide = {**form, "status": "confirmed", "note": "Kremlin readout says 3 July"}
        accepted = client.post(f"/conflicts/{s1}/decide", data=decide, headers={"Origin": served.base})
        assert accepted.status_code == 303
        decided = parse_qs(urlsplit(accepted.headers["location"]).query)["decided"]
        assert decisions(served.url, s1) == [
            (int(decided[0]), "confirmed", "ana", "Kremlin readout says 3 July")
        ]

        # The same form again: version 0 is stale now, so nothing is written and the page says so.
        stale = client.post(
            f"/conflicts/{s1}/decide",
            data={**form, "status": "dismissed", "note": "a second look"},
            headers={"Origin": served.base},
        )
        assert stale.status_code == 409
        assert "Not recorded" in stale.text and "a second look" in stale.text
        assert [row[1] for row in decisions(served.url, s1)] == ["confirmed"]
        assert hidden_inputs(stale.text)["version"] == decided[0]
