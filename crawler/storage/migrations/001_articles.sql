-- Articles, their version history and crawl runs.
CREATE TABLE IF NOT EXISTS crawl_runs (
    id             bigserial PRIMARY KEY,
    spider         text NOT NULL,
    started_at     timestamptz NOT NULL DEFAULT now(),
    finished_at    timestamptz,
    finish_reason  text,
    pages          integer NOT NULL DEFAULT 0,
    articles_new   integer NOT NULL DEFAULT 0,
    articles_updated   integer NOT NULL DEFAULT 0,
    articles_unchanged integer NOT NULL DEFAULT 0,
    dropped        jsonb NOT NULL DEFAULT '{}'::jsonb,
    errors         integer NOT NULL DEFAULT 0,
    stats          jsonb NOT NULL DEFAULT '{}'::jsonb
);

CREATE TABLE IF NOT EXISTS articles (
    id             bigserial PRIMARY KEY,
    canonical_url  text NOT NULL UNIQUE,
    url            text NOT NULL,
    source         text NOT NULL,
    source_name    text NOT NULL,
    source_group   text,
    title          text NOT NULL,
    body           text NOT NULL,
    summary        text,
    published_at   timestamptz,
    modified_at    timestamptz,
    credit         text,
    credit_agency  text,
    authors        text[] NOT NULL DEFAULT '{}',
    section        text,
    tags           text[] NOT NULL DEFAULT '{}',
    language       text,
    editor_note    text,
    image_url      text,
    crawled_at     timestamptz NOT NULL,
    first_seen_at  timestamptz NOT NULL DEFAULT now(),
    content_hash   text NOT NULL,
    version        integer NOT NULL DEFAULT 1,
    provenance     jsonb NOT NULL DEFAULT '{}'::jsonb,
    crawl_run_id   bigint REFERENCES crawl_runs(id) ON DELETE SET NULL,
    -- English stemming for English articles, the simple parser otherwise; title above body.
    search         tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector(CASE WHEN language = 'en' THEN 'english'::regconfig
                                   ELSE 'simple'::regconfig END, coalesce(title, '')), 'A') ||
        setweight(to_tsvector(CASE WHEN language = 'en' THEN 'english'::regconfig
                                   ELSE 'simple'::regconfig END, coalesce(body, '')), 'B')
    ) STORED
);

CREATE INDEX IF NOT EXISTS articles_search_idx ON articles USING gin (search);
CREATE INDEX IF NOT EXISTS articles_published_idx ON articles (published_at DESC NULLS LAST);
CREATE INDEX IF NOT EXISTS articles_source_published_idx
    ON articles (source, published_at DESC NULLS LAST);
CREATE INDEX IF NOT EXISTS articles_group_published_idx
    ON articles (source_group, published_at DESC NULLS LAST);

-- Every distinct text an article has had, the first included: history is never overwritten.
CREATE TABLE IF NOT EXISTS article_versions (
    id            bigserial PRIMARY KEY,
    article_id    bigint NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    version       integer NOT NULL,
    content_hash  text NOT NULL,
    title         text NOT NULL,
    body          text NOT NULL,
    editor_note   text,
    modified_at   timestamptz,
    crawled_at    timestamptz NOT NULL,
    crawl_run_id  bigint REFERENCES crawl_runs(id) ON DELETE SET NULL,
    UNIQUE (article_id, version)
);
