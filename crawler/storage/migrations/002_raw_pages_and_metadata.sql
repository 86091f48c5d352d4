-- Raw pages for re-parsing without re-crawling; paywall flag; a fingerprint of the metadata so
-- that a corrected date or a parser fix refreshes a row without making a text version.
ALTER TABLE articles ADD COLUMN IF NOT EXISTS paywalled boolean NOT NULL DEFAULT false;
ALTER TABLE articles ADD COLUMN IF NOT EXISTS meta_hash text NOT NULL DEFAULT '';

-- One row per distinct body fetched from a URL: an unchanged re-fetch only moves
-- last_fetched_at. Bodies are gzip-compressed by the crawler (storage EXTERNAL: no second
-- compression by TOAST).
CREATE TABLE IF NOT EXISTS raw_pages (
    id               bigserial PRIMARY KEY,
    url              text NOT NULL,
    source           text,
    body_sha256      bytea NOT NULL,
    body_gz          bytea NOT NULL,
    body_size        integer NOT NULL,
    status           smallint NOT NULL,
    headers          jsonb NOT NULL DEFAULT '{}'::jsonb,
    fetched_at       timestamptz NOT NULL,
    last_fetched_at  timestamptz NOT NULL,
    crawl_run_id     bigint REFERENCES crawl_runs(id) ON DELETE SET NULL,
    UNIQUE (url, body_sha256)
);
ALTER TABLE raw_pages ALTER COLUMN body_gz SET STORAGE EXTERNAL;
CREATE INDEX IF NOT EXISTS raw_pages_source_fetched_idx ON raw_pages (source, fetched_at);

ALTER TABLE crawl_runs ADD COLUMN IF NOT EXISTS articles_refreshed integer NOT NULL DEFAULT 0;
