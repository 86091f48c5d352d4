"""Many crawler processes on one Redis frontier (issue 12): real processes, real Redis, real
Postgres, a generated site on loopback."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from collections import Counter

import psycopg
import pytest
from conftest import REDIS_URL, ROOT, SAMPLE_NOW, fresh_database, run_jpnews

from crawler.demo.server import SiteServer
from crawler.demo.site import SampleSite, article_path, generate_site
from crawler.frontier import REQUEUED
from crawler.outcome import ARTICLE_PAGES

ARTICLES = 120
COPIES = 8

SETTINGS = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=0",
            "-s", "JPNEWS_MAX_LISTING_PAGES=100", "-s", "JPNEWS_REDIS_HEARTBEAT=2",
            "-s", "JPNEWS_STORE_FLUSH_SECONDS=1"]


def _site(delay: float = 0.0) -> SampleSite:
    site = generate_site(ARTICLES, SAMPLE_NOW, seed=5, per_listing_page=20, copies=COPIES)
    if delay:
        for article in site.articles:
            site.pages[article_path(article)].delay = delay
    return site


def _crawl_line(db: str, server: SiteServer, prefix: str, *extra: str) -> list[str]:
    return ["crawl", "japantoday", "--database-url", db,
            "--base-url", f"japantoday={server.base_url}", *SETTINGS,
            "-s", f"JPNEWS_REDIS_PREFIX={prefix}", "--redis", REDIS_URL, *extra]


def _served(site: SampleSite) -> set[str]:
    return {"https://japantoday.com" + article_path(a) for a in site.articles}


def _clusters(db: str) -> set[frozenset[str]]:
    """Story clusters as sets of canonical URLs: comparable between databases and between
    crawls that stored the copies in a different order."""
    with psycopg.connect(db) as conn:
        rows = conn.execute("SELECT story_id, canonical_url FROM articles").fetchall()
    stories: dict[int, set[str]] = {}
    for story, url in rows:
        stories.setdefault(story, set()).add(url)
    return {frozenset(urls) for urls in stories.values()}


def _runs(db: str) -> list[dict]:
    with psycopg.connect(db) as conn:
        return [{"reason": reason, "stats": stats} for reason, stats in conn.execute(
            "SELECT finish_reason, stats FROM crawl_runs ORDER BY id").fetchall()]


def test_two_workers_share_the_frontier(db: str, admin_url: str, redis_prefix: str) -> None:
    site = _site(delay=0.02)  # long enough for the second worker to be there
    with SiteServer(site) as server:
        done = run_jpnews(*_crawl_line(db, server, redis_prefix, "--workers", "2"))
        assert done.returncode == 0, done.stderr[-3000:]
        fetched = [path for path, status in server.log if status == 200]
    served = _served(site)
    with psycopg.connect(db) as conn:
        stored = [row[0] for row in conn.execute("SELECT canonical_url FROM articles")]
        versions = conn.execute("SELECT count(*) FROM article_versions").fetchone()[0]
    assert sorted(stored) == sorted(served)  # every article once: the union is the site
    assert versions == len(served)
    articles = [article_path(a) for a in site.articles]
    assert set(articles) <= set(fetched)
    twice = {path: n for path, n in Counter(fetched).items() if n > 1}
    assert twice == {"/robots.txt": 2}  # one seen-set between them, the seeds pushed once
    runs = _runs(db)
    assert [run["reason"] for run in runs] == ["finished", "finished"]
    shares = [run["stats"].get(ARTICLE_PAGES, 0) for run in runs]
    assert sum(shares) == len(articles) and min(shares) > 0, shares  # both did a share
    assert sorted(run["stats"]["jpnews/frontier/seeder"] for run in runs) == [False, True]
    assert len({run["stats"]["jpnews/frontier/cycle"] for run in runs}) == 1

    with fresh_database(admin_url) as alone, SiteServer(site) as server:
        one = run_jpnews("crawl", "japantoday", "--database-url", alone,
                         "--base-url", f"japantoday={server.base_url}", *SETTINGS)
        assert one.returncode == 0, one.stderr[-3000:]
        clusters = _clusters(alone)
    assert sum(len(c) > 1 for c in clusters) == COPIES  # the site's copies were found
    assert _clusters(db) == clusters


def _keys(prefix: str) -> list[bytes]:
    import redis

    server = redis.Redis.from_url(REDIS_URL)
    keys = list(server.scan_iter(f"{prefix}:*"))
    server.close()
    return keys


def test_each_cycle_has_a_seen_set_of_its_own(db: str, redis_prefix: str) -> None:
    """A finished cycle leaves nothing in Redis, so the next one fetches everything it asks
    for again: an incremental crawl its feeds and listings (no stored article), a --full
    crawl every article as well."""
    site = _site()
    articles = {article_path(a) for a in site.articles}
    with SiteServer(site) as server:
        first = run_jpnews(*_crawl_line(db, server, redis_prefix))
        assert first.returncode == 0, first.stderr[-3000:]
        assert _keys(redis_prefix) == []
        before = len(server.log)
        second = run_jpnews(*_crawl_line(db, server, redis_prefix))
        assert second.returncode == 0, second.stderr[-3000:]
        again = {path for path, _ in server.log[before:]}
        before = len(server.log)
        third = run_jpnews(*_crawl_line(db, server, redis_prefix, "--full"))
        assert third.returncode == 0, third.stderr[-3000:]
        full = {path for path, _ in server.log[before:]}
    assert any("feed" in path for path in again), again
    assert not again & articles
    assert articles <= full
    assert _keys(redis_prefix) == []
    cycles = [run["stats"]["jpnews/frontier/cycle"] for run in _runs(db)]
    assert len(set(cycles)) == 3


def _worker(db: str, server: SiteServer, prefix: str, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "crawler.cli",
                             *_crawl_line(db, server, prefix, *extra)], cwd=ROOT, text=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _held_by(prefix: str, pid: int) -> list[str]:
    """The URLs a worker process holds in its processing hash now."""
    import redis

    server = redis.Redis.from_url(REDIS_URL)
    held = []
    for key in server.scan_iter(f"{prefix}:japantoday:*:processing:*:{pid}:*"):
        held += [json.loads(data)["url"] for data in server.hvals(key)]
    server.close()
    return held


KEEPS_EVERYTHING = ["-s", "JPNEWS_STORE_FLUSH_SECONDS=600", "-s", "JPNEWS_STORE_BATCH_SIZE=10000"]
"""A victim's settings: every article it fetches stays in its memory, none is stored."""


OUTLIVES_ITS_PEER = ["-s", "JPNEWS_REDIS_HEARTBEAT=10"]
"""A victim's heartbeat, longer than its peer's (2 s): its alive key outlasts it by 7.5-10 s,
in which the peer runs out of other work and must stay open, idle, for the dead worker's
requests (with 2 s the peer was often still busy when they came back, and a peer that ended
the cycle as soon as it was idle passed)."""


def _path(url: str) -> str:
    return "/" + url.split("//", 1)[1].split("/", 1)[1]


def _wait_a_third_through(victim: subprocess.Popen[str], server: SiteServer,
                          articles: set[str], prefix: str, *, holding: int = 0) -> None:
    """Until a third of the site's articles are fetched and the victim holds at least
    `holding` article requests in its processing hash."""
    deadline = time.monotonic() + 120
    while (sum(path in articles for path, _ in server.log) < ARTICLES // 3
           or sum(_path(url) in articles for url in _held_by(prefix, victim.pid)) < holding):
        assert victim.poll() is None, victim.stderr.read()[-3000:]
        assert time.monotonic() < deadline, "the victim fetched too few articles"
        time.sleep(0.02)


def _kill(victim: subprocess.Popen[str], prefix: str) -> list[str]:
    """SIGKILL the victim; the URLs it held when it died."""
    victim.send_signal(signal.SIGKILL)
    victim.wait()
    return _held_by(prefix, victim.pid)


def _finish(worker: subprocess.Popen[str], what: str) -> str:
    """The worker's stderr once it exits by itself; a failure, not a hang, if it never does."""
    try:
        _, err = worker.communicate(timeout=180)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.communicate()
        pytest.fail(f"{what} never finished the cycle")
    assert worker.returncode == 0, err[-3000:]
    return err


def test_a_worker_killed_mid_crawl_loses_nothing(db: str, redis_prefix: str) -> None:
    """The victim keeps its articles in memory (a long flush interval) and is SIGKILLed a third
    of the way through the site: the pages it fetched but had not stored, and those it was
    fetching, are fetched again by a worker that joins the cycle after."""
    site = _site(delay=0.1)
    articles = {article_path(a) for a in site.articles}
    with SiteServer(site) as server:
        victim = _worker(db, server, redis_prefix, *KEEPS_EVERYTHING)
        _wait_a_third_through(victim, server, articles, redis_prefix)
        held = _kill(victim, redis_prefix)
        before = len(server.log)
        by_victim = {path for path, _ in server.log} & articles
        with psycopg.connect(db) as conn:  # the victim's articles were all in its memory
            assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 0
        survivor = _worker(db, server, redis_prefix)
        _finish(survivor, "the survivor")
        after_kill = {path for path, _ in server.log[before:]}
    served = _served(site)
    with psycopg.connect(db) as conn:
        stored = [row[0] for row in conn.execute("SELECT canonical_url FROM articles")]
    assert sorted(stored) == sorted(served)
    runs = _runs(db)
    survivor_run = runs[-1]
    assert survivor_run["reason"] == "finished"
    assert survivor_run["stats"].get(REQUEUED, 0) >= len(held) > 0
    assert {_path(url) for url in held} <= after_kill  # what it held, fetched again
    assert by_victim <= after_kill  # none of its articles had been stored


def test_a_worker_killed_beside_a_running_one_loses_nothing(db: str, redis_prefix: str) -> None:
    """Two workers start on one cycle; the victim, which keeps every article it fetches in
    memory, is SIGKILLed a third of the way through while the survivor runs on, never
    restarted. The survivor does not close while the dead worker's processing hash holds requests, gives them back to
    the queue once its heartbeat expires, fetches them itself and ends the cycle: every article
    stored once, no key left in Redis."""
    import redis

    site = _site(delay=0.1)
    articles = {article_path(a) for a in site.articles}
    frontier = redis.Redis.from_url(REDIS_URL, decode_responses=True)
    with SiteServer(site) as server:
        victim = _worker(db, server, redis_prefix, *KEEPS_EVERYTHING, *OUTLIVES_ITS_PEER)
        survivor = _worker(db, server, redis_prefix)
        try:
            _wait_a_third_through(victim, server, articles, redis_prefix, holding=5)
            held = _kill(victim, redis_prefix)
            cycle = frontier.get(f"{redis_prefix}:japantoday:cycle")
            workers = frontier.smembers(f"{redis_prefix}:japantoday:{cycle}:workers")
            before = len(server.log)
            assert survivor.poll() is None, "the survivor stopped before its peer was killed"
        except BaseException:  # neither worker outlives a failed test
            for worker in (victim, survivor):
                worker.kill()
                worker.communicate()
            raise
        _finish(survivor, "the survivor")
        after_kill = [path for path, _ in server.log[before:]]
    frontier.close()
    assert len(workers) == 2 and any(f":{survivor.pid}:" in w for w in workers), workers
    held_articles = {_path(url) for url in held} & articles
    assert held_articles <= set(after_kill)  # what the victim held, fetched again
    served = _served(site)
    with psycopg.connect(db) as conn:
        stored = [row[0] for row in conn.execute("SELECT canonical_url FROM articles")]
        versions = conn.execute("SELECT count(*) FROM article_versions").fetchone()[0]
    assert sorted(stored) == sorted(served)  # every article, once
    assert versions == len(served)
    finished = [run for run in _runs(db) if run["reason"] is not None]
    assert len(finished) == 1, finished  # the victim's run was never recorded as over
    stats = finished[0]["stats"]
    assert f":{survivor.pid}:" in stats["jpnews/frontier/worker"]
    assert finished[0]["reason"] == "finished"
    assert stats["jpnews/frontier/cycle"] == cycle
    assert stats.get(REQUEUED) == len(held) >= len(held_articles) >= 5  # all it held, by it
    assert stats.get("jpnews/frontier/ended_cycle") is True
    assert _keys(redis_prefix) == []


def test_a_worker_taken_for_dead_that_wakes_up_is_watched_again(db: str,
                                                                 redis_prefix: str) -> None:
    """A worker stopped (SIGSTOP) longer than its heartbeat is taken for dead: its peer gives
    its requests back. When it wakes up it beats and takes new requests; killed then, those
    must come back too, so its peer must know it again (it had dropped it from the cycle's
    workers, and an unknown worker's requests were neither waited for nor requeued)."""
    import redis

    site = _site(delay=0.1)
    articles = {article_path(a) for a in site.articles}
    frontier = redis.Redis.from_url(REDIS_URL, decode_responses=True)
    with SiteServer(site) as server:
        sleeper = _worker(db, server, redis_prefix, *KEEPS_EVERYTHING)
        survivor = _worker(db, server, redis_prefix)
        try:
            _wait_a_third_through(sleeper, server, articles, redis_prefix, holding=1)
            cycle = frontier.get(f"{redis_prefix}:japantoday:cycle")
            alive = [key for key in frontier.scan_iter(f"{redis_prefix}:japantoday:alive:*")
                     if f":{sleeper.pid}:" in key]
            sleeper.send_signal(signal.SIGSTOP)
            deadline = time.monotonic() + 60
            while _held_by(redis_prefix, sleeper.pid):  # its peer gave them back
                assert time.monotonic() < deadline, "the stopped worker was never requeued"
                time.sleep(0.05)
            sleeper.send_signal(signal.SIGCONT)
            while not (frontier.exists(*alive) and _held_by(redis_prefix, sleeper.pid)):
                assert sleeper.poll() is None and survivor.poll() is None, "a worker stopped"
                assert time.monotonic() < deadline, "the woken worker took no new request"
                time.sleep(0.02)
            held = _kill(sleeper, redis_prefix)
        except BaseException:  # neither worker outlives a failed test
            for worker in (sleeper, survivor):
                worker.send_signal(signal.SIGCONT)
                worker.kill()
                worker.communicate()
            raise
        _finish(survivor, "the survivor")
    frontier.close()
    assert len(alive) == 1 and cycle and held
    with psycopg.connect(db) as conn:
        stored = [row[0] for row in conn.execute("SELECT canonical_url FROM articles")]
    assert sorted(stored) == sorted(_served(site))  # every article, once
    assert _keys(redis_prefix) == []


@pytest.mark.parametrize(("args", "says"), [
    (["--redis", "redis://127.0.0.1:9/0"], "cannot reach Redis at redis://127.0.0.1:9/0"),
    (["--workers", "2"], "--workers N needs N >= 1 and --redis URL"),
    (["--redis", REDIS_URL, "--resume"], "--resume and --redis"),
])
def test_frontier_mistakes_are_one_line(args: list[str], says: str) -> None:
    """Refused before any crawl starts (no database is reached either)."""
    import redis

    if "--resume" in args:
        try:
            redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
        except (redis.RedisError, OSError) as exc:
            pytest.skip(f"no Redis server answers at {REDIS_URL} ({exc})")
    done = run_jpnews("crawl", "japantoday", "--database-url",
                      "postgresql://nobody@127.0.0.1:9/none", *args,
                      env={"JPNEWS_REDIS_URL": ""})
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("jpnews: error: ") and says in lines[0], \
        done.stderr
