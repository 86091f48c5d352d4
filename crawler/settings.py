"""Scrapy settings of jpnews. Every knob a user turns has an environment override (JPNEWS_*,
DATABASE_URL); anything else can still be set per run with `scrapy crawl -s NAME=VALUE`."""

from __future__ import annotations

import json
import os


def _env(name: str, default: str) -> str:
    return os.environ.get(name, default)


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in ("1", "true", "yes", "on")


BOT_NAME = "jpnews"
SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"
COMMANDS_MODULE = "crawler.commands"  # `scrapy crawl` exits non-zero when nothing was fetched

# ---- politeness: on by default ------------------------------------------------------------------
USER_AGENT = _env("JPNEWS_USER_AGENT",
                  "jpnews/0.1 (+https://github.com/jpnews/jpnews; news archive crawler)")
ROBOTSTXT_OBEY = _env_bool("JPNEWS_OBEY_ROBOTS", True)
CONCURRENT_REQUESTS = int(_env("JPNEWS_CONCURRENT_REQUESTS", "16"))
CONCURRENT_REQUESTS_PER_DOMAIN = int(_env("JPNEWS_CONCURRENCY_PER_DOMAIN", "2"))
DOWNLOAD_DELAY = float(_env("JPNEWS_DOWNLOAD_DELAY", "1.0"))
AUTOTHROTTLE_ENABLED = _env_bool("JPNEWS_AUTOTHROTTLE", True)
AUTOTHROTTLE_START_DELAY = float(_env("JPNEWS_AUTOTHROTTLE_START_DELAY", "2.0"))
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = int(_env("JPNEWS_DOWNLOAD_TIMEOUT", "30"))
RETRY_ENABLED = True
RETRY_TIMES = int(_env("JPNEWS_RETRY_TIMES", "2"))
# A news page is well under a megabyte; a 20 MB one would stall the reactor for seconds.
DOWNLOAD_MAXSIZE = int(_env("JPNEWS_DOWNLOAD_MAXSIZE", str(10 * 1024 * 1024)))
DOWNLOAD_WARNSIZE = 3 * 1024 * 1024
COOKIES_ENABLED = False
# Redirects are followed within the outlet (or its mirror) only, and counted when they are not.
DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
    "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
    "crawler.redirects.OutletRedirects": 600,
    "crawler.redirects.OutletMetaRefresh": 580,
}
TELNETCONSOLE_ENABLED = False
HTTPCACHE_ENABLED = _env_bool("JPNEWS_HTTPCACHE", False)
HTTPCACHE_DIR = "httpcache"

# ---- pipeline ---------------------------------------------------------------------------------
ITEM_PIPELINES = {
    "pipelines.normalize.NormalizePipeline": 300,
    "pipelines.dedup.DedupPipeline": 500,
    "pipelines.validate.ArticleValidationPipeline": 700,  # the articles the store gets
    "pipelines.store.StorePipeline": 800,
}
DATABASE_URL = os.environ.get("DATABASE_URL")  # None: the embedded Postgres
JPNEWS_STORE_BATCH_SIZE = int(_env("JPNEWS_STORE_BATCH_SIZE", "100"))
JPNEWS_STORE_FLUSH_SECONDS = float(_env("JPNEWS_STORE_FLUSH_SECONDS", "5"))
JPNEWS_STORE_RETRIES = int(_env("JPNEWS_STORE_RETRIES", "3"))
JPNEWS_STORE_TIMEOUT = float(_env("JPNEWS_STORE_TIMEOUT", "10"))
JPNEWS_STORE_MAX_BUFFER = int(_env("JPNEWS_STORE_MAX_BUFFER", "20000"))
# What an outage may hold in memory, articles and raw pages together (pipelines/store.py)
JPNEWS_STORE_MAX_BUFFER_BYTES = int(_env("JPNEWS_STORE_MAX_BUFFER_BYTES",
                                         str(256 * 1024 * 1024)))

# ---- `jpnews import` ----------------------------------------------------------------------------
# Bytes of the longest line of a JSON-lines dump; a longer one is refused alone, never held whole.
JPNEWS_IMPORT_MAX_LINE = int(_env("JPNEWS_IMPORT_MAX_LINE", str(20 * 1024 * 1024)))

# ---- in-run monitors (crawler/monitors.py): results in the run's crawl_runs.monitors ------------
# A threshold removed here (or never set) leaves its monitor "skipped: not checked".
SPIDERMON_ENABLED = True
EXTENSIONS = {
    "crawler.monitors.RunMonitors": 100,  # after CoreStats, which sets finish_reason
    # With JOBDIR (`jpnews crawl --resume`): a job left by a killed crawl is not trusted.
    "crawler.jobs.JobDirectory": 0,
    # The heap of imported modules is frozen at engine start: full collections skip it.
    "crawler.heap.FreezeStartupHeap": 0,
}
JPNEWS_GC_FREEZE = _env_bool("JPNEWS_GC_FREEZE", True)
SPIDERMON_SPIDER_CLOSE_MONITORS = ("crawler.monitors.CloseMonitors",)
SPIDERMON_VALIDATION_SCHEMAS = ["crawler.article_schema.ARTICLE_SCHEMA"]
SPIDERMON_MAX_ITEM_VALIDATION_ERRORS = 0
SPIDERMON_ADD_FIELD_COVERAGE = True
SPIDERMON_FIELD_COVERAGE_SKIP_NONE = True  # None is a missing field, not a present one
SPIDERMON_DICT_FIELDS_COVERAGE_LEVELS = 0  # `provenance` counts as one field
SPIDERMON_FIELD_COVERAGE_SKIP_IF_NO_ITEM = True  # no article is no coverage drop (health: volume)
# Share of a run's articles that must have the field; spiders add their outlet's own
# (`field_coverage` in spiders/*.py, e.g. Japan Today's credit line).
SPIDERMON_FIELD_COVERAGE_RULES = {
    "Article/url": 1.0,
    "Article/title": 1.0,
    "Article/body": 1.0,
    "Article/source": 1.0,
    "Article/published_at": 0.8,
}
SPIDERMON_EXPECTED_FINISH_REASONS = ["finished"]
SPIDERMON_MAX_ERRORS = 0

# ---- many processes, one frontier (crawler/frontier.py) ----------------------------------------
# `jpnews crawl --redis URL` or JPNEWS_REDIS_URL: crawler processes on any host share the outlet's
# request queue and seen-set in Redis (scrapy-redis) and store into the one Postgres.
JPNEWS_REDIS_URL = os.environ.get("JPNEWS_REDIS_URL")
JPNEWS_REDIS_PREFIX = _env("JPNEWS_REDIS_PREFIX", "jpnews")  # keys: PREFIX:OUTLET:...
# Seconds a worker may go unheard before the others give its requests back to the queue.
JPNEWS_REDIS_HEARTBEAT = float(_env("JPNEWS_REDIS_HEARTBEAT", "10"))
# Seconds a crawl cycle's queue and seen-set outlive the last worker that touched them.
JPNEWS_REDIS_CYCLE_TTL = int(_env("JPNEWS_REDIS_CYCLE_TTL", "86400"))
if JPNEWS_REDIS_URL:
    SCHEDULER = "crawler.frontier.RedisFrontier"
SPIDER_MIDDLEWARES = {"crawler.frontier.SeedOnce": 50}  # off without JPNEWS_REDIS_URL

# ---- discovery ----------------------------------------------------------------------------------
# Serve an outlet from another origin (a mirror, the demo site): {"japantoday": "http://127.0.0.1:8000"}
JPNEWS_BASE_URLS = json.loads(_env("JPNEWS_BASE_URLS", "{}"))
JPNEWS_MAX_LISTING_PAGES = int(_env("JPNEWS_MAX_LISTING_PAGES", "3"))

# ---- incremental crawls (crawler/incremental.py) -------------------------------------------------
# A crawl fetches only new articles and those due for a re-check; `jpnews crawl --full` or
# JPNEWS_FULL_CRAWL=1 fetches everything listed, unconditionally, as a first crawl does.
JPNEWS_FULL_CRAWL = _env_bool("JPNEWS_FULL_CRAWL", False)
# Ages after publication at which a stored article is checked again: "1h,6h,24h,72h" for every
# outlet, "never", or JSON by outlet id ({"nippon_com": "24h,72h"}); unset: the registry's.
JPNEWS_RECHECK_AFTER = os.environ.get("JPNEWS_RECHECK_AFTER")
# The instant a crawl takes as now (ISO 8601): for tests of sites that change, and replays.
# The run's start and end and new articles' first_seen_at are recorded at it; `jpnews health`
# reads it from the environment and judges at it.
JPNEWS_NOW = os.environ.get("JPNEWS_NOW")

LOG_LEVEL = _env("JPNEWS_LOG_LEVEL", "INFO")
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
FEED_EXPORT_ENCODING = "utf-8"
# `scrapy crawl -O x.jsonl` writes articles as `jpnews import` reads them (crawler/feeds.py).
FEED_EXPORTERS = {
    "json": "crawler.feeds.ArticleJsonExporter",
    "jsonlines": "crawler.feeds.ArticleJsonLinesExporter",
    "jsonl": "crawler.feeds.ArticleJsonLinesExporter",
    "jl": "crawler.feeds.ArticleJsonLinesExporter",
}
