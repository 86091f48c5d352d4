-- Raw pages are stored as fetched, in `body`, and compressed by Postgres itself (TOAST, lz4 where
-- the server is built with it, else its own pglz): gzip in the crawler cost about 0.8 ms of the
-- crawler's one busy core per page, lz4 on the server's side costs a tenth of that, off it.
-- Rows written before keep their gzip bytes in `body_gz`; every reader takes `body` when set,
-- else gunzips `body_gz` (crawler/storage/articles.py page_body).
ALTER TABLE raw_pages ADD COLUMN IF NOT EXISTS body bytea;
ALTER TABLE raw_pages ALTER COLUMN body_gz DROP NOT NULL;
DO $$
BEGIN
    IF current_setting('server_version_num')::int >= 140000 THEN  -- 13 knows only pglz
        EXECUTE 'ALTER TABLE raw_pages ALTER COLUMN body SET COMPRESSION lz4';
    END IF;
EXCEPTION WHEN feature_not_supported THEN
    NULL;  -- a server built without lz4 (the embedded one): TOAST compresses with pglz
END
$$;
ALTER TABLE raw_pages ADD CONSTRAINT raw_pages_body_kept
    CHECK (body IS NOT NULL OR body_gz IS NOT NULL);
