-- The change feed (`jpnews feed`, crawler/dumps/feed.py) and removals (`jpnews forget`).
--
-- Every change of an article row is one row of `article_changes`, written by statement-level
-- triggers with transition tables, in the writer's own transaction: the store's batch merge,
-- story assignment, a re-parse, `jpnews forget` and manual SQL are all recorded, and a bulk
-- write costs one INSERT ... SELECT per statement, not one per row.
--
-- Why not a sequence or `updated_at` as the cursor: both are drawn when a transaction writes,
-- not when it commits. A transaction that took id 10 and commits after the one that took id 11
-- is invisible to a reader that saw 11 and moved its cursor past 10: that change is lost for
-- good. Each change row here is stamped with its transaction's id (xid8, never wraps), and a
-- reader takes only changes of transactions older than `pg_snapshot_xmin(pg_current_snapshot())`,
-- the oldest transaction still running anywhere on the server. Every transaction below that
-- horizon has ended, and every transaction that starts later gets a larger id, so the set of
-- changes below the horizon can no longer grow: a cursor past it never skips a change.
--
-- `position` orders the changes: the transaction id first, then the row's own id (its order
-- inside the transaction), packed into one number (xid * 10^19 + id; an id is a bigint, below
-- 10^19) so that a consumer's position, a warehouse tool's cursor and the index are one value.
CREATE TABLE IF NOT EXISTS article_changes (
    id             bigint GENERATED ALWAYS AS IDENTITY,
    xid            xid8 NOT NULL DEFAULT pg_current_xact_id(),
    position       numeric GENERATED ALWAYS AS
                       (xid::text::numeric * 10000000000000000000 + id) STORED PRIMARY KEY,
    article_id     bigint NOT NULL,
    version        integer NOT NULL,
    change         text NOT NULL
                       CHECK (change IN ('new', 'updated', 'refreshed', 'story', 'removed')),
    changed_at     timestamptz NOT NULL DEFAULT now(),
    canonical_url  text
);
-- No foreign key to articles: a removal's row outlives the article. No index but the
-- position: the feed reads ranges of it, and so does the folding below (the rows of the
-- current transaction are one range); every other index would cost each write.

-- Several statements of one transaction often change one article: a new article is inserted,
-- then story matching sets its story; a changed text leaves its story and joins another. The
-- feed carries the article's fields as they are when it is read, so the story of a new or
-- updated article is already in that row: a 'refreshed' or 'story' change of an article that
-- already has a row of this version in this transaction adds nothing, and is folded into it.
-- A new version ('updated') or a removal always gets a row of its own.
CREATE OR REPLACE FUNCTION jpnews_changes_inserted() RETURNS trigger
LANGUAGE plpgsql SET jit = off AS $$
BEGIN
    INSERT INTO article_changes (article_id, version, change)
    SELECT id, version, 'new' FROM added ORDER BY id;
    RETURN NULL;
END
$$;

-- 'updated': a new text (content_hash, hence version); 'refreshed': any other field of the
-- article (a corrected date, a parser fix), with or without a story change; 'story': only the
-- story changed. The bookkeeping columns are no change of the article: updated_at follows any
-- change, dated_at follows published_at and crawled_at, crawl_run_id follows a write.
-- The fields are named one by one (tests/test_feed.py changes each column of `articles` and
-- expects a change, so a new column cannot be forgotten here): comparing whole rows as jsonb
-- cost four conversions of each row and doubled the time of a bulk UPDATE. The rows of this
-- transaction are found by their position range, through the primary key. The statement is
-- planned on every call (EXECUTE), for the size of this call's transition tables: a plan kept
-- from a first, one-row call joins them by a nested loop (migration 007 says what that cost).
-- JIT is off: compiling the plan took longer than running it.
CREATE OR REPLACE FUNCTION jpnews_changes_updated() RETURNS trigger
LANGUAGE plpgsql SET jit = off AS $$
DECLARE
    here numeric := pg_current_xact_id()::text::numeric * 10000000000000000000;
BEGIN
    EXECUTE $sql$
    WITH classified AS MATERIALIZED (
        SELECT n.id, n.version,
               CASE WHEN (o.content_hash, o.version) IS DISTINCT FROM
                         (n.content_hash, n.version) THEN 'updated'
                    WHEN (o.canonical_url, o.url, o.source, o.source_name, o.source_group,
                          o.title, o.body, o.summary, o.published_at, o.modified_at, o.credit,
                          o.credit_agency, o.authors, o.section, o.tags, o.language,
                          o.editor_note, o.image_url, o.crawled_at, o.first_seen_at,
                          o.provenance, o.paywalled, o.meta_hash, o.text_fingerprint,
                          o.minhash)
                         IS DISTINCT FROM
                         (n.canonical_url, n.url, n.source, n.source_name, n.source_group,
                          n.title, n.body, n.summary, n.published_at, n.modified_at, n.credit,
                          n.credit_agency, n.authors, n.section, n.tags, n.language,
                          n.editor_note, n.image_url, n.crawled_at, n.first_seen_at,
                          n.provenance, n.paywalled, n.meta_hash, n.text_fingerprint,
                          n.minhash) THEN 'refreshed'
                    WHEN o.story_id IS DISTINCT FROM n.story_id THEN 'story'
               END AS change
        FROM after n JOIN before o ON o.id = n.id
    ), earlier AS MATERIALIZED (
        SELECT article_id, version FROM article_changes
        WHERE position >= $1 AND position < $1 + 10000000000000000000
          AND change <> 'removed'
    )
    INSERT INTO article_changes (article_id, version, change)
    SELECT c.id, c.version, c.change FROM classified c
    WHERE c.change = 'updated'
       OR (c.change IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM earlier e
                           WHERE e.article_id = c.id AND e.version = c.version))
    ORDER BY c.id
    $sql$ USING here;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION jpnews_changes_deleted() RETURNS trigger
LANGUAGE plpgsql SET jit = off AS $$
BEGIN
    INSERT INTO article_changes (article_id, version, change, canonical_url)
    SELECT id, version, 'removed', canonical_url FROM gone ORDER BY id;
    RETURN NULL;
END
$$;

DROP TRIGGER IF EXISTS articles_changes_insert ON articles;
CREATE TRIGGER articles_changes_insert AFTER INSERT ON articles
    REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION jpnews_changes_inserted();
DROP TRIGGER IF EXISTS articles_changes_update ON articles;
CREATE TRIGGER articles_changes_update AFTER UPDATE ON articles
    REFERENCING OLD TABLE AS before NEW TABLE AS after
    FOR EACH STATEMENT EXECUTE FUNCTION jpnews_changes_updated();
DROP TRIGGER IF EXISTS articles_changes_delete ON articles;
CREATE TRIGGER articles_changes_delete AFTER DELETE ON articles
    REFERENCING OLD TABLE AS gone
    FOR EACH STATEMENT EXECUTE FUNCTION jpnews_changes_deleted();

-- Articles stored before the feed existed: one 'new' change each, so that a consumer reading
-- from the start gets every article, old or new.
INSERT INTO article_changes (article_id, version, change)
SELECT id, version, 'new' FROM articles
WHERE NOT EXISTS (SELECT 1 FROM article_changes)
ORDER BY id;

-- Where each consumer of `jpnews feed` is: the position of the last change it was given
-- (0: none yet). `pending` is the last position of the batch being written: set before the
-- batch's file is written, cleared when the position moves to it, so that a run that died in
-- between writes exactly the same batch again, under the same name.
CREATE TABLE IF NOT EXISTS feed_consumers (
    name        text PRIMARY KEY CHECK (name ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$'),
    position    numeric NOT NULL DEFAULT 0,
    pending     numeric,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- What a warehouse tool can pull on its own (Airbyte's incremental sync, a dbt incremental
-- model): the changes no running transaction can still add to, each with the article's fields
-- as they are now. `position` is the cursor: the tool keeps the largest it has loaded and asks
-- for `position > that`; it grows with every change, and no change can appear below a position
-- the view has shown. (changed_at and updated_at cannot serve: a transaction that started
-- earlier can commit later.) The article's columns are those of a dump (crawler/dumps/fields.py),
-- null once the article is gone; `current_version` is its version now, `version` the one the
-- change made or saw.
CREATE OR REPLACE VIEW feed_changes_visible AS
SELECT c.position, c.article_id, c.version, c.change, c.changed_at,
       c.xid::text::bigint AS change_xid, c.id AS change_id,
       a.url, coalesce(a.canonical_url, c.canonical_url) AS canonical_url, a.source,
       a.source_name, a.source_group, a.title, a.body, a.summary, a.published_at,
       a.modified_at, a.credit, a.credit_agency, a.authors, a.section, a.tags, a.language,
       a.editor_note, a.image_url, a.crawled_at, a.paywalled, a.content_hash, a.meta_hash,
       a.provenance, a.story_id, a.text_fingerprint, a.first_seen_at, a.updated_at,
       a.version AS current_version
FROM article_changes c LEFT JOIN articles a ON a.id = c.article_id
WHERE c.position < pg_snapshot_xmin(pg_current_snapshot())::text::numeric
                   * 10000000000000000000;

-- Removals: what `jpnews forget` leaves of an article taken down. The store refuses these
-- canonical URLs (and the address the article was fetched at, `url`) until the tombstone is
-- lifted with `jpnews forget URL --undo`.
CREATE TABLE IF NOT EXISTS forgotten (
    canonical_url  text PRIMARY KEY,
    url            text,
    article_id     bigint,
    reason         text NOT NULL,
    forgotten_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS forgotten_url_idx ON forgotten (url);

-- Deleting an article sets the references to it to null; without these indexes each delete
-- read the whole of `stories` and `story_members` to find them.
CREATE INDEX IF NOT EXISTS stories_representative_idx ON stories (representative_id);
CREATE INDEX IF NOT EXISTS story_members_matched_idx ON story_members (matched_id);
