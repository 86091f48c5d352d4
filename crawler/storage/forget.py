"""Taking an article down (`jpnews forget`): a takedown or legal request removes what we hold
of it and keeps only a tombstone, so that nothing brings it back by accident.

What an article leaves in the database, and where it goes:

    articles            the row: deleted (its 'removed' change goes to the feed by trigger)
    article_versions    every text it had: deleted with it (ON DELETE CASCADE)
    article_search      its search document: deleted with it (CASCADE)
    lsh_bands           its near-duplicate keys: deleted with it (CASCADE)
    story_members       its membership: deleted with it (CASCADE); other members that were
                        matched against it keep their membership, without the match
    stories             its story is recounted and given another representative, or deleted
                        when it was the only member
    raw_pages           the fetched pages of its URLs: deleted here (no key links them)
    forgotten           the tombstone: canonical URL, the address it was fetched at, its
                        former id, the reason and the time

The store (crawler/storage/articles.py) refuses tombstoned URLs, articles and raw pages alike,
until `jpnews forget URL --undo` lifts the tombstone; the undo does not bring anything back,
it only lets the next crawl or import store the URL again.

Everything happens in one transaction: a takedown is whole or not at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import psycopg

from crawler.storage import stories
from crawler.urls import canonicalize_url


@dataclass(frozen=True)
class Forgotten:
    canonical_url: str
    article_id: int | None
    """None: no article was stored under the URL; the tombstone still keeps it out."""
    versions: int
    raw_pages: int


@dataclass(frozen=True)
class Tombstone:
    canonical_url: str
    url: str | None
    article_id: int | None
    reason: str
    forgotten_at: datetime


def _find(cur: psycopg.Cursor, url: str) -> tuple[int, str, str, str, int | None] | None:
    """The stored article a URL names: by its canonical form (the identity), else as the
    address it was fetched at (a page whose rel=canonical named another URL)."""
    canonical = canonicalize_url(url)
    row = cur.execute(
        """SELECT id, url, canonical_url, source, story_id FROM articles
           WHERE canonical_url = ANY(%s) FOR UPDATE""", ([canonical, url],)).fetchone()
    if row is None:  # no index on articles.url: only when the identity did not find it
        row = cur.execute(
            """SELECT id, url, canonical_url, source, story_id FROM articles
               WHERE url = %s FOR UPDATE""", (url,)).fetchone()
    return row


def _page_urls(cur: psycopg.Cursor, source: str, canonical: str, known: set[str]) -> list[str]:
    """The raw pages' URLs that are this article's: its addresses, and any other spelling of
    it the crawler fetched (tracking parameters, AMP, mobile hosts), found by canonicalising
    the outlet's page URLs. A takedown is rare; reading one outlet's URLs is affordable."""
    urls = set(known)
    for (page_url,) in cur.execute("SELECT DISTINCT url FROM raw_pages WHERE source = %s",
                                   (source,)):
        if page_url not in urls and canonicalize_url(page_url) == canonical:
            urls.add(page_url)
    return sorted(urls)


def forget(conn: psycopg.Connection, url: str, reason: str) -> Forgotten:
    """Delete the article stored under `url` (if any) with its versions, search document,
    story membership and raw pages, and keep a tombstone that keeps the URL out."""
    with conn.transaction(), conn.cursor() as cur:
        found = _find(cur, url)
        if found is None:
            canonical = canonicalize_url(url)
            fetched = url if url != canonical else None
            page_urls = list(dict.fromkeys((url, canonical)))
            raw = cur.execute("DELETE FROM raw_pages WHERE url = ANY(%s)", (page_urls,)).rowcount
            article_id, versions = None, 0
        else:
            article_id, fetched_at, canonical, source, story_id = found
            fetched = fetched_at if fetched_at != canonical else (
                url if url != canonical else None)
            page_urls = _page_urls(cur, source, canonical, {url, fetched_at, canonical})
            raw = cur.execute("DELETE FROM raw_pages WHERE url = ANY(%s)", (page_urls,)).rowcount
            versions = cur.execute("SELECT count(*) FROM article_versions WHERE article_id = %s",
                                   (article_id,)).fetchone()[0]
            cur.execute("DELETE FROM articles WHERE id = %s", (article_id,))
            if story_id is not None:
                stories.refresh(cur, [story_id])
        cur.execute(
            """INSERT INTO forgotten (canonical_url, url, article_id, reason)
               VALUES (%s, %s, %s, %s)
               ON CONFLICT (canonical_url) DO UPDATE SET
                   url = coalesce(EXCLUDED.url, forgotten.url),
                   article_id = coalesce(EXCLUDED.article_id, forgotten.article_id),
                   reason = EXCLUDED.reason, forgotten_at = now()""",
            (canonical, fetched, article_id, reason))
    return Forgotten(canonical, article_id, int(versions), max(raw, 0))


def undo(conn: psycopg.Connection, url: str) -> list[str]:
    """Lift the tombstones `url` names (by either identity); returns their canonical URLs.
    Nothing comes back: the next crawl or import may store the URL again."""
    canonical = canonicalize_url(url)
    with conn.transaction():
        rows = conn.execute(
            """DELETE FROM forgotten
               WHERE canonical_url = ANY(%(urls)s) OR url = ANY(%(urls)s)
               RETURNING canonical_url""", {"urls": [canonical, url]}).fetchall()
    return sorted(row[0] for row in rows)


def tombstones(conn: psycopg.Connection) -> list[Tombstone]:
    """Every tombstone, newest first."""
    rows = conn.execute("""SELECT canonical_url, url, article_id, reason, forgotten_at
                           FROM forgotten ORDER BY forgotten_at DESC, canonical_url""")
    return [Tombstone(*row) for row in rows]
