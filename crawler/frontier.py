"""One crawl frontier shared by many crawler processes, on one host or many: scrapy-redis.

With JPNEWS_REDIS_URL set (`jpnews crawl --redis URL`), every crawler process of an outlet takes
its requests from one Redis sorted set (scrapy-redis' PriorityQueue) and filters them through one
fingerprint set (scrapy-redis' RFPDupeFilter); what they find goes into the one Postgres, where
article identity and story clusters live as in a one-process crawl. Three things scrapy-redis
does not do are done here, at the seam of its Scheduler:

- **Cycles.** A crawl of an outlet is a cycle: the first process to find no cycle running starts
  one (an atomic SET-if-absent in Redis) and alone pushes the seeds (feeds, sitemaps, listings,
  due re-checks: the SeedOnce spider middleware drops them in the other processes, whose
  `start()` still runs, for the store's knowledge of the outlet it loads). The queue and the
  fingerprint set are keyed by cycle and expire, so the next cycle fetches the feeds and
  listings again and the set never grows for ever. A cycle ends when its queue is empty, no
  process holds a request and no seeds are still coming; the process that sees it first deletes
  its keys, the others then close too.
- **No request lost with its process.** scrapy-redis pops a request and forgets it; here the pop
  moves it, atomically (a Lua script), into a "processing" hash of the popping worker, where it
  stays until its page is handled and what it gave is stored in Postgres (the store says how far
  its writes have reached: `StorePipeline.durable_through`). Each worker renews a heartbeat key;
  the others give the requests of a worker whose heartbeat expired (SIGKILL, a lost host) back
  to the queue. A page fetched twice that way is stored once: articles are keyed by canonical
  URL in Postgres.
- **`async def start()`.** Scrapy 2.13's start() is what our spiders have; scrapy-redis' own
  support for it is unreleased, so the seeds go through Scrapy's ordinary start path and into
  this scheduler like any other request.

Requests are stored as JSON (crawler/frontier_json.py), not pickled.
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import psycopg
import redis
from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider, NotConfigured
from scrapy_redis import connection
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.queue import PriorityQueue
from scrapy_redis.scheduler import Scheduler
from twisted.internet import task

from crawler import frontier_json
from crawler.outcome import FRONTIER_REFUSED, SKIPPED

log = logging.getLogger(__name__)

SCHEDULER = "crawler.frontier.RedisFrontier"
seeds_pushed = object()
"""Signal: the spider's start() is exhausted (its seeds, if this process pushes them, are in)."""

IDLE_POLL = 0.2
"""Seconds between an idle worker's looks at the frontier (a Lua script and a pipeline each)."""

REQUEUED = "jpnews/frontier/requeued"
"""Requests of dead workers this process gave back to the queue."""


class FrontierUnavailable(Exception):
    """Redis does not answer: a crawl without its frontier has nothing to do."""


def redis_settings(url: str) -> dict[str, Any]:
    """The settings that put a crawl on the shared frontier (`jpnews crawl --redis URL`)."""
    return {"JPNEWS_REDIS_URL": url, "SCHEDULER": SCHEDULER}


def connect(url: str) -> redis.Redis:
    """A client of the frontier's server; FrontierUnavailable when it does not answer."""
    try:
        server = connection.get_redis(url=url, socket_timeout=10, socket_connect_timeout=5,
                                      retry_on_timeout=True)
    except ValueError as exc:  # redis-py's verdict on the URL: scheme, port, database
        raise FrontierUnavailable(f"not a Redis URL: {url} ({exc})") from None
    try:
        server.ping()
    except (redis.RedisError, OSError) as exc:
        raise FrontierUnavailable(f"cannot reach Redis at {url}: {exc}") from None
    return server


# KEYS: cycle key; ARGV: new cycle id, ttl, this crawl's identity, the outlet's key prefix.
# Returns {cycle id, 1 if this call started it, the identity of the crawl that started it}.
_JOIN = """
local current = redis.call('GET', KEYS[1])
if current then
  return {current, 0, redis.call('GET', ARGV[4] .. ':' .. current .. ':identity') or ''}
end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
redis.call('SET', ARGV[4] .. ':' .. ARGV[1] .. ':identity', ARGV[3], 'EX', ARGV[2])
return {ARGV[1], 1, ARGV[3]}
"""

# KEYS: seen set, queue; ARGV: fingerprint ('' for a request never filtered), score, request.
# Seen and queued in one step: a worker killed between the two would lose the request for good.
_PUSH = """
if ARGV[1] ~= '' and redis.call('SADD', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[3])
return 1
"""

# KEYS: queue, processing, scores, token counter. The best request, moved to the worker's hash.
_POP = """
local top = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #top == 0 then return false end
redis.call('ZREM', KEYS[1], top[1])
local token = redis.call('INCR', KEYS[4])
redis.call('HSET', KEYS[2], token, top[1])
redis.call('HSET', KEYS[3], token, top[2])
return {token, top[1]}
"""

# KEYS: queue, processing, scores, workers; ARGV: worker id. A worker's requests back in the queue.
_REQUEUE = """
local held = redis.call('HGETALL', KEYS[2])
for i = 1, #held, 2 do
  local score = redis.call('HGET', KEYS[3], held[i]) or '0'
  redis.call('ZADD', KEYS[1], score, held[i + 1])
end
redis.call('DEL', KEYS[2], KEYS[3])
redis.call('SREM', KEYS[4], ARGV[1])
return #held / 2
"""

# KEYS: queue, workers, seeding; ARGV: prefix of the processing hashes. 1 when nothing is left.
_DRAINED = """
if redis.call('EXISTS', KEYS[3]) == 1 then return 0 end
if redis.call('ZCARD', KEYS[1]) > 0 then return 0 end
for _, worker in ipairs(redis.call('SMEMBERS', KEYS[2])) do
  if redis.call('HLEN', ARGV[1] .. worker) > 0 then return 0 end
end
return 1
"""

# KEYS: cycle key, the cycle's workers; ARGV: the cycle id, a worker. Adds the worker to them
# while that cycle runs.
_ENLIST = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('SADD', KEYS[2], ARGV[2]) end
return 0
"""

# KEYS: cycle key; ARGV: the cycle id. Deletes it only if it is still that cycle.
_END = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""


def worker_prefix(pid: int) -> str:
    """How a worker's id begins ("HOST:PID:"): its crawl runs can be told from the others'
    by the process that made them (crawler/scheduler.py)."""
    return f"{socket.gethostname()}:{pid}:"


def crawl_identity(settings: Any, outlet: str) -> str:
    """What a cycle's workers must share besides Redis: the database they store into and the
    origin they fetch the outlet from. A process with another one (staging beside production,
    a test run, a mirror) would otherwise take the cycle's requests and store the pages where
    the others never see them, while the cycle's seen-set keeps the others from fetching them.

    The database is named with the instant its first migration was applied, which two
    databases do not share even under one name on two servers.
    """
    from crawler.storage.db import DatabaseUnavailable, connect, database_url, migrate

    mirror = (settings.getdict("JPNEWS_BASE_URLS") or {}).get(outlet) or "the outlet's own site"
    try:
        with connect(database_url(settings.get("DATABASE_URL"))) as conn:
            migrate(conn)
            name, created = conn.execute(
                "SELECT current_database(), min(applied_at) FROM schema_migrations").fetchone()
    except (DatabaseUnavailable, psycopg.Error):  # the store says so, on its own terms
        return f"an unreachable database, from {mirror}"
    return f"database {name} (set up {created.isoformat()}), from {mirror}"


@dataclass(frozen=True)
class Keys:
    """The Redis keys of one outlet's frontier; all but `cycle` and `alive` are a cycle's."""

    base: str
    cycle_id: str = ""

    def of(self, cycle_id: str) -> Keys:
        return Keys(self.base, cycle_id)

    @property
    def cycle(self) -> str:
        return f"{self.base}:cycle"

    def _c(self, name: str) -> str:
        return f"{self.base}:{self.cycle_id}:{name}"

    @property
    def queue(self) -> str:
        return self._c("requests")

    @property
    def seen(self) -> str:
        return self._c("seen")

    @property
    def workers(self) -> str:
        return self._c("workers")

    @property
    def seeding(self) -> str:
        return self._c("seeding")

    @property
    def tokens(self) -> str:
        return self._c("tokens")

    @property
    def identity(self) -> str:
        return self._c("identity")

    def processing(self, worker: str = "") -> str:
        return self._c(f"processing:{worker}")

    def scores(self, worker: str) -> str:
        return self._c(f"scores:{worker}")

    def alive(self, worker: str) -> str:
        return f"{self.base}:alive:{worker}"


class RedisFrontier(Scheduler):
    """scrapy-redis' Scheduler with cycles, in-flight tracking and a heartbeat (see above)."""

    def __init__(self, crawler: Crawler, server: redis.Redis, *, prefix: str,
                 heartbeat: float, cycle_ttl: int) -> None:
        super().__init__(server, persist=True, serializer=frontier_json)
        self.crawler = crawler
        self.stats = crawler.stats
        self.prefix = prefix
        self.heartbeat = heartbeat
        self.cycle_ttl = cycle_ttl
        self.worker = worker_prefix(os.getpid()) + uuid.uuid4().hex[:6]
        self.keys = Keys(prefix)
        self.seeder = False
        self.seeding = False
        self.held: dict[int, Request] = {}
        """Requests this worker popped and still works on, by their token in its hash."""
        self.finished: list[tuple[int, int]] = []
        """(token, store mark): handled, acknowledged once the store is durable that far."""
        self.timer: task.LoopingCall | None = None
        self.store: Any = None
        self.redis_down = False
        self.refused: str | None = None
        """Why this process did not join the running cycle (another database or mirror)."""
        self._join = server.register_script(_JOIN)
        self._push = server.register_script(_PUSH)
        self._pop = server.register_script(_POP)
        self._requeue = server.register_script(_REQUEUE)
        self._drained = server.register_script(_DRAINED)
        self._end = server.register_script(_END)
        self._enlist = server.register_script(_ENLIST)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedisFrontier:
        settings = crawler.settings
        url = settings.get("JPNEWS_REDIS_URL")
        if not url:
            raise FrontierUnavailable("the Redis frontier needs JPNEWS_REDIS_URL")
        frontier = cls(crawler, connect(url),
                       prefix=settings.get("JPNEWS_REDIS_PREFIX", "jpnews"),
                       heartbeat=settings.getfloat("JPNEWS_REDIS_HEARTBEAT", 10.0),
                       cycle_ttl=settings.getint("JPNEWS_REDIS_CYCLE_TTL", 86400))
        crawler.signals.connect(frontier.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(frontier.seeds_done, signal=seeds_pushed)
        return frontier

    @property
    def out_of_cycle(self) -> bool:
        """This process takes no part in a cycle: the outlet is crawled by a one-process run
        (SKIPPED), Redis went away, or the running cycle is another database's."""
        return bool(self.stats.get_value(SKIPPED) or self.redis_down or self.refused)

    # ---- Scrapy's scheduler interface ---------------------------------------------------------

    def open(self, spider: Spider) -> None:
        self.spider = spider
        base = Keys(f"{self.prefix}:{spider.name}")
        ours = crawl_identity(self.crawler.settings, spider.name)
        cycle_id, started, theirs = (
            part.decode() if isinstance(part, bytes) else part
            for part in self._join(keys=[base.cycle], args=[uuid.uuid4().hex[:12],
                                                            self.cycle_ttl, ours, base.base]))
        self.keys = base.of(cycle_id)
        if not started and theirs and theirs != ours:
            self.refused = (f"the Redis frontier {base.base} runs a crawl into {theirs}, not "
                            f"into {ours}: give this crawl a JPNEWS_REDIS_PREFIX of its own")
            self.stats.set_value(FRONTIER_REFUSED, self.refused)  # the crawl fails with it
            return
        self.seeder = self.seeding = bool(started)
        self.queue = PriorityQueue(self.server, spider, self.keys.queue, frontier_json)
        self.df = RFPDupeFilter(self.server, self.keys.seen,
                                self.crawler.settings.getbool("DUPEFILTER_DEBUG"))
        if self.seeding:
            self.server.set(self.keys.seeding, self.worker, ex=self._ttl())
        self._beat()
        seeds = self.crawler.get_spider_middleware(SeedOnce)
        if seeds is not None:
            seeds.seeding = self.seeder
        from pipelines.store import StorePipeline  # the store tells how far it has written

        self.store = self.crawler.get_item_pipeline(StorePipeline)
        self.stats.set_value("jpnews/frontier/cycle", self.keys.cycle_id)
        self.stats.set_value("jpnews/frontier/worker", self.worker)
        self.stats.set_value("jpnews/frontier/seeder", self.seeder)
        log.info("%s: %s cycle %s of the Redis frontier as worker %s", spider.name,
                 "started" if self.seeder else "joined", self.keys.cycle_id, self.worker)
        self.timer = task.LoopingCall(self.tick)
        self.timer.start(max(self.heartbeat / 4, 0.2), now=False)

    def enqueue_request(self, request: Request) -> bool:
        """scrapy-redis' own (its fingerprint, its encoding, its priority as the score), with
        the fingerprint added and the request queued in one atomic step."""
        if self.refused:
            return False
        fingerprint = "" if request.dont_filter else self.df.request_fingerprint(request)
        if not self._push(keys=[self.keys.seen, self.keys.queue],
                          args=[fingerprint, -request.priority,
                                self.queue._encode_request(request)]):
            self.df.log(request, self.spider)
            return False
        self.stats.inc_value("scheduler/enqueued/redis")
        return True

    def next_request(self) -> Request | None:
        if self.out_of_cycle:
            return None
        k = self.keys
        try:
            popped = self._pop(keys=[k.queue, k.processing(self.worker), k.scores(self.worker),
                                     k.tokens])
        except redis.RedisError as exc:
            self._lost(exc)
            return None
        if not popped:
            return None
        token, data = int(popped[0]), popped[1]
        request = self.queue._decode_request(data)
        self.held[token] = request
        self.stats.inc_value("scheduler/dequeued/redis")
        return request

    def has_pending_requests(self) -> bool:
        if self.out_of_cycle:
            return False
        return super().has_pending_requests()

    def close(self, reason: str) -> None:
        """The store has written what it could (Scrapy closes pipelines first): what this
        worker handled is acknowledged, what it did not goes back to the queue."""
        if self.timer is not None and self.timer.running:
            self.timer.stop()
        if self.redis_down or self.refused:
            return
        try:
            self._settle(closing=True)
            back = self._requeue(keys=[self.keys.queue, self.keys.processing(self.worker),
                                       self.keys.scores(self.worker), self.keys.workers],
                                 args=[self.worker])
            if back:
                log.info("%s: %d requests not done given back to the frontier",
                         self.spider.name, back)
            if self.seeding:  # stopped before its seeds were in: the cycle goes on without
                self.server.delete(self.keys.seeding)
            self.server.delete(self.keys.alive(self.worker))
        except redis.RedisError as exc:
            log.error("%s: Redis: %s (this worker's requests go back when its heartbeat "
                      "expires)", self.spider.name, exc)

    # ---- the cycle ----------------------------------------------------------------------------

    def seeds_done(self) -> None:
        if not self.seeding:
            return
        self.seeding = False
        self.server.delete(self.keys.seeding)
        if self.stats.get_value(SKIPPED):  # a one-process crawl of the outlet runs: no cycle
            self._end(keys=[self.keys.cycle], args=[self.keys.cycle_id])

    def spider_idle(self, spider: Spider) -> None:
        """Close only when the whole frontier is done, not when this worker's share is: another
        worker may still push pages it finds, or die and leave its requests to the others."""
        if self.out_of_cycle:
            return
        self._settle()
        if self.held or self.finished:
            if self.store is not None:
                self.store.flush()  # idle: write what waits, so that it can be acknowledged
            self._look_again_soon()
            raise DontCloseSpider
        k = self.keys
        if not self._drained(keys=[k.queue, k.workers, k.seeding], args=[k.processing()]):
            self._look_again_soon()
            raise DontCloseSpider
        if self._end(keys=[k.cycle], args=[k.cycle_id]):
            self.server.delete(k.queue, k.seen, k.tokens, k.workers, k.identity)
            log.info("%s: cycle %s of the Redis frontier is done", spider.name, k.cycle_id)
            self.stats.set_value("jpnews/frontier/ended_cycle", True)

    def tick(self) -> None:
        """The heartbeat: this worker is alive, its finished requests are acknowledged, the
        requests of dead workers go back to the queue, the cycle's keys live on."""
        if self.redis_down:
            return
        try:
            self._beat()
            self._settle()
            self._requeue_dead()
        except redis.RedisError as exc:
            self._lost(exc)
            return
        slot = getattr(self.crawler.engine, "_slot", None)
        if slot is not None:  # look at the queue (and at the end of the cycle) now, not in the
            slot.nextcall.schedule()  # engine's 5 s: requeued requests, acknowledged ones

    def _look_again_soon(self) -> None:
        """An idle worker waits for the store's flush, for the seeder's first pages or for the
        others' last ones: it looks at the frontier again in IDLE_POLL seconds rather than at
        the next heartbeat or the engine's 5 s, which made each such wait cost seconds."""
        slot = getattr(self.crawler.engine, "_slot", None)
        if slot is not None:
            slot.nextcall.schedule(IDLE_POLL)

    def _ttl(self) -> int:
        return max(int(self.heartbeat + 0.999), 1)

    def _beat(self) -> None:
        """Alive, then a worker of the cycle, in that order and at every beat: a peer that took
        this worker for dead (a pause longer than the heartbeat, or a look between the two
        steps as it joined) dropped it from the cycle's workers, and the requests it takes after
        that must still be waited for and, should it die, given back."""
        k = self.keys
        with self.server.pipeline(transaction=False) as pipe:
            pipe.set(k.alive(self.worker), "1", ex=self._ttl())
            # not into a cycle that has ended: its workers key would be made again, for a day
            self._enlist(keys=[k.cycle, k.workers], args=[k.cycle_id, self.worker],
                         client=pipe)
            if self.seeding:
                pipe.expire(k.seeding, self._ttl())
            for key in (k.cycle, k.identity, k.queue, k.seen, k.workers, k.tokens,
                        k.processing(self.worker), k.scores(self.worker)):
                pipe.expire(key, self.cycle_ttl)
            pipe.execute()

    def _settle(self, *, closing: bool = False) -> None:
        """Acknowledge the requests whose page is handled and whose articles are stored."""
        engine = self.crawler.engine
        slot = getattr(engine, "_slot", None) if engine is not None else None
        in_progress = slot.inprogress if slot is not None and not closing else set()
        mark = self.store.accepted if self.store is not None else 0
        for token, request in list(self.held.items()):
            if request not in in_progress:
                del self.held[token]
                self.finished.append((token, mark))
        durable = self.store.durable_through() if self.store is not None else mark
        done = [token for token, at in self.finished if at <= durable]
        if not done:
            return
        self.finished = [(token, at) for token, at in self.finished if at > durable]
        with self.server.pipeline(transaction=False) as pipe:
            pipe.hdel(self.keys.processing(self.worker), *done)
            pipe.hdel(self.keys.scores(self.worker), *done)
            pipe.execute()

    def _requeue_dead(self) -> None:
        k = self.keys
        for member in self.server.smembers(k.workers):
            worker = member.decode() if isinstance(member, bytes) else member
            if worker == self.worker or self.server.exists(k.alive(worker)):
                continue
            back = self._requeue(keys=[k.queue, k.processing(worker), k.scores(worker),
                                       k.workers], args=[worker])
            if back:
                self.stats.inc_value(REQUEUED, int(back))
                log.warning("%s: worker %s stopped answering: its %d requests are back in "
                            "the queue", self.spider.name, worker, back)

    def _lost(self, exc: Exception) -> None:
        """Redis went away: this worker stops taking requests and finishes what it has; what
        it holds in Redis goes back to the others when its heartbeat expires."""
        if not self.redis_down:
            log.error("%s: Redis frontier lost: %s", self.spider.name, exc)
            self.stats.set_value("jpnews/frontier/lost", str(exc))
        self.redis_down = True


class SeedOnce:
    """Spider middleware: the seeds of a cycle are pushed by the worker that started it alone.

    The spider's `start()` still runs in every worker (it loads what the store knows of the
    outlet, which every worker's callbacks use); the others drop its requests. When start() is
    exhausted the frontier hears of it (`seeds_pushed`), so that no worker takes an empty queue
    for the end of the cycle while seeds are still coming.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.seeding: bool | None = None
        """Set by the frontier as it opens (before start() is read)."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SeedOnce:
        if not crawler.settings.get("JPNEWS_REDIS_URL"):
            raise NotConfigured
        return cls(crawler)

    async def process_start(self, start: AsyncIterator[Any]) -> AsyncIterator[Any]:
        async for item in start:
            if self.seeding or not isinstance(item, Request):
                yield item
            else:
                self.crawler.stats.inc_value("jpnews/frontier/seeds_left_to_seeder")
        self.crawler.signals.send_catch_log(seeds_pushed)
