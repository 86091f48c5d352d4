"""What earlier crawls know of an outlet's pages, for crawler/incremental.py, and its answers.

Known article pages come from two places: `page_checks` rows, written with each raw page
(crawler/storage/articles.py), and the `articles` table itself, for articles that came by import
or before incremental crawls existed. A page that gave an article counts as known only once
that article is stored: a crawl killed between the two batches fetches it again.
"""

from __future__ import annotations

from collections.abc import Sequence

import psycopg

from crawler.incremental import Answer, KnownPage, Validators
from crawler.urls import canonicalize_url

_ARTICLE_PAGES = """
SELECT canonical_url, url, etag, last_modified, first_checked_at, checked_at, gave_article
FROM page_checks WHERE source = %s AND kind = 'article'
"""
_ARTICLES = """
SELECT canonical_url, url, published_at, first_seen_at, crawled_at
FROM articles WHERE source = %s
"""
_DISCOVERY = """
SELECT url, etag, last_modified FROM page_checks WHERE source = %s AND kind <> 'article'
"""
_SAVE = """
INSERT INTO page_checks AS c (url, canonical_url, source, kind, etag, last_modified,
                              first_checked_at, checked_at, fetched_at)
VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)
ON CONFLICT (url) DO UPDATE SET
    kind = EXCLUDED.kind, etag = EXCLUDED.etag, last_modified = EXCLUDED.last_modified,
    checked_at = greatest(c.checked_at, EXCLUDED.checked_at),
    fetched_at = coalesce(greatest(c.fetched_at, EXCLUDED.fetched_at), c.fetched_at)
"""


def load(conn: psycopg.Connection, source: str) -> tuple[dict[str, KnownPage],
                                                          dict[str, Validators]]:
    """The outlet's known article pages by canonical URL, and its discovery validators by URL."""
    pages: dict[str, KnownPage] = {}
    waiting: set[str] = set()  # pages whose article is not (yet) stored
    for canonical, url, etag, last_modified, first_checked, checked, gave_article in \
            conn.execute(_ARTICLE_PAGES, (source,)):
        pages[canonical] = KnownPage(url, first_checked, checked, Validators(etag, last_modified))
        if gave_article:
            waiting.add(canonical)
    known = {key: page for key, page in pages.items() if key not in waiting}
    for canonical, url, published, first_seen, crawled_at in conn.execute(_ARTICLES, (source,)):
        for key in {canonical, canonicalize_url(url)}:
            page = pages.get(key)
            if page is None:  # imported, or stored before incremental crawls
                known[key] = KnownPage(url, published or first_seen, crawled_at)
            else:  # its publication beats its first fetch as the age's start
                known[key] = KnownPage(page.url, published or page.anchor,
                                       max(page.last_checked, crawled_at), page.validators)
    discovery = {url: Validators(etag, last_modified)
                 for url, etag, last_modified in conn.execute(_DISCOVERY, (source,))}
    return known, discovery


def save(conn: psycopg.Connection, source: str, answers: Sequence[Answer]) -> None:
    with conn.transaction(), conn.cursor() as cur:
        cur.executemany(_SAVE, [
            (a.url, canonicalize_url(a.url), source, a.kind, a.validators.etag,
             a.validators.last_modified, a.checked_at, a.checked_at,
             a.checked_at if a.fetched else None) for a in answers])

