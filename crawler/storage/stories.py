"""Story clusters: which stored articles tell the same story, decided in the store's transaction.

The LSH band keys of the batch's new and changed texts go into `lsh_bands`; one query returns
every stored article (earlier batches, other processes, earlier runs, this batch) that shares a
band with one of them; their MinHash signatures decide, in Python, which story each new text
joins: the story of its most similar candidate at or above THRESHOLD, else a story of its own.
Nothing is deleted; a changed text leaves its story and is matched again like a new one.
An advisory lock serialises this step between crawler processes, so two copies of one wire
story crawled at the same moment by two processes still land in one story. Its wait is bounded
by the session's lock_timeout (crawler/storage/db.py), and a holder whose client went silent is
ended by the server's idle-in-transaction timeout: a lock timeout is transient, the batch kept
and retried by the store, so a stalled crawler never holds the others.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import psycopg

from crawler.fingerprint import similarity
from crawler.items import Article

THRESHOLD = 0.5
"""Estimated Jaccard of 5-word (Japanese: 4-character) shingles at which two texts are copies.
Wire copies with new headers, datelines, re-paragraphing or a paragraph dropped score 0.6-1.0;
two outlets' own reports of one event score below 0.1 (measured: bench/dedup.py)."""
DEDUP_LOCK = 7_301_906
MAX_KEY_FANOUT = 200
"""A band key shared by more articles than this is boilerplate (a stock footer), not a story."""
# Wire agencies that are also outlets here: their own copy represents a cluster of its copies.
AGENCY_OUTLETS = ("kyodo",)


@dataclass
class DedupResult:
    first: int = 0
    """Texts that began a story of their own."""
    exact: int = 0
    """Texts identical (after normalisation) to a stored one: joined its story."""
    near: int = 0
    """Near-copies of a stored text: joined its story."""
    joined_new: int = 0
    """Of the exact and near copies, those that were new articles (not a new text of a
    stored one): a summary that adds up counts them apart from `new`."""

    @property
    def duplicates(self) -> int:
        return self.exact + self.near


def assign(cur: psycopg.Cursor, changed: Sequence[tuple[int, Article, bool]]) -> DedupResult:
    """Attach each (article id, article, was it inserted) whose text is new to a story."""
    result = DedupResult()
    rows = [(article_id, article) for article_id, article, _ in changed if article.minhash]
    inserted_ids = {article_id for article_id, _, was_inserted in changed if was_inserted}
    if not rows:
        return result
    cur.execute("SELECT pg_advisory_xact_lock(%s)", (DEDUP_LOCK,))
    ids = [article_id for article_id, _ in rows]
    rechecked = [article_id for article_id, _, inserted in changed if not inserted]
    touched: set[int] = set(_leave_stories(cur, rechecked)) if rechecked else set()
    cur.execute("DELETE FROM lsh_bands WHERE article_id = ANY(%s)", (ids,))
    with cur.copy("COPY lsh_bands (band, key, article_id) FROM STDIN") as copy:
        for article_id, article in rows:
            for band, key in enumerate(article.lsh_bands):
                copy.write_row((band, key, article_id))

    # One index probe per (band, key) of the batch, each stopping after MAX_KEY_FANOUT + 1
    # rows: the cost is the batch's size, never the index's, whatever the planner's statistics
    # say about a table that grew by a million rows since they were taken.
    cur.execute(
        """SELECT m.article_id, m.band, o.article_id
           FROM lsh_bands m CROSS JOIN LATERAL (
               SELECT x.article_id FROM lsh_bands x
               WHERE x.band = m.band AND x.key = m.key AND x.article_id <> m.article_id
               LIMIT %s) o
           WHERE m.article_id = ANY(%s)""",
        (MAX_KEY_FANOUT + 1, ids), prepare=False)
    per_key: dict[tuple[int, int], list[int]] = {}
    for article_id, band, other in cur:
        per_key.setdefault((article_id, band), []).append(other)
    candidates: dict[int, set[int]] = {article_id: set() for article_id in ids}
    for (article_id, _), others in per_key.items():
        if len(others) <= MAX_KEY_FANOUT:
            candidates[article_id].update(others)
    known: dict[int, tuple[bytes | None, str | None, int | None]] = {}
    others = list({c for found in candidates.values() for c in found} - set(ids))
    if others:
        cur.execute("SELECT id, minhash, text_fingerprint, story_id FROM articles "
                    "WHERE id = ANY(%s)", (others,))
        known = {row[0]: (row[1], row[2], row[3]) for row in cur}
    for article_id, article in rows:
        known[article_id] = (article.minhash, article.text_fingerprint, None)

    # Earliest first, so that a cluster forms around the first published copy.
    order = sorted(rows, key=lambda r: (r[1].published_at is None, r[1].published_at or 0, r[0]))
    new_stories: list[int] = []
    memberships: list[tuple[int, int, int | None, float, str]] = []  # story, article, matched...
    story_of: dict[int, int] = {}
    for article_id, article in order:
        best: tuple[float, int, int] | None = None
        for other in candidates[article_id]:
            signature, fingerprint, story = known.get(other, (None, None, None))
            story = story_of.get(other, story)
            if story is None or signature is None:
                continue
            score = 1.0 if fingerprint == article.text_fingerprint else \
                similarity(article.minhash, bytes(signature))
            if score >= THRESHOLD and (best is None or score > best[0]):
                best = (score, other, story)
        if best is None:
            story_of[article_id] = -len(new_stories) - 1  # placeholder until ids are drawn
            new_stories.append(article_id)
            memberships.append((story_of[article_id], article_id, None, 1.0, "first"))
            result.first += 1
        else:
            score, other, story = best
            story_of[article_id] = story
            kind = "exact" if score == 1.0 and known[other][1] == article.text_fingerprint \
                else "near"
            memberships.append((story, article_id, other, score, kind))
            result.exact += kind == "exact"
            result.near += kind == "near"
            result.joined_new += article_id in inserted_ids

    drawn: dict[int, int] = {}
    if new_stories:
        cur.execute("SELECT nextval('stories_id_seq') FROM generate_series(1, %s)",
                    (len(new_stories),))
        for placeholder, (story_id,) in enumerate(cur.fetchall()):
            drawn[-placeholder - 1] = story_id
        with cur.copy("COPY stories (id, representative_id) FROM STDIN") as copy:
            for placeholder, article_id in enumerate(new_stories):
                copy.write_row((drawn[-placeholder - 1], article_id))
    final = [(drawn.get(s, s), a, m, round(sim, 4), k) for s, a, m, sim, k in memberships]
    with cur.copy("COPY story_members (story_id, article_id, matched_id, similarity, match) "
                  "FROM STDIN") as copy:
        for row in final:
            copy.write_row(row)
    cur.execute("UPDATE articles a SET story_id = u.story_id "
                "FROM unnest(%s::bigint[], %s::bigint[]) AS u(article_id, story_id) "
                "WHERE a.id = u.article_id",
                ([a for _, a, *_ in final], [s for s, *_ in final]))
    touched |= {story for story, _, _, _, kind in final if kind != "first"}
    if touched:
        refresh(cur, sorted(touched))
    return result


def _leave_stories(cur: psycopg.Cursor, article_ids: list[int]) -> list[int]:
    """Take changed texts out of their stories (to be matched again); returns those stories."""
    cur.execute("DELETE FROM story_members WHERE article_id = ANY(%s) RETURNING story_id",
                (article_ids,))
    stories = sorted({row[0] for row in cur})
    cur.execute("UPDATE articles SET story_id = NULL WHERE id = ANY(%s)", (article_ids,))
    return stories


def refresh(cur: psycopg.Cursor, story_ids: list[int]) -> None:
    """Member counts and representatives of stories whose members changed: the wire agency's
    own copy when the cluster has one, else the earliest published copy. Empty stories go."""
    cur.execute(
        """WITH ranked AS (
               SELECT DISTINCT ON (m.story_id) m.story_id, m.article_id,
                      count(*) OVER (PARTITION BY m.story_id) AS members
               FROM story_members m JOIN articles a ON a.id = m.article_id
               WHERE m.story_id = ANY(%(ids)s)
               ORDER BY m.story_id, (a.source = ANY(%(agencies)s)) DESC,
                        a.published_at ASC NULLS LAST, a.id)
           UPDATE stories s SET representative_id = r.article_id, members = r.members,
                                updated_at = now()
           FROM ranked r WHERE s.id = r.story_id""",
        {"ids": story_ids, "agencies": list(AGENCY_OUTLETS)})
    cur.execute("""DELETE FROM stories s WHERE s.id = ANY(%s)
                   AND NOT EXISTS (SELECT 1 FROM story_members m WHERE m.story_id = s.id)""",
                (story_ids,))
