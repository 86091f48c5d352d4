-- When each article row last changed: dumps carry it, so that a warehouse can tell which rows
-- a newer dump changed, and a reader can see how fresh a row is.
--
-- Existing rows get the best time there is: a row is written when it is first seen and again
-- when a fetch brings a changed text or changed metadata, and such a write sets crawled_at to
-- that fetch's time; so the later of first_seen_at and crawled_at. (An imported article keeps
-- the crawl time of its dump, older than its first_seen_at here; a story change left no
-- trace.) The whole migration is one transaction under ALTER TABLE's exclusive lock, so no
-- writer sees the search trigger switched off: the backfill changes no column that trigger
-- reads, and with it on, the UPDATE would collect every row twice in transition tables only to
-- find nothing to do.
ALTER TABLE articles ADD COLUMN IF NOT EXISTS updated_at timestamptz;
ALTER TABLE articles DISABLE TRIGGER articles_search_update;
UPDATE articles SET updated_at = greatest(first_seen_at, crawled_at) WHERE updated_at IS NULL;
ALTER TABLE articles ENABLE TRIGGER articles_search_update;
ALTER TABLE articles
    ALTER COLUMN updated_at SET DEFAULT now(),
    ALTER COLUMN updated_at SET NOT NULL;

-- Kept current by the database rather than by each writer: the store's merge, story
-- assignment, a re-parse and manual SQL all update articles, and none can forget it. A row
-- trigger that compares the whole row, because `dated_at` is a generated column: a BEFORE
-- trigger cannot name NEW's generated columns in a WHEN clause, and in the function NEW's
-- copy of it is not computed yet, so both it and updated_at itself are left out of the
-- comparison. An UPDATE that changes nothing keeps the old time; an explicit updated_at from
-- the writer is overridden, so the column always means "last changed in this database".
CREATE OR REPLACE FUNCTION jpnews_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF (to_jsonb(NEW) - 'updated_at' - 'dated_at')
       IS DISTINCT FROM (to_jsonb(OLD) - 'updated_at' - 'dated_at') THEN
        NEW.updated_at := now();
    ELSE
        NEW.updated_at := OLD.updated_at;
    END IF;
    RETURN NEW;
END
$$;

DROP TRIGGER IF EXISTS articles_touch_updated_at ON articles;
CREATE TRIGGER articles_touch_updated_at BEFORE UPDATE ON articles
    FOR EACH ROW EXECUTE FUNCTION jpnews_touch_updated_at();
