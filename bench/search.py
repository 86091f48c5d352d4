"""Search latency over 100,000 generated articles, half English and half Japanese.

The articles go in as a crawl stores them (normalise → text identity → ArticleStore.write in
batches of 500, story matching included), so the load rate is the store's rate with the search
document of migration 004 computed by Postgres. About 10 % are wire copies of an earlier
article on another outlet (the variant functions of bench/dedup.py), so results collapse by
story as they do for users. Publication times spread over two years, so the default window
(1 year) keeps about half.

Queries are drawn from the corpus itself: English words and two-word phrases at several
document frequencies (counted on a sample of the generated texts), Japanese topic words of two
and four characters, single kanji, and a word with the group filter and the 1-year window.
Every query runs as `/api/search` runs it (`crawler.storage.search.search`: one result per
story, facets per source and day, snippets): p50/p95 over all runs of a kind. The most common
single kanji (県, in nearly every Japanese article) is reported on its own line as the worst
case.

A second, smaller load measures what the new document costs the store: the same articles into
a database with the new document, and into one with the old one (migration 001's).

    python bench/search.py [--articles 100000] [--server URL] [--runs 20] [--reuse]
                           [--store-compare 10000] [--no-write]

`--reuse` keeps an already loaded database (`jpnews_bench_search`) of the right size.
"""

from __future__ import annotations

import argparse
import functools
import random
import re
import resource
import sys
import time
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench import results as results_file  # noqa: E402
from bench.dedup import Context, Text, applicable, make_variant  # noqa: E402
from bench.search_data import TOPICS  # noqa: E402
from bench.search_data import generate as generate_japanese  # noqa: E402
from crawler.demo.site import _generate_articles  # noqa: E402
from crawler.fingerprint import identity  # noqa: E402
from crawler.items import Article, RawArticle  # noqa: E402
from crawler.normalize import Rejected, normalize  # noqa: E402
from crawler.query import parse  # noqa: E402
from crawler.storage.articles import ArticleStore  # noqa: E402
from crawler.storage.db import open_pool, prepare  # noqa: E402
from crawler.storage.search import SearchRequest, search  # noqa: E402

SECTION = "search"
DATABASE = "jpnews_bench_search"
BATCH = 500
DUP_SHARE = 0.10
SPAN_DAYS = 730
EN_OUTLETS = ("japantoday", "japannews", "japantimes", "mainichi_en", "asahi_ajw", "nippon_com",
              "soranews24", "japanforward")
JA_OUTLETS = ("yomiuri", "asahi", "mainichi", "nikkei", "tokyo_np")
_VARIANTS = ("credit_footer", "dateline_toggle", "dateline_restyled", "small_edits",
             "paragraphs_merged", "dropped_last", "sentence_added", "related_footer")
_WORD = re.compile(r"[A-Za-z]{4,}")


# ---- the generated corpus ---------------------------------------------------------------------

def original_text(seed: int, i: int) -> Text:
    """Original article i, regenerated from its own seed (nothing keeps earlier articles)."""
    rng = random.Random(f"{seed}:text:{i}")
    if i % 2 == 0:
        article = _generate_articles(1, rng)[0]
        return Text(article.title, tuple(article.paragraphs), "en")
    japanese = generate_japanese(rng)
    return Text(japanese.title, japanese.paragraphs, "ja", place="東京")


@dataclass(frozen=True)
class Planned:
    text: Text
    source: str
    published: datetime
    credit: str | None


@functools.cache
def _context(seed: int) -> Context:
    """Headlines a "Related coverage" footer of a copy may borrow."""
    texts = [original_text(seed, i) for i in range(40)]
    return Context({lang: [t.title for t in texts if t.language == lang] for lang in ("en", "ja")})


def is_copy(seed: int, i: int) -> bool:
    return i >= 200 and random.Random(f"{seed}:dup:{i}").random() < DUP_SHARE


def planned(seed: int, i: int, now: datetime) -> Planned:
    """Article i: an original on an outlet of its language, or a wire copy of an earlier
    original of the same language on another outlet, published a few hours later."""
    rng = random.Random(f"{seed}:plan:{i}")
    root = i
    while is_copy(seed, root):
        root = random.Random(f"{seed}:root:{root}").randrange(root % 2, root, 2)
    published = now - timedelta(days=random.Random(f"{seed}:age:{root}").uniform(0, SPAN_DAYS))
    outlets = EN_OUTLETS if root % 2 == 0 else JA_OUTLETS
    text = original_text(seed, root)
    if root == i:
        wire = rng.random() < 0.3
        source = "kyodo" if wire and text.language == "en" else rng.choice(outlets)
        credit = ("© KYODO" if text.language == "en" else "共同") if wire else None
        return Planned(text, source, published, credit)
    kinds = [k for k in _VARIANTS if applicable(k, text)]
    _, copy = make_variant(rng.choice(kinds), text, rng, _context(seed))
    credit = "© KYODO" if text.language == "en" else "共同"
    return Planned(copy, rng.choice(outlets), published + timedelta(hours=rng.uniform(0.5, 9)),
                   credit)


def article(seed: int, i: int, now: datetime) -> Article | None:
    """Article i as the crawler would store it; None when the normaliser refuses it (a copy
    trimmed below the minimum length), as a crawl drops such a page."""
    plan = planned(seed, i, now)
    raw = RawArticle(
        url=f"https://bench.invalid/{plan.source}/{i}", source=plan.source, crawled_at=now,
        title=plan.text.title, paragraphs=list(plan.text.body.split("\n\n")),
        published=plan.published.isoformat(), language=plan.text.language, credit=plan.credit,
        page_type="article", provenance={"bench": "search"})
    try:
        stored = normalize(raw)
    except Rejected:
        return None
    text = identity(stored.title, stored.body)
    stored.text_fingerprint, stored.minhash, stored.lsh_bands = (text.fingerprint, text.signature,
                                                                 text.bands)
    return stored


@dataclass
class Load:
    articles: int
    refused: int
    prepare_s: float
    write_s: float

    @property
    def per_second(self) -> float:
        return self.articles / self.write_s if self.write_s else 0.0


def load(url: str, n: int, seed: int, now: datetime, label: str) -> Load:
    pool = open_pool(url, max_size=2)
    store = ArticleStore(pool)
    prepare_s = write_s = 0.0
    refused = stored = 0
    started = time.monotonic()
    try:
        for start in range(0, n, BATCH):
            t0 = time.process_time()
            made = [article(seed, i, now) for i in range(start, min(n, start + BATCH))]
            batch = [a for a in made if a is not None]
            refused += len(made) - len(batch)
            prepare_s += time.process_time() - t0
            t1 = time.monotonic()
            store.write(batch)
            write_s += time.monotonic() - t1
            stored += len(batch)
            done = start + len(made)
            if done % 10_000 == 0 or done == n:
                print(f"  {label}: {done:,}/{n:,} made, {stored / write_s:,.0f} articles/s in "
                      f"the store, {time.monotonic() - started:,.0f} s", file=sys.stderr)
    finally:
        pool.close()
    return Load(stored, refused, prepare_s, write_s)


# ---- the queries ------------------------------------------------------------------------------

def vocabulary(conn: psycopg.Connection, seed: int,
               sample: int = 3000) -> tuple[list[str], list[str]]:
    """English words and adjacent word pairs at several document frequencies, counted on a
    sample of the generated English texts: from the most common to rare ones. Stop words of
    Postgres' `english` configuration are left out (a query of them is refused)."""
    words: Counter[str] = Counter()
    pairs: Counter[str] = Counter()
    for i in range(0, 2 * sample, 2):
        text = original_text(seed, i)
        tokens = _WORD.findall((text.title + " " + text.body).lower())
        words.update(set(tokens))
        pairs.update({f"{a} {b}" for a, b in zip(tokens, tokens[1:], strict=False)})
    stop = {w for w, lexemes in conn.execute(
        "SELECT w, plainto_tsquery('english', w)::text FROM unnest(%s::text[]) w",
        (list(words),)) if not lexemes} | {"said"}

    def spread(counter: Counter[str], k: int) -> list[str]:
        ranked = [w for w, _ in counter.most_common() if not set(w.split()) & stop]
        ranked = [w for w in ranked if counter[w] >= 3]
        return [ranked[int(j * (len(ranked) - 1) / (k - 1))] for j in range(k)]

    return spread(words, 12), spread(pairs, 12)


def query_kinds(conn: psycopg.Connection,
                seed: int) -> dict[str, list[tuple[str, dict[str, object]]]]:
    words, pairs = vocabulary(conn, seed)
    two = [t for t in TOPICS if len(t) == 2][:12]
    four = [t for t in TOPICS if len(t) == 4][:12]
    return {
        "English word": [(w, {}) for w in words],
        "English phrase": [(f'"{p}"', {}) for p in pairs],
        "Japanese, 2 characters": [(w, {}) for w in two],
        "Japanese, 4 characters": [(w, {}) for w in four],
        "single kanji": [(k, {}) for k in ("雨", "雪", "港", "森", "橋", "薬")],
        "word + group + 1 year": [(w, {"group": "media-jepang"}) for w in words[::2]],
        "single kanji 県 (worst case)": [("県", {})],
    }


def run_queries(url: str, runs: int, seed: int) -> list[tuple[str, list[float], int, int]]:
    now = datetime.now(timezone.utc)
    out = []
    with psycopg.connect(url) as conn:
        for kind, queries in query_kinds(conn, seed).items():
            times: list[float] = []
            hits: list[int] = []
            for q, extra in queries:
                request = SearchRequest(query=parse(q), since=now - timedelta(days=365),
                                        facets=True, now=now, **extra)  # type: ignore[arg-type]
                search(conn, request)  # warm: the first run of a query reads from disk
                for _ in range(runs):
                    t0 = time.perf_counter()
                    result = search(conn, request)
                    times.append((time.perf_counter() - t0) * 1000)
                hits.append(result.total_articles)
            out.append((kind, times, min(hits), max(hits)))
            print(f"  {kind}: p50 {percentile(times, 50):.1f} ms, p95 "
                  f"{percentile(times, 95):.1f} ms", file=sys.stderr)
    return out


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


# ---- databases --------------------------------------------------------------------------------

def database(server: str, name: str, *, fresh: bool) -> str:
    base, _, query = server.partition("?")
    url = base.rstrip("/").rsplit("/", 1)[0] + f"/{name}" + (f"?{query}" if query else "")
    with psycopg.connect(server.rstrip("/").rsplit("/", 1)[0] + "/postgres",
                         autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                               (name,)).fetchone()
        if exists and fresh:
            admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        if fresh or not exists:
            admin.execute(f'CREATE DATABASE "{name}"')
    prepare(url)
    return url


# What storing cost before search had an index of its own: migration 001's document, a
# generated column of `articles` (English stemming only; Japanese runs as single tokens).
OLD_DOCUMENT = """
    DROP TRIGGER articles_search_insert ON articles;
    DROP TRIGGER articles_search_update ON articles;
    ALTER TABLE articles ADD COLUMN search tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector(CASE WHEN language = 'en' THEN 'english'::regconfig
                                   ELSE 'simple'::regconfig END, coalesce(title, '')), 'A') ||
        setweight(to_tsvector(CASE WHEN language = 'en' THEN 'english'::regconfig
                                   ELSE 'simple'::regconfig END, coalesce(body, '')), 'B')
    ) STORED;
    CREATE INDEX articles_search_idx ON articles USING gin (search);
"""


def sizes(url: str) -> dict[str, float]:
    with psycopg.connect(url) as conn:
        row = conn.execute(
            """SELECT pg_relation_size('article_search_document_idx'),
                      (SELECT sum(pg_column_size(document)) FROM article_search),
                      pg_total_relation_size('article_search'),
                      pg_database_size(current_database()),
                      (SELECT count(*) FROM articles), (SELECT count(*) FROM stories),
                      (SELECT count(*) FROM articles WHERE language = 'ja')""").fetchone()
    mb = 1024 * 1024
    return {"index_mb": row[0] / mb, "tsvector_mb": float(row[1] or 0) / mb,
            "table_mb": row[2] / mb, "database_mb": row[3] / mb, "articles": row[4],
            "stories": row[5], "japanese": row[6]}


def maintain(url: str) -> None:
    """What autovacuum does after a bulk load: statistics and a clean GIN pending list."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE articles")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--server", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--store-compare", type=int, default=10_000)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    now = datetime.now(timezone.utc).replace(microsecond=0)

    url = database(args.server, DATABASE, fresh=not args.reuse)
    loaded = None
    with psycopg.connect(url) as conn:
        present = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    if not args.reuse or present == 0:
        url = database(args.server, DATABASE, fresh=True)
        print(f"loading {args.articles:,} articles into {DATABASE}", file=sys.stderr)
        loaded = load(url, args.articles, args.seed, now, "search corpus")
        maintain(url)
    stats = sizes(url)
    latencies = run_queries(url, args.runs, args.seed)

    compare: list[tuple[str, Load]] = []
    if args.store_compare:
        for label, sql in (("search index (004, 005)", None),
                           ("001's document", OLD_DOCUMENT)):
            other = database(args.server, DATABASE + "_store", fresh=True)
            if sql:
                with psycopg.connect(other, autocommit=True) as conn:
                    conn.execute(sql)
            compare.append((label, load(other, args.store_compare, args.seed + 1, now, label)))

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    report = render(args, stats, loaded, latencies, compare, peak)
    print(report)
    if not args.no_write:
        results_file.write_section(SECTION, "Search latency (bench/search.py)", report)
    return 0


def render(args: argparse.Namespace, stats: dict[str, float], loaded: Load | None,
           latencies: list[tuple[str, list[float], int, int]], compare: list[tuple[str, Load]],
           peak_mb: float) -> str:
    day = datetime.now(timezone.utc).strftime("%Y-%m-%d")
    lines = [
        f"{stats['articles']:,.0f} generated articles ({stats['japanese']:,.0f} Japanese), "
        f"{stats['stories']:,.0f} stories, published over {SPAN_DAYS} days; measured {day} on "
        f"2 cores, Postgres on the same machine. Every query: default 1-year window, one result "
        f"per story, facets per source and day, 10 results with snippets; {args.runs} timed runs "
        "of each query after one warm-up.",
        "",
        "| query kind | queries | matching articles (min-max) | p50 ms | p95 ms | max ms |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for kind, times, low, high in latencies:
        queries = len(times) // args.runs
        lines.append(f"| {kind} | {queries} | {low:,}-{high:,} | {percentile(times, 50):.1f} | "
                     f"{percentile(times, 95):.1f} | {max(times):.1f} |")
    lines += ["", f"Search index (GIN) {stats['index_mb']:.0f} MB; stored tsvectors "
                  f"{stats['tsvector_mb']:.0f} MB; the search table with its TOAST and indexes "
                  f"{stats['table_mb']:.0f} MB; database {stats['database_mb']:.0f} MB."]
    if loaded:
        lines.append(f"Load: {loaded.articles:,} articles stored ({loaded.refused:,} generated "
                     "copies refused by the normaliser as too short), "
                     f"{loaded.per_second:,.0f} articles/s through ArticleStore.write "
                     f"(story matching and the search document included; generating, "
                     f"normalising and the text identity took {loaded.prepare_s:,.0f} CPU s "
                     "more, apart).")
    if compare:
        lines += ["", "Store rate, the same generated articles (half Japanese) into empty "
                      "databases:", "", "| search document | articles | store articles/s |",
                  "|---|---:|---:|"]
        lines += [f"| {label} | {ld.articles:,} | {ld.per_second:,.0f} |" for label, ld in compare]
    lines += ["", f"Peak RSS of the benchmark process: {peak_mb:.0f} MB."]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
