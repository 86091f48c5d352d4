"""Only web addresses are stored: a `javascript:` or `file:` link in a page or a dump never
becomes an article's url, canonical_url or image_url (the search page would serve it as a live
link). A page keeps its own address when its canonical link is not a web one and loses a
hostile image; an imported record whose url is not a web address is refused with its line.
Through the real crawl of pages in Japan Today's markup, the real `jpnews import` and Postgres.
"""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import psycopg
from conftest import SAMPLE_NOW, run_jpnews
from newsroom import STORIES
from test_crawl import STORABLE, crawl
from test_import_trust import record, summary, write_lines

from crawler.demo.server import SiteServer
from crawler.demo.site import article_path, build_sample_site

HOSTILE = "javascript:alert(document.cookie)"
NOT_WEB = r"^(?!https?://)"  # a stored address that does not start as a web one
NOT_WEB_ROWS = f"""SELECT count(*) FROM articles WHERE url ~* '{NOT_WEB}'
                   OR canonical_url ~* '{NOT_WEB}' OR image_url ~* '{NOT_WEB}'"""


def test_crawled_pages_keep_their_own_address_and_lose_a_hostile_image(db: str) -> None:
    site = build_sample_site(SAMPLE_NOW)
    canonical_js, canonical_file, image_js = STORABLE[0], STORABLE[1], STORABLE[2]
    for sample, hostile in ((canonical_js, HOSTILE), (canonical_file, "file:///etc/passwd")):
        page = site.pages[article_path(sample)]
        html, found = re.subn(r'(<link rel="canonical" href=")[^"]*', rf"\g<1>{hostile}",
                              page.body.decode())
        assert found == 1
        site.pages[article_path(sample)] = dataclasses.replace(page, body=html.encode())
    page = site.pages[article_path(image_js)]
    html = page.body.decode()
    images = set(re.findall(r'https?://[^"\s]*/img/store/[^"\s]*\.jpg', html))
    assert images, "the page names its image"
    for image in images:
        html = html.replace(image, HOSTILE)
    site.pages[article_path(image_js)] = dataclasses.replace(page, body=html.encode())

    with SiteServer(site) as server:
        run = crawl(db, server.base_url)
    assert run["articles_new"] == len(STORABLE)
    assert run["stats"]["jpnews/links_refused/canonical_url"] == 2
    assert run["stats"]["jpnews/links_refused/image_url"] == 1
    assert "image_url left out, not an http(s) address: 'javascript:" in run["log"]
    with psycopg.connect(db) as conn:
        assert conn.execute(NOT_WEB_ROWS).fetchone()[0] == 0
        for sample in (canonical_js, canonical_file):
            assert conn.execute("SELECT count(*) FROM articles WHERE canonical_url = %s",
                                ("https://japantoday.com" + article_path(sample),)
                                ).fetchone()[0] == 1
        image = conn.execute("SELECT image_url FROM articles WHERE url LIKE %s",
                             (f"%/{image_js.slug}",)).fetchone()
        assert image == (None,)
        assert conn.execute("SELECT count(*) FROM articles WHERE image_url IS NULL"
                            ).fetchone()[0] == 1


def test_an_imported_record_with_no_web_url_is_refused_with_its_line(db: str,
                                                                     tmp_path: Path) -> None:
    ferry, orchard, library, bridge = ("\n\n".join(STORIES[s]) for s in STORIES)
    dump = write_lines(tmp_path / "hostile.jsonl", [
        json.dumps(record("ferry-sailings", ferry)),
        json.dumps({**record("orchard", orchard), "url": HOSTILE}),
        json.dumps({**record("library", library), "url": "file:///etc/passwd"}),
        json.dumps({**record("bridge", bridge), "url": "  JavaScript:alert(1)//https://x.org/"}),
        json.dumps(record("bridge-repairs", bridge, canonical_url=HOSTILE,
                          image_url="data:text/html,<script>alert(1)</script>")),
    ])
    done = run_jpnews("import", str(dump), "--database-url", db, "--allow-rejects")
    assert done.returncode == 0, done.stderr[-2000:]
    records, counts = summary(done.stdout)
    assert records == 5 and counts["new"] == 2 and counts["rejected"] == 3, done.stdout
    for line in (2, 3, 4):
        assert f"rejected hostile.jsonl:{line}: not_web_url" in done.stdout
    with psycopg.connect(db) as conn:
        assert conn.execute(NOT_WEB_ROWS).fetchone()[0] == 0
        assert conn.execute(
            "SELECT canonical_url, image_url FROM articles WHERE url LIKE '%/bridge-repairs'"
        ).fetchone() == ("https://news.example.org/local/bridge-repairs", None)
        stats = conn.execute("SELECT stats FROM crawl_runs ORDER BY id DESC LIMIT 1"
                             ).fetchone()[0]
    assert stats["jpnews/links_refused/canonical_url"] == 1
    assert stats["jpnews/links_refused/image_url"] == 1
