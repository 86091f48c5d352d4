"""The change feed: what the triggers record (migration 009), that a consumer gets every
change exactly once even when its writers commit in the opposite order of their start, the
same batch again after a run died before its position moved, --from-start, --reset, --list,
removals, the view for warehouse tools, and the files (names, manifests, the schema)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import psycopg
import pyarrow.parquet as pq
import pytest
from conftest import fresh_database, run_jpnews, schema_before, settle
from newsroom import article

from crawler.dumps import feed as feed_module
from crawler.dumps.feed import FeedRequest, batch_stem, run
from crawler.dumps.feed_fields import FEED_ARROW_SCHEMA, FEED_FIELDS
from crawler.dumps.fields import ARROW_SCHEMA, FIELDS
from crawler.storage import feed as state
from crawler.storage.articles import ArticleStore
from crawler.storage.db import connect, open_pool, prepare

INSERT = """INSERT INTO articles (canonical_url, url, source, source_name, title, body,
                                  crawled_at, content_hash, meta_hash)
            VALUES (%(url)s, %(url)s, 'japantoday', 'Japan Today', %(title)s, 'A body.',
                    now(), %(title)s, %(title)s)
            RETURNING id"""


@pytest.fixture
def store(db: str) -> Iterator[ArticleStore]:
    pool = open_pool(prepare(db))
    yield ArticleStore(pool)
    pool.close()


def changes(url: str) -> list[tuple[int, int, str]]:
    """(article_id, version, change) of every recorded change, in change order."""
    with psycopg.connect(url) as conn:
        return [tuple(row) for row in conn.execute(  # type: ignore[misc]
            "SELECT article_id, version, change FROM article_changes ORDER BY position")]


def feed(url: str, folder: Path, consumer: str = "warehouse", **options: Any) -> Any:
    with connect(url) as conn:
        return run(conn, FeedRequest(consumer, folder, create=True, **options))


def delivered(folder: Path) -> list[dict[str, Any]]:
    """Every row of every batch with a manifest in `folder`, batches in name order."""
    rows: list[dict[str, Any]] = []
    for manifest in sorted(folder.glob("*.manifest.json")):
        meta = json.loads(manifest.read_text())
        for entry in meta["files"]:
            path = folder / entry["name"]
            if path.suffix == ".parquet":
                found = pq.read_table(path).to_pylist()
            else:
                found = [json.loads(line) for line in path.read_text().splitlines()]
            assert len(found) == entry["rows"]
            rows.extend(found)
    return rows


def keys(rows: list[dict[str, Any]]) -> list[tuple[int, int, str]]:
    return [(r["article_id"], r["version"], r["change"]) for r in rows]


# ---- what is recorded ---------------------------------------------------------------------------

def test_every_kind_of_change_is_recorded_once(db: str, store: ArticleStore) -> None:
    store.write([article("ferry"), article("orchard")])
    assert changes(db) == [(1, 1, "new"), (2, 1, "new")]  # story assignment folded into 'new'
    store.write([article("ferry", extra="Sailings start on the 5th.")])
    store.write([article("orchard", section="Business")])
    store.write([article("orchard", section="Business")])  # unchanged: nothing
    with psycopg.connect(db, autocommit=True) as conn:
        conn.execute("UPDATE articles SET title = title WHERE id = 1")  # no change
        story = conn.execute("SELECT story_id FROM articles WHERE id = 1").fetchone()[0]
        conn.execute("UPDATE articles SET story_id = %s WHERE id = 2", (story,))
        conn.execute("DELETE FROM articles WHERE id = 1")
    assert changes(db) == [(1, 1, "new"), (2, 1, "new"), (1, 2, "updated"),
                           (2, 1, "refreshed"), (2, 1, "story"), (1, 2, "removed")]


BOOKKEEPING = {"id", "updated_at", "dated_at", "crawl_run_id"}
"""Columns of `articles` whose change is no change of the article."""
CHANGED = {"text": "coalesce({c}, '') || ' (changed)'", "ARRAY": "{c} || '{{changed}}'::text[]",
           "timestamp with time zone": "coalesce({c}, now()) - interval '1 day'",
           "jsonb": """{c} || '{{"changed": 1}}'""", "boolean": "NOT {c}",
           "bytea": "coalesce({c}, ''::bytea) || '\\x00'::bytea", "integer": "{c} + 1",
           "bigint": "{c}"}


def test_a_change_of_any_column_is_recorded(db: str, store: ArticleStore) -> None:
    """Every column, today's and any added later: the trigger names the columns it compares,
    and a column it does not name would change silently."""
    store.write([article("ferry")])
    expected = {"content_hash": "updated", "version": "updated", "story_id": "story"}
    with psycopg.connect(db, autocommit=True) as conn:
        columns = conn.execute(
            """SELECT column_name, data_type FROM information_schema.columns
               WHERE table_name = 'articles' AND is_generated = 'NEVER'
                 AND column_name <> ALL(%s) ORDER BY ordinal_position""",
            (list(BOOKKEEPING),)).fetchall()
        assert len(columns) == 28
        run_id = conn.execute("INSERT INTO crawl_runs (spider) VALUES ('t') RETURNING id"
                              ).fetchone()[0]
        story = conn.execute("INSERT INTO stories (representative_id) VALUES (1) RETURNING id"
                             ).fetchone()[0]
        for name, kind in columns:
            value = str(story) if name == "story_id" else CHANGED[kind].format(c=name)
            before = len(changes(db))
            conn.execute(f"UPDATE articles SET {name} = {value}")  # noqa: S608
            found = changes(db)[before:]
            assert [c for *_, c in found] == [expected.get(name, "refreshed")], name
        before = len(changes(db))
        conn.execute("UPDATE articles SET crawl_run_id = %s, updated_at = now() - "
                     "interval '1 day'", (run_id,))
        assert changes(db)[before:] == []


def test_changes_of_one_statement_are_one_row_each(db: str, store: ArticleStore) -> None:
    store.write([article(f"ferry-{i}", "ferry", minutes=i) for i in range(50)])
    with psycopg.connect(db, autocommit=True) as conn:
        conn.execute("UPDATE articles SET section = 'National'")
        xids = conn.execute("SELECT count(DISTINCT xid) FROM article_changes").fetchone()[0]
    found = changes(db)
    assert found.count((1, 1, "new")) == 1 and len(found) == 100
    assert {c for *_, c in found} == {"new", "refreshed"} and xids == 2


def test_articles_stored_before_the_feed_are_its_first_changes(admin_url: str) -> None:
    from crawler.storage.db import migrate

    with fresh_database(admin_url) as url, psycopg.connect(url) as conn:
        with conn.transaction():  # the schema as it was before 009_change_feed.sql
            schema_before(conn, "009")
            for title in ("One", "Two"):
                conn.execute(INSERT, {"url": f"https://a.example/{title}", "title": title})
        assert "009_change_feed.sql" in migrate(conn)
        assert changes(url) == [(1, 1, "new"), (2, 1, "new")]


# ---- writers that commit in the opposite order of their start ----------------------------------

def test_a_transaction_that_commits_late_is_never_skipped(db: str, tmp_path: Path) -> None:
    """T1 starts and writes first (lower change id), T2 starts later, writes and commits, then
    T1 commits. A cursor on the change id (or on updated_at) that read after T2's commit would
    move past T1's change before it was visible: lost. The feed holds back T2's change until
    T1 has ended, and then gives both, each once."""
    with psycopg.connect(db, autocommit=True) as setup:
        other = setup.execute(INSERT, {"url": "https://a.example/b", "title": "B"}).fetchone()[0]
    settle(db)
    out = tmp_path / "feed"
    assert len(feed(db, out).batches) == 1  # article B's 'new'

    t1 = psycopg.connect(db)
    t2 = psycopg.connect(db)
    try:
        late = t1.execute(INSERT, {"url": "https://a.example/a", "title": "A"}).fetchone()[0]
        t2.execute("UPDATE articles SET title = 'B, corrected' WHERE id = %s", (other,))
        t2.commit()
        # What a cursor on the id would see now: T2's change, above T1's uncommitted one.
        with psycopg.connect(db) as reader:
            visible = reader.execute("SELECT max(id) FROM article_changes").fetchone()[0]
        assert visible == 3  # T1's change (id 2) is not visible yet, T2's (3) is

        first = feed(db, out)
        assert first.batches == [] and first.waiting >= 1  # T2's change waits for T1
        listing = run_jpnews("feed", "--list", "--database-url", db)
        assert listing.returncode == 0, listing.stderr
        assert "changes not ready wait for transaction" in listing.stdout

        t1.commit()
        settle(db)
        second = feed(db, out)
    finally:
        t1.close()
        t2.close()
    assert len(second.batches) == 1 and second.waiting == 0
    rows = delivered(out)
    assert keys(rows) == [(other, 1, "new"), (late, 1, "new"), (other, 1, "refreshed")]
    assert keys(rows) == changes(db)  # every change, each once, in change order
    assert feed(db, out).batches == []


def test_changes_behind_an_open_transaction_wait_in_any_number(db: str, tmp_path: Path) -> None:
    """Several later writers commit while one early transaction stays open: none of their
    changes goes out until it ends, then all of them, and a consumer never passes it."""
    out = tmp_path / "feed"
    opened = psycopg.connect(db)
    try:
        early = opened.execute(INSERT, {"url": "https://a.example/early",
                                        "title": "Early"}).fetchone()[0]
        with psycopg.connect(db, autocommit=True) as later:
            for i in range(3):
                later.execute(INSERT, {"url": f"https://a.example/{i}", "title": f"L{i}"})
        result = feed(db, out)
        assert result.batches == [] and result.waiting == 3
        with connect(db) as conn:
            assert state.require_consumer(conn, "warehouse").position == 0
        opened.commit()
    finally:
        opened.close()
    settle(db)
    feed(db, out)
    assert [k[0] for k in keys(delivered(out))] == [early, 2, 3, 4]


def test_concurrent_writers_and_feed_runs_deliver_each_change_once(db: str,
                                                                   tmp_path: Path) -> None:
    """Writers in threads, each holding its transaction open a while, commit in whatever order
    they finish, while the feed runs again and again: in the end every change is in exactly
    one batch."""
    out = tmp_path / "feed"
    started = threading.Barrier(4)

    def writer(n: int) -> None:
        with psycopg.connect(db) as conn:
            started.wait()
            for i in range(5):
                conn.execute(INSERT, {"url": f"https://a.example/{n}/{i}", "title": f"{n}-{i}"})
                conn.execute("SELECT pg_sleep(%s)", (0.01 * ((n + i) % 3),))
                if i % 2:
                    conn.commit()
            conn.commit()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    while any(thread.is_alive() for thread in threads):
        feed(db, out, batch_changes=3)
    for thread in threads:
        thread.join()
    settle(db)
    feed(db, out)
    got = keys(delivered(out))
    assert len(got) == 20 and sorted(got) == sorted(changes(db))


# ---- a run that dies ----------------------------------------------------------------------------

class Crash(RuntimeError):
    pass


def test_a_run_that_died_before_its_position_moved_writes_the_same_batch(
        db: str, store: ArticleStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "feed"
    store.write([article("ferry"), article("orchard")])
    settle(db)

    def crash(*_: Any) -> None:
        raise Crash("killed after the batch was written")

    monkeypatch.setattr(state, "advance", crash)
    with pytest.raises(Crash):
        feed(db, out)
    monkeypatch.undo()
    written = sorted(p.name for p in out.iterdir())
    assert len(written) == 2  # the batch and its manifest, both complete
    first_rows = delivered(out)
    with connect(db) as conn:
        consumer = state.require_consumer(conn, "warehouse")
    assert consumer.position == 0 and consumer.pending is not None

    store.write([article("library")])  # a change after the crash: the next batch's
    settle(db)
    again = feed(db, out)
    assert [b.data.name for b in again.batches][0] == written[1]  # the same name, overwritten
    assert len(again.batches) == 2
    assert keys(delivered(out)) == keys(first_rows) + [(3, 1, "new")]
    assert feed(db, out).batches == []


def test_a_batch_is_written_under_temporary_names_and_the_manifest_last(
        db: str, store: ArticleStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "feed"
    store.write([article("ferry")])
    settle(db)

    def crash(*_: Any, **__: Any) -> None:
        raise Crash("killed while writing the manifest")

    monkeypatch.setattr(feed_module, "_write_manifest", crash)
    with pytest.raises(Crash):
        feed(db, out)
    monkeypatch.undo()
    assert [p.suffix for p in out.iterdir()] == [".parquet"]  # no manifest: not a batch yet
    assert delivered(out) == []
    feed(db, out)
    assert keys(delivered(out)) == [(1, 1, "new")]
    assert not [p for p in out.iterdir() if p.name.startswith(".")]


def test_one_consumer_runs_once_at_a_time(db: str, tmp_path: Path) -> None:
    with connect(db) as holder:
        state.create_consumer(holder, "warehouse")
        with state.consumer_lock(holder, "warehouse"), \
                pytest.raises(state.FeedError, match="another run"):
            feed(db, tmp_path / "feed")
        assert feed(db, tmp_path / "feed").batches == []


# ---- from the start, reset, batches ----------------------------------------------------------------

def test_from_start_gives_everything_again_and_reset_skips_to_now(
        db: str, store: ArticleStore, tmp_path: Path) -> None:
    store.write([article("ferry"), article("orchard")])
    settle(db)
    out = tmp_path / "feed"
    feed(db, out)
    assert len(delivered(out)) == 2
    again = feed(db, out, from_start=True)
    assert len(again.batches) == 1 and len(delivered(out)) == 2  # same batch, same name

    store.write([article("library"), article("bridge")])
    settle(db)
    with connect(db) as conn:
        position, skipped = state.skip_to_head(conn, "warehouse")
    assert skipped == 2 and feed(db, out).batches == []
    store.write([article("ferry", extra="Sailings start on the 5th.")])
    settle(db)
    later = feed(db, out)
    assert later.batches[0].after == position
    assert keys(delivered(out))[-1] == (1, 2, "updated")


def test_batches_split_by_size_and_chain_their_names(db: str, store: ArticleStore,
                                                     tmp_path: Path) -> None:
    store.write([article(f"ferry-{i}", "ferry", minutes=i) for i in range(7)])
    settle(db)
    out = tmp_path / "feed"
    result = feed(db, out, batch_changes=3, format="jsonl")
    assert [b.rows for b in result.batches] == [3, 3, 1]
    for before, after in zip(result.batches, result.batches[1:], strict=False):
        assert after.after == before.through
    assert sorted(p.name for p in out.glob("*.jsonl")) == [b.data.name for b in result.batches]
    assert [b.data.stem for b in result.batches] == \
        [batch_stem(b.after, b.through) for b in result.batches]
    manifest = json.loads(result.batches[1].manifest.read_text())
    xid, change_id = state.parts(result.batches[1].through)
    assert manifest["position"]["through"] == {"xid": xid, "change_id": change_id}
    assert manifest["rows"] == 3 and manifest["changes"]["new"] == 3
    assert manifest["schema_version"] == "1" and manifest["format"] == "jsonl"
    assert manifest["files"][0]["bytes"] == result.batches[1].data.stat().st_size


# ---- rows ---------------------------------------------------------------------------------------

def test_rows_are_dump_rows_with_the_change_in_front(db: str, store: ArticleStore,
                                                     tmp_path: Path) -> None:
    assert FEED_FIELDS[:6] == ("article_id", "version", "change", "changed_at", "change_xid",
                               "change_id")
    assert FEED_FIELDS[6:-1] == tuple(f for f in FIELDS if f not in ("id", "version"))
    for field in ARROW_SCHEMA:
        if field.name not in ("id", "version"):
            assert FEED_ARROW_SCHEMA.field(field.name).type == field.type
    store.write([article("ferry")])
    store.write([article("ferry", extra="Sailings start on the 5th.")])
    settle(db)
    feed(db, tmp_path / "p")
    feed(db, tmp_path / "j", consumer="loader", format="jsonl")
    parquet, lines = delivered(tmp_path / "p"), delivered(tmp_path / "j")
    assert [r["change"] for r in parquet] == ["new", "updated"]
    assert [r["current_version"] for r in parquet] == [2, 2]  # the fields are today's
    assert parquet[0]["body"].endswith("Sailings start on the 5th.")
    with psycopg.connect(db) as conn:
        title, story = conn.execute("SELECT title, story_id FROM articles").fetchone()
    assert parquet[1]["title"] == title and parquet[1]["story_id"] == story
    assert [r["body"] for r in lines] == [r["body"] for r in parquet]
    assert lines[0]["changed_at"].endswith("+00:00") and isinstance(lines[0]["provenance"], dict)
    table = pq.read_table(next((tmp_path / "p").glob("*.parquet")))
    assert table.schema.equals(FEED_ARROW_SCHEMA, check_metadata=False)
    assert table.schema.metadata[b"jpnews.feed_schema_version"] == b"1"
    found = duckdb.sql(f"SELECT change, count(*) FROM read_parquet('{tmp_path}/p/*.parquet') "
                       "GROUP BY ALL ORDER BY ALL").fetchall()
    assert found == [("new", 1), ("updated", 1)]


def test_a_removal_row_holds_the_change_and_no_text(db: str, store: ArticleStore,
                                                    tmp_path: Path) -> None:
    store.write([article("ferry"), article("orchard")])
    forgotten = run_jpnews("forget", "https://japantoday.example/news/ferry", "--reason",
                           "court order", "--database-url", db)
    assert forgotten.returncode == 0, forgotten.stderr
    settle(db)
    feed(db, tmp_path / "feed")
    rows = delivered(tmp_path / "feed")
    assert keys(rows) == [(1, 1, "new"), (2, 1, "new"), (1, 1, "removed")]
    removed, before = rows[2], rows[0]
    assert removed["canonical_url"] == "https://japantoday.example/news/ferry"
    # the article is gone: neither its removal nor its earlier row carries its text now
    for row in (removed, before):
        assert row["title"] is None and row["body"] is None and row["current_version"] is None


# ---- the view -----------------------------------------------------------------------------------

def test_the_view_has_the_feed_columns_and_only_final_changes(db: str, store: ArticleStore
                                                              ) -> None:
    store.write([article("ferry")])
    settle(db)
    with psycopg.connect(db) as conn:
        columns = [c.name for c in conn.execute(
            "SELECT * FROM feed_changes_visible LIMIT 0").description]
    assert columns == ["position", *FEED_FIELDS]
    opened = psycopg.connect(db)
    try:
        opened.execute(INSERT, {"url": "https://a.example/open", "title": "Open"})
        with psycopg.connect(db, autocommit=True) as conn:
            conn.execute(INSERT, {"url": "https://a.example/done", "title": "Done"})
            seen = conn.execute("SELECT article_id, change_xid, change_id, position "
                                "FROM feed_changes_visible ORDER BY position").fetchall()
        assert [r[0] for r in seen] == [1]  # 'done' committed, but after 'open' began
        opened.commit()
    finally:
        opened.close()
    settle(db)
    with psycopg.connect(db) as conn:
        seen = conn.execute("SELECT article_id, change_xid, change_id, position "
                            "FROM feed_changes_visible ORDER BY position").fetchall()
    assert [r[0] for r in seen] == [1, 2, 3]
    assert all(r[3] == r[1] * state.POSITION_SCALE + r[2] for r in seen)


# ---- the command line ---------------------------------------------------------------------------

def test_the_command_line(db: str, store: ArticleStore, tmp_path: Path) -> None:
    store.write([article("ferry"), article("orchard")])
    settle(db)
    out = tmp_path / "feed"

    def cli(*args: str) -> Any:
        return run_jpnews("feed", *args, "--database-url", db)

    unknown = cli("--consumer", "warehouse", "--output", str(out))
    assert unknown.returncode == 1 and unknown.stdout == ""
    assert unknown.stderr.count("\n") == 1 and "--list" in unknown.stderr
    assert "--create" in unknown.stderr and "Traceback" not in unknown.stderr
    assert not out.exists()

    made = cli("--consumer", "warehouse", "--output", str(out), "--create")
    assert made.returncode == 0, made.stderr
    assert "new consumer" in made.stdout and "2 changes (2 new)" in made.stdout
    assert len(list(out.glob("*.parquet"))) == 1

    typo = cli("--consumer", "warehuose", "--output", str(out))
    assert typo.returncode == 1 and "did you mean 'warehouse'?" in typo.stderr
    assert typo.stderr.count("\n") == 1
    for args in (("--list", "--consumer", "warehuose"), ("--consumer", "warehuose", "--reset")):
        wrong = cli(*args)
        assert wrong.returncode == 1 and "--list" in wrong.stderr, args
        assert wrong.stderr.count("\n") == 1

    store.write([article("library")])
    settle(db)
    listing = cli("--list")
    assert listing.returncode == 0, listing.stderr
    header, row = listing.stdout.splitlines()[:2]
    assert header.split()[:5] == ["consumer", "position", "behind", "ready", "lag"]
    assert row.split()[0] == "warehouse" and row.split()[2:4] == ["1", "1"]

    reset = cli("--consumer", "warehouse", "--reset")
    assert reset.returncode == 0 and "1 change skipped" in reset.stdout
    nothing = cli("--consumer", "warehouse", "--output", str(out))
    assert "no new changes" in nothing.stdout

    for args, message in ((("--consumer", "warehouse"), "--output"),
                          (("--output", str(out)), "--consumer"),
                          (("--consumer", "bad name!", "--output", str(out), "--create"),
                           "not a consumer name"),
                          (("--consumer", "warehouse", "--output", str(out / "x.parquet"
                                                                    ), "--batch-size", "0"),
                           "--batch-size")):
        failed = cli(*args)
        assert failed.returncode == 1 and message in failed.stderr, (args, failed.stderr)
        assert failed.stderr.count("\n") == 1
    (tmp_path / "file").write_text("")
    blocked = cli("--consumer", "warehouse", "--output", str(tmp_path / "file"))
    assert blocked.returncode == 1 and "not a folder" in blocked.stderr
