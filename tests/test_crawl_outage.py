"""`jpnews crawl` through a database outage that outlasts the crawl: its articles go to the
spill file, and the crawl's last line says where, so that they can be loaded again."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import psycopg
from conftest import ROOT, SAMPLE_NOW, run_jpnews
from test_crawl import FAST_FAILURE, STORABLE
from test_store_outage import Relay, relay  # noqa: F401 - the fixture

from crawler.demo.server import SiteServer
from crawler.demo.site import build_sample_site
from crawler.outcome import FETCHED, SPILL_FILE, SPILLED, summary


def test_after_a_lasting_outage_the_last_line_names_the_spill_file(
        db: str, relay: tuple[Relay, str]) -> None:  # noqa: F811
    proxy, url = relay
    with SiteServer(build_sample_site(SAMPLE_NOW)) as server:
        crawl = subprocess.Popen(
            [sys.executable, "-m", "crawler.cli", "crawl", "japantoday", "--database-url", url,
             "--base-url", f"japantoday={server.base_url}", *FAST_FAILURE,
             "-s", "JPNEWS_STORE_RETRIES=1", "-s", "JPNEWS_STORE_TIMEOUT=0.5"],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        # The run is opened and the outlet locked before the first page is asked for.
        while not server.requests and crawl.poll() is None:
            time.sleep(0.01)
        proxy.cut()
        out, err = crawl.communicate(timeout=240)
    assert crawl.returncode == 1, (out + err)[-3000:]
    assert "Traceback" not in out + err
    last = err.strip().splitlines()[-1]
    assert last.startswith(f"jpnews: error: japantoday: {len(STORABLE)} articles not stored, "
                           "saved to "), err[-3000:]
    spill = Path(last.split("saved to ", 1)[1].split(" (", 1)[0])
    assert last.endswith(f"(`jpnews import {spill}` stores them)")
    assert len(spill.read_text(encoding="utf-8").splitlines()) == len(STORABLE)

    done = run_jpnews("import", str(spill), "--database-url", db)  # the database is back
    assert done.returncode == 0, done.stderr[-3000:]
    with psycopg.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == len(STORABLE)


def test_the_outlet_summary_of_scrapy_crawl_names_the_spill_file_too() -> None:
    line = summary("japantoday", {FETCHED: 30, SPILLED: 12, SPILL_FILE: "/data/spill/x.jsonl"})
    assert line.endswith("; 12 articles not stored, saved to /data/spill/x.jsonl "
                         "(`jpnews import /data/spill/x.jsonl` stores them)")
    assert "saved to" not in summary("japantoday", {FETCHED: 30})
