-- Deduplication: exact text fingerprints, MinHash signatures with LSH band keys, story clusters.
-- Every stored article belongs to one story; a story of two or more articles is a cluster of
-- copies (the same wire story on several outlets, the same text under several URLs).
ALTER TABLE articles ADD COLUMN IF NOT EXISTS text_fingerprint text;
ALTER TABLE articles ADD COLUMN IF NOT EXISTS minhash bytea;
ALTER TABLE articles ADD COLUMN IF NOT EXISTS story_id bigint;
CREATE INDEX IF NOT EXISTS articles_text_fingerprint_idx ON articles (text_fingerprint);
CREATE INDEX IF NOT EXISTS articles_story_idx ON articles (story_id);

CREATE TABLE IF NOT EXISTS stories (
    id                 bigserial PRIMARY KEY,
    representative_id  bigint REFERENCES articles(id) ON DELETE SET NULL,
    members            integer NOT NULL DEFAULT 1,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS stories_multi_idx ON stories (updated_at) WHERE members > 1;

CREATE TABLE IF NOT EXISTS story_members (
    story_id    bigint NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    article_id  bigint NOT NULL UNIQUE REFERENCES articles(id) ON DELETE CASCADE,
    matched_id  bigint REFERENCES articles(id) ON DELETE SET NULL,
    similarity  real NOT NULL,
    match       text NOT NULL CHECK (match IN ('first', 'exact', 'near')),
    joined_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (story_id, article_id)
);

-- The LSH index: one row per (band, key) of each article. Kept in Postgres so that every
-- crawler process and every later run sees one index, and no process holds it in memory.
CREATE TABLE IF NOT EXISTS lsh_bands (
    band        smallint NOT NULL,
    key         bigint NOT NULL,
    article_id  bigint NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    PRIMARY KEY (band, key, article_id)
);
CREATE INDEX IF NOT EXISTS lsh_bands_article_idx ON lsh_bands (article_id);

DO $$ BEGIN
    ALTER TABLE articles ADD CONSTRAINT articles_story_fk
        FOREIGN KEY (story_id) REFERENCES stories(id) ON DELETE SET NULL;
EXCEPTION WHEN duplicate_object THEN NULL;
END $$;
