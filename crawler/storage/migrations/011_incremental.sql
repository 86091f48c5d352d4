-- Incremental crawls (crawler/incremental.py): what each URL last answered, so that the next
-- crawl asks conditionally (If-None-Match / If-Modified-Since) and skips what it knows.
-- Article pages get their row in the transaction that stores their raw page; feeds, sitemaps
-- and listings get theirs when a crawl finishes cleanly (a 304 on a feed must never hide
-- articles a broken run did not fetch).
CREATE TABLE IF NOT EXISTS page_checks (
    url               text PRIMARY KEY,
    canonical_url     text NOT NULL,
    source            text,
    kind              text NOT NULL,
    etag              text,
    last_modified     text,
    first_checked_at  timestamptz NOT NULL,
    checked_at        timestamptz NOT NULL,
    fetched_at        timestamptz
);
COMMENT ON COLUMN page_checks.checked_at IS 'last answer, 200 or 304 (Not Modified)';
COMMENT ON COLUMN page_checks.fetched_at IS 'last answer with a body (200)';
CREATE INDEX IF NOT EXISTS page_checks_source_kind_idx ON page_checks (source, kind);

-- What an incremental crawl spared: answers of article pages, 304s, known URLs not fetched,
-- and stored articles that were due for a re-check.
ALTER TABLE crawl_runs
    ADD COLUMN IF NOT EXISTS article_pages integer NOT NULL DEFAULT 0,
    ADD COLUMN IF NOT EXISTS not_modified integer NOT NULL DEFAULT 0,
    ADD COLUMN IF NOT EXISTS known_skipped integer NOT NULL DEFAULT 0,
    ADD COLUMN IF NOT EXISTS rechecks_due integer NOT NULL DEFAULT 0;
