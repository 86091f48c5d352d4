"""`jpnews backfill`: WARC files of the sample sites, written here, through parsers and store."""

from __future__ import annotations

import gzip
import random
import re
from datetime import timedelta
from pathlib import Path

import psycopg
from conftest import SAMPLE_NOW, run_jpnews
from test_crawl import STORABLE

from crawler.backfill import shares
from crawler.demo.site import EDITED_SLUG, ORIGIN, build_sample_site, generate_site
from crawler.demo.warcs import Record, article_paths, cut, site_records, write_warc
from crawler.storage.lock import OutletLock

CAPTURED = SAMPLE_NOW + timedelta(hours=1)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200
PDF = b"%PDF-1.7\n" + b"1 0 obj\n" * 50


def skipped(stdout: str) -> dict[str, int]:
    """The summary's `skipped:` line as reason → count."""
    line = next(line for line in stdout.splitlines() if line.strip().startswith("skipped:"))
    return {name: int(n) for name, n in re.findall(r"([a-z_]+) (\d+)", line)}


def backfill(*args: str, env: dict[str, str] | None = None) -> str:
    done = run_jpnews("backfill", *args, env=env)
    assert done.returncode == 0, done.stderr[-3000:]
    # the progress line (stderr) counts records and pages, not the responses it has none of
    assert re.search(r"backfill [^:]+: \d+ records, \d+ skipped, \d+ pages, \d+ articles",
                     done.stderr), done.stderr[-3000:]
    return done.stdout


def test_backfill_stores_the_outlet_pages_and_counts_every_other_record(
        db: str, tmp_path: Path) -> None:
    site = build_sample_site(SAMPLE_NOW)
    pages = article_paths(site)
    assert len(pages) == len(STORABLE) + 1  # the sample's one page that is no article
    whole = write_warc(tmp_path / "whole.warc.gz", [
        Record(f"{ORIGIN}/category/national", CAPTURED, kind="request"),
        *site_records(site, CAPTURED, pages[:10]),
        Record(ORIGIN + pages[0], CAPTURED + timedelta(days=1), kind="revisit"),
        *site_records(site, CAPTURED, ["/category/national", "/feed"]),
        Record(f"{ORIGIN}/category/national/photo-of-the-day", CAPTURED, PNG, "image/png"),
        Record(f"{ORIGIN}/category/national/annual-report", CAPTURED, PDF, "application/pdf"),
        Record(f"{ORIGIN}/category/national/gone-page", CAPTURED, b"<html></html>", status=404),
        Record("https://news.example.org/2026/11/29/story", CAPTURED, site.pages[pages[1]].body),
        Record(ORIGIN + pages[10], CAPTURED, site.pages[pages[10]].body[:5000],
               truncated="length"),
        *site_records(site, CAPTURED, pages[11:]),
    ])
    # a download of the same archive broken off inside its last record
    broken = cut(write_warc(tmp_path / "broken.warc", [
        *site_records(site, CAPTURED, pages[10:12])]), 3000)

    # and a gzipped one broken off 40 bytes into its last record's gzip member
    one = write_warc(tmp_path / "one.warc.gz", site_records(site, CAPTURED, pages[:1]))
    gzipped = write_warc(tmp_path / "gzipped.warc.gz", site_records(site, CAPTURED, pages[:2]))
    cut(gzipped, gzipped.stat().st_size - one.stat().st_size - 40)
    # and uncompressed ones broken off inside their last record's WARC headers: before its
    # Content-Length (warcio gives a record without one), and after it (warcio gives none)
    first = write_warc(tmp_path / "one.warc", site_records(site, CAPTURED, pages[:1]),
                       gzip=False).stat().st_size
    plain = [write_warc(tmp_path / f"plain-{kept}.warc",
                        site_records(site, CAPTURED, pages[:2]), gzip=False) for kept in (150, 300)]
    for path, kept in zip(plain, (150, 300), strict=True):
        cut(path, path.stat().st_size - first - kept)

    files = (str(whole), str(broken), str(gzipped), *map(str, plain))
    out = backfill(*files, "--database-url", db)
    records = 1 + len(pages) - 1 + 1 + 2 + 5 + 2 + 2 + 2 * 2
    assert f"backfill: 5 files, {records} records: {len(pages) + 3} pages read, 13 skipped" \
        in out, out
    assert skipped(out) == {"not_html": 3, "truncated": 5, "revisit": 1, "not_response": 1,
                            "http_status": 1, "unknown_host": 1, "not_article_url": 1}
    # pages[0] four times, in one batch of the store: its last copy is the one merged
    assert f"articles: {len(STORABLE)} new, 0 updated, 0 refreshed, 0 unchanged" in out
    assert "dropped: not_article 1" in out
    with psycopg.connect(db) as conn:
        assert conn.execute("SELECT count(*), count(DISTINCT canonical_url), min(crawled_at), "
                            "max(crawled_at) FROM articles").fetchone() == (
            len(STORABLE), len(STORABLE), CAPTURED, CAPTURED)
        # every page read is kept raw, dated by its capture, the non-article one included
        assert conn.execute("SELECT count(*), count(DISTINCT url), min(fetched_at), "
                            "max(fetched_at), bool_and(source = 'japantoday') "
                            "FROM raw_pages").fetchone() == (
            len(pages), len(pages), CAPTURED, CAPTURED, True)
        assert conn.execute("SELECT count(*) FROM articles WHERE url NOT LIKE %s",
                            (ORIGIN + "/category/%",)).fetchone()[0] == 0
        versions = conn.execute("SELECT count(*) FROM article_versions").fetchone()[0]

    again = backfill(*files, "--database-url", db)  # idempotent
    assert f"articles: 0 new, 0 updated, 0 refreshed, {len(STORABLE)} unchanged" in again
    with psycopg.connect(db) as conn:
        assert conn.execute("SELECT (SELECT count(*) FROM articles), "
                            "(SELECT count(*) FROM raw_pages), "
                            "(SELECT count(*) FROM article_versions)").fetchone() == (
            len(STORABLE), len(pages), versions)


def _edited(db: str) -> tuple[str, object, int]:
    with psycopg.connect(db) as conn:
        return conn.execute("SELECT body, crawled_at, version FROM articles WHERE url LIKE %s",
                            (f"%{EDITED_SLUG}",)).fetchone()


def test_an_older_capture_never_replaces_a_newer_one(db: str, tmp_path: Path) -> None:
    first, second = build_sample_site(SAMPLE_NOW), build_sample_site(SAMPLE_NOW, edition=2)
    path = next(p for p in second.pages if p.endswith(EDITED_SLUG))
    older, newer = CAPTURED, CAPTURED + timedelta(days=2)
    new_file = write_warc(tmp_path / "new.warc.gz", site_records(second, newer, [path]))
    old_file = write_warc(tmp_path / "old.warc.gz", site_records(first, older, [path]))

    backfill(str(new_file), "--database-url", db)
    kept = _edited(db)
    assert kept[1] == newer and kept[2] == 1
    backfill(str(old_file), "--database-url", db)  # the older copy, read later
    assert _edited(db) == kept
    # both copies in one file (one batch), the newer first: the newer still wins
    both = write_warc(tmp_path / "both.warc.gz", [*site_records(second, newer, [path]),
                                                  *site_records(first, older, [path])])
    backfill(str(both), "--database-url", db)
    assert _edited(db) == kept
    empty = "TRUNCATE articles, article_versions RESTART IDENTITY CASCADE"
    with psycopg.connect(db) as conn:
        conn.execute(empty)
    backfill(str(both), "--database-url", db)  # and so it does with nothing stored before
    assert _edited(db)[:2] == kept[:2]
    with psycopg.connect(db) as conn:
        conn.execute(empty)
    # read in their order, the newer copy is a new version of the older one
    backfill(str(old_file), "--database-url", db)
    backfill(str(new_file), "--database-url", db)
    body, crawled_at, version = _edited(db)
    assert (body, crawled_at, version) == (kept[0], newer, 2)


def test_an_older_capture_never_replaces_a_newer_one_across_processes(
        db: str, tmp_path: Path) -> None:
    first, second = build_sample_site(SAMPLE_NOW), build_sample_site(SAMPLE_NOW, edition=2)
    path = next(p for p in second.pages if p.endswith(EDITED_SLUG))
    older, newer = CAPTURED, CAPTURED + timedelta(days=2)
    old_copy, new_copy = site_records(first, older, [path]), site_records(second, newer, [path])
    backfill(str(write_warc(tmp_path / "new.warc.gz", new_copy)), "--database-url", db)
    kept = _edited(db)  # what one process keeps of the newer copy
    filler_site = generate_site(60, SAMPLE_NOW, seed=5)
    filler = site_records(filler_site, CAPTURED, article_paths(filler_site))
    # Each copy in a file of its own, so in a process of its own. The copy behind 60 other
    # pages is likely stored after the one alone, but not surely: the rule holds either way.
    for late, early in ((old_copy, new_copy), (new_copy, old_copy)):
        with psycopg.connect(db) as conn:
            conn.execute("TRUNCATE crawl_runs, raw_pages, articles, article_versions "
                         "RESTART IDENTITY CASCADE")
        files = (write_warc(tmp_path / "alone.warc.gz", early),
                 write_warc(tmp_path / "behind.warc.gz", [*filler, *late]))
        backfill(*map(str, files), "--processes", "2", "--database-url", db)
        body, crawled_at, version = _edited(db)
        assert (body, crawled_at) == kept[:2]
        with psycopg.connect(db) as conn:
            history = conn.execute(
                "SELECT v.version, v.crawled_at FROM article_versions v "
                "JOIN articles a ON a.id = v.article_id WHERE a.url LIKE %s ORDER BY v.version",
                (f"%{EDITED_SLUG}",)).fetchall()
            copies = conn.execute("SELECT fetched_at, crawl_run_id FROM raw_pages "
                                  "WHERE url LIKE %s ORDER BY fetched_at",
                                  (f"%{EDITED_SLUG}",)).fetchall()
        # as in one process: the newer copy stored first stays version 1 and the older one
        # becomes no version; stored second, it is version 2 over the older one
        assert history in ([(1, newer)], [(1, older), (2, newer)]), history
        assert version == len(history)
        # both copies kept raw, each read by a process (a crawl run) of its own
        assert [when for when, _ in copies] == [older, newer] and copies[0][1] != copies[1][1]


def test_any_outlet_mirrors_and_outlet_choice(db: str, tmp_path: Path) -> None:
    site = build_sample_site(SAMPLE_NOW)
    pages = article_paths(site)[:3]
    mirror = "http://127.0.0.1:8999"
    warc = write_warc(tmp_path / "mixed.warc.gz", [
        *site_records(site, CAPTURED, pages[:2], origin=mirror),
        Record("https://news.example.org/2026/11/29/story", CAPTURED, site.pages[pages[2]].body),
        Record("https://news.example.org/logo.png", CAPTURED, PNG, "image/png"),
    ])
    env = {"JPNEWS_BASE_URLS": f'{{"japantoday": "{mirror}"}}'}
    out = backfill(str(warc), "--outlets", "kyodo", "--database-url", db, env=env)
    assert skipped(out) == {"other_outlet": 2, "unknown_host": 1, "not_html": 1}
    out = backfill(str(warc), "--database-url", db, env=env)
    assert skipped(out) == {"unknown_host": 1, "not_html": 1}
    with psycopg.connect(db) as conn:  # the mirror's pages stored under the outlet's URLs
        assert sorted(r[0] for r in conn.execute("SELECT url FROM articles")) == \
            sorted(ORIGIN + p for p in pages[:2])
    out = backfill(str(warc), "--any-outlet", "--database-url", db, env=env)
    assert skipped(out) == {"not_html": 1}
    assert "articles: 1 new, 0 updated, 0 refreshed, 2 unchanged" in out
    with psycopg.connect(db) as conn:  # the generic path: the host is its source
        assert conn.execute("SELECT source FROM articles WHERE url LIKE %s",
                            ("https://news.example.org/%",)).fetchone()[0] == "news.example.org"


def test_parallel_backfill_beside_a_crawl_of_the_outlet(db: str, tmp_path: Path) -> None:
    site = generate_site(60, SAMPLE_NOW, seed=12)
    pages = article_paths(site)
    files = [write_warc(tmp_path / f"part-{n}.warc.gz",
                        site_records(site, CAPTURED + timedelta(minutes=n), pages[n::4]))
             for n in range(4)]
    lock = OutletLock(db, "japantoday")  # a crawl of the outlet holds its lock meanwhile
    assert lock.acquire() is None
    try:
        out = backfill(*map(str, files), "--processes", "2", "--database-url", db)
    finally:
        lock.release()
    assert f"backfill: 4 files, {len(pages)} records: {len(pages)} pages read, 0 skipped" in out
    with psycopg.connect(db) as conn:
        stored = conn.execute("SELECT count(*), count(DISTINCT canonical_url) FROM articles"
                              ).fetchone()
        raw = conn.execute("SELECT count(*) FROM raw_pages").fetchone()[0]
    assert stored == (len(site.articles), len(site.articles)) and raw == len(pages)
    assert f"articles: {len(site.articles)} new" in out
    # two processes ran, each a crawl run of its own over its share of the files: every raw
    # page is tied to the run that read it, and the runs split the files as `shares` does
    file_of = {ORIGIN + page: path.name for n, path in enumerate(files)
               for page in pages[n::4]}
    with psycopg.connect(db) as conn:
        runs = conn.execute("SELECT id FROM crawl_runs WHERE spider = 'backfill' "
                            "AND finish_reason = 'finished'").fetchall()
        read_by = conn.execute("SELECT crawl_run_id, url FROM raw_pages").fetchall()
    files_of_run: dict[int, set[str]] = {}
    for run, url in read_by:
        files_of_run.setdefault(run, set()).add(file_of[url])
    assert len(runs) == 2 and set(files_of_run) == {run for (run,) in runs}
    assert sorted(map(sorted, files_of_run.values())) == \
        sorted(sorted(path.name for path in share) for share in shares(files, 2))


def test_a_file_that_is_no_warc_is_one_error_line(db: str, tmp_path: Path) -> None:
    site = build_sample_site(SAMPLE_NOW)
    good = write_warc(tmp_path / "good.warc.gz",
                      site_records(site, CAPTURED, article_paths(site)[:1]))
    (tmp_path / "dump.jsonl").write_text('{"url": "https://japantoday.com/x"}\n')
    (tmp_path / "empty.warc.gz").write_bytes(b"")
    # a download of a real archive broken off 11 bytes in: one byte past the gzip header
    (tmp_path / "cut.warc.gz").write_bytes(good.read_bytes()[:11])
    (tmp_path / "cut.warc").write_bytes(write_warc(
        tmp_path / "plain.warc", site_records(site, CAPTURED, article_paths(site)[:1]),
        gzip=False).read_bytes()[:30])
    noise = random.Random(7).randbytes(4096)  # every byte value, the line breaks among them
    (tmp_path / "noise.warc.gz").write_bytes(noise)
    (tmp_path / "noise-in.warc.gz").write_bytes(gzip.compress(noise))
    (tmp_path / "bad-gzip.warc.gz").write_bytes(b"\x1f\x8b" + noise)
    wrong: dict[str, str] = {}
    for bad, says in ((tmp_path / "dump.jsonl", "not a WARC file (it starts with b'{\"url\":"),
                      (tmp_path / "missing.warc.gz", "cannot read"),
                      (tmp_path / "empty.warc.gz", "no WARC record in it"),
                      (tmp_path / "cut.warc.gz", "not a readable gzip file (truncated or "
                                                 "corrupt: it ends after 11 bytes"),
                      (tmp_path / "cut.warc", "not a readable WARC file (truncated or "
                                              "corrupt: it ends after 30 bytes"),
                      (tmp_path / "noise.warc.gz", "not a WARC file (it starts with "
                                                   f"{noise[:16]!r}...)"),
                      (tmp_path / "noise-in.warc.gz", "a gzip file, but no WARC in it "
                                                      f"(it holds {noise[:16]!r}...)"),
                      (tmp_path / "bad-gzip.warc.gz", "not a readable gzip file (corrupt")):
        done = run_jpnews("backfill", str(good), str(bad), "--database-url", db)
        # one line naming the file, printable and short (a binary file's bytes come escaped),
        # saying what it wanted
        line = done.stderr.strip()
        if not (done.returncode == 1 and line.splitlines() == [line]
                and line.startswith(f"jpnews: error: {bad}: ") and says in line
                and line.isascii() and line.isprintable() and len(line) < 300
                and (bad.name == "missing.warc.gz"
                     or line.endswith("; expected a WARC file, gzipped or not"))):
            wrong[bad.name] = f"exit {done.returncode}: {done.stderr[-500:]!r}"
    assert not wrong, "\n".join(f"{name}: {got}" for name, got in wrong.items())  # all at once
    with psycopg.connect(db) as conn:  # refused before anything was stored
        assert conn.execute("SELECT count(*) FROM raw_pages").fetchone()[0] == 0
